"""Reads for the home page: what waits for the user, recent cases, and alerts computed from the registry.

Every read is scoped with `cadres.scoping`; alerts take a fixed number of queries whatever the data size.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from cadres import choices as c
from cadres import facts
from cadres.choices import label_of
from cadres.kept_sql import kept_query
from cadres.models import Post, Tenure, TitleHistory
from cadres.roles import Role, has_role, is_bureau_user, profile_of
from cadres.scoping import organizations_visible_to, people_visible_to, scope_key

from . import inbox


@dataclass(frozen=True)
class AlertThresholds:
    """When the watch speaks up (DOMAIN §3 "Alongside"): defaults, overridable per call."""

    age_from: int = 57  # principals and party secretaries who reach this age during the year
    years_in_post: int = 10  # same post this long → due for exchange (事业单位 leaders)
    terms: int = 2  # or this many *completed* terms in the same post *(local)*; the current term is not complete
    probation_days: int = 60  # probation ending within this many days


LEADER_LEVELS = (c.PostLevel.SCHOOL_HEAD, c.PostLevel.SCHOOL_DEPUTY)
AGE_WATCH_KINDS = (c.PostKind.PRINCIPAL, c.PostKind.PARTY_SECRETARY)

ALERT_KINDS = {
    "age_limit": (gettext_lazy("临近任职年龄上限"), "hourglass_bottom"),
    "exchange_due": (gettext_lazy("任职交流到期"), "sync_alt"),
    "probation_ending": (gettext_lazy("试用期即将届满"), "event"),
    "vacancy": (gettext_lazy("职位空缺"), "person_add_alt"),
}


@dataclass(frozen=True)
class Alert:
    """One thing to look at: `subject` (a person or a post) links to `url`; `detail` says why, in Chinese."""

    kind: str
    subject: str
    organization: str
    detail: str
    url: str
    sort_key: tuple = field(default=(), compare=False)


@dataclass(frozen=True)
class AlertGroup:
    kind: str
    label: str
    icon: str
    alerts: list[Alert]


def _current(on: dt.date) -> Q:
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


def _person_url(person_id: int) -> str:
    return reverse("registry:people:detail", args=[person_id])


def _post_url(post: Post) -> str:
    query = urlencode({"organization": post.organization_id, "post_kind": post.kind})
    return f"{reverse('registry:people:index')}?{query}"


def _org_label(org) -> str:
    return org.short_name or org.name


def alert_scope(user):
    """The units whose alerts the user sees: the district for bureau users, the own school for a school
    secretary, none for anyone else (a teacher gets their own record instead)."""
    if is_bureau_user(user):
        return organizations_visible_to(user)
    if has_role(user, Role.SCHOOL_SECRETARY) and profile_of(user) is not None:
        return organizations_visible_to(user)
    return None


def _age_alert(tenure: Tenure, on: dt.date, limits: AlertThresholds) -> Alert | None:
    person, post = tenure.person, tenure.post
    # Age limits go by the record's 出生年月 (档案认定): the age reached during this year.
    age_this_year = on.year - person.birth_month.year
    if post.kind not in AGE_WATCH_KINDS or age_this_year < limits.age_from:
        return None
    detail = _("%(post)s，%(month)s出生，今年满%(age)d周岁") % {
        "post": post.name,
        "month": facts.format_month(person.birth_month),
        "age": age_this_year,
    }
    return Alert(
        kind="age_limit",
        subject=person.name,
        organization=_org_label(post.organization),
        detail=detail,
        url=_person_url(person.pk),
        sort_key=(person.birth_month, person.name),
    )


def _exchange_alert(tenure: Tenure, history: list[Tenure], on: dt.date, limits: AlertThresholds) -> Alert | None:
    person, post = tenure.person, tenure.post
    span = facts.years_in_post(history, post.pk, on)
    # An imported record may carry its term number without the earlier rows: trust the larger count.
    terms = max(facts.terms_served(history, post.pk, on), tenure.term_number)
    completed_terms = terms - 1  # the current term is still running
    if span.years < limits.years_in_post and completed_terms < limits.terms:
        return None
    detail = _("任%(post)s已%(span)s（第%(terms)d任）") % {"post": post.name, "span": span, "terms": terms}
    return Alert(
        kind="exchange_due",
        subject=person.name,
        organization=_org_label(post.organization),
        detail=detail,
        url=_person_url(person.pk),
        sort_key=(-span.total_months, person.name),
    )


def _leader_alerts(orgs, on: dt.date, limits: AlertThresholds) -> list[Alert]:
    """Age limit and exchange alerts from current school-leader tenures: two queries."""
    current = list(
        Tenure.objects.filter(_current(on))
        .filter(
            post__level__in=LEADER_LEVELS,
            post__organization__in=orgs,
            person__employment_status=c.EmploymentStatus.ACTIVE,
        )
        .select_related("person", "post__organization")
        .order_by("post__organization__code", "person__name", "id")
    )
    history: dict[int, list[Tenure]] = {}
    rows = Tenure.objects.filter(person_id__in={t.person_id for t in current})
    for t in rows.only("id", "person_id", "post_id", "start_date", "end_date", "term_number"):
        history.setdefault(t.person_id, []).append(t)

    alerts: list[Alert] = []
    aged_seen: set[int] = set()  # one age alert per person, even when holding two watched posts
    for tenure in current:
        age = None if tenure.person_id in aged_seen else _age_alert(tenure, on, limits)
        if age:
            aged_seen.add(tenure.person_id)
        exchange = _exchange_alert(tenure, history.get(tenure.person_id, []), on, limits)
        alerts.extend(a for a in (age, exchange) if a)
    return alerts


def _probation_alerts(orgs, on: dt.date, limits: AlertThresholds) -> list[Alert]:
    """Current tenures whose probation ends between today and `probation_days` from now: one query."""
    until = on + dt.timedelta(days=limits.probation_days)
    rows = (
        Tenure.objects.filter(_current(on))
        .filter(probation_end__gte=on, probation_end__lte=until, post__organization__in=orgs)
        .select_related("person", "post__organization")
        .order_by("probation_end", "id")
    )
    return [
        Alert(
            kind="probation_ending",
            subject=t.person.name,
            organization=_org_label(t.post.organization),
            detail=_("%(post)s试用期%(date)s届满（还有%(days)d天），须组织试用期满考核")
            % {"post": t.post.name, "date": t.probation_end.strftime("%Y.%m.%d"), "days": (t.probation_end - on).days},
            url=_person_url(t.person_id),
            sort_key=(t.probation_end,),
        )
        for t in rows
    ]


def _vacancy_alerts(orgs, on: dt.date) -> list[Alert]:
    """School leader posts held by fewer people than their headcount: one query."""
    holding = Q(tenures__start_date__lte=on) & (Q(tenures__end_date__isnull=True) | Q(tenures__end_date__gte=on))
    posts = (
        Post.objects.filter(level__in=LEADER_LEVELS, organization__in=orgs)
        .annotate(holders=Count("tenures__person", filter=holding, distinct=True))
        .filter(holders__lt=F("headcount"))
        .select_related("organization")
        .order_by("organization__code", "level", "name")
    )
    return [
        Alert(
            kind="vacancy",
            subject=post.name,
            organization=_org_label(post.organization),
            detail=_("职数%(headcount)d，现任%(holders)d，空缺%(gap)d")
            % {"headcount": post.headcount, "holders": post.holders, "gap": post.headcount - post.holders},
            url=_post_url(post),
            sort_key=(post.organization.code, post.level),
        )
        for post in posts
    ]


def home_alerts(*, user, on: dt.date, limits: AlertThresholds | None = None) -> list[AlertGroup]:
    """Alerts for the user's scope, grouped by kind in a fixed order; empty groups are left out.

    Bureau users see the district, a school secretary their school, everybody else nothing.
    Takes four reads plus at most three lookups of the user's profile, unit and roles (cached on the user),
    however many people and posts there are.
    """
    orgs = alert_scope(user)
    if orgs is None:
        return []
    seconds = getattr(settings, "CADREFLOW_ALERT_CACHE_SECONDS", 0)
    if limits is None and seconds:
        # The alerts read every sitting leader of the scope: one answer per scope, day and language is kept
        # for a few minutes (a registry change shows within `CADREFLOW_ALERT_CACHE_SECONDS`).
        # The scope in words, without reading it: the district for the bureau, else the user's own unit.
        scope = "district" if is_bureau_user(user) else f"unit:{profile_of(user).organization_id}"
        key = "home-alerts:" + hashlib.sha256(f"{scope}|{on}|{get_language()}".encode()).hexdigest()
        groups = cache.get(key)
        if groups is None:
            groups = _alert_groups(orgs, on, AlertThresholds())
            cache.set(key, groups, seconds)
        return groups
    return _alert_groups(orgs, on, limits or AlertThresholds())


def _alert_groups(orgs, on: dt.date, limits: AlertThresholds) -> list[AlertGroup]:
    alerts = _leader_alerts(orgs, on, limits) + _probation_alerts(orgs, on, limits) + _vacancy_alerts(orgs, on)
    groups = []
    for kind, (label, icon) in ALERT_KINDS.items():
        members = sorted((a for a in alerts if a.kind == kind), key=lambda a: a.sort_key)
        if members:
            groups.append(AlertGroup(kind=kind, label=str(label), icon=icon, alerts=members))
    return groups


def waiting_items(*, user, counts: dict[str, int] | None = None) -> tuple[list[dict], int]:
    """What waits for the user, the home page's first rows: due pool reviews soonest first, then the inbox's
    first rows (soonest due first); dicts {title, url, due (date or None), case (str)}, and the true total of
    both (nothing dropped: the rest is on the pool's review page and in the inbox)."""
    reviews, reviews_total = inbox.due_yearly_reviews(user=user)
    tasks, total = inbox.open_tasks(user=user, counts=counts)
    return (reviews + tasks)[: inbox.HOME_ROWS], reviews_total + total


def recent_cases(*, user) -> list[dict]:
    """Cases the user recently worked on, newest first: dicts {title, url, status, updated (datetime)}."""
    return inbox.recent_processes(user=user)


def own_record_summary(*, user, on: dt.date) -> dict | None:
    """The user's own registry record in brief (for a teacher's home page), or None when there is none.

    Two queries, each compiled once (`kept_query`): the person with their unit and latest title (within what
    the user may see), and their current posts."""
    profile = profile_of(user)
    if profile is None or profile.person_id is None:
        return None
    scope = (scope_key(user), on)
    person = next(
        iter(kept_query(("own-record", scope), lambda pk: _own_person(user, pk, on), profile.person_id)), None
    )
    if person is None:
        return None
    posts = list(kept_query(("own-posts", on), lambda pk: _current_post_names(pk, on), person.pk))
    return {
        "person": person,
        "url": _person_url(person.pk),
        "age": facts.age_on(person.birth_date, on),
        "birth_month": facts.format_month(person.birth_month),
        "work_years": facts.years_of_work(person.work_start_date, on),
        "posts": posts,
        "title": label_of(c.TeacherTitle, person.latest_title),
        "political_status": label_of(c.PoliticalStatus, person.political_status),
    }


def _own_person(user, person_pk, on: dt.date):
    titles = TitleHistory.objects.filter(person_id=OuterRef("pk"), obtained_on__lte=on).order_by("-obtained_on", "-id")
    return (
        people_visible_to(user)
        .select_related("organization")
        .annotate(latest_title=Subquery(titles.values("title")[:1]))
        .filter(pk=person_pk)[:1]
    )


def _current_post_names(person_pk, on: dt.date):
    tenures = Tenure.objects.filter(_current(on), person_id=person_pk).order_by("start_date", "pk")
    return tenures.values_list("post__name", flat=True)
