"""The .lrmx schema (regulations.md §6.2) as data: element names, their order, labels and value kinds.

The writer emits exactly `PERSON_ELEMENTS` in this order (Version 3.2.1.16 layout); the reader looks
elements up by name, so it accepts any order and ignores elements it does not know (the newer
`DaoLingNianYue` and `GaiGeQianRenZhiNianLingJieXian`, for instance).
"""

from __future__ import annotations

from dataclasses import dataclass

ROOT = "Person"
FAMILY = "JiaTingChengYuan"
FAMILY_ITEM = "Item"
VERSION = "3.2.1.16"
ENCODING = "UTF-8"
FILE_SUFFIX = ".lrmx"
CONTENT_TYPE = "application/xml"

# National tools and owip end every 简历 / 奖惩 line with CRLF. An XML parser hands line ends back as LF
# (XML 1.0 §2.11), so the reader splits on any line break and keeps "\n" in its values.
LINE_BREAK = "\r\n"

# Limits: a real file with a 376×460 photo is well under 200 KB.
MAX_PHOTO_BYTES = 2 * 1024 * 1024
MAX_PHOTO_PIXELS = 16_000_000  # 4000×4000; the reader decodes the whole image (≈48 MB as RGB)
MAX_PHOTO_BASE64_CHARS = (MAX_PHOTO_BYTES + 2) // 3 * 4
# The largest photo's base64 text (2.7 MB) plus room for every other element.
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_FAMILY_ITEMS = 50  # editors offer 10 rows; more than this is not a 任免审批表

# Value kinds: how an element's text is read and written.
TEXT = "text"  # one line, stripped
LINES = "lines"  # several lines (简历, 奖惩 …), each stripped, empty lines dropped
SEX = "sex"  # 男 / 女, held as the cadres.choices.Sex code
MONTH = "month"  # YYYYMM (YYYY.MM and YYYY-MM are read too), held as the 1st of the month
PARTY = "party"  # 入党时间: YYYYMM, optionally followed by a note, or text for non-members
DAY = "day"  # YYYYMMDD or YYYYMM, held as a date
PHOTO = "photo"  # base64 JPEG (PNG is read too), held as the decoded bytes
FAMILY_KIND = "family"


@dataclass(frozen=True)
class Element:
    tag: str
    label: str
    field: str
    kind: str = TEXT


PERSON_ELEMENTS: tuple[Element, ...] = (
    Element("XingMing", "姓名", "name"),
    Element("XingBie", "性别", "sex", SEX),
    Element("ChuShengNianYue", "出生年月", "birth_month", MONTH),
    Element("MinZu", "民族", "ethnicity"),
    Element("JiGuan", "籍贯", "native_place"),
    Element("ChuShengDi", "出生地", "birthplace"),
    Element("RuDangShiJian", "入党时间", "party_join", PARTY),
    Element("CanJiaGongZuoShiJian", "参加工作时间", "work_start_month", MONTH),
    Element("JianKangZhuangKuang", "健康状况", "health"),
    Element("ZhuanYeJiShuZhiWu", "专业技术职务", "professional_title"),
    Element("ShuXiZhuanYeYouHeZhuanChang", "熟悉专业有何专长", "specialty"),
    Element("QuanRiZhiJiaoYu_XueLi", "全日制教育学历", "full_time_level"),
    Element("QuanRiZhiJiaoYu_XueWei", "全日制教育学位", "full_time_degree"),
    Element("QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "全日制教育学历毕业院校系及专业", "full_time_level_school"),
    Element("QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "全日制教育学位毕业院校系及专业", "full_time_degree_school"),
    Element("ZaiZhiJiaoYu_XueLi", "在职教育学历", "in_service_level"),
    Element("ZaiZhiJiaoYu_XueWei", "在职教育学位", "in_service_degree"),
    Element("ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "在职教育学历毕业院校系及专业", "in_service_level_school"),
    Element("ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "在职教育学位毕业院校系及专业", "in_service_degree_school"),
    Element("XianRenZhiWu", "现任职务", "current_post"),
    Element("NiRenZhiWu", "拟任职务", "proposed_post"),
    Element("NiMianZhiWu", "拟免职务", "proposed_removal"),
    Element("JianLi", "简历", "resume", LINES),
    Element("JiangChengQingKuang", "奖惩情况", "rewards", LINES),
    Element("NianDuKaoHeJieGuo", "年度考核结果", "appraisals", LINES),
    Element("RenMianLiYou", "任免理由", "reason", LINES),
    Element(FAMILY, "家庭主要成员及重要社会关系", "family", FAMILY_KIND),
    Element("ChengBaoDanWei", "呈报单位", "reporting_unit"),
    Element("JiSuanNianLingShiJian", "计算年龄时间", "age_reference_date", DAY),
    Element("TianBiaoShiJian", "填表时间", "filled_on"),
    Element("TianBiaoRen", "填表人", "filled_by"),
    Element("ShenFenZheng", "身份证号", "id_number"),
    Element("ZhaoPian", "照片", "photo", PHOTO),
    Element("Version", "版本", "version"),
)

FAMILY_ELEMENTS: tuple[Element, ...] = (
    Element("ChengWei", "称谓", "relation"),
    Element("XingMing", "姓名", "name"),
    Element("ChuShengRiQi", "出生日期", "birth_month", MONTH),
    Element("ZhengZhiMianMao", "政治面貌", "political_status"),
    Element("GongZuoDanWeiJiZhiWu", "工作单位及职务", "work_unit_and_post"),
)

REQUIRED_TAGS = ("XingMing", "XingBie", "ChuShengNianYue")

# Fields that describe one appointment form, not the person: the registry does not keep them, so an
# import ignores them and an export fills them from its arguments. `current_post` is derived from the
# tenures (任职经历), which an import does not create.
FORM_ONLY_FIELDS = frozenset(
    {
        "current_post",
        "proposed_post",
        "proposed_removal",
        "reason",
        "reporting_unit",
        "age_reference_date",
        "filled_on",
        "filled_by",
        "version",
    }
)

BY_TAG = {e.tag: e for e in PERSON_ELEMENTS}
BY_FIELD = {e.field: e for e in PERSON_ELEMENTS}
