"""The 师德违规处理 application: viewflow's task inbox, queue, process list, chart and detail for the case
flow, scoped to what the user may see, plus the teacher's own "my cases" page."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.workflow import STATUS
from viewflow.workflow.flow.viewset import FlowAppViewset

from workflows.common.casepage import CasePagesMixin, use_task_detail

from . import casepage, views
from .flows import EthicsCaseFlow
from .selectors import cases_visible_to

casepage.install(EthicsCaseFlow)
use_task_detail(EthicsCaseFlow)


class EthicsCaseApp(CasePagesMixin, FlowAppViewset):
    """`EthicsCaseApp()` in the site's viewsets: the case flow with its scoped lists."""

    app_name = "ethics_case"
    title = _("师德违规处理")
    base_template_name = "cadreflow/page.html"
    menu_template_name = "workflows/ethics_case/menu.html"

    dashboard_view_class = views.CaseDashboardView
    task_list_view_class = views.CaseTaskListView
    inbox_view_class = views.CaseInboxView
    queue_view_class = views.CaseQueueView

    mine_path = path("mine/", views.MyCasesView.as_view(), name="mine")
    extend_appeal_path = path("<int:process_pk>/extend-appeal/", views.ExtendAppealView.as_view(), name="extend_appeal")
    evidence_path = path("<int:process_pk>/evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence")

    def __init__(self, **kwargs):
        kwargs.setdefault("icon", "gavel")
        super().__init__(EthicsCaseFlow, **kwargs)

    def get_context_data(self, request):
        """The menu's counters, from the scoped inbox and queue."""
        flow_class = self._flow_class
        inbox = flow_class.task_class._default_manager.filter(
            process__flow_class=flow_class,
            owner=request.user,
            status=STATUS.ASSIGNED,
            process_id__in=cases_visible_to(request.user).values("pk"),
        )
        return {"user_inbox": inbox, "user_queue": views.queue_for(request.user, flow_class)}
