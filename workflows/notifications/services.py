"""Who is told of a task, what they are told, and the mail outbox.

Decisions (nobody could answer them for us; written down here):

- **Arrival.** When a human task is created, after the step's transaction commits (`transaction.on_commit`:
  a rolled-back step notifies nobody), every user who may act on it now (`workflows.common.policy.actors_of`:
  role, school scope, recusal, own case) gets a 任务到达 notification, and an e-mail unless they turned
  e-mail off or have no address. With a broker the step's commit only queues one message
  (`tasks.notify_arrival_task`) and the worker writes the notifications and sends the mails; without one
  they are written in the same process right after the commit.
- **Due soon / overdue.** `scan()` looks for open human tasks whose `data["due"]` is within the next two
  working days (即将到期: the due date is on or before the second working day after today, and not past)
  or past (已逾期), entirely by queries: the recipients are the users told of the task's arrival who are
  still active, narrowed to the task's owner once someone holds it (and the owner always, even if the task
  was assigned to them later). Tasks created before this app existed have no arrival notification and so
  no actor reminders; their overdue notice still reaches the officers. Overdue notices also go to every
  active bureau user holding the personnel officer role (the officers in charge of the procedures).
- **Once.** Notification and Delivery are unique per (task, recipient, kind); creation uses
  `bulk_create(ignore_conflicts=True)` after excluding the pairs already told, so running the scan twice
  (or from two machines) never duplicates anything.
- **Texts** are written in the site's language (zh-hans) whatever language the acting user's request is in:
  they are stored and mailed to others.
- **Sending.** A delivery is claimed by one sender (a claim token set by one UPDATE; a claim older than 15
  minutes is taken back), sent over one SMTP connection, and recorded: sent (with the time), or back to
  pending with the error, one more attempt and the next attempt after a backoff (5 minutes doubling, at most
  6 hours). After `MAX_ATTEMPTS` the row is marked failed and left for an administrator (admin action
  "重新发送"). A recipient who turned e-mail off before it was sent has the row cancelled. The one case of a
  repeat: a sender that dies after the SMTP server accepted a mail but before the row was marked sent; the
  claim is taken back after 15 minutes and the mail goes once more (at least once beats never).
- **Where sending runs.** With `CELERY_BROKER_URL` set, arrivals (and their mails) go to the Celery worker and the beat
  schedule runs `send_notifications` every 5 minutes; without a broker they are sent after commit in the
  same process when `CADREFLOW_NOTIFY_INLINE` is on (default; keep `EMAIL_TIMEOUT` short), otherwise by the
  `send_notifications` command (run it from cron every few minutes in any case: it sends the retries and
  the reminders).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import CharField, Exists, F, OuterRef, Q, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cadres.choices import OrgKind
from cadres.roles import Role
from cadres.workdays import add_workdays

from .deadlines import HUMAN
from .models import Delivery, DeliveryStatus, Kind, Notification

logger = logging.getLogger(__name__)

OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]
MAX_ATTEMPTS = 10
CLAIM_TIMEOUT = dt.timedelta(minutes=15)
SEND_BATCH = 200
BULK_BATCH = 500


def actors_of(task):
    """The active users who may act on the open task now (the task policy's answer, one home for it)."""
    from workflows.common.policy import actors_of as policy_actors_of

    return policy_actors_of(task)


# ---- texts ------------------------------------------------------------------------------------------------


def cn_date(day: dt.date) -> str:
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def _parse_due(data) -> dt.date | None:
    raw = (data or {}).get("due") if isinstance(data, dict) else None
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except (TypeError, ValueError):
        return None


def flow_title(flow_task) -> str:
    return str(flow_task.flow_class.instance.process_title)


def step_title(flow_task) -> str:
    return str(flow_task.task_title or flow_task.name)


def case_label(process) -> str:
    """The case in plain words, without a database id: "校长选拔任用：第一实验小学校长"."""
    case = process.coerced if hasattr(process, "coerced") else process
    title = str(process.flow_class.instance.process_title)
    detail = ""
    if getattr(case, "post_id", None):
        detail = str(case.post)
    elif getattr(case, "title", ""):
        detail = case.title
    elif getattr(case, "teacher_id", None):
        org = getattr(case, "organization", None)
        detail = f"{case.teacher.name}（{org}）" if org else case.teacher.name
    elif getattr(case, "tenure_id", None):
        detail = f"{case.tenure.person.name}（{case.tenure.post}）"
    elif getattr(case, "organization_id", None):
        detail = str(case.organization)
    return _("%(flow)s：%(detail)s") % {"flow": title, "detail": detail} if detail else title


def task_url(flow_task, process_id: int, task_id: int) -> str:
    return flow_task.reverse("index", args=[process_id, task_id])


def absolute(url: str) -> str:
    base = (getattr(settings, "CADREFLOW_BASE_URL", "") or "").rstrip("/")
    return f"{base}{url}"


def notification_text(kind: str, *, case: str, step: str, due: dt.date | None, supervising: bool = False) -> str:
    values = {"case": case, "step": step, "due": cn_date(due) if due else ""}
    if kind == Kind.ARRIVED:
        if due:
            return _("新任务：%(case)s——%(step)s，请于%(due)s前办理。") % values
        return _("新任务：%(case)s——%(step)s。") % values
    if kind == Kind.DUE_SOON:
        return _("即将到期：%(case)s——%(step)s，办理期限为%(due)s。") % values
    if supervising:
        return _("任务逾期（请督办）：%(case)s——%(step)s，办理期限为%(due)s。") % values
    return _("已逾期：%(case)s——%(step)s，办理期限为%(due)s，请尽快办理。") % values


def mail_subject(kind: str, *, case: str, step: str) -> str:
    return _("【干部选任工作流】%(kind)s：%(step)s（%(case)s）") % {
        "kind": Kind(kind).label,
        "step": step,
        "case": case,
    }


def mail_body(kind: str, *, case: str, step: str, due: dt.date | None, url: str, supervising: bool = False) -> str:
    if kind == Kind.ARRIVED:
        lead = _("您有一项新的工作任务待办理。")
    elif kind == Kind.DUE_SOON:
        lead = _("您的一项工作任务即将到期，请按期办理。")
    elif supervising:
        lead = _("以下工作任务已超过办理期限，请督促办理。")
    else:
        lead = _("您的一项工作任务已超过办理期限，请尽快办理。")
    lines = [
        _("您好："),
        "",
        lead,
        "",
        _("案件：%(case)s") % {"case": case},
        _("环节：%(step)s") % {"step": step},
        _("办理期限：%(due)s") % {"due": cn_date(due) if due else _("未设期限")},
        _("办理链接：%(link)s") % {"link": absolute(url)},
        "",
        _("如不需要接收邮件通知，可登录系统，在“通知”页面的“邮件通知设置”中关闭。"),
        _("本邮件由系统自动发送，请勿直接回复。"),
    ]
    return "\n".join(lines)


# ---- creating notifications --------------------------------------------------------------------------------


@dataclass
class Item:
    task_id: int
    process_id: int
    flow_task: object
    recipient_id: int
    email: str
    email_enabled: bool | None
    kind: str
    case: str
    due: dt.date | None
    supervising: bool = False


@dataclass
class ScanResult:
    created: dict[str, int] = field(default_factory=dict)


def _create(items: Iterable[Item]) -> tuple[int, int]:
    """Notifications (and mails for those who take them) for the items; existing ones are left alone."""
    notes, mails = [], []
    with translation.override(settings.LANGUAGE_CODE):
        for it in items:
            step = step_title(it.flow_task)
            url = task_url(it.flow_task, it.process_id, it.task_id)
            notes.append(
                Notification(
                    recipient_id=it.recipient_id,
                    kind=it.kind,
                    task_id=it.task_id,
                    case_label=it.case[:300],
                    text=notification_text(it.kind, case=it.case, step=step, due=it.due, supervising=it.supervising)[
                        :500
                    ],
                    url=url,
                )
            )
            if it.email and it.email_enabled is not False:
                mails.append(
                    Delivery(
                        task_id=it.task_id,
                        recipient_id=it.recipient_id,
                        kind=it.kind,
                        to_email=it.email,
                        subject=mail_subject(it.kind, case=it.case, step=step)[:300],
                        body=mail_body(
                            it.kind, case=it.case, step=step, due=it.due, url=url, supervising=it.supervising
                        ),
                    )
                )
    Notification.objects.bulk_create(notes, batch_size=BULK_BATCH, ignore_conflicts=True)
    Delivery.objects.bulk_create(mails, batch_size=BULK_BATCH, ignore_conflicts=True)
    return len(notes), len(mails)


def on_task_created(task) -> None:
    """Called by the Task post_save receiver for a new human task: notify its actors once the step commits —
    through the Celery worker when a broker is configured (one message; the worker also sends the mails),
    else in this process."""
    task_id, flow_class = task.pk, task.flow_task.flow_class if task.flow_task else None
    if getattr(settings, "CELERY_BROKER_URL", ""):
        transaction.on_commit(lambda: queue_arrival(task_id))
    else:
        transaction.on_commit(lambda: notify_arrival(task_id, flow_class))


def queue_arrival(task_id: int) -> None:
    from .tasks import notify_arrival_task

    notify_arrival_task.delay(task_id)


def notify_arrival(task_id: int, flow_class=None, *, send=None) -> int:
    """Tell the actors of a task that it arrived (once); returns how many were told. Sends their mails
    (`send`, default `dispatch`). Given the task's `flow_class`, the task is read with its case and what the
    case's label needs in one query (`workflows.common.nodes.tasks_with_case`)."""
    if flow_class is None:
        tasks = Task.objects.select_related("process")
    else:
        from workflows.common.nodes import tasks_with_case

        tasks = tasks_with_case(flow_class)
    task = tasks.filter(pk=task_id, status__in=OPEN).first()
    if task is None or task.flow_task is None or task.flow_task_type != HUMAN:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        label = case_label(task.process)
    due = _parse_due(task.data)
    users = actors_of(task).values_list("pk", "email", "notification_preference__email_enabled")
    items = [
        Item(task.pk, task.process_id, task.flow_task, pk, email or "", enabled, Kind.ARRIVED, label, due)
        for pk, email, enabled in users
    ]
    _create(items)
    if items:
        (send or dispatch)(task_ids=[task.pk])
    return len(items)


def _open_with_due():
    return (
        Task.objects.filter(flow_task_type=HUMAN, status__in=OPEN)
        # Cast: the JSON key lookups would parse the compared ISO dates as JSON on SQLite.
        .annotate(due_text=Cast(KeyTextTransform("due", "data"), output_field=CharField()))
        .filter(due_text__isnull=False)
        .exclude(due_text="")
    )


def _told(kind: str, task_ref: str = "task_id", recipient_ref: str = "recipient_id"):
    return Exists(
        Notification.objects.filter(task_id=OuterRef(task_ref), recipient_id=OuterRef(recipient_ref), kind=kind)
    )


def _arrival_label():
    return Subquery(
        Notification.objects.filter(task_id=OuterRef("pk"), kind=Kind.ARRIVED).order_by("pk").values("case_label")[:1]
    )


def _reminder_items(tasks, kind: str) -> list[Item]:
    """Actor reminders of `kind` for the tasks queryset: arrival recipients (the owner only once held)."""
    told = (
        Notification.objects.filter(kind=Kind.ARRIVED, task__in=tasks, recipient__is_active=True)
        .filter(Q(task__owner__isnull=True) | Q(recipient_id=F("task__owner_id")))
        .exclude(_told(kind))
        .values_list(
            "task_id",
            "task__process_id",
            "task__flow_task",
            "recipient_id",
            "recipient__email",
            "recipient__notification_preference__email_enabled",
            "case_label",
            "task__data",
        )
    )
    items = {
        (t, r): Item(t, p, ft, r, email or "", enabled, kind, label, _parse_due(data))
        for t, p, ft, r, email, enabled, label, data in told
    }
    owners = (
        tasks.filter(owner__isnull=False, owner__is_active=True)
        .exclude(_told(kind, task_ref="pk", recipient_ref="owner_id"))
        .annotate(label=_arrival_label())
        .values_list(
            "pk",
            "process_id",
            "flow_task",
            "owner_id",
            "owner__email",
            "owner__notification_preference__email_enabled",
            "label",
            "data",
        )
    )
    for t, p, ft, r, email, enabled, label, data in owners:
        if (t, r) not in items:
            items[(t, r)] = Item(t, p, ft, r, email or "", enabled, kind, label or flow_title(ft), _parse_due(data))
    return list(items.values())


def officers_in_charge():
    """Active bureau users holding the personnel officer role."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.PERSONNEL_OFFICER, profile__organization__kind=OrgKind.BUREAU)
        .distinct()
    )


def _supervision_items(tasks, already: set[tuple[int, int]]) -> list[Item]:
    """Overdue notices to the officers in charge, for the overdue tasks they were not told of yet."""
    officers = list(officers_in_charge().values_list("pk", "email", "notification_preference__email_enabled"))
    if not officers:
        return []
    officer_ids = [o[0] for o in officers]
    done = set(
        Notification.objects.filter(kind=Kind.OVERDUE, task__in=tasks, recipient_id__in=officer_ids).values_list(
            "task_id", "recipient_id"
        )
    )
    rows = tasks.annotate(label=_arrival_label()).values_list("pk", "process_id", "flow_task", "label", "data")
    items = []
    for t, p, ft, label, data in rows:
        for pk, email, enabled in officers:
            if (t, pk) in done or (t, pk) in already:
                continue
            items.append(
                Item(t, p, ft, pk, email or "", enabled, Kind.OVERDUE, label or flow_title(ft), _parse_due(data), True)
            )
    return items


def scan(today: dt.date | None = None) -> ScanResult:
    """Create the due-soon and overdue notifications (and mails) that are due today; a constant number of
    queries whatever the number of tasks."""
    today = today or timezone.localdate()
    soon_until = add_workdays(today, 2, count_start=False).end
    result = ScanResult()
    open_tasks = _open_with_due()
    soon = open_tasks.filter(due_text__gte=today.isoformat(), due_text__lte=soon_until.isoformat())
    overdue = open_tasks.filter(due_text__lt=today.isoformat())
    result.created[Kind.DUE_SOON] = _create(_reminder_items(soon, Kind.DUE_SOON))[0]
    actor_items = _reminder_items(overdue, Kind.OVERDUE)
    officer_items = _supervision_items(overdue, {(i.task_id, i.recipient_id) for i in actor_items})
    result.created[Kind.OVERDUE] = _create(actor_items + officer_items)[0]
    return result


# ---- sending ------------------------------------------------------------------------------------------------


@dataclass
class SendResult:
    sent: int = 0
    failed: int = 0
    canceled: int = 0


def backoff(attempts: int) -> dt.timedelta:
    """5 minutes after the first failure, doubling, at most 6 hours."""
    return min(dt.timedelta(minutes=5) * (2 ** max(attempts - 1, 0)), dt.timedelta(hours=6))


def _sendable(now: dt.datetime) -> Q:
    pending = Q(status=DeliveryStatus.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    abandoned = Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
    return pending | abandoned


def send_pending(*, now: dt.datetime | None = None, limit: int = SEND_BATCH, task_ids=None) -> SendResult:
    """Send the outbox rows that are due (at most `limit`), each recorded as sent or failed."""
    now = now or timezone.now()
    result = SendResult()
    due = Delivery.objects.filter(_sendable(now))
    if task_ids is not None:
        due = due.filter(task_id__in=task_ids)
    ids = list(due.order_by("pk").values_list("pk", flat=True)[:limit])
    if not ids:
        return result
    token = uuid.uuid4().hex
    Delivery.objects.filter(_sendable(now), pk__in=ids).update(
        status=DeliveryStatus.SENDING, claim=token, claimed_at=now
    )
    rows = list(
        Delivery.objects.filter(claim=token, status=DeliveryStatus.SENDING).annotate(
            enabled=F("recipient__notification_preference__email_enabled")
        )
    )
    opted_out = [r.pk for r in rows if r.enabled is False]
    to_send = [r for r in rows if r.enabled is not False]
    sent, failed = [], []
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as exc:  # the server is down: every row waits for the next run
        logger.warning("mail server unavailable: %s", exc)
        failed = [(r, exc) for r in to_send]
        to_send = []
    for row in to_send:
        message = EmailMessage(
            row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.to_email], connection=connection
        )
        try:
            message.send(fail_silently=False)
        except Exception as exc:
            logger.warning("notification mail %s failed: %s", row.pk, exc)
            failed.append((row, exc))
        else:
            sent.append(row.pk)
    try:
        connection.close()
    except Exception:  # closing a broken connection must not lose the record of what was sent
        logger.warning("closing the mail connection failed", exc_info=True)
    if sent:
        Delivery.objects.filter(pk__in=sent).update(
            status=DeliveryStatus.SENT, sent_at=now, attempts=F("attempts") + 1, last_error="", claim=""
        )
    if opted_out:
        Delivery.objects.filter(pk__in=opted_out).update(status=DeliveryStatus.CANCELED, claim="")
    for row, exc in failed:
        row.attempts += 1
        row.last_error = (f"{type(exc).__name__}: {exc}")[:2000]
        row.status = DeliveryStatus.PENDING if row.attempts < MAX_ATTEMPTS else DeliveryStatus.FAILED
        row.next_attempt_at = now + backoff(row.attempts)
        row.claim = ""
    if failed:
        Delivery.objects.bulk_update(
            [r for r, _e in failed], ["attempts", "last_error", "status", "next_attempt_at", "claim"]
        )
    result.sent, result.failed, result.canceled = len(sent), len(failed), len(opted_out)
    return result


def dispatch(*, task_ids=None) -> None:
    """Send new mails now: through Celery when a broker is configured, else in-process when allowed."""
    if getattr(settings, "CELERY_BROKER_URL", ""):
        from .tasks import send_pending_task

        send_pending_task.delay(list(task_ids) if task_ids is not None else None)
    elif getattr(settings, "CADREFLOW_NOTIFY_INLINE", True):
        try:
            send_pending(task_ids=task_ids)
        except Exception:  # never let mail break the step that already committed
            logger.exception("sending notification mails failed")


def run(today: dt.date | None = None) -> tuple[ScanResult, SendResult]:
    """What the command and the beat task do: create the reminders due today, then send the outbox."""
    scanned = scan(today)
    return scanned, send_pending()


# ---- the reader's actions ---------------------------------------------------------------------------------


def notifications_of(user):
    """The user's own notifications, newest first (nobody reads another's)."""
    return Notification.objects.filter(recipient=user).order_by("-created", "-pk")


def mark_read(user, notification_id: int) -> Notification | None:
    """Mark one of the user's notifications read; None when it is not theirs (nothing written)."""
    note = notifications_of(user).filter(pk=notification_id).first()
    if note is None:
        return None
    if note.read_at is None:
        note.read_at = timezone.now()
        Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=note.read_at)
    return note


def mark_all_read(user) -> int:
    return notifications_of(user).filter(read_at__isnull=True).update(read_at=timezone.now())


def email_enabled(user) -> bool:
    from .models import NotificationPreference

    pref = NotificationPreference.objects.filter(user=user).values_list("email_enabled", flat=True).first()
    return pref is not False


def set_email_enabled(user, enabled: bool) -> None:
    """Turn the user's notification e-mail on or off; mails not yet sent are cancelled when they go out."""
    from .models import NotificationPreference

    NotificationPreference.objects.update_or_create(user=user, defaults={"email_enabled": bool(enabled)})
