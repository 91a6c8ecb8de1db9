"""Who may act on each step of an ethics case: role, scope and recusal, as small predicates.

The flow's task nodes use them to offer a task (`can_assign`/`can_execute`), the services use them to
refuse an action with a reason. One table, `STEP_ACTORS`, says who acts on which step:

- a school party secretary reports cases on their own school's teachers and proposes the sanction;
- a personnel officer of the bureau reports, assigns the investigator, answers reviews, and decides for
  public schools (for private schools the school's secretary decides and files with the bureau);
- the investigator is a discipline inspector or inspection-team member chosen by the officer, from the
  bureau or the case's school;
- the teacher (their login's Profile names them) acts on their statement, review and appeal;
- the appeal is decided by a committee member of the bureau or a superuser, standing in for the next
  higher administrative department (a simplification: the district system has no user of that body).

Nobody but the teacher acts on their own case, and no kin of the teacher acts on it at all (回避).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cadres.choices import Ownership
from cadres.models import Organization
from cadres.recusal import recusal_reason
from cadres.roles import Role, has_role, is_bureau_user, profile_of
from workflows.common.policy import (
    AllOf,
    Among,
    AnyOf,
    BureauRole,
    CaseIs,
    NamedUser,
    Recusal,
    SchoolRole,
    TaskPolicy,
    ThePerson,
)

INVESTIGATOR_ROLES = (Role.DISCIPLINE_INSPECTOR, Role.INSPECTION_TEAM)


def _org_id(user):
    profile = profile_of(user)
    return profile.organization_id if profile else None


def is_bureau_officer(user, case=None) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or (has_role(user, Role.PERSONNEL_OFFICER) and is_bureau_user(user))


def is_school_secretary(user, case) -> bool:
    """The party secretary (or principal) of the case's school."""
    return has_role(user, Role.SCHOOL_SECRETARY) and _org_id(user) == case.organization_id


def is_deciding_authority(user, case) -> bool:
    """The school for a private school, the bureau's personnel officers for a public one (2018 办法 第七条)."""
    return is_school_secretary(user, case) if case.is_private_school else is_bureau_officer(user)


def is_the_teacher(user, case) -> bool:
    profile = profile_of(user)
    return bool(profile and profile.person_id and profile.person_id == case.teacher_id)


def is_investigator(user, case) -> bool:
    return bool(getattr(user, "pk", None)) and case.investigator_id == user.pk


def is_appeal_body(user, case=None) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or (has_role(user, Role.COMMITTEE_MEMBER) and is_bureau_user(user))


def may_report(user) -> bool:
    """Bureau personnel officers (the district) and school secretaries (their school)."""
    return is_bureau_officer(user) or (has_role(user, Role.SCHOOL_SECRETARY) and _org_id(user) is not None)


def may_investigate(user, case) -> bool:
    """A discipline inspector or inspection-team member of the bureau or of the case's school."""
    if not has_role(user, *INVESTIGATOR_ROLES):
        return False
    return is_bureau_user(user) or _org_id(user) == case.organization_id


# The steps' policies, built from the shared rules so that the inbox finds in the database what the task
# page allows (`workflows.common.policy`). The predicates above stay for pages that are not tasks.
_PRIVATE = Q(Among("organization_id", Organization.objects.filter(ownership=Ownership.PRIVATE).values("pk")))
BUREAU_OFFICER = BureauRole((Role.PERSONNEL_OFFICER,), superusers=True)
SCHOOL_SECRETARY = SchoolRole((Role.SCHOOL_SECRETARY,), bureau_too=True)
DECIDING_AUTHORITY = AnyOf(
    (
        AllOf((CaseIs(_PRIVATE, lambda case: case.is_private_school), SCHOOL_SECRETARY)),
        AllOf((CaseIs(~_PRIVATE, lambda case: not case.is_private_school, common=True), BUREAU_OFFICER)),
    )
)
THE_TEACHER = ThePerson("teacher_id")
INVESTIGATOR = NamedUser("investigator")
APPEAL_BODY = BureauRole((Role.COMMITTEE_MEMBER,), superusers=True)
TEACHER_RECUSAL = Recusal("teacher_id")


def _policy(label, rule, *, recuse: bool = True) -> TaskPolicy:
    return TaskPolicy(label, rule, TEACHER_RECUSAL if recuse else None)


STEP_ACTORS: dict[str, TaskPolicy] = {
    "assign_investigator": _policy(_("教育局组织人事科干部"), BUREAU_OFFICER),
    "investigate": _policy(_("本案指定的调查人员"), INVESTIGATOR),
    "statement": _policy(_("当事教师本人"), THE_TEACHER, recuse=False),
    "hearing": _policy(_("本案的处理决定机关"), DECIDING_AUTHORITY),
    "propose": _policy(_("当事教师所在学校的党组织书记/校长"), SCHOOL_SECRETARY),
    "decide": _policy(_("本案的处理决定机关"), DECIDING_AUTHORITY),
    "apply_review": _policy(_("当事教师本人"), THE_TEACHER, recuse=False),
    "answer_review": _policy(_("教育局组织人事科干部"), BUREAU_OFFICER),
    "apply_appeal": _policy(_("当事教师本人"), THE_TEACHER, recuse=False),
    "extend_appeal": _policy(_("申诉受理机关"), APPEAL_BODY),
    "decide_appeal": _policy(_("申诉受理机关"), APPEAL_BODY),
}


def step_recusal(user, case, step: str) -> str | None:
    """Why `user` must stay out of `step` of `case` (回避), or None."""
    if STEP_ACTORS[step].recusal is None:
        return None
    return recusal_reason(user, case.teacher)


def may_act(user, case, step: str) -> bool:
    """The role and scope of `step` hold for `user`, and no recusal applies (no side effects)."""
    return STEP_ACTORS[step].allows(user, case)


def may_read_evidence(user, case) -> bool:
    """Who may open the case's evidence files (调查材料), given that the user already sees the case.

    Evidence is investigation material, so fewer people read it than see the case page:
    - the bureau's personnel officers (they assign, hear, decide and answer reviews) and discipline
      inspectors (纪检监察, who oversee the investigation), and superusers;
    - the case's investigator;
    - the party secretary/principal of the case's school (proposes the sanction; decides for a private
      school);
    - the appeal body, once the teacher has appealed;
    - the teacher concerned, who is told the facts and grounds and heard before any decision (陈述和申辩,
      2018 办法) and may seek review and appeal — the case panel on their "my cases" page lists it.
    Kin of the teacher never read it (回避), whatever their role; other bureau or school users who see the
    case (inspection-team members not assigned to it, committee secretaries, judges) do not.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if is_the_teacher(user, case):
        return True
    allowed = (
        user.is_superuser
        or is_bureau_officer(user)
        or (has_role(user, Role.DISCIPLINE_INSPECTOR) and is_bureau_user(user))
        or is_investigator(user, case)
        or is_school_secretary(user, case)
        or (case.appeal_applied_on is not None and is_appeal_body(user))
    )
    return allowed and recusal_reason(user, case.teacher) is None
