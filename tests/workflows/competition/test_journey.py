"""The whole competition through HTTP as each role, plan → appointment → report."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from cadres.models import Tenure
from cadres.person_search import person_token
from dossiers.models import DossierDocument
from workflows.competition.flows import CompetitionFlow
from workflows.competition.models import Competition, Registration, RegStatus, ScoreSheet, State

from .conftest import CLOSES, OPENS, fire_timers, meeting_data, open_task, plan_form_data, post_task

D = dt.date
F = CompetitionFlow


def plan_form(world, **extra):
    return plan_form_data(world, **extra)


def meeting_form(world, votes, *, present=6, form="meeting", held_on="2026-05-21"):
    return meeting_data(world, votes, present=present, form=form, held_on=held_on)


def register(client, user, case, post):
    client.force_login(user)
    return client.post(F.instance.reverse("register"), {"competition": case.pk, "post": post.pk})


def test_full_competition_journey_through_http(client, world, django_capture_on_commit_callbacks):
    today = world.today
    # 1. the school's plan
    client.force_login(world.secretary)
    response = client.post(F.plan.reverse("execute"), plan_form(world))
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Competition.objects.get()
    assert case.organization == world.school and case.state == State.DRAFT

    # 2. a circulated signature is refused; then a real meeting approves
    response = post_task(
        client,
        world.secretary,
        case,
        F.school_meeting_approval,
        meeting_form(world, ["agree"] * 6, form="circulated"),
    )
    assert "传签、传阅不能代替会议" in response.content.decode()
    response = post_task(client, world.secretary, case, F.school_meeting_approval, meeting_form(world, ["agree"] * 6))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.APPROVED

    # 3. the bureau returns it once, the school revises, meets again, the bureau accepts → frozen
    response = post_task(client, world.officer, case, F.file_with_bureau, {"accepted": "0", "reason": "评委人数不足"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.RETURNED and case.filing_reason == "评委人数不足"
    assert post_task(client, world.secretary, case, F.revise_plan, plan_form(world, inspect_top="1")).status_code == 302
    post_task(
        client,
        world.secretary,
        case,
        F.school_meeting_approval,
        meeting_form(world, ["agree"] * 5, present=5),
    )
    assert (
        post_task(client, world.officer, case, F.file_with_bureau, {"accepted": "1", "reason": ""}).status_code == 302
    )
    case.refresh_from_db()
    assert case.state == State.FROZEN and len(case.plan_hash) == 64 and case.frozen_plan == case.plan

    # 4. announcement, registration inside the window
    with django_capture_on_commit_callbacks(execute=True):
        assert post_task(client, world.secretary, case, F.announce, {"confirm": "on"}).status_code == 302
    today.set(OPENS)
    assert register(client, world.alice_user, case, world.dean).status_code == 302
    assert register(client, world.bob_user, case, world.dean).status_code == 302
    assert register(client, world.carol_user, case, world.moral).status_code == 302
    refused = register(client, world.dave_user, case, world.dean)
    assert refused.status_code == 400 and "专业技术职务须为一级教师及以上" in refused.content.decode()
    today.set(CLOSES + dt.timedelta(days=1))
    late = register(client, world.dave_user, case, world.moral)
    assert "报名时间为2026年06月01日至2026年06月05日" in late.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert post_task(client, world.secretary, case, F.registration, {"confirm": "on"}).status_code == 302

    # 5. qualification review: the moral-education post is short of candidates (flag shown)
    for reg in Registration.objects.filter(competition=case):
        response = post_task(
            client, world.secretary, case, F.qualification_review, {"registration": reg.pk, "accept": "1", "reason": ""}
        )
        assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.QUALIFIED
    client.force_login(world.secretary)
    page = client.get(F.scoring.reverse("execute", args=[case.pk, open_task(case, F.scoring).pk])).content.decode()
    assert "德育处主任合格人数1人，少于方案要求的2人" in page

    # 6. the sitting: judge6 is alice's spouse → recused from the dean post automatically
    judges = world.judges
    post_task(
        client,
        world.secretary,
        case,
        F.scoring,
        {"action": "assign", "post": world.dean.pk, "judges": [person_token(j.pk) for j in world.judge_people]},
    )
    post_task(
        client,
        world.secretary,
        case,
        F.scoring,
        {"action": "assign", "post": world.moral.pk, "judges": [person_token(j.pk) for j in world.judge_people[:3]]},
    )
    assert case.judges.get(post=world.dean, judge=judges[5]).recused
    post_task(client, world.secretary, case, F.scoring, {"action": "open"})
    alice_reg = Registration.objects.get(person=world.alice)
    bob_reg = Registration.objects.get(person=world.bob)
    carol_reg = Registration.objects.get(person=world.carol)
    client.force_login(judges[5])
    refused = client.post(F.instance.reverse("judge"), {"registration": alice_reg.pk, "scores": "18,26,18,18,9"})
    assert refused.status_code == 400 and "须回避" in refused.content.decode()
    alice_scores = ["18,26,18,18,9", "17,25,18,17,9", "19,28,19,19,10", "15,22,15,15,8", "18,27,18,18,9"]
    bob_scores = ["16,24,16,16,8", "17,24,17,16,8", "18,26,18,17,9", "14,20,14,14,7", "17,25,17,17,9"]
    with django_capture_on_commit_callbacks(execute=True):
        for judge, a, b in zip(judges[:5], alice_scores, bob_scores, strict=True):
            client.force_login(judge)
            assert (
                client.post(F.instance.reverse("judge"), {"registration": alice_reg.pk, "scores": a}).status_code == 302
            )
            assert (
                client.post(F.instance.reverse("judge"), {"registration": bob_reg.pk, "scores": b}).status_code == 302
            )
    client.force_login(judges[0])
    again = client.post(F.instance.reverse("judge"), {"registration": alice_reg.pk, "scores": "20,30,20,20,10"})
    assert "已提交并锁定" in again.content.decode()
    # carol's sheets are paper sheets keyed twice by two officers (the secretary and a second school user)
    from cadres.roles import Role
    from tests.factories import UserFactory

    clerk = UserFactory(username="clerk", roles=[Role.SCHOOL_SECRETARY], organization=world.school)
    for judge in judges[:3]:
        data = {"action": "paper", "registration": carol_reg.pk, "judge": judge.pk, "scores": "18,26,18,18,9"}
        post_task(client, world.secretary, case, F.scoring, data)
        # the second keying goes to the same task, now owned by the secretary: hand it over first
        task = open_task(case, F.scoring)
        task.owner = None
        task.save()
        post_task(client, clerk, case, F.scoring, data)
        task = open_task(case, F.scoring)
        task.owner = None
        task.save()
    assert ScoreSheet.objects.filter(registration=carol_reg, paper=True).count() == 3
    early = post_task(client, world.secretary, case, F.scoring, {"action": "close"})
    assert "民主测评成绩未录入" in early.content.decode()
    # alice's two scores are typed in; the others come from the template, downloaded from the step page
    post_task(
        client,
        world.secretary,
        case,
        F.scoring,
        {"action": "other", "registration": alice_reg.pk, "evaluation": "88", "performance": "90"},
    )
    client.force_login(world.secretary)
    step_url = F.scoring.reverse("execute", args=[case.pk, open_task(case, F.scoring).pk])
    page = client.get(step_url).content.decode()
    template_url = F.instance.reverse("score_template", args=[case.pk])
    import_url = F.instance.reverse("score_import", args=[case.pk])
    assert template_url in page and f'action="{import_url}"' in page
    book = load_workbook(io.BytesIO(b"".join(client.get(template_url).streaming_content)))
    sheet = book.active
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=3)}
    assert [rows["王晓燕"][3].value, rows["王晓燕"][4].value] == [88, 90]  # what was typed is prefilled
    for name, ev, perf in (("赵立新", 92, 85), ("孙海涛", 80, 80)):
        rows[name][3].value, rows[name][4].value = ev, perf
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "成绩.xlsx"
    response = client.post(import_url, {"file": upload, "next": step_url})
    assert response.status_code == 302 and response["Location"] == step_url
    bob_reg.refresh_from_db()
    assert (bob_reg.evaluation, bob_reg.performance) == (92, 85)
    assert post_task(client, world.secretary, case, F.scoring, {"action": "close"}).status_code == 302

    # 7. ranking with traces. alice: totals 89, 86, 95, 75, 90 → drop 95 and 75 → (89+86+90)/3 = 88.33;
    #    88.33×50% + 88×30% + 90×20% = 44.165 + 26.4 + 18 = 88.565 → 88.57
    with django_capture_on_commit_callbacks(execute=True):
        assert post_task(client, world.secretary, case, F.ranking, {"confirm": "on"}).status_code == 302
    alice_reg.refresh_from_db()
    bob_reg.refresh_from_db()
    assert str(alice_reg.composite) == "88.57" and alice_reg.rank == 1 and alice_reg.status == RegStatus.SHORTLISTED
    assert bob_reg.rank == 2 and bob_reg.status == RegStatus.QUALIFIED
    assert any("去掉最高分95.00（评委3）、最低分75.00（评委4）" in line for line in alice_reg.trace)

    # 8. inspection, decision (quorum and majority), 公示, appointment, report
    for reg in (alice_reg, carol_reg):
        post_task(client, world.secretary, case, F.inspection, {"registration": reg.pk, "opinion": "德才表现良好。"})
    with django_capture_on_commit_callbacks(execute=True):
        # the decision meeting is held after the registration closed, today (not on the plan meeting's date);
        # one row per present member, one vote per shortlisted candidate (alice for the dean, carol for moral)
        decision = meeting_form(world, [["agree", "agree"]] * 5, present=5, held_on="2026-06-06")
        response = post_task(client, world.secretary, case, F.school_decision, decision)
        assert response.status_code == 302, response.content.decode()[-3000:]
    case.refresh_from_db()
    assert case.state == State.DECIDED
    today.set(D(2026, 6, 15))
    with django_capture_on_commit_callbacks(execute=True):
        response = post_task(client, world.secretary, case, F.publicise, {"start": "2026-06-15", "workdays": "5"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.publicity_end == D(2026, 6, 22)  # 6月19日 is 端午节: 15–18 and 22 are the five working days
    # 公示 is a node of the graph: a timer holds the case until the morning after its last working day, and
    # only then is there a 聘任 task; the appointment's gate still asks, as of the day it acts.
    assert not case.task_set.filter(flow_task=F.appoint).exists()
    assert fire_timers(D(2026, 6, 23)) == 1
    today.set(D(2026, 6, 22))
    too_early = post_task(client, world.secretary, case, F.appoint, {"document_number": "实小〔2026〕3号"})
    assert "届满" in too_early.content.decode()
    today.set(D(2026, 6, 23))
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            post_task(client, world.secretary, case, F.appoint, {"document_number": "实小〔2026〕3号"}).status_code
            == 302
        )
    tenure = Tenure.objects.get(person=world.alice, post=world.dean)
    assert tenure.start_date == D(2026, 6, 23) and tenure.probation_end == D(2027, 6, 22)
    assert post_task(client, world.secretary, case, F.file_report, {"summary": "聘任2人。"}).status_code == 302
    case.refresh_from_db()
    assert case.state == State.REPORTED

    # 9. the probation review opens on the probation's last day
    alice_reg.refresh_from_db()
    early = post_task(
        client,
        world.secretary,
        case,
        F.probation_review,
        {"registration": alice_reg.pk, "confirmed": "1", "reason": "胜任"},
    )
    assert "2027年06月22日届满" in early.content.decode()
    today.set(D(2027, 6, 22))
    post_task(
        client,
        world.secretary,
        case,
        F.probation_review,
        {"registration": alice_reg.pk, "confirmed": "1", "reason": "胜任岗位，考核合格。"},
    )
    post_task(
        client,
        world.secretary,
        case,
        F.probation_review,
        {"registration": carol_reg.pk, "confirmed": "0", "reason": "不胜任。"},
    )
    case.refresh_from_db()
    assert case.state == State.CONFIRMED and case.status == "DONE"
    assert Tenure.objects.get(person=world.alice, post=world.dean).end_date is None
    assert Tenure.objects.get(person=world.carol, post=world.moral).end_date == D(2027, 6, 22)
    kinds = set(DossierDocument.objects.filter(process_ref=f"competition:{case.pk}").values_list("kind", flat=True))
    assert kinds == {
        "competition_announcement",
        "competition_registrations",
        "competition_qualification",
        "competition_score_sheet",
        "competition_ranking",
        "vote_sheet",
        "public_notice",
        "appointment_notice",
    }
    docs = DossierDocument.objects.filter(process_ref=f"competition:{case.pk}")
    assert all(d.template_name == f"dossiers/{d.kind}.html" for d in docs)  # each kind prints with its own layout
    assert not DossierDocument.objects.filter(process_ref=f"competition:{case.pk}", status="failed").exists()
    votes = DossierDocument.objects.filter(process_ref=f"competition:{case.pk}", kind="vote_sheet")
    assert votes.count() == 3 and {d.template_name for d in votes} == {"dossiers/vote_sheet.html"}
    from dossiers.services import render_document

    for pending in DossierDocument.objects.filter(process_ref=f"competition:{case.pk}", status="pending"):
        render_document(pending.pk)  # steps posted outside the on-commit capture above
    assert set(
        DossierDocument.objects.filter(process_ref=f"competition:{case.pk}").values_list("status", flat=True)
    ) == {"rendered"}


@pytest.mark.parametrize("who", ["other_secretary", "alice_user"])
def test_other_schools_and_teachers_cannot_see_or_act_on_a_competition(client, world, who):
    client.force_login(world.secretary)
    client.post(F.plan.reverse("execute"), plan_form(world))
    case = Competition.objects.get()
    task = open_task(case, F.school_meeting_approval)
    client.force_login(getattr(world, who))
    url = F.school_meeting_approval.reverse("execute", args=[case.pk, task.pk])
    assert client.post(url, meeting_form(world, ["agree"] * 6)).status_code in (403, 404)
    case.refresh_from_db()
    assert case.state == State.DRAFT
    from workflows.competition.selectors import competitions_visible_to

    assert not competitions_visible_to(getattr(world, who)).exists()
    # the bureau does not see a draft, only filed plans
    assert not competitions_visible_to(world.officer).exists()


def test_viewflow_pages_are_scoped_to_the_school(client, world):
    client.force_login(world.secretary)
    plan_page = client.get(F.plan.reverse("execute")).content.decode()
    assert "教导处主任（职数1，现任：空缺）" in plan_page and "符合条件的后备干部" in plan_page
    client.post(F.plan.reverse("execute"), plan_form(world))
    case = Competition.objects.get()
    detail = F.instance.reverse("process_detail", args=[case.pk])
    assert client.get(detail).status_code == 200
    client.force_login(world.other_secretary)
    assert client.get(detail).status_code == 404
    listing = client.get(F.instance.reverse("process_list")).content.decode()
    assert "2026年中层干部竞聘上岗" not in listing
    client.force_login(world.officer)  # a draft is not filed yet: the bureau does not see it
    assert client.get(detail).status_code == 404
