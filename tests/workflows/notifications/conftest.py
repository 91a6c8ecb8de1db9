"""Shared set-up: the principal-selection district (its `world`), a school competition, and a failing mail server."""

from __future__ import annotations

import datetime as dt
import smtplib
from types import SimpleNamespace

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from viewflow.workflow.status import STATUS

from cadres import choices as c
from cadres.roles import Role
from tests.factories import PostFactory, UserFactory
from tests.workflows.principal_selection.conftest import world  # noqa: F401  (the fixture)
from workflows.competition import clock
from workflows.competition.flows import CompetitionFlow
from workflows.competition.models import Competition
from workflows.notifications.models import Notification

D = dt.date


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def open(self):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def recipients(task, kind) -> set[str]:
    return set(Notification.objects.filter(task=task, kind=kind).values_list("recipient__username", flat=True))


def open_task(process, node):
    return process.task_set.filter(flow_task=node).exclude(status__in=[STATUS.DONE, STATUS.CANCELED]).get()


@pytest.fixture
def competition_world(db, bureau, school, other_school, officer, school_secretary, monkeypatch):
    """A school with two posts; its secretary, another school's secretary and a bureau officer."""
    monkeypatch.setattr(clock, "today", lambda: D(2026, 5, 20))
    dean = PostFactory(
        organization=school, name="教导处主任", kind=c.PostKind.MIDDLE_HEAD, level=c.PostLevel.MIDDLE_HEAD, headcount=1
    )
    moral = PostFactory(
        organization=school, name="德育处主任", kind=c.PostKind.MIDDLE_HEAD, level=c.PostLevel.MIDDLE_HEAD, headcount=1
    )
    other_secretary = UserFactory(username="other_secretary", roles=[Role.SCHOOL_SECRETARY], organization=other_school)
    return SimpleNamespace(
        school=school,
        secretary=school_secretary,
        other_secretary=other_secretary,
        officer=officer,
        dean=dean,
        moral=moral,
    )


def start_competition(client, w) -> Competition:
    client.force_login(w.secretary)
    data = {
        "title": "2026年中层干部竞聘上岗",
        "posts": f"{w.dean.pk},1,2\n{w.moral.pk},1,2",
        "opens": "2026-06-01",
        "closes": "2026-06-05",
        "speech": "50",
        "evaluation": "30",
        "performance": "20",
        "trim_min_judges": "5",
        "tie_break": "speech,evaluation,years_of_teaching,number",
        "inspect_top": "1",
        "quorum": "2/3",
        "eligibility": '{"max_age": {"max_age": 50}}',
    }
    response = client.post(CompetitionFlow.plan.reverse("execute"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Competition.objects.latest("pk")
