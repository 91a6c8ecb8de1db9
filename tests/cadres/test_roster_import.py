"""Roster import: every validation error with its Chinese reason, row and column; all or nothing; scope."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from audit.models import AuditEvent
from cadres import choices as c
from cadres.idcard import check_char, make_id_number
from cadres.models import Education, Person, TitleHistory
from cadres.roles import Role
from cadres.roster.columns import HEADERS, CellError, parse_date
from cadres.roster.importer import RowError, errors_workbook, import_roster, roster_scope
from tests.factories import EducationFactory, PersonFactory, TitleFactory, UserFactory

pytestmark = pytest.mark.django_db

BIRTH = dt.date(1985, 3, 12)


def xlsx(rows, headers=HEADERS, *, before=(), sheet="花名册", name="roster.xlsx"):
    """A workbook built with openpyxl: optional lines above the header, the header, then the rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for line in before:
        ws.append(list(line))
    ws.append(list(headers))
    for row in rows:
        ws.append([row.get(h) for h in headers] if isinstance(row, dict) else list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


def row(org, seq=1, birth=BIRTH, sex="F", **cells):
    """A valid row for a non-party woman born on `birth`; keyword arguments override cells by header."""
    values = {
        "身份证号": make_id_number("110101", birth, seq, sex),
        "姓名": f"李{seq}",
        "性别": "女" if sex == "F" else "男",
        "出生日期": birth,
        "政治面貌": "群众",
        "参加工作时间": "2007.08",
        "单位代码": org.code,
    }
    values.update(cells)
    return values


def only_error(result) -> RowError:
    assert not result.ok
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


# --- the happy path -------------------------------------------------------------------------------------


def test_new_people_are_created_with_every_column(officer, school):
    cells = row(
        school,
        档案出生年月="1985.02",
        民族="回族",
        籍贯="山东济南",
        出生地="山东青岛",
        政治面貌="中共党员",
        入党时间="2006.06.01",
        健康状况="良好",
        任教学科="数学",
        在职状态="在职",
        专业技术职务="一级教师",
        取得资格时间="201512",
        全日制学历="大学本科",
        全日制学位="学士",
        全日制毕业院校="山东师范大学",
        全日制专业="数学与应用数学",
        在职学历="硕士研究生",
        在职学位="无",
        在职毕业院校="北京师范大学",
        在职专业="教育管理",
    )
    result = import_roster(xlsx([cells]), acting_user=officer)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged, result.rows) == (1, 0, 0, 1)
    person = Person.objects.get(id_number=cells["身份证号"])
    assert person.name == "李1"
    assert person.sex == c.Sex.FEMALE
    assert person.birth_date == BIRTH
    assert person.record_birth_month == dt.date(1985, 2, 1)
    assert (person.ethnicity, person.native_place, person.birthplace) == ("回族", "山东济南", "山东青岛")
    assert person.political_status == c.PoliticalStatus.CPC_MEMBER
    assert person.party_join_date == dt.date(2006, 6, 1)
    assert person.work_start_date == dt.date(2007, 8, 1)
    assert (person.health, person.subject, person.organization) == ("良好", "数学", school)
    assert person.employment_status == c.EmploymentStatus.ACTIVE
    assert list(person.titles.values_list("title", "obtained_on")) == [(c.TeacherTitle.FIRST, dt.date(2015, 12, 1))]
    educations = {e.kind: e for e in person.educations.all()}
    full_time, in_service = educations[c.EducationKind.FULL_TIME], educations[c.EducationKind.IN_SERVICE]
    assert (full_time.level, full_time.degree, full_time.institution, full_time.major) == (
        c.EducationLevel.BACHELOR,
        c.Degree.BACHELOR,
        "山东师范大学",
        "数学与应用数学",
    )
    assert (in_service.level, in_service.degree, in_service.institution) == (
        c.EducationLevel.MASTER,
        "",
        "北京师范大学",
    )


def test_a_new_person_gets_the_model_defaults_and_the_birth_date_of_the_id_number(officer, school):
    cells = row(school, 出生日期=None, 政治面貌=None)
    result = import_roster(xlsx([cells]), acting_user=officer)
    assert result.ok, result.errors
    person = Person.objects.get()
    assert person.birth_date == BIRTH
    assert (person.ethnicity, person.health) == ("汉族", "健康")
    assert person.political_status == c.PoliticalStatus.MASSES
    assert person.employment_status == c.EmploymentStatus.ACTIVE


