"""The roster (花名册) columns: header, target field, how a cell is read and written, whether it is required.

The headers and the choice labels in a roster file are the Chinese source strings whatever the user's
language: the file is an exchange format, and a file written in one language must read back in another.
Reading also accepts a choice's code and its label in the active language.

A parser turns a raw cell value (str, int, float, date, datetime or None) into the stored value, or raises
`CellError` with a Chinese reason. Empty cells never reach a parser. A formatter turns a stored value into
the cell value an export writes; parser(formatter(v)) == v for every stored value.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import choices as c
from ..models import Education, Person

PERSON = "person"
TITLE = "title"
FULL_TIME = c.EducationKind.FULL_TIME.value
IN_SERVICE = c.EducationKind.IN_SERVICE.value
EDUCATION_GROUPS = (FULL_TIME, IN_SERVICE)

FILE_LANGUAGE = "zh-hans"


class CellError(ValueError):
    """A cell's value cannot be read; the message says why, in the user's language."""


# --- parsers ---------------------------------------------------------------------------------------------


def _normalise(raw: Any) -> str:
    """Text of a cell with full-width digits and punctuation folded (Excel users type both)."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return unicodedata.normalize("NFKC", str(raw)).strip()


_FULL_DATE = re.compile(r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?$")
_MONTH = re.compile(r"^(\d{4})[-./年](\d{1,2})月?$")
_COMPACT_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
DATE_FORMATS_HINT = "2001-09-01、2001.09.01、2001.09、200109"


def _make_date(year: str, month: str, day: str, shown: str) -> dt.date:
    try:
        value = dt.date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(_("日期“%(v)s”不存在。") % {"v": shown}) from None
    if value.year < 1900:
        raise CellError(_("日期“%(v)s”不合理。") % {"v": shown})
    return value


def parse_date(raw: Any) -> dt.date:
    """Excel dates, YYYY-MM-DD, YYYY.MM.DD, YYYY/MM/DD, YYYYMMDD, YYYY年M月D日; a month alone means its 1st.

    A number like 2001.09 (Excel turns a typed "2001.09" into one, and "2001.10" into 2001.1) is read as
    that year and month.
    """
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, float) and not raw.is_integer():
        text = f"{raw:.2f}"
    else:
        text = _normalise(raw)
    for pattern in (_FULL_DATE, _COMPACT_DATE):
        if m := pattern.match(text):
            return _make_date(m[1], m[2], m[3], text)
    for pattern in (_MONTH, _COMPACT_MONTH):
        if m := pattern.match(text):
            return _make_date(m[1], m[2], "1", text)
    raise CellError(_("无法识别的日期“%(v)s”，可填：%(formats)s。") % {"v": text, "formats": DATE_FORMATS_HINT})


def parse_month(raw: Any) -> dt.date:
    """Like `parse_date`, kept as the first day of its month (档案出生年月 is a month)."""
    return parse_date(raw).replace(day=1)


def parse_id_cell(raw: Any) -> str:
    """The ID number as text; a float means Excel stored it as a number and dropped digits."""
    if isinstance(raw, float):
        raise CellError(_("身份证号被 Excel 保存成了数字，末几位已丢失；请把该列设为文本格式后重新填写。"))
    return _normalise(raw).upper()


def _text_parser(max_length: int) -> Callable[[Any], str]:
    def parse(raw: Any) -> str:
        text = _normalise(raw) if isinstance(raw, int | float) else str(raw).strip()
        if len(text) > max_length:
            raise CellError(_("不能超过 %(n)d 个字符（现有 %(m)d 个）。") % {"n": max_length, "m": len(text)})
        return text

    return parse


@cache
def _choice_lookup(choices: type[models.TextChoices], language: str) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for choice in choices:
        lookup[choice.value] = choice.value
    with translation.override(language):
        lookup.update({str(choice.label): choice.value for choice in choices})
    with translation.override(FILE_LANGUAGE):
        lookup.update({str(choice.label): choice.value for choice in choices})
    return lookup


def file_labels(choices: type[models.TextChoices]) -> list[str]:
    """The labels a roster file uses for a vocabulary, in its order."""
    with translation.override(FILE_LANGUAGE):
        return [str(choice.label) for choice in choices]


def _choice_parser(choices: type[models.TextChoices]) -> Callable[[Any], str]:
    def parse(raw: Any) -> str:
        text = _normalise(raw)
        value = _choice_lookup(choices, translation.get_language() or FILE_LANGUAGE).get(text)
        if value is None:
            raise CellError(
                _("“%(v)s”不是可选值，可选：%(opts)s。") % {"v": text, "opts": "、".join(file_labels(choices))}
            )
        return value

    return parse


def _code_parser(raw: Any) -> str:
    return _normalise(raw)


# --- formatters ------------------------------------------------------------------------------------------


def _format_text(value: Any) -> Any:
    return value or None


def _format_date(value: dt.date | None) -> dt.date | None:
    return value


def _format_month(value: dt.date | None) -> str | None:
    return f"{value:%Y.%m}" if value else None


