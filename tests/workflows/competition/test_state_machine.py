"""A competition's state is a protected state machine (issue 11, finding 4): only the moves of `models.MOVES`
happen, through `Competition.move_to`; nothing sets it by hand, and a step out of order is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from workflows.competition.flows import CompetitionFlow
from workflows.competition.models import MOVES, Competition, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(school):
    return Competition.objects.create(flow_class=CompetitionFlow, organization=school, title="2026年中层竞聘")


def test_the_state_cannot_be_set_by_hand(case):
    with pytest.raises(AttributeError):
        case.state = State.APPOINTED


def test_a_draft_cannot_jump_to_an_appointment_and_stays_a_draft(case):
    with pytest.raises(ValidationError) as refused:
        case.move_to(State.APPOINTED)
    assert refused.value.code == "illegal_transition"
    assert "方案拟订" in refused.value.messages[0] and "已聘任" in refused.value.messages[0]
    assert Competition.objects.get(pk=case.pk).state == State.DRAFT


def test_every_state_but_the_ends_leads_on_and_the_bureau_may_return_a_plan(case):
    assert MOVES[State.APPROVED] == {State.FILED, State.RETURNED}
    assert MOVES[State.RETURNED] == {State.DRAFT}
    assert not MOVES.get(State.CONFIRMED) and not MOVES.get(State.NOT_DECIDED)
    case.move_to(State.APPROVED)
    case.save(update_fields=["state"])
    assert Competition.objects.get(pk=case.pk).state == State.APPROVED
