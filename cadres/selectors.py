"""Reads of the registry, with their joins already applied and the user's scope enforced."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .models import Person, Tenure, TitleHistory
from .scoping import people_visible_to


def _years_ago(on: dt.date, years: int) -> dt.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def person_list(
    *,
    user,
    organization_id: int | None = None,
    post_kind: str | None = None,
    title: str | None = None,
    min_age: int | None = None,
    max_age: int | None = None,
    query: str | None = None,
    on: dt.date | None = None,
) -> QuerySet[Person]:
    """People the user may see, filtered by school, current post kind, current title and age at `on`."""
    on = on or timezone.localdate()
    qs = people_visible_to(user).select_related("organization")
    if organization_id:
        qs = qs.filter(organization_id=organization_id)
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(id_number__startswith=query))
    if post_kind:
        current = Tenure.objects.filter(person=OuterRef("pk"), post__kind=post_kind, start_date__lte=on).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )
        qs = qs.filter(Exists(current))
    if title:
        latest = TitleHistory.objects.filter(person=OuterRef("pk"), obtained_on__lte=on).order_by("-obtained_on")
        qs = qs.alias(current_title=latest.values("title")[:1]).filter(current_title=title)
    if min_age is not None:
        # age >= min_age  <=>  born on or before the date min_age years ago
        qs = qs.filter(birth_date__lte=_years_ago(on, min_age))
    if max_age is not None:
        # age <= max_age  <=>  born after the date (max_age + 1) years ago
        qs = qs.filter(birth_date__gt=_years_ago(on, max_age + 1))
    return qs


def person_detail_queryset(*, user) -> QuerySet[Person]:
    return (
        people_visible_to(user)
        .select_related("organization")
        .prefetch_related(
            "educations",
            "resume_entries",
            "titles",
            "appraisals",
            "rewards_punishments",
            "family",
            "tenures__post__organization",
        )
    )


def current_post_names(person: Person, on: dt.date) -> list[str]:
    return [
        str(t.post) for t in person.tenures.all() if t.start_date <= on and (t.end_date is None or t.end_date >= on)
    ]
