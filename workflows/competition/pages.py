"""viewflow's own pages (dashboard, task lists), scoped: a school sees only its own cases, the bureau every filed
competition and every adjustment, a teacher only their own adjustment. The case page, case list and chart are
the shared ones (workflows.common.casepage)."""

from __future__ import annotations

from viewflow.utils import viewprop
from viewflow.workflow import STATUS
from viewflow.workflow.flow import views as flow_views

from .selectors import adjustments_visible_to, competitions_visible_to


def _visible(flow_class, user):
    from .flows import AdjustmentFlow

    if flow_class is AdjustmentFlow:
        return adjustments_visible_to(user).values("pk")
    return competitions_visible_to(user).values("pk")


class ScopedTaskList(flow_views.DashboardTaskListView):
    @viewprop
    def queryset(self):
        return self.model._default_manager.filter(
            process__flow_class=self.flow_class, process_id__in=_visible(self.flow_class, self.request.user)
        ).order_by("-created")


class ScopedInbox(flow_views.FlowInboxListView):
    @viewprop
    def queryset(self):
        return self.model._default_manager.filter(
            process__flow_class=self.flow_class,
            owner=self.request.user,
            status=STATUS.ASSIGNED,
            process_id__in=_visible(self.flow_class, self.request.user),
        ).order_by("-created")


class ScopedQueue(flow_views.FlowQueueListView):
    @viewprop
    def queryset(self):
        tasks = self.model._default_manager.filter(
            process__flow_class=self.flow_class,
            status=STATUS.NEW,
            flow_task_type="HUMAN",
            owner__isnull=True,
        ).order_by("-created")
        ids = [t.pk for t in tasks if t.flow_task.can_assign(self.request.user, t)]
        return self.model._default_manager.filter(pk__in=ids).order_by("-created")


class ScopedDashboard(flow_views.DashboardView):
    """The dashboard without other schools' tasks."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = set(_visible(self.flow_class, self.request.user).values_list("pk", flat=True))
        for column in context.get("columns", []):
            column["tasks"] = [t for t in column["tasks"] if t.process_id in visible]
        if "finished" in context:
            context["finished"] = [t for t in context["finished"] if t.process_id in visible]
        return context
