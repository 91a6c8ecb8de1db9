"""The veto's other uses: a list of teachers checked for 职称评聘, 评优奖励, 职务聘任 or 教师资格定期注册.

Guarantees of `check_list`:
- Each person's standing comes from the veto service (`veto.veto_from_records`, the one home of "blocked for
  purpose P on date D, by which record, until when"); nothing here recomputes a period. A reason carries the
  record (an 师德考核 or a sanction), its kind, its decision date and the veto's end date (exclusive; the
  person is no longer blocked on that day — the last blocked day is the day before, as the veto says).
- 教师资格定期注册 has the two outcomes of 《中小学教师资格定期注册暂行办法》 (教师〔2013〕9号): 暂缓注册 while the
  veto blocks registration, and 注册不合格 when two consecutive assessment years within the registration cycle
  were graded 不合格 (第十一条(二): "一个注册周期内连续两年以上年度考核不合格"; a 师德考核 不合格 makes that year's
  年度考核 不合格, so the ethics years are what this check reads). The cycle is not recorded per person, so
  the cycle checked is the `REGISTRATION_CYCLE_YEARS` assessment years ending with the year of the check.
  第十一条(一) (违反师德 "影响恶劣") is not recordable yet — neither the assessment nor the sanction stores it
  — so that ground is never asserted here; a case officer judges it outside the system.
- The whole list costs a fixed number of queries whatever its length (the rule set, failed assessments,
  sanctions), so the people must come with `organization` loaded.

`people_for_ids` matches submitted (name, 身份证号) rows within the submitter's scope: an ID number outside the
scope reads exactly like an unknown one, so a school never learns who works elsewhere. `read_id_sheet` reads
an uploaded .xlsx through the guarded reader (`cadres.xlsx_guard`), as the roster import does.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ..choices import EmploymentStatus
from ..models import Person
from ..roles import Role, has_role, is_bureau_user, organization_of
from ..xlsx_guard import XlsxLimits, XlsxRefused, check_xlsx, read_upload, sheet_rows
from .models import EthicsAssessment, EthicsGrade, Sanction
from .params import ethics_params
from .purposes import VetoPurpose
from .veto import VetoResult, veto_from_records

# The four purposes a submitted list is checked for, with the names the plan gives them (DOMAIN §10).
LIST_PURPOSES = {
    VetoPurpose.TITLE_PROMOTION: _lazy("职称评聘"),
    VetoPurpose.AWARD: _lazy("评优奖励"),
    VetoPurpose.POST_PROMOTION: _lazy("职务聘任"),
    VetoPurpose.TEACHER_REGISTRATION: _lazy("教师资格定期注册"),
}
REGISTRATION_CYCLE_YEARS = 5  # 教师〔2013〕9号 第二条: 每5年一个周期
CONSECUTIVE_FAILED_YEARS = 2  # 第十一条(二)


def list_purpose_choices() -> list[tuple[str, str]]:
    return [(str(p), str(label)) for p, label in LIST_PURPOSES.items()]


class Outcome:
    CLEAR = "clear"
    BLOCKED = "blocked"  # 暂不可 / 暂缓注册
    FAILED = "failed"  # 注册不合格 (teacher registration only)


def outcome_label(purpose: str, outcome: str) -> str:
    """The standing as a word on the page: 可以 / 暂不可, and for registration 可以注册 / 暂缓注册 / 注册不合格."""
    if purpose == VetoPurpose.TEACHER_REGISTRATION:
        return {
            Outcome.CLEAR: _("可以注册"),
            Outcome.BLOCKED: _("暂缓注册"),
            Outcome.FAILED: _("注册不合格"),
        }[outcome]
    return {Outcome.CLEAR: _("可以"), Outcome.BLOCKED: _("暂不可（一票否决）")}[outcome]


@dataclass(frozen=True)
class Reason:
    """One blocking record, as the veto service reported it."""

    record_type: str  # "ethics_assessment" or "sanction"
    record_id: int
    kind: str  # "ethics_failed" or the sanction kind
    kind_label: str
    decided_on: dt.date | None
    until: dt.date | None  # exclusive, from the veto service; None = no end
    text: str

    @property
    def last_day(self) -> dt.date | None:
        return self.until - dt.timedelta(days=1) if self.until else None


@dataclass(frozen=True)
class Standing:
    person: Person
    purpose: str
    on: dt.date
    outcome: str
    reasons: tuple[Reason, ...] = ()
    until: dt.date | None = None  # when the veto stops blocking (exclusive); None when it never does or nothing blocks
    failed_years: tuple[int, ...] = ()  # the consecutive 不合格 years that make registration fail

    @property
    def blocked(self) -> bool:
        return self.outcome != Outcome.CLEAR

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.purpose, self.outcome)

    @property
    def failure_text(self) -> str:
        if not self.failed_years:
            return ""
        return _("注册周期内%(years)s年度师德考核连续不合格（教师资格定期注册暂行办法第十一条）") % {
            "years": "、".join(str(y) for y in self.failed_years)
        }

    @property
    def reason_texts(self) -> list[str]:
        texts = [r.text for r in self.reasons]
        if self.failed_years:
            texts.append(self.failure_text)
        return texts

    @property
    def until_text(self) -> str:
        """The last blocked day (inclusive, as the veto words it), 长期, or "" when not blocked by the veto."""
        if not self.reasons:
            return ""
        if self.until is None:
            return _("长期")
        return (self.until - dt.timedelta(days=1)).isoformat()

    def as_data(self) -> dict:
        """JSON-able snapshot (stored with a submitted check, so a reopened result shows what was checked then)."""
        person = self.person
        return {
            "person_id": person.pk,
            "name": person.name,
            "unit": person.organization.name,
            "id_tail": (person.id_number or "")[-4:],
            "outcome": self.outcome,
            "outcome_label": self.outcome_label,
            "blocked": self.blocked,
            "until": self.until.isoformat() if self.until else None,
            "until_text": self.until_text,
            "failed_years": list(self.failed_years),
            "reasons": [
                {
                    "record_type": r.record_type,
                    "record_id": r.record_id,
                    "kind": r.kind,
                    "kind_label": r.kind_label,
                    "decided_on": r.decided_on.isoformat() if r.decided_on else None,
                    "until": r.until.isoformat() if r.until else None,
                    "last_day": r.last_day.isoformat() if r.last_day else None,
                    "text": r.text,
                }
                for r in self.reasons
            ],
            "reason_text": "；".join(self.reason_texts),
            "failure_text": self.failure_text,
        }


def _reasons(result: VetoResult) -> tuple[Reason, ...]:
    reasons = []
    for hit in result.hits:
        record = hit.record
        if isinstance(record, EthicsAssessment):
            reasons.append(
                Reason(
                    "ethics_assessment",
                    record.pk,
                    "ethics_failed",
                    _("师德考核不合格"),
                    record.decided_on,
                    hit.until,
                    hit.reason,
                )
            )
        else:
            reasons.append(
                Reason(
                    "sanction",
                    record.pk,
                    record.kind,
                    record.get_kind_display(),
                    record.decided_on,
                    hit.until,
                    hit.reason,
                )
            )
    return tuple(reasons)


def _consecutive_failed_years(assessments: Iterable[EthicsAssessment], on: dt.date) -> tuple[int, ...]:
    """The longest run of consecutive 不合格 years in the cycle ending with `on`'s year, if it is long enough."""
    first = on.year - REGISTRATION_CYCLE_YEARS + 1
    years = sorted(
        {
            a.year
            for a in assessments
            if a.grade == EthicsGrade.FAILED and a.decided_on and a.decided_on <= on and first <= a.year <= on.year
        }
    )
    best: list[int] = []
    run: list[int] = []
    for year in years:
        run = [*run, year] if run and year == run[-1] + 1 else [year]
        if len(run) > len(best):
            best = run
    return tuple(best) if len(best) >= CONSECUTIVE_FAILED_YEARS else ()


