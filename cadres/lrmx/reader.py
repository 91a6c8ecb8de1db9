"""Reading an .lrmx file (bytes) into a plain `LrmxPerson`, or refusing it with a Chinese `LrmxError`.

Guarantees of `read_lrmx`:
- Files larger than `schema.MAX_FILE_BYTES` are refused before any decoding or parsing; when the bulk of
  the file is the <ZhaoPian> element, the message says the photo is too large.
- Encoding. National files are UTF-8 XML. A file that declares UTF-8 (or nothing) must decode as strict
  UTF-8, so a GBK body labelled UTF-8 is refused instead of being read as mojibake. A file that declares
  GB18030, GBK or GB2312 (older provincial tools and hand-edited files do) is accepted and decoded as
  GB18030, a superset of the other two — unless its bytes are in fact UTF-8 with Chinese text, which is a
  declaration that does not match the body and is refused. UTF-16/32 and every other encoding are refused.
- XML bombs. The text is parsed by `defusedxml` with every DTD forbidden: a <!DOCTYPE (and so any <!ENTITY
  declaration or external reference) is refused before anything is expanded or fetched — an .lrmx file has
  no use for one; the size cap bounds the rest. Undeclared entity references are a parse error in expat.
- The root element must be <Person>; 姓名, 性别 and 出生年月 must be present; every date element must be
  a real month (YYYYMM; YYYY.MM, YYYY-MM and YYYYMMDD are read too); the photo, when present, must be
  base64 of a JPEG or PNG no larger than `schema.MAX_PHOTO_BYTES` and `schema.MAX_PHOTO_PIXELS` that
  Pillow decodes completely (a truncated or damaged image is refused, not stored). Every problem with
  the values is reported in one `LrmxError` (its `messages` list), not just the first.
- Elements are found by name in any order; unknown elements are ignored; family <Item>s that are blank
  (editors write ten fixed rows) are dropped. Text is stripped; multi-line values keep "\n" between lines.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, fields

import defusedxml.ElementTree as DefusedET
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from django.utils.translation import gettext as _

from ..images import photo_problem
from . import schema as s

MB = 1024 * 1024


class LrmxError(ValueError):
    """The file cannot be imported. `messages` are Chinese sentences for the user; `code` names the check."""

    def __init__(self, messages: str | list[str], *, code: str):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        self.code = code
        super().__init__(" ".join(self.messages))


@dataclass(frozen=True)
class LrmxFamilyItem:
    relation: str = ""
    name: str = ""
    birth_month: dt.date | None = None
    political_status: str = ""
    work_unit_and_post: str = ""


@dataclass(frozen=True)
class LrmxPerson:
    """One <Person>, element by element (field names in `schema.PERSON_ELEMENTS`)."""

    name: str
    sex: str  # cadres.choices.Sex code
    birth_month: dt.date
    ethnicity: str = ""
    native_place: str = ""
    birthplace: str = ""
    party_join: str = ""  # as written: "200306", "200306（预备党员）", "群众" …
    work_start_month: dt.date | None = None
    health: str = ""
    professional_title: str = ""
    specialty: str = ""
    full_time_level: str = ""
    full_time_degree: str = ""
    full_time_level_school: str = ""
    full_time_degree_school: str = ""
    in_service_level: str = ""
    in_service_degree: str = ""
    in_service_level_school: str = ""
    in_service_degree_school: str = ""
    current_post: str = ""
    proposed_post: str = ""
    proposed_removal: str = ""
    resume: str = ""
    rewards: str = ""
    appraisals: str = ""
    reason: str = ""
    family: tuple[LrmxFamilyItem, ...] = ()
    reporting_unit: str = ""
    age_reference_date: dt.date | None = None
    filled_on: str = ""
    filled_by: str = ""
    id_number: str = ""
    photo: bytes | None = field(default=None, repr=False)
    version: str = ""

    def registry_fields(self) -> dict:
        """The values the registry keeps (everything but `schema.FORM_ONLY_FIELDS`), for comparisons."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in s.FORM_ONLY_FIELDS}


# ------------------------------------------------------------------------------------------- values

_MONTH = re.compile(r"^(\d{4})(?:(\d{2})(\d{2})?|[.\-/](\d{1,2})(?:[.\-/](\d{1,2}))?)$")
_PARTY_DATE = re.compile(r"^(\d{4})(?:[.\-/]?(\d{1,2}))?")
_SEX = {"男": "M", "女": "F", "男性": "M", "女性": "F"}


