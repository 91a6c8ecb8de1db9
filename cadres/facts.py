"""Derived facts about a person, as pure functions of dates and records (never stored).

Conventions, decided here once:
- Ages and spans count *full* periods (周岁). Someone born on 29 February reaches a new year of age on
  1 March in common years (the day after 28 February), as the civil-law reading of 周岁 gives.
- A span from `start` to `at` counts the day `at` itself as not yet completed: 2020-03-01 → 2022-03-01 is
  exactly 2 years; 2020-03-01 → 2022-02-28 is 1 year 11 months.
- A tenure with no end date runs up to the date asked about.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _


@dataclass(frozen=True, order=True)
class Span:
    """A length of time in full months, printed the way the rules speak of it ("1年11个月")."""

    total_months: int

    @property
    def years(self) -> int:
        return self.total_months // 12

    @property
    def months(self) -> int:
        return self.total_months % 12

    def __str__(self) -> str:
        if self.total_months <= 0:
            return _("不满1个月")
        if self.months == 0:
            return _("%(y)d年") % {"y": self.years}
        if self.years == 0:
            return _("%(m)d个月") % {"m": self.months}
        return _("%(y)d年%(m)d个月") % {"y": self.years, "m": self.months}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier); a day the target month lacks becomes its last day
    (31 August + 6 months → 28 February). The one month arithmetic of the project: sanction periods, probation,
    terms and the documents that print them all count with it."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def last_day_of_period(start: dt.date, months: int) -> dt.date:
    """The last day inside a period of `months` that begins on `start`: the day before `add_months` (a period
    that ends, exclusive, on 28 February has 27 February as its last day)."""
    return add_months(start, months) - dt.timedelta(days=1)


def full_months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end` (0 when end is before start)."""
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:  # a month completes on the same day-of-month only (29 Feb → 1 Mar)
        months -= 1
    return max(months, 0)


def span_between(start: dt.date, end: dt.date) -> Span:
    return Span(full_months_between(start, end))


def age_on(birth: dt.date, at: dt.date) -> int:
    """Age in full years (周岁) at a date."""
    years = at.year - birth.year
    if (at.month, at.day) < (birth.month, birth.day):
        years -= 1
    return max(years, 0)


def years_of_work(work_start: dt.date, at: dt.date) -> int:
    """工龄 in full years since 参加工作时间."""
    return span_between(work_start, at).years


@dataclass(frozen=True)
class PartyStanding:
    is_member: bool
    is_probationary: bool
    years: int  # 党龄 in full years since the recorded join date; 0 for non-members

    def __str__(self) -> str:
        if not self.is_member:
            return _("非党员")
        if self.is_probationary:
            return _("预备党员")
        return _("党龄%(y)d年") % {"y": self.years}


def party_standing(political_status: str, party_join_date: dt.date | None, at: dt.date) -> PartyStanding:
    """Party standing at a date. 党龄 counts from the recorded 入党时间 (the date the form prints)."""
    from .choices import PoliticalStatus

    if political_status not in (PoliticalStatus.CPC_MEMBER, PoliticalStatus.CPC_PROBATIONARY):
        return PartyStanding(False, False, 0)
    if party_join_date is None or party_join_date > at:
        return PartyStanding(False, False, 0)
    probationary = political_status == PoliticalStatus.CPC_PROBATIONARY
    return PartyStanding(True, probationary, 0 if probationary else span_between(party_join_date, at).years)


class TenureLike(Protocol):
    start_date: dt.date
    end_date: dt.date | None
    post_id: int


def _tenure_end(tenure: TenureLike, at: dt.date) -> dt.date:
    return min(tenure.end_date, at) if tenure.end_date else at


