"""A new human task gets its due date at once and notifies its actors after the step commits."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver
from viewflow.workflow.models import Task

from .deadlines import HUMAN, stamp_due
from .services import on_task_created


@receiver(post_save, sender=Task, dispatch_uid="notifications_task_created")
def task_created(sender, instance, created, raw=False, **kwargs):
    if not created or raw or instance.flow_task_type != HUMAN:
        return
    stamp_due(instance)
    on_task_created(instance)
