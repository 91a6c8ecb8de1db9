"""The 干部考核 application: yearly evaluations per unit, the 能上能下 list, and 任期管理."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, AppMenuMixin, Viewset, route

from . import views
from .selectors import may_open_pages


class _Pages(AppMenuMixin, Viewset):
    def has_view_permission(self, user, obj=None):
        return may_open_pages(user)


class YearsViewset(_Pages):
    app_name = "years"
    title = _("年度考核")
    icon = "fact_check"
    index_path = path("", views.YearListView.as_view(), name="index")
    detail_path = path("<int:pk>/", views.YearDetailView.as_view(), name="detail")
    action_path = path("<int:pk>/do/<slug:action>/", views.YearActionView.as_view(), name="action")
    report_path = path("<int:pk>/report/<int:assessment_pk>/", views.ReportUploadView.as_view(), name="report")
    download_path = path(
        "<int:pk>/report/<int:assessment_pk>/download/", views.ReportDownloadView.as_view(), name="download"
    )


class AdjustmentsViewset(_Pages):
    app_name = "adjustments"
    title = _("能上能下名单")
    icon = "swap_vert"
    index_path = path("", views.AdjustmentListView.as_view(), name="index")


class TermsViewset(_Pages):
    app_name = "terms"
    title = _("任期管理")
    icon = "event_repeat"
    index_path = path("", views.TermListView.as_view(), name="index")
    detail_path = path("<int:pk>/", views.TermDetailView.as_view(), name="detail")


class EvaluationApp(Application):
    title = _("干部考核")
    icon = "grading"
    app_name = "evaluation"
    years_path = route("years/", YearsViewset())
    adjustments_path = route("adjustments/", AdjustmentsViewset())
    terms_path = route("terms/", TermsViewset())

    def has_view_permission(self, user, obj=None):
        return may_open_pages(user)
