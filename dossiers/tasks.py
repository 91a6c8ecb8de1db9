"""Celery task for rendering, used only when a broker is configured."""

from celery import shared_task

from .models import DossierDocument
from .services import MAX_ATTEMPTS, render_document


@shared_task(bind=True, max_retries=MAX_ATTEMPTS, default_retry_delay=30)
def render_dossier_task(self, doc_id: int) -> str:
    doc = render_document(doc_id)
    if doc.status == DossierDocument.Status.FAILED and doc.attempts < MAX_ATTEMPTS:
        raise self.retry(countdown=30 * doc.attempts)
    return doc.status


# The committee-pack task lives with the packs; importing it here lets `autodiscover_tasks` register it.
from .packs.tasks import build_pack_task  # noqa: E402, F401
