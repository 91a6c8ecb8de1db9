"""One workflow transition through our services against a hand-written raw transition (issue 11).

PostgreSQL only: on a throw-away database (`test_<name>` on the server named by DATABASE_URL, created and
dropped; the named database itself is not touched) the bench builds a district (the principal-selection
test world: a school with a principal post, eligible deputies, every role's user; plus teachers holding
reserve-pool entries), prepares many cases up to the step to be measured (not timed: through the services
and viewflow's activations, as the task views do), then measures in one run:

  raw          one transaction: `select_for_update` of the case row, its state updated, one viewflow_task row
               and one audit row inserted, all by hand (ORM). Two audit variants: the row alone (prev_hash
               and hash filled with a random value: the chain skipped) and the row with the chain as
               `audit.services.record_event` keeps it (advisory lock, read the head, SHA-256, insert).
               `raw_sql` is the same as plain SQL through a cursor, chain skipped.
  plain        a step into a Join: 信访举报必查 (petition check) of principal selection: the second
               candidate's check, which completes the step (the first candidate's is recorded during
               set-up); the other three musts and the inspection stay open, so the Join waits and no human
               task is created. Three ways:
               `service` = `services.check_record` alone (case and candidate read by id, no viewflow);
               `flow` = what the task view does minus HTTP: the flow lock, `CaseTask.start_task` (the task
               and its case in one read, the activation started), the service, `check_complete`,
               `activation.execute()`; `http` = Django's test
               Client, logged in as the discipline inspector, POSTing the task's execute URL (302 expected).
  linear       an ordinary step followed by a plain human step (no Join, Split, rule or document): the ethics
               case's 指定调查人员 (the officer names the investigator; it opens 调查核实, assigned to them), on
               cases reported through the flow's start node during set-up. The same three ways: `service` =
               `ethics_case_investigator_assign` alone; `flow` = lock, `start_task`, the service, `execute()`;
               `http` = the officer POSTing the task's execute URL.
  shortlist    确定考察对象: two people and a two-member inspection team, the same three ways.
  pool         the reserve pool's `reserve_entry_shortlist` (in_pool → shortlisted), as principal selection
               calls it (there is no page of its own); the entries are stored in_pool directly (ORM).

For each: median and p95 ms per transition and transitions/s with one worker; transitions/s with
`--workers` (default 4) forked processes, each on its own cases, started together (wall time from the
first start to the last finish); SQL statements per transition, counted in a separate single-worker pass
(`CaptureQueriesContext`) in which every statement is also attributed to the code that issued it (the
innermost project, viewflow or Django-contrib frame) and written to `bench/results/transition_sql_*.txt`.

What is reported apart, inside the timed transitions: rule evaluation and the veto (the time spent in
`principal_selection.services.candidate_refusals` / `reserve_pool.services._require_eligible`) and the
task-arrival notifications after commit (`workflows.notifications.services.notify_arrival`, or with a broker,
as here, `queue_arrival`: one message per new task, the worker writes them).
Documents: none of the measured steps builds one; `dossiers.background.submit` is counted (0 expected) and
the background mode is Celery on an in-memory broker (`CELERY_BROKER_URL=memory://`, nothing consumes it),
so a job would be queued and never rendered; notification mails are queued the same way.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cf_transition .venv/bin/python bench/bench_transition.py
    ... bench/bench_transition.py --cases 40 --workers 4          # quick
    ... bench/bench_transition.py --only raw plain                # some kinds only

Results: a table on stdout, JSON in bench/results/transition.json (bench/results/ is not committed).

One run, `--cases 80 --workers 4`, 2 cores, idle machine (ms; × = median ÷ raw+chain's; SQL per transition).
`linear` is issue 11's plain step (≤ 3× asked); `plain` is a step into a Join, reported apart:

    transition         median    ×   SQL  t/s 1w  t/s 4w      transition         median    ×   SQL  t/s 1w  t/s 4w
    raw                  2.43  0.9     6   407.7   448.1      linear.service       4.02  1.5     8   242.9   359.7
    raw+chain            2.73  1.0     8   362.9   397.6      linear.flow          6.33  2.3    11   154.0   195.2
    plain.service        4.74  1.7    10   204.8   270.3      linear.http         13.29  4.9    18    73.1   117.1
    plain.flow           8.81  3.2    15   113.0   130.3      shortlist.flow      56.45 20.7    74    17.6    31.4
    plain.http          16.25  6.0    21    60.5    89.7      pool.service        21.63  7.9    30    45.7    81.5
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import logging
import multiprocessing as mp
import os
import pstats
import statistics
import sys
import time
import traceback
import uuid
import warnings
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

from benchsetup import ROOT, setup_django, throwaway_database

D = dt.date
RESULTS = ROOT / "bench" / "results"
KINDS = ("raw", "plain", "linear", "shortlist", "pool")
# variant name → kind; the order of the table
VARIANTS = {
    "raw": "raw",
    "raw+chain": "raw",
    "raw_sql": "raw",
    "plain.service": "plain",
    "plain.flow": "plain",
    "plain.http": "plain",
    "linear.service": "linear",
    "linear.flow": "linear",
    "linear.http": "linear",
    "shortlist.service": "shortlist",
    "shortlist.flow": "shortlist",
    "shortlist.http": "shortlist",
    "pool.service": "pool",
}
PETITION = {"checked_on": "2026-03-28", "received": 0, "finding": "考察期间未收到信访举报。"}
SHORTLIST_ON = D(2026, 3, 20)
REPORTED_ON = D(2026, 9, 1)


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100, help="cases per variant: half 1 worker, half N (default 100)")
    parser.add_argument("--workers", type=int, default=4, help="worker processes of the parallel pass (default 4)")
    parser.add_argument("--count", type=int, default=3, help="transitions per variant in the SQL pass (default 3)")
    parser.add_argument("--only", nargs="*", choices=KINDS, help="measure these kinds only (raw always runs)")
    parser.add_argument(
        "--profile", nargs="*", default=[], metavar="VARIANT", help="cProfile these variants' single-worker runs"
    )
    args = parser.parse_args()
    if args.cases < 2 * args.workers or args.workers < 1 or args.count < 1:
        parser.error("--cases must be at least twice --workers; --workers and --count at least 1")
    return args


# ---- instrumentation: rules, notifications, documents, statement origins ------------------------------------

SPENT = {"rules": 0.0, "notify": 0.0, "documents": 0}


def _timed(module, name: str, bucket: str) -> None:
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            SPENT[bucket] += time.perf_counter() - started

    setattr(module, name, wrapper)


def instrument() -> None:
    """Time the rule/veto evaluation and the after-commit notifications; count document jobs. Module
    attributes are rebound (the callers look them up at call time); no application code is changed."""
    from dossiers import background
    from reserve_pool import services as pool_services
    from workflows.notifications import services as notify
    from workflows.principal_selection import services as selection

    _timed(selection, "candidate_refusals", "rules")
    _timed(pool_services, "_require_eligible", "rules")
    _timed(notify, "notify_arrival", "notify")
    _timed(notify, "queue_arrival", "notify")
    submit = background.submit

    def counted_submit(job, object_id):
        SPENT["documents"] += 1
        return submit(job, object_id)

    background.submit = counted_submit


SITE = ("/site-packages/", "/lib/python3")


def _origin(stack) -> tuple[str, str]:
    """(category, 'path:line function') of the innermost frame that is ours, viewflow's or a Django app's."""
    for frame in reversed(stack):
        path = frame.filename
        if "/bench/" in path:
            continue
        if path.startswith(str(ROOT)) and "/.venv/" not in path:
            rel = os.path.relpath(path, ROOT)
            return _category(rel), f"{rel}:{frame.lineno} {frame.name}"
        for lib in ("viewflow/", "django/contrib/", "django_fsm/", "django/test/client", "django/views/"):
            if lib in path:
                rel = path[path.index(lib) :]
                return _category(rel), f"{rel}:{frame.lineno} {frame.name}"
    return "bench driver", "bench/bench_transition.py"


def _category(rel: str) -> str:
    prefixes = [
        ("audit/", "audit chain"),
        ("cadres/rules", "rules/veto"),
        ("cadres/ethics", "rules/veto"),
        ("workflows/notifications", "notifications"),
        ("dossiers/", "documents"),
        ("workflows/common/policy", "task policy"),
        ("workflows/common/task_gone", "task policy"),
        ("workflows/common/nodes", "viewflow"),
        ("viewflow/", "viewflow"),
        ("django/contrib/sessions", "session/auth"),
        ("django/contrib/auth", "session/auth"),
        ("django/contrib/messages", "session/auth"),
        ("cadres/roles", "session/auth"),
        ("cadres/recusal", "recusal"),
        ("workflows/common/recusal", "recusal"),
        ("workflows/principal_selection/forms", "form"),
        ("workflows/principal_selection/views", "view"),
        ("workflows/ethics_case/forms", "form"),
        ("workflows/ethics_case/views", "view"),
        ("workflows/ethics_case/actors", "task policy"),
        ("reserve_pool/selectors", "pool selectors"),
        ("workflows/principal_selection/pool", "pool link"),
    ]
    for prefix, name in prefixes:
        if rel.startswith(prefix):
            return name
    return "service" if "services" in rel or "models" in rel else rel.split(":")[0]


class StatementLog:
    """An execute wrapper recording each statement with where it came from."""

    def __init__(self):
        self.rows: list[tuple[str, str, str]] = []

    def __call__(self, execute, sql, params, many, context):
        stack = traceback.extract_stack()[:-1]
        category, where = _origin(stack)
        self.rows.append((category, where, _callers(stack), " ".join(str(sql).split())))
        return execute(sql, params, many, context)


def _callers(stack, depth: int = 4) -> str:
    """The project's frames above the statement, innermost first (for the log)."""
    ours = [
        f"{os.path.relpath(f.filename, ROOT)}:{f.lineno} {f.name}"
        for f in reversed(stack)
        if f.filename.startswith(str(ROOT)) and "/.venv/" not in f.filename and "/bench/" not in f.filename
    ]
    return " < ".join(ours[1 : depth + 1])


