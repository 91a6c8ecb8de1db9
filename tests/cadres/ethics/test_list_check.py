"""The list check (cadres.ethics.list_check): each purpose against each record, the end dates the veto service
gives, the two outcomes of 教师资格定期注册, matching ID numbers within a scope, the guarded .xlsx reader, and a
fixed number of queries for a whole list."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from cadres.ethics.list_check import (
    ListFileError,
    Outcome,
    SubmittedRow,
    audit_payload,
    blocked_first,
    check_list,
    check_scope,
    people_for_ids,
    read_id_sheet,
)
from cadres.ethics.models import EthicsGrade, SanctionKind, SanctionRegime, Violation
from cadres.ethics.purposes import VetoPurpose
from cadres.ethics.rules import DEFAULT_PERIODS
from cadres.ethics.services import ethics_assessment_decide, sanction_record
from cadres.ethics.veto import veto_status
from cadres.roles import Role
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
D = dt.date
P = VetoPurpose
DECIDED = D(2026, 3, 16)
CHECKED = D(2026, 4, 1)
FOUR = (P.TITLE_PROMOTION, P.AWARD, P.POST_PROMOTION, P.TEACHER_REGISTRATION)

# Written out by hand from the default veto matrix (DOMAIN §6): which of the four list purposes each record blocks.
BLOCKS = {
    "ethics_failed": set(FOUR),
    SanctionKind.WARNING: {P.AWARD, P.POST_PROMOTION, P.TEACHER_REGISTRATION},  # 警告 does not stop 职称评审
    SanctionKind.DEMERIT: set(FOUR),
    SanctionKind.MAJOR_DEMERIT: set(FOUR),
    SanctionKind.DEMOTION: set(FOUR),
    SanctionKind.POST_GRADE_DEMOTION: set(FOUR),
    SanctionKind.REMOVAL_FROM_POST: set(FOUR),
    SanctionKind.EXPULSION: set(FOUR),
    SanctionKind.ADMONITION: {P.POST_PROMOTION},
    SanctionKind.DISQUALIFICATION: {P.AWARD},  # the record below names 评优评先 only
    SanctionKind.CRITICISM: set(),
    SanctionKind.ORDERED_REVIEW: set(),
    SanctionKind.CIRCULATED_CRITICISM: set(),
}


@pytest.fixture
def teacher(school):
    return PersonFactory(organization=school, name="赵老师")


def record(kind, person, actor, on=DECIDED):
    if kind == "ethics_failed":
        return ethics_assessment_decide(
            acting_user=actor,
            person=person,
            year=on.year - 1,
            grade=EthicsGrade.FAILED,
            decided_on=on,
            violations=[Violation.PAID_TUTORING],
        )
    regime = SanctionRegime.TEACHER if kind in DEFAULT_PERIODS["teacher"] else SanctionRegime.MANAGERIAL
    return sanction_record(
        acting_user=actor,
        person=person,
        kind=kind,
        regime=regime,
        decided_on=on,
        authority="示范区教育局",
        document_number="示教发〔2026〕3号",
        disqualified_from=[P.AWARD] if kind == SanctionKind.DISQUALIFICATION else None,
    )


@pytest.mark.parametrize("purpose", FOUR)
@pytest.mark.parametrize("kind", list(BLOCKS))
def test_each_purpose_against_each_record(teacher, officer, kind, purpose):
    rec = record(kind, teacher, officer)
    [standing] = check_list([teacher], purpose=purpose, on=CHECKED)
    veto = veto_status(teacher, purpose=purpose, on=CHECKED)
    assert standing.blocked == (purpose in BLOCKS[kind]) == veto.blocked
    if standing.blocked:
        assert standing.outcome == Outcome.BLOCKED  # one failed year never makes registration fail
        assert standing.until == veto.until  # the veto service's end date, not a recomputed one
        [reason] = standing.reasons
        assert reason.record_id == rec.pk and reason.kind == kind
        assert reason.decided_on == DECIDED
        assert reason.until == veto.hits[0].until
        assert reason.text == veto.hits[0].reason
        if kind != "ethics_failed":
            assert reason.until == rec.end_date
        expected_label = "暂缓注册" if purpose == P.TEACHER_REGISTRATION else "暂不可（一票否决）"
        assert standing.outcome_label == expected_label
    else:
        assert standing.reasons == () and standing.until is None
        assert standing.outcome_label == ("可以注册" if purpose == P.TEACHER_REGISTRATION else "可以")


@pytest.mark.parametrize("purpose", FOUR)
def test_on_the_end_date_the_person_is_free_as_the_veto_service_says(teacher, officer, purpose):
    sanction = record(SanctionKind.DEMERIT, teacher, officer)
    end = sanction.end_date
    assert end == D(2027, 3, 16)
    day_before = check_list([teacher], purpose=purpose, on=end - dt.timedelta(days=1))[0]
    on_the_day = check_list([teacher], purpose=purpose, on=end)[0]
    assert day_before.blocked == veto_status(teacher, purpose=purpose, on=end - dt.timedelta(days=1)).blocked is True
    assert on_the_day.blocked == veto_status(teacher, purpose=purpose, on=end).blocked is False
    assert day_before.until_text == "2027-03-15"  # the last blocked day, as the veto words it (含)
    assert day_before.reasons[0].last_day == D(2027, 3, 15)


def test_an_open_ended_sanction_is_blocked_for_good(teacher, officer):
    record(SanctionKind.EXPULSION, teacher, officer)
    [standing] = check_list([teacher], purpose=P.AWARD, on=D(2040, 1, 1))
    assert standing.blocked and standing.until is None and standing.until_text == "长期"


def fail_year(person, actor, year, decided_on=None):
    return ethics_assessment_decide(
        acting_user=actor,
        person=person,
        year=year,
        grade=EthicsGrade.FAILED,
        decided_on=decided_on or D(year, 12, 20),
        violations=[Violation.GIFTS],
    )


def test_registration_fails_on_two_consecutive_failed_years_in_the_cycle(teacher, officer):
    fail_year(teacher, officer, 2023)
    fail_year(teacher, officer, 2024)
    on = D(2026, 6, 1)  # the veto of the 2024 year (12 months from 2024-12-20) has lapsed
    assert not veto_status(teacher, purpose=P.TEACHER_REGISTRATION, on=on).blocked
    [standing] = check_list([teacher], purpose=P.TEACHER_REGISTRATION, on=on)
    assert standing.outcome == Outcome.FAILED and standing.outcome_label == "注册不合格"
    assert standing.failed_years == (2023, 2024)
    assert standing.reasons == ()
    assert "2023、2024年度师德考核连续不合格" in standing.as_data()["reason_text"]
    # the same records do not make the other purposes "fail": the veto has lapsed for them
    assert not check_list([teacher], purpose=P.AWARD, on=on)[0].blocked


def test_registration_is_deferred_while_the_veto_runs_even_with_one_failed_year(teacher, officer):
    fail_year(teacher, officer, 2025, D(2026, 1, 10))
    [standing] = check_list([teacher], purpose=P.TEACHER_REGISTRATION, on=D(2026, 6, 1))
    assert standing.outcome == Outcome.BLOCKED and standing.outcome_label == "暂缓注册"
    assert standing.until == veto_status(teacher, purpose=P.TEACHER_REGISTRATION, on=D(2026, 6, 1)).until


def test_two_failed_years_that_are_not_consecutive_do_not_fail_registration(teacher, officer):
    fail_year(teacher, officer, 2022)
    fail_year(teacher, officer, 2024)
    [standing] = check_list([teacher], purpose=P.TEACHER_REGISTRATION, on=D(2026, 6, 1))
    assert standing.outcome == Outcome.CLEAR


def test_failed_years_before_the_cycle_do_not_count(teacher, officer):
    fail_year(teacher, officer, 2019)
    fail_year(teacher, officer, 2020)
    [standing] = check_list([teacher], purpose=P.TEACHER_REGISTRATION, on=D(2026, 6, 1))  # cycle 2022-2026
    assert standing.outcome == Outcome.CLEAR
    [earlier] = check_list([teacher], purpose=P.TEACHER_REGISTRATION, on=D(2024, 6, 1))  # cycle 2020-2024
    assert earlier.outcome == Outcome.CLEAR  # 2019 is outside, 2020 alone is one year
    [inside] = check_list([teacher], purpose=P.TEACHER_REGISTRATION, on=D(2023, 6, 1))  # cycle 2019-2023
    assert inside.outcome == Outcome.FAILED


def test_registration_failure_and_a_running_veto_together_read_as_failed_with_both_reasons(teacher, officer):
    fail_year(teacher, officer, 2024, D(2025, 1, 10))
    fail_year(teacher, officer, 2025, D(2026, 1, 10))
    [standing] = check_list([teacher], purpose=P.TEACHER_REGISTRATION, on=D(2026, 6, 1))
    assert standing.outcome == Outcome.FAILED
    assert len(standing.reasons) == 1 and standing.failed_years == (2024, 2025)


def test_blocked_first_and_the_audit_payload(school, officer):
    clear = PersonFactory(organization=school, name="甲")
    blocked = PersonFactory(organization=school, name="乙")
    record(SanctionKind.DEMERIT, blocked, officer)
    standings = blocked_first(check_list([clear, blocked], purpose=P.AWARD, on=CHECKED))
    assert [s.person for s in standings] == [blocked, clear]
    payload = audit_payload(standings, purpose=P.AWARD, on=CHECKED, source="upload")
    assert payload == {
        "purpose": "award",
        "on": "2026-04-01",
        "source": "upload",
        "people": 2,
        "blocked": 1,
        "person_ids": [blocked.pk, clear.pk],
        "blocked_ids": [blocked.pk],
    }


def test_a_purpose_outside_the_four_is_refused(teacher):
    with pytest.raises(ValueError):
        check_list([teacher], purpose=P.SHORTLISTING, on=CHECKED)


def test_200_people_are_checked_in_a_fixed_number_of_queries(school, officer, django_assert_max_num_queries):
    people = [PersonFactory(organization=school, birth_date=D(1970, 1, 1) + dt.timedelta(days=i)) for i in range(200)]
    for person in people[:20]:
        record(SanctionKind.WARNING, person, officer)
    for person in people[20:30]:
        fail_year(person, officer, 2024)
        fail_year(person, officer, 2025, D(2026, 1, 5))
    loaded = list(check_scope(officer).filter(pk__in=[p.pk for p in people]))
    with django_assert_max_num_queries(4):  # rule set, its items, failed assessments, sanctions
        standings = check_list(loaded, purpose=P.TEACHER_REGISTRATION, on=CHECKED)
    assert len(standings) == 200
    assert sum(s.outcome == Outcome.FAILED for s in standings) == 10
    assert sum(s.outcome == Outcome.BLOCKED for s in standings) == 20
    with django_assert_max_num_queries(4):
        check_list(loaded[:3], purpose=P.AWARD, on=CHECKED)


# --- scope and matching ------------------------------------------------------------------------------------


def test_who_may_check_whom(school, other_school, officer, school_secretary):
    mine = PersonFactory(organization=school)
    theirs = PersonFactory(organization=other_school)
    assert set(check_scope(officer)) >= {mine, theirs}
    assert list(check_scope(school_secretary)) == [mine]
    teacher_user = UserFactory(roles=[Role.TEACHER], organization=school, organization__person=mine)
    assert check_scope(teacher_user) is None
    inspector = UserFactory(roles=[Role.INSPECTION_TEAM], organization=school.parent)
    assert check_scope(inspector) is None


def test_rows_are_matched_within_the_scope_and_another_schools_person_reads_as_unknown(
    school, other_school, school_secretary
):
    mine = PersonFactory(organization=school, name="王小明")
    theirs = PersonFactory(organization=other_school, name="李四")
    rows = [
        SubmittedRow(2, "王小明", mine.id_number),
        SubmittedRow(3, "李四", theirs.id_number),
        SubmittedRow(4, "无名", "11010119800101999X"),
        SubmittedRow(5, "王晓明", mine.id_number),
    ]
    matched = people_for_ids(rows, scope=check_scope(school_secretary))
    assert matched.people == [mine]
    by_row = {p.row: p.message for p in matched.problems}
    assert by_row[3] == f"在您可校验的人员中找不到该身份证号（尾号{theirs.id_number[-4:]}）。"
    assert by_row[4] == "在您可校验的人员中找不到该身份证号（尾号999X）。"
    assert "李四" not in by_row[3] and theirs.organization.name not in by_row[3]
    assert by_row[5] == "身份证号与第2行重复，只校验一次。"


def test_a_name_that_does_not_match_its_id_number_is_refused(school, officer):
    person = PersonFactory(organization=school, name="王小明")
    matched = people_for_ids([SubmittedRow(2, "王晓明", person.id_number)], scope=check_scope(officer))
    assert matched.people == []
    assert [p.message for p in matched.problems] == ["姓名“王晓明”与该身份证号登记的姓名不符。"]


# --- the guarded reader ------------------------------------------------------------------------------------


def xlsx(rows, *, headers=("序号", "姓名", "身份证号")) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_dimension(data: bytes, ref: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), body)
            target.writestr(info, body)
    return out.getvalue()


def test_the_reader_takes_name_and_id_columns_in_any_position():
    data = xlsx([(1, " 王小明 ", "11010119800517001x"), (None, None, None), (2, "李四", "110101198005170029")])
    rows = read_id_sheet(data)
    assert rows == [
        SubmittedRow(2, "王小明", "11010119800517001X"),
        SubmittedRow(4, "李四", "110101198005170029"),
    ]


def test_the_reader_refuses_a_hostile_file_through_the_guard():
    data = with_dimension(xlsx([(1, "王小明", "110101198005170011")]), "A1:XFD1048576")
    with pytest.raises(ListFileError) as exc:
        read_id_sheet(data)
    assert "A1:XFD1048576" in str(exc.value) and "过大" in str(exc.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a workbook", "无法读取文件：请上传 Excel 工作簿（.xlsx），含“姓名”和“身份证号”两列。"),
        (xlsx([], headers=("姓名", "电话")), "找不到列名行：前 10 行中须有“姓名”和“身份证号”两列。"),
        (xlsx([]), "文件中没有数据行：请在列名下方逐行填写姓名和身份证号。"),
        (
            xlsx([(1, "王小明", 110101198005170011.0)]),
            "第2行：身份证号被 Excel 保存成了数字，末几位已丢失；请把该列设为文本格式后重新填写。",
        ),
    ],
)
def test_the_reader_says_in_chinese_what_is_wrong(data, message):
    with pytest.raises(ListFileError) as exc:
        read_id_sheet(data)
    assert str(exc.value) == message
