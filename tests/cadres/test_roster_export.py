"""Roster export and template: the layout, and an export that re-imports without changing anything."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.forms.models import model_to_dict
from openpyxl import load_workbook

from audit.models import AuditEvent
from cadres import choices as c
from cadres.models import Education, Person, TitleHistory
from cadres.roster.columns import HEADERS
from cadres.roster.exporter import export_roster
from cadres.roster.importer import import_roster
from cadres.roster.template import build_template
from tests.factories import EducationFactory, PersonFactory, TitleFactory

pytestmark = pytest.mark.django_db


def rows_of(data: bytes, sheet: str = "花名册") -> list[tuple]:
    rows = list(load_workbook(io.BytesIO(data), read_only=True)[sheet].iter_rows(values_only=True))
    width = max((len(row) for row in rows), default=0)
    # The export streams its rows (write-only, no <dimension>): a row ends at its last filled cell.
    return [row + (None,) * (width - len(row)) for row in rows]


def upload(data: bytes, name: str = "export.xlsx") -> io.BytesIO:
    buffer = io.BytesIO(data)
    buffer.name = name
    return buffer


def snapshot() -> dict:
    """Every stored field of every person, title and education (ignoring the update timestamp)."""
    people = {p.pk: {k: v for k, v in model_to_dict(p).items() if k != "photo"} for p in Person.objects.all()}
    for p in Person.objects.all():
        people[p.pk]["updated_at"] = p.updated_at
    return {
        "people": people,
        "titles": sorted(TitleHistory.objects.values_list("id", "person_id", "title", "obtained_on", "appointed_on")),
        "educations": sorted(
            Education.objects.values_list(
                "id", "person_id", "kind", "level", "degree", "institution", "major", "start_date", "end_date"
            )
        ),
    }


@pytest.fixture
def registry(school, other_school):
    """People with everything the roster carries, and some with nothing optional at all."""
    rich = PersonFactory(
        organization=school,
        name="欧阳·娜仁",
        sex=c.Sex.FEMALE,
        birth_date=dt.date(1979, 10, 5),
        record_birth_month=dt.date(1979, 9, 1),
        ethnicity="蒙古族",
        native_place="内蒙古呼和浩特",
        birthplace="内蒙古包头",
        political_status=c.PoliticalStatus.CPC_PROBATIONARY,
        party_join_date=dt.date(2024, 7, 1),
        work_start_date=dt.date(2001, 9, 1),
        health="良好",
        subject="音乐",
        employment_status=c.EmploymentStatus.RETIRED,
    )
    TitleFactory(person=rich, title=c.TeacherTitle.SECOND, obtained_on=dt.date(2006, 12, 1))
    TitleFactory(person=rich, title=c.TeacherTitle.SENIOR, obtained_on=dt.date(2018, 12, 1))
    EducationFactory(person=rich, level=c.EducationLevel.JUNIOR_COLLEGE, degree="", institution="包头师专")
    EducationFactory(
        person=rich, level=c.EducationLevel.BACHELOR, institution="内蒙古师大", end_date=dt.date(2001, 7, 1)
    )
    EducationFactory(
        person=rich,
        kind=c.EducationKind.IN_SERVICE,
        level=c.EducationLevel.MASTER,
        degree="",
        institution="北京师范大学",
        major="",
        end_date=None,
    )
    bare = PersonFactory(
        organization=other_school,
        political_status=c.PoliticalStatus.MASSES,
        party_join_date=None,
        native_place="",
        birthplace="",
    )
    return rich, bare


def test_an_export_reimports_without_any_change(officer, registry):
    before = snapshot()
    data = export_roster(Person.objects.all())
    result = import_roster(upload(data), acting_user=officer)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged, result.rows) == (0, 0, 2, 2)
    assert snapshot() == before
    assert AuditEvent.objects.filter(action="roster_import").count() == 1


def test_an_export_imported_into_an_empty_registry_recreates_the_same_fields(officer, registry):
    rich, _bare = registry
    exported = export_roster(Person.objects.all())
    fields = ["name", "sex", "birth_date", "record_birth_month", "ethnicity", "native_place", "birthplace"]
    fields += ["political_status", "party_join_date", "work_start_date", "health", "subject", "employment_status"]
    fields += ["organization_id", "id_number"]
    expected = sorted(Person.objects.values_list(*fields))
    TitleHistory.objects.all().delete()
    Education.objects.all().delete()
    Person.objects.all().delete()
    result = import_roster(upload(exported), acting_user=officer)
    assert (result.created, result.updated) == (2, 0)
    assert sorted(Person.objects.values_list(*fields)) == expected
    again = Person.objects.get(id_number=rich.id_number)
    assert list(again.titles.values_list("title", "obtained_on")) == [(c.TeacherTitle.SENIOR, dt.date(2018, 12, 1))]
    assert sorted(again.educations.values_list("kind", "level", "degree", "institution")) == [
        (c.EducationKind.FULL_TIME, c.EducationLevel.BACHELOR, c.Degree.BACHELOR, "内蒙古师大"),
        (c.EducationKind.IN_SERVICE, c.EducationLevel.MASTER, "", "北京师范大学"),
    ]


def test_the_export_has_the_template_header_and_prints_labels_and_the_highest_education(registry):
    rich, bare = registry
    header, *rows = rows_of(export_roster(Person.objects.order_by("pk")))
    assert header == HEADERS
    cells = dict(zip(HEADERS, rows[0], strict=True))
    assert cells["身份证号"] == rich.id_number
    assert (cells["性别"], cells["政治面貌"], cells["在职状态"]) == ("女", "中共预备党员", "退休")
    assert cells["出生日期"] == dt.datetime(1979, 10, 5)
    assert cells["档案出生年月"] == "1979.09"
    assert (cells["专业技术职务"], cells["取得资格时间"]) == ("高级教师", dt.datetime(2018, 12, 1))
    assert (cells["全日制学历"], cells["全日制学位"], cells["全日制毕业院校"]) == ("大学本科", "学士", "内蒙古师大")
    assert (cells["在职学历"], cells["在职学位"], cells["在职专业"]) == ("硕士研究生", "无", None)
    bare_cells = dict(zip(HEADERS, rows[1], strict=True))
    assert bare_cells["单位代码"] == bare.organization.code
    assert all(bare_cells[h] is None for h in ("入党时间", "专业技术职务", "全日制学历", "在职学历", "籍贯"))


def test_the_export_lists_the_units_it_names(registry, school, other_school):
    units = rows_of(export_roster(Person.objects.filter(organization=school)), "单位代码")
    assert units == [("单位代码", "单位名称"), (school.code, school.name)]


def test_the_template_has_a_header_drop_downs_an_example_a_help_sheet_and_the_units(school):
    data = build_template(organizations=[school])
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["花名册", "示例", "说明", "单位代码"]
    roster = wb["花名册"]
    assert [cell.value for cell in roster[1]] == list(HEADERS)
    assert roster.max_row == 1
    assert roster["A1"].comment is not None and "必填" in roster["A1"].comment.text
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in roster.data_validations.dataValidation}
    assert lists["C2"] == '"男,女"'
    assert lists["I2"] == '"中共党员,中共预备党员,共青团员,民主党派,无党派人士,群众"'
    assert lists["M2"] == "'单位代码'!$A$2:$A$2"
    assert "无" in lists["S2"]
    help_rows = [r for r in wb["说明"].iter_rows(values_only=True) if r[0] in HEADERS]
    assert [r[0] for r in help_rows] == list(HEADERS)
    assert dict((r[0], r[1]) for r in help_rows)["身份证号"] == "是"
    assert list(wb["单位代码"].iter_rows(values_only=True)) == [("单位代码", "单位名称"), (school.code, school.name)]


def test_the_template_example_row_imports_as_it_is(officer, school):
    wb = load_workbook(io.BytesIO(build_template(organizations=[school])))
    example = [cell.value for cell in wb["示例"][2]]
    wb["花名册"].append(example)
    buffer = io.BytesIO()
    wb.save(buffer)
    result = import_roster(upload(buffer.getvalue(), "template.xlsx"), acting_user=officer)
    assert result.ok, result.errors
    person = Person.objects.get()
    assert (person.name, person.organization) == ("李晓梅", school)
    assert person.titles.count() == 1
    assert person.educations.count() == 2