def parse_month(text: str, *, keep_day: bool = False) -> dt.date | None:
    """YYYYMM, YYYY.MM, YYYY-MM, YYYYMMDD or YYYY.MM.DD → a date (the 1st unless `keep_day`); None if invalid."""
    m = _MONTH.match(text)
    if not m:
        return None
    year = int(m.group(1))
    month = int(m.group(2) or m.group(4))
    day_text = m.group(3) or m.group(5)
    if not 1900 <= year <= 2100:
        return None
    try:
        value = dt.date(year, month, int(day_text) if day_text else 1)
    except ValueError:
        return None
    return value if keep_day else value.replace(day=1)


def split_party(text: str) -> tuple[dt.date | None, str]:
    """入党时间 as (month or None, the note after it); the note of a text-only value is the whole text."""
    m = _PARTY_DATE.match(text)
    if not m:
        return None, text
    month = parse_month(f"{m.group(1)}{int(m.group(2)):02d}" if m.group(2) else m.group(1))
    note = text[m.end() :].strip().strip("；;，,、()（） ").strip()
    return month, note


def _month_error(label: str, value: str) -> str:
    return _("%(label)s“%(value)s”不是有效的年月，应写作 YYYYMM（如 197503）。") % {"label": label, "value": value}


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(node) -> dict[str, ET.Element]:
    found: dict[str, ET.Element] = {}
    for child in node:
        found.setdefault(_local(child.tag), child)
    return found


def _text(node) -> str:
    # Leaf text only: never walks nested elements, so a deeply nested value cannot exhaust the stack.
    return (node.text or "") if node is not None else ""


def _photo(text: str, errors: list[str]) -> bytes | None:
    compact = "".join(text.split())
    if compact.startswith("data:") and "," in compact:
        compact = compact.split(",", 1)[1]
    if not compact:
        return None
    if len(compact) > s.MAX_PHOTO_BASE64_CHARS:
        errors.append(_photo_too_large(len(compact)))
        return None
    try:
        data = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        errors.append(_("照片不是有效的 Base64 编码。"))
        return None
    problem = photo_problem(data, max_bytes=s.MAX_PHOTO_BYTES, max_pixels=s.MAX_PHOTO_PIXELS)
    if problem:
        errors.append(problem)
        return None
    return data


def _photo_too_large(base64_chars: int) -> str:
    return _("照片过大：约 %(size).1f MB，照片不得超过 %(limit)d MB。") % {
        "size": base64_chars * 3 / 4 / MB,
        "limit": s.MAX_PHOTO_BYTES // MB,
    }


# ----------------------------------------------------------------------------------------- encoding

_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._\-]+)[\"']")
_GB_FAMILY = {"gb18030", "gbk", "gb2312"}
_ZIP_MAGIC = b"PK\x03\x04"


