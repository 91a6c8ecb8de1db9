"""班子结构研判: a school's leadership team on a date, its gaps, and the district's gaps school by school.

A team is the people holding, on the date, a school-level post (校级正职/副职: 党组织书记, 校长, 副书记,
副校长); the mid-level cadres (中层正职/副职) are shown as a second table and count for 中层职数 only. A
person holding two posts (书记校长一肩挑) is one member. Holding a post on a date means a tenure that
started on or before it and has not ended before it (the watch list's reading, `workflows.selectors`).

Two readers, one definition of each gap:
- `team_summaries` loads a few schools in seven queries whatever their size and computes the gaps in Python
  (the team page, the dossier, the structure-impact preview, which edits the loaded rows);
- `district_page` and `gap_counts` compute every school's figures in SQL — three grouped passes joined to the
  schools — and filter, count and paginate there (the district overview: one query for the counts, one
  for the page, whatever the number of schools; never a query per school).
Both decide the gaps from the same `Figures` (`gaps_from_figures`, and its SQL twin `GAP_SQL`); tests hold
the two to the same answers.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db import connection
from django.db.models import Count, F, Max, Q
from django.utils.translation import gettext as _

from cadres import choices as c
from cadres.ethics.periods import add_months
from cadres.facts import Span, age_on, years_in_post
from cadres.models import Education, Organization, Person, Post, Tenure
from reserve_pool.choices import POOL_STATES, Horizon
from reserve_pool.models import ReserveEntry
from workflows.evaluation.models import Term  # the 任期 records (opened at appointment, reviewed at their end)

# ----------------------------------------------------------------------------- thresholds

YOUNG_AGE = 40
"""A team with no member younger than this (周岁 on the date, `cadres.facts.age_on`) lacks young cadres;
someone exactly 40 is not under 40."""

TERM_WARNING_MONTHS = 6
"""A leader's term that ends within this many months of the date (or has already ended) is flagged, so the
bureau has time for the 任期考核 and the decision to renew or exchange."""


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


def term_years(on: dt.date) -> int:
    """A school leader's 任期 in years, for a tenure with no recorded term (`workflows.evaluation.Term`, whose
    end date wins): the `term_years` of the cadre-evaluation rule set in force on `on` — the one home of that
    number — or that rule's default when no set covers the date. Read once per page (three queries)."""
    from cadres.rules.registry import build_rule
    from workflows.evaluation.params import RULE_CODE, RulesMissing, evaluation_params

    try:
        return evaluation_params(on).term_years
    except RulesMissing:
        return build_rule(RULE_CODE, {}).term_years


def term_end(start: dt.date, years: int) -> dt.date:
    """End of a term of `years` started on `start` (the same day; 29 February → 28 February)."""
    return add_months(start, years * 12)


def term_horizon(on: dt.date) -> dt.date:
    """Terms ending on or before this date are flagged as ending soon."""
    return add_months(on, TERM_WARNING_MONTHS)


def term_start_cutoff(on: dt.date, years: int) -> dt.date:
    """The latest tenure start whose term of `years` ends by `term_horizon(on)`: started on or before it ⇔
    ending soon."""
    horizon = term_horizon(on)
    cutoff = add_months(horizon, -years * 12)
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


@dataclass(frozen=True)
class Figures:
    """What the gaps are decided on: distinct members (young, male, female), vacancies, reserves, terms."""

    members: int
    young: int
    male: int
    female: int
    vacancies: int
    middle_vacancies: int
    reserve: int
    term_ending: bool


def gaps_from_figures(f: Figures) -> list[str]:
    """The gap codes, in `Gap.ORDER`: the one definition in Python (`GAP_Q` is its SQL twin)."""
    found = {
        Gap.NO_YOUNG: f.members > 0 and f.young == 0,
        Gap.ONE_SEX: f.members > 0 and (f.male == 0 or f.female == 0),
        Gap.VACANCY: f.vacancies > 0,
        Gap.MIDDLE_VACANCY: f.middle_vacancies > 0,
        Gap.TERM_ENDING: f.term_ending,
        Gap.NO_RESERVE: f.reserve == 0,
    }
    return [g for g in Gap.ORDER if found[g]]


