"""Who acts on each step of a principal selection (DOMAIN §1, §3): bureau roles, the case's inspection team,
and never a candidate or a candidate's kin (回避). The policies are the flow's task nodes' (`CaseTask`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cadres.roles import Role
from workflows.common.policy import AllOf, BureauRole, Recusal, TaskPolicy, TeamMember

CANDIDATES = Recusal("candidates__person_id")

OFFICER = TaskPolicy(_("组织人事科干部"), BureauRole((Role.PERSONNEL_OFFICER,)), CANDIDATES)
INSPECTION_TEAM = TaskPolicy(
    _("本案考察组成员"), AllOf((BureauRole((Role.INSPECTION_TEAM,)), TeamMember("inspection_team"))), CANDIDATES
)
DISCIPLINE = TaskPolicy(_("纪检监察人员"), BureauRole((Role.DISCIPLINE_INSPECTOR,)), CANDIDATES)
INTEGRITY_SIGNOFF = TaskPolicy(
    _("党委（工委）委员或纪检监察人员"),
    BureauRole((Role.COMMITTEE_MEMBER, Role.DISCIPLINE_INSPECTOR)),
    CANDIDATES,
)
RECORDER = TaskPolicy(_("会议记录人"), BureauRole((Role.COMMITTEE_SECRETARY,)), CANDIDATES)
