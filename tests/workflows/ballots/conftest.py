"""The principal-selection world (a district, a principal post, three eligible people, every role's user),
and helpers that open a round and hand back its codes."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.workflows.principal_selection.conftest import world  # noqa: F401  (fixture)
from tests.workflows.principal_selection.stages import proposed, shortlisted
from workflows.ballots import services
from workflows.ballots.models import BallotKind

D = dt.date
CATEGORIES = [{"name": "学校领导班子成员", "due": 5}, {"name": "教职工代表", "due": 20}]


def meeting_round(w, case=None, *, seats=1, categories=CATEGORIES, form="meeting"):
    case = case or proposed(w)
    return services.round_create(
        case=case,
        acting_user=w.officer,
        kind=BallotKind.RECOMMENDATION,
        form=form,
        held_on=D(2026, 3, 10),
        seats=seats,
        people=[w.alice, w.bob, w.carol],
        categories=categories,
    )


def opened(rnd, w) -> dict[str, list[str]]:
    """Open the round; the codes by category name."""
    _rnd, slips = services.round_open(rnd=rnd, acting_user=w.officer)
    out: dict[str, list[str]] = {}
    for slip in slips:
        out.setdefault(slip["category"], []).append(slip["code"])
    return out


def candidate_ids(rnd, *people) -> list[int]:
    by_person = {c.person_id: c.pk for c in rnd.candidates.all()}
    return [by_person[p.pk] for p in people]


def cast(code: str, marks) -> None:
    from workflows.ballots.codes import code_hash

    services.ballot_cast(code_hash=code_hash(code), marks=marks)


@pytest.fixture
def shortlisted_case(world):  # noqa: F811
    return shortlisted(world)
