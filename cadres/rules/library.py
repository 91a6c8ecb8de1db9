"""The built-in rules. Each message names the rule's threshold and the fact found.

Messages are Chinese source strings (translated through i18n), e.g. "须任副职满2年，现1年11个月".
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from .. import choices as c
from ..facts import Span, age_on, span_between, years_at_level
from .base import ParameterRule, Refusal, Rule, RuleConfigError
from .registry import register


@register
class MinWorkYears(Rule):
    code = "min_work_years"
    title = _("参加工作年限")
    params = {"years": (int, 5)}

    def check(self, ctx, on: dt.date) -> Refusal | None:
        span = span_between(ctx.person.work_start_date, on)
        if span.years >= self.years:
            return None
        return self.refuse(_("须参加工作满%(n)d年，现%(f)s") % {"n": self.years, "f": span}, str(span), str(self.years))


@register
class MaxAge(Rule):
    code = "max_age"
    title = _("年龄上限")
    params = {"max_age": (int, 45)}

    def check(self, ctx, on: dt.date) -> Refusal | None:
        age = age_on(ctx.person.birth_date, on)
        if age <= self.max_age:
            return None
        return self.refuse(
            _("年龄须不超过%(n)d周岁，现%(a)d周岁") % {"n": self.max_age, "a": age}, str(age), str(self.max_age)
        )


def _highest_education(ctx) -> str | None:
    ranked = sorted(ctx.educations, key=lambda e: c.EDUCATION_RANK.get(e.level, 0))
    return ranked[-1].level if ranked else None


@register
class MinEducation(Rule):
    """Education at or above a level; secondary-school posts may demand more (`secondary_level`, local)."""

    code = "min_education"
    title = _("学历要求")
    params = {"level": (str, c.EducationLevel.JUNIOR_COLLEGE), "secondary_level": (str, "")}

    def validate_params(self) -> None:
        for value in filter(None, (self.level, self.secondary_level)):
            if value not in c.EducationLevel.values:
                raise RuleConfigError(f"{self.code}: 学历 {value} 不存在")

    def required_level(self, ctx) -> str:
        if self.secondary_level and ctx.person.organization.stage in c.SECONDARY_STAGES:
            return self.secondary_level
        return self.level

    def check(self, ctx, on: dt.date) -> Refusal | None:
        needed = self.required_level(ctx)
        have = _highest_education(ctx)
        if have and c.EDUCATION_RANK[have] >= c.EDUCATION_RANK[needed]:
            return None
        have_label = c.EducationLevel(have).label if have else _("无学历记录")
        return self.refuse(
            _("学历须为%(n)s及以上，现为%(h)s") % {"n": c.EducationLevel(needed).label, "h": have_label},
            str(have_label),
            str(c.EducationLevel(needed).label),
        )


@register
class MinTitle(Rule):
    code = "min_title"
    title = _("专业技术职务要求")
    params = {"title": (str, c.TeacherTitle.FIRST)}

    def validate_params(self) -> None:
        if self.title not in c.TeacherTitle.values:
            raise RuleConfigError(f"{self.code}: 职称 {self.title} 不存在")

    def check(self, ctx, on: dt.date) -> Refusal | None:
        have = ctx.title_on(on)
        if have and c.TITLE_RANK[have] >= c.TITLE_RANK[self.title]:
            return None
        have_label = c.TeacherTitle(have).label if have else _("无职称")
        return self.refuse(
            _("专业技术职务须为%(n)s及以上，现为%(h)s") % {"n": c.TeacherTitle(self.title).label, "h": have_label},
            str(have_label),
            str(c.TeacherTitle(self.title).label),
        )


@register
class MinYearsAsDeputy(Rule):
    """Deputy → head: total time as a school-level deputy (breaks do not reset it)."""

    code = "min_years_as_deputy"
    title = _("任副职年限")
    params = {"years": (int, 2)}

    def check(self, ctx, on: dt.date) -> Refusal | None:
        span = years_at_level(ctx.tenures, ctx.post_levels(), {c.PostLevel.SCHOOL_DEPUTY}, on)
        if span >= Span(self.years * 12):
            return None
        return self.refuse(_("须任副职满%(n)d年，现%(f)s") % {"n": self.years, "f": span}, str(span), str(self.years))


@register
class MinYearsAsMiddleHead(Rule):
    """Next level's head → deputy (a 副校长 from a 中层正职): time as a 中层正职 or in a school-level post."""

    code = "min_years_as_middle_head"
    title = _("任中层正职（或以上职务）年限")
    params = {"years": (int, 3)}

    def check(self, ctx, on: dt.date) -> Refusal | None:
        levels = {c.PostLevel.MIDDLE_HEAD, c.PostLevel.SCHOOL_DEPUTY, c.PostLevel.SCHOOL_HEAD}
        span = years_at_level(ctx.tenures, ctx.post_levels(), levels, on)
        if span >= Span(self.years * 12):
            return None
        return self.refuse(
            _("须任中层正职（或以上职务）满%(n)d年，现%(f)s") % {"n": self.years, "f": span}, str(span), str(self.years)
        )