def check_list(people: Iterable[Person], *, purpose: str, on: dt.date) -> list[Standing]:
    """Each person's standing for `purpose` on `on`, in the order given (see the module docstring).

    Raises ValueError for a purpose that is not one of `LIST_PURPOSES`.
    """
    if purpose not in LIST_PURPOSES:
        raise ValueError(f"not a list-check purpose: {purpose}")
    people = list(people)
    ids = [p.pk for p in people]
    params = ethics_params(on)
    assessments: dict[int, list] = {}
    sanctions: dict[int, list] = {}
    if ids:
        for a in EthicsAssessment.objects.filter(person_id__in=ids, grade=EthicsGrade.FAILED, decided_on__lte=on):
            assessments.setdefault(a.person_id, []).append(a)
        for s in Sanction.objects.filter(person_id__in=ids, start_date__lte=on):
            sanctions.setdefault(s.person_id, []).append(s)
    standings = []
    for person in people:
        own = assessments.get(person.pk, [])
        result = veto_from_records(
            person_id=person.pk,
            assessments=own,
            sanctions=sanctions.get(person.pk, []),
            purpose=purpose,
            on=on,
            params=params,
        )
        failed_years = _consecutive_failed_years(own, on) if purpose == VetoPurpose.TEACHER_REGISTRATION else ()
        if failed_years:
            outcome = Outcome.FAILED
        elif result.blocked:
            outcome = Outcome.BLOCKED
        else:
            outcome = Outcome.CLEAR
        standings.append(
            Standing(
                person=person,
                purpose=purpose,
                on=on,
                outcome=outcome,
                reasons=_reasons(result),
                until=result.until,
                failed_years=failed_years,
            )
        )
    return standings


