"""The 干部信息 application: people, and the roster import/export."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, AppMenuMixin, Viewset, route

from .views.people import PersonDetailView, PersonListView


class PeopleViewset(AppMenuMixin, Viewset):
    app_name = "people"
    title = _("人员名册")
    icon = "people"
    index_path = path("", PersonListView.as_view(), name="index")
    detail_path = path("<int:pk>/", PersonDetailView.as_view(), name="detail")


class RegistryApp(Application):
    title = _("干部信息")
    icon = "badge"
    app_name = "registry"
    people_path = route("people/", PeopleViewset())
