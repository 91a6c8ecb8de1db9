"""Generating dossier documents: a new immutable version per call, rendered after the caller commits.

`dossier_generate` is what other apps call when a step completes. It writes a pending version inside the
caller's transaction; rendering happens after commit, out of the web process (`dossiers.background`: a
Celery worker, or a local render process), so a failed or slow render never rolls back, blocks or crashes
the workflow step. Failures are recorded on the version (status, attempts, error) and retried by
`manage.py retry_dossiers`.

Version numbers: one series (kind, subject, unit, process, step) numbers its versions 1, 2, 3… with no
gaps and no duplicates, however many requests ask at once. On PostgreSQL a transaction-scoped advisory lock
on the series serialises the "highest version + 1" read; SQLite serialises writers itself, and the unique
constraint with a savepoint retry covers what is left.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone, translation

from audit.services import record_event

from .kinds import template_for
from .models import DossierDocument, series_key

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def _lock_series(series: str) -> None:
    """Hold the series until the caller's transaction ends (PostgreSQL); a no-op elsewhere."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 7))", [f"dossier-series:{series}"])


def _next_version(series: str) -> int:
    current = DossierDocument.objects.filter(series=series).aggregate(v=Max("version"))["v"]
    return (current or 0) + 1


def dossier_generate(
    *,
    kind: str,
    content: dict,
    acting_user,
    organization,
    subject=None,
    title: str = "",
    process_ref: str = "",
    step: str = "",
) -> DossierDocument:
    """Create the next version of a document and schedule its rendering after commit.

    `content` is plain JSON-able data built by a content function (see dossiers.content); it is stored with
    the version, so the PDF can be re-rendered from exactly what it showed.
    """
    series = series_key(
        kind=kind,
        subject_id=getattr(subject, "pk", None),
        organization_id=organization.pk,
        process_ref=process_ref,
        step=step,
    )
    for _attempt in range(10):
        try:
            with transaction.atomic():
                _lock_series(series)
                doc = DossierDocument.objects.create(
                    kind=kind,
                    title=title or str(content.get("title") or kind),
                    subject=subject,
                    organization=organization,
                    process_ref=process_ref,
                    step=step,
                    series=series,
                    version=_next_version(series),
                    content=content,
                    template_name=template_for(kind),
                    created_by=acting_user if getattr(acting_user, "pk", None) else None,
                )
            break
        except IntegrityError:  # another writer took that version number: take the next one
            continue
    else:
        raise RuntimeError("could not allocate a dossier version")
    record_event(
        actor=acting_user,
        action="dossier_requested",
        obj=doc,
        to_state=doc.status,
        payload={"kind": kind, "version": doc.version, "process_ref": process_ref, "step": step},
    )
    transaction.on_commit(lambda: enqueue_render(doc.pk))
    return doc


def enqueue_render(doc_id: int) -> None:
    """Queue the rendering of a committed version (see `dossiers.background` for where it runs)."""
    from .background import submit

    submit("render_dossier", doc_id)


def render_context(doc: DossierDocument) -> dict:
    return {
        "content": doc.content,
        "document": {
            "title": doc.title,
            "kind": doc.get_kind_display(),
            "version": doc.version,
            "verification_code": doc.verification_code,
            "created_at": doc.created_at,
        },
    }


def render_document(doc_id: int) -> DossierDocument:
    """Render one pending or failed version; never raises for a rendering error (it is recorded).

    The PDF is made before any lock is taken (a render takes about a second); the version is then locked,
    checked again and stored, so two renderers of one version store it once.
    """
    from .rendering import render_pdf

    doc = DossierDocument.objects.get(pk=doc_id)
    if doc.is_rendered:
        return doc
    pdf = pages = error = None
    try:
        # Official documents print in Chinese whatever the requesting user's interface language.
        with translation.override("zh-hans"):
            pdf, pages = render_pdf(doc.template_name, render_context(doc))
    except Exception as exc:  # any template or WeasyPrint error is recorded, not raised
        logger.exception("dossier %s failed to render", doc_id)
        error = f"{type(exc).__name__}: {exc}"[:2000]
    with transaction.atomic():
        doc = DossierDocument.objects.select_for_update().get(pk=doc_id)
        if doc.is_rendered:
            return doc
        doc.attempts += 1
        if error is not None:
            doc.status = DossierDocument.Status.FAILED
            doc.last_error = error
            doc.save()
            record_event(
                actor=None, action="dossier_render_failed", obj=doc, to_state=doc.status, reason=doc.last_error
            )
            return doc
        doc.sha256 = hashlib.sha256(pdf).hexdigest()
        doc.page_count = pages
        doc.pdf.save(f"{doc.kind}.pdf", ContentFile(pdf), save=False)
        doc.status = DossierDocument.Status.RENDERED
        doc.rendered_at = timezone.now()
        doc.last_error = ""
        doc.save()
        record_event(
            actor=None,
            action="dossier_rendered",
            obj=doc,
            from_state=DossierDocument.Status.PENDING,
            to_state=doc.status,
            payload={"sha256": doc.sha256, "pages": pages, "version": doc.version},
        )
    return doc


def retry_failed(*, max_attempts: int = MAX_ATTEMPTS) -> list[DossierDocument]:
    """Render again every failed (or stuck pending) version that has attempts left."""
    ids = list(
        DossierDocument.objects.filter(
            status__in=[DossierDocument.Status.FAILED, DossierDocument.Status.PENDING], attempts__lt=max_attempts
        ).values_list("pk", flat=True)
    )
    return [render_document(pk) for pk in ids]


def find_by_code(code: str) -> DossierDocument | None:
    code = (code or "").strip().upper().replace(" ", "")
    return DossierDocument.objects.filter(verification_code=code, status=DossierDocument.Status.RENDERED).first()


def find_by_pdf(data: bytes) -> DossierDocument | None:
    digest = hashlib.sha256(data).hexdigest()
    return DossierDocument.objects.filter(sha256=digest, status=DossierDocument.Status.RENDERED).first()
