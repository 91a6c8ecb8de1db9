"""Template helpers for dossiers: layout choices for the print templates, and the person-page panel.

The layout filters estimate how many printed lines a text takes (a CJK character is one em wide, Latin
letters and digits about half) and pick the largest font size whose lines fit the box, so that a long
简历 shrinks instead of spilling onto a third page. Nothing is ever cut: past the smallest size the cell
simply grows.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

PT_MM = 25.4 / 72
PERSON_PANEL_LIMIT = 30


def text_width_em(text: str) -> float:
    """Width of `text` in em: full-width characters count 1, everything else about 0.55."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


@dataclass(frozen=True)
class BoxLayout:
    size: float  # font size in pt
    leading: float  # line-height factor
    lines: int  # printed lines the text takes at that size

    @property
    def line_mm(self) -> float:
        return self.size * PT_MM * self.leading


def fit_lines(
    items: list[tuple[float, float]],
    *,
    width_mm: float,
    height_mm: float,
    sizes: tuple[tuple[float, float], ...],
) -> BoxLayout:
    """Pick the largest (size, leading) at which the items fit in the box.

    Each item is (indent in em, text width in em); an item wraps inside `width_mm` minus its indent.
    """
    layout = None
    for size, leading in sizes:
        per_line_em = width_mm / (size * PT_MM)
        lines = 0
        for indent_em, width_em in items:
            usable = max(per_line_em - indent_em, 4.0)
            lines += max(1, math.ceil((width_em + 0.01) / usable))
        layout = BoxLayout(size, leading, lines)
        if lines * layout.line_mm <= height_mm:
            return layout
    return layout


# 简历 box on page 1 of the 任免审批表 (see appointment_form.html), in mm. The base height is what is left
# of page 1 when no row above wraps; each wrapped line above takes its height from the 简历 box.
RESUME_WIDTH_MM = 147.0
RESUME_BASE_MM = 126.0
RESUME_MIN_MM = 60.0
RESUME_SIZES = ((12.0, 1.55), (11.0, 1.5), (10.0, 1.45), (9.0, 1.4), (8.0, 1.35), (7.0, 1.3), (6.0, 1.25))
RESUME_DATE_EM = 9.2  # "YYYY.MM--YYYY.MM  " in em, the hanging indent of wrapped lines and 其间 lines
# Page 1 rows above the 简历, row by row: each value cell's key, usable width and content height in mm. A value
# too long for two lines at 11 pt is set smaller (down to 8 pt); what still does not fit grows its row.
P1_LEADING = 1.35
P1_SIZES = (11.0, 10.0, 9.0, 8.0)
P1_ROWS: tuple[tuple[tuple[str, float, float], ...], ...] = (
    (("name", 23.6, 11.4),),
    (("ethnicity", 23.6, 11.4), ("native_place", 23.6, 11.4), ("birthplace", 22.6, 11.4)),
    (("party_join", 23.6, 11.4), ("work_start", 23.6, 11.4), ("health", 22.6, 11.4)),
    (("professional_title", 44.6, 11.4), ("specialty", 44.6, 11.4)),
    (("full_time_education.level", 44.6, 13.4), ("full_time_education.schools", 55.6, 13.4)),
    (("in_service_education.level", 44.6, 13.4), ("in_service_education.schools", 55.6, 13.4)),
    (("current_post", 124.6, 9.9),),
    (("proposed_post", 124.6, 9.9),),
    (("proposed_removal", 124.6, 9.9),),
)
REWARDS_BOX = {"width_mm": 150.0, "height_mm": 46.0}
TEXT_SIZES = ((12.0, 1.55), (11.0, 1.5), (10.0, 1.45), (9.0, 1.35), (8.0, 1.3), (7.0, 1.25), (6.0, 1.2))
# Family table on page 2: body height, usable column widths (称谓, 姓名, 政治面貌, 工作单位及职务) in mm.
FAMILY_BODY_MM = 74.0
FAMILY_MAX_ROW_MM = 7.2
FAMILY_COLUMNS_MM = (15.0, 18.0, 18.0, 90.0)
FAMILY_SIZES = ((10.5, 1.25), (9.5, 1.2), (8.5, 1.2), (7.5, 1.15), (6.5, 1.1), (5.5, 1.1))


def wrapped_lines(text: str, width_mm: float, size_pt: float) -> int:
    """Printed lines of `text` in a box `width_mm` wide at `size_pt` (at least 1)."""
    per_line = width_mm / (size_pt * PT_MM)
    return max(1, math.ceil((text_width_em(text or "") + 0.01) / per_line))


def split_resume_line(line: str) -> tuple[str, str, bool]:
    """(period, text, is_during) of one canonical 简历 line (`YYYY.MM--YYYY.MM  单位职务` or （其间：…）)."""
    if line.startswith("（"):
        return "", line, True
    if len(line) > 16 and line[4] == "." and line[7:9] == "--":
        return line[:16], line[16:].lstrip(" "), False
    return "", line, False


