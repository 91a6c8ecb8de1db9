"""Celery tasks, used only when a broker is configured (CELERY_BROKER_URL); the beat schedule in settings runs
`send_notifications_task` every 5 minutes."""

from celery import shared_task

from . import services


@shared_task
def send_notifications_task() -> dict:
    scanned, sent = services.run()
    return {"created": scanned.created, "sent": sent.sent, "failed": sent.failed}


@shared_task
def send_pending_task(task_ids=None) -> int:
    return services.send_pending(task_ids=task_ids).sent


@shared_task
def notify_arrival_task(task_id: int) -> int:
    """A new task's arrival notifications, queued by the step after it committed; its mails sent here."""
    return services.notify_arrival(task_id, send=services.send_pending)
