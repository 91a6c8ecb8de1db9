#!/usr/bin/env python
"""Reads of the reserve pool (后备干部库) at province scale, printed as one table.

Builds a registry the size a province has — by default 1,500 schools of 100 staff (150,000 people, each with a
full-time education, a third with an in-service one, one to three titles; the schools' posts and their
holders' tenures) and 30,000 reserve entries in plausible states (about 72 % in_pool, the rest shortlisted,
nominated, under_review, assessed, used, removed, expired) with ~3,750 training records — with bulk_create
(the services would take hours), then times what grows with the pool, in-process:

    pool_structure             selectors.pool_structure over the whole pool (the dashboard's charts)
    structure_against_targets  selectors.structure_against_targets over the whole pool
    quota_usage                selectors.quota_usage over every school
    workbook                   exports.entries_workbook of the whole pool, and of one township
    名册 rows                   rows.roster_rows for one township
                               (what the 名册 PDF is built from, without rendering the PDF; a 名册 is a filtered list)
    list page                  GET /reserve_pool/entries/?state=pool (first page, and the last page)
    dashboard                  GET /reserve_pool/dashboard/

as a bureau personnel officer (Django's test Client, force_login). Each is run once as a warm-up with its SQL
queries counted (CaptureQueriesContext), then --repeat times on the wall clock; the median is reported. The
same operation on a filter that selects a few rows (one person's name, one school's quotas) is counted too:
equal counts show the queries do not grow with the rows ("GROWS" is printed otherwise).

Runs against a throwaway database: a new SQLite file under /tmp, or a `test_<name>` database on the server
named by DATABASE_URL (created and dropped; the named database itself is not touched). On PostgreSQL the
tables are ANALYZEd after loading, as autovacuum would do after a bulk load; SQLite is left as deployed.

Usage:
    .venv/bin/python bench/bench_reserve_pool.py [--schools 1500] [--staff 100] [--entries 30000] [--repeat 5]
    .venv/bin/python bench/bench_reserve_pool.py --quick          # 60 schools × 40 staff, 1,200 entries
    .venv/bin/python bench/bench_reserve_pool.py --profile list   # cProfile of one run of the operations named
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadreflow_bench_pool .venv/bin/python bench/bench_reserve_pool.py
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import random
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from benchsetup import setup_django, throwaway_database

SCHOOLS_PER_TOWNSHIP = 12
CHUNK = 50  # schools whose people are built and written together (keeps memory flat)
SLOW_PAGE = 1.0  # seconds; a page slower than this is flagged
SEED = 2026

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅文斌宇浩凯鹏晨欣怡佳琪"
SUBJECTS = [
    "语文",
    "数学",
    "英语",
    "物理",
    "化学",
    "生物",
    "历史",
    "地理",
    "政治",
    "音乐",
    "体育",
    "美术",
    "信息技术",
    "",
]
PLACES = ["山东济南", "山东青岛", "山东临沂", "山东潍坊", "江苏徐州", "河南商丘", "河北沧州"]
INSTITUTIONS = ["山东师范大学", "曲阜师范大学", "聊城大学", "临沂大学", "济南大学", "北京师范大学", "华东师范大学"]
COURSES = [
    "后备干部能力提升培训班",
    "中小学校长任职资格培训",
    "学校管理专题研修",
    "党性教育专题培训",
    "教育政策法规研修",
]
STAGES_WEIGHTED = ["primary"] * 5 + ["junior"] * 2 + ["kindergarten"] * 2 + ["nine_year", "senior", "vocational"]

# (name, post kind, level, headcount) of every school's posts; the first staff members hold them in this order.
SCHOOL_POSTS = [
    ("党支部书记", "party_secretary", "school_head", 1),
    ("校长", "principal", "school_head", 1),
    ("党支部副书记", "deputy_secretary", "school_deputy", 1),
    ("副校长", "vice_principal", "school_deputy", 2),
    ("教导处主任", "middle_head", "middle_head", 1),
    ("政教处主任", "middle_head", "middle_head", 1),
    ("总务处主任", "middle_head", "middle_head", 1),
    ("教导处副主任", "middle_deputy", "middle_deputy", 2),
    ("政教处副主任", "middle_deputy", "middle_deputy", 1),
]
# Staff index → post name held now (index 4 is the second 副校长, 9 the second 教导处副主任).
HOLDERS = ["党支部书记", "校长", "党支部副书记", "副校长", "副校长", "教导处主任", "政教处主任", "总务处主任"]
HOLDERS += ["教导处副主任", "教导处副主任", "政教处副主任"]
FIRST_CANDIDATE = 3  # the secretary, the principal and the deputy secretary are nobody's reserves here
STATE_WEIGHTS = [
    ("in_pool", 72),
    ("shortlisted", 4),
    ("nominated", 5),
    ("under_review", 4),
    ("assessed", 3),
    ("used", 2),
    ("removed", 5),
    ("expired", 5),
]
PROFILE = (
    "{name}，{born}年生，大学本科学历，一级教师。该同志政治立场坚定，教育教学实绩突出，"
    "在教师中有较好的群众基础；不足是学校全局管理经验尚浅。"
)


def _parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, help="schools (default 1500; --quick 60)")
    parser.add_argument("--staff", type=int, help="staff per school (default 100; --quick 40)")
    parser.add_argument("--entries", type=int, help="reserve entries (default 30000; --quick 1200)")
    parser.add_argument("--trainings", type=int, help="training records (default entries / 8)")
    parser.add_argument("--repeat", type=int, help="timed runs per operation after the warm-up (default 5; --quick 3)")
    parser.add_argument("--quick", action="store_true", help="a small data set, for a try-out")
    parser.add_argument(
        "--profile", nargs="*", metavar="OP", help="print a cProfile of one run of these operations (all if none named)"
    )
    args = parser.parse_args()
    size = {"schools": 60, "staff": 40, "entries": 1200, "repeat": 3} if args.quick else {}
    size = {"schools": 1500, "staff": 100, "entries": 30_000, "repeat": 5} | size
    for key, value in size.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.trainings is None:
        args.trainings = args.entries // 8
    if args.staff <= len(HOLDERS):
        parser.error(f"--staff must be more than {len(HOLDERS)} (the post holders)")
    if args.entries > args.schools * (args.staff - FIRST_CANDIDATE):
        parser.error("--entries exceeds the staff who can be reserves (one entry per person)")
    return args


# --- data ------------------------------------------------------------------------------------------------


@dataclass
class Dataset:
    officer: object
    on: dt.date
    township: str
    small_name: str  # a pool member's name (one or a few rows), who holds a post: every prefetch has rows
    small_school_id: int
    phases: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # rows per table
    states: dict[str, int] = field(default_factory=dict)  # reserve entries per state


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _units(args, rng):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cadres import choices as c
    from cadres.models import Organization, Post, Profile
    from cadres.roles import Role

    bureau = Organization.objects.create(code="B001", name="示范省教育厅", short_name="省教育厅", kind=c.OrgKind.BUREAU)
    townships = max(1, args.schools // SCHOOLS_PER_TOWNSHIP)
    schools = Organization.objects.bulk_create(
        Organization(
            code=f"S{n:05d}",
            name=f"示范省第{n}{'实验学校' if n % 3 else '中心学校'}",
            short_name=f"第{n}学校",
            kind=c.OrgKind.SCHOOL,
            stage=rng.choice(STAGES_WEIGHTED),
            township=f"示范{(n - 1) % townships + 1:03d}镇",
            parent=bureau,
        )
        for n in range(1, args.schools + 1)
    )
    posts = Post.objects.bulk_create(
        Post(organization=school, name=name, kind=kind, level=level, headcount=headcount)
        for school in schools
        for name, kind, level, headcount in SCHOOL_POSTS
    )
    officer = get_user_model().objects.create_user("bench-officer", password="bench-only", first_name="组织科")
    officer.groups.add(Group.objects.get(name=Role.PERSONNEL_OFFICER))
    Profile.objects.create(user=officer, organization=bureau)
    post_ids = {(p.organization_id, p.name): p.pk for p in posts}
    return bureau, schools, post_ids, officer


def _person(rng, school_pk: int, number: int, index: int, today: dt.date):
    """Staff member `index` of a school; `number` makes the ID number unique across the province."""
    from cadres import choices as c
    from cadres.idcard import make_id_number
    from cadres.models import Person

    # post holders are older; the others spread over ages 24–59
    age = rng.randint(38, 56) if index < len(HOLDERS) else rng.randint(24, 59)
    birth = today.replace(month=1, day=1) - dt.timedelta(days=365 * age + rng.randint(0, 364))
    sex = c.Sex.FEMALE if rng.random() < 0.6 else c.Sex.MALE
    roll = rng.random()
    if index < len(HOLDERS) or roll < 0.45:
        status, joined = c.PoliticalStatus.CPC_MEMBER, dt.date(birth.year + rng.randint(21, 30), 7, 1)
    elif roll < 0.48:
        status, joined = c.PoliticalStatus.CPC_PROBATIONARY, today - dt.timedelta(days=rng.randint(30, 300))
    elif roll < 0.55 and age < 30:
        status, joined = c.PoliticalStatus.CYL_MEMBER, None
    elif roll < 0.58:
        status, joined = c.PoliticalStatus.DEMOCRATIC_PARTY, None
    else:
        status, joined = c.PoliticalStatus.MASSES, None
    return Person(
        name=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))),
        sex=sex,
        id_number=make_id_number(f"{110000 + number // 100:06d}", birth, number % 100, sex),
        birth_date=birth,
        native_place=rng.choice(PLACES),
        birthplace=rng.choice(PLACES),
        political_status=status,
        party_join_date=joined,
        work_start_date=dt.date(birth.year + 22, 8, 1),
        subject=rng.choice(SUBJECTS),
        organization_id=school_pk,
    )


def _records(rng, person, index: int, school_pk: int, post_ids: dict, today: dt.date):
    """A person's educations, titles and tenures."""
    from cadres import choices as c
    from cadres.models import Education, Tenure, TitleHistory

    L, D = c.EducationLevel, c.Degree
    born = person.birth_date.year
    roll = rng.random()
    level, degree, years = (
        (L.BACHELOR, D.BACHELOR, 4)
        if roll < 0.7
        else (L.JUNIOR_COLLEGE, D.NONE, 3)
        if roll < 0.87
        else (L.MASTER, D.MASTER, 7)
    )
    educations = [
        Education(
            person=person,
            kind=c.EducationKind.FULL_TIME,
            level=level,
            degree=degree,
            institution=rng.choice(INSTITUTIONS),
            major=f"{person.subject or '汉语言文学'}教育",
            start_date=dt.date(born + 18, 9, 1),
            end_date=dt.date(born + 18 + years, 7, 1),
        )
    ]
    if rng.random() < 0.33 and born + 30 < today.year:
        upgrade = L.BACHELOR if level == L.JUNIOR_COLLEGE else L.MASTER
        educations.append(
            Education(
                person=person,
                kind=c.EducationKind.IN_SERVICE,
                level=upgrade,
                degree=D.BACHELOR if upgrade == L.BACHELOR else D.MASTER,
                institution=rng.choice(INSTITUTIONS),
                major="教育管理",
                start_date=dt.date(born + 27, 9, 1),
                end_date=dt.date(born + 30, 7, 1),
            )
        )
    start = person.work_start_date.year
    ladder = [(c.TeacherTitle.SECOND, 1), (c.TeacherTitle.FIRST, 6), (c.TeacherTitle.SENIOR, 14)]
    titles = [
        TitleHistory(person=person, title=title, obtained_on=dt.date(start + after, 12, 1))
        for title, after in ladder
        if start + after < today.year and (title != c.TeacherTitle.SENIOR or rng.random() < 0.5)
    ]
    tenures = []
    if index < len(HOLDERS):
        since = dt.date(today.year - rng.randint(1, 9), 9, 1)
        post = post_ids[(school_pk, HOLDERS[index])]
        tenures.append(
            Tenure(
                person=person, post_id=post, start_date=since, document_number=f"示教任〔{since.year}〕{index + 1}号"
            )
        )
        if index in (1, 3, 4):  # the principal and the vice-principals were middle heads before
            earlier = dt.date(since.year - 5, 9, 1)
            tenures.append(
                Tenure(
                    person=person,
                    post_id=post_ids[(school_pk, "教导处主任")],
                    start_date=earlier,
                    end_date=since - dt.timedelta(days=1),
                    document_number=f"示教任〔{earlier.year}〕{index + 20}号",
                )
            )
    return educations, titles, tenures


