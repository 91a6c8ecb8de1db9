"""The whole case through the web pages, as each role: a public school and a private one."""

from __future__ import annotations

import datetime as dt

import pytest
from viewflow.workflow import STATUS

from audit.models import AuditEvent
from audit.services import verify_chain
from cadres.ethics.models import Sanction
from dossiers.kinds import DossierKind
from dossiers.models import DossierDocument
from workflows.ethics_case.flows import EthicsCaseFlow
from workflows.ethics_case.models import CaseOutcome, EthicsCaseEvidence, Revision

from .conftest import DECIDED, DOC_NUMBER

pytestmark = pytest.mark.django_db


def case_events(case) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="workflows.ethicscase", object_id=str(case.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_public_school_case_runs_from_report_to_appeal_decision(driver, district):
    d = district
    case = driver.report(d.secretary, d.ma)
    assert (case.organization, case.authority, case.reported_by) == (d.school, d.bureau, d.secretary)

    case = driver.investigate(d)
    assert case.violations == ["v10"] and case.intended_kind == "demerit"
    assert EthicsCaseEvidence.objects.get(case=case).description == "收费记录"
    statement = driver.task(EthicsCaseFlow.statement)
    assert statement.owner == d.teacher and statement.status == STATUS.ASSIGNED

    driver.statement(d.teacher)
    assert driver.task(EthicsCaseFlow.hearing) is None  # 记过 is below 降低岗位等级: no hearing
    driver.propose(d.secretary)
    case = driver.decide(d.officer)

    assert case.decided_by == d.officer and case.document_number == DOC_NUMBER
    main = case.sanction
    assert (main.kind, main.status, main.decided_on, main.document_number) == (
        "demerit",
        "in_force",
        DECIDED,
        DOC_NUMBER,
    )
    assert main.end_date == dt.date(2027, 9, 9) and main.source_ref == case.ref
    measures = Sanction.objects.filter(source_ref=case.ref).exclude(pk=main.pk)
    assert sorted(measures.values_list("kind", flat=True)) == ["circulated_criticism", "disqualification"]
    assert measures.get(kind="disqualification").disqualified_from == ["award", "title_promotion"]
    assert case.review_due == dt.date(2026, 10, 9)
    letter = DossierDocument.objects.get(kind=DossierKind.ETHICS_DECISION, process_ref=case.ref)
    assert letter.subject == d.ma and letter.content["doc_number"] == DOC_NUMBER
    assert letter.content["sanction"] == "记过" and letter.content["title"] == "关于给予马建军同志记过处分的决定"

    case = driver.step(d.teacher, EthicsCaseFlow.apply_review, {"reason": "处理过重。"}, on=dt.date(2026, 9, 20))
    assert (case.review_applied_on, case.review_answer_due) == (dt.date(2026, 9, 20), dt.date(2026, 10, 20))
    case = driver.step(
        d.officer,
        EthicsCaseFlow.answer_review,
        {"result": "lighten", "new_kind": "warning", "text": "考虑其已退还费用，改为警告。"},
        on=dt.date(2026, 9, 30),
    )
    assert case.review_result == Revision.LIGHTEN and case.sanction.kind == "warning"
    assert Sanction.objects.get(pk=main.pk).status == "replaced"
    assert case.appeal_due == dt.date(2026, 10, 30)

    case = driver.step(d.teacher, EthicsCaseFlow.apply_appeal, {"reason": "仍不服。"}, on=dt.date(2026, 10, 15))
    assert case.appeal_decision_due == dt.date(2026, 12, 14)
    case = driver.step(
        d.committee,
        EthicsCaseFlow.decide_appeal,
        {"result": "keep", "text": "维持复核决定。"},
        on=dt.date(2026, 11, 20),
    )
    assert (case.appeal_result, case.outcome, case.closed_on) == ("keep", CaseOutcome.FINAL, dt.date(2026, 11, 20))
    assert case.status == STATUS.DONE
    assert case_events(case) == [
        "ethics_case_reported",
        "ethics_case_investigator_assigned",
        "ethics_case_investigated",
        "ethics_case_statement_submitted",
        "ethics_case_proposed",
        "ethics_case_decided",
        "ethics_case_decision_issued",
        "ethics_case_review_applied",
        "ethics_case_review_answered",
        "ethics_case_appeal_applied",
        "ethics_case_appeal_decided",
    ]
    assert verify_chain().ok


def test_private_school_decides_itself_and_files_with_the_bureau(driver, district):
    d = district
    case = driver.to_decision(d, d.li, d.private_teacher, d.private_secretary, d.private_secretary)
    assert case.authority == d.private and case.decided_by == d.private_secretary
    assert case.filed_with_bureau_on == DECIDED
    assert case.sanction.authority == d.private.name
    letter = DossierDocument.objects.get(kind=DossierKind.ETHICS_DECISION, process_ref=case.ref)
    assert letter.organization == d.private and letter.content["review_body"] == d.bureau.name

    driver.step(d.private_teacher, EthicsCaseFlow.apply_review, {"reason": "不服。"}, on=dt.date(2026, 9, 15))
    case = driver.step(
        d.officer, EthicsCaseFlow.answer_review, {"result": "keep", "text": "维持。"}, on=dt.date(2026, 9, 25)
    )
    driver.step(d.private_teacher, EthicsCaseFlow.apply_appeal, {"reason": "申诉。"}, on=dt.date(2026, 10, 10))
    case = driver.step(
        d.committee,
        EthicsCaseFlow.decide_appeal,
        {"result": "annul", "text": "事实不清，撤销。"},
        on=dt.date(2026, 11, 1),
    )
    assert case.outcome == CaseOutcome.ANNULLED
    assert set(Sanction.objects.filter(source_ref=case.ref).values_list("status", flat=True)) == {"annulled"}


def test_the_officer_of_a_public_school_case_cannot_be_replaced_by_the_school(driver, district):
    d = district
    driver.report(d.secretary, d.ma)
    driver.investigate(d)
    driver.statement(d.teacher)
    driver.propose(d.secretary)
    response = driver.post(d.secretary, EthicsCaseFlow.decide, driver.decide_data(), on=DECIDED)
    assert response.status_code == 403
    assert driver.reload().decided_on is None
