"""Roster pages over HTTP: who may use them, upload results, template download, the filtered export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from cadres import choices as c
from cadres.idcard import make_id_number
from cadres.models import Person
from cadres.roles import Role
from cadres.roster.columns import HEADERS
from tests.factories import PersonFactory, TitleFactory, UserFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "/registry/roster/"
TEMPLATE_URL = "/registry/roster/template/"
EXPORT_URL = "/registry/people/export/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def roster_file(rows: list[dict], name: str = "roster.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(list(HEADERS))
    for row in rows:
        ws.append([row.get(h) for h in HEADERS])
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def person_row(org, seq: int, **cells) -> dict:
    birth = dt.date(1990, 1, 1) + dt.timedelta(days=seq)
    row = {
        "身份证号": make_id_number("110101", birth, seq, "M"),
        "姓名": f"赵{seq}",
        "性别": "男",
        "参加工作时间": "2012.09",
        "单位代码": org.code,
    }
    row.update(cells)
    return row


def exported_names(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    data = b"".join(response.streaming_content)
    rows = list(load_workbook(io.BytesIO(data), read_only=True)["花名册"].iter_rows(values_only=True))
    assert rows[0] == HEADERS
    return sorted(r[HEADERS.index("姓名")] for r in rows[1:])


# --- who may use the pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [IMPORT_URL, TEMPLATE_URL, EXPORT_URL])
def test_anonymous_users_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", [IMPORT_URL, TEMPLATE_URL, EXPORT_URL])
def test_a_teacher_gets_403(client, school, url):
    teacher = UserFactory(
        roles=[Role.TEACHER], organization=school, organization__person=PersonFactory(organization=school)
    )
    client.force_login(teacher)
    assert client.get(url).status_code == 403
    assert client.post(IMPORT_URL, {"file": roster_file([person_row(school, 1)])}).status_code == 403
    assert not Person.objects.exclude(pk=teacher.profile.person_id).exists()


def test_a_bureau_user_without_the_officer_role_gets_403(client, bureau):
    client.force_login(UserFactory(roles=[Role.DISCIPLINE_INSPECTOR], organization=bureau))
    assert client.get(IMPORT_URL).status_code == 403


@pytest.mark.parametrize("user_fixture", ["officer", "school_secretary"])
def test_officers_and_school_secretaries_see_the_import_page(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get(IMPORT_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/registry/roster/template/"' in page
    assert 'enctype="multipart/form-data"' in page


# --- uploading -------------------------------------------------------------------------------------------


def test_a_valid_upload_redirects_and_reports_the_counts(client, officer, school):
    existing = PersonFactory(organization=school)
    update = {"身份证号": existing.id_number, "姓名": "改名", "性别": "男", "参加工作时间": "2002.08"}
    update["单位代码"] = school.code
    client.force_login(officer)
    response = client.post(IMPORT_URL, {"file": roster_file([person_row(school, 1), update])})
    assert response.status_code == 302
    assert response["Location"] == IMPORT_URL
    page = client.get(IMPORT_URL).content.decode()
    assert "导入完成：共 2 行，新增 1 人，更新 1 人，0 人无变化。" in page
    assert Person.objects.count() == 2


def test_an_invalid_upload_shows_every_error_and_the_error_workbook(client, officer, school):
    client.force_login(officer)
    rows = [person_row(school, 1), person_row(school, 2, 单位代码="NOPE"), person_row(school, 3, 姓名=None)]
    response = client.post(IMPORT_URL, {"file": roster_file(rows)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "文件有 2 处错误，未导入任何数据。" in page
    assert "<td>3</td><td>单位代码</td><td>单位代码“NOPE”不存在。</td>" in page
    assert "<td>4</td><td>姓名</td><td>必填项，不能为空。</td>" in page
    assert f"data:{XLSX};base64," in page
    assert response.context["errors_xlsx"]
    assert not Person.objects.exists()


def test_an_upload_that_is_not_xlsx_is_refused_with_a_message(client, officer):
    client.force_login(officer)
    old_excel = SimpleUploadedFile(
        "roster.xls", b"\xd0\xcf\x11\xe0 not really", content_type="application/vnd.ms-excel"
    )
    response = client.post(IMPORT_URL, {"file": old_excel})
    assert response.status_code == 200
    assert "请上传 .xlsx 格式的 Excel 文件" in response.content.decode()
    renamed = SimpleUploadedFile("roster.xlsx", b"id,name\n", content_type=XLSX)
    response = client.post(IMPORT_URL, {"file": renamed})
    assert "无法读取文件：请上传 Excel 工作簿（.xlsx）格式的花名册。" in response.content.decode()


def test_a_school_secretary_upload_with_another_school_row_is_refused(client, school_secretary, school, other_school):
    client.force_login(school_secretary)
    response = client.post(IMPORT_URL, {"file": roster_file([person_row(school, 1), person_row(other_school, 2)])})
    assert "<td>3</td><td>单位代码</td><td>无权导入其他单位人员。</td>" in response.content.decode()
    assert not Person.objects.exists()


# --- template and export ---------------------------------------------------------------------------------


def test_the_template_download_lists_only_the_secretarys_own_school(client, school_secretary, school, other_school):
    client.force_login(school_secretary)
    response = client.get(TEMPLATE_URL)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert list(wb["单位代码"].iter_rows(values_only=True)) == [("单位代码", "单位名称"), (school.code, school.name)]


def test_the_export_follows_the_list_filters(client, officer, school, other_school):
    PersonFactory(organization=school, name="甲")
    senior = PersonFactory(organization=school, name="乙")
    TitleFactory(person=senior, title=c.TeacherTitle.SENIOR)
    PersonFactory(organization=other_school, name="丙")
    client.force_login(officer)
    assert exported_names(client.get(EXPORT_URL)) == ["丙", "乙", "甲"]
    assert exported_names(client.get(EXPORT_URL, {"organization": school.pk})) == ["乙", "甲"]
    assert exported_names(client.get(EXPORT_URL, {"title": c.TeacherTitle.SENIOR})) == ["乙"]
    assert exported_names(client.get(EXPORT_URL, {"q": "丙"})) == ["丙"]


def test_other_school_people_never_appear_in_a_secretarys_export(client, school_secretary, school, other_school):
    PersonFactory(organization=school, name="本校")
    PersonFactory(organization=other_school, name="外校")
    client.force_login(school_secretary)
    assert exported_names(client.get(EXPORT_URL)) == ["本校"]
    assert exported_names(client.get(EXPORT_URL, {"organization": other_school.pk})) == []
    assert exported_names(client.get(EXPORT_URL, {"q": "外校"})) == []


def test_export_is_recorded_in_the_audit_trail(client, officer, school):
    from audit.models import AuditEvent
    from tests.factories import PersonFactory

    PersonFactory(organization=school)
    client.force_login(officer)
    response = client.get(f"/registry/people/export/?organization={school.pk}")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="roster_exported")
    assert event.actor == officer and event.payload["rows"] == 1
