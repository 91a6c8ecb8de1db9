"""The one safe way to read an uploaded .xlsx: sizes checked before openpyxl sees the file, rows read unpadded.

An .xlsx is a zip of XML parts, and openpyxl believes what the parts say: a `<dimension ref="A1:XFD1048576">`
makes it pad every row to 16,384 cells, three million shared strings are all loaded before the first row,
and a member may inflate a thousandfold. `check_xlsx` therefore looks at the zip before openpyxl does and
refuses, with a Chinese message naming the limit (`XlsxRefused`):

- an upload over `MAX_UPLOAD_BYTES` (20 MB; the roster page, the roster API and the command share it),
- a file that is not a zip, more than `MAX_ENTRIES` members, a member over `MAX_MEMBER_BYTES` uncompressed
  or inflating more than `MAX_RATIO` times, all members together over `MAX_TOTAL_BYTES`,
- more shared strings than the caller's cell limit (counted in the part, not taken from its `count`),
- a worksheet whose declared `<dimension>` or whose actual rows go past `XlsxLimits.sheet_rows`, whose
  declared width passes `MAX_DECLARED_COLUMNS`, or that holds more than `XlsxLimits.cells` cells.

Python's zipfile never inflates past a member's declared size (and fails its CRC when the header lies), so
the declared sizes bound the work. `sheet_rows` then reads the checked file with `read_only=True`, the
caller's reading width (`max_col`, never the claimed one) and no trailing padding, so memory stays
proportional to the caller's limits whatever the file claims.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import load_workbook

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 20 * MB
MAX_ENTRIES = 500
MAX_MEMBER_BYTES = 150 * MB
MAX_TOTAL_BYTES = 300 * MB
MAX_RATIO = 200  # xlsx XML deflates 5-50 times; only a crafted member inflates more
MAX_DECLARED_COLUMNS = 200
EXCEL_LAST_ROW = 1_048_576
_CHUNK = MB
_MULTIPART_OVERHEAD = 64 * 1024  # boundaries, part headers and a few form fields
_HEAD = 64 * 1024

# Tags are counted with bytes.count (no allocation per tag, even for millions of them); a namespace prefix
# (`<x:c>`), which openpyxl's namespace-aware parser accepts too, is rare and counted by a regex.
_ENDS = (b" ", b">", b"/", b"\t", b"\n", b"\r")
_PREFIXED = re.compile(rb"<[A-Za-z_][\w.-]*:(si|c|row)[\s>/]")
_ROW_NUMBER = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\b[^>]*?\sr\s*=\s*[\"'](\d+)")
_DIMENSION = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*?\sref\s*=\s*[\"']([A-Za-z]{1,4})?(\d*)(?::([A-Za-z]{1,4})(\d+))?"
)


class XlsxRefused(Exception):
    """The upload is refused before it is read; `str(exc)` is the Chinese reason (it names the limit).

    `code` is "unreadable" (not an .xlsx at all: a caller may say so in its own words) or "limit".
    """

    def __init__(self, message: str, code: str = "limit") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class XlsxLimits:
    """What a caller accepts: the rows a sheet may span (header, blank and data rows), the cells it may
    hold (also the cap on shared strings), and the columns it reads (cells to the right are not read)."""

    sheet_rows: int
    cells: int
    read_columns: int = MAX_DECLARED_COLUMNS


def read_upload(file_obj, *, max_bytes: int = MAX_UPLOAD_BYTES) -> tuple[bytes, str]:
    """The bytes and base name of an upload (UploadedFile, open binary file or bytes), refused over `max_bytes`.

    An upload's declared size is checked before anything is read, and reading stops one byte past the cap.
    """
    if isinstance(file_obj, bytes | bytearray):
        data, name = bytes(file_obj), ""
    else:
        name = os.path.basename(getattr(file_obj, "name", "") or "")
        size = getattr(file_obj, "size", None)
        if size is not None and size > max_bytes:
            raise XlsxRefused(too_large_message(size, max_bytes))
        if hasattr(file_obj, "seek"):
            file_obj.seek(0)  # a form may have looked at the upload already
        data = file_obj.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise XlsxRefused(too_large_message(len(data), max_bytes))
    return data, name


def too_large_message(size: int, limit: int = MAX_UPLOAD_BYTES) -> str:
    """The Chinese refusal of an upload of `size` bytes over `limit`."""
    return _("文件过大（%(size).1f MB）：上传的 Excel 文件不能超过 %(limit)d MB，请分批导入。") % {
        "size": size / MB,
        "limit": limit // MB,
    }


def request_too_large(request, *, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """A refusal when the request's declared body is bigger than the file cap plus multipart overhead, else "".

    Lets a view answer before the body is received and spooled (a 100 MB upload is never read).
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return ""
    return too_large_message(length, max_bytes) if length > max_bytes + _MULTIPART_OVERHEAD else ""


def _unreadable() -> XlsxRefused:
    return XlsxRefused(
        _("无法读取文件：不是有效的 Excel 工作簿（.xlsx），请用 Excel 另存为 .xlsx 后重试。"), code="unreadable"
    )


