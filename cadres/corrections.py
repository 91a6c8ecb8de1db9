"""Registry corrections as proposals: a step that finds the record wrong proposes, an officer confirms.

档案必审 (三龄两历一身份) finds, field by field, where the dossier and the registry differ (出生年月,
参加工作时间, 入党时间). It does not write the person: it records one `RegistryCorrection` per differing
field (old → new, its source and reason). A personnel officer of the bureau confirms one — it is applied
in one transaction and audited — or rejects it with a reason. A birth month that contradicts the birth
date the ID number encodes (`cadres.idcard`, the one parser) is refused when proposed and when confirmed.

Decisions:
- a newer proposal for the same person and field replaces a pending older one ("superseded"): the latest
  review is the one to confirm;
- a confirmation is refused ("stale") when the registry no longer holds the proposal's old value (someone
  changed the record since): the proposal must be made again against the current record;
- only the bureau's personnel officers (and superusers) confirm, for people in their scope, never their
  own record or a relative's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from audit.services import record_event

from .idcard import IdCardError, parse_id_number
from .models import Person, RegistryCorrection
from .recusal import recusal_reason
from .refusals import Refusal
from .roles import Role, has_role, is_bureau_user
from .scoping import people_visible_to

Field = RegistryCorrection.Field
Status = RegistryCorrection.Status


class CorrectionRefused(Refusal):
    """A correction that may not be proposed, confirmed or rejected; the message says why."""


@dataclass(frozen=True)
class Difference:
    field: str
    label: str
    old: dt.date | None
    new: dt.date


def _current(person: Person, field: str) -> dt.date | None:
    return person.birth_month if field == Field.BIRTH_MONTH else getattr(person, field)


def differences(person: Person, proposed: dict[str, dt.date | None]) -> list[Difference]:
    """The fields of `proposed` (field → value; None = not found in the dossier) that differ from the record."""
    out = []
    for field in Field.values:
        new = proposed.get(field)
        if new is None:
            continue
        if field == Field.BIRTH_MONTH:
            new = new.replace(day=1)
        old = _current(person, field)
        if old != new:
            out.append(Difference(field, str(Field(field).label), old, new))
    return out


def id_card_conflict(person: Person, field: str, value: dt.date) -> str | None:
    """Why `value` may not be `person`'s `field` because the ID number says otherwise, or None."""
    if field != Field.BIRTH_MONTH or not person.id_number:
        return None
    try:
        born = parse_id_number(person.id_number).birth_date
    except IdCardError:
        return None
    if (born.year, born.month) == (value.year, value.month):
        return None
    return _(
        "%(name)s的出生年月拟更正为%(new)s，与身份证号记载的出生日期（%(born)s）不一致，不能更正；请先核实身份证信息。"
    ) % {"name": person.name, "new": value.strftime("%Y.%m"), "born": born.strftime("%Y年%m月%d日")}


def _refuse_id_conflicts(person: Person, diffs: list[Difference]) -> None:
    for diff in diffs:
        reason = id_card_conflict(person, diff.field, diff.new)
        if reason:
            raise CorrectionRefused(reason, "contradicts_id_card", {"field": diff.field})


@transaction.atomic
def corrections_propose(
    *, person: Person, proposed: dict, acting_user, source: str, reason: str = ""
) -> list[RegistryCorrection]:
    """Record one pending proposal per field of `proposed` that differs from the record; write nothing to
    the person. Refuses ("contradicts_id_card") a birth month the ID number contradicts."""
    diffs = differences(person, proposed)
    _refuse_id_conflicts(person, diffs)
    made = []
    for diff in diffs:
        RegistryCorrection.objects.filter(person=person, field=diff.field, status=Status.PENDING).update(
            status=Status.SUPERSEDED
        )
        correction = RegistryCorrection.objects.create(
            person=person,
            field=diff.field,
            old_value=diff.old,
            new_value=diff.new,
            source=source,
            reason=reason,
            proposed_by=acting_user,
        )
        record_event(
            actor=acting_user,
            action="registry_correction.proposed",
            obj=person,
            reason=reason,
            payload={"field": diff.label, "old": diff.old, "new": diff.new, "source": source},
        )
        made.append(correction)
    return made


