"""Roster (花名册) import: check every row, then write the whole file in one transaction, or nothing.

Guarantees of `import_roster`:
- Nothing is written unless every row is valid; the result then lists each problem with its Excel row,
  its column header and a reason in Chinese.
- A valid file is written in one transaction with bulk statements, plus exactly one audit event
  (action "roster_import", object "cadres.roster" / the file's SHA-256).
- A person is found by 身份证号: an existing one is updated, otherwise a new one is created. An empty cell
  leaves the stored value as it is (a new person gets the model's default). Re-importing an export changes
  nothing (text the export escaped against formula injection, `'=…`, reads back without the apostrophe).
- A school-level user touches only people of their own school.
- A file over 20 MB, a zip bomb, or a sheet claiming or holding more than `LIMITS` is refused before
  openpyxl reads it, and rows are never padded past 200 columns (cadres.xlsx_guard); at most `MAX_ROWS`
  data rows.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event

from ..excel import ExcelBook, unescape_cell
from ..idcard import IdCardError, IdCardInfo, parse_id_number
from ..models import Education, Organization, Person, TitleHistory
from ..name_keys import SEARCH_KEY_FIELDS, fill_search_keys
from ..roles import Role, has_role, is_bureau_user, organization_of
from ..xlsx_guard import XlsxLimits, XlsxRefused, check_xlsx, read_upload, sheet_rows
from .columns import (
    BY_HEADER,
    COLUMNS,
    EDUCATION_GROUPS,
    HEADERS,
    IGNORED_HEADERS,
    PERSON,
    PERSON_DEFAULTS,
    PERSON_FIELDS,
    REQUIRED_HEADERS,
    TITLE,
    CellError,
    Column,
    header_of,
)
from .template import SHEET_ROSTER

MAX_ROWS = 20_000  # data rows in one file; a larger unit imports in parts
HEADER_SEARCH_ROWS = 10
# The sheet may span the data rows plus the header and some blank or formatted rows; cells (also the cap on
# shared strings) allow 30 filled columns per row. On 2 idle cores a file at these limits reads in ~10 s.
LIMITS = XlsxLimits(sheet_rows=MAX_ROWS + 1_000, cells=MAX_ROWS * 30)
BATCH_SIZE = 1000
_QUERY_CHUNK = 500  # stays below every backend's limit on query parameters

ID_KEY = (PERSON, "id_number")
_COLUMN_ORDER = {header: index for index, header in enumerate(HEADERS, start=1)}
_PERSON_ATTNAMES = {name: Person._meta.get_field(name).attname for name in PERSON_FIELDS}
_NOT_CLEANED = ("organization", "photo", "created_at", "updated_at")


@dataclass(frozen=True)
class RowError:
    """One problem: the Excel row (None for the file as a whole), the column header ("" if none), why."""

    row: int | None
    column: str
    message: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    filename: str = ""
    sha256: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class RosterScope:
    """The units a user may import and export: every unit when `organization_id` is None."""

    organization_id: int | None

    def allows(self, organization_id: int | None) -> bool:
        return self.organization_id is None or organization_id == self.organization_id


def roster_scope(user) -> RosterScope | None:
    """Bureau personnel officers (and superusers) handle every unit, school secretaries their own school.

    None means the user may not use the roster at all.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser or (has_role(user, Role.PERSONNEL_OFFICER) and is_bureau_user(user)):
        return RosterScope(None)
    if has_role(user, Role.SCHOOL_SECRETARY):
        org = organization_of(user)
        if org is not None and not org.is_bureau:
            return RosterScope(org.pk)
    return None


class RosterFileError(Exception):
    """The file as a whole cannot be read as a roster; the message says why."""


class _Errors:
    """Problems in the order found, each reported once."""

    def __init__(self) -> None:
        self._items: dict[RowError, None] = {}

    def add(self, row: int | None, column: str, message: str) -> None:
        self._items.setdefault(RowError(row, column, str(message)), None)

    def __bool__(self) -> bool:
        return bool(self._items)

    def sorted(self) -> list[RowError]:
        return sorted(self._items, key=lambda e: (e.row or 0, _COLUMN_ORDER.get(e.column, 0)))


