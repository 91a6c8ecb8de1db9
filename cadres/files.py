"""Stored files: random names on upload, and one way out — a view that has checked scope and audience.

Nothing under MEDIA_ROOT is ever served by URL. Every download view first decides *whether* the user may
read the file (its own scope and audience rules), then calls `protected_file_response`, which streams it —
or, when a front server is configured, hands it over with `X-Accel-Redirect` (nginx) or `X-Sendfile`
(Apache, lighttpd) so the Python worker is not tied up:

    CADREFLOW_FILE_SENDER = "stream" | "nginx" | "sendfile"     (default "stream")
    CADREFLOW_FILE_INTERNAL_PREFIX = "/protected-media/"        (nginx: an `internal;` location on MEDIA_ROOT)

`random_upload_to(folder)` gives an `upload_to` callable that stores each upload as
`<folder>/<yyyy>/<32 hex chars><.ext>`: the stored name reveals nothing and cannot be guessed; the user's
original name, where it matters, is kept in a model field (`original_name(upload)` cleans it) and used as
the download's file name.

Among its users: the person photo (cadres.views.people.PersonPhotoView and the API's
/api/people/<id>/photo/), ethics-case evidence (workflows.ethics_case.views.EvidenceDownloadView) and
principal-selection note attachments (workflows.principal_selection.pages.NoteAttachmentView).
"""

from __future__ import annotations

import mimetypes
import secrets
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header

SAFE_EXTENSIONS = {
    ".pdf",
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".bmp",
    ".webp",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".txt",
    ".zip",
    ".mp3",
    ".mp4",
    ".wav",
    ".m4a",
}


@deconstructible
class random_upload_to:  # used like a function in `upload_to=`
    """`upload_to` that names the stored file `<folder>/<year>/<random hex><ext>`."""

    def __init__(self, folder: str):
        self.folder = folder.strip("/")

    def __call__(self, instance, filename: str) -> str:
        ext = PurePosixPath(filename or "").suffix.lower()
        if ext not in SAFE_EXTENSIONS:
            ext = ""
        return f"{self.folder}/{timezone.now():%Y}/{secrets.token_hex(16)}{ext}"

    def __eq__(self, other) -> bool:
        return isinstance(other, random_upload_to) and other.folder == self.folder


def original_name(upload, *, max_length: int = 255) -> str:
    """The uploader's file name, cleaned for keeping in a model field and for a download's file name.

    Only the last path part (browsers on Windows may send `C:\\...`), no control characters, at most
    `max_length` characters with the extension kept. "" for an upload without a name.
    """
    raw = str(getattr(upload, "name", "") or "")
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if len(name) > max_length:
        suffix = PurePosixPath(name).suffix[:16]
        name = name[: max_length - len(suffix)] + suffix
    return name


def protected_file_response(fieldfile, *, filename: str | None = None, inline: bool = False) -> HttpResponse:
    """Send a stored file to a user who has already been checked. 404 when the file is missing.

    `filename` is what the browser saves it as (defaults to the stored name's last part).
    """
    if not fieldfile or not fieldfile.name:
        raise Http404
    name = fieldfile.name
    download_name = filename or PurePosixPath(name).name
    content_type = mimetypes.guess_type(download_name)[0] or mimetypes.guess_type(name)[0]
    content_type = content_type or "application/octet-stream"
    sender = getattr(settings, "CADREFLOW_FILE_SENDER", "stream")
    if sender in {"nginx", "sendfile"}:
        if not fieldfile.storage.exists(name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        if sender == "nginx":
            prefix = getattr(settings, "CADREFLOW_FILE_INTERNAL_PREFIX", "/protected-media/").rstrip("/")
            response["X-Accel-Redirect"] = f"{prefix}/{quote(name)}"
        else:
            response["X-Sendfile"] = fieldfile.path
        # the same header FileResponse writes when it streams (ASCII name quoted, any other as filename*)
        response["Content-Disposition"] = content_disposition_header(not inline, download_name)
    else:
        try:
            handle = fieldfile.open("rb")
        except (FileNotFoundError, OSError) as exc:
            raise Http404 from exc
        response = FileResponse(handle, content_type=content_type, as_attachment=not inline, filename=download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
