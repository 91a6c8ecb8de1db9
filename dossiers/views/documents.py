"""Dossier documents: list of versions the user may see, download."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import TemplateView

from ..selectors import documents_visible_to


class DocumentListView(TemplateView):
    template_name = "dossiers/document_list.html"

    def get_context_data(self, **kwargs):
        docs = documents_visible_to(self.request.user).select_related("subject", "organization")[:200]
        return super().get_context_data(documents=docs, **kwargs)


class DocumentDownloadView(View):
    def get(self, request, pk):
        doc = get_object_or_404(documents_visible_to(request.user), pk=pk)
        if not doc.is_rendered:
            raise Http404
        return FileResponse(
            doc.pdf.open("rb"), content_type="application/pdf", filename=f"{doc.title}-v{doc.version}.pdf"
        )
