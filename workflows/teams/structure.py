"""班子结构研判: a school's leadership team on a date, its gaps, and the district's gaps school by school.

A team is the people holding, on the date, a school-level post (校级正职/副职: 党组织书记, 校长, 副书记,
副校长); the mid-level cadres (中层正职/副职) are shown as a second table and count for 中层职数 only. A
person holding two posts (书记校长一肩挑) is one member. Holding a post on a date means a tenure that
started on or before it and has not ended before it (the watch list's reading, `workflows.selectors`).

Two readers, one definition of each gap:
- `team_summaries` loads a few schools in six queries whatever their size and computes the gaps in Python
  (the team page, the dossier, the structure-impact preview, which edits the loaded rows);
- `school_gap_queryset` annotates every school with the same gaps in SQL (the district overview:
  filtered, counted and paginated in the database, never a query per school).
Tests hold the two to the same answers.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext as _

from cadres import choices as c
from cadres.ethics.periods import add_months
from cadres.facts import Span, age_on, years_in_post
from cadres.models import Education, Organization, Person, Post, Tenure
from reserve_pool.choices import POOL_STATES, Horizon
from reserve_pool.models import ReserveEntry

# ----------------------------------------------------------------------------- thresholds

YOUNG_AGE = 40
"""A team with no member younger than this (周岁 on the date, `cadres.facts.age_on`) lacks young cadres;
someone exactly 40 is not under 40."""

TERM_WARNING_MONTHS = 6
"""A leader's term that ends within this many months of the date (or has already ended) is flagged, so the
bureau has time for the 任期考核 and the decision to renew or exchange."""

TERM_YEARS = 5
"""Length of a school leader's term (任期) counted from the tenure's start, used when no term record
exists: 中小学校长任期制 sets terms of 3–5 years, and the district's exchange rule counts two terms as ten
years (`SelectionParams.exchange_years` / `exchange_terms`)."""

LEADER_LEVELS = (c.PostLevel.SCHOOL_HEAD, c.PostLevel.SCHOOL_DEPUTY)
MIDDLE_LEVELS = (c.PostLevel.MIDDLE_HEAD, c.PostLevel.MIDDLE_DEPUTY)
TEAM_LEVELS = LEADER_LEVELS + MIDDLE_LEVELS
# Reserve depth counts admitted reserves (in the pool or shortlisted) held for a school-level post.
RESERVE_POST_KINDS = (
    c.PostKind.PARTY_SECRETARY,
    c.PostKind.PRINCIPAL,
    c.PostKind.DEPUTY_SECRETARY,
    c.PostKind.VICE_PRINCIPAL,
)
_KIND_ORDER = {kind: i for i, kind in enumerate(c.PostKind.values)}
_LEVEL_ORDER = {level: i for i, level in enumerate(c.PostLevel.values)}


class Gap:
    """Gap codes, in the order pages list them."""

    NO_YOUNG = "no_young"
    ONE_SEX = "one_sex"
    VACANCY = "vacancy"
    MIDDLE_VACANCY = "middle_vacancy"
    TERM_ENDING = "term_ending"
    NO_RESERVE = "no_reserve"
    ORDER = (NO_YOUNG, ONE_SEX, VACANCY, MIDDLE_VACANCY, TERM_ENDING, NO_RESERVE)


def gap_labels() -> dict[str, str]:
    """Chinese label of each gap, with the thresholds in force (read per request: translated labels)."""
    return {
        Gap.NO_YOUNG: _("班子无%(age)d岁以下成员") % {"age": YOUNG_AGE},
        Gap.ONE_SEX: _("班子成员性别单一"),
        Gap.VACANCY: _("校级领导职数空缺"),
        Gap.MIDDLE_VACANCY: _("中层干部职数空缺"),
        Gap.TERM_ENDING: _("%(m)d个月内任期届满") % {"m": TERM_WARNING_MONTHS},
        Gap.NO_RESERVE: _("无校级后备干部"),
    }


# ----------------------------------------------------------------------------- date arithmetic


def young_birth_cutoff(on: dt.date) -> dt.date:
    """The latest birth date of someone aged `YOUNG_AGE` or more on `on`: younger ⇔ born after it.

    The same 周岁 as `cadres.facts.age_on` (a birthday on 29 February is reached on 1 March in common years),
    written as a date so SQL can compare birth dates with it.
    """
    year = on.year - YOUNG_AGE
    day = min(on.day, calendar.monthrange(year, on.month)[1])
    return dt.date(year, on.month, day)


def term_end(start: dt.date) -> dt.date:
    """End of a term started on `start` (same day `TERM_YEARS` later; 29 February → 28 February)."""
    return add_months(start, TERM_YEARS * 12)


def term_horizon(on: dt.date) -> dt.date:
    """Terms ending on or before this date are flagged as ending soon."""
    return add_months(on, TERM_WARNING_MONTHS)


def term_start_cutoff(on: dt.date) -> dt.date:
    """The latest tenure start whose term ends by `term_horizon(on)`: started on or before it ⇔ ending soon."""
    horizon = term_horizon(on)
    cutoff = add_months(horizon, -TERM_YEARS * 12)
    if horizon.day == calendar.monthrange(horizon.year, horizon.month)[1]:
        # A term that starts late in a longer month ends on the horizon's (shorter) month end too.
        cutoff = cutoff.replace(day=calendar.monthrange(cutoff.year, cutoff.month)[1])
    return cutoff


# ----------------------------------------------------------------------------- the summary


@dataclass(frozen=True)
class TeamMember:
    person_id: int
    name: str
    post_id: int
    post_name: str
    level: str
    sex: str
    age: int
    education: str
    subject: str
    years_in_post: Span
    started_on: dt.date
    term_end: dt.date | None
    term_ending: bool

    @property
    def sex_label(self) -> str:
        return str(c.Sex(self.sex).label) if self.sex in c.Sex.values else ""

    @property
    def is_young(self) -> bool:
        return self.age < YOUNG_AGE


@dataclass(frozen=True)
class PostFigure:
    post_id: int
    name: str
    level: str
    kind: str
    headcount: int
    holders: int

    @property
    def vacancies(self) -> int:
        return max(self.headcount - self.holders, 0)

    @property
    def is_leader(self) -> bool:
        return self.level in LEADER_LEVELS


@dataclass(frozen=True)
class ReserveFigure:
    person_id: int
    name: str
    post_kind: str
    horizon: str

    @property
    def post_kind_label(self) -> str:
        return str(c.PostKind(self.post_kind).label)

    @property
    def horizon_label(self) -> str:
        return str(Horizon(self.horizon).label) if self.horizon in Horizon.values else ""


@dataclass
class TeamSummary:
    """A school's team on a date: members, mid-level cadres, posts with 职数, admitted reserves and gaps."""

    organization_id: int
    organization_name: str
    township: str
    on: dt.date
    members: list[TeamMember]
    middle: list[TeamMember]
    posts: list[PostFigure]
    reserve: list[ReserveFigure]
    gaps: list[str] = field(default_factory=list)

    @property
    def leader_posts(self) -> list[PostFigure]:
        return [p for p in self.posts if p.is_leader]

    @property
    def middle_posts(self) -> list[PostFigure]:
        return [p for p in self.posts if not p.is_leader]

    @property
    def headcount(self) -> int:
        return sum(p.headcount for p in self.leader_posts)

    @property
    def vacancies(self) -> int:
        return sum(p.vacancies for p in self.leader_posts)

    @property
    def middle_headcount(self) -> int:
        return sum(p.headcount for p in self.middle_posts)

    @property
    def middle_vacancies(self) -> int:
        return sum(p.vacancies for p in self.middle_posts)

    @property
    def member_count(self) -> int:
        return len({m.person_id for m in self.members})

    @property
    def reserve_depth(self) -> int:
        return len(self.reserve)

    @property
    def gap_labels(self) -> list[str]:
        labels = gap_labels()
        return [labels[g] for g in self.gaps]

    def as_content(self) -> dict:
        """Plain JSON-able data (the 班子结构分析 dossier's input: dossiers never import workflows)."""

        def member(m: TeamMember) -> dict:
            return {
                "name": m.name,
                "post": m.post_name,
                "sex": m.sex_label,
                "age": m.age,
                "education": m.education,
                "subject": m.subject,
                "years_in_post": str(m.years_in_post),
                "term_end": m.term_end.isoformat() if m.term_end else "",
                "term_ending": m.term_ending,
            }

        def post(p: PostFigure) -> dict:
            return {"name": p.name, "headcount": p.headcount, "holders": p.holders, "vacancies": p.vacancies}

        return {
            "organization": self.organization_name,
            "on": self.on.isoformat(),
            "members": [member(m) for m in self.members],
            "middle": [member(m) for m in self.middle],
            "leader_posts": [post(p) for p in self.leader_posts],
            "middle_posts": [post(p) for p in self.middle_posts],
            "headcount": self.headcount,
            "vacancies": self.vacancies,
            "middle_headcount": self.middle_headcount,
            "middle_vacancies": self.middle_vacancies,
            "reserve": [
                {"name": r.name, "post_kind": r.post_kind_label, "horizon": r.horizon_label} for r in self.reserve
            ],
            "gaps": self.gap_labels,
            "thresholds": {"young_age": YOUNG_AGE, "term_warning_months": TERM_WARNING_MONTHS},
        }


