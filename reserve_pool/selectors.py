"""Reads of the reserve pool: scoped lists, quotas, the near-term share, the pool's structure, pool members.

Scope: bureau-level users see every entry; a school party secretary sees the entries of their own school's
people (their nominees); anyone else sees none (a teacher does not browse the pool).

"The pool" is the admitted, not yet used entries (in_pool and shortlisted) of the whole district.
Quotas are counted per school and post category: the school is the entry's `organization` (the unit whose
post the reserve is held for), the limit is the rule set's number per post times the seats (the summed
headcount, 职数) of that school's posts of that category — one seat when none is registered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres import choices as c
from cadres.ethics.purposes import VetoPurpose
from cadres.ethics.veto import blocked_people
from cadres.facts import age_on
from cadres.models import Education, Organization, Person, Post, TitleHistory
from cadres.roles import is_bureau_user
from cadres.rules import Purpose, evaluate
from cadres.scoping import people_visible_to

from . import policies
from .choices import POOL_STATES, TARGET_POST_KINDS, Horizon, ReserveKind, ReserveState, ReviewStatus
from .models import ReserveEntry, TrainingRecord, YearlyReview
from .rules import ReservePoolParams, reserve_pool_params

# ----------------------------------------------------------------------------- scope and lists

POOL = "pool"  # the filter value for "in the pool" (in_pool or shortlisted)


def entries_visible_to(user, queryset: QuerySet[ReserveEntry] | None = None) -> QuerySet[ReserveEntry]:
    qs = ReserveEntry.objects.all() if queryset is None else queryset
    if is_bureau_user(user):
        return qs
    if policies.secretary_school_id(user) is None:
        return qs.none()
    return qs.filter(person__in=people_visible_to(user))


def entry_list(
    *,
    user,
    state: str | None = None,
    kind: str | None = None,
    horizon: str | None = None,
    post_kind: str | None = None,
    organization_id: int | None = None,
    target_organization_id: int | None = None,
    township: str | None = None,
    name: str | None = None,
) -> QuerySet[ReserveEntry]:
    """Visible entries, filtered; `organization_id` is the person's school, `target_organization_id` the unit
    the reserve is held for; state "pool" means admitted and not used (in_pool or shortlisted); `name` matches
    part of the person's name."""
    qs = entries_visible_to(user).select_related(
        "person", "person__organization", "organization", "target_post", "nominating_unit"
    )
    if state == POOL:
        qs, state = qs.filter(state__in=POOL_STATES), None
    filters = {
        "state": state,
        "person__organization__township": township,
        "person__name__contains": name,
        "kind": kind,
        "horizon": horizon,
        "post_kind": post_kind,
        "person__organization_id": organization_id,
        "organization_id": target_organization_id,
    }
    qs = qs.filter(**{k: v for k, v in filters.items() if v})
    return qs.order_by("person__organization__code", "person__name", "id")


def entry_detail_queryset(*, user) -> QuerySet[ReserveEntry]:
    return (
        entries_visible_to(user)
        .select_related("person", "person__organization", "organization", "target_post", "nominating_unit", "used_post")
        .prefetch_related("trainings", "yearly_reviews")
    )


def pool_entries(*, user) -> QuerySet[ReserveEntry]:
    """The admitted, not yet used entries the user may see."""
    return entries_visible_to(user).filter(state__in=POOL_STATES)


def pending_reviews(*, user) -> QuerySet[YearlyReview]:
    """Yearly-review tasks waiting for a decision, on entries the user may see."""
    return (
        YearlyReview.objects.filter(status=ReviewStatus.PENDING, entry__in=entries_visible_to(user))
        .select_related("entry__person__organization")
        .order_by("due_on", "id")
    )


def review_reasons(entry: ReserveEntry) -> list[str]:
    """Why the recorded qualification review did not pass (empty when it passed or was not done)."""
    reasons = [item["message"] for item in entry.review_refusals or []]
    if (entry.review_veto or {}).get("blocked"):
        reasons.append(entry.review_veto.get("sentence", ""))
    if entry.personal_matters_ok is False:
        reasons.append(_("个人有关事项报告查核不相符：%(n)s") % {"n": entry.personal_matters_note})
    return reasons


