"""One case page for every flow: the case in plain words, the steps done, the step(s) open now, the case's
documents with their state, notes, objections and the links to 全程纪实 and the process chart.

A flow takes part by registering a `CaseSpec` (see `register`); its application points viewflow's process
detail, process list and chart views at the classes here, and `use_task_detail(flow_class)` replaces the
stock task detail page of each node. What is flow-specific — the header lines, the sentence a step's audit
event becomes, the extra blocks (notes, objections) — comes from the spec; the rest is shared.

Decisions:
- A step's result is read from the case's audit trail: the events of the step's actions (`step_actions`)
  recorded by the task's owner between the task's creation and its completion. One query loads the case's
  events, one the tasks, one the people's names: the page does not grow in queries with its steps.
- People are shown by registry name with their unit (`names_of`), else by their full name, else "工作人员";
  a username is never shown.
- Who may act on an open step: the names from `workflows.common.policy.actors_of(task)` (at most ten), with
  the step's policy label in words; the label alone when nobody may act now.
- The documents block lists `dossiers.selectors.documents_visible_to(user)` for the case's `process_ref`;
  while one is 生成中 the page polls the block's fragment URL every few seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import TemplateView
from viewflow.urls import ViewsetMeta
from viewflow.workflow import chart
from viewflow.workflow.flow import views as flow_views
from viewflow.workflow.status import STATUS

from audit.models import AuditEvent
from cadres.kept_sql import KeptPages, kept_query
from dossiers.selectors import documents_visible_to
from workflows.common.inbox import case_url, facts_key
from workflows.common.policy import actors_of, facts_of

STAFF = _lazy("工作人员")
OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED, STATUS.ERROR]
STEP_TYPES = ("HUMAN", "HUMAN_START", "FUNCTION", "JOB", "TIMER")
WAIT_ACTORS = _lazy("系统计时，期满自动进入下一环节")
TASK_STATUS_LABELS = {
    STATUS.NEW: _lazy("待办理"),
    STATUS.ASSIGNED: _lazy("已分派"),
    STATUS.STARTED: _lazy("办理中"),
    STATUS.DONE: _lazy("已完成"),
    STATUS.CANCELED: _lazy("已取消"),
    STATUS.SCHEDULED: _lazy("计时中"),
    STATUS.ERROR: _lazy("出错"),
    STATUS.REVIVED: _lazy("已重新启动"),
}


# ---------------------------------------------------------------- the spec a flow registers


@dataclass
class CaseSpec:
    """What a flow tells the shared case page.

    visible(user) -> QuerySet: the cases the user may open (scope); anything else is a 404.
    header(case) -> list of (label, text): the case in plain words (subject, school, post, kind, ...).
    subject(case) -> str: the case's one-line name for headings and lists.
    state(case) -> str: where the case stands, in words.
    step_actions: node name -> audit actions whose events are that step's result.
    sentence(event) -> str | None: one audit event as a Chinese sentence (None: nothing to say).
    process_ref(case) -> str: how the case's documents point at it.
    extras(case, user) -> dict: context for `extra_template` (notes, attachments, objections).
    record_url(case, user) -> str | None: the 全程纪实 page, when the flow has one and the user may open it.
    list_related: select_related for the case list: only what `subject` and `state` read (the list joins
        nothing else).
    waits: timer node name -> case -> the date the wait ends (a 公示期's last day): a timer is shown as a step,
        计时中 while it runs, done when it fired; without an entry, the day it fires.
    """

    visible: Callable[..., QuerySet]
    header: Callable
    subject: Callable
    state: Callable
    step_actions: dict[str, tuple[str, ...]]
    sentence: Callable
    process_ref: Callable
    extras: Callable | None = None
    extra_template: str = ""
    record_url: Callable | None = None
    list_related: tuple[str, ...] = ()
    list_columns: tuple = field(default_factory=tuple)
    waits: dict[str, Callable] = field(default_factory=dict)


_SPECS: dict[type, CaseSpec] = {}


def register(flow_class, spec: CaseSpec) -> CaseSpec:
    _SPECS[flow_class] = spec
    return spec


def spec_for(flow_class) -> CaseSpec:
    return _SPECS[flow_class]


# ---------------------------------------------------------------- words


def minute_text(value) -> str:
    """A datetime in the local time zone as "2026-03-10 09:05", as the template filter `date:"Y-m-d H:i"` gives
    it (a list of 50 rows spent more time in that filter than in any other cell); empty for None."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d %H:%M")