def test_an_existing_id_number_updates_that_person_and_empty_cells_keep_stored_values(officer, school, other_school):
    person = PersonFactory(organization=school, name="王旧名", native_place="河北保定", subject="语文")
    cells = {
        "身份证号": person.id_number.lower(),
        "姓名": "王新名",
        "性别": "男",
        "参加工作时间": person.work_start_date,
        "单位代码": other_school.code,
    }
    result = import_roster(xlsx([cells, row(school, seq=7)]), acting_user=officer)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    person.refresh_from_db()
    assert person.name == "王新名"
    assert person.organization == other_school
    assert (person.native_place, person.subject) == ("河北保定", "语文")
    assert person.political_status == c.PoliticalStatus.CPC_MEMBER
    assert Person.objects.count() == 2


def test_a_successful_import_writes_exactly_one_audit_event(officer, school):
    upload = xlsx([row(school, seq=1), row(school, seq=2)], name="第一小学花名册.xlsx")
    digest = hashlib.sha256(upload.getvalue()).hexdigest()
    result = import_roster(upload, acting_user=officer)
    assert result.ok
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id, event.actor) == (
        "roster_import",
        "cadres.roster",
        digest,
        officer,
    )
    assert event.payload == {"created": 2, "updated": 0, "rows": 2, "filename": "第一小学花名册.xlsx"}
    assert result.sha256 == digest


def test_reimporting_the_same_file_changes_nothing(officer, school):
    cells = row(
        school, 专业技术职务="二级教师", 取得资格时间="2010.09", 全日制学历="大学本科", 全日制毕业院校="临沂大学"
    )
    assert import_roster(xlsx([cells]), acting_user=officer).ok
    again = import_roster(xlsx([cells]), acting_user=officer)
    assert again.ok
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert TitleHistory.objects.count() == 1
    assert Education.objects.count() == 1


def test_a_new_title_or_date_adds_a_title_row_and_a_known_one_does_not(officer, school):
    person = PersonFactory(organization=school)
    TitleFactory(person=person, title=c.TeacherTitle.SECOND, obtained_on=dt.date(2008, 12, 1))
    base = {"身份证号": person.id_number, "姓名": person.name, "性别": "男", "参加工作时间": "2002.08"}
    base["单位代码"] = school.code
    known = import_roster(
        xlsx([{**base, "专业技术职务": "二级教师", "取得资格时间": "2008-12-01"}]), acting_user=officer
    )
    assert (known.updated, known.unchanged) == (0, 1)
    newer = import_roster(xlsx([{**base, "专业技术职务": "一级教师", "取得资格时间": "2014.12"}]), acting_user=officer)
    assert newer.updated == 1
    assert list(person.titles.order_by("obtained_on").values_list("title", flat=True)) == [
        c.TeacherTitle.SECOND,
        c.TeacherTitle.FIRST,
    ]


def test_education_of_the_same_kind_and_level_is_updated_in_place_and_another_level_is_added(officer, school):
    person = PersonFactory(organization=school)
    bachelor = EducationFactory(person=person, institution="旧名师范学院", end_date=dt.date(2002, 7, 1))
    base = {"身份证号": person.id_number, "姓名": person.name, "性别": "男", "参加工作时间": "2002.08"}
    base["单位代码"] = school.code
    renamed = {**base, "全日制学历": "大学本科", "全日制毕业院校": "山东师范大学"}
    assert import_roster(xlsx([renamed]), acting_user=officer).updated == 1
    bachelor.refresh_from_db()
    assert bachelor.institution == "山东师范大学"
    assert bachelor.end_date == dt.date(2002, 7, 1)
    master = {**base, "全日制学历": "硕士研究生", "全日制学位": "硕士", "全日制毕业院校": "北京大学"}
    assert import_roster(xlsx([master]), acting_user=officer).updated == 1
    assert sorted(person.educations.values_list("level", flat=True)) == [
        c.EducationLevel.BACHELOR,
        c.EducationLevel.MASTER,
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (dt.datetime(2001, 9, 3), dt.date(2001, 9, 3)),
        (dt.date(2001, 9, 3), dt.date(2001, 9, 3)),
        ("2001-09-03", dt.date(2001, 9, 3)),
        ("2001.09.03", dt.date(2001, 9, 3)),
        ("2001/9/3", dt.date(2001, 9, 3)),
        ("2001.09", dt.date(2001, 9, 1)),
        ("200109", dt.date(2001, 9, 1)),
        (200109, dt.date(2001, 9, 1)),
        (2001.09, dt.date(2001, 9, 1)),
        (2001.1, dt.date(2001, 10, 1)),
        ("２００１．０９", dt.date(2001, 9, 1)),
        ("2001年9月3日", dt.date(2001, 9, 3)),
        ("2001年9月", dt.date(2001, 9, 1)),
    ],
)
def test_dates_are_read_in_every_accepted_form(cell, expected):
    assert parse_date(cell) == expected


