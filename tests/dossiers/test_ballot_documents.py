"""Issue 15: the two documents of an electronic ballot — the slips (one-time codes with QR codes) and the tally.

Content is plain data checked without rendering; then both kinds are rendered to PDF and read back. The QR
codes are decoded here by a small reader of the module matrix (format bits, mask, zig-zag, blocks, byte
mode; no error correction needed on a clean matrix), independent of the generator, and — where the machine
has zbarimg — also from the printed page itself. Last, who may read the slips, over HTTP.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from urllib.parse import unquote

import pdfplumber
import pytest
from django.db import transaction

from cadres.roles import Role
from dossiers.content import samples
from dossiers.content.ballot_slips import build_ballot_slips, group_code
from dossiers.content.ballot_tally import build_ballot_tally
from dossiers.kinds import AUDIENCES, Classification, DossierKind, template_for
from dossiers.models import DossierDocument
from dossiers.rendering import render_pdf
from dossiers.services import dossier_generate
from dossiers.templatetags.ballot_tags import qr_svg
from tests.factories import PersonFactory, UserFactory

URL = "https://vote.example.org/vote/"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def slips_input(counts=(("教职工代表", 15), ("中层干部", 5), ("学校领导班子成员", 3))) -> dict:
    names = [name for name, n in counts for _ in range(n)]
    codes = samples.ballot_codes(len(names))
    return {
        "title": "第一实验小学校长人选民主推荐",
        "organization": "第一实验小学",
        "kind_label": "民主推荐",
        "held_on": "2026-09-07",
        "vote_url": URL,
        "slips": [{"code": c, "category": n} for c, n in zip(codes, names, strict=True)],
    }


def render(kind: str, content: dict) -> tuple[bytes, list[str]]:
    document = samples.sample_document(kind, content)
    pdf, _pages = render_pdf(template_for(kind), {"content": content, "document": document})
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return pdf, [page.extract_text() or "" for page in doc.pages]


# ---- a reader of QR module matrices (versions 1–6, as the slips' short URLs need) ------------------------

ALIGNMENT = {1: [], 2: [6, 18], 3: [6, 22], 4: [6, 26], 5: [6, 30], 6: [6, 34]}
# per version and level: (error-correction codewords per block, number of blocks)
BLOCKS = {
    "L": {1: (7, 1), 2: (10, 1), 3: (15, 1), 4: (20, 1), 5: (26, 1), 6: (18, 2)},
    "M": {1: (10, 1), 2: (16, 1), 3: (26, 1), 4: (18, 2), 5: (24, 2), 6: (16, 4)},
    "Q": {1: (13, 1), 2: (22, 1), 3: (18, 2), 4: (26, 2), 5: (18, 4), 6: (24, 4)},
    "H": {1: (17, 1), 2: (28, 1), 3: (22, 2), 4: (16, 4), 5: (22, 4), 6: (28, 4)},
}
LEVELS = {1: "L", 0: "M", 3: "Q", 2: "H"}
MASKS = [
    lambda x, y: (x + y) % 2 == 0,
    lambda x, y: y % 2 == 0,
    lambda x, y: x % 3 == 0,
    lambda x, y: (x + y) % 3 == 0,
    lambda x, y: (x // 3 + y // 2) % 2 == 0,
    lambda x, y: x * y % 2 + x * y % 3 == 0,
    lambda x, y: (x * y % 2 + x * y % 3) % 2 == 0,
    lambda x, y: ((x + y) % 2 + x * y % 3) % 2 == 0,
]


def svg_matrix(data_uri: str) -> list[list[bool]]:
    """The dark modules of a segno SVG (one path of horizontal runs), quiet zone removed."""
    svg = unquote(data_uri.split(",", 1)[1])
    width = int(re.search(r"viewBox='0 0 (\d+) (\d+)'", svg).group(1))
    path = re.search(r"class='qrline'[^>]*\bd='([^']+)'", svg).group(1)
    grid = [[False] * width for _ in range(width)]
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            for col in range(int(x), int(x + float(a))):
                grid[int(y)][col] = True
            x += float(a)
    border = next(i for i in range(width) if any(grid[i]))
    return [row[border : width - border] for row in grid[border : width - border]]


def qr_decode(m: list[list[bool]]) -> str:
    size = len(m)
    version = (size - 17) // 4
    assert size == 17 + 4 * version and version in ALIGNMENT, size
    function = [[False] * size for _ in range(size)]

    def reserve(top, left, height, width):
        for y in range(max(top, 0), min(top + height, size)):
            for x in range(max(left, 0), min(left + width, size)):
                function[y][x] = True

    reserve(0, 0, 9, 9)  # finders, separators, format bits (and the dark module bottom left)
    reserve(0, size - 8, 9, 8)
    reserve(size - 8, 0, 8, 9)
    reserve(6, 0, 1, size)  # timing patterns
    reserve(0, 6, size, 1)
    centres = ALIGNMENT[version]
    for cy in centres:
        for cx in centres:
            if not ((cx == 6 and cy == 6) or (cx == 6 and cy == centres[-1]) or (cx == centres[-1] and cy == 6)):
                reserve(cy - 2, cx - 2, 5, 5)

    positions = [(8, i) for i in range(6)] + [(8, 7), (8, 8), (7, 8)] + [(14 - i, 8) for i in range(9, 15)]
    bits = sum(m[y][x] << i for i, (x, y) in enumerate(positions)) ^ 0x5412
    level, mask = LEVELS[bits >> 13], MASKS[(bits >> 10) & 7]

    stream = []
    right = size - 1
    while right >= 1:
        if right == 6:
            right = 5
        for vert in range(size):
            for j in range(2):
                x = right - j
                y = size - 1 - vert if ((right + 1) & 2) == 0 else vert
                if not function[y][x]:
                    stream.append(m[y][x] ^ mask(x, y))
        right -= 2
    raw = [int("".join("1" if b else "0" for b in stream[i : i + 8]), 2) for i in range(0, len(stream) // 8 * 8, 8)]

    ecc, count = BLOCKS[level][version]
    short_len, longs = divmod(len(raw), count)
    data_lens = [short_len - ecc + (j >= count - longs) for j in range(count)]
    blocks: list[list[int]] = [[] for _ in range(count)]
    taken = 0
    for i in range(max(data_lens)):
        for j in range(count):
            if i < data_lens[j]:
                blocks[j].append(raw[taken])
                taken += 1
    data = "".join(f"{byte:08b}" for block in blocks for byte in block)
    assert data[:4] == "0100", "byte mode expected"
    length = int(data[4:12], 2)
    return bytes(int(data[12 + 8 * i : 20 + 8 * i], 2) for i in range(length)).decode("utf-8")


# ---- slips: content --------------------------------------------------------------------------------------


def test_every_slip_is_present_once_in_the_order_given_with_its_address():
    data = slips_input()
    content = build_ballot_slips(**data)
    assert json.loads(json.dumps(content, ensure_ascii=False)) == content  # stored as the version's content
    assert [(s["code"], s["category"]) for s in content["slips"]] == [(s["code"], s["category"]) for s in data["slips"]]
    assert [s["number"] for s in content["slips"]] == list(range(1, 24))
    for slip in content["slips"]:
        assert slip["url"] == URL + slip["code"] + "/"
    assert content["total"] == 23
    assert content["categories"] == [
        {"category": "教职工代表", "count": 15},
        {"category": "中层干部", "count": 5},
        {"category": "学校领导班子成员", "count": 3},
    ]
    assert content["title"] == "第一实验小学校长人选民主推荐投票凭证"
    assert content["instruction"] == f"扫码或访问 {URL} 输入投票码；每码仅可使用一次"
    assert content["confidentiality"] == "机密"


def test_codes_are_grouped_for_reading():
    assert group_code("ABCDEFGHJK") == "ABCDE FGHJK"
    assert group_code("ABCDEFGHJKMN") == "ABCD EFGH JKMN"
    assert group_code("ABCDEFGH") == "ABCD EFGH"
    content = build_ballot_slips(**slips_input((("教职工代表", 1),)))
    code = content["slips"][0]["code"]
    assert content["slips"][0]["code_text"] == f"{code[:5]} {code[5:]}"


def test_a_base_address_without_its_final_slash_gets_one():
    data = slips_input((("教职工代表", 1),)) | {"vote_url": "https://vote.example.org/vote"}
    content = build_ballot_slips(**data)
    assert content["slips"][0]["url"] == URL + content["slips"][0]["code"] + "/"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"vote_url": "/vote/"}, "投票网址”应为以 http:// 或 https:// 开头的完整网址"),
        ({"vote_url": "javascript:alert(1)"}, "完整网址"),
        ({"title": ""}, "缺少“投票名称”"),
        ({"held_on": "2026-02-30"}, "“投票日期”不是有效的日期"),
        ({"slips": []}, "“投票码”至少需要1项"),
        ({"slips": [{"code": "ABC", "category": "教职工代表"}]}, "投票码第1项：投票码应为6至32位字母或数字"),
        ({"slips": [{"code": "ABCDE FGHJK", "category": "教职工代表"}]}, "投票码应为6至32位字母或数字"),
        ({"slips": [{"code": "ABCDEFGHJK"}]}, "投票码第1项：缺少“类别”"),
        ({"slips": [{"code": "ABCDEFGHJK", "category": "甲", "name": "张三"}]}, "未知字段：name"),
        (
            {"slips": [{"code": "ABCDEFGHJK", "category": "甲"}, {"code": "ABCDEFGHJK", "category": "乙"}]},
            "投票码第2项：投票码重复：ABCDEFGHJK",
        ),
    ],
)
def test_bad_slip_input_is_refused_with_a_reason(change, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        build_ballot_slips(**(slips_input() | change))


def test_the_qr_code_of_each_slip_decodes_to_its_own_address():
    content = build_ballot_slips(**slips_input())
    for slip in content["slips"]:
        uri = qr_svg(slip["url"])
        assert uri.startswith("data:image/svg+xml")
        assert qr_decode(svg_matrix(uri)) == slip["url"]
    assert qr_svg(content["slips"][0]["url"]) == qr_svg(content["slips"][0]["url"])  # deterministic


def test_the_qr_reader_reads_other_versions_and_levels_too():
    """The reader itself is checked on codes of several sizes, so a pass above is not an accident of one."""
    import segno

    for text, level in [
        ("https://a.cn/vote/23456789AB/", "l"),
        ("x" * 60, "m"),
        ("https://cadreflow.example.org/vote/ABCDEFGHJK/", "q"),
        ("https://x", "h"),
        ("y" * 50, "q"),
        ("z" * 100, "m"),
    ]:
        qr = segno.make_qr(text, error=level, boost_error=False)
        uri = qr.svg_data_uri(scale=1, border=4, dark="#000", light="#fff", omitsize=True)
        assert qr_decode(svg_matrix(uri)) == text, (text, qr.version)


# ---- slips: the PDF ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def slips_pdf():
    content = build_ballot_slips(**slips_input())
    pdf, texts = render("ballot_slips", content)
    return content, pdf, texts


def test_the_slips_print_ten_to_a_sheet_every_code_in_order(slips_pdf):
    content, _pdf, texts = slips_pdf
    assert len(texts) == 3  # 23 slips: 10 + 10 + 3
    for n, text in enumerate(texts):
        flat = squash(text)
        on_page = content["slips"][n * 10 : n * 10 + 10]
        positions = [flat.index(squash(s["code_text"])) for s in on_page]
        assert positions == sorted(positions), n  # left to right, top to bottom
        for other in content["slips"][: n * 10] + content["slips"][n * 10 + 10 :]:
            assert squash(other["code_text"]) not in flat
        assert "机密" in flat and "第一实验小学校长人选民主推荐投票凭证" in flat
        assert f"第{n + 1}页共3页" in flat
        assert flat.count("扫码或访问") == len(on_page)
    assert "类别：学校领导班子成员" in squash(texts[2])


def pdf_qr_matrices(page) -> list[list[list[bool]]]:
    """The QR codes drawn on a PDF page, read from the drawing itself: WeasyPrint draws each code as a white
    square (its quiet zone included) and one stroked line per run of dark modules, a module wide."""
    matrices = []
    squares = [r for r in page.rects if r["fill"] and abs(r["width"] - r["height"]) < 0.5 and r["width"] > 40]
    for square in sorted(squares, key=lambda r: (round(r["top"]), r["x0"])):
        inside = [
            line
            for line in page.lines
            if square["x0"] <= line["x0"] <= square["x1"] and square["top"] <= line["top"] <= square["bottom"]
        ]
        module = inside[0]["linewidth"]
        n = round(square["width"] / module)
        grid = [[False] * n for _ in range(n)]
        for line in inside:
            assert abs(line["linewidth"] - module) < 0.01 and line["top"] == line["bottom"]  # horizontal runs
            row = int((line["top"] - square["top"]) / module)
            first = round((line["x0"] - square["x0"]) / module)
            last = round((line["x1"] - square["x0"]) / module)
            for col in range(first, last):
                grid[row][col] = True
        matrices.append([r[4 : n - 4] for r in grid[4 : n - 4]])  # without the quiet zone of 4 modules
    return matrices


def test_the_printed_qr_codes_decode_to_the_slips_addresses_in_print_order(slips_pdf):
    """Read from the PDF as printed (not from the template's input): page by page, left to right, top to bottom."""
    content, pdf, _texts = slips_pdf
    decoded = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            decoded += [qr_decode(matrix) for matrix in pdf_qr_matrices(page)]
    assert decoded == [s["url"] for s in content["slips"]]


def test_the_printed_qr_codes_scan_with_zbar_when_the_machine_has_it(slips_pdf, tmp_path):
    """A second, outside reader of the raster page (zbar-tools); the PDF reader above runs everywhere."""
    content, pdf, _texts = slips_pdf
    (tmp_path / "slips.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(tmp_path / "slips.pdf"), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == 3
    if shutil.which("zbarimg") is None:
        return
    found = []
    for page in pages:
        out = subprocess.run(["zbarimg", "-q", "--raw", str(page)], capture_output=True, text=True, check=True)
        found += out.stdout.split()
    assert sorted(found) == sorted(s["url"] for s in content["slips"])


# ---- tally ------------------------------------------------------------------------------------------------


def evaluation_input() -> dict:
    def grade(name, electronic, paper, share):
        return {"grade": name, "electronic": electronic, "paper": paper, "total": electronic + paper, "share": share}

    return {
        "title": "王晓燕同志民主测评",
        "organization": "第一实验小学",
        "kind": "evaluation",
        "held_on": "2026-09-15",
        "closed_at": "2026-09-15T11:20:00+08:00",
        "seats": 1,
        "subject": "王晓燕",
        "categories": [
            {"name": "中层干部", "due": 12, "electronic": 11, "paper": 0, "invalid": 0},
            {"name": "教职工代表", "due": 30, "electronic": 26, "paper": 3, "invalid": 2},
        ],
        "results": [
            grade("优秀", 30, 1, "81.6"),
            grade("称职", 5, 0, "13.2"),
            grade("基本称职", 1, 0, "2.6"),
            grade("不称职", 0, 0, "0.0"),
        ],
    }


def test_the_recommendation_tally_keeps_the_stored_figures_and_ranks_equal_totals_together():
    data = samples.sample_input("ballot_tally")
    data["results"].append(
        {"name": "钱进", "unit": "", "electronic": 1, "paper": 0, "total": 1, "share": "2.6"}
    )  # equal to 孙海涛
    content = build_ballot_tally(**data)
    assert json.loads(json.dumps(content, ensure_ascii=False)) == content
    assert content["heading"] == "民主推荐（电子投票）计票结果"
    assert content["title"] == "示范区第一实验小学校长人选民主推荐（电子投票）计票结果"
    assert [c["name"] for c in content["categories"]] == ["学校领导班子成员", "中层干部", "教职工代表"]
    teachers = content["categories"][2]
    assert (teachers["due"], teachers["electronic"], teachers["paper"], teachers["cast"]) == (26, 21, 2, 23)
    assert (teachers["invalid"], teachers["valid"], teachers["turnout"]) == (1, 22, "88.5")
    assert content["totals"] == {
        "due": 43,
        "electronic": 36,
        "paper": 3,
        "cast": 39,
        "invalid": 1,
        "valid": 38,
        "turnout": "90.7",
    }
    assert [(r["rank"], r["name"], r["total"], r["share"]) for r in content["results"]] == [
        (1, "王晓燕", 32, "84.2"),
        (2, "赵立新", 4, "10.5"),
        (3, "孙海涛", 1, "2.6"),
        (3, "钱进", 1, "2.6"),
    ]
    assert content["closed_at_text"] == "2026年9月7日 16:35"
    assert "应到43人，收回选票39张（电子票36张，纸质票3张），其中废票1张，有效票38张。" == content["summary_line"]
    assert "匿名" in content["anonymity_note"]


def test_the_share_is_printed_as_stored_never_recomputed():
    data = samples.sample_input("ballot_tally")
    data["results"][0]["share"] = "84.21"  # whatever the ballots app stored
    assert build_ballot_tally(**data)["results"][0]["share"] == "84.21"


def test_the_evaluation_tally_names_the_person_and_lists_the_grades():
    content = build_ballot_tally(**evaluation_input())
    assert content["heading"] == "民主测评（电子投票）计票结果"
    assert content["subject"] == "王晓燕"
    assert [(r["grade"], r["electronic"], r["paper"], r["total"]) for r in content["results"]] == [
        ("优秀", 30, 1, 31),
        ("称职", 5, 0, 5),
        ("基本称职", 1, 0, 1),
        ("不称职", 0, 0, 0),
    ]
    assert content["totals"]["valid"] == 38


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(kind="vote"), "“投票类别”应为recommendation、evaluation之一"),
        (lambda d: d["categories"][0].update(electronic=6), "参加人员类别第1项：收回票（6）多于应到人数（5）"),
        (lambda d: d["categories"][1].update(invalid=12), "废票（12）多于收回票（11）"),
        (lambda d: d["results"][0].update(total=31), "推荐结果第1项：合计（31）不等于电子票与纸质票之和（32）"),
        (lambda d: d["results"][0].update(electronic=40, total=42), "得票（42）多于有效票（38）"),
        (lambda d: d["results"].reverse(), "推荐结果应按得票从高到低排列"),
        (lambda d: d["results"][0].pop("share"), "缺少“得票率”"),
        (lambda d: d["categories"].append(dict(d["categories"][0])), "参加人员类别重复"),
        (lambda d: d.update(seats=0), "“应选人数”不能小于1"),
    ],
)
def test_impossible_tally_figures_are_refused_with_a_reason(change, message):
    data = samples.sample_input("ballot_tally")
    change(data)
    with pytest.raises(ValueError, match=re.escape(message)):
        build_ballot_tally(**data)