def date_text(value) -> str:
    """A date (or ISO string / datetime) as 2026年3月10日; anything else empty."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return _("%(y)d年%(m)d月%(d)d日") % {"y": value.year, "m": value.month, "d": value.day}


def names_of(user_ids) -> dict[int, str]:
    """Users' display names in one query: registry person name with unit, else full name, else 工作人员."""
    ids = sorted({i for i in user_ids if i})
    if not ids:
        return {}
    rows = kept_query(("names_of",), _name_rows, *ids)  # a case page asks several times: compiled once per count
    out = {}
    for pk, first, last, person, short, org in rows:
        unit = short or org or ""
        if person:
            out[pk] = _("%(name)s（%(unit)s）") % {"name": person, "unit": unit} if unit else person
        elif (last or first).strip():
            full = f"{last}{first}".strip()
            out[pk] = _("%(name)s（%(unit)s）") % {"name": full, "unit": unit} if unit else full
        else:
            out[pk] = str(STAFF)
    return out


def _name_rows(*ids):
    return (
        get_user_model()
        .objects.filter(pk__in=ids)
        .values_list(
            "pk",
            "first_name",
            "last_name",
            "profile__person__name",
            "profile__organization__short_name",
            "profile__organization__name",
        )
    )


def name_of(user) -> str:
    if user is None:
        return str(STAFF)
    return names_of([user.pk]).get(user.pk, str(STAFF))


def roles_text(node) -> str:
    """Who may act on a step, in words: the step's policy label (`workflows.common.policy.TaskPolicy`)."""
    policy = getattr(node, "policy", None)
    return str(policy.label) if policy is not None else str(STAFF)


MAX_NAMES = 10


def actor_ids(task) -> list[int]:
    """Who may act on an open task: its holder, else up to eleven of the users its policy allows."""
    if task.owner_id:
        return [task.owner_id]
    return list(actors_of(task).values_list("pk", flat=True)[: MAX_NAMES + 1])


def actors_text(task, ids: list[int] | None = None, names: dict[int, str] | None = None) -> str:
    """The names of who may act on an open task (its holder when held), at most ten, else the step's roles;
    `ids` and `names` when the caller already has them (`actor_ids`, `names_of`)."""
    ids = actor_ids(task) if ids is None else ids
    if not ids:
        return roles_text(task.flow_task)
    names = names_of(ids) if names is None else names
    if task.owner_id:
        return names.get(task.owner_id, str(STAFF))
    shown = "、".join(names[u] for u in ids[:MAX_NAMES] if u in names)
    return shown + (_("等") if len(ids) > MAX_NAMES else "")


# ---------------------------------------------------------------- the parts of the page


def join_sentences(sentences) -> str:
    """Sentences joined with "；", each once, ending with "。"."""
    parts = [s.rstrip("。；") for s in dict.fromkeys(sentences) if s]
    return "；".join(parts) + "。" if parts else ""


def _events(spec: CaseSpec, case) -> list:
    return list(
        AuditEvent.objects.filter(object_type=case._meta.label_lower, object_id=str(case.pk))
        .only("id", "at", "actor_id", "action", "reason", "payload", "to_state", "from_state")
        .order_by("id")
    )


def _matches(spec: CaseSpec, task, events) -> list:
    actions = spec.step_actions.get(task.flow_task.name, ())
    if not actions:
        return []
    start, end = task.created, task.finished or timezone.now()
    return [
        e
        for e in events
        if e.action in actions and start <= e.at <= end and (task.owner_id is None or e.actor_id == task.owner_id)
    ]


def wait_end(spec: CaseSpec, task, case) -> dt.date | None:
    """The day a timer task's wait ends: the spec's date for the node, else the day the timer fires."""
    of = spec.waits.get(task.flow_task.name)
    end = of(case) if of else task.scheduled
    return end.date() if isinstance(end, dt.datetime) else end


def wait_text(spec: CaseSpec, task, case) -> str:
    """A timer step in words: "公示期至2026年6月22日届满。"."""
    end = wait_end(spec, task, case)
    if end is None:
        return ""
    return _("%(title)s至%(end)s届满。") % {"title": task.flow_task.task_title, "end": date_text(end)}


