#!/usr/bin/env python
"""The workbench at province scale (issue 13, "Done when"): every page a workflow user starts from, served by
gunicorn and compared with a BARE page in the same run, on PostgreSQL with 100,000 tasks.

What it does, on a throw-away database (`test_<name>` on the server named by DATABASE_URL, created and
dropped; the named database itself is not touched):

1. Loads the demo district (`cadres.demo.loader.demo_district_load`: a bureau, 60 schools, 3,000 people and the
   demo logins). The bench users are three of them: `officer` (组织人事科, in the bureau), `secretary` (the
   first school's party secretary) and `teacher` (a teacher of the first school).
2. Drives one real case of each flow through the flows' own start pages (Django's test Client, as the users
   who start them): a principal selection proposed by the officer, a competition plan and a 能上能下 proposal
   by the school secretary, an ethics case reported by the secretary and its investigator assigned by the
   officer. These are the templates, and their case pages are the ones measured.
3. Copies them for volume, in bulk: the `viewflow_process` rows, then the case tables' rows with the same
   primary keys (the cases are multi-table-inherited viewflow processes, which `bulk_create` refuses), then
   their tasks (`viewflow_task`), all with psycopg2's `execute_values`. The copies are spread over the
   district's schools (the school, post, tenure or teacher of each case is one of that school's). Each case has
   2–11 tasks cycling through its flow's human steps (`workflows.common.inbox.case_tasks`): all done but the
   last, which is open (85 % of the cases; 10 % of the open tasks are held by another user) or done too (the
   case finished). Every task carries `data={"due": "YYYY-MM-DD"}`. 6.83 tasks per case: 14,640 cases for
   100,000 tasks. Every 4th ethics case of the first school is about the bench teacher. The database is
   VACUUM ANALYZEd after each batch, as autovacuum would do on a live database.
4. Counts the SQL queries of every page in-process (test Client, `CaptureQueriesContext`, second request) at
   1,000 tasks, then seeds the rest and counts again at the full size.
5. Starts gunicorn (`tests/support/gunicorn.py`: 2 gthread workers × 8 threads, DEBUG off) with
   `workbench_settings` (the shared settings, DEBUG off, plus the bench-only urlconf `workbench_urls` that
   mounts the BARE page: login required, 50 task rows from one query, a minimal template). For every page:
   the bare page for `--duration` seconds, then the page, each by `--concurrency` clients with keep-alive
   connections and the user's session cookie (made in-process by logging in; sessions live in the database).
   The bare page is measured next to each page so that both see the same load on a shared machine.
6. Prints the table (page | req/s | bare req/s | ratio | queries small → large), writes it as JSON under
   bench/results/ (gitignored), and exits non-zero when a page misses its target (lists and home ≥ 1/3 of the
   bare page, a case page ≥ 1/4), when its query count grows with the tasks, or when a request fails — after
   printing everything. The slowest SQL query of each page (in-process) is in the JSON; `--explain` prints
   EXPLAIN ANALYZE of it for the pages that missed; `--profile KEY ...` prints cProfile of those pages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cf_bench .venv/bin/python bench/bench_workbench.py
    DATABASE_URL=... .venv/bin/python bench/bench_workbench.py --quick            # 1,000 tasks, 3 s a page
    DATABASE_URL=... .venv/bin/python bench/bench_workbench.py --tasks 20000 --explain --profile home
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import http.client
import io
import json
import os
import pstats
import random
import re
import sys
import threading
import time
from collections import Counter
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
SMALL_TASKS = 1_000
TASKS_PER_CASE = 100_000 / 14_640
FLOW_SHARES = (("principal_selection", 0.30), ("competition", 0.25), ("adjustment", 0.15), ("ethics_case", 0.30))
OPEN_SHARE, HELD_SHARE = 0.85, 0.10
SEED = 2026
LIST_TARGET, CASE_TARGET = 1 / 3, 1 / 4


class BenchError(Exception):
    pass


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=100_000, help="tasks at full size (default 100,000)")
    parser.add_argument("--quick", action="store_true", help="1,000 tasks, 3 s a page: a smoke run")
    parser.add_argument("--duration", type=float, default=None, help="seconds per page and per bare run (10)")
    parser.add_argument("--concurrency", type=int, default=8, help="clients at once (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker (default 8)")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest query of a missed page")
    parser.add_argument("--profile", nargs="*", default=[], metavar="KEY", help="cProfile these pages in-process")
    args = parser.parse_args()
    if args.quick:
        args.tasks = SMALL_TASKS
        args.duration = args.duration or 3.0
    args.duration = args.duration or 10.0
    if args.tasks < SMALL_TASKS:
        parser.error(f"--tasks at least {SMALL_TASKS}")
    return args


def _require_postgresql() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        sys.stderr.write(
            "bench_workbench runs on PostgreSQL only (the figures are for the production database, and the bulk\n"
            "copies use PostgreSQL's INSERT ... RETURNING). Set DATABASE_URL, e.g.\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/cf_bench .venv/bin/python bench/bench_workbench.py\n"
        )
        raise SystemExit(2)


# ---- the district and the template cases, through the flows' own pages -------------------------------------


class World:
    """The demo district's users and, per school, what a copied case of each flow points at."""

    def __init__(self):
        from django.contrib.auth import get_user_model
        from django.db.models import Count, F, Q

        from cadres import choices as c
        from cadres.demo.loader import demo_bureau
        from cadres.models import Organization, Person, Post, Tenure
        from workflows.competition.plan import MIDDLE_LEVELS

        users = {u.username: u for u in get_user_model().objects.select_related("profile")}
        self.officer, self.secretary, self.teacher = users["officer"], users["secretary"], users["teacher"]
        self.discipline, self.holder = users["discipline"], users["inspector"]
        self.bureau = demo_bureau()
        self.schools = list(Organization.objects.filter(parent=self.bureau, kind=c.OrgKind.SCHOOL).order_by("code"))
        self.first = self.secretary.profile.organization
        assert self.first.pk == self.schools[0].pk, "the demo secretary sits in the first school"
        self.principal_post = {}
        for post in Post.objects.filter(organization__in=self.schools, kind=c.PostKind.PRINCIPAL).order_by("pk"):
            self.principal_post.setdefault(post.organization_id, post.pk)
        self.vacant_middle_post = {}  # a mid-level post with a free seat, for a competition's plan
        sitting = Count("tenures", filter=Q(tenures__end_date__isnull=True))
        for post in (
            Post.objects.filter(organization__in=self.schools, level__in=MIDDLE_LEVELS)
            .annotate(sitting=sitting)
            .filter(sitting__lt=F("headcount"))
            .order_by("pk")
        ):
            self.vacant_middle_post.setdefault(post.organization_id, post.pk)
        if self.first.pk not in self.vacant_middle_post:  # every seat of the demo school is held: add a post
            post = Post.objects.create(
                organization=self.first,
                name="教科室副主任",
                kind=c.PostKind.MIDDLE_DEPUTY,
                level=c.PostLevel.MIDDLE_DEPUTY,
                headcount=1,
            )
            self.vacant_middle_post[self.first.pk] = post.pk
        self.middle_tenure = {}
        for tenure in Tenure.objects.filter(
            end_date__isnull=True, post__level__in=MIDDLE_LEVELS, post__organization__in=self.schools
        ).order_by("pk"):
            self.middle_tenure.setdefault(tenure.post.organization_id, tenure.pk)
        teacher_person = self.teacher.profile.person_id
        self.teacher_person = teacher_person
        self.people: dict[int, list[int]] = {}
        for pk, org in (
            Person.objects.filter(organization__in=self.schools, employment_status=c.EmploymentStatus.ACTIVE)
            .exclude(pk=teacher_person)
            .values_list("pk", "organization_id")
        ):
            self.people.setdefault(org, []).append(pk)