def test_an_evaluation_needs_its_subject_and_no_more_votes_than_valid_ballots():
    data = evaluation_input() | {"subject": ""}
    with pytest.raises(ValueError, match="缺少“测评对象”"):
        build_ballot_tally(**data)
    data = evaluation_input()
    data["results"][1].update(electronic=7, total=7)  # 31 + 7 + 1 = 39 > 38 valid
    with pytest.raises(ValueError, match="各等次票数之和多于有效票数"):
        build_ballot_tally(**data)


@pytest.mark.parametrize("kind", ["recommendation", "evaluation"])
def test_the_tally_pdf_prints_the_totals(kind):
    data = samples.sample_input("ballot_tally") if kind == "recommendation" else evaluation_input()
    content = build_ballot_tally(**data)
    _pdf, texts = render("ballot_tally", content)
    flat = squash("".join(texts))
    assert squash(content["heading"]) in flat and squash(content["round_title"]) in flat
    t = content["totals"]
    assert f"合计{t['due']}{t['electronic']}{t['paper']}{t['cast']}{t['invalid']}{t['valid']}{t['turnout']}" in flat
    for row in content["results"]:
        head = f"{row['rank']}{row['name']}{row['unit']}" if kind == "recommendation" else row["grade"]
        assert f"{head}{row['electronic']}{row['paper']}{row['total']}{row['share']}" in flat, row
    assert "计票人" in flat and "监票人" in flat and "匿名" in flat
    if kind == "evaluation":
        assert "测评对象王晓燕" in flat