def _registry(args, rng, schools, post_ids, today: dt.date, phases: dict) -> list[list[tuple[int, int]]]:
    """People with educations, titles and tenures, CHUNK schools at a time; returns (pk, birth year) per school."""
    from cadres.models import Education, Person, Tenure, TitleHistory

    people_of: list[list[tuple[int, int]]] = []
    for key in ("people", "educations + titles + tenures"):
        phases.setdefault(key, 0.0)
    for first in range(0, len(schools), CHUNK):
        t0 = time.perf_counter()
        chunk = schools[first : first + CHUNK]
        persons = [
            _person(rng, school.pk, (first + s) * args.staff + i, i, today)
            for s, school in enumerate(chunk)
            for i in range(args.staff)
        ]
        Person.objects.bulk_create(persons)
        t1 = time.perf_counter()
        educations, titles, tenures = [], [], []
        for s, school in enumerate(chunk):
            staff = persons[s * args.staff : (s + 1) * args.staff]
            for i, person in enumerate(staff):
                e, t, n = _records(rng, person, i, school.pk, post_ids, today)
                educations += e
                titles += t
                tenures += n
            people_of.append([(p.pk, p.birth_date.year) for p in staff])
        Education.objects.bulk_create(educations)
        TitleHistory.objects.bulk_create(titles)
        Tenure.objects.bulk_create(tenures)
        phases["people"] += t1 - t0
        phases["educations + titles + tenures"] += time.perf_counter() - t1
    return people_of


