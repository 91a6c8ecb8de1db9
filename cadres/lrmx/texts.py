"""The writing conventions of the 任免审批表 (regulations.md §6.4) and the labels an .lrmx file uses.

Each value the registry stores has one written form (`*_text` / `*_label` functions) and a reader that
takes that form back, plus the common variants found in files from other systems. Readers return
(value, warnings): a warning is a Chinese sentence saying what could not be taken over and why.
Labels written to a file are the Chinese source strings whatever the user's language.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .. import choices as c

NONE_TEXT = "无"


def _norm(text: str) -> str:
    """Full-width digits and punctuation folded (files mix both)."""
    return unicodedata.normalize("NFKC", text or "").strip()


def _is_none(text: str) -> bool:
    return _norm(text).strip("() ") in ("", NONE_TEXT)


# ------------------------------------------------------------------------------------------ 简历

# owip's CadreUtils.parseResume pattern, with the open end ("--" and spaces) and "至今" allowed.
_PERIOD = re.compile(r"^(\d{4})\.(\d{2})\s*[-—～－~]{1,2}\s*(?:(\d{4})\.(\d{2})|至今)?\s*")
_DURING = re.compile(r"^[（(]\s*其间\s*[：:]\s*(.*?)\s*[）)]$")
_INLINE_DURING = re.compile(r"^(.*?)\s*([（(]\s*其间\s*[：:].*[）)])$")
RESUME_TEXT_MAX = 120
RESUME_LINES_MAX = 200


@dataclass
class ResumeLine:
    start: dt.date
    end: dt.date | None
    text: str
    during: list[ResumeLine] = field(default_factory=list)


class ResumeError(ValueError):
    pass


def _month(year: str, month: str, line: str) -> dt.date:
    try:
        value = dt.date(int(year), int(month), 1)
    except ValueError:
        raise ResumeError(
            _("简历“%(line)s”中的年月 %(y)s.%(m)s 无效。") % {"line": line, "y": year, "m": month}
        ) from None
    if not 1900 <= value.year <= 2100:
        raise ResumeError(_("简历“%(line)s”中的年份 %(y)s 不合理。") % {"line": line, "y": year})
    return value


def _period(text: str, line: str) -> tuple[dt.date, dt.date | None, str] | None:
    m = _PERIOD.match(text)
    if not m:
        return None
    start = _month(m.group(1), m.group(2), line)
    end = _month(m.group(3), m.group(4), line) if m.group(3) else None
    return start, end, text[m.end() :].strip()


def parse_resume(text: str) -> tuple[list[ResumeLine], list[str]]:
    """简历 text → main lines with their （其间：…） children; raises ResumeError for an impossible date.

    A line without a date continues the line before it; a 其间 part without its own dates takes its main
    line's period (with a warning).
    """
    lines: list[ResumeLine] = []
    warnings: list[str] = []
    last: ResumeLine | None = None
    for raw in (_norm_line(x) for x in (text or "").splitlines()):
        if not raw:
            continue
        inline = _INLINE_DURING.match(raw)
        parts = [inline.group(1), inline.group(2)] if inline and inline.group(1) else [raw]
        for part in parts:
            during = _DURING.match(part)
            if during:
                if not lines:
                    warnings.append(_("简历“%(line)s”前没有主条目，按主条目导入。") % {"line": part})
                for segment in re.split(r"\s*[；;]\s*", during.group(1)):
                    if not segment:
                        continue
                    period = _period(segment, part)
                    if lines and period is None:
                        main = lines[-1]
                        warnings.append(_("其间经历“%(s)s”未注明起止时间，按所属条目的时间导入。") % {"s": segment})
                        period = (main.start, main.end, segment)
                    if period is None:
                        continue
                    entry = ResumeLine(*period)
                    (lines[-1].during if lines else lines).append(entry)
                    last = entry
                continue
            period = _period(part, part)
            if period:
                last = ResumeLine(*period)
                lines.append(last)
            elif last is not None:
                last.text += part
            else:
                warnings.append(_("简历“%(line)s”没有起止时间，未导入。") % {"line": part})
    if len(lines) + sum(len(x.during) for x in lines) > RESUME_LINES_MAX:
        raise ResumeError(_("简历超过 %(n)d 条，不像是一份干部任免审批表。") % {"n": RESUME_LINES_MAX})
    for entry in itertools.chain(lines, *(x.during for x in lines)):
        if len(entry.text) > RESUME_TEXT_MAX:
            raise ResumeError(
                _("简历“%(text)s…”超过 %(n)d 字，请拆分后导入。") % {"text": entry.text[:20], "n": RESUME_TEXT_MAX}
            )
        if entry.end and entry.end < entry.start:
            warnings.append(
                _("简历“%(text)s”的截止年月早于起始年月。") % {"text": entry.text[:30]},
            )
    return lines, warnings


def _norm_line(text: str) -> str:
    # NFKC would turn the full-width brackets of （其间：…） into ASCII; fold digits and dots only.
    return re.sub(r"[０-９．－～]", lambda m: unicodedata.normalize("NFKC", m.group()), text).strip()


# ------------------------------------------------------------------------------------- 年度考核

_GRADES = (
    ("基本合格", c.AppraisalGrade.BASIC),
    ("基本称职", c.AppraisalGrade.BASIC),
    ("不合格", c.AppraisalGrade.INCOMPETENT),
    ("不称职", c.AppraisalGrade.INCOMPETENT),
    ("不确定等次", c.AppraisalGrade.UNRATED),
    ("不定等次", c.AppraisalGrade.UNRATED),
    ("优秀", c.AppraisalGrade.EXCELLENT),
    ("合格", c.AppraisalGrade.COMPETENT),
    ("称职", c.AppraisalGrade.COMPETENT),
)
_GRADE = re.compile("|".join(label for label, _code in _GRADES))
_GRADE_CODE = dict(_GRADES)
_YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*年?\s*[-—～~至到]\s*((?:19|20)\d{2})")
_YEAR = re.compile(r"(?:19|20)\d{2}")


def appraisal_sentence(records: list[tuple[int, str]]) -> str:
    """(year, grade code) pairs → "2022年、2023年、2024年年度考核均为合格" or runs of equal grades:
    "2023年度考核为优秀，2024年、2025年年度考核为合格"; "" when there are none."""
    found = sorted(records)
    if not found:
        return ""
    labelled = [(year, str(c.AppraisalGrade(grade).label)) for year, grade in found]
    runs = [(grade, [y for y, _g in group]) for grade, group in itertools.groupby(labelled, key=lambda x: x[1])]
    if len(runs) == 1 and len(found) > 1:
        grade, years = runs[0]
        return "、".join(f"{y}年" for y in years) + f"年度考核均为{grade}"
    parts = []
    for grade, years in runs:
        if len(years) == 1:
            parts.append(f"{years[0]}年度考核为{grade}")
        else:
            parts.append("、".join(f"{y}年" for y in years) + f"年度考核为{grade}")
    return "，".join(parts)


def parse_appraisals(text: str) -> tuple[dict[int, str], list[str]]:
    """年度考核结果 → {year: grade code}. Reads the sentence above, owip's "2019年：合格；2020年：优秀",
    "2021年度考核优秀", "2019—2021年均为称职" (称职 counts as 合格). Unreadable text gives a warning and {}."""
    if _is_none(text):
        return {}, []
    result: dict[int, str] = {}
    pending: list[int] = []
    for segment in re.split(r"[,;。\n]", _norm(text)):
        years: list[int] = []
        for a, b in _YEAR_RANGE.findall(segment):
            years.extend(range(int(a), int(b) + 1))
        years.extend(int(y) for y in _YEAR.findall(_YEAR_RANGE.sub("", segment)))
        grade = _GRADE.search(segment)
        pending.extend(years)
        if grade and pending:
            for year in pending:
                result[year] = _GRADE_CODE[grade.group()]
            pending = []
    if pending or not result:
        return {}, [_("年度考核结果“%(t)s”无法解析，未导入。") % {"t": text}]
    return result, []


# ------------------------------------------------------------------------------------------ 奖惩

_REWARD_DATE = re.compile(r"^((?:19|20)\d{2})\s*[年.\-/]\s*(\d{1,2})\s*月?(?:\s*(\d{1,2})\s*日)?\s*[，,、:：]?\s*")
_APPROVER = re.compile(r"^经(.+?)批准\s*[，,]?\s*")
_PUNISHMENT_WORDS = ("警告", "记过", "记大过", "降级", "撤职", "开除", "处分", "诫勉", "通报批评", "留党察看")
REWARD_APPROVER_MAX = 60
REWARD_DESCRIPTION_MAX = 200


@dataclass(frozen=True)
class RewardLine:
    date: dt.date
    approver: str
    description: str
    kind: str


def reward_line(date: dt.date, approver: str, description: str) -> str:
    """ "YYYY年MM月，经××批准，…。" (the approver part only when known)."""
    when = f"{date.year}年{date.month:02d}月"
    description = description.strip().rstrip("。")
    return f"{when}，经{approver}批准，{description}。" if approver else f"{when}，{description}。"


def parse_rewards(text: str) -> tuple[list[RewardLine] | None, list[str]]:
    """奖惩情况 → lines; None when the text is empty (nothing said), [] for "无" (explicitly none)."""
    if not (text or "").strip():
        return None, []
    if _is_none(text):
        return [], []
    lines: list[RewardLine] = []
    warnings: list[str] = []
    for raw in (text or "").splitlines():
        for item in re.split(r"[；;。]\s*(?=(?:19|20)\d{2}\s*[年.])", raw.strip()):
            item = item.strip().rstrip("。；;")
            if not item:
                continue
            m = _REWARD_DATE.match(_norm_line(item))
            if not m:
                warnings.append(_("奖惩情况“%(t)s”没有年月，未导入。") % {"t": item})
                continue
            try:
                when = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
            except ValueError:
                warnings.append(_("奖惩情况“%(t)s”的日期无效，未导入。") % {"t": item})
                continue
            rest = _norm_line(item)[m.end() :]
            approver = ""
            a = _APPROVER.match(rest)
            if a:
                approver, rest = a.group(1).strip(), rest[a.end() :]
            description = rest.strip().rstrip("。")
            if not description or len(description) > REWARD_DESCRIPTION_MAX or len(approver) > REWARD_APPROVER_MAX:
                warnings.append(_("奖惩情况“%(t)s”内容为空或过长，未导入。") % {"t": item[:40]})
                continue
            kind = c.RewardKind.PUNISHMENT if any(w in description for w in _PUNISHMENT_WORDS) else c.RewardKind.REWARD
            lines.append(RewardLine(when, approver, description, kind))
    return lines, warnings


# ------------------------------------------------------------------------------------- 学历学位

LEVEL_OF_DEGREE = {
    c.Degree.BACHELOR: c.EducationLevel.BACHELOR,
    c.Degree.MASTER: c.EducationLevel.MASTER,
    c.Degree.DOCTOR: c.EducationLevel.DOCTOR,
}
_INSTITUTION = re.compile(r"^(.*?(?:大学|学院|学校|党校|研究院|研究所|分校))(.*)$")


def degree_rank(code: str) -> int:
    return c.DEGREE_RANK.get(code, 0)


def parse_degree(text: str) -> str | None:
    """学位 text → Degree code ("" for none); None when unreadable. 教育学硕士 → master."""
    t = _norm(text)
    if _is_none(t):
        return c.Degree.NONE
    for word, code in (("博士", c.Degree.DOCTOR), ("硕士", c.Degree.MASTER), ("学士", c.Degree.BACHELOR)):
        if word in t:
            return code
    return None


def parse_level(text: str, degree: str = "") -> str | None:
    """学历 text → EducationLevel code; None when unreadable. 大学 → 本科, 研究生 → 硕士 (博士 with a doctorate)."""
    t = _norm(text)
    rules = (
        (("博士",), c.EducationLevel.DOCTOR),
        (("硕士",), c.EducationLevel.MASTER),
        (("研究生",), c.EducationLevel.DOCTOR if degree == c.Degree.DOCTOR else c.EducationLevel.MASTER),
        (("专科", "大专"), c.EducationLevel.JUNIOR_COLLEGE),
        (("本科",), c.EducationLevel.BACHELOR),
        (("中专", "中等专业", "中等师范", "中师", "中技", "技校"), c.EducationLevel.SECONDARY_VOCATIONAL),
        (("高中", "职高", "职业高中"), c.EducationLevel.HIGH_SCHOOL),
    )
    for words, code in rules:
        if any(w in t for w in words):
            return code
    if t in ("大学", "大学毕业"):
        return c.EducationLevel.BACHELOR
    return None


def school_text(institution: str, major: str) -> str:
    """毕业院校系及专业 as the form writes it: "山东师范大学数学与应用数学专业".

    When `split_school` could not cut that text back into the same institution and major (an institution
    without 大学/学院 … in its name, or with text after it: "北京师范大学珠海分校"), a space separates the two.
    """
    institution = (institution or "").strip()
    major = (major or "").strip()
    written = major if not major or major.endswith("专业") else major + "专业"
    plain = f"{institution}{written}"
    wanted = (institution, major.removesuffix("专业") if len(major) > 2 else major)
    if not written or split_school(plain) == wanted:
        return plain
    spaced = f"{institution} {written}"
    return spaced if split_school(spaced) == wanted else plain


def split_school(text: str) -> tuple[str, str]:
    """毕业院校系及专业 → (institution, major); the trailing 专业 is dropped from the major. A space separates
    the two when there is one; otherwise the text is cut after the first 大学/学院/学校/党校 …, and text
    without such a word is all institution."""
    t = " ".join((text or "").split())
    if " " in t:
        institution, major = t.split(" ", 1)
    else:
        m = _INSTITUTION.match(t)
        if not m:
            return t, ""
        institution, major = m.group(1), m.group(2)
    major = major.strip()
    if major.endswith("专业") and len(major) > 2:
        major = major[:-2]
    return institution.strip(), major


# --------------------------------------------------------------------------------------- 称谓

_RELATIONS: dict[str, str] = {str(label): code for code, label in c.Relation.choices}
_RELATIONS.update(
    {
        **dict.fromkeys(("妻子", "丈夫", "爱人", "妻", "夫"), c.Relation.SPOUSE),
        **dict.fromkeys(("父", "爸爸"), c.Relation.FATHER),
        **dict.fromkeys(("母", "妈妈"), c.Relation.MOTHER),
        **dict.fromkeys(("子", "儿", "长子", "次子", "三子"), c.Relation.SON),
        **dict.fromkeys(("女", "长女", "次女", "三女"), c.Relation.DAUGHTER),
        **dict.fromkeys(("哥哥", "弟弟", "兄", "弟", "长兄", "兄长"), c.Relation.BROTHER),
        **dict.fromkeys(("姐姐", "妹妹", "姐", "妹"), c.Relation.SISTER),
        **dict.fromkeys(("祖父", "祖母", "外祖父", "外祖母", "爷爷", "奶奶", "外公", "外婆"), c.Relation.GRANDPARENT),
        **dict.fromkeys(("孙子", "孙女", "外孙", "外孙子", "外孙女"), c.Relation.GRANDCHILD),
        **dict.fromkeys(
            ("伯父", "叔父", "叔叔", "伯伯", "姑妈", "姑姑", "舅舅", "舅父", "姨妈", "姨母", "伯母", "婶婶", "舅妈"),
            c.Relation.UNCLE_AUNT,
        ),
        **dict.fromkeys(("侄子", "侄女", "外甥", "外甥女"), c.Relation.NEPHEW_NIECE),
        **dict.fromkeys(
            ("堂兄", "堂弟", "堂姐", "堂妹", "表兄", "表弟", "表姐", "表妹", "表哥", "表姐妹", "堂兄弟"),
            c.Relation.COUSIN,
        ),
        **dict.fromkeys(("岳父", "公公"), c.Relation.FATHER_IN_LAW),
        **dict.fromkeys(("岳母", "婆婆"), c.Relation.MOTHER_IN_LAW),
        **dict.fromkeys(("儿媳妇",), c.Relation.DAUGHTER_IN_LAW),
        **dict.fromkeys(
            (
                "内兄",
                "内弟",
                "大姨子",
                "小姨子",
                "大伯子",
                "小叔子",
                "大姑子",
                "小姑子",
                "姐夫",
                "妹夫",
                "嫂子",
                "弟媳",
            ),
            c.Relation.SIBLING_IN_LAW,
        ),
        **dict.fromkeys(("养父", "养母", "养子", "养女"), c.Relation.ADOPTIVE),
        **dict.fromkeys(("继父", "继母", "继子", "继女"), c.Relation.STEP),
    }
)


def parse_relation(text: str) -> str | None:
    return _RELATIONS.get(_norm(text))


def relation_label(relation: str, *, sex: str, birth: dt.date | None, member_birth: dt.date | None) -> str:
    """称谓 as the national form writes it: 妻子/丈夫, 岳父/公公, 哥哥/弟弟 … from the person's sex and the
    two birth months; the registry's label where those do not decide it."""
    male = sex == c.Sex.MALE
    if relation == c.Relation.SPOUSE:
        return "妻子" if male else "丈夫"
    if relation == c.Relation.FATHER_IN_LAW:
        return "岳父" if male else "公公"
    if relation == c.Relation.MOTHER_IN_LAW:
        return "岳母" if male else "婆婆"
    if relation in (c.Relation.BROTHER, c.Relation.SISTER) and birth and member_birth and birth != member_birth:
        elder = member_birth < birth
        if relation == c.Relation.BROTHER:
            return "哥哥" if elder else "弟弟"
        return "姐姐" if elder else "妹妹"
    return str(c.Relation(relation).label)


