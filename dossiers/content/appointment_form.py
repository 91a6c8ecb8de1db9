"""Content of the 干部任免审批表 (regulations.md §6.1): plain JSON-able data built from the registry.

`build_appointment_form` reads one person as they stood on a date (计算年龄时间) and returns a dict whose
keys follow the national form's order (`FIELD_ORDER`). Nothing here renders; the template only prints.

Conventions decided here:
- Age (周岁) counts from the ID-card birth date; the printed 出生年月 is the archive's month (`birth_month`).
- Records dated after the form date are left out (later 简历 lines, rewards, titles, degrees, tenures).
- 学历学位: per kind (全日制 / 在职) the highest 学历 and, separately, the highest 学位 with their schools.
- 现任职务: current tenures at the date, the senior post first, posts of one unit joined with "、"
  ("示范区第一中学党总支书记、校长"); without a current tenure a school's staff member is "<学校>教师".
- 年度考核结果: the three calendar years before the form's year, in one sentence.
- Family rows carry both the birth month and the age at the date; `family_age` says which one the form
  prints (the common 2015 layout prints the age; settings.DOSSIER_FAMILY_AGE sets the default).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import itertools
import logging

from django.conf import settings

from cadres import choices as c
from cadres import facts
from cadres.models import Person

logger = logging.getLogger(__name__)

TITLE = "干部任免审批表"
PHOTO_MAX_SIZE = (376, 460)  # the exchange files' 4:5 crop (regulations.md §6.2)
APPRAISAL_YEARS = 3
NONE_TEXT = "无"

# (key, label) in the order the national form prints them.
FIELD_ORDER: tuple[tuple[str, str], ...] = (
    ("name", "姓名"),
    ("sex", "性别"),
    ("birth_month", "出生年月"),
    ("age", "年龄"),
    ("ethnicity", "民族"),
    ("native_place", "籍贯"),
    ("birthplace", "出生地"),
    ("party_join", "入党时间"),
    ("work_start", "参加工作时间"),
    ("health", "健康状况"),
    ("professional_title", "专业技术职务"),
    ("specialty", "熟悉专业有何专长"),
    ("full_time_education", "全日制教育"),
    ("in_service_education", "在职教育"),
    ("current_post", "现任职务"),
    ("proposed_post", "拟任职务"),
    ("proposed_removal", "拟免职务"),
    ("resume", "简历"),
    ("rewards", "奖惩情况"),
    ("appraisal", "年度考核结果"),
    ("reason", "任免理由"),
    ("family", "家庭主要成员及重要社会关系"),
    ("reporting_unit", "呈报单位"),
    ("age_date", "计算年龄时间"),
    ("filled_by", "填表人"),
    ("photo", "照片"),
)

_PARTY = (c.PoliticalStatus.CPC_MEMBER, c.PoliticalStatus.CPC_PROBATIONARY)
# 配偶、子女、父母、配偶的父母、兄弟姐妹 … : the order in which the form lists relatives.
_RELATION_ORDER = {
    c.Relation.SPOUSE: 0,
    c.Relation.SON: 1,
    c.Relation.DAUGHTER: 1,
    c.Relation.FATHER: 2,
    c.Relation.MOTHER: 3,
    c.Relation.FATHER_IN_LAW: 4,
    c.Relation.MOTHER_IN_LAW: 5,
    c.Relation.BROTHER: 6,
    c.Relation.SISTER: 6,
    c.Relation.SON_IN_LAW: 7,
    c.Relation.DAUGHTER_IN_LAW: 7,
}
_BY_BIRTH = {1, 6}  # ranks whose members are listed eldest first
# In-laws are named from the person's side: a man's wife's father is 岳父, a woman's husband's father 公公.
_IN_LAW_NAMES = {
    (c.Relation.FATHER_IN_LAW, c.Sex.MALE): "岳父",
    (c.Relation.FATHER_IN_LAW, c.Sex.FEMALE): "公公",
    (c.Relation.MOTHER_IN_LAW, c.Sex.MALE): "岳母",
    (c.Relation.MOTHER_IN_LAW, c.Sex.FEMALE): "婆婆",
}


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value else ""


def _month(value: dt.date | None) -> str:
    return facts.format_month(value)


def _school(education) -> str:
    major = education.major.strip()
    if major and not major.endswith("专业"):
        major += "专业"
    return f"{education.institution}{major}"


def education_summary(educations, kind: str) -> dict:
    """Highest 学历 and highest 学位 of one kind (`facts.education_records`), with the school and major where
    each was obtained."""
    summary = {"level": "", "degree": "", "level_school": "", "degree_school": "", "schools": []}
    by_level, by_degree = facts.education_records(educations, kind)
    if by_level is None:
        return summary
    summary["level"] = _label(c.EducationLevel, by_level.level)
    summary["level_school"] = _school(by_level)
    if by_degree is not None:
        summary["degree"] = _label(c.Degree, by_degree.degree)
        summary["degree_school"] = _school(by_degree)
    summary["schools"] = list(dict.fromkeys(s for s in (summary["level_school"], summary["degree_school"]) if s))
    return summary


def current_post_text(person: Person, tenures, on: dt.date) -> str:
    """现任职务 at `on` (`facts.current_post_text`); someone with no post is a teacher of their unit."""
    text = facts.current_post_text(tenures, on)
    if text:
        return text
    org = person.organization
    return f"{org.name}教师" if org.kind == c.OrgKind.SCHOOL else org.name


# A record may hold just the honour ("2012年度优秀教育工作者") or the sanction ("警告"); the form writes a verb.
_REWARD_VERBS = ("授予", "荣获", "获得", "获", "被评为", "评为", "记", "嘉奖", "表彰", "通报表扬", "受到")
_TITLE_ENDINGS = ("者", "师", "员", "手", "兵", "人", "任", "范", "星", "长", "才", "干")
_SANCTIONS = ("警告", "记过", "记大过", "降级", "撤职", "降低岗位等级", "开除")


def reward_sentence(kind: str, description: str) -> str:
    """The record's words with the verb the form uses: 授予…称号 for an honour, 给予…处分 for a sanction."""
    text = description.strip().rstrip("。")
    if kind == c.RewardKind.PUNISHMENT:
        sanction = text.removesuffix("处分")
        return f"给予{sanction}处分" if sanction in _SANCTIONS else text
    if not text or text.startswith(_REWARD_VERBS):
        return text
    return f"授予{text}{'称号' if text.endswith(_TITLE_ENDINGS) else ''}"


