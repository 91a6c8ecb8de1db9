"""The rendered 干部任免审批表: two A4 pages in the national order, Noto CJK embedded, nothing missing.

Each test renders through `dossier_generate` (as the app does) and reads the stored PDF back with pdfplumber
and pypdf. Rendering costs about 0.3 s, so each test checks several things of one rendering.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import pdfplumber
import pypdf
import pytest
from django.db import transaction

from cadres import choices as c
from cadres.models import RewardPunishment
from dossiers.content.appointment_form import build_appointment_form
from dossiers.kinds import DossierKind
from dossiers.models import DossierDocument
from dossiers.services import dossier_generate
from tests.dossiers.test_appointment_form_content import ON, make_cadre
from tests.factories import FamilyMemberFactory, ResumeEntryFactory

pytestmark = pytest.mark.django_db

A4_POINTS = (595.0, 842.0)
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
OPTIONS = {
    "proposed_post": "示范区第一中学校长",
    "proposed_removal": "示范区第一中学副校长职务",
    "reason": "工作需要",
    "reporting_unit": "中共示范区教育工作委员会",
    "filled_by": "刘敏",
}


@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    """Build, generate and render a form; return (document, content, pdf bytes)."""

    def run(person, **options):
        content = build_appointment_form(person, on=ON, **{**OPTIONS, **options})
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            doc = dossier_generate(
                kind=DossierKind.APPOINTMENT_FORM,
                content=content,
                acting_user=None,
                organization=person.organization,
                subject=person,
                title="干部任免审批表",
            )
        doc.refresh_from_db()
        assert doc.status == DossierDocument.Status.RENDERED, doc.last_error
        with doc.pdf.open("rb") as fh:
            return doc, content, fh.read()

    return run


def pages_of(data: bytes) -> list:
    return pdfplumber.open(io.BytesIO(data)).pages


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def position(page, pattern: str) -> tuple[float, float]:
    matches = page.search(pattern, regex=True)
    assert matches, f"{pattern!r} not found on page {page.page_number}"
    return matches[0]["top"], matches[0]["x0"]


def assert_reading_order(page, patterns: list[str], row_tolerance: float = 8.0) -> None:
    """Each pattern sits below the previous one, or on the same row (within tolerance) to its right."""
    previous = None
    for pattern in patterns:
        top, x0 = position(page, pattern)
        if previous is not None:
            (ptop, px0), ppattern = previous
            same_row = abs(top - ptop) <= row_tolerance
            assert (same_row and x0 > px0) or top > ptop + row_tolerance, f"{pattern!r} is not after {ppattern!r}"
        previous = ((top, x0), pattern)


def strings_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k != "photo" for s in strings_in(v)]
    if isinstance(value, list):
        return [s for item in value for s in strings_in(item)]
    return []


def test_the_form_is_two_a4_pages_with_labels_and_values_in_the_national_order(generate):
    _doc, _content, data = generate(make_cadre())
    page1, page2 = pages_of(data)
    assert (round(page1.width), round(page1.height)) == A4_POINTS
    assert_reading_order(
        page1,
        [
            r"干\s*部\s*任\s*免\s*审\s*批\s*表",
            r"姓\s*名", "王建国", r"性\s*别", "男", "出生年月", r"1975\.03",
            r"民\s*族", "汉族", r"籍\s*贯", "江苏常州", r"出\s*生\s*地", "江苏武进",
            r"入\s*党", r"1998\.06", "参加工", r"1996\.08", "健康状况",
            "专业技", "高级教师", "熟悉专业", "数学教学与学校管理",
            "全日制", "大学本科", "毕业院校", "南京师范大学数学系",
            r"在\s*职",
            r"现\s*任\s*职\s*务", "示范区第一中学副校长",
            r"拟\s*任\s*职\s*务", "示范区第一中学校长",
            r"拟\s*免\s*职\s*务", "示范区第一中学副校长职务",
            r"1992\.09--1996\.07",
        ],
    )  # fmt: skip
    assert_reading_order(
        page2,
        [
            "2015年09月，经示范区人民政府批准",
            "年度考核均为合格",
            "工作需要",
            r"称\s*谓", r"姓\s*名", "年龄", "政治面貌", r"工\s*作\s*单\s*位",
            "陈丽", "48", "中共党员", "示范区人民医院护士长",
            "中共示范区教育工作委员会",
            "（盖章）",
            "填表人：刘敏",
        ],
    )  # fmt: skip
    labels = compact(page2.extract_text())
    for vertical_label in ("奖惩情况", "任免理由", "呈报单位"):
        assert all(ch in labels for ch in vertical_label)


def test_age_and_resume_lines_print_as_the_conventions_say(generate):
    _doc, _content, data = generate(make_cadre())
    page1 = pages_of(data)[0]
    text = page1.extract_text()
    (month_top, month_x), (age_top, age_x) = position(page1, r"1975\.03"), position(page1, r"\(50岁\)")
    assert 0 < age_top - month_top < 20 and abs(month_x - age_x) < 10  # "(50岁)" right under "1975.03"
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.splitlines()]
    assert "1992.09--1996.07 南京师范大学学习" in lines
    assert "1996.08--2018.09 示范区第一中学教师、教务处主任" in lines
    assert "2018.09-- 示范区第一中学副校长" in lines  # the open end: nothing after the two hyphens
    during = next(i for i, line in enumerate(lines) if line.startswith("（其间：2005.09--2008.06"))
    assert lines.index("1996.08--2018.09 示范区第一中学教师、教务处主任") < during
    assert lines.index("2018.09-- 示范区第一中学副校长") > during
    # The text column is aligned: the open-ended line's text starts where the dated lines' text starts.
    first_text_x = position(page1, "南京师范大学学习")[1]
    resume_top = position(page1, r"1992\.09")[0]
    current = [m for m in page1.search("示范区第一中学副校长") if m["top"] > resume_top]
    assert abs(current[0]["x0"] - first_text_x) < 1.0


def test_no_glyph_is_missing_and_only_noto_cjk_fonts_are_embedded(generate):
    person = make_cadre(name="欧阳赟", birthplace="江苏宜兴", specialty="书法、篆刻与古籍整理")
    FamilyMemberFactory(person=person, relation=c.Relation.SON, name="欧阳堃喆", birth_month=dt.date(2005, 1, 1))
    FamilyMemberFactory(person=person, relation=c.Relation.DAUGHTER, name="欧阳祎珺", birth_month=dt.date(2008, 1, 1))
    _doc, content, data = generate(person, reason="因工作需要，拟任命为校长（璟彧昇）")
    text = "".join(page.extract_text() for page in pages_of(data))
    assert "\ufffd" not in text and ".notdef" not in text
    printed = set(CJK.findall(compact(text)))
    expected = {ch for s in strings_in(content) for ch in CJK.findall(s)}
    assert expected and expected <= printed, f"missing: {sorted(expected - printed)}"

    reader = pypdf.PdfReader(io.BytesIO(data))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert any("Noto-Serif-CJK-SC" in name for name in fonts), fonts.keys()
    assert any("Noto-Sans-CJK-SC" in name for name in fonts), fonts.keys()
    for name, font in fonts.items():
        assert re.search(r"Noto-(Serif|Sans)-CJK-SC", name), f"unexpected font {name}"
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert any(key.startswith("/FontFile") for key in descriptor), f"{name} is not embedded"
    chars = [ch for page in pages_of(data) for ch in page.chars]
    assert all(re.search(r"Noto-(Serif|Sans)-CJK-SC", ch["fontname"]) for ch in chars)


def test_footer_numbers_pages_and_prints_the_code_and_the_stored_hash_is_the_files(generate):
    doc, _content, data = generate(make_cadre())
    page1, page2 = pages_of(data)
    assert "第 1 页 共 2 页" in page1.extract_text()
    assert "第 2 页 共 2 页" in page2.extract_text()
    for page in (page1, page2):
        footer = page.crop((0, page.height - 60, page.width, page.height)).extract_text()
        assert doc.verification_code in footer
    assert doc.page_count == 2
    assert hashlib.sha256(data).hexdigest() == doc.sha256
    assert len(doc.sha256) == 64


def test_a_long_resume_many_rewards_and_relatives_still_fit_two_pages_without_losing_a_line(generate):
    person = make_cadre(specialty="物理教学、教育科研与课程改革、学校安全管理与后勤保障")
    person.resume_entries.all().delete()
    month = dt.date(1985, 9, 1)
    texts = []
    for i in range(40):
        end = dt.date(month.year + 1, month.month, 1)
        text = f"示范区第{i + 1}实验初级中学物理教师、教科室副主任（兼任示范区物理学科中心组成员）"
        ResumeEntryFactory(person=person, start_month=month, end_month=end if i < 39 else None, text=text)
        texts.append(text)
        month = end
    for i in range(12):
        RewardPunishment.objects.create(
            person=person, kind=c.RewardKind.REWARD, date=dt.date(2000 + i, 9, 1),
            approver="示范区人民政府", description=f"授予示范区第{i + 1}届优秀教育工作者称号，并记三等功一次",
        )  # fmt: skip
    relations = [c.Relation.SON, c.Relation.DAUGHTER, c.Relation.FATHER, c.Relation.MOTHER, c.Relation.BROTHER]
    for i in range(14):
        FamilyMemberFactory(
            person=person, relation=relations[i % 5], name=f"王家{i}", birth_month=dt.date(1950 + i * 3, 3, 1),
            work_unit_and_post="江苏省宜兴市某某镇人民政府农业服务中心办事员",
        )  # fmt: skip
    doc, content, data = generate(person, family_age=False)
    pages = pages_of(data)
    assert pages[1].search("出生") and not pages[1].search("年龄")
    assert len(pages) == 2 and doc.page_count == 2
    page1_text = compact(pages[0].extract_text())
    for i, text in enumerate(texts):
        assert compact(text) in page1_text, f"resume line {i + 1} lost"
    page2_text = compact(pages[1].extract_text())
    for line in content["rewards"]:
        assert compact(line) in page2_text
    for row in content["family"]:
        assert row["name"] in page2_text
        assert row["birth_month"] in page2_text  # family_age=False prints 出生年月


def test_the_system_check_warns_clearly_when_no_cjk_font_is_installed(monkeypatch):
    from cadres import checks

    monkeypatch.setattr(checks, "cjk_font_families", lambda: ())
    warnings = checks.cjk_font_installed(None)
    assert [w.id for w in warnings] == ["cadres.W001"]
    assert "CJK" in warnings[0].msg and "fonts-noto-cjk" in warnings[0].hint
    monkeypatch.setattr(checks, "cjk_font_families", lambda: ("Noto Sans CJK SC", "Noto Serif CJK SC"))
    assert checks.cjk_font_installed(None) == []


def test_layout_shrinks_the_resume_type_for_long_resumes_and_when_rows_above_wrap():
    from dossiers.templatetags.dossier_tags import RESUME_BASE_MM, family_layout, page1_layout

    line = "2001.09--2002.09  示范区第一实验初级中学物理教师、教科室副主任"
    short = page1_layout({"resume": [line] * 5})
    long = page1_layout({"resume": [line] * 40})
    assert short["size"] == 12.0 and short["height_mm"] == RESUME_BASE_MM
    assert long["size"] < short["size"] and long["lines"] == 40
    wrapped = page1_layout({"resume": [line] * 5, "current_post": "示范区第一中学党总支书记、校长；" * 8})
    assert wrapped["height_mm"] < RESUME_BASE_MM and wrapped["cells"]["current_post"] < 11.0
    few, many = family_layout([{"name": "甲"}] * 3), family_layout([{"name": "甲"}] * 15)
    assert (len(few["blank"]), few["rowspan"], few["size"]) == (7, 11, 10.5)
    assert (len(many["blank"]), many["rowspan"]) == (0, 16) and many["size"] < few["size"]