def check_xlsx(data: bytes, limits: XlsxLimits) -> None:
    """Refuse (`XlsxRefused`) a workbook that would cost more to read than `limits` allow; see the module doc."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise XlsxRefused(too_large_message(len(data), MAX_UPLOAD_BYTES))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # zipfile raises several types for what is not a zip
        raise _unreadable() from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ENTRIES:
            raise XlsxRefused(
                _("文件结构异常：压缩包内有 %(n)d 个部件，Excel 工作簿最多 %(limit)d 个。")
                % {"n": len(members), "limit": MAX_ENTRIES}
            )
        total = 0
        for info in members:
            total += info.file_size
            ratio_too_high = info.file_size > MB and info.file_size > MAX_RATIO * max(info.compress_size, 1)
            if info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES or ratio_too_high:
                raise XlsxRefused(
                    _(
                        "文件结构异常（疑似压缩炸弹）：解压后超过 %(limit)d MB 或压缩比超过 %(ratio)d 倍，"
                        "请用 Excel 另存为 .xlsx 后重试。"
                    )
                    % {"limit": MAX_MEMBER_BYTES // MB, "ratio": MAX_RATIO}
                )
        for info in members:
            _scan_member(archive, info, limits)


def _scan_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: XlsxLimits) -> None:
    """Count shared strings, rows and cells of one part by streaming it (any part: rels may rename sheets)."""
    strings = cells = rows = last_row = 0
    carry, head = b"", b""
    try:
        with archive.open(info) as member:
            while True:
                chunk = member.read(_CHUNK)
                if not chunk:
                    break
                if len(head) < _HEAD:
                    head += chunk[: _HEAD - len(head)]
                    _check_dimension(head, limits)
                buffer = carry + chunk
                cut = buffer.rfind(b"<")  # a tag never contains "<": everything before it holds whole tags
                if cut < 0:
                    cut = len(buffer)
                scanned, carry = buffer[:cut], buffer[cut:]
                if len(carry) > _CHUNK:  # no "<" for a megabyte: text, nothing to count
                    carry = b""
                found = _count_tags(scanned)
                strings, cells, rows = strings + found[b"si"], cells + found[b"c"], rows + found[b"row"]
                numbers = _ROW_NUMBER.findall(scanned)
                if numbers:
                    last_row = max(last_row, max(int(n) for n in numbers))
                _check_counts(strings, cells, max(rows, last_row), limits)
            found = _count_tags(carry)
            _check_counts(strings + found[b"si"], cells + found[b"c"], max(rows + found[b"row"], last_row), limits)
    except XlsxRefused:
        raise
    except Exception:  # zipfile, zlib, bz2 and lzma raise their own types for a damaged member
        raise _unreadable() from None


def _count_tags(buffer: bytes) -> dict[bytes, int]:
    found = {name: sum(buffer.count(b"<" + name + end) for end in _ENDS) for name in (b"si", b"c", b"row")}
    for name in _PREFIXED.findall(buffer):
        found[name] += 1
    return found


def _check_dimension(head: bytes, limits: XlsxLimits) -> None:
    match = _DIMENSION.search(head)
    if not match:
        return
    _first_col, first_row, last_col, last_row = match.groups()
    columns = _column_number(last_col) if last_col else 1
    row = int(last_row or first_row or 0)
    if row > limits.sheet_rows or columns > MAX_DECLARED_COLUMNS:
        reference = match.group(0).split(b"=", 1)[-1].strip(b"\"' ").decode("ascii", "replace")
        raise XlsxRefused(
            _(
                "工作表声明的数据范围 %(ref)s 过大：最多 %(rows)d 行、%(cols)d 列。"
                "请删除多余的行和列（含只设了格式的空行），或分批导入。"
            )
            % {"ref": reference, "rows": limits.sheet_rows, "cols": MAX_DECLARED_COLUMNS}
        )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number


def _check_counts(strings: int, cells: int, rows: int, limits: XlsxLimits) -> None:
    if rows > limits.sheet_rows:
        raise XlsxRefused(
            _("工作表超过 %(rows)d 行（含只设了格式的空行）：请删除多余的行，或分批导入。")
            % {"rows": limits.sheet_rows}
        )
    if cells > limits.cells:
        raise XlsxRefused(
            _("工作表的单元格超过 %(cells)d 个：请删除多余的行和列，或分批导入。") % {"cells": limits.cells}
        )
    if strings > limits.cells:
        raise XlsxRefused(_("工作簿中的文字超过 %(n)d 条：请删除多余的内容，或分批导入。") % {"n": limits.cells})


@contextmanager
def sheet_rows(data: bytes, limits: XlsxLimits, *, sheet: str | None = None) -> Iterator[Iterator[tuple]]:
    """Rows (value tuples `limits.read_columns` wide) of the sheet named `sheet`, else the first, of a
    workbook already passed by `check_xlsx`. The `<dimension>` is ignored: no row is padded past the
    reading width and no blank row is made up after the last one. Raises `XlsxRefused` when openpyxl
    cannot open the file; errors while iterating are the caller's to handle.
    """
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises zip, XML and key errors alike for a file that is not .xlsx
        raise _unreadable() from None
    try:
        if not book.worksheets:
            raise _unreadable()
        worksheet = book[sheet] if sheet and sheet in book.sheetnames else book.worksheets[0]
        if not hasattr(worksheet, "reset_dimensions"):  # a chart sheet has no rows
            raise _unreadable()
        worksheet.reset_dimensions()
        yield worksheet.iter_rows(max_col=limits.read_columns, values_only=True)
    finally:
        book.close()
