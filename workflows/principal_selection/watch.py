"""The principal watch list (DOMAIN §3 "Alongside"): the home page's alerts with the rule set's numbers,
plus posts held by more people than their headcount."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from cadres.models import Post
from workflows.selectors import (
    LEADER_LEVELS,
    Alert,
    AlertGroup,
    AlertThresholds,
    _org_label,
    _post_url,
    alert_scope,
    home_alerts,
)

from .rules import selection_params


def thresholds(on: dt.date) -> AlertThresholds:
    params = selection_params(on)
    return AlertThresholds(
        age_from=params.age_watch_from,
        years_in_post=params.exchange_years,
        terms=params.exchange_terms,
        probation_days=params.probation_watch_days,
    )


def over_headcount(orgs, on: dt.date) -> list[Alert]:
    holding = Q(tenures__start_date__lte=on) & (Q(tenures__end_date__isnull=True) | Q(tenures__end_date__gte=on))
    posts = (
        Post.objects.filter(level__in=LEADER_LEVELS, organization__in=orgs)
        .annotate(holders=Count("tenures__person", filter=holding, distinct=True))
        .filter(holders__gt=F("headcount"))
        .select_related("organization")
        .order_by("organization__code", "level", "name")
    )
    return [
        Alert(
            kind="over_headcount",
            subject=post.name,
            organization=_org_label(post.organization),
            detail=_("职数%(h)d，现任%(n)d，超职数%(x)d")
            % {"h": post.headcount, "n": post.holders, "x": post.holders - post.headcount},
            url=_post_url(post),
        )
        for post in posts
    ]


def watch_list(*, user, on: dt.date) -> list[AlertGroup]:
    """The groups of the home page's alerts (exchange, probation, age, vacancy) and over-headcount posts."""
    groups = home_alerts(user=user, on=on, limits=thresholds(on))
    orgs = alert_scope(user)
    extra = over_headcount(orgs, on) if orgs is not None else []
    if extra:
        groups.append(AlertGroup(kind="over_headcount", label=_("超职数配备"), icon="group_add", alerts=extra))
    return groups
