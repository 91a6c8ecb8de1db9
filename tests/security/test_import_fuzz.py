"""Seeded, bounded fuzzing of every upload that is parsed: the roster, the competition scores, a person's photo.

Each hostile variant goes through the page as its role would post it. The answer is never a 500: either the
upload is accepted whole (a mutation may leave a valid file) or the page shows a reason and the registry,
the scores and the audit trail are exactly as before.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook
from PIL import Image, ImageFile

from audit.models import AuditEvent
from cadres.models import Education, Person, TitleHistory
from cadres.roster.columns import HEADERS
from tests.factories import PersonFactory, UserFactory
from tests.workflows.competition.conftest import _urls_loaded, today, world  # noqa: F401 (fixtures)
from tests.workflows.competition.test_score_import import open_case, sitting_case  # noqa: F401 (fixtures)
from workflows.competition.flows import CompetitionFlow
from workflows.competition.models import Registration

from .xlsx_samples import SHEET, XLSX, person_row, rezip, roster_bytes

pytestmark = pytest.mark.django_db

SEED = 2026
PAGE = "/registry/roster/"
MEMBERS = ("xl/workbook.xml", "[Content_Types].xml", SHEET, "xl/styles.xml", "xl/_rels/workbook.xml.rels")
HOSTILE_VALUES = [
    True,
    -1,
    3.5,
    10**30,
    1e308,
    "=1/0",
    "=SUM(A:A)",
    "@SUM(1)",
    "+1",
    "张" * 5000,
    "\u202e𠀀😀",
    dt.date(1, 1, 1),
    dt.datetime(9999, 12, 31, 23, 59),
    "2023-02-30",
    "1900.00",
    "0000-00-00",
    "99999999",
    "19850332",
    " ",
    "NaN",
]
# cells openpyxl cannot write, put straight into the sheet XML
RAW_CELLS = [
    '<c r="B{r}"><v>1e400</v></c>',
    '<c r="D{r}" t="d"><v>not-a-date</v></c>',
    '<c r="D{r}" s="1"><v>-99999999</v></c>',
    '<c r="B{r}" t="b"><v>2</v></c>',
    '<c r="B{r}" t="e"><v>#DIV/0!</v></c>',
    '<c r="B{r}" t="s"><v>99</v></c>',
    '<c r="B{r}" t="n"><v>abc</v></c>',
    '<c r="B{r}" s="999"><v>45000</v></c>',
    '<c r="D{r}"><v>2958466</v></c>',
    '<c r="ZZZZ{r}"><v>1</v></c>',
]


def byte_mutations(data: bytes, rng: random.Random, count: int) -> list[bytes]:
    """Truncations, random byte flips, a dropped or a repeated slice."""
    out = []
    for _ in range(count):
        kind = rng.choice(["truncate", "flip", "cut", "repeat"])
        if kind == "truncate":
            out.append(data[: rng.randrange(len(data))])
        elif kind == "flip":
            mutable = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                mutable[rng.randrange(len(mutable))] = rng.randrange(256)
            out.append(bytes(mutable))
        else:
            start = rng.randrange(len(data))
            end = min(len(data), start + rng.randint(1, 200))
            out.append(data[:start] + data[end:] if kind == "cut" else data[:end] + data[start:])
    return out


def hostile_workbooks(valid: bytes, rng: random.Random, values: list, headers, rows) -> list[bytes]:
    """Valid containers with hostile contents: a value in a random cell, formulas, empty sheets."""
    out = []
    for value in values:
        book = load_workbook(io.BytesIO(valid))
        sheet = book.active
        sheet.cell(row=rng.randint(1, rows), column=rng.randint(1, len(headers)), value=value)
        buffer = io.BytesIO()
        book.save(buffer)
        out.append(buffer.getvalue())
    for build in (lambda s: None, lambda s: s.append(list(headers)), lambda s: [s.append([]) for _ in range(12)]):
        book = Workbook()
        build(book.active)
        buffer = io.BytesIO()
        book.save(buffer)
        out.append(buffer.getvalue())
    return out


def xml_mutations(valid: bytes, rng: random.Random, count: int) -> list[bytes]:
    """Damaged sheet XML, raw cells openpyxl would never write, missing parts."""
    out = []
    for _ in range(count):
        out.append(rezip(valid, replace={SHEET: lambda xml: bytes(byte_mutations(xml, rng, 1)[0])}))
    for raw in RAW_CELLS:
        out.append(rezip(valid, replace={SHEET: lambda xml, raw=raw: _add_cell(xml, raw)}))
    out.extend(rezip(valid, drop=(member,)) for member in MEMBERS)
    return out


def _add_cell(xml: bytes, raw: str) -> bytes:
    rows = re.findall(rb'<row r="(\d+)"', xml)
    last = int(rows[-1]) if rows else 2
    return xml.replace(b"</sheetData>", f'<row r="{last + 1}">{raw.format(r=last + 1)}</row></sheetData>'.encode())


# --- the roster ----------------------------------------------------------------------------------------------


def registry_state():
    return (
        list(Person.objects.order_by("pk").values_list("pk", "name", "organization_id", "subject", "birth_date")),
        Education.objects.count(),
        TitleHistory.objects.count(),
        AuditEvent.objects.count(),
    )


def test_sixty_hostile_rosters_are_refused_with_a_reason_or_imported_whole(client, officer, school):
    existing = PersonFactory(organization=school, name="原有甲", subject="语文")
    again = {"身份证号": existing.id_number, "姓名": "原有甲", "性别": "男", "参加工作时间": "2002.08"}
    rows = [person_row(school, 1), person_row(school, 2, 任教学科="数学"), {**again, "单位代码": school.code}]
    valid = roster_bytes(rows)
    rng = random.Random(SEED)
    variants = (
        byte_mutations(valid, rng, 15)
        + xml_mutations(valid, rng, 12)
        + hostile_workbooks(valid, rng, HOSTILE_VALUES, HEADERS, len(rows) + 1)
    )
    assert len(variants) >= 60
    client.force_login(officer)
    outcomes = []
    for number, data in enumerate(variants):
        before = registry_state()
        response = client.post(PAGE, {"file": SimpleUploadedFile(f"fuzz{number}.xlsx", data, content_type=XLSX)})
        if response.status_code == 302:  # accepted whole
            outcomes.append("imported")
            continue
        assert response.status_code == 200, (number, response.status_code)
        result = response.context["result"]
        reasons = list(response.context["form"].errors.get("file", [])) + (
            [e.message for e in result.errors] if result else []
        )
        assert reasons and all(str(r).strip() for r in reasons), number
        assert registry_state() == before, number
        outcomes.append(str(reasons[0]))
    refusals = [o for o in outcomes if o != "imported"]
    assert len(refusals) >= 40  # the fuzz mostly hits refusals: it is testing them
    assert len(set(refusals)) >= 10  # ... from the zip, the XML and the cells alike


# --- the competition scores ---------------------------------------------------------------------------------


def scores_state(case):
    return (
        list(Registration.objects.filter(competition=case).order_by("pk").values_list("evaluation", "performance")),
        AuditEvent.objects.count(),
    )


def test_forty_hostile_score_files_are_refused_with_a_reason_or_imported_whole(client, request):
    competition = request.getfixturevalue("world")
    case = request.getfixturevalue("open_case")
    flow = CompetitionFlow.instance
    client.force_login(competition.secretary)
    template = load_workbook(
        io.BytesIO(b"".join(client.get(flow.reverse("score_template", args=[case.pk])).streaming_content))
    )
    sheet = template.active
    sheet["D3"], sheet["E3"], sheet["D4"], sheet["E4"] = 88, 90, 92, 85
    buffer = io.BytesIO()
    template.save(buffer)
    valid = buffer.getvalue()
    rng = random.Random(SEED + 1)
    values = [-5, 100.001, "abc", 1e308, "1e999", "NaN", "Infinity", 10**20, True, "=D3", dt.date(2026, 1, 1), " "]
    variants = (
        byte_mutations(valid, rng, 10)
        + xml_mutations(valid, rng, 6)
        + hostile_workbooks(valid, rng, values, ["序号", "姓名", "岗位", "民主测评成绩", "工作业绩成绩"], 4)
    )
    assert len(variants) >= 40
    url = flow.reverse("score_import", args=[case.pk])
    refused = 0
    for number, data in enumerate(variants):
        before = scores_state(case)
        response = client.post(url, {"file": SimpleUploadedFile(f"成绩{number}.xlsx", data, content_type=XLSX)})
        if response.status_code == 302:
            continue
        assert response.status_code == 400, (number, response.status_code)
        reasons = response.context["errors"] or list(response.context["form"].errors.get("file", []))
        assert reasons and all(str(r).strip() for r in reasons), number
        assert scores_state(case) == before, number
        refused += 1
    assert refused >= 25


# --- photos ---------------------------------------------------------------------------------------------------


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_header_only(width: int, height: int) -> bytes:
    """A few hundred bytes that declare `width` × `height` pixels (a decompression bomb's header)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + _png_chunk(b"IEND", b"")
    )