def figures_of(summary: TeamSummary) -> Figures:
    people = {m.person_id: m for m in summary.members}
    return Figures(
        members=len(people),
        young=sum(1 for m in people.values() if m.is_young),
        male=sum(1 for m in people.values() if m.sex == c.Sex.MALE),
        female=sum(1 for m in people.values() if m.sex == c.Sex.FEMALE),
        vacancies=summary.vacancies,
        middle_vacancies=summary.middle_vacancies,
        reserve=len(summary.reserve),
        term_ending=any(m.term_ending for m in summary.members),
    )


def gaps_of(summary: TeamSummary) -> list[str]:
    """The gap codes of a summary, in `Gap.ORDER`."""
    return gaps_from_figures(figures_of(summary))


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
    term_end: dt.date | None = None  # the recorded 任期 (workflows.evaluation.Term), when there is one


@dataclass
class SchoolData:
    """The rows a summary is built from; the impact preview edits `holdings` and `reserve` before building."""

    organization_id: int
    name: str
    township: str
    posts: dict[int, dict]
    holdings: list[Holding]
    reserve: list[ReserveFigure]
    term_years: int = 3  # for tenures without a recorded term; set from the rule set by `load_schools`


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


def recorded_term_ends(tenure_ids, *, on: dt.date) -> dict[int, dt.date]:
    """End of the running recorded term of each tenure (terms follow each other: the latest ends last)."""
    return dict(
        Term.objects.filter(tenure_id__in=tenure_ids, start_date__lte=on)
        .values("tenure_id")
        .annotate(end=Max("end_date"))
        .values_list("tenure_id", "end")
        .order_by()
    )


