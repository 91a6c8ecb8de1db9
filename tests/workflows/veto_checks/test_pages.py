"""Issue 16, the veto's other uses, as the roles drive it over HTTP: a school secretary or a personnel officer
submits a list (an uploaded .xlsx, people picked by name, or the whole school), reads each standing with its
reason and end date, downloads the Excel file and the 校验结果 PDF; every check is stored as it was and audited."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from audit.models import AuditEvent
from cadres.choices import EmploymentStatus
from cadres.ethics.models import EthicsGrade, Sanction, SanctionKind, Violation
from cadres.ethics.services import ethics_assessment_decide, sanction_record
from cadres.ethics.veto import veto_status
from cadres.person_search import person_token
from cadres.roles import Role
from dossiers.models import DossierDocument
from tests.factories import PersonFactory, PostFactory, TenureFactory, UserFactory
from workflows.veto_checks.models import VetoCheck

pytestmark = pytest.mark.django_db
D = dt.date
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INDEX = reverse("veto_checks:checks:index")
UPLOAD = reverse("veto_checks:checks:upload")
PICK = reverse("veto_checks:checks:pick")
SCHOOL = reverse("veto_checks:checks:school")
SEARCH = reverse("registry:people:search")
ON = "2026-04-01"


@pytest.fixture
def staff(school, other_school, officer):
    """第一实验小学: 甲 clear, 乙 under a 记过 (all four purposes), 丙 under a 警告 (not 职称); 丁 at another school."""
    clear = PersonFactory(organization=school, name="甲老师", birth_date=D(1985, 3, 2))
    demerit = PersonFactory(organization=school, name="乙老师", birth_date=D(1986, 4, 3))
    warning = PersonFactory(organization=school, name="丙老师", birth_date=D(1987, 5, 4))
    elsewhere = PersonFactory(organization=other_school, name="丁老师", birth_date=D(1988, 6, 5))
    for person, kind in ((demerit, SanctionKind.DEMERIT), (warning, SanctionKind.WARNING)):
        sanction_record(
            acting_user=officer,
            person=person,
            kind=kind,
            decided_on=D(2026, 3, 16),
            authority="示范区教育局",
            document_number="示教发〔2026〕3号",
        )
    return clear, demerit, warning, elsewhere


def id_list(rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("名单.xlsx", buffer.getvalue(), content_type=XLSX)


def upload(client, rows, purpose="award", on=ON, file=None):
    return client.post(UPLOAD, {"purpose": purpose, "on": on, "file": file or id_list(rows)})


def test_a_school_secretary_uploads_a_list_and_reads_each_standing_blocked_first(
    client, school_secretary, staff, django_capture_on_commit_callbacks
):
    clear, demerit, warning, _elsewhere = staff
    client.force_login(school_secretary)
    rows = [(p.name, p.id_number) for p in (clear, demerit, warning)]
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, rows, purpose="title_promotion")
    check = VetoCheck.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("veto_checks:checks:detail", args=[check.pk])
    assert [s["name"] for s in check.standings] == ["乙老师", "丙老师", "甲老师"]  # blocked first
    assert [s["outcome_label"] for s in check.standings] == ["暂不可（一票否决）", "可以", "可以"]  # 警告 ≠ 职称
    assert (check.total, check.blocked, check.organization, check.source) == (
        3,
        1,
        school_secretary.profile.organization,
        "upload",
    )
    veto = veto_status(demerit, purpose="title_promotion", on=D(2026, 4, 1))
    assert check.standings[0]["until"] == veto.until.isoformat() == "2027-03-16"
    assert check.standings[0]["until_text"] == "2027-03-15"

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "共 3 人，受限 1 人" in html and "暂不可（一票否决） 1 人" in html
    assert "受记过处理（2026年03月16日决定，示教发〔2026〕3号），影响期至2027年03月15日（含）" in html
    assert html.index("乙老师") < html.index("甲老师")
    assert clear.id_number not in html  # only the last four digits
    assert reverse("dossiers:documents:download", args=[check.document.pk]) in html  # rendered after commit


def test_each_check_is_audited_with_who_what_and_how_many(client, officer, staff):
    clear, demerit, warning, elsewhere = staff
    client.force_login(officer)
    upload(client, [(p.name, p.id_number) for p in (clear, demerit, warning, elsewhere)], purpose="award")
    check = VetoCheck.objects.get()
    event = AuditEvent.objects.get(action="veto_list_checked")
    assert event.actor == officer
    assert (event.object_type, event.object_id) == ("veto_checks.vetocheck", str(check.pk))
    assert event.payload == {
        "purpose": "award",
        "on": ON,
        "source": "upload",
        "people": 4,
        "blocked": 2,
        "person_ids": [s["person_id"] for s in check.standings],
        "blocked_ids": [warning.pk, demerit.pk],  # blocked first, then by name (code point order)
        "problems": 0,
    }


def test_unknown_ids_and_name_mismatches_are_listed_per_row_and_the_rest_is_checked(client, school_secretary, staff):
    clear, demerit, _warning, _elsewhere = staff
    client.force_login(school_secretary)
    rows = [(clear.name, clear.id_number), ("乙某", demerit.id_number), ("无名", "11010119800101999X")]
    response = upload(client, rows)
    check = VetoCheck.objects.get()
    assert [s["name"] for s in check.standings] == ["甲老师"]
    assert check.problems == [
        {
            "row": 3,
            "name": "乙某",
            "id_tail": demerit.id_number[-4:],
            "message": "姓名“乙某”与该身份证号登记的姓名不符。",
        },
        {"row": 4, "name": "无名", "id_tail": "999X", "message": "在您可校验的人员中找不到该身份证号（尾号999X）。"},
    ]
    html = client.get(response["Location"]).content.decode()
    assert "另有 2 行未能校验" in html and "与该身份证号登记的姓名不符" in html


def test_a_school_secretary_cannot_check_another_schools_people_they_read_as_not_found(client, school_secretary, staff):
    _clear, _demerit, _warning, elsewhere = staff
    client.force_login(school_secretary)
    response = upload(client, [(elsewhere.name, elsewhere.id_number)])
    assert response.status_code == 200 and not VetoCheck.objects.exists()
    html = response.content.decode()
    assert f"在您可校验的人员中找不到该身份证号（尾号{elsewhere.id_number[-4:]}）。" in html
    assert "第二实验小学" not in html  # never revealed where the person works
    assert "名单中没有找到可校验的人员，未进行校验。" in html


def test_a_hostile_file_is_refused_by_the_guard_and_nothing_is_checked(client, school_secretary, staff):
    clear = staff[0]
    good = id_list([(clear.name, clear.id_number)]).read()
    source = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', body)
            target.writestr(info, body)
    client.force_login(school_secretary)
    response = upload(client, [], file=SimpleUploadedFile("名单.xlsx", out.getvalue(), content_type=XLSX))
    assert response.status_code == 200 and not VetoCheck.objects.exists()
    assert "工作表声明的数据范围 A1:XFD1048576 过大" in response.content.decode()
    garbage = upload(client, [], file=SimpleUploadedFile("名单.xlsx", b"PK not really", content_type=XLSX))
    assert "无法读取文件" in garbage.content.decode()


def test_a_bad_form_is_answered_in_chinese(client, school_secretary, staff):
    client.force_login(school_secretary)
    response = client.post(UPLOAD, {"purpose": "shortlisting", "on": "昨天"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "请选择校验事项。" in html and "请填写有效的日期。" in html and "请选择要上传的名单文件。" in html


def test_picking_people_with_the_person_picker(client, officer, staff, school):
    _clear, demerit, _warning, elsewhere = staff
    TenureFactory(person=demerit, post=PostFactory(organization=school, name="教导处主任"))
    client.force_login(officer)
    page = client.get(PICK)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'role="combobox"' in html and "<select" not in html.split('id="id_people"')[1]
    found = client.get(SEARCH, {"q": "乙老师"}).json()["results"]
    tail = demerit.id_number[-4:]
    assert found[0]["label"] == f"乙老师 · 第一实验小学 · 教导处主任 · 1986年04月 · 身份证后四位{tail}"
    tokens = [person_token(demerit.pk), person_token(elsewhere.pk), person_token(demerit.pk)]  # twice: once
    response = client.post(PICK, {"purpose": "post_promotion", "on": ON, "people": tokens})
    check = VetoCheck.objects.get()
    assert response.status_code == 302
    assert [s["name"] for s in check.standings] == ["乙老师", "丁老师"] and check.source == "pick"


def test_a_school_secretary_cannot_pick_another_schools_person(client, school_secretary, staff):
    elsewhere = staff[3]
    client.force_login(school_secretary)
    assert client.get(SEARCH, {"q": "丁老师"}).json()["results"] == []
    response = client.post(PICK, {"purpose": "award", "on": ON, "people": [person_token(elsewhere.pk)]})
    assert "所选人员不在可选范围内，请重新选择。" in response.content.decode()
    response = client.post(PICK, {"purpose": "award", "on": ON, "people": [str(elsewhere.pk)]})
    assert "所选人员无效，请重新选择。" in response.content.decode()
    response = client.post(PICK, {"purpose": "award", "on": ON})
    assert "请至少选择一人。" in response.content.decode() and not VetoCheck.objects.exists()


def test_the_whole_school_check_takes_the_active_staff_of_the_secretarys_school(
    client, school_secretary, staff, school
):
    PersonFactory(organization=school, name="退休老师", employment_status=EmploymentStatus.RETIRED)
    client.force_login(school_secretary)
    assert "将校验本校在职教职工共 3 人" in client.get(SCHOOL).content.decode()
    client.post(SCHOOL, {"purpose": "teacher_registration", "on": ON})
    check = VetoCheck.objects.get()
    assert sorted(s["name"] for s in check.standings) == ["丙老师", "乙老师", "甲老师"]
    assert [s["outcome_label"] for s in check.standings] == ["暂缓注册", "暂缓注册", "可以注册"]


def test_registration_failure_shows_as_not_qualified(client, school_secretary, staff, officer):
    clear = staff[0]
    for year in (2023, 2024):
        ethics_assessment_decide(
            acting_user=officer,
            person=clear,
            year=year,
            grade=EthicsGrade.FAILED,
            decided_on=D(year, 12, 20),
            violations=[Violation.GIFTS],
        )
    client.force_login(school_secretary)
    response = upload(client, [(clear.name, clear.id_number)], purpose="teacher_registration")
    html = client.get(response["Location"]).content.decode()
    assert "注册不合格" in html and "注册周期内2023、2024年度师德考核连续不合格" in html


def test_who_may_use_the_pages(client, school, officer, school_secretary, staff):
    teacher = UserFactory(roles=[Role.TEACHER], organization=school, organization__person=staff[0])
    client.force_login(teacher)
    for url in (INDEX, UPLOAD, PICK, SCHOOL):
        assert client.get(url).status_code == 403
    client.force_login(officer)
    assert client.get(INDEX).status_code == 200
    assert client.get(SCHOOL).status_code == 403  # "my school" is a school secretary's list


def test_a_check_is_reopened_only_in_scope_and_shows_what_was_checked_then(
    client, officer, school_secretary, other_school, staff
):
    _clear, demerit, _warning, _elsewhere = staff
    client.force_login(school_secretary)
    response = upload(client, [(demerit.name, demerit.id_number)])
    url = response["Location"]
    Sanction.objects.filter(person=demerit).update(status=Sanction.Status.ANNULLED, ended_on=D(2026, 3, 20))
    assert "暂不可（一票否决）" in client.get(url).content.decode()  # as checked then
    other = UserFactory(roles=[Role.SCHOOL_SECRETARY], organization=other_school)
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.get(url + "excel/").status_code == 404
    assert "还没有校验记录。" in client.get(INDEX).content.decode()
    client.force_login(officer)
    assert client.get(url).status_code == 200  # the bureau reads every school's checks


def test_the_excel_has_one_row_per_person_and_escapes_formula_like_text(client, officer, school):
    tricky = PersonFactory(organization=school, name="=HYPERLINK(1)")
    plain = PersonFactory(organization=school, name="王五", birth_date=D(1990, 1, 1))
    client.force_login(officer)
    response = upload(client, [(tricky.name, tricky.id_number), (plain.name, plain.id_number)])
    check = VetoCheck.objects.get()
    download = client.get(response["Location"] + "excel/")
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("序号", "姓名", "单位", "身份证号后四位", "校验结论", "原因", "限制至（含）")
    body = rows[2:]
    assert len(body) == check.total == 2
    names = {row[1] for row in body}
    assert names == {"'=HYPERLINK(1)", "王五"}
    assert all(sheet.cell(row=r, column=c).data_type != "f" for r in range(1, 5) for c in range(1, 8))


def test_the_pdf_content_is_built_from_the_stored_standings(client, school_secretary, staff):
    clear, demerit, warning, _elsewhere = staff
    client.force_login(school_secretary)
    upload(client, [(p.name, p.id_number) for p in (clear, demerit, warning)], purpose="award")
    check = VetoCheck.objects.get()
    doc = DossierDocument.objects.get(kind="veto_check")
    assert check.document == doc
    assert (doc.organization, doc.process_ref, doc.subject) == (check.organization, f"veto_check:{check.pk}", None)
    content = doc.content
    assert content["purpose"] == "评优奖励" and content["on_text"] == "2026年4月1日"
    assert content["summary"] == "共校验3人：无一票否决情形1人，受限2人。"
    assert [(r["number"], r["name"], r["standing"]) for r in content["rows"]] == [
        (1, "丙老师", "暂不可（一票否决）"),
        (2, "乙老师", "暂不可（一票否决）"),
        (3, "甲老师", "可以"),
    ]
    assert content["rows"][0]["until"] == "2026-09-15"
    assert content["rows"][0]["id_tail"] == warning.id_number[-4:]


def test_checking_a_whole_school_costs_the_same_queries_for_200_people_as_for_a_few(client, school_secretary, school):
    def post_count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.post(SCHOOL, {"purpose": "teacher_registration", "on": ON})
        assert response.status_code == 302
        return len(queries)

    for i in range(3):
        PersonFactory(organization=school, birth_date=D(1970, 1, 1) + dt.timedelta(days=i))
    client.force_login(school_secretary)
    few = post_count()
    for i in range(3, 200):
        PersonFactory(organization=school, birth_date=D(1970, 1, 1) + dt.timedelta(days=i))
    many = post_count()
    assert many == few
    assert VetoCheck.objects.order_by("-pk").first().total == 200
