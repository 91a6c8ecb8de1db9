"""No principal-selection step may be dated in the future, or before the step it follows (cadres.step_dates):
per step, the future date is refused, the date before the previous step is refused, the boundary day is
allowed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from workflows.principal_selection import services as s
from workflows.principal_selection.models import SelectionCase

from .conftest import FLOW
from .stages import decided, proposed, recommended

D = dt.date
pytestmark = pytest.mark.django_db
TOMORROW = timezone.localdate() + dt.timedelta(days=1)


def refused(code, func, **kwargs):
    with pytest.raises(s.SelectionRefused) as exc:
        func(**kwargs)
    assert exc.value.code == code, exc.value.messages
    return exc.value.messages


def test_propose(world):
    kwargs = {"acting_user": world.officer, "post": world.post}
    messages = refused(
        "future_date", s.case_propose, case=SelectionCase(flow_class=FLOW), started_on=TOMORROW, **kwargs
    )
    assert messages[0].startswith("动议日期（")
    assert not SelectionCase.objects.exists()
    today = s.case_propose(case=SelectionCase(flow_class=FLOW), started_on=timezone.localdate(), **kwargs)
    assert today.started_on == timezone.localdate()


def test_exception_approval(world):
    case = proposed(world, exceptional=True, exceptional_reason="急需专业人才")
    kwargs = {"case": case, "acting_user": world.officer, "approved": True, "approver": "区委组织部"}
    refused("future_date", s.exception_decide, approved_on=TOMORROW, **kwargs)
    messages = refused("before_previous_step", s.exception_decide, approved_on=D(2026, 3, 1), **kwargs)
    assert "动议日期" in messages[0]
    s.exception_decide(approved_on=D(2026, 3, 2), **kwargs)
    assert case.exception_approved_on == D(2026, 3, 2)


def test_recommendation_round(world):
    case = proposed(world)  # started on 2026-03-02
    kwargs = {
        "case": case,
        "acting_user": world.officer,
        "form": "talk",
        "voters": [{"category": "班子", "due": 5, "attended": 5}],
        "votes": {world.alice.pk: 3},
    }
    refused("future_date", s.recommendation_record, held_on=TOMORROW, **kwargs)
    refused("before_previous_step", s.recommendation_record, held_on=D(2026, 3, 1), **kwargs)
    assert not case.rounds.exists()
    s.recommendation_record(held_on=D(2026, 3, 2), **kwargs)
    assert case.rounds.count() == 1


def test_shortlist(world):
    case = recommended(world)  # both rounds on 2026-03-10
    kwargs = {"case": case, "acting_user": world.officer, "people": [world.alice, world.bob], "team": world.inspectors}
    refused("future_date", s.candidates_shortlist, on=TOMORROW, **kwargs)
    messages = refused("before_previous_step", s.candidates_shortlist, on=D(2026, 3, 9), **kwargs)
    assert "民主推荐日期" in messages[0]
    s.candidates_shortlist(on=D(2026, 3, 10), **kwargs)
    assert case.candidates.filter(status="shortlisted").count() == 2


def test_publicity_objection_and_appointment(world):
    case = decided(world)  # decided on 2026-04-10
    refused("future_date", s.publicity_open, case=case, acting_user=world.officer, start=TOMORROW)
    messages = refused(
        "before_previous_step", s.publicity_open, case=case, acting_user=world.officer, start=D(2026, 4, 9)
    )
    assert "讨论决定日期" in messages[0]
    s.publicity_open(case=case, acting_user=world.officer, start=D(2026, 4, 10))
    alice = case.candidates.get(person=world.alice)

    obj = {"case": case, "acting_user": world.officer, "candidate": alice, "content": "反映问题"}
    refused("future_date", s.objection_record, received_on=TOMORROW, **obj)
    refused("before_previous_step", s.objection_record, received_on=D(2026, 4, 9), **obj)
    assert not case.objections.exists()
    s.objection_record(received_on=D(2026, 4, 10), **obj).status = "cleared"
    s.objection_resolve(objection=case.objections.get(), acting_user=world.officer, upheld=False, finding="查无实据")

    appoint = {"case": case, "acting_user": world.officer, "document_number": "教工委〔2026〕12号", "talk_by": "局党组"}
    refused("future_date", s.appointment_make, notice_date=TOMORROW, talk_on=D(2026, 4, 20), **appoint)
    refused("future_date", s.appointment_make, notice_date=D(2026, 4, 20), talk_on=TOMORROW, **appoint)
    messages = refused(
        "before_previous_step", s.appointment_make, notice_date=D(2026, 4, 20), talk_on=D(2026, 4, 9), **appoint
    )
    assert "任职谈话日期" in messages[0]
    assert not world.alice.tenures.filter(post=world.post).exists()
    s.appointment_make(notice_date=D(2026, 4, 20), talk_on=D(2026, 4, 10), **appoint)
    assert world.alice.tenures.filter(post=world.post).exists()