def test_choice_cells_accept_the_code_as_well_as_the_label(officer, school):
    cells = row(school, 性别="F", 政治面貌="cpc", 入党时间="2006.06", 在职状态="active")
    result = import_roster(xlsx([cells]), acting_user=officer)
    assert result.ok, result.errors
    assert Person.objects.get().political_status == c.PoliticalStatus.CPC_MEMBER


def test_a_title_line_above_the_header_and_a_serial_number_column_are_tolerated(officer, school):
    headers = ("序号", *HEADERS)
    cells = {"序号": 1, **row(school)}
    upload = xlsx([cells, {"序号": 2}], headers, before=[["第一实验小学教职工花名册"]])
    result = import_roster(upload, acting_user=officer)
    assert result.ok, result.errors
    assert (result.created, result.rows) == (1, 1)


def test_row_numbers_are_excel_row_numbers_when_the_header_is_not_on_the_first_row(officer, school):
    upload = xlsx([row(school, seq=1), row(school, seq=2, 姓名=None)], before=[["花名册"]])
    error = only_error(import_roster(upload, acting_user=officer))
    assert (error.row, error.column, error.message) == (4, "姓名", "必填项，不能为空。")


def test_blank_rows_are_skipped_and_do_not_shift_row_numbers(officer, school):
    upload = xlsx([row(school, seq=1), {}, {}, row(school, seq=2, 性别="男")])
    error = only_error(import_roster(upload, acting_user=officer))
    assert (error.row, error.column) == (5, "性别")
    assert import_roster(xlsx([row(school, seq=1), {}, row(school, seq=2)]), acting_user=officer).rows == 2


# --- every validation error ------------------------------------------------------------------------------


def _bad_check_digit(number: str) -> str:
    wrong = "0" if number[17] != "0" else "1"
    return number[:17] + wrong


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"姓名": None}, "姓名", "必填项，不能为空。"),
        ({"单位代码": None}, "单位代码", "必填项，不能为空。"),
        ({"身份证号": "1101011985"}, "身份证号", "身份证号须为18位，前17位为数字，末位为数字或X。"),
        ({"身份证号": "1101011985", "出生日期": None}, "身份证号", "身份证号须为18位，前17位为数字，末位为数字或X。"),
        ({"身份证号": 1.10101198503121e17}, "身份证号", "身份证号被 Excel 保存成了数字"),
        ({"出生日期": "1985-03-13"}, "出生日期", "出生日期 1985-03-13 与身份证号中的 1985-03-12 不一致。"),
        ({"性别": "男"}, "性别", "性别与身份证号不一致（身份证号显示为女）。"),
        ({"政治面貌": "中共党员"}, "入党时间", "党员须填写入党时间。"),
        ({"参加工作时间": "1980.01"}, "参加工作时间", "参加工作时间不能早于出生日期。"),
        (
            {"参加工作时间": "去年"},
            "参加工作时间",
            "无法识别的日期“去年”，可填：2001-09-01、2001.09.01、2001.09、200109。",
        ),
        ({"入党时间": "2001.02.30", "政治面貌": "中共党员"}, "入党时间", "日期“2001.02.30”不存在。"),
        ({"档案出生年月": "1985.13"}, "档案出生年月", "日期“1985.13”不存在。"),
        (
            {"政治面貌": "党员"},
            "政治面貌",
            "“党员”不是可选值，可选：中共党员、中共预备党员、共青团员、民主党派、无党派人士、群众。",
        ),
        ({"单位代码": "NOPE"}, "单位代码", "单位代码“NOPE”不存在。"),
        ({"姓名": "名" * 41}, "姓名", "不能超过 40 个字符（现有 41 个）。"),
        ({"全日制毕业院校": "山东师范大学"}, "全日制学历", "填写了全日制毕业院校，须同时填写全日制学历。"),
        ({"在职学历": "大学本科"}, "在职毕业院校", "填写在职学历时须同时填写在职毕业院校。"),
        ({"专业技术职务": "一级教师"}, "取得资格时间", "填写专业技术职务时须填写取得资格时间。"),
        ({"取得资格时间": "2015.12"}, "专业技术职务", "填写取得资格时间时须填写专业技术职务。"),
    ],
)
def test_each_invalid_cell_is_reported_with_row_column_and_reason(officer, school, cells, column, message):
    result = import_roster(xlsx([row(school, seq=1), row(school, seq=2, **cells)]), acting_user=officer)
    error = only_error(result)
    assert (error.row, error.column) == (3, column)
    assert error.message.startswith(message), error.message
    assert Person.objects.count() == 0