def blocked_first(standings: list[Standing]) -> list[Standing]:
    """注册不合格 first, then blocked, then clear; by unit and name within each (a stable order for every output)."""
    rank = {Outcome.FAILED: 0, Outcome.BLOCKED: 1, Outcome.CLEAR: 2}
    return sorted(standings, key=lambda s: (rank[s.outcome], s.person.organization.name, s.person.name, s.person.pk))


def audit_payload(standings: list[Standing], *, purpose: str, on: dt.date, source: str) -> dict:
    """What a check's audit event records: who was checked and who was blocked, by id.

    Decision: the audit trail is internal (read by administrators only) and a check is a lookup of these
    people's records, so the ids are what an inquiry later needs ("was X checked before the award?"); names and
    ID numbers stay out of the trail.
    """
    return {
        "purpose": purpose,
        "on": on.isoformat(),
        "source": source,
        "people": len(standings),
        "blocked": sum(1 for s in standings if s.blocked),
        "person_ids": [s.person.pk for s in standings],
        "blocked_ids": [s.person.pk for s in standings if s.blocked],
    }


# --- who may check whom ---------------------------------------------------------------------------------


def check_scope(user) -> QuerySet[Person] | None:
    """The people `user` may check: every person for bureau personnel officers (and superusers), the own
    school's people for a school secretary; None for everybody else (they may not check lists)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser or (has_role(user, Role.PERSONNEL_OFFICER) and is_bureau_user(user)):
        return Person.objects.select_related("organization")
    if has_role(user, Role.SCHOOL_SECRETARY):
        org = organization_of(user)
        if org is not None and not org.is_bureau:
            return Person.objects.select_related("organization").filter(organization=org)
    return None


def school_teachers(user) -> QuerySet[Person] | None:
    """ "All teachers of my school" for a school secretary: the school's active staff; None for anyone else."""
    if user.is_superuser or not has_role(user, Role.SCHOOL_SECRETARY):
        return None
    scope = check_scope(user)
    if scope is None or is_bureau_user(user):
        return None
    return scope.filter(employment_status=EmploymentStatus.ACTIVE).order_by("name", "pk")


# --- submitted rows: ID numbers and names ---------------------------------------------------------------


@dataclass(frozen=True)
class SubmittedRow:
    row: int | None  # the Excel row, or None when the list did not come from a file
    name: str
    id_number: str


@dataclass(frozen=True)
class RowProblem:
    row: int | None
    name: str
    id_tail: str
    message: str

    def as_data(self) -> dict:
        return {"row": self.row, "name": self.name, "id_tail": self.id_tail, "message": self.message}


@dataclass
class Matched:
    people: list[Person] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def normalise_id(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return unicodedata.normalize("NFKC", str(raw)).strip().upper()


def _normalise_name(raw: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(raw or "")))


