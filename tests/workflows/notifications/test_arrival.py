"""A task's arrival notifies exactly the users who may act on it, after the step commits, and mails them once."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from cadres.roles import Role
from tests.factories import PersonFactory, UserFactory
from tests.workflows.principal_selection.conftest import make_kin
from workflows.competition.flows import CompetitionFlow
from workflows.notifications import services
from workflows.notifications.models import Delivery, DeliveryStatus, Kind, Notification, NotificationPreference
from workflows.principal_selection.flows import PrincipalSelectionFlow as PS

from . import journey_helpers as jh
from .conftest import open_task, recipients, start_competition

pytestmark = pytest.mark.django_db


def test_arrival_notifies_the_officers_in_chinese_and_mails_each_once(
    client, world, django_capture_on_commit_callbacks
):
    jh.give_emails()
    with django_capture_on_commit_callbacks(execute=True):
        case = jh.propose(client, world)
    task = open_task(case, PS.recommend)
    assert recipients(task, Kind.ARRIVED) == {"officer", "officer2"}
    note = Notification.objects.get(task=task, recipient=world.officer)
    assert note.text.startswith("新任务：校长选拔任用：")
    assert "民主推荐" in note.text and "#" not in note.text
    assert note.url == PS.recommend.reverse("index", args=[case.pk, task.pk])
    assert sorted(m.to[0] for m in mail.outbox) == ["officer2@example.org", "officer@example.org"]
    message = mail.outbox[0]
    assert message.subject.startswith("【干部选任工作流】任务到达：民主推荐")
    assert "案件：校长选拔任用：" in message.body and "办理期限：" in message.body
    assert f"https://cadreflow.test{note.url}" in message.body
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    # Told once: a second arrival call for the same task adds nothing.
    services.notify_arrival(task.pk)
    assert Notification.objects.filter(task=task).count() == 2
    assert Delivery.objects.filter(task=task).count() == 2 and len(mail.outbox) == 2


def test_a_rolled_back_step_notifies_nobody(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = jh.propose(client, world)
    Notification.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            jh.recommend(client, world, case)
            raise RuntimeError("the step fails after the next task was created")
    assert not Notification.objects.exists() and mail.outbox == []


def test_candidates_and_their_kin_are_not_told(client, world, django_capture_on_commit_callbacks):
    spouse = UserFactory(
        username="officer_kin",
        roles=[Role.PERSONNEL_OFFICER],
        organization=world.bureau,
        organization__person=PersonFactory(name="王晓燕丈夫", organization=world.bureau),
    )
    make_kin(spouse, world.alice)
    candidate = UserFactory(
        username="officer_candidate",
        roles=[Role.PERSONNEL_OFFICER],
        organization=world.bureau,
        organization__person=world.bob,
    )
    with django_capture_on_commit_callbacks(execute=True):
        case = jh.propose(client, world)
    # Before there were candidates the two were plain officers and were told of 民主推荐.
    recommend = open_task(case, PS.recommend)
    assert recipients(recommend, Kind.ARRIVED) == {"officer", "officer2", "officer_kin", "officer_candidate"}
    with django_capture_on_commit_callbacks(execute=True):
        jh.recommend(client, world, case)
    with django_capture_on_commit_callbacks(execute=True):
        jh.ok(jh.shortlist(client, world, case))
    review = open_task(case, PS.dossier_review)
    assert recipients(review, Kind.ARRIVED) == {"officer", "officer2"}
    assert spouse.pk not in Notification.objects.filter(task=review).values_list("recipient", flat=True)
    assert candidate.pk not in Notification.objects.filter(task=review).values_list("recipient", flat=True)
    inspect = open_task(case, PS.inspect)
    assert recipients(inspect, Kind.ARRIVED) == {"inspector1", "inspector2"}


def test_a_school_task_is_told_to_that_school_only(client, competition_world, django_capture_on_commit_callbacks):
    w = competition_world
    with django_capture_on_commit_callbacks(execute=True):
        case = start_competition(client, w)
    task = open_task(case, CompetitionFlow.school_meeting_approval)
    assert recipients(task, Kind.ARRIVED) == {"secretary"}
    assert not Notification.objects.filter(recipient__in=[w.other_secretary, w.officer]).exists()


def test_email_opt_out_keeps_the_in_app_notification(client, world, django_capture_on_commit_callbacks):
    jh.give_emails()
    NotificationPreference.objects.create(user=world.officer2, email_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        case = jh.propose(client, world)
    task = open_task(case, PS.recommend)
    assert recipients(task, Kind.ARRIVED) == {"officer", "officer2"}
    assert [m.to for m in mail.outbox] == [["officer@example.org"]]
    assert not Delivery.objects.filter(recipient=world.officer2).exists()


def test_a_user_without_an_address_gets_no_mail_row(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        jh.propose(client, world)
    assert Notification.objects.count() == 2
    assert not Delivery.objects.exists() and mail.outbox == []


def test_with_a_broker_the_commit_queues_the_arrival_and_the_worker_tells_and_mails(
    client, world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from workflows.notifications import tasks

    queued = []
    monkeypatch.setattr(tasks.notify_arrival_task, "delay", lambda task_id: queued.append(task_id))
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    jh.give_emails()
    with django_capture_on_commit_callbacks(execute=True):
        case = jh.propose(client, world)
    task = open_task(case, PS.recommend)
    assert queued == [task.pk] and not Notification.objects.exists() and mail.outbox == []
    assert tasks.notify_arrival_task(task.pk) == 2  # what the worker runs: notifications, then the mails
    assert recipients(task, Kind.ARRIVED) == {"officer", "officer2"}
    assert sorted(m.to[0] for m in mail.outbox) == ["officer2@example.org", "officer@example.org"]
