"""The one inbox: every open task a user may act on, across all flows, found by the database.

`actionable_tasks(user)` asks each task node's `TaskPolicy` for the cases on which the user may act (a `Q` over
the task table, `policy.tasks_q`) and keeps the open human tasks of those nodes on those cases that nobody
else holds. Nodes sharing one policy share one subquery. Nothing is loaded into Python to be checked: the cost
of a page is one count and one page of rows, whatever the number of tasks (`tests/workflows/common/
test_inbox.py` holds the query count at 1,000 tasks to the count at 10). What the inbox lists is exactly
what the task page lets the user do (`CaseTask.can_execute` asks the same policy; `test_policy.py`).

Rows carry what the list shows, computed in the same query: the case's subject and school (per flow, through
the case tables), the due date (`task.data["due"]`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from django.db.models import Case, CharField, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils.module_loading import import_string
from viewflow.workflow.models import Task

from cadres.kept_sql import KeptPages, kept_filter, kept_query
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


def _policy_groups(facts: UserFacts, flow_classes) -> list[tuple[list, Q]]:
    """(nodes, the tasks their policy lets the user act on) for every policy that allows the user some task:
    equal policies (frozen dataclasses) of a flow share one group, and the nodes whose policy allows every case
    come first, together, with an empty `Q`."""
    groups, anywhere = [], []
    for flow_class in flow_classes:
        model = flow_class.process_class
        by_policy: dict = {}
        for node in case_tasks(flow_class):
            by_policy.setdefault(node.policy, []).append(node)
        for policy, nodes in by_policy.items():
            tasks = policy.tasks_q(facts, model)
            if tasks is None:
                continue
            if not tasks:
                anywhere += nodes
            else:
                groups.append((nodes, tasks))
    return ([(anywhere, Q())] if anywhere else []) + groups


def _policy_clauses(facts: UserFacts, flow_classes) -> tuple[Q | None, list]:
    """The OR of (a group's nodes, the tasks its policy allows) over `_policy_groups`, and every node named."""
    clauses, named = None, []
    for nodes, tasks in _policy_groups(facts, flow_classes):
        named += nodes
        clause = Q(flow_task__in=nodes) & tasks
        clauses = clause if clauses is None else clauses | clause
    return clauses, named


def facts_key(facts: UserFacts) -> tuple:
    """Everything a policy's `tasks_q` reads from the user: equal keys give the same SQL."""
    recused = facts.recused_person_ids if facts.person_id is not None else frozenset()
    return (facts.pk, facts.is_superuser, facts.roles, facts.org_id, facts.person_id, facts.bureau_user, recused)


def _yours_or_nobodys(facts: UserFacts) -> Q:
    return Q(owner_id=facts.pk) | Q(owner__isnull=True)


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
    return q & _yours_or_nobodys(facts) & clauses


def actionable_tasks(user, *, flow_classes=None):
    """Open human tasks `user` may act on now: held by them, or held by nobody; unordered, unannotated.

    Building the policies' `Q` and compiling it costs more than the query itself (~20 ms), so its SQL is kept
    per set of user facts (`facts_key`: roles, unit, person, kin — a change to any of them is another key)
    and flows (`cadres.kept_sql`); the rows are always read from the database.
    """
    facts = facts_of(user)
    if not facts.active:
        return Task.objects.none()
    flow_classes = tuple(flow_classes or flows())
    key = ("actionable", facts_key(facts), tuple(flow_key(f) for f in flow_classes))
    return kept_filter(Task, key, lambda: _actionable_q(facts, flow_classes))


@dataclass(frozen=True)
class CaseWords:
    """How a flow's case is named on a list: value paths on its case model. The subject is its parts joined
    with " · " (empty while a part is missing); `state` names the case's own state field, if it keeps one."""

    subject: tuple[str, ...]
    school: str
    state: str = ""


CASE_WORDS = {
    "principal_selection": CaseWords(("post__organization__name", "post__name"), "post__organization__name", "state"),
    "competition": CaseWords(("title",), "organization__name", "state"),
    "adjustment": CaseWords(("tenure__person__name", "tenure__post__name"), "organization__name"),
    "ethics_case": CaseWords(("teacher__name",), "organization__name"),
}


SUBJECT_PARTS = max(len(words.subject) for words in CASE_WORDS.values())


def _words_query(flow_class, pks, visible_to):
    """One flow's cases among `pks` as rows (pk, subject parts padded to `SUBJECT_PARTS`, school, state)."""
    words = CASE_WORDS[flow_key(flow_class)]
    if visible_to is None:
        cases = flow_class.process_class.objects.all()
    else:
        cases = flow_class.instance.visible_cases(visible_to).select_related(None)
    paths = [*words.subject, *([None] * (SUBJECT_PARTS - len(words.subject))), words.school, words.state or None]
    columns = {
        f"cf_words_{i}": F(path) if path else Value(None, output_field=CharField()) for i, path in enumerate(paths)
    }
    return cases.filter(pk__in=pks).order_by().annotate(**columns).values_list("pk", *columns)


def case_words(pks_by_flow: dict, *, visible_to=None) -> dict[int, dict]:
    """{case pk: {"subject", "school", "state"}} for the cases of each flow class, in one query (a UNION ALL of
    one small select per flow). With `visible_to` (a user), only the cases that user may open (`visible_cases`,
    what the case page asks) get words: the same query answers both.

    The words are read after the page's rows are chosen, from each flow's own tables: a single query joining
    every flow's tables (fourteen LEFT JOINs) took PostgreSQL longer to plan than to run, and a query per flow
    cost a round trip each (issue 13).
    """
    wanted = [(flow_class, list(pks)) for flow_class, pks in pks_by_flow.items() if pks]
    if not wanted:
        return {}

    def build(*pks):
        given = iter(pks)
        queries = [_words_query(flow_class, [next(given) for _ in cases], visible_to) for flow_class, cases in wanted]
        return queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]

    viewer = facts_key(facts_of(visible_to)) if visible_to is not None else None
    shape = tuple((flow_key(flow_class), len(cases)) for flow_class, cases in wanted)
    rows = kept_query(("case-words", viewer, shape), build, *(pk for _, cases in wanted for pk in cases))
    n_parts = {pk: len(CASE_WORDS[flow_key(f)].subject) for f, pks in pks_by_flow.items() for pk in pks}
    words_of: dict[int, dict] = {}
    for pk, *parts, school, state in rows:
        subject = parts[: n_parts[pk]]
        words_of[pk] = {
            "subject": " · ".join(subject) if all(subject) else "",
            "school": school or "",
            "state": state,
        }
    return words_of


