#!/usr/bin/env python
"""The person picker's search (cadres.person_search.search_people) at 150,000 people, printed as one table.

Builds a registry of --people people (default 150,000; Faker zh_CN names, so same names occur as they do in
life) in 300 schools, each person with a valid ID number and a current post (a school's leaders, the rest
专任教师), with bulk_create — the search keys filled as the roster import fills them — then times the service
the endpoint calls, for the kinds of query a user types:

    name (full)        a full name picked from the registry ("刘旭")
    name (surname)     one character ("王": thousands of matches, first 20 returned)
    name (given)       the last two characters of a name (a substring, not a prefix)
    initials           the pinyin initials of a registry name ("lx")
    full pinyin        the first five letters of a name's full pinyin ("liuxu")
    ID last 4          the last four characters of a registry ID number
    ID last 8          the last eight
    school user        a full name, searched by a school's secretary (scoped to their school)
    endpoint (HTTP)    GET /registry/people/search/?q=<initials> through Django's test Client

Each kind runs --samples different queries, each --repeat times after a warm-up; p50 and p95 over all runs are
reported in ms, with the target (100 ms) flagged when p95 exceeds it, the SQL query count of one search and, on
PostgreSQL, the database's own time for it ("db ms": planning + execution by EXPLAIN ANALYZE, median over the
queries) — the rest of the wall-clock time is Python, and on a shared machine waiting for a CPU.

Runs against a throwaway database: a new SQLite file under /tmp, or a `test_<name>` database on the server
named by DATABASE_URL (created and dropped; the named database itself is not touched). On PostgreSQL the
tables are ANALYZEd after loading, as autovacuum would do after a bulk load.

Usage:
    .venv/bin/python bench/bench_person_search.py [--people 150000] [--samples 30] [--repeat 5]
    .venv/bin/python bench/bench_person_search.py --quick              # 15,000 people
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cf_picker_bench .venv/bin/python bench/bench_person_search.py
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

TARGET_MS = 100.0
SCHOOLS = 300
SEED = 2026
LEADER_POSTS = [
    ("党组织书记", "party_secretary", "school_head"),
    ("校长", "principal", "school_head"),
    ("副校长", "vice_principal", "school_deputy"),
    ("教务处主任", "middle_head", "middle_head"),
]


def _parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--people", type=int, default=150_000)
    p.add_argument("--samples", type=int, default=30, help="different queries of each kind")
    p.add_argument("--repeat", type=int, default=5, help="runs of each query after its warm-up")
    p.add_argument("--quick", action="store_true", help="15,000 people, 10 samples, 3 repeats")
    args = p.parse_args()
    if args.quick:
        args.people, args.samples, args.repeat = 15_000, 10, 3
    return args


def _build(n_people: int, today: dt.date, rng: random.Random) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from faker import Faker

    from cadres import choices as c
    from cadres.idcard import make_id_number
    from cadres.models import Organization, Person, Post, Profile, Tenure
    from cadres.name_keys import fill_search_keys
    from cadres.roles import Role

    faker = Faker("zh_CN")
    faker.seed_instance(SEED)
    bureau = Organization.objects.create(code="B0001", name="示范区教育局（基准）", kind=c.OrgKind.BUREAU)
    schools = Organization.objects.bulk_create(
        [
            Organization(
                code=f"S{i:05d}",
                name=f"基准第{i + 1}学校",
                short_name=f"基准{i + 1}校",
                kind=c.OrgKind.SCHOOL,
                stage=c.Stage.PRIMARY,
                parent=bureau,
            )
            for i in range(SCHOOLS)
        ]
    )
    posts = Post.objects.bulk_create(
        [
            Post(organization=s, name=name, kind=kind, level=level, headcount=1)
            for s in schools
            for name, kind, level in [*LEADER_POSTS, ("专任教师", "teacher", "staff")]
        ],
        batch_size=2000,
    )
    posts_of = {}
    for post in posts:
        posts_of.setdefault(post.organization_id, []).append(post)
    regions = [f"3701{i:02d}" for i in range(1, 100)]
    seen: set[str] = set()
    people, tenure_posts = [], []
    for i in range(n_people):
        school = schools[i % SCHOOLS]
        sex = rng.choice(["M", "F"])
        while True:
            birth = today - dt.timedelta(days=rng.randint(23 * 365, 60 * 365))
            number = make_id_number(rng.choice(regions), birth, rng.randint(0, 99), sex)
            if number not in seen:
                seen.add(number)
                break
        person = Person(
            name=faker.name_male() if sex == "M" else faker.name_female(),
            sex=sex,
            id_number=number,
            birth_date=birth,
            work_start_date=birth + dt.timedelta(days=22 * 365),
            organization=school,
            employment_status=c.EmploymentStatus.ACTIVE if rng.random() < 0.92 else c.EmploymentStatus.RETIRED,
        )
        fill_search_keys(person)
        people.append(person)
        slot = (i // SCHOOLS) % 40
        school_posts = posts_of[school.pk]
        tenure_posts.append(school_posts[slot] if slot < len(LEADER_POSTS) else school_posts[-1])
    Person.objects.bulk_create(people, batch_size=2000)
    Tenure.objects.bulk_create(
        [
            Tenure(person=p, post=post, start_date=today - dt.timedelta(days=rng.randint(30, 3000)))
            for p, post in zip(people, tenure_posts, strict=True)
        ],
        batch_size=5000,
    )
    users = {}
    for username, role, unit in (
        ("bench_officer", Role.PERSONNEL_OFFICER, bureau),
        ("bench_secretary", Role.SCHOOL_SECRETARY, schools[0]),
    ):
        user = get_user_model().objects.create(username=username)
        user.groups.add(Group.objects.get(name=role))
        Profile.objects.create(user=user, organization=unit)
        users[username] = user
    return {
        "people": people,
        "users": users,
        "counts": {"schools": len(schools), "people": len(people), "tenures": len(people)},
    }


def _queries(people, school0_people, rng: random.Random, samples: int) -> dict[str, list[str]]:
    picks = rng.sample(people, samples)
    surnames = sorted({p.name[0] for p in people})
    return {
        "name (full)": [p.name for p in picks],
        "name (surname)": rng.sample(surnames, min(samples, len(surnames))),
        "name (given)": [p.name[-2:] for p in picks],
        "initials": [p.name_initials for p in picks],
        "full pinyin": [p.name_pinyin[:5] for p in picks],
        "ID last 4": [p.id_number[-4:] for p in picks],
        "ID last 8": [p.id_number[-8:] for p in picks],
        "school user": [p.name for p in rng.sample(school0_people, min(samples, len(school0_people)))],
    }


def _timed(fn, queries: list[str], repeat: int, connection) -> dict:
    from django.test.utils import CaptureQueriesContext

    times, found, db_times = [], [], []
    with CaptureQueriesContext(connection) as ctx:
        fn(queries[0])
    sql_count = len(ctx.captured_queries)
    for q in queries:
        with CaptureQueriesContext(connection) as warm:
            found.append(fn(q))  # warm-up
        db_times.append(_server_ms(connection, warm.captured_queries[-1]["sql"]))
        for _ in range(repeat):
            start = time.perf_counter()
            fn(q)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "max": times[-1],
        "queries": sql_count,
        "found": statistics.mean(found),
        "db": statistics.median(db_times) if None not in db_times else None,
    }


def _server_ms(connection, sql: str) -> float | None:
    """PostgreSQL's own execution time of the search statement (EXPLAIN ANALYZE), apart from Python and the
    network: on a shared machine the wall-clock figures include waiting for a CPU."""
    if connection.vendor != "postgresql" or not sql.lstrip().upper().startswith("SELECT"):
        return None
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)  # no params: the SQL is as it was sent
        plan = cursor.fetchone()[0]
    plan = plan[0] if isinstance(plan, list) else plan
    return plan["Planning Time"] + plan["Execution Time"]


def main() -> None:
    args = _parse_args()
    sqlite_path = setup_django("person_search", test_client=True)
    with throwaway_database(sqlite_path) as connection:
        _run(args, connection)


def _run(args, connection) -> None:
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from cadres.person_search import search_people
    from cadres.roles import profile_of, roles_of

    rng = random.Random(SEED)
    today = timezone.localdate()
    start = time.perf_counter()
    with transaction.atomic():
        built = _build(args.people, today, rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    build_s = time.perf_counter() - start
    people = built["people"]
    officer, secretary = built["users"]["bench_officer"], built["users"]["bench_secretary"]
    school0 = [p for p in people if p.organization_id == secretary.profile.organization_id]
    for user in (officer, secretary):  # roles and profile are read once per request; not the search's cost
        roles_of(user), profile_of(user)

    client = Client()
    client.force_login(officer)

    def endpoint(q):
        response = client.get("/registry/people/search/", {"q": q})
        if response.status_code != 200:
            raise SystemExit(f"GET /registry/people/search/?q={q}: HTTP {response.status_code}")
        return len(response.json()["results"])

    kinds = _queries(people, school0, rng, args.samples)
    results = []
    for label, queries in kinds.items():
        user = secretary if label == "school user" else officer
        results.append((label, _timed(lambda q, u=user: len(search_people(u, q)), queries, args.repeat, connection)))
    from django.conf import settings

    from cadres.views import person_search as view

    view.SEARCHES_PER_MINUTE = 10**9  # the bench is one user asking far faster than anyone types
    settings.DEBUG = False
    http = _timed(endpoint, kinds["initials"], args.repeat, connection)
    http["db"] = None  # its last statement is the session's, not the search's
    results.append(("endpoint (HTTP, initials)", http))

    print()
    print("CadreFlow person search benchmark")
    print(
        f"  machine: {os.cpu_count()} cores · Python {sys.version.split()[0]} · database {connection.vendor}"
        f" · as of {today.isoformat()} · load average {os.getloadavg()[0]:.1f} at the end (other work shares the CPU)"
    )
    print("  data: " + " · ".join(f"{k} {v:,}" for k, v in built["counts"].items()))
    print(
        f"  built in {build_s:.1f} s; timed: {args.samples} queries of each kind × {args.repeat} runs after a warm-up"
    )
    print()
    header = ("query", "p50 ms", "p95 ms", "max ms", "SQL", "found", "db ms", "")
    rows, flags = [], []
    for label, r in results:
        note = ""
        if r["p95"] > TARGET_MS:
            note = "SLOW"
            flags.append(f"{label}: p95 {r['p95']:.1f} ms > {TARGET_MS:.0f} ms")
        timings = (f"{r['p50']:.1f}", f"{r['p95']:.1f}", f"{r['max']:.1f}")
        db = "" if r["db"] is None else f"{r['db']:.1f}"
        rows.append((label, *timings, str(r["queries"]), f"{r['found']:.1f}", db, note))
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
