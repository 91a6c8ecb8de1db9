"""Writing .lrmx files: a registry `Person` → `LrmxPerson` → UTF-8 XML bytes.

Guarantees:
- `render_lrmx` writes `<?xml version="1.0" encoding="UTF-8"?>` and every element of
  `schema.PERSON_ELEMENTS` in that order (empty ones as `<X></X>`, as the national template has them),
  one <Item> per family member; dates as YYYYMM (计算年龄时间 as YYYYMMDD); multi-line values with CRLF
  line ends, as the national tools write them; characters XML 1.0 forbids are dropped. The photo is
  always base64 JPEG: PNG (or anything else Pillow opens) is converted. `read_lrmx(render_lrmx(p)) == p`
  for every `p` whose photo is a JPEG.
- `lrmx_from_person` follows regulations.md §6.4 and the printed form: 学历学位 per kind is the highest
  学历 and, separately, the highest 学位, each with its own record's school and major (the 学位 school left
  empty when the same record gives both);
  简历 is `cadres.facts.resume_lines`; 奖惩 "YYYY年MM月，经××批准，…。" or "无"; 年度考核 the latest three
  recorded years up to the form date in one sentence; 称谓 as the form writes it (妻子/丈夫 …).
  Version is `schema.VERSION`.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET

from django.utils import timezone

from .. import choices as c
from .. import facts
from ..models import Person
from . import schema as s
from . import texts
from .reader import LrmxFamilyItem, LrmxPerson

APPRAISAL_YEARS = 3
PHOTO_BOX = (752, 920)  # twice the exchange files' 376×460 crop; used only to shrink an oversized photo
_JPEG_MAGIC = b"\xff\xd8\xff"
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# ------------------------------------------------------------------------------------------ bytes


def as_jpeg(data: bytes) -> bytes:
    """The photo as JPEG bytes no larger than `schema.MAX_PHOTO_BYTES` (a JPEG within it is kept as is)."""
    if data.startswith(_JPEG_MAGIC) and len(data) <= s.MAX_PHOTO_BYTES:
        return data
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        image = ImageOps.exif_transpose(image)
        if len(data) > s.MAX_PHOTO_BYTES:
            image.thumbnail(PHOTO_BOX, Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG", quality=90)
    return out.getvalue()


def _clean(text: str) -> str:
    return _XML_FORBIDDEN.sub("", text or "")


def _format(element: s.Element, value) -> str:
    if value is None:
        return ""
    if element.kind == s.SEX:
        return str(c.Sex(value).label) if value else ""
    if element.kind == s.MONTH:
        return f"{value:%Y%m}"
    if element.kind == s.DAY:
        return f"{value:%Y%m%d}"
    if element.kind == s.PHOTO:
        return base64.b64encode(as_jpeg(value)).decode("ascii") if value else ""
    if element.kind == s.LINES:
        return s.LINE_BREAK.join(_clean(value).split("\n"))
    return _clean(str(value))


def render_lrmx(person: LrmxPerson) -> bytes:
    """The file's bytes: UTF-8 XML in the schema's element order."""
    root = ET.Element(s.ROOT)
    for element in s.PERSON_ELEMENTS:
        node = ET.SubElement(root, element.tag)
        if element.kind == s.FAMILY_KIND:
            for member in person.family:
                item = ET.SubElement(node, s.FAMILY_ITEM)
                for sub in s.FAMILY_ELEMENTS:
                    ET.SubElement(item, sub.tag).text = _format(sub, getattr(member, sub.field))
            continue
        node.text = _format(element, getattr(person, element.field))
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=False)
    return f'<?xml version="1.0" encoding="{s.ENCODING}"?>\r\n{body}\r\n'.encode()


# --------------------------------------------------------------------------------------- registry


def _education(educations, kind: str) -> dict:
    """The four 学历学位 fields of one kind, each written from its own record (`facts.education_records`);
    the 学位 school is left empty when one record gives both (the form's convention)."""
    by_level, by_degree = facts.education_records(educations, kind)
    result = {"level": "", "degree": "", "level_school": "", "degree_school": ""}
    if by_level is None:
        return result
    result["level"] = str(c.EducationLevel(by_level.level).label)
    result["level_school"] = texts.school_text(by_level.institution, by_level.major)
    if by_degree is not None:
        result["degree"] = str(c.Degree(by_degree.degree).label)
        if by_degree is not by_level:
            result["degree_school"] = texts.school_text(by_degree.institution, by_degree.major)
    return result


def current_post_text(person: Person, on: dt.date) -> str:
    """现任职务 at `on` (`facts.current_post_text` over the person's tenures)."""
    return facts.current_post_text(person.tenures.all(), on)


def _title_text(person: Person, on: dt.date) -> str:
    held = [t for t in person.titles.all() if t.obtained_on <= on]
    if not held:
        return ""
    latest = max(held, key=lambda t: (t.obtained_on, t.pk or 0))
    return str(c.TeacherTitle(latest.title).label)


def _rewards_text(person: Person) -> str:
    records = sorted(person.rewards_punishments.all(), key=lambda r: (r.date, r.pk or 0))
    if not records:
        return texts.NONE_TEXT
    return "\n".join(texts.reward_line(r.date, r.approver, r.description) for r in records)


def _appraisal_text(person: Person, on: dt.date) -> str:
    recorded = sorted(((a.year, a.grade) for a in person.appraisals.all() if a.year <= on.year), reverse=True)
    return texts.appraisal_sentence(recorded[:APPRAISAL_YEARS])


def _photo_bytes(person: Person) -> bytes | None:
    if not person.photo:
        return None
    try:
        with person.photo.open("rb") as fh:
            return as_jpeg(fh.read())
    except (OSError, ValueError):
        return None  # a missing or unreadable file exports as "no photo", as the printed form does


def lrmx_from_person(
    person: Person,
    *,
    on: dt.date | None = None,
    proposed_post: str = "",
    proposed_removal: str = "",
    reason: str = "",
    reporting_unit: str = "",
    filled_by: str = "",
) -> LrmxPerson:
    """What an .lrmx file says about `person` at `on` (today by default); the form-only fields from the args."""
    on = on or timezone.localdate()
    educations = list(person.educations.all())
    full_time = _education(educations, c.EducationKind.FULL_TIME)
    in_service = _education(educations, c.EducationKind.IN_SERVICE)
    family = tuple(
        LrmxFamilyItem(
            relation=texts.relation_label(
                f.relation, sex=person.sex, birth=person.birth_month, member_birth=f.birth_month
            ),
            name=f.name,
            birth_month=f.birth_month.replace(day=1) if f.birth_month else None,
            political_status=str(c.PoliticalStatus(f.political_status).label) if f.political_status else "",
            work_unit_and_post=f.work_unit_and_post,
        )
        for f in sorted(person.family.all(), key=lambda f: f.pk or 0)
    )
    return LrmxPerson(
        name=person.name,
        sex=person.sex,
        birth_month=person.birth_month,
        ethnicity=person.ethnicity,
        native_place=person.native_place,
        birthplace=person.birthplace,
        party_join=texts.party_join_text(person.political_status, person.party_join_date),
        work_start_month=person.work_start_date.replace(day=1) if person.work_start_date else None,
        health=person.health,
        professional_title=_title_text(person, on),
        specialty=person.specialty,
        full_time_level=full_time["level"],
        full_time_degree=full_time["degree"],
        full_time_level_school=full_time["level_school"],
        full_time_degree_school=full_time["degree_school"],
        in_service_level=in_service["level"],
        in_service_degree=in_service["degree"],
        in_service_level_school=in_service["level_school"],
        in_service_degree_school=in_service["degree_school"],
        current_post=current_post_text(person, on),
        proposed_post=proposed_post.strip(),
        proposed_removal=proposed_removal.strip(),
        resume="\n".join(facts.resume_lines(list(person.resume_entries.all()))),
        rewards=_rewards_text(person),
        appraisals=_appraisal_text(person, on),
        reason=reason.strip(),
        family=family,
        reporting_unit=reporting_unit.strip(),
        age_reference_date=on,
        filled_on=f"{on:%Y%m%d}",
        filled_by=filled_by.strip(),
        id_number=person.id_number or "",
        photo=_photo_bytes(person),
        version=s.VERSION,
    )


def write_person(person: Person, *, on: dt.date | None = None, **form) -> bytes:
    """`render_lrmx(lrmx_from_person(person, on=on, **form))`."""
    return render_lrmx(lrmx_from_person(person, on=on, **form))