@register.filter
def resume_rows(lines) -> list[dict]:
    return [dict(zip(("period", "text", "during"), split_resume_line(line), strict=True)) for line in lines or []]


def resume_layout(lines, height_mm: float = RESUME_BASE_MM) -> BoxLayout:
    items = [(RESUME_DATE_EM, text_width_em(split_resume_line(line)[1])) for line in lines or []]
    return fit_lines(items, width_mm=RESUME_WIDTH_MM, height_mm=height_mm - 1.0, sizes=RESUME_SIZES)


def _cell_texts(content: dict, key: str) -> list[str]:
    if "." not in key:
        return [str(content.get(key) or "")]
    group, part = key.split(".")
    edu = content.get(group) or {}
    if part == "level":
        return [t for t in (edu.get("level"), edu.get("degree")) if t]
    return list(edu.get("schools") or [])


def fit_cell(texts: list[str], width_mm: float, height_mm: float) -> tuple[float, float]:
    """(font size, overflow in mm) of a table cell: the largest size whose lines fit, else the smallest."""
    for size in P1_SIZES:
        lines = sum(wrapped_lines(t, width_mm, size) for t in texts) if texts else 1
        used = lines * size * PT_MM * P1_LEADING
        if used <= height_mm + 0.05:
            return size, 0.0
    return size, used - height_mm


@register.filter
def page1_layout(content) -> dict:
    """Type size of each value cell on page 1, and the 简历 box: what rows 1–11 leave, at the largest size that fits.

    Returns {"cells": {key: size}, "height_mm", "size", "leading", "lines"}; education keys use "_" for ".".
    """
    cells, extra = {}, 0.0
    for row in P1_ROWS:
        row_extra = 0.0
        for key, width, height in row:
            size, overflow = fit_cell(_cell_texts(content, key), width, height)
            cells[key.replace(".", "_")] = size
            row_extra = max(row_extra, overflow)
        extra += row_extra
    box_mm = max(RESUME_BASE_MM - extra, RESUME_MIN_MM)
    layout = resume_layout(content.get("resume"), box_mm)
    return {
        "cells": cells,
        "height_mm": round(box_mm, 1),
        "size": layout.size,
        "leading": layout.leading,
        "lines": layout.lines,
    }


@register.filter
def text_layout(lines) -> BoxLayout:
    """Layout of a list of paragraphs (奖惩情况) in the rewards box on page 2."""
    items = [(0.0, text_width_em(line) + 2.0) for line in lines or []]  # 2 em first-line indent
    return fit_lines(items, sizes=TEXT_SIZES, **REWARDS_BOX)


@register.filter
def family_layout(rows, minimum: int = 10) -> dict:
    """Type size and row height of the family table: 10 rows at least, tighter (never cut) when more are needed."""
    rows = list(rows or [])
    count = max(len(rows), minimum)
    row_mm = min(FAMILY_MAX_ROW_MM, FAMILY_BODY_MM / count)
    for size, leading in FAMILY_SIZES:
        line_mm = size * PT_MM * leading
        total = (count - len(rows)) * row_mm
        for row in rows:
            texts = (row.get("relation"), row.get("name"), row.get("political_status"), row.get("work_unit_and_post"))
            lines = max(wrapped_lines(t or "", w, size) for t, w in zip(texts, FAMILY_COLUMNS_MM, strict=True))
            total += max(row_mm, lines * line_mm + 0.4)
        if total <= FAMILY_BODY_MM:
            break
    return {
        "row_mm": round(row_mm, 2),
        "size": size,
        "leading": leading,
        "blank": range(count - len(rows)),
        "rowspan": count + 1,
    }


@register.filter
def vertical(text) -> str:
    """A label written top to bottom, one character per line (the form's narrow left column)."""
    return mark_safe("<br>".join(conditional_escape(ch) for ch in str(text) if not ch.isspace()))


@register.simple_tag(takes_context=True)
def person_dossier_panel(context, person) -> dict:
    """What the person page's 材料 block shows: this person's versions the user may see, and the actions allowed.

    Needs only `request` in the context (the person page renders with a RequestContext).
    """
    from ..selectors import documents_visible_to
    from ..views.documents import AppointmentFormRequest, can_generate_dossiers, can_retry_dossiers

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"documents": [], "can_generate": False, "can_retry": False, "form": None}
    documents = (
        documents_visible_to(user)
        .filter(subject_id=person.pk)
        .select_related("created_by")
        .order_by("-created_at", "-id")[:PERSON_PANEL_LIMIT]
    )
    can_generate = can_generate_dossiers(user)
    return {
        "documents": list(documents),
        "can_generate": can_generate,
        "can_retry": can_retry_dossiers(user),
        "form": AppointmentFormRequest(initial=AppointmentFormRequest.initial_for(user)) if can_generate else None,
    }
