"""The committee pack's PDF assembly (pure: PDFs in, PDF out), checked by reading the result with pdfplumber."""

from __future__ import annotations

import datetime as dt
import io
import re
from unittest import mock

import pdfplumber
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from dossiers import rendering
from dossiers.packs.assembly import (
    TOC_ROWS_PER_PAGE,
    PackAssemblyError,
    PackCover,
    PackPart,
    PackSection,
    assemble_pack,
    chinese_numeral,
    copy_label,
    page_number_text,
)
from dossiers.packs.pdfcopy import PackWriter

KINDS = (("干部任免审批表", 2), ("考察材料", 3), ("民主测评统计表", 1))


def make_pdf(markers: list[str]) -> bytes:
    """A small PDF with one page per marker, the marker printed in Helvetica (fast; no WeasyPrint)."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    for marker in markers:
        page = writer.add_blank_page(595.28, 841.89)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 20 Tf 72 760 Td ({marker}) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def marker(case: int, part: int, page: int) -> str:
    return f"C{case:02d}-D{part}-P{page}"


def is_watermark(char: dict) -> bool:
    return abs(char["matrix"][1]) > 1e-6  # the watermark is the only rotated text


def plain_text(page) -> str:
    return page.filter(lambda o: o.get("object_type") != "char" or not is_watermark(o)).extract_text()


def watermark_text(page) -> str:
    return "".join(c["text"] for c in page.chars if is_watermark(c))


def running_number(page) -> str:
    """The pack's page number: the only text set in Times-Roman, in the top margin."""
    chars = [c for c in page.chars if c["fontname"] == "Times-Roman"]
    assert all(c["top"] < 30 for c in chars)
    return "".join(c["text"] for c in chars)


COVER = PackCover(
    meeting_title="中共示范区教育工作委员会2026年第3次委员会会议",
    meeting_date=dt.date(2026, 3, 12),
    organization="中共示范区教育工作委员会",
    confidentiality="机密",
    copy_number=7,
    recipient="王委员",
)


def sections(count: int) -> list[PackSection]:
    return [
        PackSection(
            name=f"候选人{case}",
            label=f"拟任第{case}小学校长",
            parts=[
                PackPart(title, make_pdf([marker(case, d, p) for p in range(1, pages + 1)]))
                for d, (title, pages) in enumerate(KINDS, start=1)
            ],
        )
        for case in range(1, count + 1)
    ]


@pytest.fixture(scope="module")
def big_pack():
    """12 candidates × 3 documents: 48 contents rows, so the contents run over two pages."""
    secs = sections(12)
    with mock.patch.object(rendering, "render_pdf", wraps=rendering.render_pdf) as render:
        pack = assemble_pack(cover=COVER, sections=secs)
    with pdfplumber.open(io.BytesIO(pack.pdf)) as pdf:
        texts = [plain_text(page) for page in pdf.pages]
        marks = [watermark_text(page) for page in pdf.pages]
        numbers = [running_number(page) for page in pdf.pages]
    return {"pack": pack, "sections": secs, "texts": texts, "marks": marks, "numbers": numbers, "render": render}


