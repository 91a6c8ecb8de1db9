"""Case-level actions outside the graph's own steps: reassign a task, 退回 to an earlier step, cancel.

Each runs under the flow lock, in one transaction, and writes one audit event with its reason.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from viewflow.workflow.status import STATUS

from audit.services import record_event

from .models import CaseState, CheckRecord
from .selectors import open_tasks

SEND_BACK_TARGETS = ("recommend", "shortlist")


def _flow():
    from .flows import PrincipalSelectionFlow

    return PrincipalSelectionFlow


def _need_reason(reason: str):
    if not reason.strip():
        raise ValidationError("须写明理由。", code="reason")


def task_reassign(*, case, acting_user, task_id: int, user, reason: str):
    """Give an open human task to `user`, who must be allowed to act on it (role, scope, recusal)."""
    _need_reason(reason)
    with _flow().lock(case.pk), transaction.atomic():
        task = open_tasks(case).filter(pk=task_id, flow_task_type="HUMAN").first()
        if task is None:
            raise ValidationError("任务不存在或已完成。", code="no_task")
        node = task.flow_task
        if not node.may_act(user, case):
            raise ValidationError("该用户无权办理此任务（角色、范围或回避）。", code="not_allowed")
        before = task.owner.get_username() if task.owner_id else ""
        task.owner, task.status = user, STATUS.ASSIGNED
        task.save(update_fields=["owner", "status"])
        record_event(
            actor=acting_user,
            action="principal_selection.reassign",
            obj=case,
            from_state=before,
            to_state=user.get_username(),
            reason=reason,
            payload={"task": task.pk, "step": node.name},
        )


def case_send_back(*, case, acting_user, target: str, reason: str):
    """退回: cancel every open task and reopen `target` (an earlier step on the main line).

    The inspection, the four musts and the signatures are cleared, to be done again after the new step.
    """
    _need_reason(reason)
    if target not in SEND_BACK_TARGETS:
        raise ValidationError("只能退回至民主推荐或确定考察对象环节。", code="target")
    flow_class = _flow()
    with flow_class.lock(case.pk), transaction.atomic():
        tasks = list(open_tasks(case))
        if not tasks:
            raise ValidationError("本案没有待办环节，不能退回。", code="no_task")
        steps = [t.flow_task.name for t in tasks]
        if target in steps:
            raise ValidationError("本案正处于该环节。", code="same_step")
        last = tasks[-1]
        for task in tasks:
            task.status, task.finished = STATUS.CANCELED, task.finished or task.created
            task.save(update_fields=["status", "finished"])
        node = getattr(flow_class, target)
        prev = last.flow_task.activation_class(last)
        new = node._create(prev, last.token.get_base_split_token() if last.token.is_split_token() else last.token)
        new.activate()
        # Later steps are done again: their records go (the audit chain keeps what they said).
        cleared = {
            "signatures": case.signatures.all().delete()[0],
            "checks": CheckRecord.objects.filter(candidate__case=case).delete()[0],
            "inspections": case.candidates.exclude(talks=None).update(talks=None, evaluation={}, report={}),
        }
        case.move_to(CaseState.PROPOSED if target == "recommend" else CaseState.RECOMMENDED)
        case.save(update_fields=["state"])
        record_event(
            actor=acting_user,
            action="principal_selection.send_back",
            obj=case,
            from_state=",".join(steps),
            to_state=target,
            reason=reason,
            payload={"cancelled_tasks": [t.pk for t in tasks], "new_task": new.task.pk, "cleared": cleared},
        )


def case_cancel(*, case, acting_user, reason: str):
    """Cancel the whole case with a reason: open tasks cancelled, process cancelled, state 已撤销."""
    _need_reason(reason)
    flow_class = _flow()
    with flow_class.lock(case.pk), transaction.atomic():
        before = case.state
        flow_class.instance.cancel(case)
        case.refresh_from_db()
        case.move_to(CaseState.CANCELLED)
        case.closing_reason = reason
        case.save(update_fields=["state", "closing_reason"])
        record_event(
            actor=acting_user,
            action="principal_selection.cancel",
            obj=case,
            from_state=before,
            to_state=case.state,
            reason=reason,
        )
