"""One case from 动议 to 正式任职 through HTTP, each step posted by the role that owns it."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from viewflow.workflow.status import STATUS

from audit.models import AuditEvent
from audit.services import verify_chain
from cadres.models import Tenure
from dossiers.models import DossierDocument
from workflows.common import gates
from workflows.meetings.models import MeetingVote
from workflows.principal_selection.models import CandidateStatus, CaseState

from . import journey as j
from .conftest import FLOW, backdate_timers, open_task, post_task

D = dt.date


@pytest.mark.django_db(transaction=True)
def test_a_case_runs_from_proposal_to_confirmed_probation(client, world, monkeypatch):
    w = world
    case = j.propose(client, w)
    assert case.state == CaseState.PROPOSED and case.officer == w.officer
    j.recommend(client, w, case)
    case.refresh_from_db()
    assert case.state == CaseState.RECOMMENDED
    j.ok(j.shortlist(client, w, case))
    j.inspect_and_check(client, w, case)
    j.sign(client, w, case)
    case.refresh_from_db()
    assert case.state == CaseState.INSPECTED
    j.ok(j.decide(client, w, case))
    case.refresh_from_db()
    assert case.state == CaseState.DECIDED and case.decided_on == D(2026, 4, 10)
    assert case.candidates.get(person=w.alice).status == CandidateStatus.DECIDED
    assert case.candidates.get(person=w.bob).status == CandidateStatus.NOT_PASSED
    j.publicise(client, w, case)
    case.refresh_from_db()
    assert (case.publicity_start, case.publicity_end) == (D(2026, 4, 13), D(2026, 4, 17))
    # 公示 is a node of the graph: a timer holds the case until the morning after its last day, and only
    # then is there a 任职 task to do.
    waiting = case.task_set.get(flow_task=FLOW.publicity_wait)
    assert waiting.status != "DONE" and not case.task_set.filter(flow_task=FLOW.appoint).exists()
    client.force_login(w.officer)
    page = client.get(FLOW.instance.reverse("process_detail", args=[case.pk])).content.decode()
    current = page[page.index('id="current-steps"') : page.index('id="done-steps"')]
    assert "公示期" in current and "2026年4月17日" in current and "计时中" in current
    j.ok(j.appoint(client, w, case))
    case.refresh_from_db()
    assert case.task_set.get(flow_task=FLOW.publicity_wait).status == "DONE"
    assert case.state == CaseState.ON_PROBATION
    tenure = Tenure.objects.get(person=w.alice, post=w.post)
    assert tenure.start_date == D(2026, 4, 10)  # the decision date
    assert tenure.document_number == "示教工委〔2026〕12号"
    assert tenure.probation_end == D(2027, 4, 20)  # one year from the notice
    w.holder_tenure.refresh_from_db()
    assert w.holder_tenure.end_date == D(2026, 4, 10)
    assert Tenure.objects.get(person=w.alice, post=w.deputy_post).end_date == D(2026, 4, 10)

    # The probation timer is scheduled for the end date; back-date it and run the scheduler's command.
    timer = case.task_set.get(flow_task=FLOW.probation_wait)
    assert timer.status == STATUS.SCHEDULED and timer.scheduled.date() == D(2027, 4, 20)
    backdate_timers(case)
    call_command("workflow_timers")
    monkeypatch.setattr(gates, "today", lambda: D(2027, 4, 20))  # the review is recorded when the year is over
    review = open_task(case, FLOW.probation_review)
    j.ok(post_task(client, w.officer, case, FLOW.probation_review, {"confirmed": "1", "on": "2027-04-20"}))
    case.refresh_from_db()
    assert case.state == CaseState.CONFIRMED
    assert case.status == "DONE"
    review.refresh_from_db()
    assert review.owner == w.officer and review.status == STATUS.DONE

    actions = list(
        AuditEvent.objects.filter(object_type="principal_selection.selectioncase", object_id=str(case.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    for step in (
        "propose",
        "recommend.talk",
        "recommend.meeting",
        "shortlist",
        "inspect",
        "dossier_review",
        "personal_matters_check",
        "discipline_opinion",
        "petition_check",
        "integrity_signoff",
        "decide",
        "publicise",
        "appoint",
        "probation_review",
    ):
        assert f"principal_selection.{step}" in actions, step
    decide_event = AuditEvent.objects.get(object_id=str(case.pk), action="principal_selection.decide")
    assert (decide_event.payload["due"], decide_event.payload["present"], decide_event.payload["quorum"]) == (9, 7, 6)
    assert verify_chain().ok

    kinds = set(
        DossierDocument.objects.filter(process_ref=f"principal_selection:{case.pk}").values_list("kind", flat=True)
    )
    assert {
        "recommendation_tally",
        "inspection_report",
        "appointment_form",
        "vote_sheet",
        "minutes_extract",
        "public_notice",
        "appointment_notice",
    } <= kinds
    assert MeetingVote.objects.filter(meeting__process=case, vote="absent").count() == 2 * 2

    # The record page and its PDF, as the officer.
    client.force_login(w.officer)
    record_url = FLOW.instance.reverse("record", args=[case.pk])
    page = client.get(record_url)
    assert page.status_code == 200 and "会议推荐" in page.content.decode() and "试用期满考核" in page.content.decode()
    j.ok(client.post(record_url, {"action": "pdf"}))
    sheet = DossierDocument.objects.get(process_ref=f"principal_selection:{case.pk}", kind="record_sheet")
    assert sheet.content["events"]
    statuses = set(
        DossierDocument.objects.filter(process_ref=f"principal_selection:{case.pk}").values_list("status", flat=True)
    )
    assert statuses == {DossierDocument.Status.RENDERED}  # rendered after commit, in-process
    if os.environ.get("CADREFLOW_KEEP_PDF"):
        Path(os.environ["CADREFLOW_KEEP_PDF"]).write_bytes(sheet.pdf.read())
    chart = client.get(FLOW.instance.reverse("process_detail", args=[case.pk]))
    assert chart.status_code == 200
    for name in ("inbox", "queue", "archive", "process_list", "chart"):
        assert client.get(FLOW.instance.reverse(name), follow=True).status_code == 200, name


@pytest.mark.django_db(transaction=True)
def test_a_failed_probation_reverts_to_the_former_post(client, world, monkeypatch):
    w = world
    case = j.propose(client, w)
    j.recommend(client, w, case)
    j.ok(j.shortlist(client, w, case))
    j.inspect_and_check(client, w, case)
    j.sign(client, w, case)
    j.ok(j.decide(client, w, case))
    j.publicise(client, w, case)
    j.ok(j.appoint(client, w, case))
    backdate_timers(case)
    call_command("workflow_timers")
    monkeypatch.setattr(gates, "today", lambda: D(2027, 4, 20))  # the review is recorded when the year is over
    j.ok(
        post_task(
            client,
            w.officer,
            case,
            FLOW.probation_review,
            {"confirmed": "0", "on": "2027-04-20", "reason": "试用期考核不胜任"},
        )
    )
    case.refresh_from_db()
    assert case.state == CaseState.REVERTED
    assert Tenure.objects.get(person=w.alice, post=w.post).end_date == D(2027, 4, 20)
    back = Tenure.objects.get(person=w.alice, post=w.deputy_post, start_date=D(2027, 4, 20))
    assert back.end_date is None
