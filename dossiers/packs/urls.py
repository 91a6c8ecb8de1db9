"""URLs of 上会材料 (mounted at /dossiers/packs/ by `dossiers.urls.DossiersApp`)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import AppMenuMixin, Viewset

from . import views
from .selectors import can_manage_packs


class PacksViewset(AppMenuMixin, Viewset):
    title = _("上会材料")
    icon = "library_books"
    app_name = "packs"

    index_path = path("", views.MeetingListView.as_view(), name="index")
    add_path = path("add/", views.MeetingFormView.as_view(), name="add")
    detail_path = path("<int:pk>/", views.MeetingDetailView.as_view(), name="detail")
    change_path = path("<int:pk>/change/", views.MeetingFormView.as_view(), name="change")
    build_meeting_path = path("<int:pk>/build/", views.PackBuildView.as_view(), name="build_meeting")
    build_path = path("builds/<int:pk>/", views.BuildDetailView.as_view(), name="build")
    build_status_path = path("builds/<int:pk>/status/", views.BuildStatusView.as_view(), name="build_status")
    download_path = path("builds/<int:pk>/download/", views.BuildDownloadView.as_view(), name="download")

    def has_view_permission(self, user, obj=None):
        return can_manage_packs(user)