def people_for_ids(rows: list[SubmittedRow], *, scope: QuerySet[Person]) -> Matched:
    """The people of `scope` the rows name, in row order, one query; a problem per row that names nobody.

    An ID number not in `scope` — unknown, or someone of another school — gets the same message, so the
    answer never reveals who exists outside the scope. A name that differs from the record's is refused
    (the row may point at the wrong person). A repeated ID number is checked once and the repeat listed.
    """
    wanted = {r.id_number for r in rows if r.id_number}
    found = {p.id_number: p for p in scope.filter(id_number__in=wanted)} if wanted else {}
    result = Matched()
    seen: dict[str, int | None] = {}
    for r in rows:
        tail = r.id_number[-4:] if r.id_number else ""
        if not r.id_number:
            result.problems.append(RowProblem(r.row, r.name, tail, _("身份证号为空。")))
            continue
        if r.id_number in seen:
            message = _("身份证号与第%(row)s行重复，只校验一次。") % {"row": seen[r.id_number] or "—"}
            result.problems.append(RowProblem(r.row, r.name, tail, message))
            continue
        seen[r.id_number] = r.row
        person = found.get(r.id_number)
        if person is None:
            result.problems.append(
                RowProblem(
                    r.row, r.name, tail, _("在您可校验的人员中找不到该身份证号（尾号%(tail)s）。") % {"tail": tail}
                )
            )
            continue
        if r.name and _normalise_name(r.name) != _normalise_name(person.name):
            result.problems.append(
                RowProblem(r.row, r.name, tail, _("姓名“%(name)s”与该身份证号登记的姓名不符。") % {"name": r.name})
            )
            continue
        result.people.append(person)
    return result


class ListFileError(ValueError):
    """The uploaded list cannot be read; the message (Chinese) says why."""


MAX_LIST_ROWS = 5_000
LIST_LIMITS = XlsxLimits(sheet_rows=MAX_LIST_ROWS + 100, cells=(MAX_LIST_ROWS + 100) * 10, read_columns=10)
_HEADER_ROWS = 10


def _header(value: Any) -> str:
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = re.sub(r"\(.*?\)", "", text)
    return re.sub(r"[\s*]", "", text)


def read_id_sheet(file_obj) -> list[SubmittedRow]:
    """The (姓名, 身份证号) rows of an uploaded .xlsx, checked by the guard before openpyxl reads it.

    Raises ListFileError (Chinese) for a refused or unreadable file, missing columns, no rows or too many.
    """
    try:
        data, _name = read_upload(file_obj)
        check_xlsx(data, LIST_LIMITS)
    except XlsxRefused as exc:
        raise ListFileError(_unreadable() if exc.code == "unreadable" else str(exc)) from None
    try:
        with sheet_rows(data, LIST_LIMITS) as rows:
            return _rows_of(rows)
    except ListFileError:
        raise
    except XlsxRefused:
        raise ListFileError(_unreadable()) from None
    except Exception:
        raise ListFileError(_("无法读取文件：工作表内容已损坏，请用 Excel 另存为 .xlsx 后重试。")) from None


def _unreadable() -> str:
    return _("无法读取文件：请上传 Excel 工作簿（.xlsx），含“姓名”和“身份证号”两列。")


def _rows_of(rows) -> list[SubmittedRow]:
    name_col = id_col = None
    header_row = 0
    for number, values in enumerate(rows, start=1):
        headers = [_header(v) for v in values]
        if "身份证号" in headers:
            id_col = headers.index("身份证号")
            name_col = headers.index("姓名") if "姓名" in headers else None
            header_row = number
            break
        if number >= _HEADER_ROWS:
            break
    if id_col is None or name_col is None:
        raise ListFileError(_("找不到列名行：前 %(n)d 行中须有“姓名”和“身份证号”两列。") % {"n": _HEADER_ROWS})
    result = []
    for number, values in enumerate(rows, start=header_row + 1):
        name = values[name_col] if name_col < len(values) else None
        raw_id = values[id_col] if id_col < len(values) else None
        if (name is None or not str(name).strip()) and (raw_id is None or not str(raw_id).strip()):
            continue
        if isinstance(raw_id, float):
            raise ListFileError(
                _("第%(row)d行：身份证号被 Excel 保存成了数字，末几位已丢失；请把该列设为文本格式后重新填写。")
                % {"row": number}
            )
        result.append(SubmittedRow(number, _normalise_name(name), normalise_id(raw_id)))
        if len(result) > MAX_LIST_ROWS:
            raise ListFileError(_("名单超过 %(n)d 行，请分批校验。") % {"n": MAX_LIST_ROWS})
    if not result:
        raise ListFileError(_("文件中没有数据行：请在列名下方逐行填写姓名和身份证号。"))
    return result
