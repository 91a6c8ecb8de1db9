"""Imports cannot exhaust memory (issue 12 item 7): crafted workbooks are refused before openpyxl reads them,
or read without padding, in well under 300 MB and 30 s, with a Chinese message naming the limit; nothing is
written. Driven over HTTP (the roster page and /api/roster/import/, the competition score page)."""

from __future__ import annotations

import re
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from cadres.models import Education, Person, TitleHistory
from cadres.roster import importer
from cadres.xlsx_guard import MAX_UPLOAD_BYTES, XlsxLimits, XlsxRefused, read_upload
from tests.api.conftest import client_for
from tests.factories import PersonFactory
from tests.workflows.competition.conftest import _urls_loaded, today, world  # noqa: F401 (fixtures)
from tests.workflows.competition.test_score_import import open_case, sitting_case  # noqa: F401 (fixtures)
from workflows.competition.flows import CompetitionFlow
from workflows.competition.models import Registration

from .xlsx_samples import MB, SHEET, XLSX, measure, person_row, rezip, roster_bytes, with_shared_strings

pytestmark = pytest.mark.django_db

PAGE = "/registry/roster/"
API = "/api/roster/import/"
# An unguarded read of these files runs for minutes or exhausts memory; the bound leaves room for a loaded CI
# machine (two suites side by side on two cores) and still tells a guarded read from an unguarded one.
MAX_SECONDS = 30
MAX_PEAK_MB = 300
ROSTER_HEADERS = ("身份证号", "姓名", "性别", "参加工作时间", "单位代码")
SCORE_HEADERS = ("序号", "姓名", "岗位", "民主测评成绩", "工作业绩成绩")
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def registry_state():
    return (
        list(Person.objects.order_by("pk").values_list("pk", "name", "organization_id", "health", "subject")),
        Education.objects.count(),
        TitleHistory.objects.count(),
        AuditEvent.objects.filter(action="roster_import").count(),
    )


@pytest.fixture
def registry(school):
    PersonFactory(organization=school, name="原有甲", subject="语文")
    PersonFactory(organization=school, name="原有乙", subject="数学")
    return school


def page_errors(client, data: bytes, name: str = "花名册.xlsx", status: int = 200) -> list[str]:
    response = client.post(PAGE, {"file": SimpleUploadedFile(name, data, content_type=XLSX)})
    assert response.status_code == status  # the page again, with the errors (a success redirects)
    result = response.context["result"]
    form_errors = [str(e) for e in response.context["form"].errors.get("file", [])]
    return form_errors + ([e.message for e in result.errors] if result else [])


def api_errors(user, data: bytes, status: int = 400) -> list[str]:
    upload = SimpleUploadedFile("花名册.xlsx", data, content_type=XLSX)
    response = client_for(user).post(API, {"file": upload}, format="multipart")
    assert response.status_code == status, response.status_code
    return [e["message"] for e in response.json()["errors"]]


def with_dimension(ref: str) -> bytes:
    def change(xml: bytes) -> bytes:
        return re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), xml)

    return change


def sheet_xml(rows: list[str], dimension: str = "") -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{_NS}">{dim}<sheetData>{"".join(rows)}</sheetData></worksheet>'.encode()


def text_cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


# --- the <dimension> ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("via", ["page", "api"])
def test_a_sheet_claiming_a1_to_xfd1048576_is_refused_before_reading(client, officer, registry, via):
    valid = roster_bytes([person_row(registry, 1), person_row(registry, 2)])
    data = rezip(valid, replace={SHEET: with_dimension("A1:XFD1048576")})
    assert len(data) < 20_000  # a small file: the claim is the attack
    before = registry_state()
    client.force_login(officer)
    errors, cost = measure(lambda: page_errors(client, data) if via == "page" else api_errors(officer, data))
    assert errors == [
        "工作表声明的数据范围 A1:XFD1048576 过大：最多 21000 行、200 列。"
        "请删除多余的行和列（含只设了格式的空行），或分批导入。"
    ]
    assert cost.seconds < MAX_SECONDS and cost.peak_mb < MAX_PEAK_MB, cost
    assert registry_state() == before


