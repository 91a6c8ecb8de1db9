"""Applications of the workflows area; the home page lives here because it gathers every area's tasks."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, AppMenuMixin, Viewset, route

from .views import HomeView


class DashboardViewset(AppMenuMixin, Viewset):
    app_name = "dashboard"
    title = _("我的工作台")
    icon = "dashboard"
    index_path = path("", HomeView.as_view(), name="index")


class HomeApp(Application):
    title = _("工作台")
    icon = "home"
    app_name = "home"
    dashboard_path = route("dashboard/", DashboardViewset())