def test_page_count_is_cover_plus_contents_plus_every_document(big_pack):
    pack = big_pack["pack"]
    toc_pages = -(-(12 + 12 * len(KINDS)) // TOC_ROWS_PER_PAGE)
    assert toc_pages == 2
    documents = 12 * sum(pages for _title, pages in KINDS)
    assert pack.front_pages == 1 + toc_pages
    assert pack.pages == 1 + toc_pages + documents
    assert len(PdfReader(io.BytesIO(pack.pdf)).pages) == pack.pages
    assert "上 会 材 料" in big_pack["texts"][0] or "上会材料" in big_pack["texts"][0].replace(" ", "")


def test_printed_contents_page_numbers_are_where_each_candidate_and_document_starts(big_pack):
    pack, texts = big_pack["pack"], big_pack["texts"]
    printed = []
    for text in texts[1 : pack.front_pages]:
        for line in text.splitlines():
            match = re.fullmatch(r"(.+?)\s+(\d+)", line.strip())
            if match and "—" not in line:
                printed.append((match.group(1).replace(" ", ""), int(match.group(2))))
    assert len(printed) == 12 + 12 * len(KINDS)
    rows = iter(printed)
    for case in range(1, 13):
        heading, page = next(rows)
        assert heading == f"{chinese_numeral(case)}、候选人{case}拟任第{case}小学校长"
        assert marker(case, 1, 1) in texts[page - 1]
        for d, (title, _pages) in enumerate(KINDS, start=1):
            name, page = next(rows)
            assert name == title
            assert marker(case, d, 1) in texts[page - 1]
            assert marker(case, d, 1) not in texts[page - 2]


def test_every_page_carries_its_running_number(big_pack):
    assert big_pack["numbers"] == [page_number_text(n) for n in range(1, big_pack["pack"].pages + 1)]
    assert page_number_text(37) == "— 37 —"


def test_every_page_carries_the_recipient_watermark_and_copy_number(big_pack):
    assert copy_label(7) == "第007份"
    for mark in big_pack["marks"]:
        assert "王委员" in mark
        assert "第007份" in mark
    cover = big_pack["texts"][0]
    assert "王委员" in cover and "第007份" in cover and "000007" in cover and "机密" in cover


def test_documents_are_copied_from_their_stored_bytes_not_rendered_again(big_pack):
    render = big_pack["render"]
    assert render.call_count == 1  # cover, contents and watermark together
    assert render.call_args.args[0] == "dossiers/pack_cover.html"
    out = PdfReader(io.BytesIO(big_pack["pack"].pdf))
    first = PdfReader(io.BytesIO(big_pack["sections"][0].parts[0].pdf)).pages[0]
    stamped = out.pages[big_pack["pack"].front_pages]
    streams = [ref.get_object().get_data() for ref in stamped["/Contents"]]
    assert first.get_contents().get_data() in streams  # the original content stream, untouched


def test_bookmarks_name_each_candidate_and_document(big_pack):
    reader = PdfReader(io.BytesIO(big_pack["pack"].pdf))
    outline = reader.outline
    assert outline[0].title == "一、候选人1　拟任第1小学校长"
    assert [item.title for item in outline[1]] == [title for title, _pages in KINDS]
    second = outline[2]  # 二、候选人2: its bookmark opens the page where its first document starts
    start = reader.get_destination_page_number(second)
    assert start + 1 == next(e.page for e in big_pack["pack"].toc if e.text.startswith("二、"))
    assert marker(2, 1, 1) in big_pack["texts"][start]


def test_a_real_weasyprint_document_keeps_its_chinese_text():
    html = "<html><body style=\"font-family: 'Noto Serif CJK SC'\"><h1>考察材料</h1><p>德能勤绩廉。</p></body></html>"
    pdf, pages = rendering.html_to_pdf(html)
    pack = assemble_pack(cover=COVER, sections=[PackSection("李四", "", [PackPart("考察材料", pdf)])])
    assert pack.pages == 2 + pages
    with pdfplumber.open(io.BytesIO(pack.pdf)) as doc:
        text = plain_text(doc.pages[2])
        number = running_number(doc.pages[2])
    assert "德能勤绩廉" in text.replace(" ", "")
    assert number == "— 3 —"


def test_an_unreadable_document_is_refused_by_name():
    broken = PackSection("李四", "", [PackPart("考察材料", b"%PDF-1.7 not really")])
    with pytest.raises(PackAssemblyError, match="考察材料"):
        assemble_pack(cover=COVER, sections=[broken])


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五"), (100, "100")]
)
def test_candidates_are_numbered_in_chinese(n, text):
    assert chinese_numeral(n) == text


def test_weasyprint_pdfs_take_the_fast_copy_and_the_pypdf_fallback_gives_the_same_pages():
    html = "<html><body style=\"font-family: 'Noto Serif CJK SC'\"><h1>考察材料</h1><p>德能勤绩廉。</p></body></html>"
    pdf, _pages = rendering.html_to_pdf(html)
    assert type(PackWriter().open(pdf)).__name__ == "_FastDocument"
    secs = [PackSection("李四", "", [PackPart("考察材料", pdf), PackPart("推荐票统计表", make_pdf(["T-1", "T-2"]))])]
    fast = assemble_pack(cover=COVER, sections=secs)
    with mock.patch("dossiers.packs.pdfcopy._FastSource.__init__", side_effect=ValueError("unsupported")):
        assert type(PackWriter().open(pdf)).__name__ == "_PypdfDocument"
        slow = assemble_pack(cover=COVER, sections=secs)
    assert fast.pages == slow.pages == 2 + 1 + 2
    with pdfplumber.open(io.BytesIO(fast.pdf)) as a, pdfplumber.open(io.BytesIO(slow.pdf)) as b:
        for page_a, page_b in zip(a.pages, b.pages, strict=True):
            assert plain_text(page_a) == plain_text(page_b)
            assert watermark_text(page_a) == watermark_text(page_b)


def test_the_fast_copy_renumbers_references_but_not_text_inside_strings():
    document = PackWriter().open(make_pdf(["X"]))
    raw = rb"<< /A 5 0 R /K [6 0 R 7 0 R] /S (see 5 0 R \) and (6 0 R)) /H <3520> /N 12 >>"
    out = document._renumber(raw)
    a, k1, k2 = (document._map[n].idnum for n in (5, 6, 7))
    assert out == (b"<< /A %d 0 R /K [%d 0 R %d 0 R] /S (see 5 0 R \\) and (6 0 R)) /H <3520> /N 12 >>" % (a, k1, k2))