def _post_kind_for(rng, index: int) -> str:
    """The post category a staff member is held in reserve for: one step above what they hold."""
    if index < 5:  # vice-principals
        return rng.choice(["principal", "principal", "party_secretary"])
    if index < 8:  # middle heads
        return rng.choice(["vice_principal", "vice_principal", "deputy_secretary"])
    if index < len(HOLDERS):  # middle deputies
        return rng.choice(["middle_head", "vice_principal"])
    return rng.choice(["middle_deputy", "middle_deputy", "middle_head", "vice_principal"])


def _entries(args, rng, bureau, schools, people_of, post_ids, officer, today: dt.date):
    """ReserveEntry rows written directly in their states, with the fields each state's constraints need."""
    from reserve_pool.choices import TARGET_POST_KINDS, EndTrigger, Horizon, Origin
    from reserve_pool.models import ReserveEntry

    post_of_kind = {}
    for name, kind, _level, _headcount in SCHOOL_POSTS:
        for school in schools:
            post_of_kind.setdefault((school.pk, kind), post_ids[(school.pk, name)])
    by_township: dict[str, list] = {}
    for school in schools:
        by_township.setdefault(school.township, []).append(school)
    states = [s for s, _w in STATE_WEIGHTS]
    weights = [w for _s, w in STATE_WEIGHTS]
    per_school, extra = divmod(args.entries, len(schools))
    rows = []
    n = 0
    for s, school in enumerate(schools):
        staff = people_of[s]
        picks = rng.sample(range(FIRST_CANDIDATE, len(staff)), per_school + (1 if s < extra else 0))
        for index in picks:
            n += 1
            pk, born = staff[index]
            state = rng.choices(states, weights)[0]
            post_kind = _post_kind_for(rng, index)
            target_org = school
            if rng.random() < 0.08:  # held for a neighbouring school's post
                target_org = rng.choice(by_township[school.township])
            origin = rng.choice([Origin.SCHOOL_PARTY, Origin.SCHOOL_PARTY, Origin.BUREAU, Origin.DEMOCRATIC])
            if state in ("nominated", "under_review", "assessed"):  # reviewed +3 days, assessed +20
                nominated = today - dt.timedelta(days=rng.randint(25, 150))
            elif state in ("in_pool", "shortlisted"):  # admitted +40 days, valid three years: still valid
                nominated = today - dt.timedelta(days=rng.randint(100, 900))
            elif state == "expired":  # an admission's three years are over, or a nomination lapsed
                nominated = today - dt.timedelta(days=rng.randint(1150, 1500))
            else:
                nominated = today - dt.timedelta(days=rng.randint(400, 1500))
            values = {
                "person_id": pk,
                "state": state,
                "origin": origin,
                "source_ref": f"民推〔{nominated.year}〕{n % 97 + 1}号" if origin == Origin.DEMOCRATIC else "",
                "kind": TARGET_POST_KINDS[post_kind],
                "post_kind": post_kind,
                "target_post_id": post_of_kind[(target_org.pk, post_kind)] if rng.random() < 0.4 else None,
                "organization_id": target_org.pk,
                "horizon": Horizon.NEAR_TERM if rng.random() < 0.4 else Horizon.LONG_TERM,
                "nominating_unit_id": school.pk if origin == Origin.SCHOOL_PARTY else bureau.pk,
                "nominated_by": officer,
                "nominated_on": nominated,
                "nomination_note": "工作实绩突出，群众公认度高。",
            }
            reviewed = state != "nominated" and (state != "under_review" or rng.random() < 0.5)
            if reviewed:
                values.update(
                    reviewed_on=nominated + dt.timedelta(days=3),
                    reviewed_by=officer,
                    review_passed=True,
                    review_rule_set="后备干部入库条件",
                    review_veto={"blocked": False},
                    personal_matters_ok=True,
                )
            assessed = state not in ("nominated", "under_review") and (state != "removed" or rng.random() < 0.5)
            if assessed:
                values.update(
                    assessed_on=nominated + dt.timedelta(days=20),
                    assessed_by=officer,
                    talks_count=rng.randint(8, 30),
                    evaluation_summary="德才表现良好，群众公认，具备培养潜力。",
                    profile_text=PROFILE.format(name=f"该同志{n}", born=born),
                )
            admitted = state in ("in_pool", "shortlisted", "used") or (state == "expired" and rng.random() < 0.7)
            if admitted:
                on = nominated + dt.timedelta(days=40)
                values.update(
                    admitted_on=on,
                    admission_document=f"示教工委〔{on.year}〕{n % 300 + 1}号",
                    admitted_by=officer,
                    valid_until=_add_years(on, 3),
                )
            if state == "shortlisted":
                values.update(
                    shortlisted_on=today - dt.timedelta(days=rng.randint(1, 60)), shortlist_ref="校长选拔〔2026〕3号"
                )
            elif state == "used":
                used_on = values["admitted_on"] + dt.timedelta(days=rng.randint(60, 300))
                values.update(
                    used_on=used_on,
                    used_post_id=post_of_kind[(target_org.pk, post_kind)],
                    used_document=f"示教任〔{used_on.year}〕{n % 200 + 1}号",
                    ended_on=used_on,
                )
            elif state == "removed":
                trigger = rng.choice([EndTrigger.MANUAL, EndTrigger.WITHDRAWN, EndTrigger.APPRAISAL, EndTrigger.LEFT])
                values.update(
                    ended_on=nominated + dt.timedelta(days=rng.randint(60, 380)),
                    end_trigger=trigger,
                    removal_reason="本人申请退出后备干部队伍" if trigger == EndTrigger.MANUAL else str(trigger.label),
                )
            elif state == "expired":
                if admitted:
                    values.update(
                        ended_on=values["valid_until"] + dt.timedelta(days=1), end_trigger=EndTrigger.VALIDITY
                    )
                else:
                    values.update(
                        ended_on=nominated + dt.timedelta(days=365), end_trigger=EndTrigger.NOMINATION_VALIDITY
                    )
            rows.append(ReserveEntry(**values))
    return ReserveEntry.objects.bulk_create(rows)


