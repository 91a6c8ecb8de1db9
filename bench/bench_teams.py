#!/usr/bin/env python
"""班子结构研判 pages at province scale, printed as one table.

Builds a registry the size a province has — by default 1,500 schools (12 to a township), each with the
school-level posts (党组织书记 1, 校长 1, 副书记 1, 副校长 5: 8 seats) and five mid-level posts of 3 seats
(15), held by about 7.5 leaders and 14 mid-level cadres (random vacancies, one past holder per school, terms
spread over ten years so some end within six months), every person with one or two education records, and
0–3 reserve entries per school (mostly admitted, some removed) — with bulk_create, then times, as a bureau
personnel officer through Django's test Client (force_login, DEBUG off):

    team page          GET /teams/school/<pk>/                (one school's team)
    overview           GET /teams/overview/                   (first page of 1,500 schools, counts per gap)
    overview filtered  GET /teams/overview/?gap=…&township=…  (one gap kind in one township)
    overview last      GET /teams/overview/?page=<last>
    impact             workflows.teams.impact.structure_impact of a move between two schools (in-process)

Each is run once as a warm-up with its SQL queries counted (CaptureQueriesContext), then --repeat times; the
median is reported, with the target (300 ms) flagged when exceeded. The overview is also counted on a
district of --small schools built the same way: equal counts show its queries do not grow with the schools.

Runs against a throwaway database: a new SQLite file under /tmp, or a `test_<name>` database on the server
named by DATABASE_URL (created and dropped; the named database itself is not touched). On PostgreSQL the
tables are ANALYZEd after loading, as autovacuum would do after a bulk load.

Usage:
    .venv/bin/python bench/bench_teams.py [--schools 1500] [--repeat 7]
    .venv/bin/python bench/bench_teams.py --quick                 # 120 schools
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cf_h12_bench .venv/bin/python bench/bench_teams.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time

from benchsetup import setup_django, throwaway_database

TARGET = 0.300  # seconds of server time per page
SCHOOLS_PER_TOWNSHIP = 12
SEED = 2026
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华建国志红玉梅文斌宇浩凯鹏晨欣怡佳琪"
SUBJECTS = ["语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "政治", "体育", ""]
MIDDLE_POSTS = ["教务处主任", "德育处主任", "总务处主任", "办公室主任", "教科室主任"]


def _parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--schools", type=int, default=1500)
    p.add_argument("--small", type=int, default=24, help="schools of the small district (query counts)")
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--quick", action="store_true", help="120 schools, 3 repeats")
    args = p.parse_args()
    if args.quick:
        args.schools, args.repeat = 120, 3
    return args


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _build(n_schools: int, today: dt.date, *, code_prefix: str, rng: random.Random):
    """`n_schools` schools with posts, holders, educations and reserve entries; returns their ids."""
    from django.contrib.auth import get_user_model

    from cadres import choices as c
    from cadres.models import Education, Organization, Person, Post, Tenure
    from reserve_pool.choices import Horizon, Origin, ReserveKind, ReserveState
    from reserve_pool.models import ReserveEntry

    bureau, _ = Organization.objects.get_or_create(
        code="B0001", defaults={"name": "省教育厅（基准）", "kind": c.OrgKind.BUREAU}
    )
    nominator, _ = get_user_model().objects.get_or_create(username="bench_nominator")
    schools = Organization.objects.bulk_create(
        [
            Organization(
                code=f"{code_prefix}{i:05d}",
                name=f"{code_prefix}第{i + 1}学校",
                short_name=f"{code_prefix}第{i + 1}校",
                kind=c.OrgKind.SCHOOL,
                stage=c.Stage.PRIMARY if i % 3 else c.Stage.JUNIOR,
                township=f"{code_prefix}镇{i // SCHOOLS_PER_TOWNSHIP + 1:03d}",
                parent=bureau,
            )
            for i in range(n_schools)
        ],
        batch_size=500,
    )
    leader_specs = [
        ("党组织书记", c.PostKind.PARTY_SECRETARY, c.PostLevel.SCHOOL_HEAD, 1),
        ("校长", c.PostKind.PRINCIPAL, c.PostLevel.SCHOOL_HEAD, 1),
        ("党组织副书记", c.PostKind.DEPUTY_SECRETARY, c.PostLevel.SCHOOL_DEPUTY, 1),
        ("副校长", c.PostKind.VICE_PRINCIPAL, c.PostLevel.SCHOOL_DEPUTY, 5),
    ]
    middle_specs = [(name, c.PostKind.MIDDLE_HEAD, c.PostLevel.MIDDLE_HEAD, 3) for name in MIDDLE_POSTS]
    posts = Post.objects.bulk_create(
        [
            Post(organization=s, name=name, kind=kind, level=level, headcount=headcount)
            for s in schools
            for name, kind, level, headcount in leader_specs + middle_specs
        ],
        batch_size=1000,
    )
    people, holdings, reserves = [], [], []
    for post in posts:
        for _seat in range(post.headcount):
            if rng.random() < 0.06:  # a vacancy
                continue
            leader = post.level in (c.PostLevel.SCHOOL_HEAD, c.PostLevel.SCHOOL_DEPUTY)
            age = rng.randint(36, 58) if leader else rng.randint(28, 52)
            person = Person(
                name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                sex=rng.choice([c.Sex.MALE, c.Sex.FEMALE]) if rng.random() < 0.9 else c.Sex.MALE,
                birth_date=today - dt.timedelta(days=age * 365 + rng.randint(0, 364)),
                work_start_date=today - dt.timedelta(days=(age - 22) * 365),
                subject=rng.choice(SUBJECTS),
                organization_id=post.organization_id,
            )
            people.append(person)
            holdings.append((person, post, today - dt.timedelta(days=rng.randint(30, 3650))))
    for school in schools:
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            person = Person(
                name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                sex=rng.choice([c.Sex.MALE, c.Sex.FEMALE]),
                birth_date=today - dt.timedelta(days=rng.randint(30, 45) * 365),
                work_start_date=today - dt.timedelta(days=3000),
                organization_id=school.pk,
            )
            people.append(person)
            reserves.append((person, school))
    Person.objects.bulk_create(people, batch_size=1000)
    educations = []
    for person in people:
        educations.append(
            Education(
                person=person,
                kind=c.EducationKind.FULL_TIME,
                level=rng.choice([c.EducationLevel.JUNIOR_COLLEGE, c.EducationLevel.BACHELOR]),
                institution="师范大学",
            )
        )
        if rng.random() < 0.4:
            educations.append(
                Education(
                    person=person,
                    kind=c.EducationKind.IN_SERVICE,
                    level=rng.choice([c.EducationLevel.BACHELOR, c.EducationLevel.MASTER]),
                    institution="教育学院",
                )
            )
    Education.objects.bulk_create(educations, batch_size=2000)
    tenures = [Tenure(person=p, post=post, start_date=start) for p, post, start in holdings]
    # one past holder per school, on the first post (the history `years_in_post` reads)
    tenures += [
        Tenure(
            person=holdings[i][0],
            post=holdings[i][1],
            start_date=_add_years(holdings[i][2], -6),
            end_date=holdings[i][2],
        )
        for i in range(0, len(holdings), 22)
    ]
    Tenure.objects.bulk_create(tenures, batch_size=2000)
    entries = []
    for person, school in reserves:
        removed = rng.random() < 0.15
        entries.append(
            ReserveEntry(
                person=person,
                origin=Origin.BUREAU,
                kind=ReserveKind.DEPUTY,
                post_kind=c.PostKind.VICE_PRINCIPAL,
                organization=school,
                horizon=rng.choice([Horizon.NEAR_TERM, Horizon.LONG_TERM]),
                nominating_unit=bureau,
                nominated_by=nominator,
                nominated_on=today - dt.timedelta(days=400),
                state=ReserveState.REMOVED if removed else ReserveState.IN_POOL,
                reviewed_on=today - dt.timedelta(days=390),
                review_passed=True,
                personal_matters_ok=True,
                assessed_on=today - dt.timedelta(days=380),
                talks_count=10,
                evaluation_summary="良好",
                profile_text="小传",
                admitted_on=today - dt.timedelta(days=370),
                admission_document="基准〔2026〕1号",
                valid_until=today + dt.timedelta(days=700),
                **({"removal_reason": "基准撤销", "ended_on": today, "end_trigger": "manual"} if removed else {}),
            )
        )
    ReserveEntry.objects.bulk_create(entries, batch_size=1000)
    return [s.pk for s in schools], {
        "schools": len(schools),
        "posts": len(posts),
        "people": len(people),
        "tenures": len(tenures),
        "educations": len(educations),
        "reserve entries": len(entries),
    }


def _officer(bureau_code="B0001"):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cadres.models import Organization, Profile
    from cadres.roles import Role

    user = get_user_model().objects.create(username="bench_officer")
    user.groups.add(Group.objects.get(name=Role.PERSONNEL_OFFICER))
    Profile.objects.create(user=user, organization=Organization.objects.get(code=bureau_code))
    return user


def _timed(fn, connection, repeat: int) -> dict:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return {"queries": queries, "median": statistics.median(times), "min": min(times), "max": max(times)}


def _get(client, path: str):
    def fetch():
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path}: HTTP {response.status_code}")
        return response

    return fetch


def main() -> None:
    args = _parse_args()
    sqlite_path = setup_django("teams", test_client=True)
    with throwaway_database(sqlite_path) as connection:
        _run(args, connection)


def _run(args, connection) -> None:
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from cadres.models import Post
    from workflows.teams.impact import TeamChange, structure_impact
    from workflows.teams.structure import Gap

    rng = random.Random(SEED)
    today = timezone.localdate()
    start = time.perf_counter()
    with transaction.atomic():
        small_ids, _ = _build(args.small, today, code_prefix="X", rng=rng)
        officer = _officer()
    small_counts = {}
    client = Client()
    client.force_login(officer)
    for key, path in (
        ("overview", "/teams/overview/"),
        ("filtered", f"/teams/overview/?gap={Gap.VACANCY}&township=X镇001"),
    ):
        small_counts[key] = _timed(_get(client, path), connection, 1)["queries"]
    with transaction.atomic():
        school_ids, counts = _build(args.schools, today, code_prefix="S", rng=rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    built = time.perf_counter() - start

    middle = school_ids[len(school_ids) // 2]
    township = f"S镇{len(school_ids) // SCHOOLS_PER_TOWNSHIP // 2 + 1:03d}"
    total_schools = len(school_ids) + len(small_ids)
    last = -(-total_schools // 50)
    vice = Post.objects.filter(organization_id=middle, name="副校长").values_list("pk", flat=True).first()
    other_vice = Post.objects.filter(organization_id=school_ids[1], name="副校长").values_list("pk", flat=True).first()
    mover = Post.objects.get(pk=vice).tenures.filter(end_date__isnull=True).values_list("person_id", flat=True).first()

    operations = [
        ("team page", _get(client, f"/teams/school/{middle}/"), None),
        ("overview (page 1)", _get(client, "/teams/overview/"), "overview"),
        (
            f"overview ?gap=term_ending&township={township}",
            _get(client, f"/teams/overview/?gap={Gap.TERM_ENDING}&township={township}"),
            "filtered",
        ),
        ("overview ?gap=no_reserve", _get(client, f"/teams/overview/?gap={Gap.NO_RESERVE}"), "filtered"),
        (f"overview ?page={last} (last)", _get(client, f"/teams/overview/?page={last}"), "overview"),
        (
            "structure_impact, one move between two schools",
            lambda: structure_impact([TeamChange(mover, vice, other_vice)], on=today),
            None,
        ),
    ]
    results = [(label, _timed(fn, connection, args.repeat), small) for label, fn, small in operations]

    print()
    print("CadreFlow team-structure benchmark")
    print(
        f"  machine: {os.cpu_count()} cores · Python {sys.version.split()[0]} · database {connection.vendor}"
        f" · as of {today.isoformat()}"
    )
    print(
        "  data: " + " · ".join(f"{k} {v:,}" for k, v in counts.items()) + f" (+ {args.small} small-district schools)"
    )
    print(f"  built in {built:.1f} s; timed: median of {args.repeat} runs after one warm-up (its queries counted)")
    print()
    header = ("operation", "median ms", "min–max ms", "queries", f"queries at {args.small}", "")
    rows = []
    flags = []
    for label, r, small in results:
        note = ""
        if r["median"] > TARGET:
            note = "SLOW"
            flags.append(f"{label}: {r['median'] * 1000:.0f} ms > {TARGET * 1000:.0f} ms")
        small_q = small_counts.get(small) if small else None
        if small_q is not None and small_q != r["queries"]:
            note = (note + " GROWS").strip()
            flags.append(f"{label}: {r['queries']} queries at {total_schools} schools, {small_q} at {args.small}")
        rows.append(
            (
                label,
                f"{r['median'] * 1000:,.0f}",
                f"{r['min'] * 1000:,.0f}–{r['max'] * 1000:,.0f}",
                str(r["queries"]),
                "" if small_q is None else str(small_q),
                note,
            )
        )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    line = "  ".join(f"{{:<{widths[0]}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    print(line.format(*header).rstrip())
    print("-" * (sum(widths) + 2 * (len(widths) - 1)))
    for row in rows:
        print(line.format(*row).rstrip())
    if flags:
        print()
        for flag in flags:
            print(f"  ! {flag}")


if __name__ == "__main__":
    main()
