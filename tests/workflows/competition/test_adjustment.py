"""能上能下: the rule triggers, who may propose, and the meeting's gates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cadres.ethics.models import Sanction
from tests.factories import TenureFactory
from workflows.competition import adjustment as adj
from workflows.competition.flows import AdjustmentFlow
from workflows.competition.models import Adjustment

D = dt.date


def test_candidates_for_adjustment_name_each_rule(world):
    on = D(2026, 5, 20)
    alice_t = TenureFactory(person=world.alice, post=world.dean, start_date=D(2020, 9, 1))
    bob_t = TenureFactory(person=world.bob, post=world.moral, start_date=D(2020, 9, 1))
    carol_t = TenureFactory(person=world.carol, post=world.deputy, start_date=D(2020, 9, 1))
    TenureFactory(person=world.dave, post=world.deputy, start_date=D(2020, 9, 1))  # fine: not listed
    world.alice.appraisals.filter(year=2025).update(grade="incompetent")
    world.bob.appraisals.filter(year__in=[2024, 2025]).update(grade="basic")
    Sanction.objects.create(
        person=world.carol,
        kind="warning",
        decided_on=D(2026, 3, 1),
        authority="区教育局",
        start_date=D(2026, 3, 1),
        end_date=D(2026, 9, 1),
        period_months=6,
    )
    found = {(c.tenure.pk, c.trigger, c.grounds) for c in adj.candidates_for_adjustment(world.school, on)}
    assert found == {
        (alice_t.pk, "appraisal_failed", "2025年度考核不合格"),
        (bob_t.pk, "appraisal_basic_twice", "2024、2025年度考核连续基本合格"),
        (carol_t.pk, "ethics_sanction", "受警告处理，影响期内"),
    }
    assert adj.candidates_for_adjustment(world.other_school, on) == []


def test_a_bureau_officer_may_propose_and_demotion_needs_a_lower_post(client, world):
    sitting = TenureFactory(person=world.bob, post=world.deputy, start_date=D(2020, 9, 1))
    client.force_login(world.officer)
    url = AdjustmentFlow.propose.reverse("execute")
    response = client.post(
        url,
        {
            "tenure": sitting.pk,
            "trigger": "officer",
            "grounds": "群众反映强烈，履职不力",
            "proposed_outcome": "demote",
            "proposed_post": world.dean.pk,
        },
    )
    assert "拟任职务须为本校较低层级的职务" in response.content.decode()
    response = client.post(
        url,
        {"tenure": sitting.pk, "trigger": "officer", "grounds": "群众反映强烈，履职不力", "proposed_outcome": "remove"},
    )
    assert response.status_code == 302
    case = Adjustment.objects.get()
    assert case.organization == world.school and case.proposed_outcome == "remove"


def test_the_decision_needs_a_real_meeting_and_a_majority_of_members_due(world):
    case = proposed_case(world)
    sitting = case.tenure
    with pytest.raises(ValidationError, match="须由本人陈述"):
        adj.adjustment_statement(case=case, acting_user=world.alice_user, statement="代写")
    adj.adjustment_statement(case=case, acting_user=world.bob_user, statement="本人有不同意见。")
    kwargs = dict(case=case, acting_user=world.secretary, held_on=D(2026, 5, 20), name="支委会", members=world.members)
    with pytest.raises(ValidationError, match="传签"):
        adj.adjustment_decide(
            form="circulated", present=world.members, votes={m: "agree" for m in world.members}, **kwargs
        )
    with pytest.raises(ValidationError, match=r"调整决定会议日期.*不能晚于今天"):
        adj.adjustment_decide(
            form="meeting",
            present=world.members,
            votes={m: "agree" for m in world.members},
            **{**kwargs, "held_on": D(2026, 5, 21)},
        )
    case = adj.adjustment_decide(
        form="meeting",
        present=world.members[:5],
        votes={m: "agree" for m in world.members[:3]} | {m: "disagree" for m in world.members[3:5]},
        **kwargs,
    )
    sitting.refresh_from_db()
    assert case.outcome == "keep" and sitting.end_date is None  # 3 of 7 due: not a majority, no change


def proposed_case(world) -> Adjustment:
    """Bob's removal from the dean post, proposed by the school (no statement, no decision yet)."""
    sitting = TenureFactory(person=world.bob, post=world.dean, start_date=D(2020, 9, 1))
    case = Adjustment.objects.create(flow_class=AdjustmentFlow)
    adj.adjustment_propose(
        case=case,
        acting_user=world.secretary,
        tenure=sitting,
        trigger="officer",
        grounds="履职不力",
        proposed_outcome="remove",
    )
    return case