def _trainings(args, rng, entries, officer, today: dt.date):
    from reserve_pool.models import TrainingRecord

    pool = [e for e in entries if e.state in ("in_pool", "shortlisted")]
    records = []
    for i in range(args.trainings):
        entry = pool[i % len(pool)] if i < len(pool) else rng.choice(pool)
        year = today.year if rng.random() < 0.6 else today.year - 1
        start = dt.date(year, rng.randint(1, 10), rng.randint(1, 28))
        if start > today:
            start = today - dt.timedelta(days=rng.randint(10, 200))
        records.append(
            TrainingRecord(
                entry=entry,
                course=rng.choice(COURSES),
                provider="示范省教育干部培训中心",
                start_date=start,
                end_date=start + dt.timedelta(days=rng.randint(0, 6)),
                hours=Decimal(rng.choice([8, 12, 16, 24, 32, 40])),
                recorded_by=officer,
            )
        )
    TrainingRecord.objects.bulk_create(records)


def _check_valid(rng) -> None:
    """full_clean a sample of every kind of row written (field choices, model clean, constraints)."""
    from django.core.exceptions import ValidationError

    from cadres.models import Education, Organization, Person, Post, Tenure, TitleHistory
    from reserve_pool.choices import ReserveState
    from reserve_pool.models import ReserveEntry, TrainingRecord

    samples = [Organization, Post, Person, Education, TitleHistory, Tenure, TrainingRecord]
    objects = []
    for model in samples:
        ids = list(model.objects.values_list("pk", flat=True))
        objects += list(model.objects.filter(pk__in=rng.sample(ids, min(40, len(ids)))))
    for state in ReserveState.values:
        objects += list(ReserveEntry.objects.filter(state=state).select_related("target_post")[:25])
    for obj in objects:
        try:
            if isinstance(obj, ReserveEntry):  # full_clean would assign the protected FSM field `state`
                obj.clean_fields(exclude=["state"])
                obj.clean()
                obj.validate_unique()
                obj.validate_constraints()  # every constraint, the state-dependent ones included
                if obj.state not in ReserveState.values:
                    raise ValidationError(f"state {obj.state!r}")
            else:
                obj.full_clean()
        except ValidationError as exc:
            raise SystemExit(f"generated {type(obj).__name__} {obj.pk} is not valid: {exc}") from None


