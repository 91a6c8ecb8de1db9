"""The one meeting service: quorum, automatic recusal, every view stated, a meeting not a circulated
signature, the stored tally and rows read back; objections that need a finding and stop an appointment."""

import datetime as dt

import pytest

from audit.models import AuditEvent
from cadres import choices as c
from tests.factories import FamilyMemberFactory, PersonFactory, UserFactory
from workflows.common import publicity
from workflows.competition.flows import AdjustmentFlow
from workflows.competition.models import Adjustment
from workflows.meetings import services as meetings
from workflows.meetings.models import ItemResult, Meeting, MeetingVote, Objection, ObjectionStatus, Vote

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return Adjustment.objects.create(flow_class=AdjustmentFlow)


@pytest.fixture
def people():
    return [PersonFactory(name=f"委员{i}") for i in range(1, 10)]


def members_of(people):
    return [meetings.Member(p.pk, p.name, p) for p in people]


def record(case, people, *, present=6, votes=None, items=None, **kwargs):
    members = members_of(people)
    subject = kwargs.pop("subject", None) or PersonFactory(name="王晓燕")
    items = items or [meetings.Item("x", subject.name, subject)]
    if votes is None:
        votes = {m.key: {i.key: "agree" for i in items} for m in members[:present]}
    return meetings.meeting_record(
        process=case,
        purpose=meetings.Purpose.DECISION,
        held_on=D(2026, 4, 10),
        name="党委会",
        members=members,
        present=members[:present],
        items=items,
        votes=votes,
        recorded_by=kwargs.pop("recorded_by", None) or UserFactory(),
        **kwargs,
    )


def test_quorum_is_two_thirds_of_those_due_and_a_majority_is_of_those_due(case, people):
    subject = PersonFactory(name="王晓燕")
    item = meetings.Item("x", "王晓燕", subject)
    members = members_of(people)
    five_of_six = {m.key: {"x": "agree" if i < 5 else "disagree"} for i, m in enumerate(members[:6])}
    meeting = record(case, people, present=6, votes=five_of_six, items=[item])
    assert (meeting.due, meeting.present, meeting.quorum, meeting.quorum_ratio) == (9, 6, 6, "2/3")
    assert meeting.result_of("x") == ItemResult("x", "王晓燕", 5, 1, 0, "passed")
    four = {m.key: {"x": "agree" if i < 4 else "disagree"} for i, m in enumerate(members[:6])}
    assert record(case, people, present=6, votes=four, items=[item]).result_of("x").outcome == "failed"
    with pytest.raises(meetings.MeetingRefused) as refused:
        record(case, people, present=5)
    assert refused.value.code == "no_quorum" and "不足6人" in str(refused.value)
    assert Meeting.objects.filter(process=case).count() == 2


def test_a_member_who_is_the_subjects_kin_is_recused_and_need_not_vote(case, people):
    subject = PersonFactory(name="王晓燕")
    FamilyMemberFactory(person=subject, relation=c.Relation.SPOUSE, relative=people[1])
    members = members_of(people)
    votes = {m.key: {"x": "agree"} for m in members[:7]}  # the kin's 同意 is not counted
    meeting = record(
        case, people, present=7, votes=votes, items=[meetings.Item("x", "王晓燕", subject)], audit_context="decide"
    )
    row = meeting.votes.get(member_person=people[1])
    assert row.vote == Vote.RECUSED and row.reason == "与王晓燕有亲属关系，须回避。"
    assert meeting.result_of("x").agree == 6 and meeting.tally["recused"] == {"x": ["委员2"]}
    assert [v.member_label for v in meetings.recusals(meeting)] == ["委员2"]
    assert AuditEvent.objects.filter(action="recused", object_id=str(case.pk), reason__contains="亲属关系").exists()
    sheet = {m["name"]: m for m in meetings.sheet_members(meeting)}
    assert sheet["委员2"]["recused_for"] == ["王晓燕"] and sheet["委员2"]["votes"] == {}
    assert sheet["委员9"] == {"name": "委员9", "present": False, "absence_reason": "缺席"}
    assert meeting.present_labels == [f"委员{i}" for i in range(1, 8)]
    silent = {m.key: {"x": "agree"} for m in members[:7] if m.key != people[1].pk}
    assert record(case, people, present=7, votes=silent, items=[meetings.Item("x", "王晓燕", subject)]).pk