def _initial(form_class) -> dict:
    data = {}
    for name, field in form_class.base_fields.items():
        value = field.initial
        if callable(value):
            value = value()
        if value is not None:
            data[name] = value
    return data


def _post(client, user, url, data, what):
    client.force_login(user)
    response = client.post(url, data)
    if response.status_code != 302:
        page = response.content.decode(errors="replace")
        found = re.findall(r'class="[^"]*(?:errorlist|error|invalid|cf-alert)[^"]*"[^>]*>(.*?)</', page, flags=re.S)
        errors = "; ".join(re.sub(r"<[^>]+>|\s+", " ", e).strip() for e in found if e.strip())
        if not errors:
            Path("/tmp/bench_workbench_refused.html").write_text(page)
            errors = "(page kept in /tmp/bench_workbench_refused.html)"
        raise BenchError(f"{what}: {response.status_code} {errors}")
    return response


def _open_task(case, node):
    from viewflow.workflow.status import STATUS

    return case.task_set.filter(flow_task=node).exclude(status__in=[STATUS.DONE, STATUS.CANCELED]).get()


def build_templates(world: World) -> dict:
    """One real case per flow, started (and the ethics case one step further) through the flows' pages."""
    from django.test import Client
    from django.utils import timezone

    from workflows.competition import forms as competition_forms
    from workflows.competition.flows import AdjustmentFlow, CompetitionFlow
    from workflows.competition.models import Adjustment, AdjustmentTrigger, Competition
    from workflows.ethics_case.flows import EthicsCaseFlow
    from workflows.ethics_case.models import EthicsCase
    from workflows.principal_selection.flows import PrincipalSelectionFlow
    from workflows.principal_selection.models import SelectionCase

    client = Client()
    today = timezone.localdate()
    first = world.first.pk
    templates = {}

    _post(
        client,
        world.officer,
        PrincipalSelectionFlow.propose.reverse("execute"),
        {
            "post": world.principal_post[first],
            "started_on": today.isoformat(),
            "method": "recommendation",
            "posts_to_fill": 1,
            "scope": "全区小学副校长",
            "plan": "原校长到龄退出，按程序选拔。",
        },
        "principal selection: 动议",
    )
    templates["principal_selection"] = SelectionCase.objects.latest("pk")

    # The plan page as a browser posts it: every field at its shown value, one vacant post ticked.
    from cadres.models import Organization

    form = competition_forms.PlanForm(organization=Organization.objects.get(pk=first), on=today)
    plan = {}
    for name in form.fields:
        if (name.startswith("post_") and name.endswith("_on")) or (
            name.startswith("rule_") and "__" not in name and not form.fields[name].disabled
        ):
            continue
        value = form[name].value()
        if value not in (None, False, ""):
            plan[name] = value.isoformat() if hasattr(value, "isoformat") else value
    key = f"post_{world.vacant_middle_post[first]}"
    plan |= {f"{key}_on": "on", f"{key}_kind": "vacancy", f"{key}_seats": 1, f"{key}_min": 2}
    plan |= {
        "title": "2026年中层干部竞聘上岗",
        "opens": (today + dt.timedelta(days=10)).isoformat(),
        "closes": (today + dt.timedelta(days=15)).isoformat(),
    }
    _post(client, world.secretary, CompetitionFlow.plan.reverse("execute"), plan, "competition: 制定实施方案")
    templates["competition"] = Competition.objects.latest("pk")

    _post(
        client,
        world.secretary,
        AdjustmentFlow.propose.reverse("execute"),
        {
            "tenure": world.middle_tenure[first],
            "trigger": AdjustmentTrigger.OFFICER,
            "grounds": "工作不在状态，群众反映较大。",
            "proposed_outcome": "remove",
        },
        "adjustment: 提出调整建议",
    )
    templates["adjustment"] = Adjustment.objects.latest("pk")

    _post(
        client,
        world.secretary,
        EthicsCaseFlow.report.reverse("execute"),
        {
            "teacher": world.teacher_person,  # a teacher with a login (the report refuses one without)
            "source": "school_report",
            "report_text": "家长反映该教师组织有偿补课。",
            "reported_on": today.isoformat(),
        },
        "ethics case: 报告案件",
    )
    case = EthicsCase.objects.latest("pk")
    task = _open_task(case, EthicsCaseFlow.assign_investigator)
    _post(
        client,
        world.officer,
        EthicsCaseFlow.assign_investigator.reverse("execute", args=[case.pk, task.pk]),
        {"investigator": world.discipline.pk},
        "ethics case: 指定调查人员",
    )
    templates["ethics_case"] = EthicsCase.objects.get(pk=case.pk)
    return templates


