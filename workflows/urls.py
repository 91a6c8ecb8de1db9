"""Applications of the workflows area; the home page lives here because it gathers every area's tasks."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, AppMenuMixin, Viewset, route

from .inbox_views import DoneView, InboxView
from .views import HomeView


class DashboardViewset(AppMenuMixin, Viewset):
    app_name = "dashboard"
    title = _("我的工作台")
    icon = "dashboard"
    index_path = path("", HomeView.as_view(), name="index")


class InboxViewset(AppMenuMixin, Viewset):
    app_name = "inbox"
    title = _("待办事项")
    icon = "inbox"
    index_path = path("", InboxView.as_view(), name="index")
    done_path = path("done/", DoneView.as_view(), name="done")


class HomeApp(Application):
    title = _("工作台")
    icon = "home"
    app_name = "home"
    dashboard_path = route("dashboard/", DashboardViewset())
    inbox_path = route("inbox/", InboxViewset())