def gaps_of(summary: TeamSummary) -> list[str]:
    """The gap codes of a summary, in `Gap.ORDER` (the Python twin of `school_gap_queryset`)."""
    found = set()
    people = {m.person_id: m for m in summary.members}
    if people and not any(m.is_young for m in people.values()):
        found.add(Gap.NO_YOUNG)
    if people and len({m.sex for m in people.values()}) == 1:
        found.add(Gap.ONE_SEX)
    if summary.vacancies:
        found.add(Gap.VACANCY)
    if summary.middle_vacancies:
        found.add(Gap.MIDDLE_VACANCY)
    if any(m.term_ending for m in summary.members):
        found.add(Gap.TERM_ENDING)
    if not summary.reserve:
        found.add(Gap.NO_RESERVE)
    return [g for g in Gap.ORDER if g in found]


# ----------------------------------------------------------------------------- loading (a handful of queries)


@dataclass(frozen=True)
class PersonFacts:
    person_id: int
    name: str
    sex: str
    birth_date: dt.date
    subject: str
    education: str


@dataclass(frozen=True)
class Holding:
    """One current holding of a team post; `years` is the continuous time in the post on the date."""

    person_id: int
    post_id: int
    started_on: dt.date
    years: Span


@dataclass
class SchoolData:
    """The rows a summary is built from; the impact preview edits `holdings` and `reserve` before building."""

    organization_id: int
    name: str
    township: str
    posts: dict[int, dict]
    holdings: list[Holding]
    reserve: list[ReserveFigure]