# ---- bulk copies --------------------------------------------------------------------------------------------


def _adapt(value):
    from psycopg2.extras import Json

    return Json(value) if isinstance(value, dict | list) else value


def _row(cursor, table: str, key: str, pk: int) -> dict:
    cursor.execute(f'SELECT * FROM "{table}" WHERE "{key}" = %s', [pk])
    names = [d[0] for d in cursor.description]
    return dict(zip(names, cursor.fetchone(), strict=True))


def _insert(cursor, table: str, rows: list[dict], *, returning: str | None = None) -> list:
    from psycopg2.extras import execute_values

    if not rows:
        return []
    names = list(rows[0])
    columns = ", ".join(f'"{n}"' for n in names)
    sql = f'INSERT INTO "{table}" ({columns}) VALUES %s'
    values = [tuple(_adapt(row[n]) for n in names) for row in rows]
    if returning:
        sql += f' RETURNING "{returning}"'
        return [r[0] for r in execute_values(cursor, sql, values, page_size=2000, fetch=True)]
    execute_values(cursor, sql, values, page_size=2000)
    return []


def _case_overrides(key: str, world: World, school_id: int, index: int) -> dict | None:
    """The columns of a copied case that place it in `school_id` (None: the school lacks what the case needs)."""
    if key == "principal_selection":
        post = world.principal_post.get(school_id)
        return {"post_id": post} if post else None
    if key == "competition":
        return {"organization_id": school_id}
    if key == "adjustment":
        tenure = world.middle_tenure.get(school_id)
        return {"organization_id": school_id, "tenure_id": tenure} if tenure else None
    people = world.people.get(school_id)
    if not people:
        return None
    teacher = world.teacher_person if school_id == world.first.pk and index % 4 == 0 else people[index % len(people)]
    return {"organization_id": school_id, "teacher_id": teacher}


