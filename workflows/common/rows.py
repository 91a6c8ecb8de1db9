"""Rows typed one per line, items separated by commas (a full-width comma counts too): "类别,应到,实到"."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def comma_rows(text: str, width: int, label) -> list[list[str]]:
    """Each non-empty line split into exactly `width` stripped items; refuses (in Chinese) otherwise or when
    there is no line at all, naming the field and the line number."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip().replace("，", ",")
        if not line:
            continue
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != width:
            raise ValidationError(
                _("%(label)s第%(n)d行应有%(w)d项，以逗号分隔。") % {"label": label, "n": number, "w": width}
            )
        rows.append(parts)
    if not rows:
        raise ValidationError(_("%(label)s不能为空。") % {"label": label})
    return rows