def current_q(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_date__lte": on}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})
    )


def _education_labels(person_ids) -> dict[int, str]:
    best: dict[int, str] = {}
    for person_id, level in Education.objects.filter(person_id__in=person_ids).values_list("person_id", "level"):
        if c.EDUCATION_RANK.get(level, 0) > c.EDUCATION_RANK.get(best.get(person_id), 0):
            best[person_id] = level
    return {pid: str(c.EducationLevel(level).label) for pid, level in best.items()}


def load_people(person_ids) -> dict[int, PersonFacts]:
    """Name, sex, birth date, subject and highest 学历 of these people: two queries."""
    person_ids = set(person_ids)
    if not person_ids:
        return {}
    education = _education_labels(person_ids)
    return {
        row["id"]: PersonFacts(
            row["id"], row["name"], row["sex"], row["birth_date"], row["subject"], education.get(row["id"], "")
        )
        for row in Person.objects.filter(pk__in=person_ids).values("id", "name", "sex", "birth_date", "subject")
    }


def load_schools(organization_ids, *, on: dt.date) -> dict[int, SchoolData]:
    """The team rows of these schools on `on`: four queries whatever their number or size."""
    organization_ids = list(dict.fromkeys(organization_ids))
    orgs = Organization.objects.filter(pk__in=organization_ids).values("id", "name", "short_name", "township")
    data = {o["id"]: SchoolData(o["id"], o["short_name"] or o["name"], o["township"], {}, [], []) for o in orgs}
    for post in Post.objects.filter(organization_id__in=data, level__in=TEAM_LEVELS).values(
        "id", "organization_id", "name", "level", "kind", "headcount"
    ):
        data[post["organization_id"]].posts[post["id"]] = post
    # Every tenure on these posts up to the date, so that a renewed term continues the years in post.
    history: dict[tuple[int, int], list[Tenure]] = defaultdict(list)
    post_org = {pid: org_id for org_id, d in data.items() for pid in d.posts}
    for tenure in Tenure.objects.filter(post_id__in=post_org, start_date__lte=on).only(
        "person_id", "post_id", "start_date", "end_date"
    ):
        history[(tenure.person_id, tenure.post_id)].append(tenure)
    for (person_id, post_id), tenures in history.items():
        current = [t for t in tenures if t.end_date is None or t.end_date >= on]
        if not current:
            continue
        started = max(t.start_date for t in current)
        data[post_org[post_id]].holdings.append(
            Holding(person_id, post_id, started, years_in_post(tenures, post_id, on))
        )
    reserve = ReserveEntry.objects.filter(
        organization_id__in=data, state__in=POOL_STATES, post_kind__in=RESERVE_POST_KINDS
    ).values_list("organization_id", "person_id", "person__name", "post_kind", "horizon")
    for org_id, person_id, name, post_kind, horizon in reserve.order_by("organization_id", "post_kind", "person__name"):
        data[org_id].reserve.append(ReserveFigure(person_id, name, post_kind, horizon))
    return data