# ----------------------------------------------------------------------------- quotas


@dataclass(frozen=True)
class QuotaFigure:
    organization: Organization
    post_kind: str
    seats: int
    per_post: int
    used: int

    @property
    def kind(self) -> str:
        return TARGET_POST_KINDS[self.post_kind]

    @property
    def limit(self) -> int:
        return self.seats * self.per_post

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    def as_dict(self, post_kind_labels: dict | None = None, kind_labels: dict | None = None) -> dict:
        post_kind_label = (post_kind_labels or {}).get(self.post_kind) or str(c.PostKind(self.post_kind).label)
        kind_label = (kind_labels or {}).get(self.kind) or str(ReserveKind(self.kind).label)
        return {
            "organization_id": self.organization.pk,
            "organization": self.organization.name,
            "post_kind": self.post_kind,
            "post_kind_label": post_kind_label,
            "kind": self.kind,
            "kind_label": kind_label,
            "seats": self.seats,
            "per_post": self.per_post,
            "limit": self.limit,
            "used": self.used,
            "remaining": self.remaining,
            "over": self.used > self.limit,
        }


def _seats(organization_id: int, post_kind: str) -> int:
    posts = Post.objects.filter(organization_id=organization_id, kind=post_kind)
    if not posts.exists():
        return 1
    return posts.aggregate(total=Sum("headcount"))["total"] or 0


def quota_figure(
    *, organization: Organization, post_kind: str, params: ReservePoolParams, exclude_pk: int | None = None
) -> QuotaFigure:
    """Seats, limit and current use of one school's post category (the entry `exclude_pk` not counted)."""
    used = ReserveEntry.objects.filter(organization=organization, post_kind=post_kind, state__in=POOL_STATES)
    if exclude_pk is not None:
        used = used.exclude(pk=exclude_pk)
    return QuotaFigure(
        organization=organization,
        post_kind=post_kind,
        seats=_seats(organization.pk, post_kind),
        per_post=params.per_post(TARGET_POST_KINDS[post_kind]),
        used=used.count(),
    )


def quota_usage(*, organizations: QuerySet[Organization] | None = None, on: dt.date | None = None) -> list[dict]:
    """Per school and post category: seats, limit, used, remaining — for categories with registered posts or
    reserves. Five queries (two for the rule set) whatever the number of schools."""
    params = reserve_pool_params(on or timezone.localdate())
    schools = organizations if organizations is not None else Organization.objects.all()
    schools = {o.pk: o for o in schools.filter(kind=c.OrgKind.SCHOOL)}
    kinds = list(TARGET_POST_KINDS)
    seats = {
        (row["organization_id"], row["kind"]): (row["total"] or 0)
        for row in Post.objects.filter(organization_id__in=schools, kind__in=kinds)
        .values("organization_id", "kind")
        .annotate(total=Sum("headcount"))
    }
    used = {
        (row["organization_id"], row["post_kind"]): row["n"]
        for row in ReserveEntry.objects.filter(organization_id__in=schools, state__in=POOL_STATES)
        .values("organization_id", "post_kind")
        .annotate(n=Count("id"))
    }
    order = {kind: i for i, kind in enumerate(c.PostKind.values)}
    # Labels read once: `as_dict` translates two labels a row, a quarter of the time on a province's schools.
    post_kind_labels = {k: str(v) for k, v in c.PostKind.choices}
    kind_labels = {k: str(v) for k, v in ReserveKind.choices}
    rows = []
    for org_id, post_kind in sorted(set(seats) | set(used), key=lambda k: (schools[k[0]].code, order[k[1]])):
        figure = QuotaFigure(
            organization=schools[org_id],
            post_kind=post_kind,
            seats=seats.get((org_id, post_kind), 1),
            per_post=params.per_post(TARGET_POST_KINDS[post_kind]),
            used=used.get((org_id, post_kind), 0),
        )
        rows.append(figure.as_dict(post_kind_labels, kind_labels))
    return rows