def _is_open(task) -> bool:
    if task.flow_task_type == "TIMER":
        return task.status == STATUS.SCHEDULED
    return task.flow_task_type == "HUMAN" and task.status in (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.ERROR)


def _step_tasks(case, pk):
    return case.task_set.model.objects.filter(process_id=pk, flow_task_type__in=STEP_TYPES).order_by("created", "id")


def step_rows(spec: CaseSpec, case) -> tuple[list[dict], list, dict[int, list[int]], dict[int, str]]:
    """The steps done, oldest first: title, who, when, what came of it (sentences); the open tasks (a running
    timer among them); who may act on each open human task (`actor_ids`, by task); and the names of everyone
    named, read in one query."""
    tasks = list(kept_query(("case-steps", type(case)), lambda pk: _step_tasks(case, pk), case.pk))
    for task in tasks:
        task.process = case  # as `case.task_set` would have it: no query per task for its case
    events = _events(spec, case)
    open_tasks = [t for t in tasks if _is_open(t)]
    actors = {t.pk: actor_ids(t) for t in open_tasks if t.flow_task_type == "HUMAN"}
    names = names_of([t.owner_id for t in tasks] + [u for ids in actors.values() for u in ids])
    done = []
    for task in tasks:
        if task.status != STATUS.DONE:
            continue
        sentences = [s for s in (spec.sentence(e) for e in _matches(spec, task, events)) if s]
        if task.flow_task_type == "TIMER":
            sentences = [wait_text(spec, task, case)]
        if task.flow_task_type in ("FUNCTION", "JOB", "TIMER"):
            who = _("系统自动办理")
        else:
            who = names.get(task.owner_id, str(STAFF))
        done.append(
            {
                "task": task,
                "title": str(task.flow_task.task_title),
                "who": who,
                "when": task.finished,
                "result": join_sentences(sentences) or _("已办理。"),
            }
        )
    return done, open_tasks, actors, names


def current_rows(open_tasks, user, spec: CaseSpec, case, actors: dict, names: dict) -> list[dict]:
    rows = []
    for task in open_tasks:
        node = task.flow_task
        if task.flow_task_type == "TIMER":
            rows.append(_wait_row(spec, task, case))
            continue
        due = (task.data or {}).get("due") if isinstance(task.data, dict) else None
        due_date = dt.date.fromisoformat(due) if due else None
        may = bool(node.can_execute(user, task)) if hasattr(node, "can_execute") else False
        rows.append(
            {
                "task": task,
                "title": str(node.task_title),
                "actors": actors_text(task, actors.get(task.pk), names),
                "actors_role": roles_text(node),
                "due": date_text(due_date),
                "overdue": bool(due_date and due_date < timezone.localdate()),
                "status": TASK_STATUS_LABELS.get(task.status, ""),
                "url": node.reverse("execute", args=[task.process_id, task.pk]) if may else "",
                "detail_url": node.reverse("detail", args=[task.process_id, task.pk]),
            }
        )
    return rows


def _wait_row(spec: CaseSpec, task, case) -> dict:
    """A running timer as a current step: nobody acts, it ends on its day (`wait_end`)."""
    node = task.flow_task
    return {
        "task": task,
        "title": str(node.task_title),
        "actors": str(WAIT_ACTORS),
        "actors_role": str(WAIT_ACTORS),
        "due": date_text(wait_end(spec, task, case)),
        "overdue": False,
        "status": TASK_STATUS_LABELS[STATUS.SCHEDULED],
        "url": "",
        "detail_url": node.reverse("detail", args=[task.process_id, task.pk]),
    }


def documents_of(spec: CaseSpec, case, user) -> list:
    return list(
        documents_visible_to(user)
        .filter(process_ref=spec.process_ref(case))
        .only("id", "title", "status", "version", "created_at", "rendered_at", "verification_code", "kind")
        .order_by("-created_at", "-id")
    )


