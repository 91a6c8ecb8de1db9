"""后备干部小传: a reserve cadre's one-page profile (DOMAIN §4, regulations.md §3).

Guarantees: the profile text (自然状况、主要经历、德才特点、工作实绩与主要不足) is at most 500 characters, counted
the way offices count 字数 (every non-blank character, punctuation included); age in full years at `as_of`
from the birth month; the pool facts (正职/副职后备, 近期/中长期, origin, target post, entry date — "拟入库" before the
decision); training records with their total hours; the photo, when given, is a base64 JPEG or PNG `data:`
URI (the only kind of image the PDF renderer may load) of at most 2 MB. Raises ValueError (Chinese) otherwise.
"""

from __future__ import annotations

import base64
import binascii
import re
from decimal import Decimal

from django.utils.translation import gettext as _

from .support import Fields, char_count, cn_date, cn_month, dot_month, fmt_plain, full_years_from_month

MAX_CHARS = 500
MAX_PHOTO_BYTES = 2 * 1024 * 1024
KINDS = ("正职后备", "副职后备")
TERMS = ("近期可提拔使用", "中长期培养")
ORIGINS = ("学校党组织推荐", "教育局推荐", "民主推荐")
PHOTO = re.compile(r"^data:image/(jpeg|png);base64,([A-Za-z0-9+/=\s]+)$")


def _photo(f: Fields) -> str:
    value = f.text("photo", "照片", required=False)
    if not value:
        return ""
    match = PHOTO.match(value)
    if not match:
        raise f.error(_("照片应为JPEG或PNG格式的data URI"))
    try:
        raw = base64.b64decode(re.sub(r"\s", "", match.group(2)), validate=True)
    except (binascii.Error, ValueError):
        raise f.error(_("照片数据不是有效的base64编码")) from None
    if len(raw) > MAX_PHOTO_BYTES:
        raise f.error(_("照片不能大于2MB"))
    signature = b"\xff\xd8\xff" if match.group(1) == "jpeg" else b"\x89PNG"
    if not raw.startswith(signature):
        raise f.error(_("照片内容与声明的格式不符"))
    return value


def _education(f: Fields, key: str, label: str, *, required: bool) -> dict:
    e = f.mapping(key, label, required=required)
    education = {
        "level": e.text("level", "学历", required=required),
        "degree": e.text("degree", "学位", required=False),
        "school": e.text("school", "毕业院校系及专业", required=required),
    }
    e.done()
    return education


def build_reserve_profile(**data) -> dict:
    """Content of one 后备干部小传."""
    f = Fields(data)
    name = f.text("name", "姓名")
    sex = f.sex()
    birth = f.month("birth", "出生年月")
    ethnicity = f.text("ethnicity", "民族")
    native_place = f.text("native_place", "籍贯")
    political = f.text("political_status", "政治面貌")
    party_join = f.month("party_join", "入党时间", required=False)
    work_start = f.month("work_start", "参加工作时间")
    title = f.text("title", "专业技术职务")
    full_time = _education(f, "full_time_education", "全日制教育", required=True)
    in_service = _education(f, "in_service_education", "在职教育", required=False)
    unit = f.text("unit", "工作单位")
    current_post = f.text("current_post", "现任职务")
    post_since = f.month("current_post_since", "任现职时间")
    kind = f.choice("kind", "后备类别", KINDS)
    term = f.choice("term", "使用期限", TERMS)
    origin = f.choice("origin", "推荐方式", ORIGINS)
    target_post = f.text("target_post", "拟培养方向")
    admitted_on = f.date("admitted_on", "入库日期", required=False)  # none yet: the 小传 goes to the admission meeting
    paragraphs = f.paragraphs("profile", "小传")
    count = char_count("".join(paragraphs))
    if count > MAX_CHARS:
        raise f.error(_("小传不能超过%(m)d字，现有%(n)d字") % {"m": MAX_CHARS, "n": count})
    appraisals = []
    for item in f.items("appraisals", "年度考核", required=False):
        appraisals.append({"year": item.integer("year", "年度", minimum=1949), "grade": item.text("grade", "等次")})
        item.done()
    trainings = []
    for item in f.items("trainings", "培训记录", required=False):
        start = item.date("start", "开始日期")
        end = item.date("end", "结束日期")
        if end < start:
            raise item.error(_("培训结束日期早于开始日期"))
        hours = item.decimal("hours", "学时", minimum=Decimal("0.5"))
        trainings.append(
            {
                "period": f"{start:%Y.%m.%d}—{end:%Y.%m.%d}",
                "name": item.text("name", "培训项目"),
                "organizer": item.text("organizer", "主办单位"),
                "hours": fmt_plain(hours),
                "_hours": hours,
            }
        )
        item.done()
    photo = _photo(f)
    as_of = f.date("as_of", "计算年龄日期")
    day = f.date("date", "填表日期")
    f.done()
    total_hours = sum((t.pop("_hours") for t in trainings), Decimal(0))
    appraisals.sort(key=lambda a: a["year"])
    appraisal_text = "；".join(f"{a['year']}年{a['grade']}" for a in appraisals[-3:]) or _("无")
    return {
        "title": _("后备干部小传"),
        "name": name,
        "sex": sex,
        "birth_dot": dot_month(*birth),
        "age": full_years_from_month(*birth, as_of),
        "ethnicity": ethnicity,
        "native_place": native_place,
        "political_status": political,
        "party_join_dot": dot_month(*party_join) if party_join else "",
        "work_start_dot": dot_month(*work_start),
        "title_rank": title,
        "full_time": full_time,
        "in_service": in_service,
        "unit": unit,
        "current_post": current_post,
        "current_post_since": cn_month(*post_since),
        "kind": kind,
        "term": term,
        "origin": origin,
        "target_post": target_post,
        "admitted_on_text": cn_date(admitted_on) if admitted_on else _("拟入库"),
        "profile": paragraphs,
        "profile_chars": count,
        "max_chars": MAX_CHARS,
        "appraisal_text": appraisal_text,
        "trainings": trainings,
        "training_hours": fmt_plain(total_hours),
        "photo": photo,
        "as_of_text": cn_date(as_of),
        "date_text": cn_date(day),
        "confidentiality": _("内部资料 注意保密"),
    }
