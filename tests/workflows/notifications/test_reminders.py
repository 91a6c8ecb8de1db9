"""Due-soon and overdue notices (once, by queries), the officers' overdue notice, and the outbox's retries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.models import Task

from workflows.competition.flows import CompetitionFlow
from workflows.notifications import services
from workflows.notifications.models import Delivery, DeliveryStatus, Kind, Notification, NotificationPreference
from workflows.principal_selection.flows import PrincipalSelectionFlow as PS

from . import journey_helpers as jh
from .conftest import open_task, recipients, start_competition

pytestmark = pytest.mark.django_db
D = dt.date
DUE = "2026-03-13"  # a Friday


def run(today: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("send_notifications", today=D.fromisoformat(today), stdout=out)
    return out.getvalue()


@pytest.fixture
def recommend_task(client, world, django_capture_on_commit_callbacks):
    jh.give_emails()
    with django_capture_on_commit_callbacks(execute=True):
        case = jh.propose(client, world)
    task = open_task(case, PS.recommend)
    Task.objects.filter(pk=task.pk).update(data={"due": DUE})
    mail.outbox.clear()
    return task


def test_due_soon_two_working_days_before_and_only_once(recommend_task):
    run("2026-03-10")  # Tuesday: Friday is three working days away
    assert not Notification.objects.filter(kind=Kind.DUE_SOON).exists()
    out = run("2026-03-11")  # Wednesday: two working days before
    assert "即将到期通知 2 条" in out
    assert recipients(recommend_task, Kind.DUE_SOON) == {"officer", "officer2"}
    note = Notification.objects.get(kind=Kind.DUE_SOON, recipient__username="officer")
    assert note.text.startswith("即将到期：") and "2026年3月13日" in note.text
    assert sorted(m.to[0] for m in mail.outbox) == ["officer2@example.org", "officer@example.org"]
    assert mail.outbox[0].subject.startswith("【干部选任工作流】即将到期：民主推荐")
    run("2026-03-11")
    run("2026-03-12")
    assert Notification.objects.filter(kind=Kind.DUE_SOON).count() == 2
    assert Delivery.objects.filter(kind=Kind.DUE_SOON).count() == 2 and len(mail.outbox) == 2


def test_overdue_once_and_the_officers_in_charge_are_told(
    client, competition_world, django_capture_on_commit_callbacks
):
    w = competition_world
    jh.give_emails()
    with django_capture_on_commit_callbacks(execute=True):
        case = start_competition(client, w)
    task = open_task(case, CompetitionFlow.school_meeting_approval)
    Task.objects.filter(pk=task.pk).update(data={"due": DUE})
    run("2026-03-13")  # due today: due soon, not yet overdue
    assert recipients(task, Kind.DUE_SOON) == {"secretary"}
    assert not Notification.objects.filter(kind=Kind.OVERDUE).exists()
    mail.outbox.clear()
    run("2026-03-16")
    run("2026-03-17")
    assert recipients(task, Kind.OVERDUE) == {"secretary", "officer"}
    actor = Notification.objects.get(kind=Kind.OVERDUE, recipient=w.secretary)
    officer = Notification.objects.get(kind=Kind.OVERDUE, recipient=w.officer)
    assert actor.text.startswith("已逾期：中层干部竞聘上岗：2026年中层干部竞聘上岗——党组织会议审议方案")
    assert officer.text.startswith("任务逾期（请督办）：")
    assert sorted(m.to[0] for m in mail.outbox) == ["officer@example.org", "secretary@example.org"]
    assert "请督促办理" in next(m for m in mail.outbox if m.to == ["officer@example.org"]).body
    assert not Notification.objects.filter(recipient=w.other_secretary).exists()


def test_a_held_task_reminds_its_holder_only_and_skips_inactive_users(recommend_task, world):
    Task.objects.filter(pk=recommend_task.pk).update(owner=world.officer2, status="ASSIGNED")
    run("2026-03-11")
    assert recipients(recommend_task, Kind.DUE_SOON) == {"officer2"}
    world.officer2.is_active = False
    world.officer2.save()
    run("2026-03-16")
    assert recipients(recommend_task, Kind.OVERDUE) == {"officer"}  # only as the officer in charge
    assert Notification.objects.get(kind=Kind.OVERDUE).text.startswith("任务逾期（请督办）")


def test_done_tasks_and_steps_without_a_deadline_are_not_reminded(recommend_task):
    Task.objects.filter(pk=recommend_task.pk).update(status="DONE")
    run("2026-03-16")
    assert not Notification.objects.exclude(kind=Kind.ARRIVED).exists()
    Task.objects.filter(pk=recommend_task.pk).update(status="NEW", data={})
    run("2026-03-16")
    assert not Notification.objects.exclude(kind=Kind.ARRIVED).exists()


def test_opt_out_keeps_reminders_in_app_and_cancels_unsent_mail(recommend_task, world, settings):
    NotificationPreference.objects.create(user=world.officer2, email_enabled=False)
    run("2026-03-11")
    assert recipients(recommend_task, Kind.DUE_SOON) == {"officer", "officer2"}
    assert [m.to for m in mail.outbox] == [["officer@example.org"]]
    # Mail already queued when the user turns e-mail off is cancelled, not sent.
    settings.EMAIL_BACKEND = "tests.workflows.notifications.conftest.FailingBackend"
    services.set_email_enabled(world.officer2, True)
    run("2026-03-16")
    services.set_email_enabled(world.officer2, False)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.send_pending(now=timezone.now() + dt.timedelta(hours=1))
    row = Delivery.objects.get(kind=Kind.OVERDUE, recipient=world.officer2)
    assert row.status == DeliveryStatus.CANCELED
    assert ["officer2@example.org"] not in [m.to for m in mail.outbox]


def test_smtp_failure_keeps_the_row_pending_and_the_next_run_sends_it(
    client, world, settings, django_capture_on_commit_callbacks
):
    jh.give_emails()
    settings.EMAIL_BACKEND = "tests.workflows.notifications.conftest.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        jh.propose(client, world)  # the step commits; its mails cannot go out
    rows = list(Delivery.objects.order_by("pk"))
    assert len(rows) == 2 and mail.outbox == []
    for row in rows:
        assert row.status == DeliveryStatus.PENDING and row.attempts == 1 and row.sent_at is None
        assert "SMTPServerDisconnected" in row.last_error and row.next_attempt_at > timezone.now()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_pending().sent == 0  # backoff: not before its next attempt
    result = services.send_pending(now=timezone.now() + dt.timedelta(minutes=6))
    assert result.sent == 2 and len(mail.outbox) == 2
    for row in Delivery.objects.all():
        assert row.status == DeliveryStatus.SENT and row.attempts == 2 and row.last_error == "" and row.sent_at
    assert services.send_pending(now=timezone.now() + dt.timedelta(days=1)).sent == 0
    assert len(mail.outbox) == 2


def test_after_the_last_attempt_a_row_is_marked_failed(recommend_task, settings):
    settings.EMAIL_BACKEND = "tests.workflows.notifications.conftest.FailingBackend"
    run("2026-03-11")
    Delivery.objects.filter(kind=Kind.DUE_SOON).update(attempts=services.MAX_ATTEMPTS - 1, next_attempt_at=None)
    services.send_pending()
    assert set(Delivery.objects.filter(kind=Kind.DUE_SOON).values_list("status", flat=True)) == {DeliveryStatus.FAILED}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_pending(now=timezone.now() + dt.timedelta(days=2)).sent == 0


def test_an_abandoned_claim_is_taken_back(recommend_task):
    run("2026-03-11")  # sent
    row = Delivery.objects.filter(kind=Kind.DUE_SOON).first()
    Delivery.objects.filter(pk=row.pk).update(
        status=DeliveryStatus.SENDING, claim="x", claimed_at=timezone.now() - dt.timedelta(minutes=5), sent_at=None
    )
    assert services.send_pending().sent == 0  # another sender may still be at it
    assert services.send_pending(now=timezone.now() + dt.timedelta(minutes=20)).sent == 1


def test_backoff_doubles_up_to_six_hours():
    assert [services.backoff(n).total_seconds() // 60 for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert services.backoff(12) == dt.timedelta(hours=6)


def _command_queries(today: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        run(today)
    return len(ctx.captured_queries)


def test_the_commands_queries_do_not_grow_with_the_number_of_tasks(client, world, django_capture_on_commit_callbacks):
    jh.give_emails()

    def cases(n):
        for _i in range(n):
            with django_capture_on_commit_callbacks(execute=True):
                case = jh.propose(client, world)
            Task.objects.filter(pk=open_task(case, PS.recommend).pk).update(data={"due": DUE})

    cases(1)
    small_soon, small_overdue = _command_queries("2026-03-11"), _command_queries("2026-03-16")
    assert Notification.objects.filter(kind=Kind.OVERDUE).count() == 2
    cases(5)
    big_soon, big_overdue = _command_queries("2026-03-11"), _command_queries("2026-03-16")
    assert Notification.objects.filter(kind=Kind.DUE_SOON).count() == 12
    assert Notification.objects.filter(kind=Kind.OVERDUE).count() == 12
    assert len(mail.outbox) == 6 * 2 * 3
    assert 3 < big_soon <= small_soon and 3 < big_overdue <= small_overdue
