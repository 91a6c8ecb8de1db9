"""The copy of the flows' former meeting and objection rows into the shared tables (meetings 0002)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cadres import choices as c
from tests.factories import FamilyMemberFactory, PersonFactory, PostFactory, TenureFactory, UserFactory
from workflows.competition.flows import AdjustmentFlow, CompetitionFlow
from workflows.competition.models import Adjustment, Competition, Registration
from workflows.meetings.models import Meeting, MeetingVote, Objection
from workflows.principal_selection.flows import PrincipalSelectionFlow
from workflows.principal_selection.models import Candidate, SelectionCase

BEFORE = [
    ("meetings", "0001_initial"),
    ("principal_selection", "0004_state_is_protected_fsm"),
    ("competition", "0004_state_is_protected_fsm"),
]
D = dt.date


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_old_meetings_votes_and_objections_are_copied(school):
    recorder = UserFactory()
    member = UserFactory(organization=school, organization__person=PersonFactory(name="委员甲"))
    alice, bob = PersonFactory(name="王晓燕"), PersonFactory(name="李明")
    FamilyMemberFactory(person=alice, relation=c.Relation.SPOUSE, relative=member.profile.person)
    case = SelectionCase.objects.create(flow_class=PrincipalSelectionFlow, post=PostFactory(organization=school))
    cand_a = Candidate.objects.create(case=case, person=alice)
    cand_b = Candidate.objects.create(case=case, person=bob)
    competition = Competition.objects.create(flow_class=CompetitionFlow, organization=school)
    reg = Registration.objects.create(competition=competition, post=PostFactory(organization=school), person=bob)
    adjustment = Adjustment.objects.create(flow_class=AdjustmentFlow, tenure=TenureFactory(person=alice))
    leaf = [key for key in MigrationExecutor(connection).loader.graph.leaf_nodes()]
    try:
        old = _migrate(BEFORE)
        PSMeeting, PSVote = (
            old.get_model("principal_selection", "Meeting"),
            old.get_model("principal_selection", "MemberVote"),
        )
        meeting = PSMeeting.objects.create(
            case_id=case.pk,
            held_on=D(2026, 4, 10),
            name="党委会",
            due=9,
            present=6,
            recorded_by_id=recorder.pk,
            tally={
                "quorum": 6,
                "candidates": {
                    str(cand_a.pk): {"agree": 5, "disagree": 0, "defer": 0, "outcome": "passed"},
                    str(cand_b.pk): {"agree": 2, "disagree": 4, "defer": 0, "outcome": "failed"},
                },
            },
        )
        PSVote.objects.create(
            meeting=meeting, member_id=member.pk, candidate_id=cand_a.pk, vote="recused", reason="亲属"
        )
        PSVote.objects.create(meeting=meeting, member_id=member.pk, candidate_id=cand_b.pk, vote="disagree")
        old.get_model("principal_selection", "Objection").objects.create(
            case_id=case.pk,
            candidate_id=cand_a.pk,
            received_on=D(2026, 4, 15),
            content="反映",
            status="upheld",
            finding="属实",
        )
        CMeeting = old.get_model("competition", "Meeting")
        CMeeting.objects.create(
            competition_id=competition.pk,
            purpose="plan",
            held_on=D(2026, 5, 21),
            name="支委会",
            members=["甲", "乙", "丙"],
            present=["甲", "乙"],
            votes={"甲": {"实施方案": "agree"}, "乙": {"实施方案": "agree"}},
            tally={
                "due": 3,
                "present": 2,
                "quorum": 2,
                "recused": {},
                "candidates": [{"candidate": "实施方案", "agree": 2, "disagree": 0, "defer": 0, "outcome": "passed"}],
            },
            recorded_by_id=recorder.pk,
        )
        CMeeting.objects.create(
            adjustment_id=adjustment.pk,
            purpose="adjustment",
            held_on=D(2026, 7, 1),
            name="支委会",
            members=["甲", "乙", "王晓燕"],
            present=["甲", "乙", "王晓燕"],
            votes={"甲": {"王晓燕": "agree"}, "乙": {"王晓燕": "disagree"}},
            recused={"王晓燕": ["王晓燕"]},
            tally={
                "due": 3,
                "present": 3,
                "quorum": 2,
                "recused": {"王晓燕": ["王晓燕"]},
                "candidates": [{"candidate": "王晓燕", "agree": 1, "disagree": 1, "defer": 0, "outcome": "failed"}],
            },
            recorded_by_id=recorder.pk,
        )
        old.get_model("competition", "Objection").objects.create(
            competition_id=competition.pk, registration_id=reg.pk, received_on=D(2026, 6, 16), summary="问题"
        )
    finally:
        _migrate(leaf)

    ps = Meeting.objects.get(process_id=case.pk)
    assert (ps.purpose, ps.due, ps.present, ps.quorum) == ("decision", 9, 6, 6)
    assert [(r.item, r.label, r.outcome) for r in ps.results()] == [
        (str(cand_a.pk), "王晓燕", "passed"),
        (str(cand_b.pk), "李明", "failed"),
    ]
    rows = list(MeetingVote.objects.filter(meeting=ps).order_by("id"))
    assert [(r.member_label, r.member_person_id, r.subject_id, r.vote) for r in rows] == [
        ("委员甲", member.profile.person_id, alice.pk, "recused"),
        ("委员甲", member.profile.person_id, bob.pk, "disagree"),
    ]
    assert ps.tally["recused"] == {str(cand_a.pk): ["委员甲"]}
    plan = Meeting.objects.get(process_id=competition.pk)
    assert (
        plan.result_of("plan").passed
        and plan.member_labels == ["甲", "乙", "丙"]
        and plan.present_labels == ["甲", "乙"]
    )
    adj = Meeting.objects.get(process_id=adjustment.pk)
    assert adj.result_of("adjustment").outcome == "failed"
    assert (
        adj.votes.get(member_label="王晓燕").vote == "recused" and adj.votes.get(member_label="王晓燕").subject == alice
    )
    objections = {o.process_id: o for o in Objection.objects.all()}
    assert (objections[case.pk].subject, objections[case.pk].status, objections[case.pk].finding) == (
        alice,
        "upheld",
        "属实",
    )
    assert (objections[competition.pk].subject, objections[competition.pk].content) == (bob, "问题")
