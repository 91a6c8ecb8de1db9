"""Every gate of the procedure refuses with its rule and reason; nothing is written when it does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from cadres import choices as c
from cadres.ethics.models import EthicsAssessment, EthicsGrade
from cadres.models import RegistryCorrection
from tests.factories import AppraisalFactory, TitleFactory
from workflows.meetings.models import MeetingVote, Objection, Vote
from workflows.principal_selection import services as s
from workflows.principal_selection.models import CandidateStatus, CaseState

from . import journey as j
from . import stages
from .conftest import FLOW, make_kin, open_task, post_task, recommend_data

D = dt.date


def refused(code, fn, *args, **kwargs):
    with pytest.raises(ValidationError) as exc:
        fn(*args, **kwargs)
    assert exc.value.code == code, exc.value.messages
    return exc.value.messages


@pytest.mark.django_db
def test_a_recommendation_older_than_a_year_cannot_be_used(world):
    case = stages.proposed(world)
    case.started_on = D(2025, 3, 3)  # a case opened a year before (a round may not predate its 动议)
    case.save(update_fields=["started_on"])
    for form in ("talk", "meeting"):
        s.recommendation_record(
            case=case,
            acting_user=world.officer,
            form=form,
            held_on=D(2025, 3, 10),
            voters=stages.VOTERS,
            votes={world.alice.pk: 20, world.bob.pk: 5},
        )
    messages = refused(
        "stale_recommendation",
        s.candidates_shortlist,
        case=case,
        acting_user=world.officer,
        people=[world.alice, world.bob],
        team=world.inspectors,
        on=D(2026, 3, 10),
    )
    assert "2026年3月9日" in messages[0]
    assert case.candidates.filter(status=CandidateStatus.SHORTLISTED).count() == 0


@pytest.mark.django_db
def test_a_recommendation_meeting_below_two_thirds_is_invalid(world):
    case = stages.proposed(world)
    refused(
        "no_quorum",
        s.recommendation_record,
        case=case,
        acting_user=world.officer,
        form="meeting",
        held_on=D(2026, 3, 10),
        voters=[{"category": "教师", "due": 30, "attended": 19}],
        votes={world.alice.pk: 10},
    )
    assert not case.rounds.exists()


@pytest.mark.django_db
def test_an_ineligible_candidate_is_refused_with_every_failed_rule(world):
    case = stages.recommended(world)
    carol = world.carol
    carol.birth_date = D(1975, 1, 1)
    carol.save()
    TitleFactory(person=carol, title=c.TeacherTitle.SECOND, obtained_on=D(2008, 1, 1))
    carol.titles.filter(title=c.TeacherTitle.SENIOR).delete()
    carol.appraisals.filter(year=2025).update(grade=c.AppraisalGrade.BASIC)
    messages = refused(
        "ineligible",
        s.candidates_shortlist,
        case=case,
        acting_user=world.officer,
        people=[world.alice, carol],
        team=world.inspectors,
        on=D(2026, 3, 20),
    )
    text = "\n".join(messages)
    assert "孙海涛：年龄须不超过45周岁" in text
    assert "专业技术职务须为一级教师及以上，现为二级教师" in text
    assert len([m for m in messages if m.startswith("孙海涛")]) == 3
    assert not any(m.startswith("王晓燕") for m in messages)


@pytest.mark.django_db
def test_a_vetoed_candidate_cannot_be_shortlisted(world):
    case = stages.recommended(world)
    EthicsAssessment.objects.create(person=world.bob, year=2025, grade=EthicsGrade.FAILED, decided_on=D(2026, 1, 15))
    messages = refused(
        "ineligible",
        s.candidates_shortlist,
        case=case,
        acting_user=world.officer,
        people=[world.alice, world.bob],
        team=world.inspectors,
        on=D(2026, 3, 20),
    )
    assert any(m.startswith("赵立新：师德一票否决") for m in messages)


@pytest.mark.django_db
def test_the_shortlist_needs_more_candidates_than_posts(world):
    case = stages.recommended(world)
    refused(
        "too_few",
        s.candidates_shortlist,
        case=case,
        acting_user=world.officer,
        people=[world.alice],
        team=world.inspectors,
        on=D(2026, 3, 20),
    )


@pytest.mark.django_db
def test_the_inspection_team_needs_two_members_none_of_them_kin(world):
    case = stages.recommended(world)
    refused(
        "team_size",
        s.candidates_shortlist,
        case=case,
        acting_user=world.officer,
        people=[world.alice, world.bob],
        team=world.inspectors[:1],
        on=D(2026, 3, 20),
    )
    kin = world.members[3]
    make_kin(kin, world.bob)
    messages = refused(
        "team_recusal",
        s.candidates_shortlist,
        case=case,
        acting_user=world.officer,
        people=[world.alice, world.bob],
        team=[world.inspectors[0], kin],
        on=D(2026, 3, 20),
    )
    assert messages[0] == "考察组成员须回避：" and "亲属关系" in messages[1]


@pytest.mark.django_db
def test_an_exceptional_promotion_is_not_inspected_before_approval(world, client):
    case = stages.shortlisted(world, exceptional=True, exceptional_reason="特别优秀，破格提拔")
    cand = case.active_candidates.first()
    refused(
        "exception_not_approved",
        s.inspection_record,
        case=case,
        acting_user=world.inspectors[0],
        candidate=cand,
        talks=10,
        evaluation=stages.EVALUATION,
        report=stages.REPORT,
    )
    s.exception_decide(
        case=case, acting_user=world.officer, approved=True, approved_on=D(2026, 3, 22), approver="区委组织部"
    )
    s.inspection_record(
        case=case,
        acting_user=world.inspectors[0],
        candidate=cand,
        talks=10,
        evaluation=stages.EVALUATION,
        report=stages.REPORT,
    )


@pytest.mark.django_db(transaction=True)
def test_the_graph_asks_the_superior_before_opening_inspection(world, client):
    case = j.propose(client, world, exceptional="on", exceptional_reason="越级提拔")
    j.recommend(client, world, case)
    j.ok(j.shortlist(client, world, case))
    assert not case.task_set.filter(flow_task=FLOW.inspect).exists()
    j.ok(
        post_task(
            client,
            world.officer,
            case,
            FLOW.approve_exception,
            {"approved": "0", "approved_on": "2026-03-22", "approver": "区委组织部", "reason": "不符合破格条件"},
        )
    )
    case.refresh_from_db()
    assert case.state == CaseState.REJECTED and case.status == "DONE"
    assert not case.task_set.filter(flow_task=FLOW.inspect).exists()


@pytest.mark.django_db
def test_no_decision_before_the_four_checks(world):
    case = stages.shortlisted(world)
    messages = refused(
        "checks_missing",
        s.meeting_record,
        case=case,
        acting_user=world.secretary,
        held_on=D(2026, 4, 10),
        name="会",
        members=world.members,
        present=world.members,
        votes={},
    )
    assert any("档案必审" in m for m in messages)
    assert not case.meetings.exists()


@pytest.mark.django_db
def test_signoff_waits_for_every_must(world):
    case = stages.shortlisted(world)
    refused(
        "checks_missing",
        s.integrity_sign,
        case=case,
        acting_user=world.members[0],
        capacity="party_secretary",
        conclusion="无问题",
    )


@pytest.mark.django_db
def test_a_large_personal_matters_mismatch_suspends_the_case(world):
    case = stages.checked(world, mismatch="major")
    case.refresh_from_db()
    assert case.state == CaseState.SUSPENDED
    refused(
        "suspended",
        s.meeting_record,
        case=case,
        acting_user=world.secretary,
        held_on=D(2026, 4, 10),
        name="会",
        members=world.members,
        present=world.members,
        votes={},
    )


@pytest.mark.django_db
def test_no_quorum_no_decision(world):
    case = stages.signed(world)
    present = world.members[:5]
    refused(
        "no_quorum",
        s.meeting_record,
        case=case,
        acting_user=world.secretary,
        held_on=D(2026, 4, 10),
        name="会",
        members=world.members,
        present=present,
        votes=stages.votes_for(case, world, present, {world.alice: "agree", world.bob: "agree"}),
    )
    assert not case.meetings.exists()


@pytest.mark.django_db
def test_five_of_nine_passes_four_of_nine_fails_even_with_four_of_six_present(world):
    case = stages.signed(world)
    present = world.members[:6]
    votes = stages.votes_for(case, world, present[:4], {world.alice: "agree", world.bob: "agree"})
    votes.update(stages.votes_for(case, world, present[4:], {world.alice: "disagree", world.bob: "disagree"}))
    votes[present[4].pk][case.candidates.get(person=world.alice).pk] = "agree"  # alice: 5 of 9
    s.meeting_record(
        case=case,
        acting_user=world.secretary,
        held_on=D(2026, 4, 10),
        name="会",
        members=world.members,
        present=present,
        votes=votes,
    )
    assert case.candidates.get(person=world.alice).status == CandidateStatus.DECIDED
    assert case.candidates.get(person=world.bob).status == CandidateStatus.NOT_PASSED  # 4 of 6 present, 4 of 9 due
    meeting = case.meetings.get()
    assert (meeting.due, meeting.present, meeting.tally["quorum"]) == (9, 6, 6)


@pytest.mark.django_db
def test_kin_on_the_committee_is_recused_automatically(world):
    case = stages.signed(world)
    kin = world.members[1]
    make_kin(kin, world.alice)
    present = world.members[:7]
    s.meeting_record(
        case=case,
        acting_user=world.secretary,
        held_on=D(2026, 4, 10),
        name="会",
        members=world.members,
        present=present,
        votes=stages.votes_for(case, world, present, {world.alice: "agree", world.bob: "agree"}),
    )
    alice = case.candidates.get(person=world.alice)
    recused = MeetingVote.objects.get(meeting__process=case, member_user=kin, item=str(alice.pk))
    assert recused.vote == Vote.RECUSED and "亲属关系" in recused.reason
    assert (recused.member_label, recused.member_person, recused.subject) == ("委员2", kin.profile.person, world.alice)
    assert case.meetings.get().result_of(alice.pk).agree == 6
    assert MeetingVote.objects.get(meeting__process=case, member_user=kin, subject=world.bob).vote == "agree"
    assert AuditEvent.objects.filter(action="recused", object_id=str(case.pk), reason__contains="亲属关系").exists()


@pytest.mark.django_db
def test_a_deferred_candidate_is_voted_at_a_later_meeting(world):
    case = stages.signed(world)
    present = world.members[:7]
    s.meeting_record(
        case=case,
        acting_user=world.secretary,
        held_on=D(2026, 4, 10),
        name="会",
        members=world.members,
        present=present,
        votes=stages.votes_for(case, world, present, {world.alice: "defer", world.bob: "disagree"}),
    )
    assert case.candidates.get(person=world.alice).status == CandidateStatus.DEFERRED
    assert not s.decision_settled(case)
    s.meeting_record(
        case=case,
        acting_user=world.secretary,
        held_on=D(2026, 4, 20),
        name="第4次会议",
        members=world.members,
        present=present,
        votes=stages.votes_for(case, world, present, {world.alice: "agree"}),
    )
    assert case.candidates.get(person=world.alice).status == CandidateStatus.DECIDED
    assert s.decision_settled(case)


@pytest.mark.django_db
def test_no_appointment_before_publicity_ends(world):
    case = stages.decided(world)
    s.publicity_open(case=case, acting_user=world.officer, start=D(2026, 4, 13))
    refused(
        "not_ended",
        s.appointment_make,
        case=case,
        acting_user=world.officer,
        document_number="文1",
        notice_date=D(2026, 4, 17),
        talk_on=D(2026, 4, 17),
        talk_by="书记",
    )
    assert not world.post.tenures.filter(person=world.alice).exists()


@pytest.mark.django_db
def test_publicity_across_national_day_ends_on_the_swapped_saturday(world):
    case = stages.decided(world)
    span = s.publicity_open(case=case, acting_user=world.officer, start=D(2026, 9, 29))
    assert span.end == D(2026, 10, 10)
    refused(
        "not_ended",
        s.appointment_make,
        case=case,
        acting_user=world.officer,
        document_number="文1",
        notice_date=D(2026, 10, 10),
        talk_on=D(2026, 10, 10),
        talk_by="书记",
    )
    s.appointment_make(
        case=case,
        acting_user=world.officer,
        document_number="文1",
        notice_date=D(2026, 10, 12),
        talk_on=D(2026, 10, 12),
        talk_by="书记",
    )
    assert world.post.tenures.get(person=world.alice).probation_end == D(2027, 10, 12)


@pytest.mark.django_db
def test_publicity_shorter_than_the_rule_set_is_refused(world):
    case = stages.decided(world)
    refused("too_short", s.publicity_open, case=case, acting_user=world.officer, start=D(2026, 4, 13), workdays=3)


@pytest.mark.django_db
def test_an_upheld_objection_ends_the_case_for_that_candidate(world):
    case = stages.decided(world)
    s.publicity_open(case=case, acting_user=world.officer, start=D(2026, 4, 13))
    alice = case.candidates.get(person=world.alice)
    objection = s.objection_record(
        case=case, acting_user=world.officer, candidate=alice, received_on=D(2026, 4, 14), content="反映其违规补课"
    )
    refused(
        "objection_pending",
        s.appointment_make,
        case=case,
        acting_user=world.officer,
        document_number="文1",
        notice_date=D(2026, 4, 20),
        talk_on=D(2026, 4, 20),
        talk_by="书记",
    )
    s.objection_resolve(objection=objection, acting_user=world.officer, upheld=True, finding="经核查属实")
    alice.refresh_from_db()
    assert alice.status == CandidateStatus.ENDED and alice.end_reason == "经核查属实"
    assert Objection.objects.get().status == Objection.Status.UPHELD
    refused(
        "no_appointee",
        s.appointment_make,
        case=case,
        acting_user=world.officer,
        document_number="文1",
        notice_date=D(2026, 4, 20),
        talk_on=D(2026, 4, 20),
        talk_by="书记",
    )


@pytest.mark.django_db
def test_dossier_review_takes_the_earliest_self_filled_birth_date(world):
    assert s.earliest_birth_date(
        [
            {"date": D(1984, 5, 1), "material_date": D(2010, 1, 1), "self_filled": True},
            {"date": D(1984, 3, 9), "material_date": D(2006, 7, 1), "self_filled": True},
            {"date": D(1983, 1, 1), "material_date": D(2001, 1, 1), "self_filled": False},
        ]
    ) == D(1984, 3, 9)


@pytest.mark.django_db(transaction=True)
def test_a_failing_step_writes_nothing_and_keeps_the_task_open(client, world):
    AppraisalFactory  # noqa: B018  (factories imported for the set-up helpers)
    case = j.propose(client, world)
    response = post_task(
        client,
        world.officer,
        case,
        FLOW.recommend,
        {
            **recommend_data("meeting", "2026-03-10", [("教师", 30, 19)], [(world.alice, 10)]),
            "confirm": "1",
            "fingerprint": "0",
        },
    )
    assert response.status_code == 200 and "推荐无效" in response.content.decode()
    assert not case.rounds.exists()
    assert open_task(case, FLOW.recommend).owner is None


@pytest.mark.django_db
def test_a_reconsideration_needs_more_than_half_of_the_members(world):
    case = stages.decided(world)  # alice decided, bob not passed
    present = world.members[:7]
    votes = stages.votes_for(case, world, present, {world.alice: "agree", world.bob: "agree"})
    kwargs = dict(
        case=case,
        acting_user=world.secretary,
        held_on=D(2026, 4, 20),
        name="复议",
        members=world.members,
        present=present,
        votes=votes,
    )
    refused("nothing_to_vote", s.meeting_record, **kwargs)
    refused("reconsideration", s.meeting_record, reconsideration_in_favour=4, **kwargs)
    meeting = s.meeting_record(reconsideration_in_favour=5, **kwargs)
    assert meeting.reconsideration
    assert case.candidates.get(person=world.bob).status == CandidateStatus.DECIDED


@pytest.mark.django_db
def test_every_present_member_states_a_view(world):
    case = stages.signed(world)
    present = world.members[:7]
    votes = stages.votes_for(case, world, present[:6], {world.alice: "agree", world.bob: "agree"})
    messages = refused(
        "vote_missing",
        s.meeting_record,
        case=case,
        acting_user=world.secretary,
        held_on=D(2026, 4, 10),
        name="会",
        members=world.members,
        present=present,
        votes=votes,
    )
    assert "委员7未对王晓燕表态" in messages


@pytest.mark.django_db
def test_dossier_review_proposes_corrections_and_never_writes_the_record(world):
    case = stages.shortlisted(world)
    alice = case.candidates.get(person=world.alice)
    figures = {
        "birth_entries": [
            {"date": D(1984, 3, 9), "material_date": D(2002, 7, 1), "self_filled": True},
            {"date": D(1984, 5, 1), "material_date": D(2006, 7, 1), "self_filled": True},
        ],
        "work_start": D(2006, 8, 1),
        "party_join": D(2004, 5, 1),
    }
    s.check_record(case=case, acting_user=world.officer, candidate=alice, kind="dossier_review", figures=figures)
    world.alice.refresh_from_db()
    assert world.alice.party_join_date == D(2003, 6, 1)  # unchanged until an officer confirms
    (proposal,) = RegistryCorrection.objects.filter(person=world.alice, status="pending")
    assert (proposal.field, proposal.old_value, proposal.new_value) == ("party_join_date", D(2003, 6, 1), D(2004, 5, 1))
    assert "档案必审" in proposal.source
    record = alice.checks.get(kind="dossier_review")
    assert record.figures["corrections"] == ["入党时间：2003.06.01 → 2004.05.01（待确认）"]


@pytest.mark.django_db
def test_dossier_review_refuses_a_birth_month_against_the_id_card(world):
    case = stages.shortlisted(world)
    alice = case.candidates.get(person=world.alice)
    figures = {
        "birth_entries": [
            {"date": D(1983, 11, 2), "material_date": D(2002, 7, 1), "self_filled": True},
            {"date": D(1984, 3, 9), "material_date": D(2006, 7, 1), "self_filled": True},
        ],
        "work_start": D(2006, 9, 1),
    }
    messages = refused(
        "contradicts_id_card",
        s.check_record,
        case=case,
        acting_user=world.officer,
        candidate=alice,
        kind="dossier_review",
        figures=figures,
    )
    assert messages == [
        "王晓燕的出生年月拟更正为1983.11，与身份证号记载的出生日期（1984年03月09日）不一致，不能更正；请先核实身份证信息。"
    ]
    assert not RegistryCorrection.objects.exists() and not alice.checks.exists()


@pytest.mark.django_db
def test_the_dossier_review_page_previews_before_it_records(client, world):
    case = j.propose(client, world)
    j.recommend(client, world, case)
    j.shortlist(client, world, case)
    cand = case.candidates.get(person=world.alice)
    data = {**j.CHECK_DATA["dossier_review"](cand), "party_join": "2004-05-01"}
    preview = post_task(client, world.officer, case, FLOW.dossier_review, data)
    html = preview.content.decode()
    assert preview.status_code == 200 and 'id="dossier-preview"' in html
    assert "入党时间" in html and "2003.06.01" in html and "2004.05.01" in html
    assert not RegistryCorrection.objects.exists() and not cand.checks.exists()
    changed = post_task(
        client,
        world.officer,
        case,
        FLOW.dossier_review,
        {**data, "party_join": "2004-06-01", "previewed": preview.context["form"]["previewed"].value()},
    )
    assert changed.status_code == 200 and "2004.06.01" in changed.content.decode()  # changed data: previewed again
    assert not cand.checks.exists()
    j.ok(
        post_task(
            client,
            world.officer,
            case,
            FLOW.dossier_review,
            {**data, "party_join": "2004-06-01", "previewed": changed.context["form"]["previewed"].value()},
        )
    )
    assert cand.checks.filter(kind="dossier_review").exists()
    assert RegistryCorrection.objects.get().new_value == D(2004, 6, 1)
    world.alice.refresh_from_db()
    assert world.alice.party_join_date == D(2003, 6, 1)


@pytest.mark.django_db
def test_a_case_may_tighten_the_qualifications_but_not_loosen_them(world):
    messages = refused(
        "qualification_looser",
        stages.proposed,
        world,
        qualification_overrides={"max_age": {"max_age": 50}, "min_title": {"title": "second"}},
    )
    assert messages[0] == "本案资格条件只能从严，不能放宽：" and len(messages) == 3
    case = stages.recommended(world, qualification_overrides={"min_title": {"title": "professor"}})
    messages = refused(
        "ineligible",
        s.candidates_shortlist,
        case=case,
        acting_user=world.officer,
        people=[world.alice, world.bob],
        team=world.inspectors,
        on=D(2026, 3, 20),
    )
    assert any("正高级教师" in m for m in messages)
