"""能上能下 through HTTP: proposal, the person's statement, the meeting, and the report filed with the bureau."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from dossiers.models import DossierDocument
from tests.factories import TenureFactory
from workflows.competition.flows import AdjustmentFlow
from workflows.competition.models import Adjustment

from .conftest import meeting_data, open_task, post_task

D = dt.date
A = AdjustmentFlow


def meeting_form(world, votes, *, present=5):
    return meeting_data(world, votes, present=present, held_on="2026-05-20")


def decided(client, world, django_capture_on_commit_callbacks) -> tuple[Adjustment, object]:
    """Bob (dean, 2025 appraisal 不合格) proposed for demotion, his statement, and the meeting that passes it."""
    sitting = TenureFactory(person=world.bob, post=world.dean, start_date=D(2020, 9, 1))
    world.bob.appraisals.filter(year=2025).update(grade="incompetent")
    client.force_login(world.secretary)
    page = client.get(A.propose.reverse("execute")).content.decode()
    assert "2025年度考核不合格" in page
    response = client.post(
        A.propose.reverse("execute"),
        {
            "tenure": sitting.pk,
            "trigger": "appraisal_failed",
            "grounds": "2025年度考核不合格",
            "proposed_outcome": "demote",
            "proposed_post": world.deputy.pk,
        },
    )
    assert response.status_code == 302
    case = Adjustment.objects.get()
    # only the person may make the statement
    client.force_login(world.alice_user)
    task = open_task(case, A.statement)
    impostor = client.post(A.statement.reverse("execute", args=[case.pk, task.pk]), {"statement": "冒名"})
    assert impostor.status_code == 403
    response = post_task(client, world.bob_user, case, A.statement, {"statement": "本人接受组织决定。"})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = post_task(client, world.secretary, case, A.decide, meeting_form(world, ["agree"] * 5))
    assert response.status_code == 302, response.content.decode()[:1500]
    case.refresh_from_db()
    return case, sitting


def test_adjustment_journey_demotes_then_reports_to_the_bureau(client, world, django_capture_on_commit_callbacks):
    case, sitting = decided(client, world, django_capture_on_commit_callbacks)
    sitting.refresh_from_db()
    assert case.outcome == "demote" and sitting.end_date == world.today.value
    assert case.new_tenure.post == world.deputy and case.new_tenure.end_date is None
    doc = DossierDocument.objects.get(process_ref=f"adjustment:{case.pk}")
    assert doc.status == "rendered" and doc.title == "关于赵立新同志职务调整的决定"
    assert case.status != "DONE"  # the report to the bureau is still due

    # the school files the report; an empty one is refused and nothing is stored
    client.force_login(world.secretary)
    page = client.get(A.file_report.reverse("execute", args=[case.pk, open_task(case, A.file_report).pk]))
    assert "本人接受组织决定。" in page.content.decode()  # the case is shown on the step
    empty = post_task(client, world.secretary, case, A.file_report, {"summary": "   "})
    assert empty.status_code == 200 and "须填写调整情况报告" in empty.content.decode()
    case.refresh_from_db()
    assert case.report_status == "" and case.report_summary == ""
    world.today.set(D(2026, 5, 25))
    summary = "赵立新同志2025年度考核不合格，经学校党支部会议研究，调整为教导处副主任。"
    assert post_task(client, world.secretary, case, A.file_report, {"summary": summary}).status_code == 302
    case.refresh_from_db()
    assert (case.report_status, case.report_summary, case.reported_on) == ("filed", summary, D(2026, 5, 25))

    # the bureau returns it with a reason (a return without one is refused), the school files again
    no_reason = post_task(client, world.officer, case, A.bureau_review, {"acknowledged": "0", "reason": ""})
    assert "退回须写明理由" in no_reason.content.decode()
    case.refresh_from_db()
    assert case.report_status == "filed"
    returned = post_task(client, world.officer, case, A.bureau_review, {"acknowledged": "0", "reason": "未附会议纪要"})
    assert returned.status_code == 302
    case.refresh_from_db()
    assert (case.report_status, case.report_return_reason) == ("returned", "未附会议纪要")
    client.force_login(world.secretary)
    page = client.get(A.file_report.reverse("execute", args=[case.pk, open_task(case, A.file_report).pk]))
    assert "未附会议纪要" in page.content.decode()
    world.today.set(D(2026, 5, 27))
    refiled = summary + "附：会议纪要。"
    assert post_task(client, world.secretary, case, A.file_report, {"summary": refiled}).status_code == 302
    case.refresh_from_db()
    assert (case.report_status, case.reported_on, case.report_return_reason) == ("filed", D(2026, 5, 27), "")

    # the bureau acknowledges: the process ends, the report shows on the case
    world.today.set(D(2026, 5, 28))
    assert (
        post_task(client, world.officer, case, A.bureau_review, {"acknowledged": "1", "reason": ""}).status_code == 302
    )
    case.refresh_from_db()
    assert (case.report_status, case.report_reviewed_on, case.status) == ("acknowledged", D(2026, 5, 28), "DONE")
    events = list(
        AuditEvent.objects.filter(action__startswith="competition.adjustment_report").values_list(
            "action", "to_state", "reason"
        )
    )
    assert events == [
        ("competition.adjustment_report", "filed", summary),
        ("competition.adjustment_report_review", "returned", "未附会议纪要"),
        ("competition.adjustment_report", "filed", refiled),
        ("competition.adjustment_report_review", "acknowledged", ""),
    ]
    client.force_login(world.officer)
    detail = client.get(A.instance.reverse("process_detail", args=[case.pk])).content.decode()
    assert refiled in detail and "局已确认" in detail


@pytest.mark.parametrize("who", ["other_secretary", "bob_user", "officer"])
def test_only_the_schools_secretary_files_the_report(client, world, django_capture_on_commit_callbacks, who):
    case, _sitting = decided(client, world, django_capture_on_commit_callbacks)
    response = post_task(client, getattr(world, who), case, A.file_report, {"summary": "代为报告"})
    assert response.status_code in (403, 404)
    case.refresh_from_db()
    assert case.report_status == "" and not AuditEvent.objects.filter(action="competition.adjustment_report").exists()


@pytest.mark.parametrize("who", ["secretary", "other_secretary", "bob_user"])
def test_only_a_bureau_officer_reviews_the_report(client, world, django_capture_on_commit_callbacks, who):
    case, _sitting = decided(client, world, django_capture_on_commit_callbacks)
    post_task(client, world.secretary, case, A.file_report, {"summary": "调整为教导处副主任。"})
    response = post_task(client, getattr(world, who), case, A.bureau_review, {"acknowledged": "1", "reason": ""})
    assert response.status_code in (403, 404)
    case.refresh_from_db()
    assert case.report_status == "filed" and case.status != "DONE"