def build_summary(school: SchoolData, people: dict[int, PersonFacts], *, on: dt.date) -> TeamSummary:
    """A summary from loaded rows (no query): members sorted by rank, posts with holders, gaps."""
    horizon = term_horizon(on)
    members, middle = [], []
    holders: dict[int, set[int]] = defaultdict(set)
    for h in school.holdings:
        post = school.posts.get(h.post_id)
        person = people.get(h.person_id)
        if post is None or person is None:
            continue
        holders[h.post_id].add(h.person_id)
        leader = post["level"] in LEADER_LEVELS
        end = term_end(h.started_on) if leader else None
        member = TeamMember(
            person_id=person.person_id,
            name=person.name,
            post_id=h.post_id,
            post_name=post["name"],
            level=post["level"],
            sex=person.sex,
            age=age_on(person.birth_date, on),
            education=person.education,
            subject=person.subject,
            years_in_post=h.years,
            started_on=h.started_on,
            term_end=end,
            term_ending=bool(end and end <= horizon),
        )
        (members if leader else middle).append(member)

    def rank(m: TeamMember):
        kind = school.posts[m.post_id]["kind"]
        return (_LEVEL_ORDER.get(m.level, 99), _KIND_ORDER.get(kind, 99), m.started_on, m.person_id)

    posts = [
        PostFigure(p["id"], p["name"], p["level"], p["kind"], p["headcount"], len(holders[p["id"]]))
        for p in sorted(
            school.posts.values(),
            key=lambda p: (_LEVEL_ORDER.get(p["level"], 99), _KIND_ORDER.get(p["kind"], 99), p["name"]),
        )
    ]
    summary = TeamSummary(
        organization_id=school.organization_id,
        organization_name=school.name,
        township=school.township,
        on=on,
        members=sorted(members, key=rank),
        middle=sorted(middle, key=rank),
        posts=posts,
        reserve=list(school.reserve),
    )
    summary.gaps = gaps_of(summary)
    return summary


def team_summaries(
    organization_ids, *, on: dt.date, extra_people=()
) -> tuple[dict[int, SchoolData], dict[int, PersonFacts], dict[int, TeamSummary]]:
    """Rows, people and summaries of these schools: six queries (four for the schools, two for the people)."""
    schools = load_schools(organization_ids, on=on)
    people = load_people({h.person_id for s in schools.values() for h in s.holdings} | set(extra_people))
    return schools, people, {org_id: build_summary(s, people, on=on) for org_id, s in schools.items()}


def team_summary(organization_id: int, *, on: dt.date) -> TeamSummary:
    return team_summaries([organization_id], on=on)[2][organization_id]


def with_holdings(school: SchoolData, holdings: list[Holding], reserve: list[ReserveFigure]) -> SchoolData:
    return replace(school, holdings=holdings, reserve=reserve)


# ----------------------------------------------------------------------------- the district, in SQL


