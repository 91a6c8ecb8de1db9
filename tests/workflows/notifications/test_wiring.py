"""Celery wiring (used only with a broker) and the step-deadline admin."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory
from workflows.notifications import services, tasks
from workflows.notifications.models import StepDeadline

pytestmark = pytest.mark.django_db


def test_the_beat_schedule_names_a_registered_task(settings):
    from config.celery import app

    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["send-notifications"]
    assert entry["task"] in app.tasks and entry["schedule"] == 300.0


def test_with_a_broker_new_mails_go_to_celery(settings, monkeypatch):
    calls = []
    monkeypatch.setattr(tasks.send_pending_task, "delay", lambda ids: calls.append(ids))
    monkeypatch.setattr(services, "send_pending", lambda **kw: pytest.fail("sent in-process"))
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    services.dispatch(task_ids=[7])
    assert calls == [[7]]


def test_without_a_broker_inline_sending_can_be_turned_off(settings, monkeypatch):
    sent = []
    monkeypatch.setattr(services, "send_pending", lambda **kw: sent.append(kw))
    settings.CELERY_BROKER_URL = ""
    settings.CADREFLOW_NOTIFY_INLINE = False
    services.dispatch(task_ids=[7])
    assert sent == []
    settings.CADREFLOW_NOTIFY_INLINE = True
    services.dispatch(task_ids=[7])
    assert sent == [{"task_ids": [7]}]


def test_the_admin_lists_steps_in_chinese_and_edits_the_days(client):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    html = client.get("/admin/notifications/stepdeadline/").content.decode()
    assert "环节办理期限" in html and "校长选拔任用" in html and "民主推荐" in html and "申请复核" in html
    row = StepDeadline.objects.get(flow="competition/flows.CompetitionFlow", node="announce")
    response = client.post(f"/admin/notifications/stepdeadline/{row.pk}/change/", {"workdays": "7"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.workdays == 7
    # The add form offers only steps without a row; all have one, so a deleted step comes back as a choice.
    row.delete()
    html = client.get("/admin/notifications/stepdeadline/add/").content.decode()
    assert 'value="competition/flows.CompetitionFlow.announce"' in html
    assert 'value="competition/flows.CompetitionFlow.publicise"' not in html
    response = client.post(
        "/admin/notifications/stepdeadline/add/",
        {"step": "competition/flows.CompetitionFlow.announce", "workdays": "4"},
    )
    assert response.status_code == 302
    assert StepDeadline.objects.get(flow="competition/flows.CompetitionFlow", node="announce").workdays == 4
