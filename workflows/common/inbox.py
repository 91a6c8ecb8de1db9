"""The one inbox: every open task a user may act on, across all flows, found by the database.

`actionable_tasks(user)` asks each task node's `TaskPolicy` for the cases on which the user may act (a `Q` over
the case model, `policy.cases_q`) and keeps the open human tasks of those nodes on those cases that nobody
else holds. Nodes sharing one policy share one subquery. Nothing is loaded into Python to be checked: the cost
of a page is one count and one page of rows, whatever the number of tasks (`tests/workflows/common/
test_inbox.py` holds the query count at 1,000 tasks to the count at 10). What the inbox lists is exactly
what the task page lets the user do (`CaseTask.can_execute` asks the same policy; `test_policy.py`).

Rows carry what the list shows, computed in the same query: the case's subject and school (per flow, through
the case tables), the due date (`task.data["due"]`).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.module_loading import import_string
from viewflow.workflow.models import Task

from cadres.kept_sql import kept_filter
from cadres.reverse_once import ids_url

from .nodes import CaseTask
from .policy import OPEN, UserFacts, facts_of

FLOW_PATHS = (
    "workflows.principal_selection.flows.PrincipalSelectionFlow",
    "workflows.competition.flows.CompetitionFlow",
    "workflows.competition.flows.AdjustmentFlow",
    "workflows.ethics_case.flows.EthicsCaseFlow",
)


@cache
def flows() -> tuple:
    """The flow classes whose tasks the inbox gathers (imported on first use: the flows import this package)."""
    return tuple(import_string(path) for path in FLOW_PATHS)


def flow_key(flow_class) -> str:
    """A short, stable name of a flow for URLs and filters ("principal_selection", "adjustment", ...)."""
    return {
        "PrincipalSelectionFlow": "principal_selection",
        "CompetitionFlow": "competition",
        "AdjustmentFlow": "adjustment",
        "EthicsCaseFlow": "ethics_case",
    }[flow_class.__name__]


def flow_by_key(key: str):
    return next((flow_class for flow_class in flows() if flow_key(flow_class) == key), None)


def case_tasks(flow_class) -> list[CaseTask]:
    return [node for node in flow_class.instance.nodes() if isinstance(node, CaseTask)]


def _policy_clauses(facts: UserFacts, flow_classes) -> tuple[Q | None, list]:
    """The OR of (nodes sharing a policy, cases that policy allows) and every node named in it."""
    clauses, named = None, []
    for flow_class in flow_classes:
        model = flow_class.process_class
        by_policy: dict[int, tuple] = {}
        for node in case_tasks(flow_class):
            policy, nodes = by_policy.setdefault(id(node.policy), (node.policy, []))
            nodes.append(node)
        for policy, nodes in by_policy.values():
            cases = policy.cases_q(facts, model)
            if cases is None:
                continue
            clause = Q(flow_task__in=nodes, process_id__in=model.objects.filter(cases).values("pk"))
            clauses = clause if clauses is None else clauses | clause
            named += nodes
    return clauses, named


def _facts_key(facts: UserFacts) -> tuple:
    """Everything a policy's `cases_q` reads from the user: equal keys give the same SQL."""
    recused = facts.recused_person_ids if facts.person_id is not None else frozenset()
    return (facts.pk, facts.is_superuser, facts.roles, facts.org_id, facts.person_id, facts.bureau_user, recused)


def _actionable_q(facts: UserFacts, flow_classes) -> Q | None:
    """The user's actionable tasks as a `Q` over the task table (None: no task at all)."""
    clauses, named = _policy_clauses(facts, flow_classes)
    if clauses is None:
        return None
    q = Q(status__in=OPEN)
    if clauses.connector == Q.OR:
        # An OR of several (nodes, cases) clauses: `flow_task__in` repeats what they imply, so that the database
        # reads only these nodes' open tasks from the partial index `workflows_task_open_node_owner_case`
        # instead of every open task. A single clause already says it (repeated, PostgreSQL would count the
        # condition twice, misjudge the rows by a hundredfold and sort them all instead of walking the index).
        q &= Q(flow_task__in=named)
    return q & (Q(owner_id=facts.pk) | Q(owner__isnull=True)) & clauses


def actionable_tasks(user, *, flow_classes=None):
    """Open human tasks `user` may act on now: held by them, or held by nobody; unordered, unannotated.

    Building the policies' `Q` and compiling it costs more than the query itself (~20 ms), so its SQL is kept
    per set of user facts (`_facts_key`: roles, unit, person, kin — a change to any of them is another key)
    and flows (`cadres.kept_sql`); the rows are always read from the database.
    """
    facts = facts_of(user)
    if not facts.active:
        return Task.objects.none()
    flow_classes = tuple(flow_classes or flows())
    key = ("actionable", _facts_key(facts), tuple(flow_key(f) for f in flow_classes))
    return kept_filter(Task, key, lambda: _actionable_q(facts, flow_classes))


