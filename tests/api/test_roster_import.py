"""POST /api/roster/import/: who may call it, how the importer's result maps onto the response, end to end."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from audit.models import AuditEvent
from cadres import choices as c
from cadres.idcard import make_id_number
from cadres.models import Person, TitleHistory
from cadres.roles import Role
from cadres.roster.columns import HEADERS
from tests.api.conftest import client_for
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/roster/import/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(content: bytes = b"PK\x03\x04 not really a workbook", name: str = "花名册.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


@dataclass
class FakeError:
    row: int | None
    column: str
    message: str


@dataclass
class FakeResult:
    ok: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)


def test_success_maps_to_201_with_counts_and_passes_file_and_acting_user(officer):
    received = {}

    def fake_import(file_obj, *, acting_user):
        received.update(name=file_obj.name, content=file_obj.read(), acting_user=acting_user)
        return FakeResult(True, created=3, updated=2, unchanged=4)

    with mock.patch("cadres.roster.importer.import_roster", side_effect=fake_import):
        response = client_for(officer).post(URL, {"file": upload(b"abc")}, format="multipart")
    assert response.status_code == 201
    assert response.json() == {"created": 3, "updated": 2, "unchanged": 4}
    assert received == {"name": "花名册.xlsx", "content": b"abc", "acting_user": officer}


def test_failure_maps_to_400_with_every_row_error(school_secretary):
    errors = [FakeError(3, "身份证号", "校验码错误。"), FakeError(5, "单位代码", "单位代码不在你的管理范围内。")]
    with mock.patch("cadres.roster.importer.import_roster", return_value=FakeResult(False, errors=errors)):
        response = client_for(school_secretary).post(URL, {"file": upload()}, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == [
        {"row": 3, "column": "身份证号", "message": "校验码错误。"},
        {"row": 5, "column": "单位代码", "message": "单位代码不在你的管理范围内。"},
    ]
    assert body["detail"] == "花名册未导入，请按错误提示修改后重新上传。"


def test_missing_file_is_400_in_the_same_shape_without_calling_the_importer(officer):
    with mock.patch("cadres.roster.importer.import_roster") as importer:
        response = client_for(officer).post(URL, {}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"row": None, "column": "file", "message": "请上传花名册文件（字段名 file）。"}
    ]
    importer.assert_not_called()


def test_json_body_is_415(officer):
    response = client_for(officer).post(URL, {"file": "x"}, format="json")
    assert response.status_code == 415


@pytest.mark.parametrize("roles", [[Role.TEACHER], [Role.INSPECTION_TEAM], []])
def test_other_roles_may_not_import(school, roles):
    user = UserFactory(roles=roles, organization=school)
    with mock.patch("cadres.roster.importer.import_roster") as importer:
        response = client_for(user).post(URL, {"file": upload()}, format="multipart")
    assert response.status_code == 403
    assert response.json()["detail"] == "只有组织人事科干部或学校党组织书记/校长可以导入花名册。"
    importer.assert_not_called()


def test_anonymous_may_not_import(api_client):
    with mock.patch("cadres.roster.importer.import_roster") as importer:
        response = api_client.post(URL, {"file": upload()}, format="multipart")
    assert response.status_code in (401, 403)
    importer.assert_not_called()


# --- end to end with the real importer ------------------------------------------------------------------


def _workbook(rows: list[dict[str, object]]) -> bytes:
    """A roster workbook with the importer's own headers (cadres/roster/columns.py) and the given rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(list(HEADERS))
    for row in rows:
        unknown = set(row) - set(HEADERS)
        assert not unknown, unknown
        ws.append([row.get(header) for header in HEADERS])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _row(person_id: str, name: str, unit_code: str, **extra) -> dict[str, object]:
    return {
        "身份证号": person_id,
        "姓名": name,
        "性别": "女",
        "参加工作时间": "2010.09",
        "单位代码": unit_code,
        **extra,
    }


def test_school_secretary_imports_a_workbook_end_to_end(school_secretary, school):
    existing = PersonFactory(organization=school, name="旧名字", sex=c.Sex.FEMALE, birth_date=dt.date(1986, 2, 3))
    new_id = make_id_number("110101", dt.date(1990, 7, 8), 11, c.Sex.FEMALE)
    workbook = _workbook(
        [
            _row(new_id, "新教师", school.code, 专业技术职务="二级教师", 取得资格时间="2015-12-01"),
            _row(existing.id_number, "新名字", school.code),
        ]
    )
    response = client_for(school_secretary).post(URL, {"file": upload(workbook)}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json() == {"created": 1, "updated": 1, "unchanged": 0}
    created = Person.objects.get(id_number=new_id)
    assert (created.name, created.organization, created.birth_date) == ("新教师", school, dt.date(1990, 7, 8))
    assert TitleHistory.objects.get(person=created).title == c.TeacherTitle.SECOND
    existing.refresh_from_db()
    assert existing.name == "新名字"
    assert AuditEvent.objects.filter(action="roster_import").count() == 1


def test_rows_outside_the_secretarys_school_fail_the_whole_import(school_secretary, school, other_school):
    ok_id = make_id_number("110101", dt.date(1990, 7, 8), 12, c.Sex.FEMALE)
    other_id = make_id_number("110101", dt.date(1991, 1, 9), 13, c.Sex.FEMALE)
    workbook = _workbook([_row(ok_id, "本校教师", school.code), _row(other_id, "外校教师", other_school.code)])
    response = client_for(school_secretary).post(URL, {"file": upload(workbook)}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"row": 3, "column": "单位代码", "message": "无权导入其他单位人员。"}]
    assert not Person.objects.filter(id_number__in=[ok_id, other_id]).exists()


def test_a_file_that_is_not_a_workbook_is_400_with_a_file_level_error(officer):
    response = client_for(officer).post(URL, {"file": upload(b"name,id\n")}, format="multipart")
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["row"] is None
    assert "无法读取文件" in error["message"]


def test_personnel_officer_outside_the_bureau_is_refused_by_the_importer(school):
    misplaced = UserFactory(roles=[Role.PERSONNEL_OFFICER], organization=school)
    response = client_for(misplaced).post(URL, {"file": upload(_workbook([]))}, format="multipart")
    assert response.status_code == 403
    assert response.json()["detail"] == "无权导入花名册。"
