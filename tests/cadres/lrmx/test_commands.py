"""manage.py import_lrmx / export_lrmx."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEvent
from cadres.lrmx.reader import read_lrmx
from cadres.models import Person
from tests.factories import PersonFactory

from .samples import ID_NUMBER, sample_file

pytestmark = pytest.mark.django_db


def test_import_lrmx_imports_each_file_and_reports_the_bad_ones(tmp_path, school, capsys):
    good = tmp_path / "good.lrmx"
    good.write_bytes(sample_file())
    bad = tmp_path / "bad.lrmx"
    bad.write_bytes(b"<Cadre/>")
    with pytest.raises(CommandError, match="1 个文件未导入"):
        call_command("import_lrmx", str(good), str(bad), organization=school.code)
    out, err = capsys.readouterr()
    person = Person.objects.get()
    assert f"已新增 王建国（编号 {person.pk}）" in out and "提示：专业技术职务“高级教师”" in out
    assert "bad.lrmx: 未导入：根元素应为 <Person>" in err


def test_import_lrmx_as_a_user_keeps_to_their_scope(tmp_path, other_school, school_secretary):
    path = tmp_path / "a.lrmx"
    path.write_bytes(sample_file())
    with pytest.raises(CommandError):
        call_command("import_lrmx", str(path), organization=other_school.code, user=school_secretary.username)
    assert not Person.objects.exists()


def test_import_lrmx_names_an_unknown_unit(tmp_path):
    with pytest.raises(CommandError, match="单位代码 NOPE 不存在"):
        call_command("import_lrmx", str(tmp_path / "x.lrmx"), organization="NOPE")


def test_export_lrmx_writes_one_file_per_person(tmp_path, school, other_school, officer, capsys):
    first = PersonFactory(organization=school, name="甲")
    PersonFactory(organization=school, name="乙")
    PersonFactory(organization=other_school, name="丙")
    call_command("export_lrmx", organization=school.code, output_dir=str(tmp_path), user=officer.username)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 2 and files[0].endswith(".lrmx")
    assert read_lrmx((tmp_path / f"甲-{first.pk}.lrmx").read_bytes()).name == "甲"
    assert AuditEvent.objects.filter(action="lrmx_export", actor=officer).count() == 2


def test_export_lrmx_by_id_number_and_out_of_scope(tmp_path, school, other_school, school_secretary):
    PersonFactory(organization=school, id_number=ID_NUMBER)
    theirs = PersonFactory(organization=other_school)
    call_command("export_lrmx", ID_NUMBER, output_dir=str(tmp_path))
    assert len(list(tmp_path.iterdir())) == 1
    with pytest.raises(CommandError, match="不在权限范围内"):
        call_command("export_lrmx", str(theirs.pk), output_dir=str(tmp_path), user=school_secretary.username)
