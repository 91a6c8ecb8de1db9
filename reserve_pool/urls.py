"""The 后备干部 application: entries (list, nomination, each entry's steps), structure dashboard, reviews."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, AppMenuMixin, Viewset, route

from .views.access import may_open_pool
from .views.dashboard import DashboardView, ReviewListView
from .views.entries import (
    EntryActionView,
    EntryDetailView,
    EntryExportView,
    EntryListView,
    NominateView,
    ProfileDocumentView,
    RosterView,
)


class _PoolViewset(AppMenuMixin, Viewset):
    def has_view_permission(self, user, obj=None):
        return may_open_pool(user)


class EntriesViewset(_PoolViewset):
    app_name = "entries"
    title = _("后备干部名单")
    icon = "groups"
    index_path = path("", EntryListView.as_view(), name="index")
    export_path = path("export/", EntryExportView.as_view(), name="export")
    roster_path = path("roster/", RosterView.as_view(), name="roster")
    nominate_path = path("nominate/", NominateView.as_view(), name="nominate")
    detail_path = path("<int:pk>/", EntryDetailView.as_view(), name="detail")
    profile_path = path("<int:pk>/profile/", ProfileDocumentView.as_view(), name="profile")
    action_path = path("<int:pk>/<slug:action>/", EntryActionView.as_view(), name="action")


class DashboardViewset(_PoolViewset):
    app_name = "dashboard"
    title = _("结构分析")
    icon = "insights"
    index_path = path("", DashboardView.as_view(), name="index")


class ReviewsViewset(_PoolViewset):
    app_name = "reviews"
    title = _("年度复核")
    icon = "event_repeat"
    index_path = path("", ReviewListView.as_view(), name="index")


class ReservePoolApp(Application):
    title = _("后备干部")
    icon = "workspaces"
    app_name = "reserve_pool"
    entries_path = route("entries/", EntriesViewset())
    dashboard_path = route("dashboard/", DashboardViewset())
    reviews_path = route("reviews/", ReviewsViewset())

    def has_view_permission(self, user, obj=None):
        return may_open_pool(user)