# ----------------------------------------------------------------------------- near-term share


@dataclass(frozen=True)
class NearTermShare:
    total: int
    near_term: int
    numerator: int
    denominator: int

    @property
    def required(self) -> int:
        """The fewest near-term reserves a pool of `total` needs (rounded up)."""
        return -(-self.numerator * self.total // self.denominator)

    @property
    def met(self) -> bool:
        return self.near_term >= self.required

    def with_entry(self, horizon: str) -> NearTermShare:
        return NearTermShare(
            self.total + 1, self.near_term + (horizon == Horizon.NEAR_TERM), self.numerator, self.denominator
        )

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "near_term": self.near_term,
            "long_term": self.total - self.near_term,
            "required": self.required,
            "ratio": f"{self.numerator}/{self.denominator}",
            "percent": round(self.near_term * 100 / self.total, 1) if self.total else 0.0,
            "met": self.met,
        }


def near_term_share(
    *, on: dt.date | None = None, exclude_pk: int | None = None, params: ReservePoolParams | None = None
) -> NearTermShare:
    """Near-term reserves among the district's pool (the entry `exclude_pk` not counted)."""
    params = params or reserve_pool_params(on or timezone.localdate())
    pool = ReserveEntry.objects.filter(state__in=POOL_STATES)
    if exclude_pk is not None:
        pool = pool.exclude(pk=exclude_pk)
    counts = pool.aggregate(total=Count("id"), near=Count("id", filter=Q(horizon=Horizon.NEAR_TERM)))
    return NearTermShare(counts["total"], counts["near"], params.near_term_numerator, params.near_term_denominator)


# ----------------------------------------------------------------------------- structure

AGE_BANDS = [
    ("le30", gettext_lazy("30岁及以下"), None, 30),
    ("31_35", gettext_lazy("31—35岁"), 31, 35),
    ("36_40", gettext_lazy("36—40岁"), 36, 40),
    ("41_45", gettext_lazy("41—45岁"), 41, 45),
    ("ge46", gettext_lazy("46岁及以上"), 46, None),
]
DIMENSIONS = [
    ("age_band", gettext_lazy("年龄")),
    ("sex", gettext_lazy("性别")),
    ("education", gettext_lazy("学历")),
    ("title", gettext_lazy("职称")),
    ("subject", gettext_lazy("任教学科")),
    ("stage", gettext_lazy("学段")),
    ("kind", gettext_lazy("后备类别")),
    ("horizon", gettext_lazy("使用期限")),
    ("township", gettext_lazy("镇街")),
]
NOT_RECORDED = "none"


def _age_band(age: int) -> str:
    for key, _label, low, high in AGE_BANDS:
        if (low is None or age >= low) and (high is None or age <= high):
            return key
    raise AssertionError(age)  # the bands cover every age


def highest_education(person: Person) -> str | None:
    levels = [e.level for e in person.educations.all()]
    return max(levels, key=lambda level: c.EDUCATION_RANK.get(level, 0)) if levels else None


def title_on(person: Person, on: dt.date) -> str | None:
    held = [t for t in person.titles.all() if t.obtained_on <= on]
    if not held:
        return None
    return max(held, key=lambda t: (t.obtained_on, c.TITLE_RANK.get(t.title, -1), t.pk)).title


def _rows(counts: dict[str, int], labels: dict[str, str], order: list[str], total: int, *, keep_zero: bool) -> list:
    keys = [k for k in order if keep_zero or counts.get(k)]
    keys += sorted((k for k in counts if k not in order), key=lambda k: (k == NOT_RECORDED, -counts[k], k))
    return [
        {
            "key": k,
            "label": str(labels.get(k, k)),
            "count": counts.get(k, 0),
            "percent": round(counts.get(k, 0) * 100 / total, 1) if total else 0.0,
        }
        for k in keys
    ]