def _flow_classes() -> dict:
    from workflows.common import inbox

    return {inbox.flow_key(f): f for f in inbox.flows()}


def seed_volume(connection, world: World, templates: dict, n_tasks: int, rng: random.Random, batch: int) -> dict:
    """Copy the template cases into about n_tasks / 6.83 cases with exactly `n_tasks` tasks between them."""
    from django.utils import timezone
    from viewflow.workflow.fields import get_task_ref
    from viewflow.workflow.models import Process, Task
    from viewflow.workflow.status import STATUS

    from workflows.common.inbox import case_tasks

    now = timezone.now()
    today = timezone.localdate()
    flows = _flow_classes()
    n_cases = max(len(FLOW_SHARES), round(n_tasks / TASKS_PER_CASE))
    plan = []  # (flow key, school id, task count)
    for key, share in FLOW_SHARES:
        for i in range(round(n_cases * share)):
            plan.append([key, world.schools[(i * 7 + batch) % len(world.schools)].pk, rng.randint(2, 11)])
    rng.shuffle(plan)
    diff = n_tasks - sum(p[2] for p in plan)
    i = 0
    while diff:  # spread the remainder one task at a time (never below 1 task a case)
        step = 1 if diff > 0 else -1
        if plan[i % len(plan)][2] + step >= 1:
            plan[i % len(plan)][2] += step
            diff -= step
        i += 1

    task_fields = [f for f in Task._meta.concrete_fields if not f.primary_key]
    task_defaults = {f.column: f.get_db_prep_save(f.get_default(), connection) for f in task_fields}
    process_table, task_table = Process._meta.db_table, Task._meta.db_table
    counts = {"cases": 0, "tasks": 0, "open": 0, "held": 0}
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        for key, flow_class in flows.items():
            model = flow_class.process_class
            template = templates[key]
            process_row = _row(cursor, process_table, "id", template.pk)
            child_table, ptr = model._meta.db_table, model._meta.pk.column
            child_row = _row(cursor, child_table, ptr, template.pk)
            refs = [get_task_ref(node) for node in case_tasks(flow_class)]
            cases = []
            for index, (k, school, n) in enumerate(plan):
                if k != key:
                    continue
                overrides = _case_overrides(key, world, school, index)
                if overrides is None:
                    overrides = _case_overrides(key, world, world.first.pk, index)
                is_open = rng.random() < OPEN_SHARE
                created = now - dt.timedelta(days=rng.uniform(3 * n + 1, 400), minutes=rng.randint(0, 1440))
                cases.append((overrides, is_open, created, n))
            process_rows = []
            for _overrides, is_open, created, n in cases:
                row = {k: v for k, v in process_row.items() if k != "id"}
                row.update(
                    status=STATUS.NEW if is_open else STATUS.DONE,
                    created=created,
                    finished=None if is_open else created + dt.timedelta(days=3 * n),
                )
                process_rows.append(row)
            pks = _insert(cursor, process_table, process_rows, returning="id")
            child_rows = []
            for pk, (overrides, *_rest) in zip(pks, cases, strict=True):
                child_rows.append(child_row | {ptr: pk} | overrides)
            _insert(cursor, child_table, child_rows)
            task_rows = []
            done_owner = world.officer.pk if key in ("principal_selection", "ethics_case") else world.secretary.pk
            for pk, (_overrides, is_open, created, n) in zip(pks, cases, strict=True):
                for t in range(n):
                    task_created = created + dt.timedelta(days=3 * t, minutes=t)
                    last_open = is_open and t == n - 1
                    row = dict(task_defaults)
                    row.update(
                        process_id=pk,
                        flow_task=refs[t % len(refs)],
                        flow_task_type="HUMAN",
                        created=task_created,
                    )
                    if last_open:
                        held = rng.random() < HELD_SHARE
                        due = today + dt.timedelta(days=rng.randint(-20, 40))
                        row.update(
                            status=STATUS.ASSIGNED if held else STATUS.NEW,
                            owner_id=world.holder.pk if held else None,
                            assigned=task_created if held else None,
                            data={"due": due.isoformat()},
                        )
                        counts["open"] += 1
                        counts["held"] += held
                    else:
                        finished = task_created + dt.timedelta(days=2)
                        row.update(
                            status=STATUS.DONE,
                            owner_id=done_owner,
                            assigned=task_created,
                            started=task_created,
                            finished=finished,
                            data={"due": (finished + dt.timedelta(days=rng.randint(-3, 5))).date().isoformat()},
                        )
                    task_rows.append(row)
            _insert(cursor, task_table, task_rows)
            counts["cases"] += len(pks)
            counts["tasks"] += len(task_rows)
    return counts


