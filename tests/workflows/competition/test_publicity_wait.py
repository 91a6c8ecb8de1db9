"""公示 is a node of the competition's graph: after 任前公示 a timer holds the case until the morning after the
period's last working day; only then is there a 聘任 task, and the appointment's gate still acts on its day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from viewflow.workflow.status import STATUS

from cadres.models import Tenure
from workflows.competition import services as s
from workflows.competition.flows import CompetitionFlow as F
from workflows.competition.models import Registration, State

from . import journey
from .conftest import fire_timers, open_task, post_task

D = dt.date
NUMBER = {"document_number": "实小〔2026〕3号"}


@pytest.fixture
def case(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return journey.publicised(client, world)


def test_there_is_no_appointment_task_until_the_timer_fires_after_the_period(case):
    timer = case.task_set.get(flow_task=F.publicity_wait)
    assert timer.status == STATUS.SCHEDULED
    assert timer.scheduled == timezone.make_aware(dt.datetime(2026, 6, 23, 8, 0))  # the morning after 6月22日
    assert not case.task_set.filter(flow_task=F.appoint).exists()
    for day in (D(2026, 6, 16), journey.PUBLICITY_END):  # during the 公示 and on its last day: nothing fires
        assert fire_timers(day) == 0
        assert not case.task_set.filter(flow_task=F.appoint).exists()
    assert fire_timers(D(2026, 6, 23)) == 1
    timer.refresh_from_db()
    assert timer.status == STATUS.DONE
    assert open_task(case, F.appoint).status == STATUS.NEW
    assert fire_timers(D(2026, 6, 24)) == 0  # fired once


def test_an_appointment_dated_within_the_period_is_still_refused(client, world, case):
    fire_timers(D(2026, 6, 23))
    world.today.set(journey.PUBLICITY_END)
    response = post_task(client, world.secretary, case, F.appoint, NUMBER)
    assert response.status_code == 200 and "公示期至2026年06月22日届满" in response.content.decode()
    case.refresh_from_db()
    assert case.state == State.PUBLICISED and not Tenure.objects.filter(document_number=NUMBER["document_number"])
    assert open_task(case, F.appoint).status != STATUS.DONE
    world.today.set(D(2026, 6, 23))
    journey.ok(post_task(client, world.secretary, case, F.appoint, NUMBER))
    case.refresh_from_db()
    assert case.state == State.APPOINTED
    assert Tenure.objects.get(person=world.alice, post=world.dean).start_date == D(2026, 6, 23)


def test_a_pending_objection_still_blocks_the_appointment_once_the_task_is_open(client, world, case):
    alice = Registration.objects.get(competition=case, person=world.alice)
    world.today.set(D(2026, 6, 16))
    objection = s.objection_record(
        competition=case, acting_user=world.secretary, registration=alice, received_on=D(2026, 6, 16), summary="来信"
    )
    assert fire_timers(D(2026, 6, 23)) == 1  # the timer does not wait for objections: the gate does
    world.today.set(D(2026, 6, 23))
    response = post_task(client, world.secretary, case, F.appoint, NUMBER)
    assert response.status_code == 200 and "尚未核查完毕" in response.content.decode()
    assert not Tenure.objects.filter(document_number=NUMBER["document_number"]).exists()
    s.objection_resolve(objection=objection, acting_user=world.secretary, upheld=False, finding="不影响聘任")
    journey.ok(post_task(client, world.secretary, case, F.appoint, NUMBER))
    assert Tenure.objects.filter(person=world.alice, document_number=NUMBER["document_number"]).exists()
