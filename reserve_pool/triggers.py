"""When an entry ends by itself: automatic removal and expiry, as pure functions of loaded facts.

Day conventions (each trigger applies on the day named, never the day before):
- ethics: from the day the veto for `reserve_entry` blocks (a sanction's start date, a 不合格 师德考核's
  decision date), as `cadres.ethics.veto` decides;
- appraisal: the latest annual appraisal of a year *before* the day's year (a year's grade counts from
  1 January of the next year, as in the rule engine); 不定等次 is not ranked and never triggers;
- age: from the day the person's age in full years (周岁) exceeds the limit, i.e. the birthday after it;
- leaving: whenever the registry says the person is not in active employment (no date is recorded);
- expiry: an admission is valid through `valid_until` (inclusive) and lapses the day after; a nomination
  not admitted lapses `nomination_months` after its date. A shortlisted entry (an inspection under way)
  is left to its process by the daily run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cadres.choices import APPRAISAL_RANK, AppraisalGrade, EmploymentStatus
from cadres.ethics.periods import add_months
from cadres.facts import age_on

from .choices import PENDING_STATES, EndTrigger, ReserveState


@dataclass(frozen=True)
class TriggerHit:
    code: str  # an EndTrigger value
    reason: str  # Chinese, recorded as the removal reason


def _cn(day: dt.date) -> str:
    return day.strftime("%Y年%m月%d日")


def ethics_hit(veto) -> TriggerHit | None:
    """`veto`: a `cadres.ethics.veto.VetoResult` for the reserve-entry purpose (or None when not loaded)."""
    if veto is None or not veto.blocked:
        return None
    records = "；".join(hit.reason or hit.sentence for hit in veto.hits)
    return TriggerHit(EndTrigger.ETHICS_VETO, _("师德一票否决：%(r)s") % {"r": records})


def latest_appraisal(appraisals: Mapping[int, str], on: dt.date) -> tuple[int, str] | None:
    years = [year for year in appraisals if year < on.year]
    if not years:
        return None
    year = max(years)
    return year, appraisals[year]


def appraisal_hit(appraisals: Mapping[int, str], on: dt.date, below: str) -> TriggerHit | None:
    if not below:
        return None
    latest = latest_appraisal(appraisals, on)
    if latest is None:
        return None
    year, grade = latest
    if grade not in APPRAISAL_RANK or APPRAISAL_RANK[grade] >= APPRAISAL_RANK[below]:
        return None
    return TriggerHit(
        EndTrigger.APPRAISAL,
        _("%(y)d年度考核为%(g)s，低于%(t)s")
        % {"y": year, "g": AppraisalGrade(grade).label, "t": AppraisalGrade(below).label},
    )


def age_hit(birth_date: dt.date, on: dt.date, max_age: int | None) -> TriggerHit | None:
    if max_age is None:
        return None
    age = age_on(birth_date, on)
    if age <= max_age:
        return None
    return TriggerHit(
        EndTrigger.AGE_LIMIT, _("年龄%(a)d周岁，超过后备干部年龄上限%(n)d周岁") % {"a": age, "n": max_age}
    )


def employment_hit(status: str) -> TriggerHit | None:
    if status == EmploymentStatus.ACTIVE:
        return None
    return TriggerHit(EndTrigger.LEFT, _("已不在职（%(s)s）") % {"s": EmploymentStatus(status).label})


def removal_hits(
    *,
    veto,
    appraisals: Mapping[int, str],
    birth_date: dt.date,
    employment_status: str,
    on: dt.date,
    params,
    max_age: int | None,
) -> list[TriggerHit]:
    """Every automatic-removal fact that holds on `on`, in a fixed order, for the triggers `params` enable."""
    hits = [
        ethics_hit(veto) if params.remove_on_ethics_veto else None,
        appraisal_hit(appraisals, on, params.remove_below_appraisal),
        age_hit(birth_date, on, max_age) if params.remove_over_age else None,
        employment_hit(employment_status) if params.remove_on_leaving else None,
    ]
    return [hit for hit in hits if hit is not None]


def nomination_lapses_on(nominated_on: dt.date, nomination_months: int) -> dt.date:
    return add_months(nominated_on, nomination_months)


def valid_until_from(decided_on: dt.date, years: int) -> dt.date:
    """Last valid day of an admission (or renewal) decided on `decided_on` for `years`."""
    return add_months(decided_on, 12 * years) - dt.timedelta(days=1)


def expiry_hit(
    *,
    state: str,
    valid_until: dt.date | None,
    nominated_on: dt.date,
    on: dt.date,
    nomination_months: int,
    include_shortlisted: bool = False,
) -> TriggerHit | None:
    pool_states = (ReserveState.IN_POOL, ReserveState.SHORTLISTED) if include_shortlisted else (ReserveState.IN_POOL,)
    if state in pool_states:
        if valid_until is not None and on > valid_until:
            return TriggerHit(EndTrigger.VALIDITY, _("入库有效期已于%(d)s届满") % {"d": _cn(valid_until)})
        return None
    if state in PENDING_STATES:
        lapses = nomination_lapses_on(nominated_on, nomination_months)
        if on >= lapses:
            return TriggerHit(
                EndTrigger.NOMINATION_VALIDITY,
                _("%(d)s提名，%(m)d个月内未决定入库") % {"d": _cn(nominated_on), "m": nomination_months},
            )
    return None


def review_due_on(anchor: dt.date, months: int) -> dt.date:
    """A yearly review falls due `months` after admission or after the last decided review."""
    return add_months(anchor, months)