def image_bytes(kind: str, size=(40, 50), color=(200, 30, 30), **options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, kind, **options)
    return out.getvalue()


def hostile_photos() -> list[tuple[str, bytes]]:
    jpeg, png = image_bytes("JPEG"), image_bytes("PNG")
    rng = random.Random(SEED + 2)
    noise = Image.frombytes("RGB", (1500, 1400), rng.randbytes(1500 * 1400 * 3))
    big = io.BytesIO()
    noise.save(big, "PNG", compress_level=0)
    bad_crc = bytearray(png)
    bad_crc[40] ^= 0xFF
    return [
        ("bomb.png", png_header_only(50_000, 50_000)),
        ("bomb144mp.png", png_header_only(12_000, 12_000)),
        ("bomb30mp.png", png_header_only(6_000, 5_000)),
        ("png.jpg", png),
        ("jpeg.png", jpeg),
        ("truncated.jpg", jpeg[: len(jpeg) * 2 // 3]),
        ("truncated.png", png[: len(png) // 2]),
        ("script.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("svg.png", b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
        ("photo.gif", image_bytes("GIF")),
        ("photo.bmp", image_bytes("BMP")),
        ("photo.tiff", image_bytes("TIFF")),
        ("empty.jpg", b""),
        ("random.jpg", rng.randbytes(2048)),
        ("page.jpg", b"<html><body onload=alert(1)>photo</body></html>"),
        ("doc.png", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"),
        ("archive.png", b"PK\x03\x04" + rng.randbytes(100)),
        ("big.png", big.getvalue()),
        ("no-end.jpg", jpeg[:-2]),
        ("bad-crc.png", bytes(bad_crc)),
    ]


def admin_form_data(client, person) -> dict:
    """What the admin's change form would post for `person` unchanged (inlines empty)."""
    response = client.get(f"/admin/cadres/person/{person.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name == "photo" or value is None or value is False:
            continue
        data[name] = value.isoformat() if isinstance(value, dt.date) else value
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    return data


# Django's ImageField opens the 144-megapixel header first and only warns; cadres.images then refuses it.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_hostile_photos_are_refused_with_a_reason_and_a_real_photo_is_kept(client, school):
    admin = UserFactory(is_staff=True, is_superuser=True)
    person = PersonFactory(organization=school, name="照片甲")
    client.force_login(admin)
    data = admin_form_data(client, person)
    url = f"/admin/cadres/person/{person.pk}/change/"
    for name, content in hostile_photos():
        response = client.post(url, {**data, "photo": SimpleUploadedFile(name, content)})
        assert response.status_code == 200, (name, response.status_code)  # the form again, not a redirect
        errors = response.context["adminform"].form.errors.get("photo")
        assert errors and all(str(e).strip() for e in errors), name
        person.refresh_from_db()
        assert not person.photo, name
    response = client.post(url, {**data, "photo": SimpleUploadedFile("证件照.jpg", image_bytes("JPEG"))})
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.photo and person.photo.name.endswith(".jpg")


def test_the_photo_reasons_name_the_limits(monkeypatch):
    from cadres.images import photo_problem

    assert (
        photo_problem(png_header_only(6_000, 5_000), "a.png")
        == "照片尺寸过大（6000×5000 像素），不得超过 2500 万像素。"
    )
    assert photo_problem(b"\0" * (6 * 1024 * 1024), "a.jpg") == "照片过大：约 6.0 MB，照片不得超过 5 MB。"
    assert photo_problem(image_bytes("PNG"), "a.jpg") == "照片的扩展名（.jpg）与图片格式（PNG）不符。"
    assert photo_problem(image_bytes("GIF"), "a.gif") == "照片须为 JPEG 或 PNG 图片。"
    jpeg = image_bytes("JPEG")
    assert photo_problem(jpeg[: len(jpeg) * 2 // 3], "a.jpg") == "照片已损坏，无法读取。"
    assert photo_problem(jpeg[:-2], "a.jpg") == "照片已损坏，无法读取。"
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # what importing WeasyPrint does

    assert photo_problem(jpeg[: len(jpeg) * 2 // 3], "a.jpg") == "照片已损坏，无法读取。"
    assert photo_problem(jpeg[:-2], "a.jpg") == "照片已损坏，无法读取。"
    assert photo_problem(jpeg, "证件照.JPG") == ""