# ---- the district ---------------------------------------------------------------------------------------


def build_world(pool_people: int):
    import config.urls  # noqa: F401  (the site's URLs, so flow nodes reverse their own)
    from cadres import choices as c
    from cadres.roles import Role
    from reserve_pool.choices import Horizon, Origin, ReserveKind, ReserveState
    from reserve_pool.models import ReserveEntry
    from tests.factories import (
        AppraisalFactory,
        BureauFactory,
        EducationFactory,
        OrganizationFactory,
        PersonFactory,
        PostFactory,
        TenureFactory,
        TitleFactory,
        UserFactory,
    )

    bureau = BureauFactory(name="示范区教育局", short_name="区教育局")
    school = OrganizationFactory(name="第一实验小学", parent=bureau)
    other = OrganizationFactory(name="第二实验小学", parent=bureau)
    pool_school = OrganizationFactory(name="第三实验小学", parent=bureau)
    post = PostFactory(
        organization=school, name="校长", kind=c.PostKind.PRINCIPAL, level=c.PostLevel.SCHOOL_HEAD, headcount=1
    )
    deputy = PostFactory(organization=school, name="副校长", headcount=2)
    other_deputy = PostFactory(organization=other, name="副校长", headcount=2)
    PostFactory(organization=pool_school, name="副校长", headcount=2)
    holder = PersonFactory(name="老校长", organization=school, birth_date=D(1967, 1, 5))
    TenureFactory(person=holder, post=post, start_date=D(2014, 9, 1))

    def eligible(org, name, deputy_post):
        person = PersonFactory(name=name, organization=org, birth_date=D(1984, 3, 9), work_start_date=D(2006, 8, 1))
        EducationFactory(person=person)
        TitleFactory(person=person, title=c.TeacherTitle.SENIOR, obtained_on=D(2018, 12, 1))
        for year in (2023, 2024, 2025):
            AppraisalFactory(person=person, year=year, grade=c.AppraisalGrade.COMPETENT)
        TenureFactory(person=person, post=deputy_post, start_date=D(2019, 9, 1))
        return person

    def staff(username, role, person=None):
        return UserFactory(username=username, roles=[role], organization=bureau, organization__person=person)

    w = SimpleNamespace(
        bureau=bureau,
        post=post,
        alice=eligible(school, "王晓燕", deputy),
        bob=eligible(other, "赵立新", other_deputy),
        carol=eligible(school, "孙海涛", deputy),
        officer=staff("officer", Role.PERSONNEL_OFFICER),
        inspectors=[
            staff(f"inspector{i}", Role.INSPECTION_TEAM, PersonFactory(name=name, organization=bureau))
            for i, name in ((1, "考察甲"), (2, "考察乙"))
        ],
        discipline=staff("discipline", Role.DISCIPLINE_INSPECTOR),
    )
    # The teacher of the ethics cases (a login of their own: they make their statement themselves).
    w.teacher = PersonFactory(name="马建军", organization=school, subject="数学")
    UserFactory(username="teacher", roles=[Role.TEACHER], organization=school, organization__person=w.teacher)
    # Reserve-pool teachers (本科, 一级教师, appraisals 合格): the default reserve_entry rule set accepts them.
    entries = []
    for i in range(pool_people):
        person = PersonFactory(
            organization=pool_school, name=f"后备{i:03d}", birth_date=D(1986, 1 + i % 12, 1 + i // 12 % 28)
        )
        EducationFactory(person=person, level=c.EducationLevel.BACHELOR)
        TitleFactory(person=person, title=c.TeacherTitle.FIRST, obtained_on=D(2015, 12, 1))
        for year in range(2020, 2027):
            AppraisalFactory(person=person, year=year, grade=c.AppraisalGrade.COMPETENT)
        on = D(2026, 3, 2)
        entries.append(
            ReserveEntry(
                person=person,
                origin=Origin.BUREAU,
                kind=ReserveKind.DEPUTY,
                post_kind=c.PostKind.VICE_PRINCIPAL,
                organization=pool_school,
                horizon=Horizon.NEAR_TERM,
                nominating_unit=bureau,
                nominated_by=w.officer,
                nominated_on=on,
                state=ReserveState.IN_POOL,
                reviewed_on=on,
                review_passed=True,
                personal_matters_ok=True,
                review_rule_set="后备干部入库条件",
                assessed_on=on,
                talks_count=10,
                evaluation_summary="良好",
                profile_text="本科学历，一级教师，教学实绩突出，管理能力较强。",
                admitted_on=on,
                admission_document="教工委〔2026〕1号",
                valid_until=D(2029, 3, 1),
            )
        )
    if entries:
        entries[0].full_clean(exclude=["state"])
    w.entries = [e.pk for e in ReserveEntry.objects.bulk_create(entries)]
    return w


# ---- driving the flow (set-up, and the "flow" variants) ----------------------------------------------------


def _flow():
    from workflows.principal_selection.flows import PrincipalSelectionFlow

    return PrincipalSelectionFlow


def open_task(case_pk: int, node):
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    return (
        Task.objects.filter(process_id=case_pk, flow_task=node).exclude(status__in=[STATUS.DONE, STATUS.CANCELED]).get()
    )


def run_task(case_pk: int, node, user, perform, complete=lambda case: True, task_pk=None) -> None:
    """What a task view's POST does (`workflows.common.nodes.CaseTask`'s execute view + `StepView.form_valid`),
    without HTTP: the flow lock, `node.start_task` in its transaction, the service, `activation.execute()`."""
    from django.db import transaction

    task_pk = task_pk or open_task(case_pk, node).pk  # the task view has it from its URL
    with node.flow_class.lock(case_pk), transaction.atomic(savepoint=False):
        activation = node.start_task(SimpleNamespace(user=user), task_pk)
        perform(activation.process)
        if complete(activation.process):
            activation.execute()


def start_case(node, user, perform) -> int:
    """A case started through the flow's start node, as its start view does: `perform(case)` is the service."""
    from django.db import transaction

    activation = node.activation_class.create(node, None, None)
    with transaction.atomic():
        activation.start(SimpleNamespace(user=user))
        perform(activation.process)
        activation.execute()
    return activation.process.pk


def propose(w) -> int:
    from workflows.principal_selection import services

    return start_case(
        _flow().propose,
        w.officer,
        lambda case: services.case_propose(
            case=case,
            acting_user=w.officer,
            post=w.post,
            started_on=D(2026, 3, 2),
            scope="全区小学副校长",
            plan="原校长到龄退出，按程序选拔。",
        ),
    )


def recommend(w, case_pk: int) -> None:
    from workflows.principal_selection import services

    flow = _flow()
    votes = {w.alice.pk: 20, w.bob.pk: 5, w.carol.pk: 2}
    voters = [{"category": "班子", "due": 5, "attended": 5}, {"category": "教师代表", "due": 26, "attended": 23}]
    for form in ("talk", "meeting"):
        run_task(
            case_pk,
            flow.recommend,
            w.officer,
            lambda case, form=form: services.recommendation_record(
                case=case, acting_user=w.officer, form=form, held_on=D(2026, 3, 10), voters=voters, votes=votes
            ),
            services.recommendation_complete,
        )


def report(w) -> int:
    """An ethics case reported on the school's teacher (the flow's start task), waiting for its investigator."""
    from workflows.ethics_case import services
    from workflows.ethics_case.flows import EthicsCaseFlow

    return start_case(
        EthicsCaseFlow.report,
        w.officer,
        lambda case: services.ethics_case_report(
            acting_user=w.officer,
            case=case,
            teacher=w.teacher,
            source="school_report",
            report_text="家长反映该教师组织有偿补课。",
            reported_on=REPORTED_ON,
        ),
    )


def assign_perform(w):
    from workflows.ethics_case import services

    return lambda case: services.ethics_case_investigator_assign(
        acting_user=w.officer, case=case, investigator=w.discipline
    )


def shortlist_perform(w):
    from workflows.principal_selection import services

    return lambda case: services.candidates_shortlist(
        case=case, acting_user=w.officer, people=[w.alice, w.bob], team=w.inspectors, on=SHORTLIST_ON
    )


def petition_perform(w, cand_pk: int):
    from workflows.principal_selection import services
    from workflows.principal_selection.models import Candidate, CheckKind

    def perform(case):
        services.check_record(
            case=case,
            acting_user=w.discipline,
            candidate=Candidate.objects.select_related("person").get(pk=cand_pk),
            kind=CheckKind.PETITION,
            figures=dict(PETITION),
            passed=True,
        )

    return perform


def petition_complete(case) -> bool:
    from workflows.principal_selection import services
    from workflows.principal_selection.models import CheckKind

    return services.check_complete(case, CheckKind.PETITION)


def prepare(w, variant: str, n: int) -> list[dict]:
    """`n` items ready for one transition of `variant` (not timed)."""
    from workflows.principal_selection.models import CaseState, SelectionCase

    flow = _flow()
    kind = VARIANTS[variant]
    items = []
    if kind == "pool":
        taken, w.entries = w.entries[:n], w.entries[n:]
        return [{"entry": pk} for pk in taken]
    if kind == "linear":
        from workflows.ethics_case.flows import EthicsCaseFlow

        for _i in range(n):
            case_pk = report(w)
            items.append({"case": case_pk, "task": open_task(case_pk, EthicsCaseFlow.assign_investigator).pk})
        return items
    for _i in range(n):
        if kind == "raw":
            case = SelectionCase.objects.create(
                flow_class=flow, post=w.post, started_on=D(2026, 3, 2), officer=w.officer, state=CaseState.PROPOSED
            )
            items.append({"case": case.pk})
            continue
        case_pk = propose(w)
        recommend(w, case_pk)
        if kind == "shortlist":
            items.append({"case": case_pk, "task": open_task(case_pk, flow.shortlist).pk})
            continue
        run_task(case_pk, flow.shortlist, w.officer, shortlist_perform(w))
        (first, _p), (second, person) = (
            SelectionCase.objects.get(pk=case_pk).active_candidates.order_by("pk").values_list("pk", "person_id")
        )
        run_task(case_pk, flow.petition_check, w.discipline, petition_perform(w, first), petition_complete)
        items.append(
            {"case": case_pk, "candidate": second, "person": person, "task": open_task(case_pk, flow.petition_check).pk}
        )
    return items


# ---- one transition of each variant -----------------------------------------------------------------------


def make_runner(w, variant: str):
    """A callable(item) doing one transition of `variant` in this process (logins etc. done here, not timed)."""
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS
    from viewflow.workflow.token import Token

    from audit.models import GENESIS_HASH, AuditEvent
    from audit.services import _CHAIN_LOCK_KEY, compute_hash
    from cadres.person_search import person_token
    from reserve_pool import services as pool_services
    from reserve_pool.models import ReserveEntry
    from workflows.ethics_case import services as ethics
    from workflows.ethics_case.flows import EthicsCaseFlow
    from workflows.ethics_case.models import EthicsCase
    from workflows.principal_selection import services
    from workflows.principal_selection.models import Candidate, CaseState, CheckKind, SelectionCase

    flow = _flow()
    join = flow.checks_done

    def raw(item, chain=False):
        with transaction.atomic():
            case = SelectionCase.objects.select_for_update(of=("self",)).only("pk", "state").get(pk=item["case"])
            before = case.state
            # the state field is protected (django-fsm): the same single UPDATE as save(update_fields=["state"])
            SelectionCase.objects.filter(pk=case.pk).update(state=CaseState.SHORTLISTED)
            Task.objects.create(
                process_id=case.pk, flow_task=join, flow_task_type="JOIN", status=STATUS.NEW, token=Token("start")
            )
            event = AuditEvent(
                at=timezone.now(),
                actor=w.officer,
                object_type="principal_selection.selectioncase",
                object_id=str(case.pk),
                action="principal_selection.raw",
                from_state=before,
                to_state=CaseState.SHORTLISTED,
                payload={"on": "2026-03-20"},
            )
            if chain:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
                last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
                event.prev_hash = last or GENESIS_HASH
                event.hash = compute_hash(event)
            else:
                event.prev_hash = event.hash = uuid.uuid4().hex + uuid.uuid4().hex
            event.save()

    def raw_sql(item):
        now = timezone.now()
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                "SELECT state FROM principal_selection_selectioncase WHERE process_ptr_id = %s FOR UPDATE",
                [item["case"]],
            )
            (before,) = cur.fetchone()
            cur.execute(
                "UPDATE principal_selection_selectioncase SET state = %s WHERE process_ptr_id = %s",
                [CaseState.SHORTLISTED, item["case"]],
            )
            cur.execute(
                "INSERT INTO viewflow_task (process_id, flow_task, flow_task_type, status, created, token, data) "
                "VALUES (%s, %s, 'JOIN', 'NEW', %s, 'start', '{}')",
                [item["case"], flow.checks_done.flow_class.instance.flow_label + "/" + "checks_done", now],
            )
            digest = uuid.uuid4().hex + uuid.uuid4().hex
            cur.execute(
                "INSERT INTO audit_auditevent (at, actor_id, object_type, object_id, object_repr, action, "
                "from_state, to_state, reason, payload, prev_hash, hash) "
                "VALUES (%s, %s, 'principal_selection.selectioncase', %s, '', 'principal_selection.raw', %s, %s, '', "
                "'{}', %s, %s)",
                [now, w.officer.pk, str(item["case"]), before, CaseState.SHORTLISTED, digest, digest],
            )

    def plain_service(item):
        case = SelectionCase.objects.get(pk=item["case"])
        services.check_record(
            case=case,
            acting_user=w.discipline,
            candidate=Candidate.objects.select_related("person").get(pk=item["candidate"]),
            kind=CheckKind.PETITION,
            figures=dict(PETITION),
            passed=True,
        )

    def plain_flow(item):
        run_task(
            item["case"],
            flow.petition_check,
            w.discipline,
            petition_perform(w, item["candidate"]),
            petition_complete,
            task_pk=item["task"],
        )

    def linear_service(item):
        ethics.ethics_case_investigator_assign(
            acting_user=w.officer, case=EthicsCase.objects.get(pk=item["case"]), investigator=w.discipline
        )

    def linear_flow(item):
        run_task(item["case"], EthicsCaseFlow.assign_investigator, w.officer, assign_perform(w), task_pk=item["task"])

    def shortlist_service(item):
        services.candidates_shortlist(
            case=SelectionCase.objects.get(pk=item["case"]),
            acting_user=w.officer,
            people=[w.alice, w.bob],
            team=w.inspectors,
            on=SHORTLIST_ON,
        )

    def shortlist_flow(item):
        run_task(item["case"], flow.shortlist, w.officer, shortlist_perform(w), task_pk=item["task"])

    def http(user, node, data_of):
        client = Client()
        client.force_login(user)

        def post(item):
            url = node.reverse("execute", args=[item["case"], item["task"]])
            response = client.post(url, data_of(item))
            if response.status_code != 302:
                raise RuntimeError(f"{url}: {response.status_code} {response.content[:800].decode(errors='replace')}")

        return post

    def pool_service(item):
        pool_services.reserve_entry_shortlist(
            acting_user=w.officer, entry=ReserveEntry.objects.get(pk=item["entry"]), ref="校长选拔〔2026〕1号"
        )

    runners = {
        "raw": raw,
        "raw+chain": lambda item: raw(item, chain=True),
        "raw_sql": raw_sql,
        "plain.service": plain_service,
        "plain.flow": plain_flow,
        "plain.http": lambda: http(
            w.discipline,
            flow.petition_check,
            lambda item: {"candidate": person_token(item["person"]), **PETITION, "passed": "on"},
        ),
        "linear.service": linear_service,
        "linear.flow": linear_flow,
        "linear.http": lambda: http(
            w.officer, EthicsCaseFlow.assign_investigator, lambda item: {"investigator": w.discipline.pk}
        ),
        "shortlist.service": shortlist_service,
        "shortlist.flow": shortlist_flow,
        "shortlist.http": lambda: http(
            w.officer,
            flow.shortlist,
            lambda item: {
                "people": [person_token(w.alice.pk), person_token(w.bob.pk)],
                "team": [person_token(u.profile.person_id) for u in w.inspectors],
                "on": SHORTLIST_ON.isoformat(),
            },
        ),
        "pool.service": pool_service,
    }
    runner = runners[variant]
    return runner() if variant.endswith(".http") else runner