def test_a_wrong_check_digit_names_the_right_one(officer, school):
    number = make_id_number("110101", BIRTH, 1, "F")
    error = only_error(import_roster(xlsx([row(school, 身份证号=_bad_check_digit(number))]), acting_user=officer))
    assert (error.row, error.column) == (2, "身份证号")
    assert error.message == f"身份证号校验位错误：末位应为 {check_char(number[:17])}。"


def test_a_duplicate_id_number_is_an_error_on_its_second_row(officer, school):
    first = row(school, seq=1)
    second = row(school, seq=2, 身份证号=first["身份证号"].lower())
    error = only_error(import_roster(xlsx([first, row(school, seq=3), second]), acting_user=officer))
    assert (error.row, error.column, error.message) == (4, "身份证号", "与第 2 行的身份证号重复。")


def test_every_error_of_the_file_is_listed_in_row_then_column_order(officer, school):
    rows = [row(school, seq=1, 性别="男", 姓名=None), row(school, seq=2), row(school, seq=3, 单位代码="X")]
    result = import_roster(xlsx(rows), acting_user=officer)
    assert [(e.row, e.column) for e in result.errors] == [(2, "姓名"), (2, "性别"), (4, "单位代码")]


# --- the file as a whole ---------------------------------------------------------------------------------


def _file_error(upload, officer) -> str:
    error = only_error(import_roster(upload, acting_user=officer))
    assert (error.row, error.column) == (None, "")
    return error.message


def test_a_file_that_is_not_xlsx_gives_one_clear_error(officer):
    upload = io.BytesIO("身份证号,姓名\n".encode())
    upload.name = "roster.csv"
    assert _file_error(upload, officer) == "无法读取文件：请上传 Excel 工作簿（.xlsx）格式的花名册。"


def test_missing_required_headers_are_named(officer, school):
    headers = [h for h in HEADERS if h not in {"姓名", "参加工作时间"}]
    upload = xlsx([row(school)], headers)
    message = _file_error(upload, officer)
    assert message == "缺少必填列：姓名、参加工作时间。请使用导入模板。"


def test_an_empty_workbook_and_a_header_without_rows_are_refused(officer):
    empty = io.BytesIO()
    Workbook().save(empty)
    empty.seek(0)
    assert _file_error(empty, officer) == "文件是空的：第一张工作表中没有列名和数据。"
    assert _file_error(xlsx([]), officer) == "文件中没有数据行：请在列名下方逐行填写人员。"


def test_a_sheet_without_an_id_number_header_is_refused(officer):
    upload = xlsx([["张三", "男"]], ["名字", "性别"])
    assert _file_error(upload, officer) == "找不到列名行：前 10 行中没有“身份证号”列。请使用导入模板。"


def test_unknown_and_duplicated_headers_are_refused(officer, school):
    unknown = xlsx([row(school)], (*HEADERS, "手机号"))
    assert _file_error(unknown, officer).startswith("无法识别的列：手机号。")
    duplicated = xlsx([row(school)], (*HEADERS, "姓名"))
    assert _file_error(duplicated, officer) == "列名重复：姓名。"


def test_headers_with_marks_and_notes_are_recognised(officer, school):
    headers = [f"*{h}" if h == "身份证号" else f"{h}（必填）" if h == "姓名" else h for h in HEADERS]
    cells = row(school)
    cells["*身份证号"], cells["姓名（必填）"] = cells.pop("身份证号"), cells.pop("姓名")
    result = import_roster(xlsx([cells], headers), acting_user=officer)
    assert result.ok, result.errors


# --- all or nothing --------------------------------------------------------------------------------------