def case_context(spec: CaseSpec, flow_class, case, user) -> dict:
    done, open_tasks, actors, names = step_rows(spec, case)
    documents = documents_of(spec, case, user)
    instance = flow_class.instance
    context = {
        "case": case,
        "process": case,
        "subject": spec.subject(case),
        "state_text": spec.state(case),
        "header": [(label, text) for label, text in spec.header(case) if text not in (None, "")],
        "done_steps": done,
        "current_steps": current_rows(open_tasks, user, spec, case, actors, names),
        "documents": documents,
        "documents_pending": any(d.status == "pending" for d in documents),
        "documents_url": instance.reverse("case_documents", args=[case.pk]),
        "chart_url": instance.reverse("process_chart", args=[case.pk]),
        "list_url": instance.reverse("process_list"),
        "flow_title": str(flow_class.process_title),
        "record_url": spec.record_url(case, user) if spec.record_url else None,
        "extra_template": spec.extra_template,
    }
    if spec.extras:
        context.update(spec.extras(case, user))
    return context


# ---------------------------------------------------------------- the views


class CaseViewMixin:
    flow_class = None
    viewset = None

    @property
    def spec(self) -> CaseSpec:
        return spec_for(self.flow_class)

    def case_or_404(self, pk):
        if not self.flow_class.instance.has_view_permission(self.request.user):
            raise PermissionDenied
        user, spec = self.request.user, self.spec
        if not 0 < pk < 2**63:  # no case has such a key
            raise Http404
        # Compiled once per kind of user (`facts_key`: all that `visible` reads) and flow (`kept_query`).
        rows = kept_query(
            ("case", self.flow_class, facts_key(facts_of(user))), lambda k: spec.visible(user).filter(pk=k), pk
        )
        case = next(iter(rows), None)
        if case is None:
            raise Http404
        return case


class CaseDetailView(CaseViewMixin, TemplateView):
    """The case page (viewflow's `process_detail`)."""

    template_name = "workflows/case_page.html"

    def get_context_data(self, **kwargs):
        case = self.case_or_404(kwargs["process_pk"])
        return super().get_context_data(**case_context(self.spec, self.flow_class, case, self.request.user), **kwargs)


class CaseDocumentsView(CaseViewMixin, TemplateView):
    """The documents block alone, for the page's poll while a document is 生成中."""

    template_name = "workflows/_case_documents.html"

    def get_context_data(self, **kwargs):
        case = self.case_or_404(kwargs["process_pk"])
        documents = documents_of(self.spec, case, self.request.user)
        return super().get_context_data(
            case=case,
            documents=documents,
            documents_pending=any(d.status == "pending" for d in documents),
            documents_url=self.flow_class.instance.reverse("case_documents", args=[case.pk]),
            **kwargs,
        )


class CaseListView(CaseViewMixin, TemplateView):
    """The flow's cases the user may see, newest first, 50 a page, counted and paged in the database; each
    row names its open step, or the timer it waits on (a subquery, not a query per row)."""

    template_name = "workflows/case_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        if not self.flow_class.instance.has_view_permission(self.request.user):
            raise PermissionDenied
        spec, user, flow_class = self.spec, self.request.user, self.flow_class

        def cases():
            open_step = (
                flow_class.task_class._default_manager.filter(
                    process_id=OuterRef("pk"), flow_task_type__in=("HUMAN", "TIMER"), status__in=OPEN
                )
                .order_by("created")
                .values("flow_task")[:1]
            )
            return (
                # Only the joins the rows use: the case page's select_related (`visible`) made PostgreSQL plan
                # seven tables, 9 ms for a 2 ms query (the 能上能下 list at 100,000 tasks; issue 13).
                spec.visible(user)
                .select_related(None)
                .select_related(*spec.list_related)
                .annotate(open_step=Subquery(open_step))
                # Newest first by the case table's own key (allocated in creation order): PostgreSQL walks its
                # index for the page's 50 rows; ordering by the process's `created` joined and sorted every case.
                .order_by("-pk")
            )

        # The count and each page are compiled once per kind of user (`facts_key`: all that `visible` reads)
        # and prepared by PostgreSQL (`cadres.kept_sql.KeptPages`).
        listing = KeptPages(("case-list", flow_class, facts_key(facts_of(user))), cases)
        page = Paginator(listing, self.paginate_by).get_page(self.request.GET.get("page"))
        rows = []
        for case in page.object_list:
            node = _node_of(self.flow_class, case.open_step)
            rows.append(
                {
                    "url": case_url(self.flow_class, case.pk),
                    "subject": spec.subject(case),
                    "state": spec.state(case),
                    "step": str(node.task_title) if node is not None else "",
                    "created": date_text(case.created),
                }
            )
        return super().get_context_data(rows=rows, page=page, flow_title=str(self.flow_class.process_title), **kwargs)