def vacuum_analyze(connection) -> None:
    """What autovacuum does on a live database after a batch like this: statistics and the visibility map (so
    that index-only scans skip the heap). Outside any transaction."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# ---- the pages ----------------------------------------------------------------------------------------------


def pages(world: World, templates: dict) -> list[dict]:
    """(key, label, path, kind, user) of every page measured; kind "list" (≥ 1/3) or "case" (≥ 1/4)."""
    flows = _flow_classes()
    result = [
        {"key": "home", "label": "工作台 /home/dashboard/", "path": "/home/dashboard/", "kind": "list"},
        {"key": "inbox", "label": "待办 /home/inbox/", "path": "/home/inbox/", "kind": "list"},
        {
            "key": "inbox_ps",
            "label": "待办 ?flow=principal_selection",
            "path": "/home/inbox/?flow=principal_selection",
            "kind": "list",
        },
    ]
    names = {
        "principal_selection": "校长选拔",
        "competition": "竞聘上岗",
        "adjustment": "能上能下",
        "ethics_case": "师德案件",
    }
    for key, flow_class in flows.items():
        result.append(
            {
                "key": f"list_{key}",
                "label": f"{names[key]}列表 process_list",
                "path": flow_class.instance.reverse("process_list"),
                "kind": "list",
            }
        )
    for key, flow_class in flows.items():
        result.append(
            {
                "key": f"case_{key}",
                "label": f"{names[key]}案件页 process_detail",
                "path": flow_class.instance.reverse("process_detail", args=[templates[key].pk]),
                "kind": "case",
            }
        )
    result.append({"key": "people", "label": "人员 /registry/people/", "path": "/registry/people/", "kind": "list"})
    return result


def choose_users(world: World, page_list: list[dict]) -> None:
    """Each page as the first bench user it answers 200 to: the officer, else the school secretary."""
    from django.test import Client

    clients = {}
    for user in (world.officer, world.secretary):
        client = Client()
        client.force_login(user)
        clients[user.username] = client
    for page in page_list:
        for username, client in clients.items():
            if client.get(page["path"]).status_code == 200:
                page["user"] = username
                break
        else:
            raise BenchError(f"{page['label']}: neither the officer nor the secretary gets 200 at {page['path']}")


def count_queries(connection, world: World, page_list: list[dict], size: str) -> None:
    """The queries of the second request to each page (the first warms per-process caches), in-process."""
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    users = {"officer": world.officer, "secretary": world.secretary}
    for page in page_list:
        client = Client()
        client.force_login(users[page["user"]])
        client.get(page["path"])
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(page["path"])
            elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise BenchError(f"{page['label']}: {response.status_code} in-process")
        page[f"queries_{size}"] = len(ctx.captured_queries)
        page[f"ms_{size}"] = round(elapsed * 1000, 1)
        page[f"bytes_{size}"] = len(response.content)
        shapes = Counter(re.sub(r"'[^']*'|\b\d+\b", "?", q["sql"]) for q in ctx.captured_queries)
        shape, times = shapes.most_common(1)[0] if shapes else ("", 0)
        page[f"most_repeated_{size}"] = {"times": times, "sql": shape[:400]}
        slowest = max(ctx.captured_queries, key=lambda q: float(q["time"]), default=None)
        if slowest:
            page[f"slowest_{size}"] = {"ms": round(float(slowest["time"]) * 1000, 1), "sql": slowest["sql"]}


def profile_pages(world: World, page_list: list[dict], keys: list[str]) -> None:
    from django.test import Client

    users = {"officer": world.officer, "secretary": world.secretary}
    for page in page_list:
        if page["key"] not in keys:
            continue
        client = Client()
        client.force_login(users[page["user"]])
        client.get(page["path"])
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(page["path"])
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
        print(f"\n---- cProfile of {page['label']} ({page['path']}) ----\n{out.getvalue()}")


def explain(connection, page: dict) -> None:
    slowest = page.get("slowest_large")
    if not slowest:
        return
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
        plan = "\n".join(r[0] for r in cursor.fetchall())
    print(f"\n---- slowest query of {page['label']} ({slowest['ms']} ms in-process) ----\n{slowest['sql']}\n{plan}")


# ---- load over HTTP -----------------------------------------------------------------------------------------


def _session_cookie(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def hammer(port: int, path: str, cookie: str, seconds: float, concurrency: int) -> dict:
    """`concurrency` keep-alive clients GET `path` for `seconds`; completed 200s per second of wall time."""
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    totals = {"ok": 0, "errors": 0, "first_error": "", "latencies": []}

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        ok, errors, latencies, first_error = 0, 0, [], ""
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                errors += 1
                first_error = first_error or repr(exc)
                conn.close()
                continue
            latencies.append(time.perf_counter() - started)
            if response.status == 200:
                ok += 1
            else:
                errors += 1
                first_error = first_error or f"HTTP {response.status} {response.getheader('Location') or ''}"
            if response.will_close:
                conn.close()
        conn.close()
        with lock:
            totals["ok"] += ok
            totals["errors"] += errors
            totals["latencies"] += latencies
            totals["first_error"] = totals["first_error"] or first_error

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(totals.pop("latencies"))
    totals["rps"] = totals["ok"] / elapsed
    totals["p50_ms"] = round(latencies[len(latencies) // 2] * 1000, 1) if latencies else None
    return totals


def serve_and_measure(world: World, page_list: list[dict], args) -> None:
    from workbench_urls import BARE_PATH

    from tests.support.gunicorn import gunicorn_server

    cookies = {"officer": _session_cookie(world.officer), "secretary": _session_cookie(world.secretary)}
    env = {
        "DJANGO_SETTINGS_MODULE": "workbench_settings",
        "PYTHONPATH": os.pathsep.join([str(BENCH_DIR), str(ROOT)]),
        "DJANGO_DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }
    with gunicorn_server(workers=args.workers, threads=args.threads, env=env) as (base_url, _process):
        port = int(base_url.rsplit(":", 1)[1])
        for cookie in cookies.values():  # warm both workers on every page
            for page in [{"path": BARE_PATH}, *page_list]:
                hammer(port, page["path"], cookie, 0.01, args.workers)
        for page in page_list:
            cookie = cookies[page["user"]]
            bare = hammer(port, BARE_PATH, cookie, args.duration, args.concurrency)
            run = hammer(port, page["path"], cookie, args.duration, args.concurrency)
            page["bare_rps"] = round(bare["rps"], 1)
            page["rps"] = round(run["rps"], 2)
            page["p50_ms"] = run["p50_ms"]
            page["bare_p50_ms"] = bare["p50_ms"]
            page["ratio"] = round(run["rps"] / bare["rps"], 3) if bare["rps"] else 0.0
            page["errors"] = run["errors"] + bare["errors"]
            page["first_error"] = run["first_error"] or bare["first_error"]
            print(
                f"  {page['label']}: {page['rps']} req/s, bare {page['bare_rps']}, ratio {page['ratio']}"
                + (f"  ERRORS {page['errors']} ({page['first_error']})" if page["errors"] else ""),
                flush=True,
            )


# ---- the table ----------------------------------------------------------------------------------------------


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def verdicts(page_list: list[dict]) -> list[str]:
    problems = []
    for page in page_list:
        target = CASE_TARGET if page["kind"] == "case" else LIST_TARGET
        page["target"] = round(target, 3)
        notes = []
        if page.get("errors"):
            notes.append("ERRORS")
        if page.get("ratio", 0) < target:
            notes.append("MISSED")
        if page.get("queries_large", 0) > page.get("queries_small", 0):
            notes.append("GROWS")
        page["verdict"] = " ".join(notes) or "ok"
        if notes:
            problems.append(f"{page['label']}: {page['verdict']}")
    return problems


def print_table(page_list: list[dict], counts: dict, args) -> None:
    header = ["page", "req/s", "bare req/s", "ratio", "target", "queries small → large", "ms in-process", "verdict"]
    rows = []
    for p in page_list:
        rows.append(
            [
                p["label"],
                f"{p.get('rps', 0):.2f}",
                f"{p.get('bare_rps', 0):.1f}",
                f"{p.get('ratio', 0):.3f}",
                "1/4" if p["kind"] == "case" else "1/3",
                f"{p.get('queries_small', '?')} → {p.get('queries_large', '?')}",
                f"{p.get('ms_large', 0):.0f}",
                p["verdict"],
            ]
        )
    widths = [max(_width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(
        f"\nWorkbench at {counts['tasks']:,} tasks ({counts['cases']:,} cases, {counts['open']:,} open, "
        f"{counts['held']:,} held by another user); gunicorn {args.workers}×{args.threads} gthread, "
        f"{args.concurrency} clients, {args.duration:g} s a page\n"
    )
    for i, row in enumerate([header, *rows]):
        print("  ".join(str(cell) + " " * (w - _width(str(cell))) for cell, w in zip(row, widths, strict=True)))
        if i == 0:
            print("  ".join("-" * w for w in widths))


def write_json(page_list: list[dict], counts: dict, args, problems: list[str]) -> Path:
    out_dir = BENCH_DIR / "results"
    out_dir.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = out_dir / f"workbench-{counts['tasks']}-{stamp}.json"
    path.write_text(
        json.dumps(
            {
                "when": stamp,
                "tasks": counts,
                "settings": {k: getattr(args, k) for k in ("duration", "concurrency", "workers", "threads")},
                "load_average": os.getloadavg(),
                "pages": page_list,
                "problems": problems,
            },
            ensure_ascii=False,
            indent=2,
            default=str,
        )
    )
    return path


def main() -> int:
    args = _parse_args()
    _require_postgresql()
    sys.path.insert(0, str(BENCH_DIR))
    os.environ["DJANGO_SETTINGS_MODULE"] = "workbench_settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # not every login's AXES line
    from benchsetup import setup_django, throwaway_database

    sqlite_path = setup_django("workbench", test_client=True)
    from django.db import transaction

    with throwaway_database(sqlite_path) as connection:
        import config.urls  # noqa: F401  (the site's URLs, so flow nodes reverse their own)
        from cadres.demo.loader import demo_district_load

        rng = random.Random(SEED)
        started = time.perf_counter()
        demo_district_load()
        world = World()
        templates = build_templates(world)
        print(f"district and template cases: {time.perf_counter() - started:.1f} s", flush=True)

        started = time.perf_counter()
        with transaction.atomic():
            counts = seed_volume(connection, world, templates, SMALL_TASKS, rng, batch=0)
        vacuum_analyze(connection)
        print(f"seeded {counts['tasks']:,} tasks in {time.perf_counter() - started:.1f} s", flush=True)
        page_list = pages(world, templates)
        choose_users(world, page_list)
        count_queries(connection, world, page_list, "small")
        if args.tasks > SMALL_TASKS:
            started = time.perf_counter()
            with transaction.atomic():
                more = seed_volume(connection, world, templates, args.tasks - SMALL_TASKS, rng, batch=1)
            vacuum_analyze(connection)
            counts = {k: counts[k] + more[k] for k in counts}
            print(f"seeded to {counts['tasks']:,} tasks in {time.perf_counter() - started:.1f} s", flush=True)
        count_queries(connection, world, page_list, "large")
        if args.profile:
            profile_pages(world, page_list, args.profile)
        connection.close()  # gunicorn's workers get their own connections
        print("serving with gunicorn ...", flush=True)
        serve_and_measure(world, page_list, args)

        problems = verdicts(page_list)
        print_table(page_list, counts, args)
        if args.explain:
            for page in page_list:
                if "MISSED" in page["verdict"]:
                    explain(connection, page)
        path = write_json(page_list, counts, args, problems)
        print(f"\nresults: {path.relative_to(ROOT)}")
        if problems:
            print("\nmissed:\n  " + "\n  ".join(problems))
            return 1
        return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        sys.stderr.write(f"bench_workbench failed: {exc}\n")
        sys.exit(1)
