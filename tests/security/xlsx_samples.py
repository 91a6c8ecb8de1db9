"""Hostile workbooks for the import tests, built in code (no binary is committed), and a cost meter."""

from __future__ import annotations

import datetime as dt
import io
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from openpyxl import Workbook

from cadres.idcard import make_id_number
from cadres.roster.columns import HEADERS

SHEET = "xl/worksheets/sheet1.xml"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MB = 1024 * 1024


def person_row(org, seq: int, **cells) -> dict:
    birth = dt.date(1991, 2, 1) + dt.timedelta(days=seq)
    row = {
        "身份证号": make_id_number("110101", birth, seq, "M"),
        "姓名": f"钱{seq}",
        "性别": "男",
        "参加工作时间": "2013.09",
        "单位代码": org.code,
    }
    row.update(cells)
    return row


def roster_bytes(rows: list[dict], *, headers=HEADERS) -> bytes:
    """A roster workbook as Excel would save it (normal openpyxl workbook: shared strings, a <dimension>)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rezip(data: bytes, *, replace: dict | None = None, drop: tuple = (), add: dict | None = None) -> bytes:
    """The same archive with members replaced (bytes, or a function of the old bytes), dropped or added."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in drop:
                continue
            content = source.read(info.filename)
            if info.filename in replace:
                new = replace[info.filename]
                content = new(content) if callable(new) else new
            target.writestr(info.filename, content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def with_shared_strings(data: bytes, table: bytes) -> bytes:
    """The workbook with `table` as its shared-string part, linked as Excel links it (openpyxl writes none)."""
    relation = (
        b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
    )
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    )
    return rezip(
        data,
        replace={
            "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(b"</Relationships>", relation + b"</Relationships>"),
            "[Content_Types].xml": lambda xml: xml.replace(b"</Types>", override + b"</Types>"),
        },
        add={"xl/sharedStrings.xml": table},
    )


@dataclass
class Cost:
    seconds: float
    peak_mb: float


def measure(action: Callable[[], object]) -> tuple[object, Cost]:
    """Run `action` twice (it must write nothing): timed alone, then under tracemalloc for the peak of the
    Python memory it allocates (tracemalloc slows allocation-heavy code several times, so it is not timed)."""
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        result = action()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, Cost(seconds, peak / MB)
