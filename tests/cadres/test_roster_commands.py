"""`manage.py import_roster` and `manage.py export_roster`."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from cadres.idcard import make_id_number
from cadres.models import Person
from cadres.roles import Role
from cadres.roster.columns import HEADERS
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def write_roster(path, rows: list[dict]):
    wb = Workbook()
    ws = wb.active
    ws.append(list(HEADERS))
    for row in rows:
        ws.append([row.get(h) for h in HEADERS])
    wb.save(path)
    return path


def person_row(org, seq: int, **cells) -> dict:
    birth = dt.date(1988, 6, 1) + dt.timedelta(days=seq)
    row = {
        "身份证号": make_id_number("370102", birth, seq, "F"),
        "姓名": f"孙{seq}",
        "性别": "女",
        "参加工作时间": "2010-09-01",
        "单位代码": org.code,
    }
    row.update(cells)
    return row


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_roster_prints_the_counts(tmp_path, officer, school):
    path = write_roster(tmp_path / "roster.xlsx", [person_row(school, 1), person_row(school, 2)])
    output = run("import_roster", str(path), "--user", officer.username)
    assert "roster.xlsx：共 2 行，新增 2 人，更新 0 人，0 人无变化。" in output
    assert Person.objects.count() == 2


def test_import_roster_prints_the_error_table_and_fails(tmp_path, officer, school):
    path = write_roster(tmp_path / "roster.xlsx", [person_row(school, 1), person_row(school, 2, 性别="男")])
    report = tmp_path / "errors.xlsx"
    out = io.StringIO()
    with pytest.raises(CommandError, match="共 1 处错误，未导入任何数据"):
        call_command("import_roster", str(path), "--user", officer.username, "--errors-xlsx", str(report), stdout=out)
    assert "行号\t列\t原因\n3\t性别\t性别与身份证号不一致（身份证号显示为女）。" in out.getvalue()
    assert list(load_workbook(report).active.iter_rows(values_only=True))[1] == (
        3,
        "性别",
        "性别与身份证号不一致（身份证号显示为女）。",
    )
    assert not Person.objects.exists()


def test_import_roster_refuses_unknown_and_unauthorised_users_and_missing_files(tmp_path, school):
    path = write_roster(tmp_path / "roster.xlsx", [person_row(school, 1)])
    with pytest.raises(CommandError, match="用户 nobody 不存在"):
        run("import_roster", str(path), "--user", "nobody")
    teacher = UserFactory(roles=[Role.TEACHER], organization=school)
    with pytest.raises(CommandError, match="无权导入花名册"):
        run("import_roster", str(path), "--user", teacher.username)
    secretary = UserFactory(roles=[Role.SCHOOL_SECRETARY], organization=school)
    with pytest.raises(CommandError, match="无法打开文件"):
        run("import_roster", str(tmp_path / "missing.xlsx"), "--user", secretary.username)
    assert not Person.objects.exists()


def test_export_roster_writes_one_unit_and_the_file_reimports_unchanged(tmp_path, officer, school, other_school):
    PersonFactory(organization=school, name="本校甲")
    PersonFactory(organization=school, name="本校乙")
    PersonFactory(organization=other_school, name="外校丙")
    output = tmp_path / "school.xlsx"
    assert f"已导出 2 人到 {output}。" in run("export_roster", "--org", school.code, "--output", str(output))
    rows = list(load_workbook(output, read_only=True)["花名册"].iter_rows(values_only=True))
    assert sorted(r[HEADERS.index("姓名")] for r in rows[1:]) == ["本校乙", "本校甲"]
    assert "新增 0 人，更新 0 人，2 人无变化" in run("import_roster", str(output), "--user", officer.username)


def test_export_roster_without_org_writes_everyone_and_refuses_an_unknown_code(tmp_path, school, other_school):
    PersonFactory(organization=school)
    PersonFactory(organization=other_school)
    output = tmp_path / "all.xlsx"
    assert "已导出 2 人" in run("export_roster", "--output", str(output))
    with pytest.raises(CommandError, match="单位代码 NOPE 不存在"):
        run("export_roster", "--org", "NOPE", "--output", str(output))