def pool_structure(queryset: QuerySet[ReserveEntry], *, on: dt.date) -> dict:
    """Counts of the entries in `queryset` by age band (周岁 at `on`), sex, highest education, title at `on`,
    subject, school stage, kind, horizon and township, as plain dicts for charts:

        {"total": n, "on": "YYYY-MM-DD",
         "dimensions": {"age_band": {"label": "年龄", "rows": [{"key", "label", "count", "percent"}, ...]}, ...}}

    Fixed categories (age bands, sex, kind, horizon) list every row, zeros included, in their natural order;
    the others list the values present (education and title by rank, stage in choice order, subject and
    township by count). Missing data counts under key "none" (未填写). Three queries, reading plain values (no
    model instances), with the people as a subquery — so a province's pool takes well under a second.
    """
    rows = list(
        queryset.values_list(
            "person_id",
            "kind",
            "horizon",
            "person__birth_date",
            "person__sex",
            "person__subject",
            "person__organization__stage",
            "person__organization__township",
        )
    )
    people = queryset.values("person_id")  # a subquery: no list of ids, whatever the size of the pool
    education: dict[int, str] = {}
    for person_id, level in Education.objects.filter(person_id__in=people).order_by().values_list("person_id", "level"):
        if c.EDUCATION_RANK.get(level, 0) >= c.EDUCATION_RANK.get(education.get(person_id), -1):
            education[person_id] = level
    titles: dict[int, tuple] = {}
    held = TitleHistory.objects.filter(person_id__in=people, obtained_on__lte=on).order_by()  # no sort, no joins
    for person_id, title, obtained_on, pk in held.values_list("person_id", "title", "obtained_on", "pk"):
        key = (obtained_on, c.TITLE_RANK.get(title, -1), pk)  # the latest obtained, as `title_on` picks
        if person_id not in titles or key > titles[person_id][0]:
            titles[person_id] = (key, title)

    total = len(rows)
    values: dict[str, list[str]] = {key: [] for key, _label in DIMENSIONS}
    for person_id, kind, horizon, birth_date, sex, subject, stage, township in rows:
        values["age_band"].append(_age_band(age_on(birth_date, on)))
        values["sex"].append(sex)
        values["education"].append(education.get(person_id) or NOT_RECORDED)
        values["title"].append(titles[person_id][1] if person_id in titles else NOT_RECORDED)
        values["subject"].append(subject or NOT_RECORDED)
        values["stage"].append(stage or NOT_RECORDED)
        values["kind"].append(kind)
        values["horizon"].append(horizon)
        values["township"].append(township or NOT_RECORDED)

    none_label = {NOT_RECORDED: _("未填写")}
    education_order = sorted(c.EducationLevel.values, key=lambda v: c.EDUCATION_RANK[v], reverse=True)
    title_order = sorted(c.TeacherTitle.values, key=lambda v: c.TITLE_RANK[v], reverse=True)
    spec = {
        "age_band": ({k: label for k, label, _lo, _hi in AGE_BANDS}, [k for k, *_rest in AGE_BANDS], True),
        "sex": (dict(c.Sex.choices), list(c.Sex.values), True),
        "education": ({**dict(c.EducationLevel.choices), **none_label}, [*education_order, NOT_RECORDED], False),
        "title": ({**dict(c.TeacherTitle.choices), **none_label}, [*title_order, NOT_RECORDED], False),
        "subject": (none_label, [], False),  # by count, 未填写 last
        "stage": ({**dict(c.Stage.choices), **none_label}, [*c.Stage.values, NOT_RECORDED], False),
        "kind": (dict(ReserveKind.choices), list(ReserveKind.values), True),
        "horizon": (dict(Horizon.choices), list(Horizon.values), True),
        "township": (none_label, [], False),
    }
    dimensions = {}
    for key, label in DIMENSIONS:
        counts: dict[str, int] = {}
        for value in values[key]:
            counts[value] = counts.get(value, 0) + 1
        labels, order, keep_zero = spec[key]
        dimensions[key] = {"label": str(label), "rows": _rows(counts, labels, order, total, keep_zero=keep_zero)}
    return {"total": total, "on": on.isoformat(), "dimensions": dimensions}