# ------------------------------------------------------------------------------------- 政治面貌

_DEMOCRATIC = (
    "民革",
    "民盟",
    "民建",
    "民进",
    "农工",
    "致公",
    "九三",
    "台盟",
    "民主党派",
    "国民党革命委员会",
    "民主同盟",
    "民主建国会",
    "民主促进会",
    "台湾民主自治同盟",
)
_STATUS_WORDS = (
    (("预备党员",), c.PoliticalStatus.CPC_PROBATIONARY),
    (("中共党员", "共产党员", "党员"), c.PoliticalStatus.CPC_MEMBER),
    (("共青团员", "团员"), c.PoliticalStatus.CYL_MEMBER),
    (("无党派",), c.PoliticalStatus.NON_PARTISAN),
    (("群众",), c.PoliticalStatus.MASSES),
)


def parse_political_status(text: str) -> str | None:
    """政治面貌 text → PoliticalStatus code; None when unreadable (empty text too)."""
    t = _norm(text)
    if not t:
        return None
    if any(w in t for w in _DEMOCRATIC):
        return c.PoliticalStatus.DEMOCRATIC_PARTY
    for words, code in _STATUS_WORDS:
        if any(w in t for w in words):
            return code
    return None


PROBATIONARY_NOTE = "（预备党员）"


