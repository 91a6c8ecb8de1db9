"""Reads of the evaluation pages: scope, the 能上能下 list and the terms ending soon.

Scope: bureau users (and superusers) see every unit; a school secretary sees their own school; nobody else
sees any year or term (out-of-scope objects answer 404 in the views).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils.translation import gettext as _

from cadres import choices as c
from cadres.ethics.periods import add_months
from cadres.models import AnnualAppraisal, Organization, Tenure
from cadres.roles import Role, has_role, is_bureau_user, organization_of

from . import clock
from .models import EvaluationYear, Term
from .params import evaluation_params


def may_open_pages(user) -> bool:
    return getattr(user, "is_authenticated", False) and (
        is_bureau_user(user) or (has_role(user, Role.SCHOOL_SECRETARY) and organization_of(user) is not None)
    )


def organizations_in_scope(user) -> QuerySet[Organization]:
    schools = Organization.objects.filter(kind=c.OrgKind.SCHOOL).order_by("code")
    if is_bureau_user(user):
        return schools
    if has_role(user, Role.SCHOOL_SECRETARY) and organization_of(user) is not None:
        return schools.filter(pk=organization_of(user).pk)
    return schools.none()


def evaluations_visible_to(user) -> QuerySet[EvaluationYear]:
    return EvaluationYear.objects.filter(organization__in=organizations_in_scope(user)).select_related("organization")


def terms_visible_to(user) -> QuerySet[Term]:
    return Term.objects.filter(organization__in=organizations_in_scope(user)).select_related(
        "person", "organization", "tenure__post"
    )


@dataclass(frozen=True)
class ListedCadre:
    """A sitting cadre the consequences rule puts on the 能上能下 list, with the reason."""

    tenure: Tenure
    reason: str
    trigger: str  # "appraisal_failed" or "appraisal_basic_twice" (the adjustment flow's trigger codes)


def adjustment_list(user, *, year: int) -> list[ListedCadre]:
    """Sitting cadres (levels of the rule set) with 不称职 in `year`, or 基本称职 in `year` and the years
    before it (as many consecutive years as the rule set says). Non-consecutive 基本称职 years never fire.

    The rule is asked in the database (one query): only the listed cadres' tenures are read.
    """
    params = evaluation_params(dt.date(year, 12, 31))
    today = clock.today()
    run = params.basic_consecutive_years
    years = list(range(year - max(run, 1) + 1, year + 1))

    def graded(grade: str, y: int):
        return Exists(AnnualAppraisal.objects.filter(person_id=OuterRef("person_id"), year=y, grade=grade))

    failed = graded(c.AppraisalGrade.INCOMPETENT, year) if params.incompetent_once else Value(False)
    basic_run = Value(bool(run))
    for y in years:
        basic_run = basic_run & graded(c.AppraisalGrade.BASIC, y) if run else Value(False)
    tenures = (
        Tenure.objects.filter(
            post__organization__in=organizations_in_scope(user), post__level__in=params.levels, start_date__lte=today
        )
        .exclude(end_date__lt=today)
        .annotate(failed=ExpressionWrapper(failed, output_field=BooleanField()))
        .annotate(basic_run=ExpressionWrapper(basic_run, output_field=BooleanField()))
        .filter(Q(failed=True) | Q(basic_run=True))
        .select_related("person", "post__organization")
        .order_by("post__organization__code", "person__name")
    )
    listed, seen = [], set()
    for t in tenures:  # only the cadres the rule lists, one row per person
        if t.person_id in seen:
            continue
        seen.add(t.person_id)
        if t.failed:
            listed.append(ListedCadre(t, _("%(y)d年度考核不称职") % {"y": year}, "appraisal_failed"))
        else:
            reason = _("%(a)d—%(b)d年度连续%(n)d年考核基本称职") % {"a": years[0], "b": year, "n": run}
            listed.append(ListedCadre(t, reason, "appraisal_basic_twice"))
    return listed


def terms_ending(user, *, on: dt.date) -> list[Term]:
    """Open terms (not yet reviewed) ending within the rule set's review window from `on`, by school."""
    window = evaluation_params(on).term_review_window_months
    return list(
        terms_visible_to(user)
        .filter(reviewed_on__isnull=True, end_date__lte=add_months(on, window))
        .order_by("organization__code", "end_date")
    )


def term_counts_by_school(user, *, on: dt.date) -> list[dict]:
    """Per school: leaders with a term, the completed terms they had (the running term's number − 1, or its
    number once reviewed) and the longest unbroken years in post among them (full years of the tenure).

    Counted in the database, one query: the latest term of each sitting appointment, grouped by school (a leader
    holding two posts has a term per appointment, and both count).
    """
    later = Term.objects.filter(
        person_id=OuterRef("person_id"), tenure_id=OuterRef("tenure_id"), number__gt=OuterRef("number")
    )
    done = Case(When(reviewed_on__isnull=False, then=F("number")), default=F("number") - 1)
    rows = (
        Term.objects.filter(organization__in=organizations_in_scope(user), tenure__end_date__isnull=True)
        .filter(~Exists(later))
        .values("organization_id")
        .annotate(leaders=Count("person_id", distinct=True), completed=Sum(done), first_start=Min("tenure__start_date"))
        .order_by("organization__code")
    )
    rows = list(rows)
    names = Organization.objects.in_bulk([r["organization_id"] for r in rows])
    return [
        {
            "organization": names[r["organization_id"]],
            "leaders": r["leaders"],
            "completed": r["completed"] or 0,
            "longest_years": full_years(r["first_start"], on),
        }
        for r in rows
    ]


def full_years(start: dt.date, on: dt.date) -> int:
    return on.year - start.year - ((on.month, on.day) < (start.month, start.day))