def _build(args, connection) -> Dataset:
    from django.db.models import Count
    from django.utils import timezone

    from cadres.models import Education, Organization, Person, Post, Tenure, TitleHistory
    from reserve_pool.choices import POOL_STATES, ReserveState
    from reserve_pool.models import ReserveEntry, TrainingRecord

    rng = random.Random(SEED)
    today = timezone.localdate()
    phases: dict[str, float] = {}
    t0 = time.perf_counter()
    bureau, schools, post_ids, officer = _units(args, rng)
    phases["schools + posts"] = time.perf_counter() - t0
    people_of = _registry(args, rng, schools, post_ids, today, phases)
    t1 = time.perf_counter()
    entries = _entries(args, rng, bureau, schools, people_of, post_ids, officer, today)
    phases["reserve entries"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    _trainings(args, rng, entries, officer, today)
    phases["training records"] = time.perf_counter() - t2
    if connection.vendor == "postgresql":
        t3 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        phases["ANALYZE"] = time.perf_counter() - t3
    t4 = time.perf_counter()
    _check_valid(rng)
    phases["full_clean of a sample (not in the total)"] = time.perf_counter() - t4

    pool = ReserveEntry.objects.filter(state__in=POOL_STATES)
    small = (
        pool.filter(person__in=Tenure.objects.filter(end_date__isnull=True).values("person"))
        .values_list("person__name", "person__organization_id")
        .order_by("person__name")
    )
    name_counts: dict[str, int] = {}
    for name, _org in pool.values_list("person__name", "person__organization_id"):
        name_counts[name] = name_counts.get(name, 0) + 1
    small_name, small_school = next(((n, o) for n, o in small if name_counts[n] <= 3), small.first())
    counts = {
        "schools": Organization.objects.filter(kind="school").count(),
        "posts": Post.objects.count(),
        "people": Person.objects.count(),
        "educations": Education.objects.count(),
        "titles": TitleHistory.objects.count(),
        "tenures": Tenure.objects.count(),
        "reserve entries": ReserveEntry.objects.count(),
        "training records": TrainingRecord.objects.count(),
    }
    by_state = {r["state"]: r["n"] for r in ReserveEntry.objects.values("state").annotate(n=Count("id"))}
    return Dataset(
        officer=officer,
        on=today,
        township=schools[0].township,
        small_name=small_name,
        small_school_id=small_school,
        phases=phases,
        counts=counts,
        states={s: by_state[s] for s in ReserveState.values if s in by_state},
    )


# --- measurements ----------------------------------------------------------------------------------------


@dataclass
class Operation:
    key: str
    label: str
    run: object  # () -> rows
    small: object | None = None  # () -> rows, the same on a few rows (for the query count)
    page: bool = False


def _operations(data: Dataset, client) -> list[Operation]:
    from cadres import choices as c
    from cadres.models import Organization
    from reserve_pool import exports, rows, selectors

    user, on = data.officer, data.on

    def pool(**filters):
        return selectors.entry_list(user=user, state=selectors.POOL, **filters)

    def structure(**filters):
        return selectors.pool_structure(pool(**filters), on=on)["total"]

    def targets(**filters):
        return selectors.structure_against_targets(pool(**filters), on=on)[0]["total"]

    def quotas(**filters):
        schools = Organization.objects.filter(kind=c.OrgKind.SCHOOL, **filters)
        return len(selectors.quota_usage(organizations=schools, on=on))

    totals = {}  # rows of each filtered pool, counted here so that no COUNT is timed or counted below

    def workbook(**filters):
        exports.entries_workbook(pool(**filters), on=on)
        return totals[tuple(sorted(filters.items()))]

    def roster_rows(**filters):
        return len(list(rows.roster_rows(pool(**filters), on=on)))

    def get(path: str, pattern: str):
        """GET `path` as the officer; rows = the total the page prints (共 N 人)."""

        def fetch():
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"GET {path}: HTTP {response.status_code}")
            html = response.content.decode()
            found = re.search(pattern, html)
            if found is None:
                raise SystemExit(f"GET {path}: the page does not print its total")
            fetch.size = len(response.content)
            return int(found.group(1))

        return fetch

    listed = r"共\s*(\d+)\s*人"
    charted = r'id="structure-total">[^<]*?共\s*(\d+)\s*人'
    for filters in ({}, {"township": data.township}, {"name": data.small_name}):
        totals[tuple(sorted(filters.items()))] = pool(**filters).count()
    last_page = -(-totals[()] // 50)
    name = data.small_name
    query = urlencode({"name": name})
    return [
        Operation("structure", "pool_structure, whole pool", structure, lambda: structure(name=name)),
        Operation("targets", "structure_against_targets, whole pool", targets, lambda: targets(name=name)),
        Operation("quotas", "quota_usage, all schools", quotas, lambda: quotas(pk=data.small_school_id)),
        Operation("workbook", "entries_workbook, whole pool", workbook, lambda: workbook(name=name)),
        Operation(
            "workbook_township",
            f"entries_workbook, one township ({data.township})",
            lambda: workbook(township=data.township),
        ),
        Operation(
            "roster",
            f"名册 rows (rows.roster_rows), one township ({data.township})",
            lambda: roster_rows(township=data.township),
            lambda: roster_rows(name=name),
        ),
        Operation(
            "list",
            "GET entries/?state=pool (page 1)",
            get("/reserve_pool/entries/?state=pool", listed),
            get(f"/reserve_pool/entries/?state=pool&{query}", listed),
            page=True,
        ),
        Operation(
            "list_last",
            f"GET entries/?state=pool&page={last_page} (last)",
            get(f"/reserve_pool/entries/?state=pool&page={last_page}", listed),
            page=True,
        ),
        Operation(
            "dashboard",
            "GET dashboard/",
            get("/reserve_pool/dashboard/", charted),
            get(f"/reserve_pool/dashboard/?{query}", charted),
            page=True,
        ),
    ]


def _count_queries(connection, fn) -> tuple[int, int]:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        rows = fn()
    return rows, len(ctx.captured_queries)


def _measure(op: Operation, connection, repeat: int) -> dict:
    """Warm-up (queries counted), then `repeat` timed runs; an operation that raises is reported, not fatal."""
    result = {"size": None}
    try:
        if op.small is not None:
            result["small_rows"], result["small_queries"] = _count_queries(connection, op.small)
        rows, queries = _count_queries(connection, op.run)
    except Exception as exc:  # the code measured failed (at this size): say so, measure the rest
        result["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        return result
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        op.run()
        times.append(time.perf_counter() - start)
    result |= {"rows": rows, "queries": queries, "times": times, "median": statistics.median(times)}
    result["size"] = getattr(op.run, "size", None)
    return result


def main() -> None:
    args = _parse_args()
    sqlite_path = setup_django("pool", test_client=True)
    with throwaway_database(sqlite_path) as connection:
        _run(args, connection)


def _run(args, connection) -> None:
    from django.test import Client

    build_start = time.perf_counter()
    data = _build(args, connection)
    build_seconds = time.perf_counter() - build_start - data.phases["full_clean of a sample (not in the total)"]
    client = Client()
    client.force_login(data.officer)
    operations = _operations(data, client)

    if args.profile is not None:
        for op in operations:
            if args.profile and op.key not in args.profile:
                continue
            op.run()
            profiler = cProfile.Profile()
            profiler.enable()
            op.run()
            profiler.disable()
            print(f"\n===== cProfile: {op.label}")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)

    results = [(op, _measure(op, connection, args.repeat)) for op in operations]

    print()
    print("CadreFlow reserve-pool benchmark")
    print(
        f"  machine: {os.cpu_count()} cores · Python {sys.version.split()[0]} · database {connection.vendor}"
        f" ({connection.settings_dict['NAME']}) · as of {data.on.isoformat()}"
    )
    print("  data: " + " · ".join(f"{k} {v:,}" for k, v in data.counts.items()))
    print("  entries by state: " + " · ".join(f"{k} {v:,}" for k, v in data.states.items()))
    phases = " · ".join(f"{k} {v:.1f} s" for k, v in data.phases.items())
    print(f"  built in {build_seconds:.1f} s ({phases})")
    print(f"  timed: median of {args.repeat} runs after one warm-up (the warm-up's SQL queries are counted);")
    print(f"  small = the same on a few rows (name={data.small_name!r}; quota_usage: one school)")
    print()
    header = ("operation", "rows", "median ms", "min–max ms", "queries", "small rows", "small q", "")
    table = []
    flags = []
    for op, r in results:
        note = ""
        if "error" in r:
            flags.append(f"{op.label}: FAILED — {r['error']}")
            small = (f"{r['small_rows']:,}", str(r["small_queries"])) if "small_rows" in r else ("", "")
            table.append((op.label, "", "FAILED", "", "", *small, ""))
            continue
        if "small_queries" in r and r["small_queries"] != r["queries"]:
            note = "GROWS"
            flags.append(
                f"{op.label}: {r['queries']} queries on {r['rows']} rows, {r['small_queries']} on {r['small_rows']}"
            )
        if op.page and r["median"] > SLOW_PAGE:
            note = (note + " SLOW").strip()
            flags.append(f"{op.label}: {r['median']:.2f} s (> {SLOW_PAGE:.0f} s)")
        table.append(
            (
                op.label,
                f"{r['rows']:,}",
                f"{r['median'] * 1000:,.0f}",
                f"{min(r['times']) * 1000:,.0f}–{max(r['times']) * 1000:,.0f}",
                str(r["queries"]),
                f"{r['small_rows']:,}" if "small_rows" in r else "",
                str(r["small_queries"]) if "small_queries" in r else "",
                note,
            )
        )
    widths = [max(len(row[i]) for row in [header, *table]) for i in range(len(header))]
    line = "  ".join(f"{{:<{widths[0]}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    print(line.format(*header).rstrip())
    print("-" * (sum(widths) + 2 * (len(widths) - 1)))
    for row in table:
        print(line.format(*row).rstrip())
    sizes = [f"{op.label.split(' (')[0]} {r['size'] / 1024:,.0f} KB" for op, r in results if r["size"]]
    print()
    print("  HTML size: " + " · ".join(sizes))
    if flags:
        print()
        for flag in flags:
            print(f"  ! {flag}")
    if any("error" in r for _op, r in results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
