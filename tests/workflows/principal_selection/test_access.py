"""Scope, roles and recusal on tasks; reassign, 退回 and cancel (all audited); the API; the watch list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from viewflow.workflow.status import STATUS

from audit.models import AuditEvent
from tests.factories import PersonFactory, TenureFactory
from workflows.principal_selection.models import CaseState

from . import journey as j
from .conftest import FLOW, make_kin, open_task, post_task
from .form_data import token

D = dt.date


@pytest.mark.django_db(transaction=True)
def test_school_level_users_never_see_selection_cases(client, world):
    case = j.propose(client, world)
    client.force_login(world.school_user)
    assert client.get(FLOW.instance.reverse("process_detail", args=[case.pk])).status_code == 403
    assert client.get(FLOW.instance.reverse("record", args=[case.pk])).status_code == 403
    assert client.get(FLOW.propose.reverse("execute")).status_code == 403
    assert client.get("/api/principal-selection/cases/").json()["results"] == []
    assert client.get(f"/api/principal-selection/cases/{case.pk}/").status_code == 404
    client.force_login(world.officer)
    listed = client.get("/api/principal-selection/cases/").json()["results"]
    assert [c["id"] for c in listed] == [case.pk]
    detail = client.get(f"/api/principal-selection/cases/{case.pk}/").json()
    assert [s["step"] for s in detail["steps"]] == ["propose", "recommend"]
    assert detail["steps"][1]["status"] == STATUS.NEW


@pytest.mark.django_db(transaction=True)
def test_only_the_steps_role_may_complete_it(client, world):
    case = j.propose(client, world)
    response = post_task(client, world.discipline, case, FLOW.recommend, {})
    assert response.status_code == 403
    assert open_task(case, FLOW.recommend).status == STATUS.NEW


@pytest.mark.django_db(transaction=True)
def test_a_candidates_kin_may_not_act_on_the_case(client, world):
    case = j.propose(client, world)
    j.recommend(client, world, case)
    j.ok(j.shortlist(client, world, case))
    make_kin(world.members[0], world.alice)  # member0 signs as party secretary
    j.inspect_and_check(client, world, case)
    response = post_task(client, world.members[0], case, FLOW.integrity_signoff, {"conclusion": "无问题"})
    assert response.status_code == 403
    assert not case.signatures.exists()
    j.ok(post_task(client, world.members[1], case, FLOW.integrity_signoff, {"conclusion": "无问题"}))
    assert case.signatures.get().signer == world.members[1]


@pytest.mark.django_db(transaction=True)
def test_reassign_send_back_and_cancel_are_audited(client, world):
    case = j.propose(client, world)
    j.recommend(client, world, case)
    task = open_task(case, FLOW.shortlist)
    client.force_login(world.officer)
    url = FLOW.instance.reverse("record", args=[case.pk])
    page = client.get(url).content.decode()
    assert "确定考察对象（未签收）" in page and f'value="{task.pk}"' in page  # the step by name, not its number
    stranger = PersonFactory(name="无账号", organization=world.bureau)
    refused = client.post(
        url, {"action": "reassign", "task": task.pk, "user": token(stranger), "reason": "休假"}, follow=True
    )
    assert "没有可用的系统账号，不能改派给其办理。" in refused.content.decode()
    task.refresh_from_db()
    assert task.owner is None
    new_holder = token(world.officer2.profile.person)
    j.ok(client.post(url, {"action": "reassign", "task": task.pk, "user": new_holder, "reason": "休假"}))
    task.refresh_from_db()
    assert task.owner == world.officer2 and task.status == STATUS.ASSIGNED
    assert post_task(client, world.officer, case, FLOW.shortlist, {}).status_code == 409  # held by officer2 now

    client.force_login(world.officer)
    j.ok(client.post(url, {"action": "send_back", "target": "recommend", "reason": "推荐范围过窄"}))
    task.refresh_from_db()
    assert task.status == STATUS.CANCELED
    assert open_task(case, FLOW.recommend).status == STATUS.NEW
    case.refresh_from_db()
    assert case.state == CaseState.PROPOSED

    j.ok(client.post(url, {"action": "note", "step": "recommend", "text": "请扩大推荐范围"}))
    upload = SimpleUploadedFile("方案.txt", "推荐工作方案".encode(), content_type="text/plain")
    j.ok(client.post(url, {"action": "note", "step": "recommend", "attachment": upload}))
    j.ok(client.post(url, {"action": "cancel", "reason": "岗位调整，不再选拔"}))
    case.refresh_from_db()
    assert case.state == CaseState.CANCELLED and case.status == "CANCELED"
    events = AuditEvent.objects.filter(object_id=str(case.pk), object_type="principal_selection.selectioncase")
    reasons = dict(events.values_list("action", "reason"))
    assert reasons["principal_selection.reassign"] == "休假"
    assert reasons["principal_selection.send_back"] == "推荐范围过窄"
    assert reasons["principal_selection.cancel"] == "岗位调整，不再选拔"
    notes = list(case.notes.order_by("id"))
    assert notes[0].text == "请扩大推荐范围"
    assert notes[1].attachment.read().decode() == "推荐工作方案"


@pytest.mark.django_db
def test_watch_list_page_and_daily_command(client, world, capsys):
    TenureFactory(person=world.bob, post=world.post, start_date=D(2020, 9, 1))  # two holders on a post of one
    client.force_login(world.officer)
    page = client.get(FLOW.instance.reverse("watch"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "任职交流到期" in body and "老校长" in body  # principal since 2014-09: over 10 years
    assert "超职数配备" in body
    client.force_login(world.school_user)
    assert client.get(FLOW.instance.reverse("watch")).status_code == 403
    call_command("principal_watch", "--date", "2026-06-01")
    out = capsys.readouterr().out
    assert "任职交流到期" in out and "超职数配备" in out
    assert AuditEvent.objects.filter(action="principal_selection.watch").exists()


@pytest.mark.django_db(transaction=True)
def test_sent_back_from_the_decision_the_case_runs_the_inspection_again(client, world):
    w = world
    case = j.propose(client, w)
    j.recommend(client, w, case)
    j.ok(j.shortlist(client, w, case))
    j.inspect_and_check(client, w, case)
    j.sign(client, w, case)
    assert open_task(case, FLOW.decide).status == STATUS.NEW
    client.force_login(w.officer)
    url = FLOW.instance.reverse("record", args=[case.pk])
    j.ok(client.post(url, {"action": "send_back", "target": "shortlist", "reason": "考察不够充分"}))
    j.ok(j.shortlist(client, w, case, people=[w.alice, w.carol]))
    case.refresh_from_db()
    assert case.state == "shortlisted"
    j.inspect_and_check(client, w, case)
    j.sign(client, w, case)
    j.ok(j.decide(client, w, case, agree_alice=6))
    case.refresh_from_db()
    assert case.state == CaseState.DECIDED
    assert case.task_set.filter(flow_task=FLOW.checks_done, status=STATUS.DONE).count() == 2


@pytest.mark.django_db
def test_objections_are_recorded_and_checked_on_the_record_page(client, world):
    from . import stages

    case = stages.decided(world)
    client.force_login(world.officer)
    url = FLOW.instance.reverse("record", args=[case.pk])
    j.ok(
        client.post(
            url,
            {
                "action": "objection",
                "candidate": token(world.alice),
                "received_on": "2026-04-14",
                "content": "反映其违规补课",
            },
        )
    )
    objection = case.objections.get()
    assert f'name="objection" value="{objection.pk}"' in client.get(url).content.decode()
    j.ok(client.post(url, {"action": "resolve", "objection": objection.pk, "upheld": "0", "finding": "经核查不属实"}))
    objection.refresh_from_db()
    assert objection.status == "cleared" and objection.finding == "经核查不属实"