# ---- who reads the slips ----------------------------------------------------------------------------------


def test_the_slips_are_secret_and_the_tally_internal():
    assert AUDIENCES[DossierKind.BALLOT_SLIPS].classification == Classification.SECRET
    assert AUDIENCES[DossierKind.BALLOT_SLIPS].roles == {Role.PERSONNEL_OFFICER}
    assert AUDIENCES[DossierKind.BALLOT_TALLY].classification == Classification.INTERNAL


@pytest.mark.django_db
def test_only_a_personnel_officer_reads_the_slips(
    client, bureau, school, officer, school_secretary, django_capture_on_commit_callbacks
):
    content = build_ballot_slips(**slips_input((("教职工代表", 4),)))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        doc = dossier_generate(
            kind=DossierKind.BALLOT_SLIPS,
            content=content,
            acting_user=officer,
            organization=school,
            process_ref="principal_selection:77",
            step="ballot_1",
        )
    doc.refresh_from_db()
    assert doc.status == DossierDocument.Status.RENDERED, doc.error

    member = UserFactory(
        roles=[Role.COMMITTEE_MEMBER], organization=bureau, organization__person=PersonFactory(organization=bureau)
    )
    teacher = UserFactory(
        roles=[Role.TEACHER], organization=school, organization__person=PersonFactory(organization=school)
    )
    for user in (school_secretary, teacher, member):
        client.force_login(user)
        assert doc.verification_code not in client.get("/dossiers/documents/").content.decode(), user
        assert client.get(f"/dossiers/documents/{doc.pk}/").status_code == 404, user
        assert client.get(f"/dossiers/documents/{doc.pk}/download/").status_code == 404, user

    other_officer = UserFactory(roles=[Role.PERSONNEL_OFFICER], organization=bureau)  # by role, not as generator
    client.force_login(other_officer)
    assert client.get(f"/dossiers/documents/{doc.pk}/").status_code == 200
    response = client.get(f"/dossiers/documents/{doc.pk}/download/")
    assert response.status_code == 200
    with pdfplumber.open(io.BytesIO(b"".join(response.streaming_content))) as pdf:
        text = squash("".join(page.extract_text() or "" for page in pdf.pages))
    for slip in content["slips"]:
        assert squash(slip["code_text"]) in text
