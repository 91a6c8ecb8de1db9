"""Assemble a committee pack from already rendered PDFs: nothing here re-renders a candidate's document.

WeasyPrint is called once per pack, for one small document: the cover, the table of contents, and a last
page that becomes the recipient's watermark (name and copy number). The stored PDFs are copied page by
page by `pdfcopy.PackWriter` (pypdf underneath); every page gets two tiny content streams added — the
watermark drawn as a Form XObject and the running page number ("— 37 —") set in the standard Times-Roman
font — so the documents' own content streams are never parsed or rewritten.

Page numbers run from the cover (page 1) to the last page; the table of contents prints the number of the
page on which each candidate's section and each document starts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .pdfcopy import PackWriter

COVER_TEMPLATE = "dossiers/pack_cover.html"
# Rows of the table of contents per page. The template gives every row a fixed height and never wraps a
# row, so the number of contents pages is known before rendering and the page numbers can be printed in
# the same (single) render.
TOC_ROWS_PER_PAGE = 29
_DIGITS = "〇一二三四五六七八九"


class PackAssemblyError(Exception):
    """A stored document could not be read, or the cover did not come out as laid out."""


@dataclass(frozen=True)
class PackPart:
    """One stored, rendered document: its title in the contents, and its PDF bytes."""

    title: str
    pdf: bytes


@dataclass(frozen=True)
class PackSection:
    """One candidate: name, the post proposed (拟任职务), and the documents in pack order."""

    name: str
    label: str
    parts: Sequence[PackPart]


@dataclass(frozen=True)
class PackCover:
    meeting_title: str
    meeting_date: dt.date
    organization: str
    confidentiality: str
    copy_number: int
    recipient: str


@dataclass(frozen=True)
class TocEntry:
    level: int  # 1: a candidate, 2: one of their documents
    text: str
    page: int  # running page number (the cover is page 1)


@dataclass(frozen=True)
class AssembledPack:
    pdf: bytes
    pages: int
    front_pages: int  # cover + contents
    toc: tuple[TocEntry, ...]
    sha256: str


ProgressCallback = Callable[[int], None]


def copy_label(copy_number: int) -> str:
    return f"第{copy_number:03d}份"


def page_number_text(number: int) -> str:
    """The running number as printed (the dashes are em dashes)."""
    return f"— {number} —"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (up to 99; larger numbers stay in digits)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def section_heading(index: int, section: PackSection) -> str:
    """The candidate's line in the contents and the bookmarks: "三、王某　拟任某某小学校长"."""
    return f"{chinese_numeral(index + 1)}、{section.name}" + (f"　{section.label}" if section.label else "")


def _open(pack: PackWriter, part: PackPart):
    try:
        return pack.open(part.pdf)
    except Exception as exc:  # pypdf raises several error types for damaged files
        raise PackAssemblyError(f"无法读取材料《{part.title}》：{exc}") from exc


def _toc(sections: Sequence[PackSection], documents, front: int) -> list[TocEntry]:
    entries: list[TocEntry] = []
    page = front + 1
    for index, (section, section_documents) in enumerate(zip(sections, documents, strict=True)):
        entries.append(TocEntry(1, section_heading(index, section), page))
        for part, document in zip(section.parts, section_documents, strict=True):
            entries.append(TocEntry(2, part.title, page))
            page += document.page_count
    return entries


def _toc_pages_needed(row_count: int) -> int:
    return max(1, -(-row_count // TOC_ROWS_PER_PAGE))


def front_context(cover: PackCover, toc: Sequence[TocEntry]) -> dict:
    """The cover template's context: plain data, the contents cut into pages of TOC_ROWS_PER_PAGE rows."""
    from django.conf import settings

    rows = [{"level": e.level, "text": e.text, "page": e.page} for e in toc]
    return {
        "cover": cover,
        "copy_label": copy_label(cover.copy_number),
        "copy_serial": f"{cover.copy_number:06d}",
        "toc_pages": [rows[i : i + TOC_ROWS_PER_PAGE] for i in range(0, len(rows), TOC_ROWS_PER_PAGE)] or [[]],
        "watermark_lines": range(getattr(settings, "DOSSIER_PACK_WATERMARK_LINES", 5)),
    }


def _render_front(cover: PackCover, toc: Sequence[TocEntry]) -> tuple[bytes, int]:
    from dossiers.rendering import render_pdf

    return render_pdf(COVER_TEMPLATE, front_context(cover, toc))


def assemble_pack(
    *, cover: PackCover, sections: Sequence[PackSection], progress: ProgressCallback | None = None
) -> AssembledPack:
    """Cover, contents, then every part of every section in the given order, numbered and watermarked.

    Calls WeasyPrint once (through `dossiers.rendering.render_pdf`), for the cover, the contents and the
    watermark; the parts' PDF bytes are copied as they are. Raises PackAssemblyError for an unreadable part.
    """
    report = progress or (lambda _percent: None)
    pack = PackWriter()
    documents = [[_open(pack, part) for part in section.parts] for section in sections]
    report(10)

    row_count = len(sections) + sum(len(section.parts) for section in sections)
    toc_pages = _toc_pages_needed(row_count)
    front_pages = 1 + toc_pages
    toc = _toc(sections, documents, front=front_pages)
    front_pdf, front_count = _render_front(cover, toc)
    if front_count != front_pages + 1:
        raise PackAssemblyError(f"封面及目录页数异常：预期 {front_pages + 1} 页，实际 {front_count} 页。")
    report(30)

    front = pack.open(front_pdf)
    pack.set_watermark(front, front_pages)  # the last page: the recipient's watermark
    front.add_pages(1, range(front_pages))
    number = front_pages + 1
    total_parts = max(1, sum(len(d) for d in documents))
    done = 0
    for section_documents in documents:
        for document in section_documents:
            document.add_pages(number)
            number += document.page_count
            done += 1
            report(30 + 60 * done // total_parts)

    parent = None  # bookmarks: one per candidate, one per document under it (pages exist by now)
    for entry in toc:
        if entry.level == 1:
            parent = pack.add_outline_item(entry.text, entry.page - 1)
        else:
            pack.add_outline_item(entry.text, entry.page - 1, parent=parent)

    pdf = pack.write(f"{cover.meeting_title} 上会材料 {copy_label(cover.copy_number)}")
    report(95)
    return AssembledPack(
        pdf=pdf,
        pages=number - 1,
        front_pages=front_pages,
        toc=tuple(toc),
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