def _child(w, variant, items, barrier, queue):
    try:
        run = make_runner(w, variant)  # log in etc. before the start line
        barrier.wait()
        started = time.time()
        for item in items:
            run(item)
        queue.put(("ok", started, time.time()))
    except Exception:  # reported to the parent, which fails the run
        queue.put(("error", traceback.format_exc(), 0.0))
    finally:
        from django.db import connections

        connections.close_all()


def parallel_run(w, variant: str, items: list[dict], workers: int) -> float:
    """Transitions per second with `workers` forked processes, each on its own share of `items`."""
    from django.db import connections

    connections.close_all()  # each child opens its own connection
    ctx = mp.get_context("fork")
    barrier, queue = ctx.Barrier(workers), ctx.Queue()
    shares = [items[i::workers] for i in range(workers)]
    procs = [ctx.Process(target=_child, args=(w, variant, share, barrier, queue)) for share in shares]
    for p in procs:
        p.start()
    results = [queue.get(timeout=1800) for _ in procs]
    for p in procs:
        p.join()
    errors = [r[1] for r in results if r[0] == "error"]
    if errors:
        raise RuntimeError(f"{variant}: a worker failed:\n{errors[0]}")
    wall = max(r[2] for r in results) - min(r[1] for r in results)
    return len(items) / wall