def with_case_words(tasks) -> list:
    """The tasks as a list, each with `subject` and `school` of its case (`case_words`)."""
    tasks = list(tasks)
    by_flow: dict = {}
    for task in tasks:
        node = task.flow_task
        if node is not None:
            by_flow.setdefault(node.flow_class, []).append(task.process_id)
    words = case_words(by_flow)
    for task in tasks:
        found = words.get(task.process_id, {})
        task.subject, task.school = found.get("subject", ""), found.get("school", "")
    return tasks


def _school_q(school: str, flow_classes) -> Q:
    """Tasks whose case's school name contains `school`: a subquery per flow."""
    q = Q(pk__in=[])
    for flow_class in flow_classes:
        path = CASE_WORDS[flow_key(flow_class)].school
        cases = flow_class.process_class.objects.filter(**{f"{path}__icontains": school}).order_by().values("pk")
        q |= Q(process_id__in=cases)
    return q


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
    """`actionable_tasks`, filtered, annotated with the due date and sorted (a queryset of tasks: counted when a
    filter reads the case; the listing itself is `InboxRows`)."""
    flow_class = flow_by_key(flow) if flow else None
    tasks = actionable_tasks(user, flow_classes=(flow_class,) if flow_class else None)
    if flow_class is not None and step:
        node = next((n for n in case_tasks(flow_class) if n.name == step), None)
        tasks = tasks.filter(flow_task=node) if node is not None else tasks.none()
    tasks = tasks.annotate(due=Cast(KT("data__due"), CharField()))
    if school:
        tasks = tasks.filter(_school_q(school, (flow_class,) if flow_class else flows()))
    if due_before is not None:
        tasks = tasks.filter(due__lte=due_before.isoformat())
    return tasks.order_by(*SORTS.get(sort, SORTS["due"]))


WORD_COLUMNS = (*(f"cf_words_{i}" for i in range(SUBJECT_PARTS)), "cf_school")
ROW_FIELDS = ("pk", "flow_task", "process_id", "owner_id", "created", "due", *WORD_COLUMNS)


def _words_columns(flow_classes) -> dict:
    """The case's words as columns of a task row (`WORD_COLUMNS`): for each column, a CASE on the task's flow
    whose branch is a subquery on that flow's case table. PostgreSQL evaluates them for the rows it returns
    only (after the LIMIT), so a page of 50 rows pays 50 lookups, in the statement that reads the page."""
    columns = {}
    for index, name in enumerate(WORD_COLUMNS):
        whens = []
        for flow_class in flow_classes:
            words = CASE_WORDS[flow_key(flow_class)]
            path = words.subject[index] if index < len(words.subject) else None
            if name == "cf_school":
                path = words.school
            if path is None:
                continue
            value = flow_class.process_class.objects.filter(pk=OuterRef("process_id")).order_by().values(path)[:1]
            whens.append(When(flow_task__in=case_tasks(flow_class), then=Subquery(value, output_field=CharField())))
        nothing = Value(None, output_field=CharField())
        columns[name] = Case(*whens, default=nothing, output_field=CharField()) if whens else nothing
    return columns


