"""Uploaded photos: refused unless they are a small, whole JPEG or PNG that Pillow can decode.

`photo_problem(data, filename)` returns "" for an acceptable photo, else the Chinese reason. It guarantees:
- at most `MAX_PHOTO_BYTES` (5 MB) and `MAX_PHOTO_PIXELS` (25 million pixels) — the pixel count is read
  from the header before anything is decoded, so a decompression bomb (a tiny PNG declaring 50,000 ×
  50,000 pixels) never reaches memory; Pillow's own bomb error and warning are refusals too;
- only JPEG and PNG (what an ID photo and the 任免审批表 use); SVG, GIF and anything else are refused, and a
  file whose extension names another format than its content (a PNG named .jpg) is refused;
- the whole image decodes: `verify()` checks the structure (PNG chunks and their checksums), a full load
  decodes it, and a JPEG must end with its end-of-image marker (a truncated one is refused even where
  WeasyPrint has switched on Pillow's LOAD_TRUNCATED_IMAGES).

`validate_photo_upload` is the same check as a form-field validator (the admin's person form uses it).
"""

from __future__ import annotations

import contextlib
import io
import threading
import warnings
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MB = 1024 * 1024
MAX_PHOTO_BYTES = 5 * MB
MAX_PHOTO_PIXELS = 25_000_000
FORMATS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",)}
_JPEG_END = b"\xff\xd9"
_STRICT_LOCK = threading.Lock()


def photo_problem(
    data: bytes, filename: str = "", *, max_bytes: int = MAX_PHOTO_BYTES, max_pixels: int = MAX_PHOTO_PIXELS
) -> str:
    """ "" when `data` is an acceptable photo (see the module docstring), else why not, in Chinese.

    Every photo the app accepts passes here (admin uploads, LRMX imports); a caller with tighter limits
    passes its own `max_bytes` and `max_pixels`.
    """
    from PIL import Image

    if len(data) > max_bytes:
        return _too_large(len(data), max_bytes)
    if not data:
        return _("照片文件是空的。")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(FORMATS)) as image:
                kind, (width, height) = image.format, image.size
                if width * height > max_pixels:
                    return _("照片尺寸过大（%(w)d×%(h)d 像素），不得超过 %(limit)d 万像素。") % {
                        "w": width,
                        "h": height,
                        "limit": max_pixels // 10_000,
                    }
                image.verify()
            with Image.open(io.BytesIO(data), formats=[kind]) as image, _strict_decoding():
                image.load()  # verify() does not decode: a truncated or damaged body fails only here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return _("照片尺寸过大，不得超过 %(limit)d 万像素。") % {"limit": max_pixels // 10_000}
    except Image.UnidentifiedImageError:
        return _("照片须为 JPEG 或 PNG 图片。")
    except Exception:  # Pillow raises many types for damaged data; any of them means "unreadable"
        return _("照片已损坏，无法读取。")
    if kind == "JPEG" and not data.rstrip(b"\0\r\n ").endswith(_JPEG_END):
        # WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process, and then load() pads a
        # truncated JPEG with grey instead of failing: the end marker is checked here instead.
        return _("照片已损坏，无法读取。")
    suffix = PurePosixPath(filename or "").suffix.lower()
    if suffix and suffix not in FORMATS[kind]:
        return _("照片的扩展名（%(suffix)s）与图片格式（%(kind)s）不符。") % {"suffix": suffix, "kind": kind}
    return ""


@contextlib.contextmanager
def _strict_decoding():
    """Decode strictly even where WeasyPrint (imported in this process) has set LOAD_TRUNCATED_IMAGES."""
    from PIL import ImageFile

    with _STRICT_LOCK:
        previous, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _too_large(size: int, limit: int = MAX_PHOTO_BYTES) -> str:
    return _("照片过大：约 %(size).1f MB，照片不得超过 %(limit)d MB。") % {
        "size": size / MB,
        "limit": limit // MB,
    }


def validate_photo_upload(upload) -> None:
    """Form-field validator: raises ValidationError (code "photo") with `photo_problem`'s reason.

    Reads at most one byte past the cap, so an oversized upload is refused without being read whole.
    """
    if upload is None or upload is False:
        return
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_PHOTO_BYTES:
        raise ValidationError(_too_large(size), code="photo")
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_PHOTO_BYTES + 1)
    if hasattr(upload, "seek"):
        upload.seek(0)
    problem = photo_problem(data, getattr(upload, "name", "") or "")
    if problem:
        raise ValidationError(problem, code="photo")
