"""A new human task gets its due date with its INSERT and notifies its actors after the step commits."""

from __future__ import annotations

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from viewflow.workflow.models import Task

from .deadlines import HUMAN, set_due, stamp_due
from .services import on_task_created


@receiver(pre_save, sender=Task, dispatch_uid="notifications_task_due")
def task_due(sender, instance, raw=False, **kwargs):
    if instance._state.adding and not raw:
        set_due(instance)


@receiver(post_save, sender=Task, dispatch_uid="notifications_task_created")
def task_created(sender, instance, created, raw=False, **kwargs):
    if not created or raw or instance.flow_task_type != HUMAN:
        return
    stamp_due(instance)  # nothing to do when pre_save set it (a task saved with an explicit pk, say)
    on_task_created(instance)