def _listed(row: dict) -> dict:
    """A row of `ROW_FIELDS` as the lists show it: its case's subject (empty while a part is missing) and school."""
    node = row["flow_task"]
    n_parts = len(CASE_WORDS[flow_key(node.flow_class)].subject) if node is not None else 0
    parts = [row[f"cf_words_{i}"] for i in range(n_parts)]
    row["subject"] = " · ".join(parts) if parts and all(parts) else ""
    row["school"] = row["cf_school"] or ""
    return row


class InboxRows(KeptPages):
    """The user's inbox with its filters, as Django's `Paginator` reads a list (`KeptPages`): each page is one
    statement — the tasks with their case's words — compiled once per user facts, filters and page and
    prepared by PostgreSQL; the officer's first page had cost a count, the rows and a words query, each
    planned every time (issue 13). The total comes from the per-step counts (`count_by_node`) unless a filter
    reads the case or the due date."""

    def __init__(self, user, *, flow="", step="", school="", due_before=None, sort="due"):
        self.user = user
        self.filters = {"flow": flow, "step": step, "school": school, "due_before": due_before, "sort": sort}
        flow_class = flow_by_key(flow) if flow else None

        def build():
            rows = inbox_rows(user, **self.filters)
            return rows.annotate(**_words_columns((flow_class,) if flow_class else flows())).values(*ROW_FIELDS)

        facts = facts_of(user)
        super().__init__(("inbox", facts_key(facts), tuple(sorted(self.filters.items()))), build)
        self.active = facts.active

    def count(self) -> int:
        if self._count is None:
            f = self.filters
            if not self.active:
                self._count = 0
            elif f["school"] or f["due_before"] is not None:
                self._count = super().count()
            else:
                flow_class = flow_by_key(f["flow"]) if f["flow"] else None
                counts = count_by_node(self.user, (flow_class,) if flow_class else None)
                step = f["step"] if flow_class is not None else ""  # a step means nothing without its flow
                self._count = sum(n for node, n in counts.items() if not step or node.name == step)
        return self._count

    def __getitem__(self, index: slice) -> list[dict]:
        return [_listed(row) for row in super().__getitem__(index)] if self.active else []


BADGE_CAP = 100


def badge_label(count: int) -> str:
    """A menu badge's text: the number, or "99+" from 100 on."""
    return "99+" if count >= BADGE_CAP else str(count)


def badge_count(tasks) -> int:
    """`tasks` counted up to `BADGE_CAP` in the database: a badge's cost stays the same at 100 tasks and at
    100,000 (the whole count of the ethics flow's 3,700 open tasks took 7 ms of the case page; issue 13)."""
    return tasks.order_by()[:BADGE_CAP].count()


def _counts_by_node(facts: UserFacts, flow_classes):
    """The user's open actionable tasks counted per node: a UNION ALL of one grouped count per policy group.

    Each part reads only its own nodes' entries of the open-task index and tests only its own policy, where
    one count over the OR of every policy tested each entry against all of them (the officer at 100,000
    tasks, both prepared: about 2.3 ms against 4.2 ms; `cadres.prepared_sql`)."""
    parts = [
        Task.objects.filter(Q(status__in=OPEN), Q(flow_task__in=nodes), _yours_or_nobodys(facts), tasks)
        .order_by()
        .values("flow_task")
        .annotate(n=Count("*"))
        for nodes, tasks in _policy_groups(facts, flow_classes)
    ]
    if not parts:
        return Task.objects.none().values("flow_task").annotate(n=Count("*"))
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def count_by_node(user, flow_classes=None) -> dict:
    """Open actionable tasks per task node of `flow_classes` (every flow's by default), the same tasks as
    `actionable_tasks` (tested).

    `COUNT(*)`, not `COUNT(id)`: every column the policies read is in the open-task index
    (`workflows_task_open_node_owner_case`), so PostgreSQL counts from the index alone; naming `id` sent it to
    the table for every task (21.9 → 12.6 ms for the officer at 100,000 tasks, EXPLAIN ANALYZE). The statement
    is compiled once per set of user facts (`kept_query`) and prepared once per connection."""
    facts = facts_of(user)
    if not facts.active:
        return {}
    flow_classes = tuple(flow_classes or flows())
    key = ("actionable-counts", facts_key(facts), tuple(flow_key(f) for f in flow_classes))
    return {
        row["flow_task"]: row["n"]
        for row in kept_query(key, lambda: _counts_by_node(facts, flow_classes))
        if row["flow_task"] is not None
    }


def count_by_flow(user) -> dict[str, int]:
    """Open actionable tasks per flow key (`count_by_node`, added up)."""
    counts: dict[str, int] = {}
    for node, n in count_by_node(user).items():
        name = flow_key(node.flow_class)
        counts[name] = counts.get(name, 0) + n
    return counts


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
    """Tasks the user completed, newest first (the archive); the page's rows get their words from
    `with_case_words`."""
    return Task.objects.filter(owner_id=user.pk, finished__isnull=False, flow_task_type="HUMAN").order_by(
        "-finished", "-pk"
    )
