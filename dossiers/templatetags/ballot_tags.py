"""Template helpers of the ballot documents: the QR code of a slip, and slips grouped by sheet.

The QR code is drawn here, at render time, from the address stored in the content: the same content always
gives the same picture (segno is deterministic), and the stored content holds a short URL instead of an
image per slip. Always a full QR code (never Micro QR, which phones do not read), error correction level M,
a quiet zone of four modules as the standard asks.
"""

from __future__ import annotations

import segno
from django import template

register = template.Library()

QR_ERROR = "m"
QR_BORDER = 4


def qr_code(text: str) -> segno.QRCode:
    return segno.make_qr(text, error=QR_ERROR, boost_error=False)


@register.filter
def qr_svg(text: str) -> str:
    """An SVG data URI of the QR code of `text`, black on white, for an <img> of any size."""
    return qr_code(str(text)).svg_data_uri(scale=1, border=QR_BORDER, dark="#000", light="#fff", omitsize=True)


@register.filter
def sheets(items, per_sheet: int = 10) -> list[list]:
    """`items` cut into consecutive groups of `per_sheet` (the last may be shorter)."""
    items = list(items or [])
    per_sheet = max(int(per_sheet), 1)
    return [items[i : i + per_sheet] for i in range(0, len(items), per_sheet)]


@register.filter
def pairs(items) -> list[list]:
    """`items` as rows of two (the last row may hold one)."""
    return sheets(items, 2)