def load_schools(organization_ids, *, on: dt.date) -> dict[int, SchoolData]:
    """The team rows of these schools on `on`: five queries whatever their number or size."""
    organization_ids = list(dict.fromkeys(organization_ids))
    orgs = Organization.objects.filter(pk__in=organization_ids).values("id", "name", "short_name", "township")
    years = term_years(on)
    data = {o["id"]: SchoolData(o["id"], o["short_name"] or o["name"], o["township"], {}, [], [], years) for o in orgs}
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
    running = {}
    for key, tenures in history.items():
        current = [t for t in tenures if t.end_date is None or t.end_date >= on]
        if current:
            running[key] = max(current, key=lambda t: (t.start_date, t.pk))
    recorded = recorded_term_ends([t.pk for t in running.values()], on=on)
    for (person_id, post_id), tenure in running.items():
        data[post_org[post_id]].holdings.append(
            Holding(
                person_id,
                post_id,
                tenure.start_date,
                years_in_post(history[(person_id, post_id)], post_id, on),
                recorded.get(tenure.pk),
            )
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
        end = (h.term_end or term_end(h.started_on, school.term_years)) if leader else None
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
    """Rows, people and summaries of these schools: seven queries (five for the schools, two for the people)."""
    schools = load_schools(organization_ids, on=on)
    people = load_people({h.person_id for s in schools.values() for h in s.holdings} | set(extra_people))
    return schools, people, {org_id: build_summary(s, people, on=on) for org_id, s in schools.items()}


def team_summary(organization_id: int, *, on: dt.date) -> TeamSummary:
    return team_summaries([organization_id], on=on)[2][organization_id]


def with_holdings(school: SchoolData, holdings: list[Holding], reserve: list[ReserveFigure]) -> SchoolData:
    return replace(school, holdings=holdings, reserve=reserve)


# ----------------------------------------------------------------------------- the district, in SQL
#
# One row of figures per school, computed by three grouped passes (leaders' tenures, posts with their holders,
# admitted reserves) joined to the schools: a province's 1,500 schools cost three scans, not a correlated
# subquery per school and figure. The grouped passes are built with the ORM and composed as derived tables.


def _grouped_sql(on: dt.date) -> list[tuple[str, str, list]]:
    """(alias, SQL, params) of each grouped pass, every one keyed by the column "org"."""
    cutoff = young_birth_cutoff(on)
    leaders = (
        Tenure.objects.filter(current_q(on), post__level__in=LEADER_LEVELS)
        .annotate(org=F("post__organization_id"))
        .values("org")
        .annotate(
            n_members=Count("person", distinct=True),
            n_young=Count("person", distinct=True, filter=Q(person__birth_date__gt=cutoff)),
            n_male=Count("person", distinct=True, filter=Q(person__sex=c.Sex.MALE)),
            n_female=Count("person", distinct=True, filter=Q(person__sex=c.Sex.FEMALE)),
        )
        .values("org", "n_members", "n_young", "n_male", "n_female")
        .order_by()
    )
    # Holders per post as a grouped pass too (a correlated count per post costs 13,500 lookups at province
    # scale), joined to the posts and summed per school: open seats = headcount − holders, never below 0.
    holders_sql, holders_params = (
        Tenure.objects.filter(current_q(on))
        .annotate(pid=F("post_id"))
        .values("pid")
        .annotate(n=Count("person", distinct=True))
        .values("pid", "n")
        .order_by()
        .query.sql_with_params()
    )
    qn = connection.ops.quote_name
    open_seats = "CASE WHEN pp.headcount > COALESCE(h.n, 0) THEN pp.headcount - COALESCE(h.n, 0) ELSE 0 END"
    leader_marks = ", ".join(["%s"] * len(LEADER_LEVELS))
    team_marks = ", ".join(["%s"] * len(TEAM_LEVELS))
    posts_sql = (
        f"SELECT pp.organization_id AS org, "
        f"SUM(CASE WHEN pp.level IN ({leader_marks}) THEN {open_seats} ELSE 0 END) AS vacancies, "
        f"SUM(CASE WHEN pp.level IN ({leader_marks}) THEN 0 ELSE {open_seats} END) AS middle_vacancies "
        f"FROM {qn(Post._meta.db_table)} pp LEFT JOIN ({holders_sql}) h ON h.pid = pp.id "
        f"WHERE pp.level IN ({team_marks}) GROUP BY pp.organization_id"
    )
    posts_params = [*LEADER_LEVELS, *LEADER_LEVELS, *holders_params, *TEAM_LEVELS]
    # Leaders whose term ends by the horizon: the recorded term's end, else the rule's (start + term_years).
    terms_sql, terms_params = (
        Term.objects.filter(start_date__lte=on)
        .annotate(tid=F("tenure_id"))
        .values("tid")
        .annotate(term_end=Max("end_date"))
        .values("tid", "term_end")
        .order_by()
        .query.sql_with_params()
    )
    ending_sql = (
        f"SELECT pt.organization_id AS org, COUNT(*) AS n_ending FROM {qn(Tenure._meta.db_table)} tt "
        f"JOIN {qn(Post._meta.db_table)} pt ON pt.id = tt.post_id LEFT JOIN ({terms_sql}) te ON te.tid = tt.id "
        f"WHERE tt.start_date <= %s AND (tt.end_date IS NULL OR tt.end_date >= %s) AND pt.level IN ({leader_marks}) "
        f"AND ((te.term_end IS NOT NULL AND te.term_end <= %s) OR (te.term_end IS NULL AND tt.start_date <= %s)) "
        f"GROUP BY pt.organization_id"
    )
    ending_params = [*terms_params, on, on, *LEADER_LEVELS, term_horizon(on), term_start_cutoff(on, term_years(on))]
    reserve = (
        ReserveEntry.objects.filter(state__in=POOL_STATES, post_kind__in=RESERVE_POST_KINDS)
        .annotate(org=F("organization_id"))
        .values("org")
        .annotate(reserve_depth=Count("id"))
        .values("org", "reserve_depth")
        .order_by()
    )
    out = []
    for alias, qs in (("l", leaders), ("r", reserve)):
        sql, params = qs.query.sql_with_params()
        out.append((alias, sql, list(params)))
    out.append(("p", posts_sql, posts_params))
    out.append(("t", ending_sql, ending_params))
    return out


FIGURE_COLUMNS = {
    "n_members": "l",
    "n_young": "l",
    "n_male": "l",
    "n_female": "l",
    "n_ending": "t",
    "vacancies": "p",
    "middle_vacancies": "p",
    "reserve_depth": "r",
}

# The SQL twin of `gaps_from_figures`, over the figure columns (tests hold the two to the same answers).
GAP_SQL = {
    Gap.NO_YOUNG: "n_members > 0 AND n_young = 0",
    Gap.ONE_SEX: "n_members > 0 AND (n_male = 0 OR n_female = 0)",
    Gap.VACANCY: "vacancies > 0",
    Gap.MIDDLE_VACANCY: "middle_vacancies > 0",
    Gap.TERM_ENDING: "n_ending > 0",
    Gap.NO_RESERVE: "reserve_depth = 0",
}
ANY_GAP = "any"


def _figures_sql(on: dt.date) -> tuple[str, list]:
    """SELECT id, code, name, short_name, township and the figure columns of every school."""
    qn = connection.ops.quote_name
    org = qn(Organization._meta.db_table)
    joins, params = [], []
    for alias, sql, p in _grouped_sql(on):
        joins.append(f"LEFT JOIN ({sql}) {alias} ON {alias}.org = o.id")
        params += p
    figures = ", ".join(f"COALESCE({alias}.{col}, 0) AS {col}" for col, alias in FIGURE_COLUMNS.items())
    sql = (
        f"SELECT o.id, o.code, o.name, o.short_name, o.township, {figures} FROM {org} o "
        + " ".join(joins)
        + " WHERE o.kind = %s"
    )
    return sql, [*params, c.OrgKind.SCHOOL]


@dataclass(frozen=True)
class SchoolRow:
    """One school of the district overview: its figures and gap codes."""

    pk: int
    code: str
    name: str
    short_name: str
    township: str
    figures: Figures

    @property
    def gaps(self) -> list[str]:
        return gaps_from_figures(self.figures)


def _row(values) -> SchoolRow:
    pk, code, name, short_name, township, members, young, male, female, ending, vac, mid_vac, reserve = values[:13]
    return SchoolRow(
        pk,
        code,
        name,
        short_name,
        township,
        Figures(
            members=int(members),
            young=int(young),
            male=int(male),
            female=int(female),
            vacancies=int(vac),
            middle_vacancies=int(mid_vac),
            reserve=int(reserve),
            term_ending=int(ending) > 0,
        ),
    )


def _where(gap: str | None, township: str | None, name: str | None) -> tuple[str, list]:
    clauses, params = [], []
    if gap == ANY_GAP:
        clauses.append("(" + " OR ".join(f"({GAP_SQL[g]})" for g in Gap.ORDER) + ")")
    elif gap:
        clauses.append(f"({GAP_SQL[gap]})")
    if township:
        clauses.append("f.township = %s")
        params.append(township)
    if name:
        pattern = "%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append("(f.name LIKE %s ESCAPE '\\' OR f.short_name LIKE %s ESCAPE '\\')")
        params += [pattern, pattern]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def district_page(
    *,
    on: dt.date,
    gap: str | None = None,
    township: str | None = None,
    name: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[SchoolRow], int]:
    """The schools matching the filters, ordered by code, `limit` from `offset`, and how many match: one query
    (the total rides along as a window count)."""
    sql, params = _figures_sql(on)
    where, where_params = _where(gap, township, name)
    query = f"SELECT f.*, COUNT(*) OVER () AS matching FROM ({sql}) f{where} ORDER BY f.code LIMIT %s OFFSET %s"
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, *where_params, limit, offset])
        fetched = cursor.fetchall()
        if not fetched and offset:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) f{where}", [*params, *where_params])
            return [], int(cursor.fetchone()[0])
    return [_row(r) for r in fetched], int(fetched[0][-1]) if fetched else 0


def gap_counts(*, on: dt.date) -> dict[str, int]:
    """Schools with each gap, with any gap ("any") and in all ("total"): one query."""
    sql, params = _figures_sql(on)
    cases = [f"SUM(CASE WHEN {GAP_SQL[code]} THEN 1 ELSE 0 END)" for code in Gap.ORDER]
    any_gap = " OR ".join(f"({GAP_SQL[code]})" for code in Gap.ORDER)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), {', '.join(cases)}, SUM(CASE WHEN {any_gap} THEN 1 ELSE 0 END) FROM ({sql}) f",
            params,
        )
        total, *per_gap, any_count = cursor.fetchone()
    counts = {code: int(n or 0) for code, n in zip(Gap.ORDER, per_gap, strict=True)}
    return {**counts, ANY_GAP: int(any_count or 0), "total": int(total or 0)}


def school_rows(*, on: dt.date) -> dict[int, SchoolRow]:
    """Every school's row (tests and small districts; pages use `district_page`)."""
    rows, _total = district_page(on=on, limit=1_000_000)
    return {r.pk: r for r in rows}
