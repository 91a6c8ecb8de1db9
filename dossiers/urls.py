"""The 材料 application: dossier documents (versions, download, verification) and committee packs."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, AppMenuMixin, Viewset, route

from .views.documents import DocumentDownloadView, DocumentListView


class DocumentsViewset(AppMenuMixin, Viewset):
    title = _("材料版本")
    icon = "description"
    app_name = "documents"
    index_path = path("", DocumentListView.as_view(), name="index")
    download_path = path("<int:pk>/download/", DocumentDownloadView.as_view(), name="download")


class DossiersApp(Application):
    title = _("材料")
    icon = "folder"
    app_name = "dossiers"
    documents_path = route("documents/", DocumentsViewset())