@dataclass
class _Row:
    number: int
    values: dict[tuple[str, str], Any] = field(default_factory=dict)
    failed: set[tuple[str, str]] = field(default_factory=set)
    id_info: IdCardInfo | None = None

    def group(self, name: str) -> dict[str, Any]:
        return {f: v for (g, f), v in self.values.items() if g == name}


# --- reading the file ------------------------------------------------------------------------------------


def _upload_name(file_obj) -> str:
    return os.path.basename(getattr(file_obj, "name", "") or "")


def _header_text(value: Any) -> str:
    """A header cell without marks people add: spaces, asterisks, a note in brackets."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = re.sub(r"\(.*?\)", "", text)
    return re.sub(r"[\s*]", "", text)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _columns_of(header: tuple) -> dict[int, Column]:
    found: dict[int, Column] = {}
    unknown, duplicate, seen = [], [], set()
    for index, value in enumerate(header):
        text = _header_text(value)
        if not text or text in IGNORED_HEADERS:
            continue
        col = BY_HEADER.get(text)
        if col is None:
            unknown.append(text)
        elif text in seen:
            duplicate.append(text)
        else:
            seen.add(text)
            found[index] = col
    missing = [h for h in REQUIRED_HEADERS if h not in seen]
    if missing:
        raise RosterFileError(_("缺少必填列：%(cols)s。请使用导入模板。") % {"cols": "、".join(missing)})
    if duplicate:
        raise RosterFileError(_("列名重复：%(cols)s。") % {"cols": "、".join(duplicate)})
    if unknown:
        raise RosterFileError(
            _("无法识别的列：%(cols)s。请删除这些列，或改用导入模板中的列名。") % {"cols": "、".join(unknown)}
        )
    return found


def _read_sheet(data: bytes) -> tuple[dict[int, Column], list[tuple[int, tuple]]]:
    """The roster sheet's columns by index and its non-empty data rows with their Excel row numbers.

    The file is checked against `LIMITS` first and read at most `LIMITS.read_columns` wide (cadres.xlsx_guard).
    """
    try:
        check_xlsx(data, LIMITS)
    except XlsxRefused as exc:
        raise RosterFileError(_unreadable_message() if exc.code == "unreadable" else str(exc)) from None
    try:
        with sheet_rows(data, LIMITS, sheet=SHEET_ROSTER) as rows:
            columns, data_rows = _header_and_rows(rows)
    except RosterFileError:
        raise
    except XlsxRefused:
        raise RosterFileError(_unreadable_message()) from None
    except Exception:
        raise RosterFileError(_("无法读取文件：工作表内容已损坏，请用 Excel 另存为 .xlsx 后重试。")) from None
    if not data_rows:
        raise RosterFileError(_("文件中没有数据行：请在列名下方逐行填写人员。"))
    return columns, data_rows


def _unreadable_message() -> str:
    return _("无法读取文件：请上传 Excel 工作簿（.xlsx）格式的花名册。")


def _header_and_rows(rows: Iterator[tuple]) -> tuple[dict[int, Column], list[tuple[int, tuple]]]:
    columns, header_number, seen_content = None, 0, False
    for number, values in enumerate(rows, start=1):
        if any(_header_text(v) == "身份证号" for v in values):
            columns, header_number = _columns_of(values), number
            break
        seen_content = seen_content or any(not _blank(v) for v in values)
        if number >= HEADER_SEARCH_ROWS:
            break
    if columns is None:
        if not seen_content:
            raise RosterFileError(_("文件是空的：第一张工作表中没有列名和数据。"))
        raise RosterFileError(
            _("找不到列名行：前 %(n)d 行中没有“身份证号”列。请使用导入模板。") % {"n": HEADER_SEARCH_ROWS}
        )
    data_rows = []
    for number, values in enumerate(rows, start=header_number + 1):
        if all(_blank(values[i]) for i in columns if i < len(values)):
            continue
        data_rows.append((number, values))
        if len(data_rows) > MAX_ROWS:
            raise RosterFileError(_("文件超过 %(n)d 行，请分批导入。") % {"n": MAX_ROWS})
    return columns, data_rows


def _parse_rows(columns: dict[int, Column], data_rows: list[tuple[int, tuple]], errors: _Errors) -> list[_Row]:
    present = set(columns.values())
    required = [col for col in COLUMNS if col.required and col in present]
    parsed = []
    for number, values in data_rows:
        row = _Row(number)
        for index, col in columns.items():
            raw = unescape_cell(values[index]) if index < len(values) else None
            if _blank(raw):
                continue
            try:
                row.values[col.key] = col.parse(raw)
            except CellError as exc:
                errors.add(number, col.header, str(exc))
                row.failed.add(col.key)
        for col in required:
            if col.key not in row.values and col.key not in row.failed:
                errors.add(number, col.header, _("必填项，不能为空。"))
                row.failed.add(col.key)
        parsed.append(row)
    return parsed


# --- checking against the registry ----------------------------------------------------------------------


def _chunks(items: list, size: int = _QUERY_CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _education_sort_key(education: Education):
    return (education.end_date is not None, education.end_date, education.pk)


@dataclass
class _Plan:
    new_people: list[Person] = field(default_factory=list)
    changed_people: list[Person] = field(default_factory=list)
    person_fields: set[str] = field(default_factory=set)
    new_titles: list[TitleHistory] = field(default_factory=list)
    new_educations: list[Education] = field(default_factory=list)
    changed_educations: list[Education] = field(default_factory=list)
    education_fields: set[str] = field(default_factory=set)
    updated: int = 0
    unchanged: int = 0


class _Planner:
    """Checks parsed rows against the registry and the user's scope, and plans the writes."""

    def __init__(self, scope: RosterScope, errors: _Errors) -> None:
        self.scope = scope
        self.errors = errors
        self.plan = _Plan()
        self.organizations = {o.code: o for o in Organization.objects.all()}

    def run(self, rows: list[_Row]) -> _Plan:
        self._check_id_numbers(rows)
        self._load_existing([row.id_info.number for row in rows if row.id_info])
        for row in rows:
            self._plan_row(row)
        return self.plan

    def _check_id_numbers(self, rows: list[_Row]) -> None:
        first_row: dict[str, int] = {}
        for row in rows:
            raw = row.values.get(ID_KEY)
            if raw is None:
                continue
            try:
                info = parse_id_number(raw)
            except IdCardError as exc:
                self.errors.add(row.number, "身份证号", str(exc))
                row.failed.add(ID_KEY)
                continue
            if info.number in first_row:
                self.errors.add(
                    row.number, "身份证号", _("与第 %(row)d 行的身份证号重复。") % {"row": first_row[info.number]}
                )
                row.failed.add(ID_KEY)
                continue
            first_row[info.number] = row.number
            row.id_info = info

    def _load_existing(self, numbers: list[str]) -> None:
        self.existing: dict[str, Person] = {}
        for chunk in _chunks(numbers):
            self.existing.update((p.id_number, p) for p in Person.objects.filter(id_number__in=chunk))
        person_ids = [p.pk for p in self.existing.values()]
        self.titles: dict[int, set] = defaultdict(set)
        self.educations: dict[int, dict[tuple[str, str], Education]] = defaultdict(dict)
        for chunk in _chunks(person_ids):
            for person_id, title, obtained in TitleHistory.objects.filter(person_id__in=chunk).values_list(
                "person_id", "title", "obtained_on"
            ):
                self.titles[person_id].add((title, obtained))
            for education in sorted(Education.objects.filter(person_id__in=chunk), key=_education_sort_key):
                # the latest of a kind and level wins, as in the export
                self.educations[education.person_id][(education.kind, education.level)] = education

    def _plan_row(self, row: _Row) -> None:
        values = row.group(PERSON)
        organization = self._organization(row, values.pop("organization", None))
        existing = self.existing.get(row.id_info.number) if row.id_info else None
        if existing is not None and not self.scope.allows(existing.organization_id):
            self.errors.add(row.number, "身份证号", _("无权导入其他单位人员：该身份证号已登记在其他单位。"))
            return
        if existing is not None:
            person = existing
            before = {name: getattr(person, attname) for name, attname in _PERSON_ATTNAMES.items()}
        else:
            person, before = Person(**PERSON_DEFAULTS), None
        for name, value in values.items():
            setattr(person, name, value)
        if organization is not None:
            person.organization = organization
        if row.id_info is not None:
            person.id_number = row.id_info.number
            if "birth_date" not in values and (PERSON, "birth_date") not in row.failed:
                person.birth_date = row.id_info.birth_date
        elif "birth_date" not in values:
            row.failed.add((PERSON, "birth_date"))  # to be taken from an ID number that has its own error
        self._clean_person(row, person)
        educations_changed = self._plan_educations(row, person, existing)
        titles_added = self._plan_title(row, person, existing)
        if existing is None:
            self.plan.new_people.append(person)
            return
        changed = {name for name, attname in _PERSON_ATTNAMES.items() if getattr(person, attname) != before[name]}
        if changed:
            self.plan.changed_people.append(person)
            self.plan.person_fields |= changed
        if changed or educations_changed or titles_added:
            self.plan.updated += 1
        else:
            self.plan.unchanged += 1

    def _organization(self, row: _Row, code: str | None) -> Organization | None:
        if code is None:
            return None
        organization = self.organizations.get(code)
        if organization is None:
            self.errors.add(row.number, "单位代码", _("单位代码“%(code)s”不存在。") % {"code": code})
        elif not self.scope.allows(organization.pk):
            self.errors.add(row.number, "单位代码", _("无权导入其他单位人员。"))
        else:
            return organization
        return None

    def _clean_person(self, row: _Row, person: Person) -> None:
        """Person.full_clean without the checks that query the database (unit and uniqueness are ours).

        A cell that could not be read already has its error; what the model says about it is left out.
        """
        failed = {name for group, name in row.failed if group == PERSON}
        try:
            person.full_clean(exclude={*_NOT_CLEANED, *failed}, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                if name in failed:
                    continue
                header = "" if name == NON_FIELD_ERRORS else header_of(PERSON, name)
                for message in messages:
                    self.errors.add(row.number, header, message)

    def _plan_educations(self, row: _Row, person: Person, existing: Person | None) -> bool:
        changed_any = False
        for kind in EDUCATION_GROUPS:
            values = row.group(kind)
            level = values.pop("level", None)
            if level is None:
                if values and (kind, "level") not in row.failed:
                    self.errors.add(
                        row.number,
                        header_of(kind, "level"),
                        _("填写了%(cols)s，须同时填写%(level)s。")
                        % {"cols": "、".join(header_of(kind, n) for n in values), "level": header_of(kind, "level")},
                    )
                continue
            current = self.educations[existing.pk].get((kind, level)) if existing is not None else None
            if current is not None:
                changes = {name: value for name, value in values.items() if getattr(current, name) != value}
                for name, value in changes.items():
                    setattr(current, name, value)
                if changes:
                    self.plan.changed_educations.append(current)
                    self.plan.education_fields |= set(changes)
                    changed_any = True
                continue
            if "institution" not in values:
                if (kind, "institution") not in row.failed:
                    self.errors.add(
                        row.number,
                        header_of(kind, "institution"),
                        _("填写%(level)s时须同时填写%(institution)s。")
                        % {"level": header_of(kind, "level"), "institution": header_of(kind, "institution")},
                    )
                continue
            self.plan.new_educations.append(
                Education(
                    person=person,
                    kind=kind,
                    level=level,
                    degree=values.get("degree", ""),
                    institution=values["institution"],
                    major=values.get("major", ""),
                )
            )
            changed_any = True
        return changed_any

    def _plan_title(self, row: _Row, person: Person, existing: Person | None) -> bool:
        values = row.group(TITLE)
        title, obtained = values.get("title"), values.get("obtained_on")
        if title is None and obtained is None:
            return False
        if obtained is None:
            if (TITLE, "obtained_on") not in row.failed:
                self.errors.add(
                    row.number, header_of(TITLE, "obtained_on"), _("填写专业技术职务时须填写取得资格时间。")
                )
            return False
        if title is None:
            if (TITLE, "title") not in row.failed:
                self.errors.add(row.number, header_of(TITLE, "title"), _("填写取得资格时间时须填写专业技术职务。"))
            return False
        if existing is not None and (title, obtained) in self.titles[existing.pk]:
            return False
        self.plan.new_titles.append(TitleHistory(person=person, title=title, obtained_on=obtained))
        return True


# --- writing ---------------------------------------------------------------------------------------------


def _write(plan: _Plan) -> None:
    for person in plan.new_people:  # bulk_create skips Person.save(), which keeps the picker's search keys
        fill_search_keys(person)
    Person.objects.bulk_create(plan.new_people, batch_size=BATCH_SIZE)
    missing = [p for p in plan.new_people if p.pk is None]
    if missing:  # backends that cannot return ids from a bulk insert
        by_number = {p.id_number: p for p in missing}
        for chunk in _chunks(list(by_number)):
            for number, pk in Person.objects.filter(id_number__in=chunk).values_list("id_number", "pk"):
                by_number[number].pk = pk
    if plan.changed_people:
        now = timezone.now()
        for person in plan.changed_people:
            person.updated_at = now
            fill_search_keys(person)
        Person.objects.bulk_update(
            plan.changed_people,
            [*sorted(plan.person_fields), "updated_at", *SEARCH_KEY_FIELDS],
            batch_size=BATCH_SIZE,
        )
    if plan.changed_educations:
        Education.objects.bulk_update(plan.changed_educations, sorted(plan.education_fields), batch_size=BATCH_SIZE)
    Education.objects.bulk_create(plan.new_educations, batch_size=BATCH_SIZE)
    TitleHistory.objects.bulk_create(plan.new_titles, batch_size=BATCH_SIZE)


def import_roster(file_obj, *, acting_user) -> ImportResult:
    """Import a roster workbook (an uploaded file, an open binary file or bytes) for `acting_user`.

    Raises PermissionDenied when the user may not import rosters at all; every other problem is
    reported in the result, and then nothing has been written.
    """
    scope = roster_scope(acting_user)
    if scope is None:
        raise PermissionDenied(_("无权导入花名册。"))
    try:
        data, filename = read_upload(file_obj)  # refused over 20 MB before it is read
    except XlsxRefused as exc:
        return ImportResult(errors=[RowError(None, "", str(exc))], filename=_upload_name(file_obj))
    result = ImportResult(filename=filename, sha256=hashlib.sha256(data).hexdigest())
    errors = _Errors()
    try:
        columns, data_rows = _read_sheet(data)
    except RosterFileError as exc:
        result.errors = [RowError(None, "", str(exc))]
        return result
    result.rows = len(data_rows)
    rows = _parse_rows(columns, data_rows, errors)
    try:
        with transaction.atomic():
            plan = _Planner(scope, errors).run(rows)
            if errors:
                result.errors = errors.sorted()
                return result
            _write(plan)
            result.created = len(plan.new_people)
            result.updated, result.unchanged = plan.updated, plan.unchanged
            record_event(
                actor=acting_user,
                action="roster_import",
                object_type="cadres.roster",
                object_id=result.sha256,
                payload={
                    "created": result.created,
                    "updated": result.updated,
                    "rows": result.rows,
                    "filename": filename,
                },
            )
    except IntegrityError:
        result.created = result.updated = result.unchanged = 0
        result.errors = [RowError(None, "", _("导入期间名册被其他操作修改，本次未导入任何数据，请重新导入。"))]
    return result


def errors_workbook(result: ImportResult) -> bytes:
    """The result's problems as an .xlsx report with the columns 行号, 列, 原因."""
    book = ExcelBook()
    sheet = book.sheet(_("错误清单"))
    sheet.set_widths((8, 16, 80))
    sheet.append_row([_("行号"), _("列"), _("原因")])
    for error in result.errors:
        sheet.append_row([error.row, error.column, error.message])
    return book.to_bytes()
