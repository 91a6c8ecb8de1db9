"""Formula injection (issue 12 item 6): no workbook CadreFlow hands out contains a formula a user's data made.

Every export is driven over HTTP as its role would: the people (花名册) export and the roster template, the
veto list, the reserve pool list, the competition score template. Names and other texts start with `=`, `+`,
`-`, `@`, a tab or a carriage return; each comes back as a text cell with a leading apostrophe, the sheet XML
holds no `<f>` element, numbers stay numbers, and what the export escaped re-imports unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cadres.ethics.models import SanctionKind
from cadres.ethics.services import sanction_record
from cadres.excel import ExcelBook, escape_cell, unescape_cell
from cadres.models import Person
from cadres.roster.importer import import_roster
from reserve_pool.choices import ReserveState
from tests.factories import PersonFactory
from tests.reserve_pool.conftest import bring_to, make_teacher, nominate, posts  # noqa: F401 (posts: fixture)
from tests.workflows.competition.conftest import _urls_loaded, today, world  # noqa: F401 (fixtures)
from tests.workflows.competition.test_score_import import open_case, sitting_case  # noqa: F401 (fixtures)
from workflows.competition.flows import CompetitionFlow
from workflows.competition.models import Registration

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example","张")'
HOSTILE = {
    "name": HYPERLINK,
    "native_place": "+SUM(1,2)",
    "birthplace": "-2+3+cmd|' /C calc'!A0",
    "ethnicity": "@SUM(1+1)",
    "subject": "\t=1+1",
    "health": "\r=1+1",
}
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_no_formula(data: bytes) -> dict[str, list]:
    """Every sheet: no formula element in the XML, no formula cell, no text starting like a formula.

    Returns the cells of every sheet by title (openpyxl's normal, not read-only, reading).
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not _FORMULA_TAG.search(archive.read(name)), name
    book = load_workbook(io.BytesIO(data))
    sheets = {}
    for sheet in book.worksheets:
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
        for cell in cells:
            assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), (sheet.title, cell.value)
        sheets[sheet.title] = cells
    return sheets


def assert_escaped(cells, *values: str) -> None:
    by_value = {cell.value: cell for cell in cells}
    for value in values:
        # XML reading turns a bare carriage return into a line feed; the apostrophe before it is what counts
        cell = by_value.get("'" + value) or by_value.get("'" + value.replace("\r", "\n"))
        assert cell is not None, f"{value!r} not written escaped"
        assert cell.data_type == "s"


# --- the shared writer -----------------------------------------------------------------------------------


def test_the_writer_escapes_formula_like_text_and_keeps_numbers_and_dates():
    book = ExcelBook()
    sheet = book.sheet("试验")
    day = dt.date(2026, 3, 2)
    sheet.append_row([HYPERLINK, "-5", -5, Decimal("-2.5"), 3.25, day, "王老师", "", None, "'=已转义"])
    sheet.append_row([sheet.cell("+1", font=None), "@x", "\t=1", "\r=1"])
    cells = assert_no_formula(book.to_bytes())["试验"]
    values = [(cell.value, cell.data_type) for cell in cells]
    assert values[:6] == [
        ("'" + HYPERLINK, "s"),
        ("'-5", "s"),
        (-5, "n"),
        (-2.5, "n"),
        (3.25, "n"),
        (dt.datetime(2026, 3, 2), "d"),
    ]
    assert ("王老师", "s") in values and ("'=已转义", "s") in values  # an apostrophe already there is kept
    assert_escaped(cells, "+1", "@x", "\t=1", "\r=1")


def test_unescape_undoes_exactly_the_escape():
    for value in [*HOSTILE.values(), "王老师", "'普通", "'", "", None, -1, dt.date(2026, 1, 1)]:
        assert unescape_cell(escape_cell(value)) == value
    assert unescape_cell("'王老师") == "'王老师"


# --- every export over HTTP ------------------------------------------------------------------------------


def test_the_people_export_escapes_every_text_and_reimports_unchanged(client, officer, school):
    person = PersonFactory(organization=school, **HOSTILE)
    client.force_login(officer)
    cells = assert_no_formula(body(client.get("/registry/people/export/")))["花名册"]
    assert_escaped(cells, *HOSTILE.values())
    # the export's own guarantee: importing it back changes nothing (the apostrophe is not stored)
    exported = body(client.get("/registry/people/export/"))
    Person.objects.filter(pk=person.pk).update(
        native_place="山东济南", birthplace="山东济南", ethnicity="汉族", subject="", health="健康"
    )
    result = import_roster(exported, acting_user=officer)
    assert result.ok, result.errors
    person.refresh_from_db()
    assert person.name == HYPERLINK
    assert (person.native_place, person.ethnicity) == (HOSTILE["native_place"], HOSTILE["ethnicity"])


def test_the_roster_template_escapes_unit_names(client, officer, school):
    school.name = '=HYPERLINK("http://evil.example","第一实验小学")'
    school.save()
    client.force_login(officer)
    cells = assert_no_formula(body(client.get("/registry/roster/template/")))["单位代码"]
    assert_escaped(cells, school.name)


def test_the_veto_export_escapes_names_and_units(client, officer, school):
    school.name = "@第一实验小学"
    school.save()
    blocked = PersonFactory(organization=school, name=HYPERLINK)
    sanction_record(
        acting_user=officer,
        person=blocked,
        kind=SanctionKind.DEMERIT,
        decided_on=timezone.localdate() - dt.timedelta(days=10),
        authority="区教育局",
    )
    client.force_login(officer)
    cells = assert_no_formula(body(client.get("/registry/veto/export/?purpose=award")))["一票否决名单"]
    assert_escaped(cells, HYPERLINK, "@第一实验小学")


def test_the_reserve_pool_export_escapes_names(client, officer, school, posts):  # noqa: F811
    teacher = make_teacher(school, "-王老师")
    teacher.name = HYPERLINK
    teacher.save()
    bring_to(nominate(teacher, officer), ReserveState.IN_POOL, officer)
    client.force_login(officer)
    cells = assert_no_formula(body(client.get(reverse("reserve_pool:entries:export"))))["后备干部"]
    assert_escaped(cells, HYPERLINK)
    numbers = [cell for cell in cells if cell.data_type == "n"]
    assert numbers, "age and training hours stay numbers"


def test_the_score_template_escapes_names_keeps_numbers_and_imports_back(client, request):
    competition = request.getfixturevalue("world")
    case = request.getfixturevalue("open_case")
    Person.objects.filter(pk=competition.alice.pk).update(name=HYPERLINK)
    Registration.objects.filter(competition=case, person=competition.bob).update(evaluation=Decimal("-3.5"))
    flow = CompetitionFlow.instance
    client.force_login(competition.secretary)
    data = body(client.get(flow.reverse("score_template", args=[case.pk])))
    cells = assert_no_formula(data)["民主测评和工作业绩"]
    assert_escaped(cells, HYPERLINK)
    assert [(c.value, c.data_type) for c in cells if c.value == -3.5] == [(-3.5, "n")]  # a negative stays a number
    # filled in and uploaded again, the escaped name still matches its candidate
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    sheet["D3"], sheet["E3"], sheet["D4"], sheet["E4"] = 88, 90, 92, 85
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "成绩.xlsx"
    response = client.post(flow.reverse("score_import", args=[case.pk]), {"file": upload})
    assert response.status_code == 302, response.context and response.context.get("errors")
    assert Registration.objects.get(competition=case, person=competition.alice).evaluation == 88