def decide(world, case) -> Adjustment:
    return adj.adjustment_decide(
        case=case,
        acting_user=world.secretary,
        held_on=D(2026, 5, 20),
        name="支委会",
        form="meeting",
        members=world.members,
        present=world.members[:5],
        votes={m: "agree" for m in world.members[:5]},
    )


def test_the_report_to_the_bureau_follows_the_decision_and_needs_a_summary(world):
    case = proposed_case(world)
    with pytest.raises(ValidationError, match="党组织会议作出决定后方可报局"):
        adj.adjustment_report_file(case=case, acting_user=world.secretary, summary="免去职务。")
    case = decide(world, case)
    with pytest.raises(ValidationError, match="须填写调整情况报告") as exc:
        adj.adjustment_report_file(case=case, acting_user=world.secretary, summary=" \n ")
    assert exc.value.code == "summary"
    with pytest.raises(ValidationError, match="没有待审核的调整情况报告"):
        adj.adjustment_report_review(case=case, acting_user=world.officer, acknowledged=True)
    case.refresh_from_db()
    assert case.report_status == "" and case.reported_on is None
    case = adj.adjustment_report_file(case=case, acting_user=world.secretary, summary="  免去赵立新教导处主任职务。 ")
    assert (case.report_status, case.report_summary) == ("filed", "免去赵立新教导处主任职务。")
    with pytest.raises(ValidationError, match="正在等待局审核"):
        adj.adjustment_report_file(case=case, acting_user=world.secretary, summary="再报一次")


@pytest.mark.parametrize("who", ["other_secretary", "bob_user", "officer"])
def test_only_the_cases_school_secretary_files_the_report(world, who):
    case = decide(world, proposed_case(world))
    with pytest.raises(ValidationError, match="只有本校党组织书记可以向局报告调整情况") as exc:
        adj.adjustment_report_file(case=case, acting_user=getattr(world, who), summary="免去职务。")
    assert exc.value.code == "not_permitted"
    case.refresh_from_db()
    assert case.report_status == ""


@pytest.mark.parametrize("who", ["secretary", "other_secretary", "bob_user"])
def test_only_a_bureau_officer_acknowledges_or_returns_the_report(world, who):
    case = decide(world, proposed_case(world))
    adj.adjustment_report_file(case=case, acting_user=world.secretary, summary="免去职务。")
    with pytest.raises(ValidationError, match="只有教育局组织人事科干部可以审核调整情况报告"):
        adj.adjustment_report_review(case=case, acting_user=getattr(world, who), acknowledged=True)
    with pytest.raises(ValidationError, match="退回须写明理由"):
        adj.adjustment_report_review(case=case, acting_user=world.officer, acknowledged=False, reason=" ")
    case.refresh_from_db()
    assert case.report_status == "filed" and case.report_reviewed_on is None
    case = adj.adjustment_report_review(case=case, acting_user=world.officer, acknowledged=False, reason="情况不详")
    assert (case.report_status, case.report_return_reason) == ("returned", "情况不详")
    case = adj.adjustment_report_file(case=case, acting_user=world.secretary, summary="免去职务，附会议纪要。")
    case = adj.adjustment_report_review(case=case, acting_user=world.officer, acknowledged=True)
    assert case.report_status == "acknowledged" and case.report_acknowledged
    with pytest.raises(ValidationError, match="不能再次报送"):
        adj.adjustment_report_file(case=case, acting_user=world.secretary, summary="再报一次")