def _check_size(data: bytes) -> None:
    if len(data) <= s.MAX_FILE_BYTES:
        return
    start = data.find(b"<ZhaoPian")
    end = data.find(b"</ZhaoPian>", start + 1) if start >= 0 else -1
    if start >= 0 and (end < 0 or end - start > s.MAX_PHOTO_BASE64_CHARS):
        span = (end if end > 0 else len(data)) - start
        raise LrmxError(_photo_too_large(span), code="photo_too_large")
    raise LrmxError(
        _("文件过大：%(size).1f MB，LRMX 文件不得超过 %(limit)d MB。")
        % {"size": len(data) / MB, "limit": s.MAX_FILE_BYTES // MB},
        code="file_too_large",
    )


def _decode(data: bytes) -> str:
    wide = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"<\x00", b"\x00<")
    if data.startswith(wide):
        raise LrmxError(_("文件是 UTF-16/UTF-32 编码；LRMX 文件应为 UTF-8 编码。"), code="encoding")
    if data.startswith(_ZIP_MAGIC):
        raise LrmxError(
            _("文件是压缩包或 Office 文档，不是干部任免审批表（LRMX）文件；请上传 .lrmx 文件本身。"), code="not_xml"
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if not data.lstrip().startswith(b"<"):
        raise LrmxError(_("文件不是 XML 格式，不是干部任免审批表（LRMX）文件。"), code="not_xml")
    match = _DECLARATION.match(data)
    declared = match.group(1).decode("ascii") if match else ""
    try:
        name = codecs.lookup(declared).name if declared else "utf-8"
    except LookupError:
        name = ""
    if name == "utf-8":
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LrmxError(
                _(
                    "文件声明为 UTF-8 编码，但自第 %(pos)d 字节起的内容不是 UTF-8（可能是 GBK/GB18030 编码）。"
                    "请从全国干部任免审批表软件重新导出，或将文件另存为 UTF-8 编码。"
                )
                % {"pos": exc.start + 1},
                code="encoding",
            ) from None
    if name in _GB_FAMILY:
        if not data.isascii():
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                raise LrmxError(
                    _("文件声明为 %(enc)s 编码，但内容是 UTF-8 编码；声明与内容不一致。") % {"enc": declared},
                    code="encoding",
                )
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise LrmxError(
                _("文件声明为 %(enc)s 编码，但内容无法按该编码读取。") % {"enc": declared}, code="encoding"
            ) from None
    raise LrmxError(_("不支持的编码“%(enc)s”：LRMX 文件应为 UTF-8 编码。") % {"enc": declared or "?"}, code="encoding")


def _parse_xml(text: str) -> ET.Element:
    # defusedxml refuses any DTD (and so every entity declaration and external reference) before expat
    # could expand or fetch it; an .lrmx file has no use for one.
    try:
        return DefusedET.fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
        raise LrmxError(
            _("文件含有 DOCTYPE 或实体（ENTITY）声明，出于安全原因不予读取；LRMX 文件不需要这些声明。"),
            code="doctype",
        ) from None
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise LrmxError(
            _("文件不是格式正确的 XML（第 %(line)d 行第 %(col)d 列附近出错）。") % {"line": line, "col": column + 1},
            code="malformed",
        ) from None
    except (ValueError, RecursionError):  # e.g. a character expat refuses in a str, or absurd nesting
        raise LrmxError(_("文件不是格式正确的 XML。"), code="malformed") from None


# --------------------------------------------------------------------------------------------- read


def _family(node, errors: list[str]) -> tuple[LrmxFamilyItem, ...]:
    if node is None:
        return ()
    rows = [c for c in node if _local(c.tag) == s.FAMILY_ITEM]
    if len(rows) > s.MAX_FAMILY_ITEMS:
        errors.append(_("家庭成员超过 %(n)d 行。") % {"n": s.MAX_FAMILY_ITEMS})
        return ()
    items = []
    for index, item in enumerate(rows, start=1):
        found = _children(item)
        values = {e.field: _text(found.get(e.tag)).strip() for e in s.FAMILY_ELEMENTS}
        if not any(values.values()):
            continue
        raw_birth = values.pop("birth_month")
        birth = parse_month(raw_birth) if raw_birth else None
        if raw_birth and birth is None:
            label = _("家庭成员第 %(n)d 行（%(name)s）出生日期") % {"n": index, "name": values["name"] or "?"}
            errors.append(_month_error(label, raw_birth))
        items.append(LrmxFamilyItem(birth_month=birth, **values))
    return tuple(items)


def read_lrmx(data: bytes) -> LrmxPerson:
    """Parse an .lrmx file; raises LrmxError (codes: file_too_large, photo_too_large, encoding, not_xml,
    doctype, malformed, root, missing, invalid) with a Chinese message."""
    if not data or not data.strip():
        raise LrmxError(_("文件为空。"), code="not_xml")
    _check_size(data)
    root = _parse_xml(_decode(data))
    if _local(root.tag) != s.ROOT:
        raise LrmxError(
            _("根元素应为 <Person>，文件中是 <%(tag)s>；这不是干部任免审批表（LRMX）文件。")
            % {"tag": _local(root.tag)},
            code="root",
        )
    found = _children(root)
    raw = {e.field: _text(found.get(e.tag)).strip() for e in s.PERSON_ELEMENTS if e.kind != s.FAMILY_KIND}
    missing = [s.BY_TAG[tag].label for tag in s.REQUIRED_TAGS if not raw[s.BY_TAG[tag].field]]
    if missing:
        raise LrmxError(_("缺少必填项：%(fields)s。") % {"fields": "、".join(missing)}, code="missing")

    errors: list[str] = []
    values: dict = {}
    for element in s.PERSON_ELEMENTS:
        if element.kind == s.FAMILY_KIND:
            values[element.field] = _family(found.get(element.tag), errors)
            continue
        text = raw[element.field]
        if element.kind == s.SEX:
            values[element.field] = _SEX.get(text, "")
            if not values[element.field]:
                errors.append(_("性别“%(v)s”无法识别，应为“男”或“女”。") % {"v": text})
        elif element.kind in (s.MONTH, s.DAY):
            value = parse_month(text, keep_day=element.kind == s.DAY) if text else None
            if text and value is None:
                errors.append(_month_error(element.label, text))
            values[element.field] = value
        elif element.kind == s.PARTY:
            if text and _PARTY_DATE.match(text) and split_party(text)[0] is None:
                errors.append(_month_error(element.label, text))
            values[element.field] = text
        elif element.kind == s.PHOTO:
            values[element.field] = _photo(_text(found.get(element.tag)), errors)
        elif element.kind == s.LINES:
            values[element.field] = _lines(_text(found.get(element.tag)))
        else:
            values[element.field] = " ".join(text.split())
    if errors:
        raise LrmxError(errors, code="invalid")
    return LrmxPerson(**values)
