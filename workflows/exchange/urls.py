"""The 交流轮岗 application: plans (list, one plan's page with its moves, checks and team impact, steps)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, AppMenuMixin, Viewset, route

from cadres.roles import is_bureau_user

from . import views


class PlansViewset(AppMenuMixin, Viewset):
    app_name = "plans"
    title = _("交流轮岗方案")
    icon = "sync_alt"
    index_path = path("", views.PlanListView.as_view(), name="index")
    detail_path = path("<int:pk>/", views.PlanDetailView.as_view(), name="detail")
    move_add_path = path("<int:pk>/moves/add/", views.MoveAddView.as_view(), name="move_add")
    move_remove_path = path("<int:pk>/moves/<int:move_pk>/remove/", views.MoveRemoveView.as_view(), name="move_remove")
    action_path = path("<int:pk>/<slug:action>/", views.PlanActionView.as_view(), name="action")

    def has_view_permission(self, user, obj=None):
        return is_bureau_user(user)


class ExchangeApp(Application):
    title = _("交流轮岗")
    icon = "sync_alt"
    app_name = "exchange"
    plans_path = route("plans/", PlansViewset())

    def has_view_permission(self, user, obj=None):
        return is_bureau_user(user)
