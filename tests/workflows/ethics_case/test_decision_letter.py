"""The 师德处理决定书: its content from the case, and one real rendering."""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest

from cadres.ethics.models import SanctionRegime
from cadres.ethics.rules import ETHICS_PURPOSE
from cadres.models import RuleSetItem
from dossiers.models import DossierDocument
from dossiers.services import render_document
from workflows.ethics_case.letter import decision_letter_content

from .conftest import DECIDED, DOC_NUMBER

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(driver, district):
    return driver.to_decision(district, district.ma, district.teacher, district.secretary, district.officer)


def test_the_letter_states_facts_procedure_sanction_period_and_remedies(decided):
    content = DossierDocument.objects.get(process_ref=decided.ref).content
    assert content["teacher"]["unit"] == "第一实验小学" and content["teacher"]["post"] == "数学教师"
    assert content["facts"] == ["2026年3月至6月组织本校学生14人有偿补课。", "收取费用33600元。"]
    assert content["evidence_line"] == "以上事实，有收费记录等证据证实。"
    assert content["violation"]["item"] == 10
    assert "2026年9月5日，本机关听取了马建军同志的陈述和申辩" in content["procedure"]
    assert content["period"]["months"] == 12
    assert [m["measure"] for m in content["other_measures"]] == ["通报批评", "取消资格"]
    assert "评奖评优、职称评定" in content["other_measures"][1]["text"]
    assert content["remedy_lines"][0] == (
        "如对本决定不服，可以自收到本决定书之日起30日内向示范区教育局申请复核；"
        "对复核决定不服的，可以自收到复核决定之日起30日内向常州市教育局提出申诉。"
    )
    assert content["remedy_lines"][1] == "复核、申诉期间，不停止本决定的执行。"


def test_managerial_staff_get_the_government_sanction_wording(decided):
    decided.regime = SanctionRegime.MANAGERIAL
    content = decision_letter_content(
        decided,
        kind="major_demerit",
        measures=[],
        decided_on=DECIDED,
        document_number=DOC_NUMBER,
        meeting="局务会议",
        facts="事实。",
        appeal_body="市教育局",
    )
    assert (content["staff_kind"], content["sanction"], content["period"]["months"]) == ("管理人员", "记大过", 18)


def test_the_decision_letter_renders_to_a_pdf_with_its_verification_code(decided):
    document = render_document(DossierDocument.objects.get(process_ref=decided.ref).pk)
    assert document.is_rendered and document.page_count >= 1
    with pdfplumber.open(io.BytesIO(document.pdf.read())) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    for expected in ("关于给予马建军同志记过处分的决定", DOC_NUMBER, "申请复核", document.verification_code):
        assert expected in text.replace("\n", "")


def test_the_letters_period_is_the_rule_sets_and_ends_the_day_before_the_stored_sanction(driver, district):
    item = RuleSetItem.objects.get(rule_set__purpose=ETHICS_PURPOSE, rule_code="sanction_periods")
    periods = {regime: dict(table) for regime, table in item.params["periods"].items()}
    periods[SanctionRegime.TEACHER]["demerit"] = 15
    item.params = {**item.params, "periods": periods}
    item.full_clean()
    item.save()
    d = district
    case = driver.to_decision(d, d.ma, d.teacher, d.secretary, d.officer)
    content = DossierDocument.objects.get(process_ref=case.ref).content
    assert case.sanction.period_months == content["period"]["months"] == 15
    assert dt.date.fromisoformat(content["period"]["end"]["iso"]) == case.sanction.end_date - dt.timedelta(days=1)
