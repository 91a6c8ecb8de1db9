"""Who is due for exchange: the watch list's rule (10 full years at one school, or two completed terms in one
post; the numbers of the principal-selection rule set in force) over sitting school-level and mid-level cadres.

Years count continuous time in cadre posts of the same school (`cadres.facts.years_in_school` over the
person's cadre tenures); terms count as the watch list does (rows on the post, or the recorded term number
when larger, less the running term).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from cadres import facts
from cadres.models import Person, Tenure
from cadres.recusal import CADRE_LEVELS
from workflows.principal_selection.watch import thresholds


@dataclass(frozen=True)
class DuePerson:
    person: Person
    tenure: Tenure
    years: facts.Span
    terms: int  # including the running one
    reason: str


def current_q(on: dt.date) -> Q:
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


def cadre_tenures(person_ids, on: dt.date):
    """Current cadre tenures (校级 and 中层) of these people on `on`, with post, school and person."""
    return (
        Tenure.objects.filter(current_q(on), person_id__in=person_ids, post__level__in=CADRE_LEVELS)
        .select_related("person", "person__organization", "post", "post__organization")
        .order_by("person_id", "start_date", "id")
    )


def due_reason(
    tenure: Tenure, history: list[Tenure], post_orgs: dict[int, int], on: dt.date, limits=None
) -> DuePerson | None:
    limits = limits or thresholds(on)
    cadre_history = [t for t in history if t.post.level in CADRE_LEVELS]
    years = facts.years_in_school(cadre_history, post_orgs, tenure.post.organization_id, on)
    terms = max(facts.terms_served(history, tenure.post_id, on), tenure.term_number)
    if years.years < limits.years_in_post and terms - 1 < limits.terms:
        return None
    parts = []
    if years.years >= limits.years_in_post:
        parts.append(_("在本校任领导职务已%(span)s") % {"span": years})
    if terms - 1 >= limits.terms:
        parts.append(_("任%(post)s已满%(n)d届（现第%(t)d任）") % {"post": tenure.post.name, "n": terms - 1, "t": terms})
    return DuePerson(tenure.person, tenure, years, terms, "；".join(parts))


def due_for_exchange(*, on: dt.date, exclude_person_ids=()) -> list[DuePerson]:
    """Every cadre due for exchange on `on` (district-wide: the plan is the bureau's), longest first.

    Five queries (the rule set, then the tenures) however many people there are.
    """
    current = [
        t
        for t in cadre_tenures(
            Tenure.objects.filter(current_q(on), post__level__in=CADRE_LEVELS).values("person_id"), on
        )
        if t.person.employment_status == "active" and t.person_id not in set(exclude_person_ids)
    ]
    history: dict[int, list[Tenure]] = {}
    for t in Tenure.objects.filter(person_id__in={t.person_id for t in current}).select_related("post"):
        history.setdefault(t.person_id, []).append(t)
    rows: dict[int, DuePerson] = {}
    limits = thresholds(on)
    for tenure in current:
        hist = history.get(tenure.person_id, [])
        due = due_reason(tenure, hist, {t.post_id: t.post.organization_id for t in hist}, on, limits)
        if due and tenure.person_id not in rows:
            rows[tenure.person_id] = due
    return sorted(rows.values(), key=lambda d: (-d.years.total_months, -d.terms, d.person.name))


def due_reason_for(person: Person, tenure: Tenure, on: dt.date) -> str:
    """The due reason of one person's tenure, or "" when they are not due."""
    hist = list(Tenure.objects.filter(person=person).select_related("post"))
    due = due_reason(tenure, hist, {t.post_id: t.post.organization_id for t in hist}, on)
    return due.reason if due else ""