def reward_lines(records, on: dt.date) -> list[str]:
    """奖惩情况 lines "YYYY年MM月，经××批准，…" in date order; ["无"] when there are none."""
    lines = []
    for r in sorted((r for r in records if r.date <= on), key=lambda r: (r.date, r.pk or 0)):
        when = f"{r.date.year}年{r.date.month:02d}月"
        text = reward_sentence(r.kind, r.description)
        lines.append(f"{when}，经{r.approver}批准，{text}。" if r.approver else f"{when}，{text}。")
    return lines or [NONE_TEXT]


def appraisal_sentence(appraisals, on: dt.date, years: int = APPRAISAL_YEARS) -> str:
    """The last `years` annual appraisals before `on`'s year in one sentence ("无" when none).

    "2023年、2024年、2025年年度考核均为合格" when all agree; otherwise runs of equal grades in year order:
    "2023年度考核为优秀，2024年、2025年年度考核为合格".
    """
    wanted = range(on.year - years, on.year)
    found = sorted((a.year, _label(c.AppraisalGrade, a.grade)) for a in appraisals if a.year in wanted)
    if not found:
        return NONE_TEXT
    runs = [(grade, [year for year, _ in group]) for grade, group in itertools.groupby(found, key=lambda x: x[1])]
    if len(runs) == 1 and len(found) > 1:
        grade, run_years = runs[0]
        return "、".join(f"{y}年" for y in run_years) + f"年度考核均为{grade}"
    parts = []
    for grade, run_years in runs:
        if len(run_years) == 1:
            parts.append(f"{run_years[0]}年度考核为{grade}")
        else:
            parts.append("、".join(f"{y}年" for y in run_years) + f"年度考核为{grade}")
    return "，".join(parts)


