"""Who may do what to a reserve entry (roles and scope); recusal is checked separately by the services.

- The bureau's personnel officer (组织人事科干部, a bureau-level user) nominates anyone, reviews, decides
  admission, use, renewal, the yearly review and removal.
- The bureau's inspection team (考察组) may also record the assessment.
- A school party secretary (学校党组织书记/校长) nominates teachers of their own school (学校党组织推荐),
  submits and withdraws their school's nominations before review, and records training of their school's
  reserves. Nothing else.

Each policy returns None when allowed, else the Chinese reason. `Policy` objects are also the django-fsm
`permission` of the model's transitions, so `has_transition_perm` gives the same answer.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.roles import Role, has_role, is_bureau_user, profile_of

from .choices import Origin, ReserveState


def is_officer(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or (is_bureau_user(user) and has_role(user, Role.PERSONNEL_OFFICER))


def is_bureau_inspector(user) -> bool:
    return is_bureau_user(user) and has_role(user, Role.INSPECTION_TEAM)


def secretary_school_id(user) -> int | None:
    """The school of a school-level party secretary, else None."""
    if not getattr(user, "is_authenticated", False) or is_bureau_user(user):
        return None
    if not has_role(user, Role.SCHOOL_SECRETARY):
        return None
    profile = profile_of(user)
    return profile.organization_id if profile else None


class Policy:
    """A rule on (entry, user) that answers with a reason; callable as a django-fsm permission."""

    def __init__(self, decide: Callable[[object, object], str | None]):
        self.decide = decide
        self.__name__ = decide.__name__

    def reason(self, entry, user) -> str | None:
        return self.decide(entry, user)

    def __call__(self, entry, user) -> bool:
        return self.decide(entry, user) is None


def _officer_only(message) -> Callable[[object, object], str | None]:
    def decide(entry, user):
        return None if is_officer(user) else str(message)

    return decide


def _submit(entry, user):
    if is_officer(user):
        return None
    school = secretary_school_id(user)
    if school is not None and school == entry.nominating_unit_id:
        return None
    return _("只有提名单位或教育局组织人事科可以提交审核。")


def _assess(entry, user):
    if is_officer(user) or is_bureau_inspector(user):
        return None
    return _("考察结果由教育局组织人事科或考察组录入。")


def _remove(entry, user):
    if is_officer(user):
        return None
    school = secretary_school_id(user)
    if school is not None and school == entry.nominating_unit_id and entry.state == ReserveState.NOMINATED:
        return None
    if school is not None:
        return _("学校只能撤回尚未提交审核的本校提名；撤销资格由教育局组织人事科决定。")
    return _("后备干部的入库、使用和动态管理由教育局组织人事科决定。")


SUBMIT = Policy(_submit)
REVIEW = Policy(_officer_only(gettext_lazy("资格审查由教育局组织人事科进行。")))
ASSESS = Policy(_assess)
DECIDE = Policy(_officer_only(gettext_lazy("后备干部的入库、使用和动态管理由教育局组织人事科决定。")))
REMOVE = Policy(_remove)


def training_refusal(entry, user) -> str | None:
    if is_officer(user):
        return None
    school = secretary_school_id(user)
    if school is not None and school == entry.person.organization_id:
        return None
    return _("只有教育局组织人事科或本校党组织书记可以登记后备干部培训。")


def nomination_refusal(user, *, person, origin: str, organization) -> str | None:
    """Why `user` may not nominate `person` with this origin for a post of `organization` (None: may)."""
    if is_officer(user):
        if origin == Origin.SCHOOL_PARTY:
            return _("“学校党组织推荐”须由该校党组织书记提出。")
        return None
    school = secretary_school_id(user)
    if school is None:
        return _("只有教育局组织人事科干部或学校党组织书记可以提名后备干部。")
    if origin != Origin.SCHOOL_PARTY:
        return _("学校党组织书记只能以“学校党组织推荐”方式提名。")
    if person.organization_id != school:
        return _("只能提名本校教职工：%(name)s不在本校。") % {"name": person.name}
    if organization.pk != school:
        return _("学校党组织只能提名本校职位的后备干部。")
    return None
