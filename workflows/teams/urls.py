"""The 班子结构 application: the district overview of gaps, a school's team, its 班子结构分析."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from .access import may_open_teams
from .views import IndexView, OverviewView, TeamDossierView, TeamView


class TeamsApp(Application):
    title = _("班子结构")
    icon = "account_tree"
    app_name = "teams"
    # Its pages are reached from the main menu and from each other; the area has no sub-menu of viewsets.
    menu_template_name = None
    index_path = path("", IndexView.as_view(), name="index")
    overview_path = path("overview/", OverviewView.as_view(), name="overview")
    school_path = path("school/<int:pk>/", TeamView.as_view(), name="school")
    dossier_path = path("school/<int:pk>/dossier/", TeamDossierView.as_view(), name="dossier")

    def has_view_permission(self, user, obj=None):
        return may_open_teams(user)