@register
class MinYearsInCurrentPost(Rule):
    """任现职年限: time in a post held on `on` (the longest-held when there are several); a teacher with no
    registered post counts from the start of work, as the 小传's 任现职时间 does."""

    code = "min_years_in_current_post"
    title = _("任现职年限")
    params = {"years": (int, 1)}

    def check(self, ctx, on: dt.date) -> Refusal | None:
        held = [t.start_date for t in ctx.tenures if t.start_date <= on and (t.end_date is None or t.end_date >= on)]
        span = span_between(min(held) if held else ctx.person.work_start_date, on)
        if span >= Span(self.years * 12):
            return None
        return self.refuse(_("须任现职满%(n)d年，现%(f)s") % {"n": self.years, "f": span}, str(span), str(self.years))


@register
class MinYearsAsMiddleCadre(Rule):
    """For reserve entry and vice-principal posts: time as a mid-level cadre or above."""

    code = "min_years_as_middle_cadre"
    title = _("任中层及以上职务年限")
    params = {"years": (int, 3)}

    def check(self, ctx, on: dt.date) -> Refusal | None:
        levels = {
            c.PostLevel.MIDDLE_DEPUTY,
            c.PostLevel.MIDDLE_HEAD,
            c.PostLevel.SCHOOL_DEPUTY,
            c.PostLevel.SCHOOL_HEAD,
        }
        span = years_at_level(ctx.tenures, ctx.post_levels(), levels, on)
        if span >= Span(self.years * 12):
            return None
        return self.refuse(
            _("须任中层及以上职务满%(n)d年，现%(f)s") % {"n": self.years, "f": span}, str(span), str(self.years)
        )


@register
class AppraisalNotBelow(Rule):
    """The last `years` annual appraisals before `on`'s year are all at `grade` or better.

    A missing year counts as a failure (it cannot be shown to be good enough).
    """

    code = "appraisal_not_below"
    title = _("年度考核要求")
    params = {"grade": (str, c.AppraisalGrade.COMPETENT), "years": (int, 1)}

    def validate_params(self) -> None:
        if self.grade not in c.APPRAISAL_RANK:
            raise RuleConfigError(f"{self.code}: 等次 {self.grade} 不能作为门槛")
        if self.years < 1:
            raise RuleConfigError(f"{self.code}: 年数须至少为1")

    def check(self, ctx, on: dt.date) -> Refusal | None:
        needed = c.APPRAISAL_RANK[self.grade]
        needed_label = c.AppraisalGrade(self.grade).label
        for year in range(on.year - self.years, on.year):
            grade = ctx.appraisals.get(year)
            if grade is None:
                return self.refuse(
                    _("须%(y)d年度考核为%(g)s及以上，现无该年度考核记录") % {"y": year, "g": needed_label},
                    _("无记录"),
                    str(needed_label),
                )
            if c.APPRAISAL_RANK.get(grade, -1) < needed:
                label = c.AppraisalGrade(grade).label
                return self.refuse(
                    _("须%(y)d年度考核为%(g)s及以上，现为%(h)s") % {"y": year, "g": needed_label, "h": label},
                    str(label),
                    str(needed_label),
                )
        return None


@register
class InActiveEmployment(Rule):
    code = "in_active_employment"
    title = _("在职状态")

    def check(self, ctx, on: dt.date) -> Refusal | None:
        if ctx.person.employment_status == c.EmploymentStatus.ACTIVE:
            return None
        status = c.EmploymentStatus(ctx.person.employment_status).label
        return self.refuse(
            _("须为在职人员，现为%(s)s") % {"s": status}, str(status), str(c.EmploymentStatus.ACTIVE.label)
        )


