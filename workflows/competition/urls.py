"""The 中层竞聘 application (competition flow, the teacher's and the judge's pages) and the 能上能下 one."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from workflows.common.app import CaseFlowApp

from . import pages, views
from .flows import AdjustmentFlow, CompetitionFlow


class CompetitionApp(CaseFlowApp):
    dashboard_view_class = pages.ScopedDashboard
    process_list_view_class = pages.ScopedList
    process_detail_view_class = pages.ScopedDetail
    task_list_view_class = pages.ScopedTaskList
    inbox_view_class = pages.ScopedInbox
    queue_view_class = pages.ScopedQueue
    chart_view_class = pages.ScopedChart
    register_path = path("register/", views.RegisterPage.as_view(), name="register")
    judge_path = path("judge/", views.JudgePage.as_view(), name="judge")
    objections_path = path("<int:pk>/objections/", views.ObjectionPage.as_view(), name="objections")
    score_import_path = path("<int:pk>/scores/import/", views.ScoreImportPage.as_view(), name="score_import")
    score_template_path = path("<int:pk>/scores/template/", views.ScoreTemplateView.as_view(), name="score_template")

    def __init__(self, **kwargs):
        super().__init__(CompetitionFlow, icon="emoji_events", **kwargs)


class AdjustmentApp(CaseFlowApp):
    dashboard_view_class = pages.ScopedDashboard
    process_list_view_class = pages.ScopedList
    process_detail_view_class = pages.ScopedDetail
    task_list_view_class = pages.ScopedTaskList
    inbox_view_class = pages.ScopedInbox
    queue_view_class = pages.ScopedQueue
    chart_view_class = pages.ScopedChart
    title = _("干部能上能下")

    def __init__(self, **kwargs):
        super().__init__(AdjustmentFlow, icon="swap_vert", **kwargs)