# What the lists show, per flow, through the case tables (LEFT JOINs on the process's primary key). `at` is
# the path from the queried model to the process: "process__" from a task, "" from a process.
def case_subject(at: str = "process__") -> Case:
    """The case in a few words: the school and post, the competition's title, the cadre and post, the teacher."""
    return Case(
        When(
            **{f"{at}selectioncase__post__isnull": False},
            then=Concat(
                F(f"{at}selectioncase__post__organization__name"), Value(" · "), F(f"{at}selectioncase__post__name")
            ),
        ),
        When(**{f"{at}competition__isnull": False}, then=F(f"{at}competition__title")),
        When(
            **{f"{at}adjustment__tenure__isnull": False},
            then=Concat(
                F(f"{at}adjustment__tenure__person__name"), Value(" · "), F(f"{at}adjustment__tenure__post__name")
            ),
        ),
        When(**{f"{at}ethicscase__isnull": False}, then=F(f"{at}ethicscase__teacher__name")),
        default=Value(""),
        output_field=CharField(),
    )


def case_school(at: str = "process__") -> Coalesce:
    return Coalesce(
        F(f"{at}selectioncase__post__organization__name"),
        F(f"{at}competition__organization__name"),
        F(f"{at}adjustment__organization__name"),
        F(f"{at}ethicscase__organization__name"),
        output_field=CharField(),
    )


def case_state(at: str = "process__") -> Coalesce:
    """The case's own state, for the flows that keep one (principal selection, competition)."""
    return Coalesce(F(f"{at}selectioncase__state"), F(f"{at}competition__state"), output_field=CharField())


_SUBJECT = case_subject()
_SCHOOL = case_school()
_SCHOOL_ID = Coalesce(
    F("process__selectioncase__post__organization_id"),
    F("process__competition__organization_id"),
    F("process__adjustment__organization_id"),
    F("process__ethicscase__organization_id"),
)

SORTS = {
    "due": (F("due").asc(nulls_last=True), "created", "pk"),
    "created": ("created", "pk"),
    "-created": ("-created", "-pk"),
}


def inbox_rows(
    user,
    *,
    flow: str = "",
    step: str = "",
    school: str = "",
    due_before: dt.date | None = None,
    sort: str = "due",
):
    """`actionable_tasks`, filtered, annotated for the list (subject, school, due) and sorted."""
    flow_class = flow_by_key(flow) if flow else None
    tasks = actionable_tasks(user, flow_classes=(flow_class,) if flow_class else None)
    if flow_class is not None and step:
        node = next((n for n in case_tasks(flow_class) if n.name == step), None)
        tasks = tasks.filter(flow_task=node) if node is not None else tasks.none()
    tasks = tasks.annotate(
        due=Cast(KT("data__due"), CharField()), subject=_SUBJECT, school=_SCHOOL, school_id=_SCHOOL_ID
    )
    if school:
        tasks = tasks.filter(school__icontains=school)
    if due_before is not None:
        tasks = tasks.filter(due__lte=due_before.isoformat())
    return tasks.order_by(*SORTS.get(sort, SORTS["due"]))


def count_by_flow(user) -> dict[str, int]:
    """Open actionable tasks per flow key, in one query."""
    rows = actionable_tasks(user).order_by().values("process__flow_class").annotate(n=Count("pk"))
    return {flow_key(_flow_class(row["process__flow_class"])): row["n"] for row in rows}


def _flow_class(value):
    return import_string(value) if isinstance(value, str) else value


def task_url(node, name: str, process_pk: int, task_pk: int) -> str:
    """A task's URL (`index`, `execute`, `detail`), as `node.reverse(name, args=[process_pk, task_pk])` gives it;
    a list of 50 rows resolves the URL pattern once per step instead of once per row (`cadres.reverse_once`)."""
    return ids_url((node, name), lambda p, t: node.reverse(name, args=[p, t]), process_pk, task_pk)


def case_url(flow_class, process_pk: int) -> str:
    """A case page's URL, as `flow_class.instance.reverse("process_detail", args=[process_pk])` gives it."""
    flow = flow_class.instance
    return ids_url((flow_class, "process_detail"), lambda p: flow.reverse("process_detail", args=[p]), process_pk)


def done_tasks(user):
    """Tasks the user completed, newest first (the archive)."""
    return (
        Task.objects.filter(owner_id=user.pk, finished__isnull=False, flow_task_type="HUMAN")
        .annotate(subject=_SUBJECT, school=_SCHOOL)
        .order_by("-finished", "-pk")
    )