def test_a_present_member_who_states_no_view_is_refused_and_nothing_is_stored(case, people):
    members = members_of(people)
    votes = {m.key: {"x": "agree"} for m in members[:5]}
    with pytest.raises(meetings.MeetingRefused) as refused:
        record(case, people, present=6, votes=votes)
    assert refused.value.code == "vote_missing"
    assert refused.value.messages == ["到会成员须逐一表态（同意、不同意或缓议）：", "委员6未对王晓燕表态"]
    assert not Meeting.objects.exists() and not MeetingVote.objects.exists()


def test_a_circulated_signature_or_a_record_without_attendance_is_no_meeting(case, people):
    with pytest.raises(meetings.MeetingRefused) as refused:
        record(case, people, form=meetings.Form.CIRCULATED)
    assert refused.value.code == "circulated" and "传签、传阅不能代替会议" in str(refused.value)
    with pytest.raises(meetings.MeetingRefused) as refused:
        record(case, people, present=0, votes={})
    assert refused.value.code == "no_attendance"
    assert not Meeting.objects.exists()


def test_votes_and_attendance_come_from_members_only(case, people):
    outsider = meetings.Member("o", "外人")
    members = members_of(people)
    with pytest.raises(meetings.MeetingRefused) as refused:
        meetings.meeting_record(
            process=case,
            purpose=meetings.Purpose.PLAN,
            held_on=D(2026, 4, 10),
            name="会",
            members=members,
            present=[*members[:6], outsider],
            items=[meetings.Item("plan", "实施方案")],
            votes={},
            recorded_by=UserFactory(),
        )
    assert (refused.value.code, refused.value.params) == ("stray", {"names": "外人"})
    with pytest.raises(meetings.MeetingRefused) as refused:
        record(case, people, votes={"o": {"x": "agree"}})
    assert refused.value.code == "stray"


def test_a_flow_may_refuse_on_the_outcomes_before_anything_is_stored(case, people):
    class Vetoed(Exception):
        pass

    def vet(outcomes):
        assert outcomes == {"x": "passed"}
        raise Vetoed

    with pytest.raises(Vetoed):
        record(case, people, vet=vet)
    assert not Meeting.objects.exists()


def test_two_members_of_one_name_are_told_apart_on_the_record(case):
    twins = [PersonFactory(name="刘旭") for _ in range(3)]
    meeting = record(case, twins, present=3)
    assert meeting.member_labels == ["刘旭", "刘旭（2）", "刘旭（3）"]
    assert meeting.tally["items"] == [
        {"item": "x", "label": "王晓燕", "agree": 3, "disagree": 0, "defer": 0, "outcome": "passed"}
    ]


def test_an_objection_needs_a_finding_and_an_upheld_one_stops_the_appointment(case):
    subject, officer = PersonFactory(name="王晓燕"), UserFactory()
    objection = meetings.objection_record(
        process=case, subject=subject, received_on=D(2026, 4, 15), content="反映问题", recorded_by=officer
    )
    assert objection.get_status_display() == "待核查" and case.objections.get() == objection
    states = meetings.objection_states(case, subject)
    with pytest.raises(publicity.PublicityError) as blocked:
        publicity.check_appointable(end=D(2026, 4, 20), on=D(2026, 4, 21), objections=states)
    assert blocked.value.code == "objection_pending"
    with pytest.raises(meetings.MeetingRefused) as refused:
        meetings.objection_resolve(objection=objection, upheld=True, finding="  ", resolved_by=officer)
    assert refused.value.code == "finding" and str(refused.value) == "须写明核查结论。"
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.PENDING
    meetings.objection_resolve(objection=objection, upheld=True, finding="经核查属实", resolved_by=officer)
    stored = Objection.objects.get()
    assert (stored.status, stored.resolved_by, stored.get_status_display()) == ("upheld", officer, "经核查属实")
    with pytest.raises(publicity.PublicityError) as blocked:
        publicity.check_appointable(
            end=D(2026, 4, 20), on=D(2026, 4, 21), objections=meetings.objection_states(case, subject)
        )
    assert blocked.value.code == "objection_upheld" and "经核查属实" in str(blocked.value)
    assert meetings.objection_states(case, PersonFactory()) == []


def test_a_cleared_objection_lets_the_appointment_go_ahead(case):
    subject, officer = PersonFactory(), UserFactory()
    objection = meetings.objection_record(
        process=case, subject=subject, received_on=D(2026, 4, 15), content="反映问题", recorded_by=officer
    )
    meetings.objection_resolve(objection=objection, upheld=False, finding="查无实据", resolved_by=officer)
    publicity.check_appointable(
        end=D(2026, 4, 20), on=D(2026, 4, 21), objections=meetings.objection_states(case, subject)
    )
