"""Who acts on each step of a competition and of a 能上能下 adjustment (DOMAIN §5).

School steps: the party secretary of the case's school (a bureau user is not the school); bureau steps: the
bureau's personnel officers; the adjustment's statement: the cadre concerned. Candidates of a competition and
the cadre of an adjustment, and their kin, never act on the case (回避) — except the cadre's own statement.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from cadres.models import Profile
from cadres.roles import Role
from workflows.common.policy import AllOf, AnyOf, BureauRole, CaseIs, Recusal, SchoolRole, TaskPolicy, ThePerson

SCHOOL = SchoolRole((Role.SCHOOL_SECRETARY,))
BUREAU = BureauRole((Role.PERSONNEL_OFFICER,))

CANDIDATES = Recusal("registrations__person_id")
SCHOOL_STEP = TaskPolicy(_("本校党组织书记/校长"), SCHOOL, CANDIDATES)
BUREAU_STEP = TaskPolicy(_("教育局组织人事科干部"), BUREAU, CANDIDATES)

THE_CADRE = Recusal("tenure__person_id")
ADJUSTMENT_SCHOOL_STEP = TaskPolicy(_("本校党组织书记/校长"), SCHOOL, THE_CADRE)
ADJUSTMENT_BUREAU_STEP = TaskPolicy(_("教育局组织人事科干部"), BUREAU, THE_CADRE)
# 本人陈述: the cadre's own task when they have an active login; without one, the bureau's personnel officer
# records the statement on their behalf (代为录入, `adjustment.adjustment_statement`). No recusal: it is the
# cadre's own step.
_CADRE_HAS_ACCOUNT = Q(Exists(Profile.objects.filter(person_id=OuterRef("tenure__person_id"), user__is_active=True)))


def _cadre_has_account(case) -> bool:
    """Asked once per case object: a case page asks it for the actors, the step's link and each check."""
    kept = case.__dict__.get("_cadreflow_cadre_has_account")
    if kept is None:
        kept = bool(case.tenure_id) and (
            Profile.objects.filter(person_id=case.tenure.person_id, user__is_active=True).exists()
        )
        case.__dict__["_cadreflow_cadre_has_account"] = kept
    return kept


ADJUSTMENT_STATEMENT = TaskPolicy(
    _("被调整干部本人（无账号时由组织人事科干部代为录入）"),
    AnyOf(
        (
            AllOf((CaseIs(_CADRE_HAS_ACCOUNT, _cadre_has_account), ThePerson("tenure__person_id"))),
            AllOf((CaseIs(~_CADRE_HAS_ACCOUNT, lambda case: not _cadre_has_account(case), common=True), BUREAU)),
        )
    ),
)
