"""The notification list (own only, newest first, paged), opening and marking read, the e-mail setting, and
the unread count in the top bar of every CadreFlow page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task

from workflows.notifications.models import Kind, Notification, NotificationPreference

from . import journey_helpers as jh
from .conftest import open_task

pytestmark = pytest.mark.django_db
LIST = "/notifications/"


@pytest.fixture
def told(client, world, django_capture_on_commit_callbacks):
    """officer and officer2 were both told of a 民主推荐 task."""
    with django_capture_on_commit_callbacks(execute=True):
        case = jh.propose(client, world)
    client.logout()
    return open_task(case, jh.PS.recommend)


def badge(html: str) -> str | None:
    match = re.search(r'data-testid="unread-count"[^>]*>([^<]*)<', html)
    return match.group(1) if match else None


def test_the_top_bar_shows_the_unread_count_on_every_page(client, world, told):
    client.force_login(world.officer)
    for url in (LIST, "/home/dashboard/", "/teams/overview/"):
        html = client.get(url).content.decode()
        assert badge(html) == "1", url
        assert "通知（1 条未读）" in html
    Notification.objects.filter(recipient=world.officer).update(read_at=timezone.now())
    assert badge(client.get("/home/dashboard/").content.decode()) is None
    client.force_login(world.inspectors[0])
    assert badge(client.get("/home/dashboard/").content.decode()) is None


def more_notes(user, like, n):
    """n notifications for `user`, each on a task of its own (one per task and kind), oldest first."""
    tasks = Task.objects.bulk_create(
        Task(process_id=like.process_id, flow_task=like.flow_task, flow_task_type="HUMAN", status="DONE")
        for _i in range(n)
    )
    start = timezone.now() - dt.timedelta(days=1)
    notes = Notification.objects.bulk_create(
        Notification(recipient=user, kind=Kind.ARRIVED, task=t, text=f"第{i + 1}条", url="")
        for i, t in enumerate(tasks)
    )
    for i, note in enumerate(notes):
        Notification.objects.filter(pk=note.pk).update(created=start + dt.timedelta(minutes=i))
    return notes


def test_the_count_caps_at_99_plus(world, client, told):
    more_notes(world.officer, told, 120)
    client.force_login(world.officer)
    html = client.get(LIST).content.decode()
    assert badge(html) == "99+" and "121 条未读" in html


def test_the_list_shows_only_the_users_own_notifications_newest_first(client, world, told):
    other = Notification.objects.get(recipient=world.officer2)
    client.force_login(world.officer)
    html = client.get(LIST).content.decode()
    assert "新任务：校长选拔任用：" in html and "民主推荐" in html
    assert f'data-notification="{other.pk}"' not in html
    assert "邮件通知设置" in html and "全部标为已读" in html
    # another user's notification can be neither opened nor marked read
    assert client.get(f"{LIST}{other.pk}/open/").status_code == 404
    assert client.post(f"{LIST}{other.pk}/read/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_opening_marks_read_and_follows_the_link(client, world, told):
    note = Notification.objects.get(recipient=world.officer)
    client.force_login(world.officer)
    response = client.get(f"{LIST}{note.pk}/open/")
    assert response.status_code == 302 and response["Location"] == note.url
    note.refresh_from_db()
    assert note.read_at is not None
    assert client.get(note.url, follow=True).status_code == 200


def test_mark_read_and_mark_all_read(client, world, told):
    client.force_login(world.officer)
    note = Notification.objects.get(recipient=world.officer)
    assert client.post(f"{LIST}{note.pk}/read/", {"next": "https://evil.example/"}).url == LIST
    note.refresh_from_db()
    assert note.read_at is not None
    Notification.objects.filter(pk=note.pk).update(read_at=None)
    response = client.post(f"{LIST}read-all/", follow=True)
    assert "已将 1 条通知标为已读。" in response.content.decode()
    assert not Notification.objects.filter(recipient=world.officer, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=world.officer2, read_at__isnull=True).count() == 1
    assert client.get(f"{LIST}read-all/").status_code == 405


def test_the_list_is_paged_newest_first(client, world, told, django_assert_max_num_queries):
    Notification.objects.filter(task=told).delete()
    more_notes(world.officer, told, 35)
    client.force_login(world.officer)
    with django_assert_max_num_queries(12):
        first = client.get(LIST).content.decode()
    rows = re.findall(r">(第\d+条)<", first)
    assert len(rows) == 30 and rows[0] == "第35条" and rows[-1] == "第6条"
    assert "第 1 / 2 页" in first
    second = client.get(f"{LIST}?page=2").content.decode()
    assert re.findall(r">(第\d+条)<", second) == ["第5条", "第4条", "第3条", "第2条", "第1条"]
    Notification.objects.filter(text__in=["第1条", "第2条"]).update(read_at=timezone.now())
    unread = client.get(f"{LIST}?unread=1&page=2").content.decode()
    assert re.findall(r">(第\d+条)<", unread) == ["第5条", "第4条", "第3条"]


def test_the_email_setting(client, world):
    client.force_login(world.officer)
    html = client.get(f"{LIST}settings/").content.decode()
    assert "您的账号没有登记电子邮箱" in html
    response = client.post(f"{LIST}settings/", {"email": "off"}, follow=True)
    assert "已关闭邮件通知，站内通知照常显示。" in response.content.decode()
    assert NotificationPreference.objects.get(user=world.officer).email_enabled is False
    assert "邮件通知已关闭" in client.get(LIST).content.decode()
    response = client.post(f"{LIST}settings/", {"email": "maybe"}, follow=True)
    assert "请选择是否接收邮件通知。" in response.content.decode()
    assert NotificationPreference.objects.get(user=world.officer).email_enabled is False
    client.post(f"{LIST}settings/", {"email": "on"})
    assert NotificationPreference.objects.get(user=world.officer).email_enabled is True


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(LIST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
