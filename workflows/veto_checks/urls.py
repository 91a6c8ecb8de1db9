"""The 名单校验 application: a list of teachers checked against the one-vote veto for 职称评聘, 评优奖励,
职务聘任 or 教师资格定期注册 (the pages of `workflows.veto_checks.views`)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, AppMenuMixin, Viewset, route

from . import views


class ChecksViewset(AppMenuMixin, Viewset):
    app_name = "checks"
    title = _("名单校验")
    icon = "playlist_add_check"
    index_path = path("", views.CheckListView.as_view(), name="index")
    upload_path = path("upload/", views.UploadView.as_view(), name="upload")
    pick_path = path("pick/", views.PickView.as_view(), name="pick")
    school_path = path("school/", views.SchoolView.as_view(), name="school")
    detail_path = path("<int:pk>/", views.CheckDetailView.as_view(), name="detail")
    excel_path = path("<int:pk>/excel/", views.CheckExcelView.as_view(), name="excel")

    def has_view_permission(self, user, obj=None):
        return views.can_check_lists(user)


class VetoCheckApp(Application):
    title = _("一票否决校验")
    icon = "rule"
    app_name = "veto_checks"
    checks_path = route("checks/", ChecksViewset())

    def has_view_permission(self, user, obj=None):
        return views.can_check_lists(user)
