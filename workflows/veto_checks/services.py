"""Submitting a list check: answer it, keep it, audit it, and have its 校验结果 PDF rendered after commit."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from cadres.choices import OrgKind
from cadres.ethics.list_check import (
    LIST_PURPOSES,
    RowProblem,
    audit_payload,
    blocked_first,
    check_list,
    check_scope,
)
from cadres.models import Organization
from cadres.refusals import Refusal
from cadres.roles import organization_of
from dossiers.content.veto_check import build_veto_check
from dossiers.kinds import DossierKind
from dossiers.services import dossier_generate

from .models import VetoCheck


class VetoCheckError(Refusal, ValueError):
    """A check that cannot be made; the message (Chinese) says why."""


def unit_of(user) -> Organization:
    """The unit a check is filed under: the user's own, or the bureau for a superuser without a profile."""
    org = organization_of(user)
    if org is None:
        org = Organization.objects.filter(kind=OrgKind.BUREAU).order_by("pk").first()
    if org is None:
        raise VetoCheckError(_("找不到您的所在单位，无法保存校验结果。"), "no_unit")
    return org


def visible_checks(user):
    """Checks a user may reopen: all for bureau officers, their own school's for a school secretary."""
    scope = check_scope(user)
    if scope is None:
        return VetoCheck.objects.none()
    qs = VetoCheck.objects.select_related("submitted_by", "organization", "document")
    org = organization_of(user)
    if user.is_superuser or (org is not None and org.is_bureau):
        return qs
    return qs.filter(organization=org)


def document_input(check: VetoCheck) -> dict:
    """The builder input of the check's 一票否决校验结果 (from the stored standings, never re-read)."""
    user = check.submitted_by
    return {
        "issuer": check.organization.name,
        "purpose_label": str(LIST_PURPOSES[check.purpose]),
        "on": check.on.isoformat(),
        "submitted_by": user.get_full_name() or user.get_username(),
        "date": timezone.localdate(check.submitted_at).isoformat(),
        "registration": check.purpose == "teacher_registration",
        "rows": [
            {
                "name": s["name"],
                "unit": s["unit"],
                "id_tail": s["id_tail"],
                "standing": s["outcome_label"],
                "blocked": s["blocked"],
                "reason": s["reason_text"],
                "until": s["until_text"],
            }
            for s in check.standings
        ],
        "problems": [{k: v for k, v in p.items() if v not in (None, "")} for p in check.problems],
    }


@transaction.atomic
def veto_check_submit(
    *, acting_user, purpose: str, on: dt.date, people, source: str, problems: list[RowProblem] = ()
) -> VetoCheck:
    """Check `people` for `purpose` on `on`, store the standings as they are now, write one audit event
    (`veto_list_checked`, see `cadres.ethics.list_check.audit_payload`) and ask for the PDF, rendered after
    commit. People outside the user's scope are refused (PermissionDenied): the views only pass people they
    matched within it. Raises VetoCheckError for an empty list or an unknown purpose."""
    scope = check_scope(acting_user)
    if scope is None:
        raise PermissionDenied(_("无权校验名单。"))
    if purpose not in LIST_PURPOSES:
        raise VetoCheckError(_("请选择校验事项。"), "no_purpose")
    people = list(people)
    if not people:
        raise VetoCheckError(_("名单中没有可校验的人员。"), "no_people")
    ids = [p.pk for p in people]
    if scope.filter(pk__in=ids).count() != len(set(ids)):
        raise PermissionDenied(_("名单中有您无权校验的人员。"))
    standings = blocked_first(check_list(people, purpose=purpose, on=on))
    organization = unit_of(acting_user)
    check = VetoCheck.objects.create(
        purpose=purpose,
        on=on,
        source=source,
        submitted_by=acting_user,
        organization=organization,
        people=ids,
        standings=[s.as_data() for s in standings],
        problems=[p.as_data() for p in problems],
        total=len(standings),
        blocked=sum(1 for s in standings if s.blocked),
    )
    record_event(
        actor=acting_user,
        action="veto_list_checked",
        obj=check,
        payload={**audit_payload(standings, purpose=purpose, on=on, source=source), "problems": len(problems)},
    )
    check.document = dossier_generate(
        kind=DossierKind.VETO_CHECK,
        content=build_veto_check(**document_input(check)),
        acting_user=acting_user,
        organization=organization,
        title=_("一票否决校验结果（%(p)s，%(d)s）") % {"p": LIST_PURPOSES[purpose], "d": on.isoformat()},
        process_ref=f"veto_check:{check.pk}",
        step="result",
    )
    check.save(update_fields=["document"])
    return check
