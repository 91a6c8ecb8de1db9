"""Who acts on each step of a competition and of a 能上能下 adjustment (DOMAIN §5).

School steps: the party secretary of the case's school (a bureau user is not the school); bureau steps: the
bureau's personnel officers; the adjustment's statement: the cadre concerned. Candidates of a competition and
the cadre of an adjustment, and their kin, never act on the case (回避) — except the cadre's own statement.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cadres.roles import Role
from workflows.common.policy import BureauRole, Recusal, SchoolRole, TaskPolicy, ThePerson

SCHOOL = SchoolRole((Role.SCHOOL_SECRETARY,))
BUREAU = BureauRole((Role.PERSONNEL_OFFICER,))

CANDIDATES = Recusal("registrations__person_id")
SCHOOL_STEP = TaskPolicy(_("本校党组织书记/校长"), SCHOOL, CANDIDATES)
BUREAU_STEP = TaskPolicy(_("教育局组织人事科干部"), BUREAU, CANDIDATES)

THE_CADRE = Recusal("tenure__person_id")
ADJUSTMENT_SCHOOL_STEP = TaskPolicy(_("本校党组织书记/校长"), SCHOOL, THE_CADRE)
ADJUSTMENT_BUREAU_STEP = TaskPolicy(_("教育局组织人事科干部"), BUREAU, THE_CADRE)
ADJUSTMENT_STATEMENT = TaskPolicy(_("被调整干部本人"), ThePerson("tenure__person_id"))
