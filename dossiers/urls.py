"""The 材料 application: dossier documents (versions, download, verification) and committee packs."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, AppMenuMixin, Viewset, route

from .packs.urls import PacksViewset
from .views.documents import (
    AppointmentFormGenerateView,
    DocumentDetailView,
    DocumentDownloadView,
    DocumentListView,
    DocumentRetryView,
    VerifyView,
)


class DocumentsViewset(AppMenuMixin, Viewset):
    title = _("材料版本")
    icon = "description"
    app_name = "documents"
    index_path = path("", DocumentListView.as_view(), name="index")
    detail_path = path("<int:pk>/", DocumentDetailView.as_view(), name="detail")
    download_path = path("<int:pk>/download/", DocumentDownloadView.as_view(), name="download")
    retry_path = path("<int:pk>/retry/", DocumentRetryView.as_view(), name="retry")
    generate_appointment_form_path = path(
        "appointment-form/<int:person_pk>/", AppointmentFormGenerateView.as_view(), name="generate_appointment_form"
    )


class VerifyViewset(AppMenuMixin, Viewset):
    """Login required like every page (see dossiers.views.documents for why)."""

    title = _("材料验证")
    icon = "verified"
    app_name = "verify"
    index_path = path("", VerifyView.as_view(), name="index")


class DossiersApp(Application):
    title = _("材料")
    icon = "folder"
    app_name = "dossiers"
    documents_path = route("documents/", DocumentsViewset())
    verify_path = route("verify/", VerifyViewset())
    packs_path = route("packs/", PacksViewset())