def test_cells_at_column_xfd_without_a_dimension_are_read_without_padding(client, officer, registry):
    """openpyxl pads each row up to its last cell: 3,000 rows ending at XFD were 49 million cells."""
    header = "".join(text_cell(f"{col}1", h) for col, h in zip("ABCDE", ROSTER_HEADERS, strict=True))
    rows = [f'<row r="1">{header}</row>']
    rows += [f'<row r="{r}">{text_cell(f"A{r}", f"bad{r}")}{text_cell(f"XFD{r}", "x")}</row>' for r in range(2, 3002)]
    data = rezip(roster_bytes([]), replace={SHEET: sheet_xml(rows)})
    before = registry_state()
    client.force_login(officer)
    errors, cost = measure(lambda: page_errors(client, data))
    assert cost.seconds < MAX_SECONDS and cost.peak_mb < MAX_PEAK_MB, cost
    assert len(errors) > 3000 and all(isinstance(e, str) and e for e in errors)  # every row's own reasons
    assert registry_state() == before


def test_more_rows_than_the_sheet_may_span_are_refused_whatever_the_dimension_says(officer, registry, monkeypatch):
    monkeypatch.setattr(importer, "LIMITS", XlsxLimits(sheet_rows=5, cells=1000))
    data = roster_bytes([person_row(registry, i) for i in range(1, 11)])
    data = rezip(data, replace={SHEET: with_dimension("A1:B2")})  # the claim is small, the rows are not
    result = importer.import_roster(data, acting_user=officer)
    assert [e.message for e in result.errors] == ["工作表超过 5 行（含只设了格式的空行）：请删除多余的行，或分批导入。"]
    assert not Person.objects.filter(name__startswith="钱").exists()


# --- shared strings and zip bombs --------------------------------------------------------------------------


def shared_strings(items: bytes, count: int) -> bytes:
    return f'<sst xmlns="{_NS}" count="{count}" uniqueCount="{count}">'.encode() + items + b"</sst>"


def test_three_million_shared_strings_are_refused_quickly(client, officer, registry):
    bomb = shared_strings(b"<si><t>a</t></si>" * 3_000_000, 3_000_000)
    data = with_shared_strings(roster_bytes([person_row(registry, 1)]), bomb)
    before = registry_state()
    client.force_login(officer)
    errors, cost = measure(lambda: page_errors(client, data))
    assert len(errors) == 1 and ("压缩炸弹" in errors[0] or "600000" in errors[0]), errors
    assert cost.seconds < MAX_SECONDS and cost.peak_mb < MAX_PEAK_MB, cost
    assert registry_state() == before


def test_shared_strings_are_counted_not_taken_from_the_count_attribute(officer, registry):
    items = b"".join(b"<si><t>%d</t></si>" % i for i in range(700_000))  # varied: an ordinary ratio
    data = with_shared_strings(roster_bytes([person_row(registry, 1)]), shared_strings(items, 1))
    assert len(data) < MAX_UPLOAD_BYTES
    before = registry_state()
    result, cost = measure(lambda: importer.import_roster(data, acting_user=officer))
    assert [e.message for e in result.errors] == ["工作簿中的文字超过 600000 条：请删除多余的内容，或分批导入。"]
    assert cost.seconds < MAX_SECONDS and cost.peak_mb < MAX_PEAK_MB, cost
    assert registry_state() == before


def test_a_zip_bomb_is_refused(client, officer, registry):
    inflated = sheet_xml([]).replace(b"<sheetData>", b"<sheetData>" + b" " * (40 * MB))
    data = rezip(roster_bytes([person_row(registry, 1)]), replace={SHEET: inflated})
    assert len(data) < MB
    before = registry_state()
    client.force_login(officer)
    errors, cost = measure(lambda: page_errors(client, data))
    assert errors == [
        "文件结构异常（疑似压缩炸弹）：解压后超过 150 MB 或压缩比超过 200 倍，请用 Excel 另存为 .xlsx 后重试。"
    ]
    assert cost.seconds < MAX_SECONDS and cost.peak_mb < MAX_PEAK_MB, cost
    assert registry_state() == before


