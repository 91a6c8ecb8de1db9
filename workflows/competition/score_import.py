"""民主测评 and 工作业绩 scores from a workbook: the template (prefilled with the qualified candidates) and the import.

The sheet has a title row naming the competition and its number (竞聘编号), then the header row
序号 / 姓名 / 岗位 / 民主测评成绩 / 工作业绩成绩, then one row per candidate. `other_scores_import` guarantees:
- only the case's school secretary may import, and only while the sitting is open (as `other_scores_enter`);
- every row is checked before anything is written: a row names a qualified candidate of this case by post and
  draw number, with the same name, once; both scores pass `services._score`;
- any problem refuses the whole file (ValidationError, code `import`) with one Chinese message per problem,
  naming the Excel row and column; nothing is written then;
- a valid file is written in one transaction with one audit event (`competition.other_scores_import`);
- the file is checked against `LIMITS` before openpyxl reads it, and read at most 50 columns wide
  (cadres.xlsx_guard); names the template escaped against formula injection (`'=…`) read back unescaped.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font

from cadres.excel import ExcelBook, unescape_cell
from cadres.models import Post
from cadres.roles import Role, has_role, is_bureau_user, profile_of
from cadres.xlsx_guard import XlsxLimits, XlsxRefused, check_xlsx, read_upload, sheet_rows

from .models import Competition, Registration, RegStatus, State
from .plan import plan_posts
from .services import _event, _locked, _score

SHEET = "民主测评和工作业绩"
NUMBER, NAME, POST, EVALUATION, PERFORMANCE = "序号", "姓名", "岗位", "民主测评成绩", "工作业绩成绩"
HEADERS = (NUMBER, NAME, POST, EVALUATION, PERFORMANCE)
CASE_MARK = re.compile(r"竞聘编号\s*[:：]\s*(\d+)")
HEADER_SEARCH_ROWS = 5
MAX_ROWS = 2000
# Checked before openpyxl reads the file (cadres.xlsx_guard): a few blank rows, ~10 filled columns a row.
LIMITS = XlsxLimits(sheet_rows=MAX_ROWS + 500, cells=(MAX_ROWS + 500) * 10, read_columns=50)


@dataclass(frozen=True)
class _Problem:
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return _("第%(row)s行“%(column)s”：%(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass(frozen=True)
class _Row:
    registration: Registration
    evaluation: Decimal
    performance: Decimal


def may_import(user, case: Competition) -> bool:
    """The case's school secretary (the role of the scoring step)."""
    profile = profile_of(user)
    return (
        has_role(user, Role.SCHOOL_SECRETARY)
        and not is_bureau_user(user)
        and bool(profile and profile.organization_id == case.organization_id)
    )


def candidates(case: Competition):
    """The qualified candidates of the case, by post and draw number."""
    return (
        case.registrations.filter(status=RegStatus.QUALIFIED)
        .select_related("person", "post")
        .order_by("post_id", "number", "pk")
    )


def score_template(case: Competition) -> bytes:
    """The workbook to fill in: a title row with the case's number, the headers, one row per qualified candidate."""
    book = ExcelBook()
    sheet = book.sheet(SHEET)
    sheet.set_widths((8, 12, 16, 14, 14))
    sheet.freeze("A3")
    sheet.append_row([f"{case.title}　民主测评和工作业绩成绩（竞聘编号：{case.pk}）"])
    sheet.append_row(HEADERS, font=Font(bold=True), alignment=Alignment(horizontal="center"))
    for reg in candidates(case):
        # names and posts are escaped (cadres.excel); the import reads them back with unescape_cell
        sheet.append_row([reg.number, reg.person.name, reg.post.name, reg.evaluation, reg.performance])
    return book.to_bytes()


def _text(value) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", str(value))) if value is not None else ""


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _unreadable() -> ValidationError:
    return ValidationError(
        _("无法读取文件：请上传 Excel 工作簿（.xlsx），可先下载本次竞聘的成绩导入模板。"), code="import"
    )


def _sheet_rows(data: bytes) -> list[tuple]:
    """The sheet's rows, at most `LIMITS.read_columns` wide, text unescaped (`cadres.excel.unescape_cell`)."""
    try:
        check_xlsx(data, LIMITS)
    except XlsxRefused as exc:
        raise (_unreadable() if exc.code == "unreadable" else ValidationError(str(exc), code="import")) from None
    try:
        with sheet_rows(data, LIMITS, sheet=SHEET) as values_of_rows:
            rows = []
            for values in values_of_rows:
                rows.append(tuple(unescape_cell(v) for v in values))
                if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                    raise ValidationError(_("文件超过%(n)s行，不是成绩导入文件。") % {"n": MAX_ROWS}, code="import")
        return rows
    except ValidationError:
        raise
    except XlsxRefused:
        raise _unreadable() from None
    except Exception:
        raise ValidationError(
            _("无法读取文件：工作表内容已损坏，请用 Excel 另存为 .xlsx 后重试。"), code="import"
        ) from None