def count_run(run, items: list[dict]) -> tuple[float, Counter, list]:
    """Statements per transition (CaptureQueriesContext, BEGIN and COMMIT included) and their origins."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    log = StatementLog()
    total = 0
    for item in items:
        with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(log):
            run(item)
        total += len(ctx.captured_queries)
    # CaptureQueriesContext also lists each transaction's BEGIN and COMMIT (Django logs them); the wrapper only
    # sees statements sent through a cursor, so the two differ by those.
    return total / len(items), Counter(row[0] for row in log.rows), log.rows


# ---- the run ----------------------------------------------------------------------------------------------


def _ms(values) -> tuple[float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return 1000 * statistics.median(ordered), 1000 * p95


def measure(w, variants: list[str], args, log_dir: Path) -> list[dict]:
    """Prepare every variant's cases, then: a warm-up and the SQL pass per variant; the single-worker pass
    interleaved (one transition of each variant in turn, so a change of the machine's load hits all alike);
    the parallel pass per variant."""
    from django.db import connection

    n1 = args.cases // 2
    prepared, setup_s = {}, {}
    for variant in variants:
        started = time.perf_counter()
        prepared[variant] = {
            "warm": prepare(w, variant, 2),
            "counted": prepare(w, variant, args.count),
            "single": prepare(w, variant, n1),
            "multi": prepare(w, variant, args.cases - n1),
        }
        setup_s[variant] = time.perf_counter() - started
        print(f"  prepared {variant:18} in {setup_s[variant]:5.0f} s", flush=True)
    runners, counts, docs = {}, {}, {}
    for variant in variants:
        runners[variant] = make_runner(w, variant)
        for item in prepared[variant]["warm"]:  # imports, caches, first-use costs
            runners[variant](item)
        before = SPENT["documents"]
        counts[variant] = count_run(runners[variant], prepared[variant]["counted"])
        docs[variant] = SPENT["documents"] - before
    runs = {variant: [] for variant in variants}
    profiles = {variant: cProfile.Profile() for variant in variants if variant in args.profile}
    for i in range(n1):
        for variant in variants:
            rules, notify, before = SPENT["rules"], SPENT["notify"], SPENT["documents"]
            profiler = profiles.get(variant)
            started = time.perf_counter()
            if profiler is not None:
                profiler.enable()
            runners[variant](prepared[variant]["single"][i])
            if profiler is not None:
                profiler.disable()
            elapsed = time.perf_counter() - started
            runs[variant].append((elapsed, SPENT["rules"] - rules, SPENT["notify"] - notify))
            docs[variant] += SPENT["documents"] - before
    for variant, profiler in profiles.items():
        out = io.StringIO()
        order = os.environ.get("BENCH_PROFILE_SORT", "cumulative")  # or tottime
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(45)
        print(f"\n---- cProfile of {variant}, {n1} transitions (times inflated by the profiler) ----\n{out.getvalue()}")
    results = []
    for variant in variants:
        tps_n = parallel_run(w, variant, prepared[variant]["multi"], args.workers)
        connection.ensure_connection()
        per, categories, rows = counts[variant]
        totals = [r[0] for r in runs[variant]]
        median, p95 = _ms(totals)
        core_med, _p = _ms([r[0] - r[1] - r[2] for r in runs[variant]])
        with open(log_dir / f"transition_sql_{variant.replace('+', '_')}.txt", "w") as fh:
            fh.write(f"# {variant}: {len(rows)} statements over {args.count} transitions (BEGIN/COMMIT not listed)\n")
            for cat, where, callers, sql in rows:
                fh.write(f"{cat:14} | {where:70} | {sql[:240]} | {callers}\n")
        results.append(
            {
                "variant": variant,
                "n_single": len(totals),
                "n_parallel": len(prepared[variant]["multi"]),
                "median_ms": median,
                "p95_ms": p95,
                "tps_1": len(totals) / sum(totals),
                f"tps_{args.workers}": tps_n,
                "sql_per_transition": per,
                "sql_by_origin": {k: v / args.count for k, v in categories.most_common()},
                "rules_median_ms": 1000 * statistics.median(r[1] for r in runs[variant]),
                "notify_median_ms": 1000 * statistics.median(r[2] for r in runs[variant]),
                "without_rules_notify_median_ms": core_med,
                "documents_queued": docs[variant],
                "setup_s": setup_s[variant],
            }
        )
        print(f"  {variant:18} median {median:7.2f} ms, {tps_n:6.1f}/s on {args.workers} workers", flush=True)
    return results


def print_table(results: list[dict], workers: int) -> None:
    base = {r["variant"]: r for r in results}
    raw, chained = base["raw"]["median_ms"], base["raw+chain"]["median_ms"]
    head = (
        f"{'transition':18} {'median':>8} {'p95':>8} {'×raw':>6} {'×raw+ch':>7} {'t/s 1w':>7} "
        f"{'t/s ' + str(workers) + 'w':>7} {'SQL':>6} {'rules':>7} {'notify':>7} {'rest':>7} {'×raw':>6}"
    )
    print("\n" + head)
    print("-" * len(head))
    for r in results:
        print(
            f"{r['variant']:18} {r['median_ms']:8.2f} {r['p95_ms']:8.2f} {r['median_ms'] / raw:6.1f} "
            f"{r['median_ms'] / chained:7.1f} {r['tps_1']:7.1f} {r[f'tps_{workers}']:7.1f} "
            f"{r['sql_per_transition']:6.1f} {r['rules_median_ms']:7.2f} {r['notify_median_ms']:7.2f} "
            f"{r['without_rules_notify_median_ms']:7.2f} {r['without_rules_notify_median_ms'] / raw:6.1f}"
        )
    print(
        "\nms per transition (median, p95); ×raw = median ÷ raw's; t/s = transitions per second; SQL = statements"
        " per transition;\nrules = rule set + veto evaluation inside it; notify = task-arrival notifications after"
        " commit; rest = median of (total − rules − notify), ×raw of that."
    )
    print("\nSQL statements per transition by origin:")
    for r in results:
        parts = ", ".join(f"{k} {v:g}" for k, v in r["sql_by_origin"].items())
        print(f"  {r['variant']:18} {parts}   documents queued: {r['documents_queued']}")


def main() -> int:
    args = _parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print(
            "bench_transition measures row locks and concurrent writers: it runs on PostgreSQL only.\n"
            "Set DATABASE_URL=postgres://USER@HOST:PORT/NAME (a test_NAME database is created and dropped). Not run."
        )
        return 0  # as bench_ballots: `make bench` on SQLite skips it rather than failing
    sqlite_path = setup_django("transition", test_client=True)
    from django.conf import settings

    settings.CELERY_BROKER_URL = "memory://"  # documents and mails are queued; nothing consumes the queue
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    instrument()
    logging.getLogger("axes").setLevel(logging.WARNING)  # one line per force_login otherwise
    warnings.filterwarnings("ignore", message="No directory at")
    kinds = set(args.only or KINDS) | {"raw"}
    variants = [v for v, k in VARIANTS.items() if k in kinds]
    RESULTS.mkdir(parents=True, exist_ok=True)
    with throwaway_database(sqlite_path) as connection:
        server = connection.cursor().connection.server_version
        started = time.perf_counter()
        w = build_world(args.cases + 2 + args.count if "pool" in kinds else 0)
        print(f"district built in {time.perf_counter() - started:.1f} s (PostgreSQL {server})", flush=True)
        results = measure(w, variants, args, RESULTS)
        print_table(results, args.workers)
        from dossiers import background

        background.shutdown(wait=False)
    out = RESULTS / "transition.json"
    out.write_text(
        json.dumps(
            {
                "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "postgresql": server,
                "cases": args.cases,
                "workers": args.workers,
                "load_average": os.getloadavg(),
                "results": results,
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    print(f"\nJSON: {out.relative_to(ROOT)}; statement logs: bench/results/transition_sql_*.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