def test_one_bad_row_among_many_writes_nothing_and_records_no_event(officer, school):
    existing = PersonFactory(organization=school, name="原姓名")
    update = {
        "身份证号": existing.id_number,
        "姓名": "改后姓名",
        "性别": "男",
        "参加工作时间": "2002.08",
        "单位代码": school.code,
        "专业技术职务": "高级教师",
        "取得资格时间": "2020.12",
        "全日制学历": "大学本科",
        "全日制毕业院校": "山东师范大学",
    }
    rows = [row(school, seq=n % 100, birth=BIRTH + dt.timedelta(days=n)) for n in range(60)]
    rows.insert(30, update)
    rows.append(row(school, seq=99, 单位代码="NOPE"))
    result = import_roster(xlsx(rows), acting_user=officer)
    assert [(e.row, e.column) for e in result.errors] == [(63, "单位代码")]
    assert (result.created, result.updated) == (0, 0)
    assert Person.objects.count() == 1
    existing.refresh_from_db()
    assert existing.name == "原姓名"
    assert not TitleHistory.objects.exists()
    assert not Education.objects.exists()
    assert not AuditEvent.objects.filter(action="roster_import").exists()


def test_the_error_workbook_lists_row_column_and_reason(officer, school):
    result = import_roster(xlsx([row(school, 姓名=None), row(school, seq=2, 单位代码="NOPE")]), acting_user=officer)
    sheet = load_workbook(io.BytesIO(errors_workbook(result))).active
    assert list(sheet.iter_rows(values_only=True)) == [
        ("行号", "列", "原因"),
        (2, "姓名", "必填项，不能为空。"),
        (3, "单位代码", "单位代码“NOPE”不存在。"),
    ]


# --- scope -----------------------------------------------------------------------------------------------


def test_a_school_secretary_imports_their_own_school(school_secretary, school):
    result = import_roster(xlsx([row(school)]), acting_user=school_secretary)
    assert result.ok, result.errors
    assert Person.objects.get().organization == school


def test_a_school_secretary_cannot_import_rows_of_another_school(school_secretary, school, other_school):
    result = import_roster(xlsx([row(school, seq=1), row(other_school, seq=2)]), acting_user=school_secretary)
    error = only_error(result)
    assert (error.row, error.column, error.message) == (3, "单位代码", "无权导入其他单位人员。")
    assert not Person.objects.exists()


def test_a_school_secretary_cannot_take_over_a_person_of_another_school(school_secretary, school, other_school):
    stranger = PersonFactory(organization=other_school)
    cells = {"身份证号": stranger.id_number, "姓名": "挪走", "性别": "男", "参加工作时间": "2002.08"}
    cells["单位代码"] = school.code
    error = only_error(import_roster(xlsx([cells]), acting_user=school_secretary))
    assert (error.row, error.column) == (2, "身份证号")
    assert error.message.startswith("无权导入其他单位人员")
    stranger.refresh_from_db()
    assert stranger.organization == other_school


@pytest.mark.parametrize("role", [Role.TEACHER, Role.DISCIPLINE_INSPECTOR, Role.COMMITTEE_MEMBER])
def test_other_roles_may_not_import_at_all(school, bureau, role):
    user = UserFactory(roles=[role], organization=bureau if role != Role.TEACHER else school)
    with pytest.raises(PermissionDenied):
        import_roster(xlsx([row(school)]), acting_user=user)


def test_a_personnel_officer_of_a_school_is_not_a_bureau_importer(school):
    user = UserFactory(roles=[Role.PERSONNEL_OFFICER], organization=school)
    with pytest.raises(PermissionDenied):
        import_roster(xlsx([row(school)]), acting_user=user)


def test_parse_date_explains_what_it_accepts():
    with pytest.raises(CellError, match="可填：2001-09-01"):
        parse_date("九月")


def test_no_query_is_made_per_row(officer, school, django_assert_num_queries):
    def rows(first: int, count: int) -> list[dict]:
        return [
            row(
                school,
                seq=n % 100,
                birth=BIRTH + dt.timedelta(days=n),
                专业技术职务="二级教师",
                取得资格时间="2012.12",
                全日制学历="大学本科",
                全日制毕业院校="山东师范大学",
            )
            for n in range(first, first + count)
        ]

    roster_scope(officer)  # the user's roles are looked up once and cached on the user
    with CaptureQueriesContext(connection) as few:
        assert import_roster(xlsx(rows(0, 5)), acting_user=officer).created == 5
    # 40 people still fit in one insert batch on every backend (SQLite allows 999 parameters per query, and a
    # person row has 24 columns since the picker's search keys)
    with django_assert_num_queries(len(few.captured_queries)):
        assert import_roster(xlsx(rows(100, 40)), acting_user=officer).created == 40
