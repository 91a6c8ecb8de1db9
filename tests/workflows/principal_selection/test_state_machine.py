"""A selection case's state is a protected state machine (finding 4 of issue 11): only the moves of
`models.MOVES` happen, through `SelectionCase.move_to`, and nothing sets the state by hand. A 公示 cannot open
on a case that was never decided."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cadres import choices as c
from tests.factories import PostFactory
from workflows.principal_selection import services
from workflows.principal_selection.flows import PrincipalSelectionFlow
from workflows.principal_selection.models import MOVES, CaseState, SelectionCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(school):
    post = PostFactory(organization=school, name="校长", kind=c.PostKind.PRINCIPAL, level=c.PostLevel.SCHOOL_HEAD)
    return SelectionCase.objects.create(
        flow_class=PrincipalSelectionFlow, post=post, started_on=dt.date(2026, 9, 1), state=CaseState.INSPECTED
    )


def test_the_state_cannot_be_set_by_hand(case):
    with pytest.raises(AttributeError):
        case.state = CaseState.APPOINTED


def test_a_publicity_cannot_open_before_the_case_is_decided(case, officer):
    with pytest.raises(ValidationError) as refused:
        services.publicity_open(case=case, acting_user=officer, start=dt.date(2026, 11, 2))
    assert refused.value.code == "illegal_transition"
    assert "已考察" in refused.value.messages[0] and "公示中" in refused.value.messages[0]
    case = SelectionCase.objects.get(pk=case.pk)
    assert case.state == CaseState.INSPECTED and case.publicity_start is None


def test_final_states_go_nowhere_and_probation_ends_one_way_or_the_other():
    for final in (CaseState.APPOINTED, CaseState.CONFIRMED, CaseState.REVERTED, CaseState.CANCELLED):
        assert not MOVES.get(final)
    assert MOVES[CaseState.ON_PROBATION] == {CaseState.CONFIRMED, CaseState.REVERTED}


def test_a_legal_move_is_saved_and_an_illegal_one_leaves_the_case_as_it_was(case):
    case.move_to(CaseState.DECIDED)
    case.save(update_fields=["state"])
    assert SelectionCase.objects.get(pk=case.pk).state == CaseState.DECIDED
    with pytest.raises(ValidationError):
        case.move_to(CaseState.CONFIRMED)
    assert case.state == CaseState.DECIDED
