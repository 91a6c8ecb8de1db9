"""The inbox pages: 待办 (every task the user may act on, all flows) and 已办 (tasks they completed).

Thin views over `workflows.common.inbox`: a GET filter form (flow, step, school, due date, order), a true
total from the database and 50 rows a page, each row annotated in the same query.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from .common import inbox
from .common.casepage import minute_text
from .inbox import pending_review_count

PAGE_SIZE = 50


def _flow_choices():
    return [("", _("全部业务"))] + [(inbox.flow_key(f), f.process_title) for f in inbox.flows()]


class InboxFilter(forms.Form):
    flow = forms.ChoiceField(label=_("业务"), required=False)
    step = forms.ChoiceField(label=_("环节"), required=False)
    school = forms.CharField(label=_("学校"), required=False, max_length=60)
    due_before = forms.DateField(
        label=_("截止日期不晚于"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[
            ("due", _("按截止日期")),
            ("created", _("按到达时间（最早在前）")),
            ("-created", _("按到达时间（最新在前）")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["flow"].choices = _flow_choices()
        flow_class = inbox.flow_by_key(self.data.get("flow", "")) if self.is_bound else None
        steps = [("", _("全部环节"))]
        if flow_class is not None:
            steps += [(node.name, node.task_title) for node in inbox.case_tasks(flow_class)]
        self.fields["step"].choices = steps


def _row(task: dict) -> dict:
    node = task["flow_task"]
    flow_class = node.flow_class
    return {
        "flow": str(flow_class.process_title),
        "step": str(node.task_title),
        "subject": task["subject"],
        "school": task["school"],
        "due": task["due"],
        "created": minute_text(task["created"]),
        "held": task["owner_id"] is not None,
        "url": inbox.task_url(node, "index", task["process_id"], task["pk"]),
        "case_url": inbox.case_url(flow_class, task["process_id"]),
    }


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class InboxView(LoginRequiredMixin, TemplateView):
    template_name = "workflows/inbox.html"

    def get_context_data(self, **kwargs):
        request = self.request
        form = InboxFilter(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        rows = inbox.InboxRows(
            request.user,
            flow=filters.get("flow") or "",
            step=filters.get("step") or "",
            school=filters.get("school") or "",
            due_before=filters.get("due_before"),
            sort=filters.get("sort") or "due",
        )
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        return super().get_context_data(
            form=form,
            page=page,
            rows=[_row(task) for task in page.object_list if task["flow_task"] is not None],
            total=page.paginator.count,
            query=_query_without_page(request),
            pool_reviews=pending_review_count(request.user),
            **kwargs,
        )


class DoneView(LoginRequiredMixin, TemplateView):
    template_name = "workflows/inbox_done.html"

    def get_context_data(self, **kwargs):
        page = Paginator(inbox.done_tasks(self.request.user), PAGE_SIZE).get_page(self.request.GET.get("page"))
        rows = []
        for task in inbox.with_case_words(page.object_list):
            node = task.flow_task
            if node is None:
                continue
            rows.append(
                {
                    "flow": str(node.flow_class.process_title),
                    "step": str(node.task_title),
                    "subject": task.subject or "",
                    "school": task.school or "",
                    "finished": minute_text(task.finished),
                    "case_url": inbox.case_url(node.flow_class, task.process_id),
                }
            )
        return super().get_context_data(page=page, rows=rows, total=page.paginator.count, query="", **kwargs)