def may_decide(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_superuser or (is_bureau_user(user) and has_role(user, Role.PERSONNEL_OFFICER)))
    )


def pending_for(user):
    """The pending proposals `user` may decide (people in scope), newest first; empty for anyone else."""
    if not may_decide(user):
        return RegistryCorrection.objects.none()
    return (
        RegistryCorrection.objects.filter(status=Status.PENDING, person__in=people_visible_to(user))
        .select_related("person__organization", "proposed_by")
        .order_by("-proposed_at", "-pk")
    )


def _locked_pending(correction: RegistryCorrection, acting_user) -> RegistryCorrection:
    if not may_decide(acting_user):
        raise CorrectionRefused(_l("只有教育局组织人事科干部可以确认或退回信息更正。"), "not_allowed")
    locked = (
        RegistryCorrection.objects.select_for_update()
        .select_related("person")
        .filter(pk=correction.pk, person__in=people_visible_to(acting_user))
        .first()
    )
    if locked is None:
        raise CorrectionRefused(_l("该更正建议不在您的管理范围内。"), "out_of_scope")
    if locked.status != Status.PENDING:
        raise CorrectionRefused(
            _l("该更正建议已处理（%(status)s），不能重复处理。"), "decided", {"status": locked.get_status_display()}
        )
    recused = recusal_reason(acting_user, locked.person)
    if recused:
        raise CorrectionRefused(recused, "recused")
    return locked


@transaction.atomic
def correction_confirm(*, correction: RegistryCorrection, acting_user) -> RegistryCorrection:
    """Apply the correction to the record and audit it. Refuses ("stale") when the record has changed since
    the proposal, ("contradicts_id_card") a birth month the ID number contradicts."""
    correction = _locked_pending(correction, acting_user)
    person = Person.objects.select_for_update().get(pk=correction.person_id)
    if _current(person, correction.field) != correction.old_value:
        raise CorrectionRefused(
            _l("%(name)s的%(field)s已被修改，与更正建议的原记载不符，请重新审核后再提出。"),
            "stale",
            {"name": person.name, "field": correction.get_field_display()},
        )
    _refuse_id_conflicts(
        person, [Difference(correction.field, correction.get_field_display(), None, correction.new_value)]
    )
    setattr(person, correction.field, correction.new_value)
    person.save(update_fields=[correction.field, "updated_at"])
    correction.status, correction.decided_by, correction.decided_at = Status.CONFIRMED, acting_user, timezone.now()
    correction.save(update_fields=["status", "decided_by", "decided_at"])
    record_event(
        actor=acting_user,
        action="registry_correction.confirmed",
        obj=person,
        reason=correction.reason,
        payload={
            "field": correction.get_field_display(),
            "old": correction.old_value,
            "new": correction.new_value,
            "source": correction.source,
        },
    )
    return correction


@transaction.atomic
def correction_reject(*, correction: RegistryCorrection, acting_user, reason: str) -> RegistryCorrection:
    """Keep the record as it is; the proposal is closed with the officer's reason (required)."""
    if not (reason or "").strip():
        raise CorrectionRefused(_l("退回须写明理由。"), "reason_required")
    correction = _locked_pending(correction, acting_user)
    correction.status, correction.decided_by, correction.decided_at = Status.REJECTED, acting_user, timezone.now()
    correction.decision_reason = reason.strip()
    correction.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    record_event(
        actor=acting_user,
        action="registry_correction.rejected",
        obj=correction.person,
        reason=correction.decision_reason,
        payload={
            "field": correction.get_field_display(),
            "old": correction.old_value,
            "new": correction.new_value,
            "source": correction.source,
        },
    )
    return correction
