"""The 师德违规处理 application: viewflow's task inbox, queue, process list, chart and detail for the case
flow, scoped to what the user may see, plus the teacher's own "my cases" page."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _

from workflows.common.app import CaseFlowApp
from workflows.common.casepage import CasePagesMixin, use_task_detail

from . import casepage, views
from .flows import EthicsCaseFlow

casepage.install(EthicsCaseFlow)
use_task_detail(EthicsCaseFlow)


class EthicsCaseApp(CasePagesMixin, CaseFlowApp):
    """`EthicsCaseApp()` in the site's viewsets: the case flow with its scoped lists."""

    app_name = "ethics_case"
    title = _("师德违规处理")
    base_template_name = "cadreflow/page.html"
    menu_template_name = "workflows/ethics_case/menu.html"

    dashboard_view_class = views.CaseDashboardView
    task_list_view_class = views.CaseTaskListView

    mine_path = path("mine/", views.MyCasesView.as_view(), name="mine")
    extend_appeal_path = path("<int:process_pk>/extend-appeal/", views.ExtendAppealView.as_view(), name="extend_appeal")
    evidence_path = path("<int:process_pk>/evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence")

    def __init__(self, **kwargs):
        kwargs.setdefault("icon", "gavel")
        super().__init__(EthicsCaseFlow, **kwargs)
