"""Roles (DOMAIN §1) are Django groups; a user's unit comes from its Profile.

Bureau-level users (their unit is the bureau, or superusers) see the whole district; everybody else is a
school-level user and sees only their own school. A teacher with no other role sees only their own record.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PERSONNEL_OFFICER = "personnel_officer", _("组织人事科干部")
    INSPECTION_TEAM = "inspection_team", _("考察组成员")
    DISCIPLINE_INSPECTOR = "discipline_inspector", _("纪检监察人员")
    COMMITTEE_MEMBER = "committee_member", _("党委（工委）委员")
    COMMITTEE_SECRETARY = "committee_secretary", _("会议记录人")
    SCHOOL_SECRETARY = "school_secretary", _("学校党组织书记/校长")
    TEACHER = "teacher", _("教师")
    JUDGE = "judge", _("评委")


def roles_of(user) -> set[str]:
    """The role codes a user holds (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_cadreflow_roles", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        user._cadreflow_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def profile_of(user):
    """The user's Profile, or None (a superuser may have none)."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.profile
    except Exception:  # RelatedObjectDoesNotExist subclasses ObjectDoesNotExist
        return None


def organization_of(user):
    profile = profile_of(user)
    return profile.organization if profile else None


def is_bureau_user(user) -> bool:
    """True for superusers and for users whose unit is the bureau."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    org = organization_of(user)
    return bool(org and org.is_bureau)


def is_teacher_only(user) -> bool:
    """A teacher with no other role sees only their own record."""
    roles = roles_of(user)
    return not user.is_superuser and roles <= {Role.TEACHER, Role.JUDGE} and Role.TEACHER in roles