def _node_of(flow_class, ref):
    if not ref:
        return None
    if hasattr(ref, "task_title"):  # the field already gave the node
        return ref
    name = str(ref).rsplit(".", 1)[-1]
    return getattr(flow_class, name, None)


class CaseChartView(CaseViewMixin, View):
    """viewflow's chart; a case's chart marks its open steps in one colour (viewflow's blue of a new task:
    assigned and started tasks, and a running timer such as the 公示期, are drawn as current too), the steps
    done in green."""

    def get(self, request, *args, **kwargs):
        if not self.flow_class.instance.has_view_permission(request.user):
            raise PermissionDenied
        grid = chart.calc_layout_data(self.flow_class)
        if "process_pk" in kwargs:
            self.case_or_404(kwargs["process_pk"])
            chart.calc_cell_status(self.flow_class, grid, kwargs["process_pk"])
            for node in grid.nodes:
                if grid[node].status in (STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED):
                    grid[node].status = STATUS.NEW
        return HttpResponse(chart.grid_to_svg(grid), content_type="image/svg+xml")


class TaskDetailView(flow_views.DetailTaskView):
    """A task's page: the step, its state, who did or may do it, and the way back to the case."""

    template_name = "workflows/task_detail.html"

    def get_template_names(self):
        return [self.template_name]

    def get_context_data(self, **kwargs):
        activation = self.request.activation
        task, case = activation.task, activation.process
        node = activation.flow_task
        flow_class = node.flow_class
        user = self.request.user
        if not flow_class.instance.has_view_permission(user, case):
            raise PermissionDenied
        spec = spec_for(flow_class)
        if not spec.visible(user).filter(pk=case.pk).exists():
            raise Http404
        events = _events(spec, case)
        sentences = [s for s in (spec.sentence(e) for e in _matches(spec, task, events)) if s]
        due = (task.data or {}).get("due") if isinstance(task.data, dict) else None
        if task.flow_task_type == "TIMER":
            sentences = [wait_text(spec, task, case)]
        is_open = task.status in (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
        may = is_open and hasattr(node, "can_execute") and node.can_execute(user, task)
        return super().get_context_data(
            task=task,
            case=case,
            subject=spec.subject(case),
            title=str(node.task_title),
            status=TASK_STATUS_LABELS.get(task.status, ""),
            who=(name_of(task.owner) if task.owner_id else (actors_text(task) if is_open else "")),
            is_open=is_open,
            created=task.created,
            finished=task.finished,
            due=date_text(due),
            result=join_sentences(sentences),
            execute_url=node.reverse("execute", args=[case.pk, task.pk]) if may else "",
            case_url=flow_class.instance.reverse("process_detail", args=[case.pk]),
            flow_title=str(flow_class.process_title),
            **kwargs,
        )


def use_task_detail(flow_class) -> None:
    """Point every node's task detail page (`.../<task>/detail/`) at `TaskDetailView`."""
    from viewflow.workflow.base import Node

    for node in vars(flow_class).values():
        if isinstance(node, Node) and hasattr(node, "detail_view_class"):
            node.detail_view_class = TaskDetailView


class CasePagesMixin(metaclass=ViewsetMeta):
    """Before `workflows.common.app.CaseFlowApp` in a flow application's bases: the case page, its documents
    fragment, the case list and the chart, and the flow's own pages in the menu (`menu_links`: (url name,
    label, icon, predicate(user)), shown only to the users the predicate lets through)."""

    process_detail_view_class = CaseDetailView
    process_list_view_class = CaseListView
    chart_view_class = CaseChartView
    menu_links: tuple = ()

    @property
    def case_documents_path(self):
        view = CaseDocumentsView.as_view(**self.filter_kwargs(CaseDocumentsView))
        return path("<int:process_pk>/documents/", view, name="case_documents")

    def get_context_data(self, request):
        context = super().get_context_data(request)
        context["case_menu_links"] = [
            {"url": self.reverse(name), "label": label, "icon": icon}
            for name, label, icon, allowed in self.menu_links
            if allowed(request.user)
        ]
        return context
