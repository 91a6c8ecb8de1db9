"""The 中层竞聘 application (competition flow, the teacher's and the judge's pages) and the 能上能下 one."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from cadres.roles import Role, has_role
from workflows.common.app import CaseFlowApp
from workflows.common.casepage import CasePagesMixin, use_task_detail

from . import casepage, pages, views
from .flows import AdjustmentFlow, CompetitionFlow

casepage.install(CompetitionFlow, AdjustmentFlow)
use_task_detail(CompetitionFlow)
use_task_detail(AdjustmentFlow)


def _teacher(user) -> bool:
    return has_role(user, Role.TEACHER)


def _judge(user) -> bool:
    return has_role(user, Role.JUDGE)


class CompetitionApp(CasePagesMixin, CaseFlowApp):
    dashboard_view_class = pages.ScopedDashboard
    task_list_view_class = pages.ScopedTaskList
    inbox_view_class = pages.ScopedInbox
    queue_view_class = pages.ScopedQueue
    # A teacher registers, a judge scores: their own pages, in the menu for those roles only.
    menu_links = (
        ("register", _("竞聘报名"), "how_to_reg", _teacher),
        ("judge", _("评分"), "grading", _judge),
    )
    register_path = path("register/", views.RegisterPage.as_view(), name="register")
    judge_path = path("judge/", views.JudgePage.as_view(), name="judge")
    objections_path = path("<int:pk>/objections/", views.ObjectionPage.as_view(), name="objections")
    score_import_path = path("<int:pk>/scores/import/", views.ScoreImportPage.as_view(), name="score_import")
    score_template_path = path("<int:pk>/scores/template/", views.ScoreTemplateView.as_view(), name="score_template")

    def __init__(self, **kwargs):
        super().__init__(CompetitionFlow, icon="emoji_events", **kwargs)


class AdjustmentApp(CasePagesMixin, CaseFlowApp):
    dashboard_view_class = pages.ScopedDashboard
    task_list_view_class = pages.ScopedTaskList
    inbox_view_class = pages.ScopedInbox
    queue_view_class = pages.ScopedQueue
    title = _("干部能上能下")

    def __init__(self, **kwargs):
        super().__init__(AdjustmentFlow, icon="swap_vert", **kwargs)