def _columns(rows: list[tuple], case: Competition) -> tuple[int, dict[str, int]]:
    """The header row's Excel number and the column index of each header; refuses a file of another case."""
    for number, values in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        texts = [_text(v) for v in values]
        if NUMBER in texts and NAME in texts:
            found: dict[str, int] = {}
            for index, text in enumerate(texts):
                if not text:
                    continue
                if text not in HEADERS:
                    raise ValidationError(
                        _("第%(row)s行有无法识别的列“%(column)s”：列名应为%(headers)s。")
                        % {"row": number, "column": text, "headers": "、".join(HEADERS)},
                        code="import",
                    )
                if text in found:
                    raise ValidationError(
                        _("第%(row)s行列名“%(column)s”重复。") % {"row": number, "column": text}, code="import"
                    )
                found[text] = index
            missing = [h for h in HEADERS if h not in found]
            if missing:
                raise ValidationError(
                    _("第%(row)s行缺少列：%(columns)s。") % {"row": number, "columns": "、".join(missing)},
                    code="import",
                )
            return number, found
        for text in texts:
            mark = CASE_MARK.search(text)
            if mark and int(mark.group(1)) != case.pk:
                raise ValidationError(
                    _("该文件是竞聘编号%(other)s的成绩表，不是本次竞聘（竞聘编号%(pk)s）的，请下载本次竞聘的模板。")
                    % {"other": mark.group(1), "pk": case.pk},
                    code="import",
                )
    raise ValidationError(
        _("找不到列名行：前%(n)s行中没有“序号”“姓名”列，列名应为%(headers)s。")
        % {"n": HEADER_SEARCH_ROWS, "headers": "、".join(HEADERS)},
        code="import",
    )


def _draw_number(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value > 0 else None
    text = _text(value)
    return int(text) if text.isascii() and text.isdigit() and int(text) > 0 else None


def _check_rows(case: Competition, rows: list[tuple], header: int, columns: dict[str, int]):
    by_name: dict[str, list[int]] = {}
    for post in Post.objects.filter(pk__in=plan_posts(case.rules)).order_by("pk"):
        by_name.setdefault(_text(post.name), []).append(post.pk)
    qualified = {(r.post_id, r.number): r for r in candidates(case)}
    problems: list[_Problem] = []
    parsed: list[_Row] = []
    seen: dict[int, int] = {}
    for number, values in enumerate(rows[header:], start=header + 1):

        def cell(column, values=values):
            index = columns[column]
            return values[index] if index < len(values) else None

        if all(_blank(cell(h)) for h in HEADERS):
            continue
        found = len(problems)
        for column in HEADERS:
            if _blank(cell(column)):
                problems.append(_Problem(number, column, _("必填，不能为空。")))
        if len(problems) > found:
            continue
        draw = _draw_number(cell(NUMBER))
        if draw is None:
            problems.append(_Problem(number, NUMBER, _("序号须为正整数，现为“%(value)s”。") % {"value": cell(NUMBER)}))
        post_name = _text(cell(POST))
        post_ids = by_name.get(post_name, [])
        if not post_ids:
            problems.append(
                _Problem(number, POST, _("“%(post)s”不是本次竞聘的岗位，该行不属于本次竞聘。") % {"post": post_name})
            )
        elif len(post_ids) > 1:
            problems.append(
                _Problem(number, POST, _("本次竞聘有多个名为“%(post)s”的岗位，无法区分。") % {"post": post_name})
            )
        scores = {}
        for column in (EVALUATION, PERFORMANCE):
            try:
                scores[column] = _score(cell(column), _("成绩"))
            except ValidationError as exc:
                problems.extend(_Problem(number, column, m) for m in exc.messages)
        if len(problems) > found:
            continue
        reg = qualified.get((post_ids[0], draw))
        if reg is None:
            problems.append(
                _Problem(
                    number,
                    NUMBER,
                    _("%(post)s没有序号为%(n)s的资格审查通过的竞聘人。") % {"post": post_name, "n": draw},
                )
            )
            continue
        name = _text(cell(NAME))
        if name != _text(reg.person.name):
            problems.append(
                _Problem(
                    number,
                    NAME,
                    _("“%(name)s”与%(post)s%(n)s号竞聘人%(person)s不符。")
                    % {"name": name, "post": post_name, "n": draw, "person": reg.person.name},
                )
            )
            continue
        if reg.pk in seen:
            problems.append(
                _Problem(
                    number,
                    NUMBER,
                    _("%(person)s的成绩已在第%(first)s行填写，不能重复。")
                    % {"person": reg.person.name, "first": seen[reg.pk]},
                )
            )
            continue
        seen[reg.pk] = number
        parsed.append(_Row(reg, scores[EVALUATION], scores[PERFORMANCE]))
    if not parsed and not problems:
        problems.append(_Problem(None, "", _("文件中没有成绩行：请在列名下方逐行填写竞聘人的成绩。")))
    return parsed, problems


@transaction.atomic
def other_scores_import(*, competition, acting_user, file) -> list[Registration]:
    """Import the democratic-evaluation and performance scores of a workbook; all rows or none.

    Raises PermissionDenied for anyone but the case's school secretary, ValidationError (codes `state`,
    `import`) otherwise; returns the registrations written, in the file's order.
    """
    case = _locked(competition)
    if not may_import(acting_user, case):
        raise PermissionDenied(_("只有本校党组织书记可以导入民主测评和工作业绩成绩。"))
    if case.state != State.SITTING_OPEN:
        raise ValidationError(_("评分进行期间方可录入民主测评和工作业绩成绩。"), code="state")
    try:
        data, filename = read_upload(file)  # refused over 20 MB before it is read (the page allows 2 MB)
    except XlsxRefused as exc:
        raise ValidationError(str(exc), code="import") from None
    rows = _sheet_rows(data)
    header, columns = _columns(rows, case)
    parsed, problems = _check_rows(case, rows, header, columns)
    if problems:
        raise ValidationError([str(p) for p in problems], code="import")
    for row in parsed:
        row.registration.evaluation, row.registration.performance = row.evaluation, row.performance
    Registration.objects.bulk_update([r.registration for r in parsed], ["evaluation", "performance"])
    _event(
        acting_user,
        "other_scores_import",
        case,
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        rows=len(parsed),
        scores=[
            [r.registration.person.name, r.registration.post.name, str(r.evaluation), str(r.performance)]
            for r in parsed
        ],
    )
    return [r.registration for r in parsed]
