"""Reads of ethics cases, scoped: every list, page and API endpoint of the case goes through here.

Scope: bureau users (and superusers) see every case; a school-level user sees the cases of their own
school; a teacher with no other role sees only their own cases; an investigator also sees the cases they
were assigned to investigate. Anything else is absent (404, never 403, so that existence is not disclosed).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from cadres.roles import is_bureau_user, is_teacher_only, profile_of

from . import deadlines
from .models import EthicsCase

OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def cases_visible_to(user) -> QuerySet[EthicsCase]:
    qs = EthicsCase.objects.select_related("teacher", "organization", "authority")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_bureau_user(user):
        return qs
    profile = profile_of(user)
    mine = Q(investigator=user)
    if profile is not None and profile.person_id:
        mine |= Q(teacher_id=profile.person_id)
    if profile is not None and not is_teacher_only(user):
        mine |= Q(organization_id=profile.organization_id)
    return qs.filter(mine)


def case_visible(user, case: EthicsCase) -> bool:
    """`cases_visible_to(user)` asked of one case in hand, without a query (a step's scope check)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_bureau_user(user):
        return True
    if case.investigator_id is not None and case.investigator_id == user.pk:
        return True
    profile = profile_of(user)
    if profile is None:
        return False
    if profile.person_id and case.teacher_id == profile.person_id:
        return True
    return not is_teacher_only(user) and case.organization_id == profile.organization_id


def open_tasks(case: EthicsCase):
    """The case's unfinished human tasks, oldest first."""
    return case.task_set.filter(status__in=OPEN_STATUSES, flow_task_type="HUMAN").order_by("created")


def open_task(case_id: int, node):
    """The unfinished task of `node` in the case, or None."""
    from .flows import EthicsCaseFlow

    return (
        EthicsCaseFlow.task_class._default_manager.filter(process_id=case_id, flow_task=node, status__in=OPEN_STATUSES)
        .order_by("-created")
        .first()
    )


@dataclass(frozen=True)
class DeadlineLine:
    """One deadline as a page shows it."""

    label: str
    due: object
    state: str  # "open", "met", "late"
    note: str


def deadline_lines(case: EthicsCase, *, on=None) -> list[DeadlineLine]:
    """The case's review and appeal deadlines with what became of them, for the case pages."""
    on = on or timezone.localdate()
    lines = []

    def line(label, due, done_on, done_text):
        if due is None:
            return
        if done_on:
            state, note = ("met" if done_on <= due else "late"), done_text % {"d": deadlines.cn_date(done_on)}
        elif on > due:
            state, note = "late", _("已届满")
        else:
            state, note = "open", _("还有%(n)d天") % {"n": (due - on).days}
        lines.append(DeadlineLine(label, due, state, note))

    line(_("申请复核期限"), case.review_due, case.review_applied_on, _("%(d)s已申请"))
    line(_("复核答复期限"), case.review_answer_due, case.review_answered_on, _("%(d)s已答复"))
    line(_("提出申诉期限"), case.appeal_due, case.appeal_applied_on, _("%(d)s已申诉"))
    label = _("申诉处理期限（已延长）") if case.appeal_extended else _("申诉处理期限")
    line(label, case.appeal_decision_due, case.appeal_decided_on, _("%(d)s已处理"))
    return lines