def _merged_intervals(intervals: Iterable[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """Merge intervals that overlap or touch (the next starts on or the day after the previous ends)."""
    merged: list[tuple[dt.date, dt.date]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _continuous_span_up_to(intervals: Iterable[tuple[dt.date, dt.date]], at: dt.date) -> Span:
    blocks = [b for b in _merged_intervals(intervals) if b[0] <= at]
    if not blocks or blocks[-1][1] < at:
        return Span(0)
    return span_between(blocks[-1][0], at)


def years_in_post(tenures: Sequence[TenureLike], post_id: int, at: dt.date) -> Span:
    """How long the person has held `post_id` without a break, up to `at` (0 if not holding it then)."""
    spans = [(t.start_date, _tenure_end(t, at)) for t in tenures if t.post_id == post_id and t.start_date <= at]
    return _continuous_span_up_to(spans, at)


def years_at_level(tenures: Sequence[TenureLike], post_levels: dict[int, str], levels: set[str], at: dt.date) -> Span:
    """Total time (not necessarily continuous) spent in posts whose level is in `levels`, up to `at`.

    Used for "任副职满2年": time as a deputy anywhere counts, breaks do not reset it.
    """
    spans = [
        (t.start_date, _tenure_end(t, at))
        for t in tenures
        if post_levels.get(t.post_id) in levels and t.start_date <= at
    ]
    return Span(sum(full_months_between(s, e) for s, e in _merged_intervals(spans)))


def years_in_school(tenures: Sequence[TenureLike], post_orgs: dict[int, int], org_id: int, at: dt.date) -> Span:
    """Continuous time in posts of one school up to `at` (across posts, as the exchange rule reads it)."""
    spans = [
        (t.start_date, _tenure_end(t, at)) for t in tenures if post_orgs.get(t.post_id) == org_id and t.start_date <= at
    ]
    return _continuous_span_up_to(spans, at)


def terms_served(tenures: Sequence[TenureLike], post_id: int, at: dt.date) -> int:
    """Terms held in one post up to `at`: each tenure row on that post that had started is one term."""
    return sum(1 for t in tenures if t.post_id == post_id and t.start_date <= at)


def format_month(value: dt.date | None) -> str:
    """A month as the form writes it: 1975.03 (empty for None)."""
    return f"{value:%Y.%m}" if value else ""


OPEN_END = " " * 7


def resume_line(start: dt.date, end: dt.date | None, text: str) -> str:
    """`YYYY.MM--YYYY.MM  单位职务`; the current line leaves the end as seven spaces."""
    return f"{format_month(start)}--{format_month(end) if end else OPEN_END}  {text}"


def during_line(start: dt.date, end: dt.date | None, text: str) -> str:
    """A （其间：…） line for study or concurrent posts inside a main line's period."""
    period = f"{format_month(start)}--{format_month(end)}" if end else f"{format_month(start)}--"
    return f"（其间：{period} {text}）"


class ResumeLike(Protocol):
    start_month: dt.date
    end_month: dt.date | None
    text: str
    during_id: int | None
    id: int


def resume_lines(entries: Sequence[ResumeLike]) -> list[str]:
    """All 简历 lines in time order, each 其间 line right after the line it belongs to."""
    mains = sorted((e for e in entries if e.during_id is None), key=lambda e: (e.start_month, e.id))
    children: dict[int, list[ResumeLike]] = {}
    for e in entries:
        if e.during_id is not None:
            children.setdefault(e.during_id, []).append(e)
    lines: list[str] = []
    for main in mains:
        lines.append(resume_line(main.start_month, main.end_month, main.text))
        for child in sorted(children.get(main.id, []), key=lambda e: (e.start_month, e.id)):
            lines.append(during_line(child.start_month, child.end_month, child.text))
    return lines


def _month_index(d: dt.date) -> int:
    return d.year * 12 + d.month - 1


def resume_gaps(entries: Sequence[ResumeLike]) -> list[tuple[dt.date, dt.date]]:
    """Gaps between consecutive main 简历 lines ("时间请具体到月，且不能有间断").

    Lines meet when the next starts in the month the previous ended (or the month after). Returns each gap
    as (month the previous line ended, month the next line started).
    """
    mains = sorted((e for e in entries if e.during_id is None), key=lambda e: (e.start_month, e.id))
    gaps = []
    for prev, nxt in itertools.pairwise(mains):
        if prev.end_month is None:
            continue
        if _month_index(nxt.start_month) - _month_index(prev.end_month) > 1:
            gaps.append((prev.end_month, nxt.start_month))
    return gaps


# ---------------------------------------------------------------- education and current posts


def education_records(educations, kind: str):
    """(the 学历 record, the 学位 record) of one kind (全日制 or 在职) — what the 任免审批表, LRMX and the 小传 print.

    学位 comes from the record with the highest degree; 学历 from the record with the highest level, preferring,
    among records of that level, one other than the 学位 record, so that a 学历 and a 学位 obtained at two
    schools are both shown, each with its own school and major. Ties go to the later end date, then the later
    record. (None, None) when there is no record of that kind; the 学位 record is None without a degree.
    """
    from .choices import DEGREE_RANK, EDUCATION_RANK

    rows = [e for e in educations if e.kind == kind]
    if not rows:
        return None, None

    def recency(e):
        return (e.end_date or dt.date.min, e.pk or 0)

    with_degree = [e for e in rows if DEGREE_RANK.get(e.degree, 0) > 0]
    by_degree = max(with_degree, key=lambda e: (DEGREE_RANK[e.degree], recency(e))) if with_degree else None
    by_level = max(rows, key=lambda e: (EDUCATION_RANK.get(e.level, 0), e is not by_degree, recency(e)))
    return by_level, by_degree


def current_tenures(tenures, at: dt.date) -> list:
    """The tenures held on `at`, the senior post first (the order of `PostKind`), then the earlier start."""
    from .choices import PostKind

    order = {kind: i for i, kind in enumerate(PostKind)}
    held = [t for t in tenures if t.start_date <= at and (t.end_date is None or t.end_date >= at)]
    held.sort(key=lambda t: (order.get(t.post.kind, 99), t.start_date, t.pk or 0))
    return held


def current_post_text(tenures, at: dt.date) -> str:
    """现任职务 on `at`: the posts held, the senior first, posts of one unit after its name ("" when none)."""
    by_unit: dict[int, list] = {}
    for tenure in current_tenures(tenures, at):
        by_unit.setdefault(tenure.post.organization_id, []).append(tenure)
    return "；".join(ts[0].post.organization.name + "、".join(t.post.name for t in ts) for ts in by_unit.values())


def current_post_subquery(at: dt.date, person_ref: str = "pk", field: str = "post__name", annotate=None):
    """`current_tenures`' first post as a database expression (for lists: one annotation, no query per row).

    The senior post held on `at` — the order of `PostKind`, then the earlier start, then the earlier record —
    exactly as `current_tenures` orders them in Python; `field` picks what to return of it (the post's name by
    default, or one of the expressions `annotate` adds to the tenure). None when no post is held on `at`.
    """
    from django.db.models import F, OuterRef, Q, Subquery, Value
    from django.db.models.functions import Concat, NullIf, StrIndex

    from .choices import PostKind
    from .models import Tenure

    # The kind's place in "|party_secretary|principal|…|" orders like PostKind (one function, not a CASE of
    # eight branches: this subquery is compiled on every search, and the CASE was most of its cost). An
    # unknown kind gives 0 and sorts last (nulls_last of NULLIF(…, 0)), as `order.get(kind, 99)` does.
    kinds = "|" + "|".join(PostKind.values) + "|"
    rank = StrIndex(Value(kinds), Concat(Value("|"), F("post__kind"), Value("|")))
    held = (
        Tenure.objects.filter(person=OuterRef(person_ref), start_date__lte=at)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=at))
        .alias(kind_rank=NullIf(rank, Value(0)))
        .order_by(F("kind_rank").asc(nulls_last=True), "start_date", "pk")
    )
    if annotate:
        held = held.annotate(**annotate)
    return Subquery(held.values(field)[:1])