def party_join_text(status: str, joined: dt.date | None) -> str:
    """入党时间 as written: "200306" for members, "200306（预备党员）", "200306；民主党派", else the label."""
    if joined and status == c.PoliticalStatus.CPC_MEMBER:
        return f"{joined:%Y%m}"
    if joined and status == c.PoliticalStatus.CPC_PROBATIONARY:
        return f"{joined:%Y%m}{PROBATIONARY_NOTE}"
    if joined and status == c.PoliticalStatus.DEMOCRATIC_PARTY:
        return f"{joined:%Y%m}；{c.PoliticalStatus.DEMOCRATIC_PARTY.label}"
    return str(c.PoliticalStatus(status).label)


def party_from(joined: dt.date | None, note: str) -> str | None:
    """The political status a 入党时间 value means: a month alone is a CPC member; the note refines it."""
    if joined is None:
        return parse_political_status(note)
    if not note:
        return c.PoliticalStatus.CPC_MEMBER
    status = parse_political_status(note)
    return (
        status
        if status in (c.PoliticalStatus.CPC_PROBATIONARY, c.PoliticalStatus.DEMOCRATIC_PARTY)
        else (c.PoliticalStatus.CPC_MEMBER)
    )


# ------------------------------------------------------------------------------------ 专业技术职务

_TITLES = {str(label): code for code, label in c.TeacherTitle.choices}
_TITLE_DATE = re.compile(
    r"[（(]?\s*((?:19|20)\d{2})\s*[.年\-/]?\s*(\d{1,2})?\s*月?\s*(?:取得|评定|评聘|聘任)?\s*[)）]?$"
)


def parse_title(text: str) -> tuple[str | None, dt.date | None]:
    """专业技术职务 → (TeacherTitle code or None, month obtained if written after it: "高级教师（2012.12）").

    "中学高级教师" reads as 高级教师; the old 小学 titles (小学高级 = today's 一级) are not guessed.
    """
    t = _norm(text)
    when = None
    m = _TITLE_DATE.search(t)
    if m and m.start() > 0:
        try:
            when = dt.date(int(m.group(1)), int(m.group(2) or 1), 1)
        except ValueError:
            when = None
        t = t[: m.start()].strip()
    for prefix in ("", "中学", "中小学"):
        if t.startswith(prefix) and t[len(prefix) :] in _TITLES:
            return _TITLES[t[len(prefix) :]], when
    return None, when