def lie_about_size(data: bytes, member: str, size: int) -> bytes:
    """The archive with `member`'s uncompressed size in the central directory replaced by `size`."""
    name = member.encode()
    at = 0
    while True:
        at = data.index(b"PK\x01\x02", at)
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name:
            return data[: at + 24] + struct.pack("<I", size) + data[at + 28 :]
        at += 46


def test_a_member_that_inflates_past_its_declared_size_is_refused_as_unreadable(officer, registry):
    data = lie_about_size(roster_bytes([person_row(registry, 1)]), SHEET, 100)
    result = importer.import_roster(data, acting_user=officer)
    assert [e.message for e in result.errors] == ["无法读取文件：请上传 Excel 工作簿（.xlsx）格式的花名册。"]
    assert not Person.objects.filter(name__startswith="钱").exists()


# --- the 20 MB cap -----------------------------------------------------------------------------------------


TOO_LARGE = "文件过大（21.0 MB）：上传的 Excel 文件不能超过 20 MB，请分批导入。"


def test_a_21_mb_upload_is_refused_on_the_page_and_the_api_before_its_body_is_read(
    client, officer, registry, monkeypatch
):
    from django.core.handlers.wsgi import WSGIRequest
    from rest_framework.request import Request

    def no_parsing(self):
        raise AssertionError("the body was parsed")

    monkeypatch.setattr(WSGIRequest, "_load_post_and_files", no_parsing)
    monkeypatch.setattr(Request, "_load_data_and_files", no_parsing)
    data = b"PK\x03\x04" + b"\0" * (21 * MB)
    before = registry_state()
    client.force_login(officer)
    assert page_errors(client, data, status=413) == [TOO_LARGE]
    assert api_errors(officer, data, status=413) == [TOO_LARGE]
    assert registry_state() == before


def test_a_page_upload_over_20_mb_within_the_request_allowance_is_refused_by_the_form(client, officer, registry):
    data = b"PK\x03\x04" + b"\0" * (20 * MB)  # 20 MB and 4 bytes: the request passes, the file does not
    before = registry_state()
    client.force_login(officer)
    assert page_errors(client, data) == ["文件不能超过 20 MB，请分批导入。"]
    assert registry_state() == before


def test_the_page_still_checks_csrf_after_the_size(officer, registry):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    data = roster_bytes([person_row(registry, 1)])
    response = client.post(PAGE, {"file": SimpleUploadedFile("花名册.xlsx", data, content_type=XLSX)})
    assert response.status_code == 403
    assert not Person.objects.filter(name="钱1").exists()


def test_an_oversized_upload_is_refused_by_its_size_without_being_read():
    class Upload:
        name = "花名册.xlsx"
        size = MAX_UPLOAD_BYTES + 1

        def read(self, *args):
            raise AssertionError("read")

    with pytest.raises(XlsxRefused, match="不能超过 20 MB"):
        read_upload(Upload())


# --- the competition score import --------------------------------------------------------------------------


def test_the_score_import_refuses_a_dimension_bomb_and_writes_nothing(client, request):
    competition = request.getfixturevalue("world")
    case = request.getfixturevalue("open_case")
    flow = CompetitionFlow.instance
    client.force_login(competition.secretary)
    template = b"".join(client.get(flow.reverse("score_template", args=[case.pk])).streaming_content)
    rows = [
        f'<row r="1">{text_cell("A1", f"竞聘编号：{case.pk}")}</row>',
        '<row r="2">' + "".join(text_cell(f"{c}2", h) for c, h in zip("ABCDE", SCORE_HEADERS, strict=True)) + "</row>",
    ]
    data = rezip(template, replace={SHEET: sheet_xml(rows, dimension="A1:XFD1048576")})
    url = flow.reverse("score_import", args=[case.pk])
    response, cost = measure(
        lambda: client.post(url, {"file": SimpleUploadedFile("成绩.xlsx", data, content_type=XLSX)})
    )
    assert response.status_code == 400
    assert response.context["errors"] == [
        "工作表声明的数据范围 A1:XFD1048576 过大：最多 2500 行、200 列。"
        "请删除多余的行和列（含只设了格式的空行），或分批导入。"
    ]
    assert cost.seconds < MAX_SECONDS and cost.peak_mb < MAX_PEAK_MB, cost
    assert not Registration.objects.filter(competition=case, evaluation__isnull=False).exists()
