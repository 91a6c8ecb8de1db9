"""The rules at each gate, through the services: window edges, withdrawal, the sitting, dual entry, the freeze."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from workflows.competition import services as s
from workflows.competition.flows import CompetitionFlow
from workflows.competition.models import Competition, Registration, RegStatus, ScoreSheet, State

from .conftest import CLOSES, OPENS, announced_case, plan_data

SHEET = ["18", "26", "18", "18", "9"]


def sitting(world) -> tuple[Competition, Registration, Registration]:
    case = announced_case(world)
    world.today.set(OPENS)
    alice = s.registration_submit(competition=case, acting_user=world.alice_user, person=world.alice, post=world.dean)
    bob = s.registration_submit(competition=case, acting_user=world.bob_user, person=world.bob, post=world.dean)
    world.today.set(CLOSES + dt.timedelta(days=1))
    s.registration_close(competition=case, acting_user=world.secretary)
    for reg in (alice, bob):
        s.qualification_decide(registration=reg, acting_user=world.secretary, accept=True)
    s.qualification_finish(competition=case, acting_user=world.secretary)
    s.judges_assign(competition=case, acting_user=world.secretary, post=world.dean, judges=world.judge_people)
    return case, alice, bob


def test_plan_headcount_is_checked(world):
    from tests.factories import TenureFactory

    TenureFactory(person=world.carol, post=world.dean, start_date=dt.date(2020, 9, 1))
    with pytest.raises(ValidationError) as exc:
        s.plan_save(
            competition=Competition(flow_class=CompetitionFlow),
            acting_user=world.secretary,
            organization=world.school,
            plan=plan_data(world),
        )
    assert exc.value.messages == [
        "教导处主任职数1名，现任1名，空缺0名，竞聘1名超出职数。如需在任人员一并参加竞聘，请选择“全员竞聘”。"
    ]


def test_a_circulated_signature_or_a_meeting_without_attendance_is_refused(world):
    case = s.plan_save(
        competition=Competition(flow_class=CompetitionFlow),
        acting_user=world.secretary,
        organization=world.school,
        plan=plan_data(world),
    )
    kwargs = dict(
        competition=case,
        acting_user=world.secretary,
        held_on=dt.date(2026, 5, 21),
        name="支委会",
        members=world.members,
        votes={m: "agree" for m in world.members},
    )
    with pytest.raises(ValidationError, match="传签"):
        s.plan_meeting_record(form="circulated", present=world.members, **kwargs)
    with pytest.raises(ValidationError, match="没有出席记录"):
        s.plan_meeting_record(form="meeting", present=[], **kwargs)
    with pytest.raises(ValidationError, match="应到7人，实到4人，不足5人"):
        s.plan_meeting_record(
            form="meeting", present=world.members[:4], **{**kwargs, "votes": {m: "agree" for m in world.members[:4]}}
        )
    case.refresh_from_db()
    assert case.state == State.DRAFT


def test_the_plan_cannot_change_after_approval_or_freeze(world):
    case = announced_case(world)
    assert case.plan_hash and case.frozen_plan["weights"]["speech"] == "50"
    with pytest.raises(ValidationError, match="已经定稿"):
        s.plan_save(
            competition=case,
            acting_user=world.secretary,
            organization=world.school,
            plan=plan_data(world, weights={"speech": "70", "evaluation": "20", "performance": "10"}),
        )
    with pytest.raises(ValidationError, match="已经定稿"):
        s.plan_freeze(competition=case)
    # an edit behind the services is detected by the hash
    Competition.objects.filter(pk=case.pk).update(frozen_plan={**case.frozen_plan, "trim_min_judges": 3})
    with pytest.raises(ValidationError, match="哈希不符"):
        s.verify_frozen(Competition.objects.get(pk=case.pk))


@pytest.mark.parametrize(
    "day, ok",
    [(OPENS - dt.timedelta(days=1), False), (OPENS, True), (CLOSES, True), (CLOSES + dt.timedelta(days=1), False)],
)
def test_registration_window_edges(world, day, ok):
    case = announced_case(world)
    world.today.set(day)
    if ok:
        reg = s.registration_submit(competition=case, acting_user=world.alice_user, person=world.alice, post=world.dean)
        assert reg.status == RegStatus.REGISTERED
    else:
        with pytest.raises(ValidationError) as exc:
            s.registration_submit(competition=case, acting_user=world.alice_user, person=world.alice, post=world.dean)
        assert exc.value.messages == [f"报名时间为2026年06月01日至2026年06月05日，今天（{day:%Y年%m月%d日}）不能报名。"]


def test_registration_refusals_name_every_reason(world):
    case = announced_case(world)
    world.today.set(OPENS)
    with pytest.raises(ValidationError) as exc:
        s.registration_submit(competition=case, acting_user=world.dave_user, person=world.dave, post=world.dean)
    assert exc.value.messages == ["不符合报名条件：专业技术职务须为一级教师及以上，现为二级教师"]
    with pytest.raises(ValidationError, match="只能本人报名"):
        s.registration_submit(competition=case, acting_user=world.bob_user, person=world.alice, post=world.dean)
    with pytest.raises(ValidationError, match="只有本校教职工可以报名"):
        s.registration_submit(competition=case, acting_user=world.outsider_user, person=world.outsider, post=world.dean)


def test_withdrawal_until_the_deadline_and_re_registration(world):
    case = announced_case(world)
    world.today.set(CLOSES)
    reg = s.registration_submit(competition=case, acting_user=world.alice_user, person=world.alice, post=world.dean)
    s.registration_withdraw(registration=reg, acting_user=world.alice_user)
    reg.refresh_from_db()
    assert reg.status == RegStatus.WITHDRAWN
    reg = s.registration_submit(competition=case, acting_user=world.alice_user, person=world.alice, post=world.dean)
    world.today.set(CLOSES + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="报名已于2026年06月05日截止，不能撤回"):
        s.registration_withdraw(registration=reg, acting_user=world.alice_user)


def test_qualification_rechecks_eligibility_and_refusal_needs_a_reason(world):
    from cadres.models import AnnualAppraisal

    case = announced_case(world)
    world.today.set(OPENS)
    reg = s.registration_submit(competition=case, acting_user=world.alice_user, person=world.alice, post=world.dean)
    world.today.set(CLOSES + dt.timedelta(days=1))
    s.registration_close(competition=case, acting_user=world.secretary)
    AnnualAppraisal.objects.filter(person=world.alice, year=2025).update(grade="basic")
    with pytest.raises(ValidationError, match="2025年度考核为合格及以上，现为基本合格"):
        s.qualification_decide(registration=reg, acting_user=world.secretary, accept=True)
    with pytest.raises(ValidationError, match="须写明理由"):
        s.qualification_decide(registration=reg, acting_user=world.secretary, accept=False)
    s.qualification_decide(registration=reg, acting_user=world.secretary, accept=False, reason="2025年度考核基本合格")
    s.qualification_finish(competition=case, acting_user=world.secretary)
    flags = {f["post"]: f for f in s.quota_flags(case)}
    assert flags["教导处主任"]["short"] and flags["教导处主任"]["qualified"] == 0


def test_judges_score_only_inside_the_sitting_and_never_for_kin(world):
    case, alice, bob = sitting(world)
    judge1, kin_judge = world.judges[0], world.judges[5]
    with pytest.raises(ValidationError, match="评分尚未开始"):
        s.sheet_submit(registration=bob, acting_user=judge1, scores=SHEET)
    assignment = case.judges.get(judge=kin_judge)
    assert assignment.recused and "与王晓燕有亲属关系" in assignment.recusal_reason
    s.sitting_open(competition=case, acting_user=world.secretary)
    with pytest.raises(ValidationError, match="须回避"):
        s.sheet_submit(registration=alice, acting_user=kin_judge, scores=SHEET)
    with pytest.raises(ValidationError, match="不是该岗位的评委"):
        s.sheet_submit(registration=alice, acting_user=world.secretary, scores=SHEET)
    sheet = s.sheet_submit(registration=alice, acting_user=judge1, scores=SHEET)
    assert str(sheet.total) == "89.00"
    with pytest.raises(ValidationError, match="已提交并锁定"):
        s.sheet_submit(registration=alice, acting_user=judge1, scores=["20", "30", "20", "20", "10"])
    with pytest.raises(ValidationError, match="得分应在0至30之间"):
        s.sheet_submit(registration=bob, acting_user=judge1, scores=["18", "31", "18", "18", "9"])
    Competition.objects.filter(pk=case.pk).update(state=State.SCORED)
    with pytest.raises(ValidationError, match="已经结束"):
        s.sheet_submit(registration=bob, acting_user=world.judges[1], scores=SHEET)


def test_dual_entry_must_match_and_needs_two_officers(world):
    from cadres.roles import Role
    from tests.factories import UserFactory

    case, alice, _bob = sitting(world)
    s.sitting_open(competition=case, acting_user=world.secretary)
    clerk = UserFactory(username="clerk", roles=[Role.SCHOOL_SECRETARY], organization=world.school)
    judge = world.judges[1]
    assert s.paper_entry(registration=alice, acting_user=world.secretary, judge=judge, scores=SHEET) is None
    with pytest.raises(ValidationError, match="须由另一名工作人员核录"):
        s.paper_entry(registration=alice, acting_user=world.secretary, judge=judge, scores=SHEET)
    with pytest.raises(ValidationError, match="两次录入不一致"):
        s.paper_entry(registration=alice, acting_user=clerk, judge=judge, scores=["18", "26", "18", "18", "8"])
    assert not ScoreSheet.objects.exists()
    sheet = s.paper_entry(registration=alice, acting_user=clerk, judge=judge, scores=SHEET)
    assert sheet.paper and str(sheet.total) == "89.00"


def test_the_sitting_cannot_close_while_sheets_are_missing(world):
    case, alice, _bob = sitting(world)
    s.sitting_open(competition=case, acting_user=world.secretary)
    for judge in world.judges[:5]:
        s.sheet_submit(registration=alice, acting_user=judge, scores=SHEET)
    with pytest.raises(ValidationError) as exc:
        s.sitting_close(competition=case, acting_user=world.secretary)
    assert "教导处主任：评委1尚未提交赵立新的评分表" in exc.value.messages


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_of_the_same_sheet_one_wins(world):
    case, alice, _bob = sitting(world)
    s.sitting_open(competition=case, acting_user=world.secretary)
    judge = world.judges[0]
    barrier = threading.Barrier(2)
    outcomes = []

    def submit(scores):
        try:
            barrier.wait()
            s.sheet_submit(registration=alice, acting_user=judge, scores=scores)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(x,)) for x in (SHEET, ["20", "30", "20", "20", "10"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "该评分表已提交并锁定，不得更改。"]
    sheets = ScoreSheet.objects.filter(registration=alice, judge=judge)
    assert sheets.count() == 1 and str(sheets.get().total) in ("89.00", "100.00")


def publicised(world):
    case, alice, bob = sitting(world)
    s.sitting_open(competition=case, acting_user=world.secretary)
    for judge in world.judges[:5]:
        s.sheet_submit(registration=alice, acting_user=judge, scores=SHEET)
        s.sheet_submit(registration=bob, acting_user=judge, scores=["15", "22", "15", "15", "8"])
    for reg in (alice, bob):
        s.other_scores_enter(registration=reg, acting_user=world.secretary, evaluation="85", performance="85")
    s.sitting_close(competition=case, acting_user=world.secretary)
    s.ranking_compute(competition=case, acting_user=world.secretary)
    alice.refresh_from_db()
    assert alice.status == RegStatus.SHORTLISTED and alice.rank == 1
    s.inspection_record(registration=alice, acting_user=world.secretary, opinion="德才表现良好。")
    s.inspection_finish(competition=case, acting_user=world.secretary)
    world.today.set(dt.date(2026, 6, 10))  # the decision is recorded on the day of its meeting, not before
    s.decision_meeting_record(
        competition=case,
        acting_user=world.secretary,
        held_on=dt.date(2026, 6, 10),
        name="支委会",
        form="meeting",
        members=world.members,
        present=world.members[:5],
        votes={m: {str(alice.pk): "agree"} for m in world.members[:4]}
        | {world.members[4]: {str(alice.pk): "disagree"}},
    )
    world.today.set(dt.date(2026, 6, 15))
    case = s.publicity_open(competition=case, acting_user=world.secretary, start=dt.date(2026, 6, 15), workdays=5)
    return case, alice


def test_decision_needs_a_majority_of_members_due_not_of_those_present(world):
    case, alice, bob = sitting(world)
    s.sitting_open(competition=case, acting_user=world.secretary)
    for judge in world.judges[:5]:
        s.sheet_submit(registration=alice, acting_user=judge, scores=SHEET)
        s.sheet_submit(registration=bob, acting_user=judge, scores=SHEET)
    for reg in (alice, bob):
        s.other_scores_enter(registration=reg, acting_user=world.secretary, evaluation="85", performance="85")
    s.sitting_close(competition=case, acting_user=world.secretary)
    s.ranking_compute(competition=case, acting_user=world.secretary)
    alice.refresh_from_db()
    bob.refresh_from_db()
    # equal composites: speech equal, evaluation equal, then years of teaching (bob started in 2004) decides
    assert (bob.rank, alice.rank) == (1, 2) and bob.composite == alice.composite
    s.inspection_record(registration=bob, acting_user=world.secretary, opinion="良好")
    s.inspection_finish(competition=case, acting_user=world.secretary)
    world.today.set(dt.date(2026, 6, 10))  # the decision is recorded on the day of its meeting, not before
    s.decision_meeting_record(
        competition=case,
        acting_user=world.secretary,
        held_on=dt.date(2026, 6, 10),
        name="支委会",
        form="meeting",
        members=world.members,
        present=world.members[:5],
        votes={m: {str(bob.pk): "agree"} for m in world.members[:3]}
        | {m: {str(bob.pk): "disagree"} for m in world.members[3:5]},
    )
    bob.refresh_from_db()
    case.refresh_from_db()
    assert bob.status == RegStatus.NOT_PASSED and case.state == State.NOT_DECIDED  # 3 of 7 due is not > 3.5


def test_a_pending_objection_blocks_the_appointment_and_an_upheld_one_ends_it(world):
    case, alice = publicised(world)
    assert case.publicity_end == dt.date(2026, 6, 22)
    objection = s.objection_record(
        competition=case,
        acting_user=world.secretary,
        registration=alice,
        received_on=dt.date(2026, 6, 16),
        summary="反映其考核材料不实",
    )
    world.today.set(dt.date(2026, 6, 23))
    with pytest.raises(ValidationError, match="尚未核查完毕"):
        s.appointment_make(competition=case, acting_user=world.secretary, document_number="实小〔2026〕3号")
    s.objection_resolve(objection=objection, acting_user=world.secretary, upheld=True, finding="经核查属实")
    assert s.appointment_make(competition=case, acting_user=world.secretary, document_number="实小〔2026〕3号") == []
    alice.refresh_from_db()
    assert alice.status == RegStatus.ENDED


def test_the_objection_page_is_the_schools_own(client, world):
    case, alice = publicised(world)
    url = CompetitionFlow.instance.reverse("objections", args=[case.pk])
    client.force_login(world.other_secretary)
    assert client.get(url).status_code == 404
    client.force_login(world.secretary)
    response = client.post(url, {"registration": alice.pk, "received_on": "2026-06-16", "summary": "来信反映"})
    assert response.status_code == 302
    objection = case.objections.get()
    client.post(url, {"action": "resolve", "objection": objection.pk, "upheld": "0", "finding": "不影响聘任"})
    objection.refresh_from_db()
    assert objection.status == "cleared"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_officers_keying_the_same_paper_sheet_at_once_make_exactly_one_sheet(world):
    from cadres.roles import Role
    from tests.factories import UserFactory

    case, alice, _bob = sitting(world)
    s.sitting_open(competition=case, acting_user=world.secretary)
    clerk = UserFactory(username="clerk", roles=[Role.SCHOOL_SECRETARY], organization=world.school)
    judge = world.judges[2]
    barrier = threading.Barrier(2)
    outcomes = []

    def key(officer):
        try:
            barrier.wait()
            sheet = s.paper_entry(registration=alice, acting_user=officer, judge=judge, scores=SHEET)
            outcomes.append("sheet" if sheet else "first")
        finally:
            connection.close()

    threads = [threading.Thread(target=key, args=(u,)) for u in (world.secretary, clerk)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["first", "sheet"]
    assert ScoreSheet.objects.filter(registration=alice, judge=judge, paper=True).count() == 1