@register
class NotNakedOfficial(Rule):
    """裸官: spouse emigrated, or every child emigrated (2019 条例 第二十四条)."""

    code = "not_naked_official"
    title = _("非“裸官”")

    def check(self, ctx, on: dt.date) -> Refusal | None:
        spouse_gone = any(f.relation == c.Relation.SPOUSE and f.emigrated for f in ctx.family)
        children = [f for f in ctx.family if f.relation in (c.Relation.SON, c.Relation.DAUGHTER)]
        children_gone = bool(children) and all(f.emigrated for f in children)
        if not (spouse_gone or children_gone):
            return None
        who = _("配偶") if spouse_gone else _("子女均")
        return self.refuse(
            _("配偶已移居国（境）外或没有配偶但子女均已移居国（境）外的，不得列为考察对象；现%(w)s已移居国（境）外")
            % {"w": who},
            str(who),
        )


# ---------------------------------------------------------------- cadre evaluation (issue 16)

EXCELLENT_ROUNDING = ("floor", "floor_min_one", "half_up")
EVALUATED_LEVELS = ("school_head", "school_deputy", "middle_head", "middle_deputy")


@register
class CadreEvaluationParams(ParameterRule):
    """The numbers of the cadres' 年度考核 and 任期制 (purpose `cadre_evaluation`), edited in the admin.

    - `excellent_share_percent` / `excellent_rounding`: the 优秀 places of a unit are
      share × assessed, rounded by `floor`, `floor_min_one` (floor, but one place when anyone is assessed:
      a school of four leaders still has one 优秀 place — the default) or `half_up`.
    - `incompetent_once`: one 不称职 puts a sitting cadre on the 能上能下 list;
      `basic_consecutive_years`: so many consecutive 基本称职 years do (0 switches the rule off).
    - `term_years`: a school leader's 任期. Default 3 — the district plan's three-year 任期目标 cycle, and
      the lower end of the usual 3–5 years, so that every principal's term is reviewed at least once
      before the 10-year exchange limit; a district with 5-year terms changes this number only.
    - `publicity_workdays`: working days of the 优秀 公示.
    - `term_review_window_months`: the 任期考核 may be held from so many months before the term ends
      (and the 任期管理 page lists the terms ending within that window).
    - `levels`: the post levels whose holders on 31 December are assessed in their unit.
    """

    code = "cadre_evaluation_params"
    title = _("干部年度考核与任期参数")
    params = {
        "excellent_share_percent": (int, 20),
        "excellent_rounding": (str, "floor_min_one"),
        "incompetent_once": (bool, True),
        "basic_consecutive_years": (int, 2),
        "term_years": (int, 3),
        "publicity_workdays": (int, 5),
        "term_review_window_months": (int, 6),
        "levels": (list, list(EVALUATED_LEVELS)),
    }

    def validate_params(self) -> None:
        if not 0 <= self.excellent_share_percent <= 100:
            raise RuleConfigError(f"{self.code}: 优秀比例须在0到100之间")
        if self.excellent_rounding not in EXCELLENT_ROUNDING:
            raise RuleConfigError(f"{self.code}: 取整方式须为 {', '.join(EXCELLENT_ROUNDING)} 之一")
        if self.basic_consecutive_years < 0 or self.basic_consecutive_years == 1:
            raise RuleConfigError(f"{self.code}: 连续基本称职年数须为0（不适用）或不少于2")
        if not 1 <= self.term_years <= 10:
            raise RuleConfigError(f"{self.code}: 任期年限须在1到10年之间")
        if not 0 <= self.term_review_window_months <= 24:
            raise RuleConfigError(f"{self.code}: 任期考核提前月数须在0到24之间")
        if self.publicity_workdays < 1:
            raise RuleConfigError(f"{self.code}: 公示期须至少1个工作日")
        unknown = set(self.levels) - set(c.PostLevel.values)
        if unknown or not self.levels:
            raise RuleConfigError(f"{self.code}: 未知职务层级 {', '.join(sorted(unknown))}")

    def excellent_places(self, assessed: int) -> int:
        """How many 优秀 a unit with `assessed` cadres may have."""
        if assessed <= 0:
            return 0
        exact = assessed * self.excellent_share_percent
        if self.excellent_rounding == "half_up":
            places = (2 * exact + 100) // 200
        else:
            places = exact // 100
        if self.excellent_rounding == "floor_min_one" and self.excellent_share_percent > 0:
            places = max(places, 1)
        return int(places)
