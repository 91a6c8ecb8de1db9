"""The roster workbook layout, shared by the downloadable template and the export.

Sheets: 花名册 (header row, drop-downs on choice columns, ID and month columns formatted as text),
示例 (the template only: one filled-in row), 说明 (how to fill each column), 单位代码 (the units the file
may name, which the 单位代码 drop-down lists).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .. import choices as c
from ..excel import ExcelBook, Sheet
from ..idcard import make_id_number
from ..models import Organization
from .columns import COLUMNS, DATE_FORMATS_HINT, Column, file_labels

SHEET_ROSTER = "花名册"
SHEET_EXAMPLE = "示例"
SHEET_HELP = "说明"
SHEET_UNITS = "单位代码"
LAST_ROW = 1_048_576  # Excel's last row: drop-downs cover the whole column

_HEADER_FONT = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="FDE0DC")
_OPTIONAL_FILL = PatternFill("solid", fgColor="EEEEEE")
_TEXT_FORMAT = "@"
_WIDTHS = {"身份证号": 22, "姓名": 10, "性别": 6, "民族": 8, "单位代码": 12}


def _is_text_column(col: Column) -> bool:
    """Columns Excel must not turn into numbers (18-digit IDs lose digits, 1985.10 becomes 1985.1)."""
    return col.field in {"id_number", "record_birth_month", "organization"}


def _accepted_values(col: Column) -> str:
    if col.choices is not None:
        return "、".join(label for label in file_labels(col.choices) if label)
    if col.field == "record_birth_month":
        return _("年月，如 1985.03")
    if col.is_date:
        return _("日期，可填：%(formats)s") % {"formats": DATE_FORMATS_HINT}
    if col.field == "organization":
        return _("单位代码")
    return _("文字")


def _header_cell(sheet: Sheet, col: Column) -> Cell:
    note = (_("必填。") if col.required else "") + str(col.note or "")
    return sheet.cell(
        col.header,
        font=_HEADER_FONT,
        fill=_REQUIRED_FILL if col.required else _OPTIONAL_FILL,
        alignment=Alignment(horizontal="center"),
        comment=Comment(note, "CadreFlow", width=240, height=80) if note else None,
    )


def write_header(sheet: Sheet) -> None:
    """Column widths, text formats and the header row (before any other row: the sheet is write-only)."""
    for index, col in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.worksheet.column_dimensions[letter].width = _WIDTHS.get(col.header, 14)
        if _is_text_column(col):
            sheet.worksheet.column_dimensions[letter].number_format = _TEXT_FORMAT
    sheet.freeze("B2")
    sheet.append_row([_header_cell(sheet, col) for col in COLUMNS])


def _add_drop_downs(sheet: Sheet, unit_count: int) -> None:
    for index, col in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        if col.choices is not None:
            formula = '"' + ",".join(label for label in file_labels(col.choices) if label) + '"'
        elif col.field == "organization" and unit_count:
            formula = f"'{SHEET_UNITS}'!$A$2:$A${unit_count + 1}"
        else:
            continue
        dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False)
        dv.showErrorMessage = True
        dv.errorTitle = _("无效的值")
        dv.error = _("请从下拉列表中选择。")
        dv.add(f"{letter}2:{letter}{LAST_ROW}")
        sheet.add_data_validation(dv)


def _write_help(sheet: Sheet) -> None:
    general = [
        _("填写说明"),
        _("1. 在“花名册”表中每行填写一人，第一行为列名，请勿修改列名；“序号”“备注”列可以保留，导入时忽略。"),
        _("2. 以身份证号识别人员：已登记的人员按本行更新，未登记的人员新增。"),
        _(
            "3. 空白单元格不修改已登记的数据；"
            "新增人员的空白项取默认值（民族：汉族，政治面貌：群众，健康状况：健康，在职状态：在职）。"
        ),
        _("4. 日期可填 Excel 日期，或 %(formats)s（只填年月时取当月1日）。") % {"formats": DATE_FORMATS_HINT},
        _("5. 选项列请从下拉列表中选择中文名称。"),
        _("6. 学历按“教育类别+学历”登记：已有同类同学历的记录时更新其学位、院校和专业，否则新增一条。"),
        _("7. 导入前校验全部行：只要有一处错误，整个文件都不导入，并列出每处错误的行号、列名和原因。"),
        _("8. 学校用户只能导入本单位的人员。"),
    ]
    sheet.set_widths((16, 10, 50, 60))
    sheet.append_row([general[0]], font=Font(bold=True, size=14))
    for line in general[1:]:
        sheet.append_row([line])
    sheet.append_row([])
    sheet.append_row([_("列名"), _("是否必填"), _("可填写的值"), _("说明")], font=_HEADER_FONT)
    for col in COLUMNS:
        sheet.append_row([col.header, _("是") if col.required else _("否"), _accepted_values(col), str(col.note or "")])


def _write_units(sheet: Sheet, organizations: Sequence[Organization]) -> None:
    sheet.set_widths((14, 36))
    sheet.append_row([_("单位代码"), _("单位名称")], font=_HEADER_FONT)
    for org in organizations:
        sheet.append_row([org.code, org.name])


def new_roster_workbook(organizations: Iterable[Organization]) -> tuple[ExcelBook, Sheet]:
    """A workbook with the roster sheet first (header only), then 说明 and 单位代码; returns it and the roster sheet.

    The roster sheet takes its rows after this returns (`Sheet.append_row`, which escapes formula-like text).
    """
    organizations = list(organizations)
    book = ExcelBook()
    roster = book.sheet(SHEET_ROSTER)
    write_header(roster)
    _add_drop_downs(roster, len(organizations))
    _write_help(book.sheet(SHEET_HELP))
    _write_units(book.sheet(SHEET_UNITS), organizations)
    return book, roster


def _example_values(organizations: Sequence[Organization]) -> dict[str, Any]:
    birth = dt.date(1985, 3, 12)
    return {
        "身份证号": make_id_number("110101", birth, 1, c.Sex.FEMALE),
        "姓名": "李晓梅",
        "性别": "女",
        "出生日期": birth,
        "档案出生年月": "1985.03",
        "民族": "汉族",
        "籍贯": "山东济南",
        "出生地": "山东济南",
        "政治面貌": "中共党员",
        "入党时间": dt.date(2006, 6, 1),
        "参加工作时间": dt.date(2007, 8, 1),
        "健康状况": "健康",
        "单位代码": organizations[0].code if organizations else "S0001",
        "任教学科": "语文",
        "在职状态": "在职",
        "专业技术职务": "一级教师",
        "取得资格时间": "2015.12",
        "全日制学历": "大学本科",
        "全日制学位": "学士",
        "全日制毕业院校": "山东师范大学",
        "全日制专业": "汉语言文学",
        "在职学历": "硕士研究生",
        "在职学位": "硕士",
        "在职毕业院校": "北京师范大学",
        "在职专业": "教育管理",
    }


def build_template(*, organizations: Iterable[Organization]) -> bytes:
    """The downloadable .xlsx template: an empty 花名册, a 示例 row, 说明, and the given units' codes."""
    organizations = list(organizations)
    book, _roster = new_roster_workbook(organizations)
    example = book.sheet(SHEET_EXAMPLE, index=1)
    write_header(example)
    values = _example_values(organizations)
    example.append_row([values.get(col.header) for col in COLUMNS])
    return book.to_bytes()
