"""The one workbook writer: every .xlsx CadreFlow hands out is written through `ExcelBook`.

Guarantees:
- No cell a user's data reaches is ever a formula. A text that begins with `=`, `+`, `-`, `@`, a tab or a
  carriage return (what Excel, WPS and LibreOffice read as the start of a formula, also after a save as
  CSV) is written as text with a leading apostrophe (`'`), as OWASP recommends for CSV/formula injection;
  `unescape_cell` undoes exactly that for the importers, so an export re-imports unchanged.
- Numbers, dates and decimals stay real numbers and dates (a negative number stays a number).
- Workbooks are write-only (rows are streamed to the file, so a large export does not hold every cell).

`workbook_response` is the download: the bytes as an attachment with a UTF-8 file name.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def escape_cell(value: Any) -> Any:
    """`value` as it may be written to a cell: a formula-like text gets a leading apostrophe, the rest as is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return ESCAPE + value
    return value


def unescape_cell(value: Any) -> Any:
    """The inverse of `escape_cell` for a value read back from a workbook (other values unchanged)."""
    if isinstance(value, str) and value.startswith(ESCAPE) and value[1:2] and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


class Sheet:
    """One write-only sheet. Rows are appended in order; column widths, freeze panes and drop-downs must be
    set before the first row (openpyxl writes them ahead of the rows)."""

    def __init__(self, worksheet) -> None:
        self.worksheet = worksheet

    def cell(self, value: Any, **style) -> Cell:
        """A styled cell (font=, fill=, alignment=, number_format=, comment=) holding the escaped value."""
        cell = WriteOnlyCell(self.worksheet, value=escape_cell(value))
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    def append_row(self, values: Iterable[Any], **style) -> None:
        """Append one row; plain values are escaped, cells made by `cell` are kept, `style` applies to all."""
        row = []
        for value in values:
            if isinstance(value, Cell):  # what WriteOnlyCell makes
                if value.data_type == "f":  # a cell built elsewhere never carries a formula either
                    value.value = escape_cell(value.value)
                row.append(value)
            elif style:
                row.append(self.cell(value, **style))
            else:
                row.append(escape_cell(value))
        self.worksheet.append(row)

    def set_widths(self, widths: Iterable[float | None]) -> None:
        for index, width in enumerate(widths, start=1):
            if width:
                self.worksheet.column_dimensions[get_column_letter(index)].width = width

    def freeze(self, cell: str) -> None:
        self.worksheet.freeze_panes = cell

    def add_data_validation(self, validation: DataValidation) -> None:
        self.worksheet.data_validations.append(validation)


class ExcelBook:
    """A write-only workbook whose sheets escape every value (see the module docstring)."""

    def __init__(self) -> None:
        self._book = Workbook(write_only=True)

    def sheet(self, title: str, index: int | None = None) -> Sheet:
        """A new sheet, last or at `index`; titles are cut to Excel's 31 characters."""
        return Sheet(self._book.create_sheet(title=str(title)[:31], index=index))

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._book.save(buffer)
        return buffer.getvalue()


def workbook_response(data: bytes, filename: str) -> FileResponse:
    """The workbook as a download; Django encodes a Chinese `filename` as RFC 5987 `filename*`."""
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=str(filename), content_type=XLSX)