def _choice_formatter(choices: type[models.TextChoices]) -> Callable[[Any], str | None]:
    def fmt(value: Any) -> str | None:
        if value is None:
            return None
        with translation.override(FILE_LANGUAGE):
            return str(choices(value).label)

    return fmt


# --- the spec --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One roster column: `group` is the record it fills (person, title, or an education kind)."""

    header: str
    group: str
    field: str
    parse: Callable[[Any], Any]
    format: Callable[[Any], Any]
    required: bool = False
    choices: type[models.TextChoices] | None = None
    note: Any = ""
    is_date: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.group, self.field)


def _max_length(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length


def _text(header, group, name, model, *, required=False, note="") -> Column:
    return Column(header, group, name, _text_parser(_max_length(model, name)), _format_text, required, note=note)


def _choice(header, group, name, choices, *, required=False, note="") -> Column:
    return Column(
        header, group, name, _choice_parser(choices), _choice_formatter(choices), required, choices=choices, note=note
    )


def _date(header, group, name, *, required=False, note="") -> Column:
    return Column(header, group, name, parse_date, _format_date, required, note=note, is_date=True)


def _education(prefix: str, kind: str) -> list[Column]:
    return [
        _choice(f"{prefix}学历", kind, "level", c.EducationLevel, note=gettext_lazy("填写学历时须同时填写毕业院校。")),
        _choice(f"{prefix}学位", kind, "degree", c.Degree),
        _text(f"{prefix}毕业院校", kind, "institution", Education),
        _text(f"{prefix}专业", kind, "major", Education),
    ]


COLUMNS: tuple[Column, ...] = (
    Column(
        "身份证号",
        PERSON,
        "id_number",
        parse_id_cell,
        _format_text,
        required=True,
        note=gettext_lazy("18位，末位可为X；已登记的人员按身份证号更新，未登记的新增。"),
    ),
    _text("姓名", PERSON, "name", Person, required=True),
    _choice("性别", PERSON, "sex", c.Sex, required=True, note=gettext_lazy("须与身份证号一致。")),
    _date("出生日期", PERSON, "birth_date", note=gettext_lazy("须与身份证号一致；不填时取身份证号中的出生日期。")),
    Column(
        "档案出生年月",
        PERSON,
        "record_birth_month",
        parse_month,
        _format_month,
        note=gettext_lazy("干部档案认定的出生年月，格式 YYYY.MM。"),
    ),
    _text("民族", PERSON, "ethnicity", Person, note=gettext_lazy("如：汉族。新增人员不填时为汉族。")),
    _text("籍贯", PERSON, "native_place", Person),
    _text("出生地", PERSON, "birthplace", Person),
    _choice("政治面貌", PERSON, "political_status", c.PoliticalStatus, note=gettext_lazy("新增人员不填时为群众。")),
    _date("入党时间", PERSON, "party_join_date", note=gettext_lazy("中共党员、中共预备党员必填。")),
    _date("参加工作时间", PERSON, "work_start_date", required=True),
    _text("健康状况", PERSON, "health", Person, note=gettext_lazy("新增人员不填时为健康。")),
    Column(
        "单位代码",
        PERSON,
        "organization",
        _code_parser,
        _format_text,
        required=True,
        note=gettext_lazy("须为已登记的单位代码，见“单位代码”表。"),
    ),
    _text("任教学科", PERSON, "subject", Person),
    _choice("在职状态", PERSON, "employment_status", c.EmploymentStatus, note=gettext_lazy("新增人员不填时为在职。")),
    _choice(
        "专业技术职务",
        TITLE,
        "title",
        c.TeacherTitle,
        note=gettext_lazy("与取得资格时间同填；该职称及时间尚未登记时新增一条职称记录。"),
    ),
    _date("取得资格时间", TITLE, "obtained_on"),
    *_education("全日制", FULL_TIME),
    *_education("在职", IN_SERVICE),
)

BY_HEADER: dict[str, Column] = {col.header: col for col in COLUMNS}
BY_KEY: dict[tuple[str, str], Column] = {col.key: col for col in COLUMNS}
HEADERS: tuple[str, ...] = tuple(col.header for col in COLUMNS)
REQUIRED_HEADERS: tuple[str, ...] = tuple(col.header for col in COLUMNS if col.required)
PERSON_FIELDS: tuple[str, ...] = tuple(col.field for col in COLUMNS if col.group == PERSON)

# Columns a hand-made roster often carries and that the import skips on purpose.
IGNORED_HEADERS = frozenset({"序号", "备注"})

# Stored values of a new person whose optional cell is empty (the model's defaults).
PERSON_DEFAULTS: dict[str, Any] = {
    "ethnicity": Person._meta.get_field("ethnicity").default,
    "political_status": Person._meta.get_field("political_status").default,
    "health": Person._meta.get_field("health").default,
    "employment_status": Person._meta.get_field("employment_status").default,
}


def header_of(group: str, name: str) -> str:
    """The header of the column that fills `name` of `group` ("" when no column does)."""
    col = BY_KEY.get((group, name))
    return col.header if col else ""
