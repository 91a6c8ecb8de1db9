"""The LRMX viewset; `cadres.urls.RegistryApp` routes it (as "lrmx/")."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import AppMenuMixin, Viewset

from .services import can_use_lrmx
from .views import LrmxExportView, LrmxImportView


class LrmxViewset(AppMenuMixin, Viewset):
    app_name = "lrmx"
    title = _("LRMX 导入")
    icon = "contact_page"
    index_path = path("", LrmxImportView.as_view(), name="index")
    export_path = path("people/<int:pk>/lrmx/", LrmxExportView.as_view(), name="export")

    def has_view_permission(self, user, obj=None):
        return can_use_lrmx(user)