NON_PARTY = (c.PoliticalStatus.CPC_MEMBER, c.PoliticalStatus.CPC_PROBATIONARY)


def structure_against_targets(queryset: QuerySet[ReserveEntry], *, on: dt.date) -> list[dict]:
    """Women and non-CPC members among the entries of `queryset` against the rule set's targets (shown, not
    enforced). `met` is False for an empty list."""
    params = reserve_pool_params(on)
    people = list(queryset.values_list("person__sex", "person__political_status"))
    total = len(people)
    women = sum(1 for sex, _status in people if sex == c.Sex.FEMALE)
    non_party = sum(1 for _sex, status in people if status not in NON_PARTY)

    def row(key, label, count, target):
        return {
            "key": key,
            "label": str(label),
            "target_percent": target,
            "count": count,
            "total": total,
            "actual_percent": round(count * 100 / total, 1) if total else 0.0,
            "met": bool(total) and count * 100 >= target * total,
        }

    return [
        row("women", _("女性"), women, params.women_percent),
        row("non_party", _("非中共党员"), non_party, params.non_party_percent),
    ]


# ----------------------------------------------------------------------------- training


def training_hours(entries, *, year: int) -> dict[int, Decimal]:
    """Hours of courses ending in `year`, per entry id (entries without any are absent)."""
    rows = (
        TrainingRecord.objects.filter(entry__in=entries, end_date__year=year)
        .values("entry_id")
        .annotate(total=Sum("hours"))
    )
    return {row["entry_id"]: row["total"] for row in rows}


def training_summary(entry: ReserveEntry, *, year: int) -> dict:
    """Hours done in `year` (courses ending that year) against the hours the rule set in force at the year's
    end requires."""
    required = Decimal(str(reserve_pool_params(dt.date(year, 12, 31)).training_hours_per_year))
    done = training_hours([entry.pk], year=year).get(entry.pk, Decimal(0))
    return {
        "year": year,
        "required_hours": required,
        "completed_hours": done,
        "shortfall_hours": max(required - done, Decimal(0)),
        "met": done >= required,
    }


# ----------------------------------------------------------------------------- pool members for selection


@dataclass(frozen=True)
class PoolMember:
    entry: ReserveEntry
    reasons: list[str] = field(default_factory=list)  # why not eligible today; empty when eligible

    @property
    def eligible(self) -> bool:
        return not self.reasons


def pool_members(post_kind: str, organization: Organization | None = None, *, on: dt.date | None = None) -> list:
    """In-pool entries for `post_kind` (and for `organization`'s posts, when given), near-term first, each
    with the reasons it is not eligible on `on`: the `reserve_entry` rule set and the ethics veto."""
    on = on or timezone.localdate()
    qs = ReserveEntry.objects.filter(state=ReserveState.IN_POOL, post_kind=post_kind).select_related(
        "person__organization", "organization", "target_post"
    )
    if organization is not None:
        qs = qs.filter(organization=organization)
    qs = qs.annotate(
        near_first=Case(When(horizon=Horizon.NEAR_TERM, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("near_first", "admitted_on", "person__name", "id")
    entries = list(qs)
    people = Person.objects.filter(pk__in=[e.person_id for e in entries])
    vetoes = {
        row.person.pk: row.results[VetoPurpose.RESERVE_ENTRY]
        for row in blocked_people(people, on=on, purposes=[VetoPurpose.RESERVE_ENTRY])
    }
    members = []
    for entry in entries:
        reasons = [r.message for r in evaluate(entry.person, purpose=Purpose.RESERVE_ENTRY, on=on).refusals]
        veto = vetoes.get(entry.person_id)
        if veto is not None:
            reasons += [hit.sentence for hit in veto.hits]
        members.append(PoolMember(entry, reasons))
    return members


def eligible_pool_members(
    post_kind: str, organization: Organization | None = None, *, on: dt.date | None = None
) -> list[ReserveEntry]:
    """Pool members a selection lists first: in the pool, not vetoed, eligible under the rule set on `on`."""
    return [member.entry for member in pool_members(post_kind, organization, on=on) if member.eligible]
