"""The 通知 area: /notifications/ (list), its actions and the e-mail setting; every signed-in user has one."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from . import views


class NotificationsApp(Application):
    title = _("通知")
    icon = "notifications"
    app_name = "notifications"
    menu_template_name = None
    index_path = path("", views.NotificationListView.as_view(), name="index")
    open_path = path("<int:pk>/open/", views.OpenView.as_view(), name="open")
    read_path = path("<int:pk>/read/", views.MarkReadView.as_view(), name="read")
    read_all_path = path("read-all/", views.MarkAllReadView.as_view(), name="read_all")
    settings_path = path("settings/", views.PreferenceView.as_view(), name="settings")

    def has_view_permission(self, user, obj=None):
        return getattr(user, "is_authenticated", False)