def family_rows(members, on: dt.date, person_sex: str = "") -> list[dict]:
    """家庭主要成员及重要社会关系 in the form's order (spouse, children, parents, in-laws, siblings …)."""

    def sort_key(f):
        rank = _RELATION_ORDER.get(f.relation, 10 + list(c.Relation).index(f.relation))
        birth = (f.birth_month or dt.date.max) if rank in _BY_BIRTH else dt.date.min
        return (rank, birth, f.pk or 0)

    rows = []
    for f in sorted(members, key=sort_key):
        rows.append(
            {
                "relation": _IN_LAW_NAMES.get((f.relation, person_sex)) or _label(c.Relation, f.relation),
                "name": f.name,
                "birth_month": _month(f.birth_month),
                "age": facts.age_on(f.birth_month, on) if f.birth_month else None,
                "political_status": _label(c.PoliticalStatus, f.political_status),
                "work_unit_and_post": f.work_unit_and_post,
            }
        )
    return rows


def photo_data_uri(person: Person) -> str:
    """The photo as a JPEG data: URI, no larger than 376×460; "" without a (readable) photo."""
    if not person.photo:
        return ""
    from PIL import Image, ImageOps

    try:
        with person.photo.open("rb") as fh, Image.open(fh) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail(PHOTO_MAX_SIZE, Image.Resampling.LANCZOS)
            out = io.BytesIO()
            image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError):
        logger.warning("photo of person %s could not be read; the form prints an empty photo box", person.pk)
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def build_appointment_form(
    person: Person,
    *,
    on: dt.date,
    proposed_post: str = "",
    proposed_removal: str = "",
    reason: str = "",
    reporting_unit: str = "",
    filled_by: str = "",
    family_age: bool | None = None,
) -> dict:
    """Everything the form prints about `person` at `on`, as plain data in the form's order."""
    if family_age is None:
        family_age = getattr(settings, "DOSSIER_FAMILY_AGE", True)
    titles = [t for t in person.titles.all() if t.obtained_on <= on]
    title = max(titles, key=lambda t: (t.obtained_on, t.pk or 0)) if titles else None
    educations = [e for e in person.educations.all() if e.end_date is None or e.end_date <= on]
    tenures = list(person.tenures.select_related("post__organization"))
    resume_entries = [e for e in person.resume_entries.all() if e.start_month <= on]
    kept = {e.pk for e in resume_entries}
    resume_entries = [e for e in resume_entries if e.during_id is None or e.during_id in kept]
    if person.political_status in _PARTY and person.party_join_date:
        party_join = _month(person.party_join_date)
    else:
        party_join = _label(c.PoliticalStatus, person.political_status)
    age = facts.age_on(person.birth_date, on)

    content = {
        "name": person.name,
        "sex": _label(c.Sex, person.sex),
        "birth_month": _month(person.birth_month),
        "age": age,
        "ethnicity": person.ethnicity,
        "native_place": person.native_place,
        "birthplace": person.birthplace,
        "party_join": party_join,
        "work_start": _month(person.work_start_date),
        "health": person.health,
        "professional_title": _label(c.TeacherTitle, title.title) if title else "",
        "specialty": person.specialty,
        "full_time_education": education_summary(educations, c.EducationKind.FULL_TIME),
        "in_service_education": education_summary(educations, c.EducationKind.IN_SERVICE),
        "current_post": current_post_text(person, tenures, on),
        "proposed_post": proposed_post.strip(),
        "proposed_removal": proposed_removal.strip(),
        "resume": facts.resume_lines(resume_entries),
        "rewards": reward_lines(person.rewards_punishments.all(), on),
        "appraisal": appraisal_sentence(person.appraisals.all(), on),
        "reason": reason.strip(),
        "family": family_rows(person.family.all(), on, person.sex),
        "reporting_unit": reporting_unit.strip(),
        "age_date": f"{on:%Y.%m.%d}",
        "filled_by": filled_by.strip(),
        "photo": photo_data_uri(person),
    }
    content.update(
        {
            "title": TITLE,
            "age_text": f"({age}岁)",
            "on": on.isoformat(),
            "family_age": bool(family_age),
        }
    )
    return content