def _count_people(on: dt.date, **extra) -> Coalesce:
    rows = (
        Tenure.objects.filter(current_q(on), post__organization=OuterRef("pk"), post__level__in=LEADER_LEVELS, **extra)
        .values("post__organization")
        .annotate(n=Count("person", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _vacancies(on: dt.date, levels) -> Coalesce:
    holders = (
        Tenure.objects.filter(current_q(on), post=OuterRef("pk"))
        .values("post")
        .annotate(n=Count("person", distinct=True))
        .values("n")
    )
    per_post = (
        Post.objects.filter(organization=OuterRef("pk"), level__in=levels)
        .annotate(holders=Coalesce(Subquery(holders, output_field=IntegerField()), Value(0)))
        .annotate(open=Greatest(F("headcount") - F("holders"), Value(0)))
        .values("organization")
        .annotate(total=Sum("open"))
        .values("total")
    )
    return Coalesce(Subquery(per_post, output_field=IntegerField()), Value(0))


def _flag(q: Q) -> ExpressionWrapper:
    return ExpressionWrapper(q, output_field=BooleanField())


def school_gap_queryset(*, on: dt.date, schools: QuerySet[Organization] | None = None) -> QuerySet[Organization]:
    """Schools annotated with their team figures and one boolean `gap_<code>` per gap, all in SQL.

    Annotations: n_members, n_young, n_male, n_female, vacancies, middle_vacancies, reserve_depth and
    term_ending; filter on the gap flags, count them with `gap_counts`, paginate — one query each.
    """
    qs = (schools if schools is not None else Organization.objects.all()).filter(kind=c.OrgKind.SCHOOL)
    reserve = (
        ReserveEntry.objects.filter(
            organization=OuterRef("pk"), state__in=POOL_STATES, post_kind__in=RESERVE_POST_KINDS
        )
        .values("organization")
        .annotate(n=Count("id"))
        .values("n")
    )
    ending = Tenure.objects.filter(
        current_q(on),
        post__organization=OuterRef("pk"),
        post__level__in=LEADER_LEVELS,
        start_date__lte=term_start_cutoff(on),
    )
    qs = qs.annotate(
        n_members=_count_people(on),
        n_young=_count_people(on, person__birth_date__gt=young_birth_cutoff(on)),
        n_male=_count_people(on, person__sex=c.Sex.MALE),
        n_female=_count_people(on, person__sex=c.Sex.FEMALE),
        vacancies=_vacancies(on, LEADER_LEVELS),
        middle_vacancies=_vacancies(on, MIDDLE_LEVELS),
        reserve_depth=Coalesce(Subquery(reserve, output_field=IntegerField()), Value(0)),
        term_ending=Exists(ending),
    )
    return qs.annotate(
        **{
            f"gap_{Gap.NO_YOUNG}": _flag(Q(n_members__gt=0, n_young=0)),
            f"gap_{Gap.ONE_SEX}": _flag(Q(n_members__gt=0) & (Q(n_male=0) | Q(n_female=0))),
            f"gap_{Gap.VACANCY}": _flag(Q(vacancies__gt=0)),
            f"gap_{Gap.MIDDLE_VACANCY}": _flag(Q(middle_vacancies__gt=0)),
            f"gap_{Gap.TERM_ENDING}": _flag(Q(term_ending=True)),
            f"gap_{Gap.NO_RESERVE}": _flag(Q(reserve_depth=0)),
        }
    )


def any_gap_q() -> Q:
    q = Q()
    for code in Gap.ORDER:
        q |= Q(**{f"gap_{code}": True})
    return q


def gap_counts(queryset: QuerySet[Organization]) -> dict[str, int]:
    """Schools with each gap (and with any gap, key "any") in one query."""
    aggregates = {code: Count("pk", filter=Q(**{f"gap_{code}": True})) for code in Gap.ORDER}
    aggregates["any"] = Count("pk", filter=any_gap_q())
    aggregates["total"] = Count("pk")
    return queryset.aggregate(**aggregates)


def gaps_of_row(row) -> list[str]:
    """The gap codes of an annotated school (from `school_gap_queryset`)."""
    return [code for code in Gap.ORDER if getattr(row, f"gap_{code}")]
