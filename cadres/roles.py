"""Roles (DOMAIN §1) are Django groups; a user's unit comes from its Profile.

Three scopes, decided here and read by `cadres.scoping`:
- superusers, and bureau users (unit is the bureau) who hold a role other than teacher/judge, see the district;
- a user who sees only their own record (`sees_only_own_record`): every role they hold is teacher or judge,
  or they hold no CadreFlow role at all and are not in the bureau;
- everybody else is a school-level user and sees their own school.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .kept_sql import kept_query


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
        cached = set(kept_query(("roles_of",), _role_names, user.pk))  # every page asks: compiled once
        user._cadreflow_roles = cached
    return cached


def _role_names(user_pk):
    from django.contrib.auth.models import Group

    return Group.objects.filter(user__id=user_pk, name__in=Role.values).values_list("name", flat=True)


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


OWN_RECORD_ROLES = frozenset({Role.TEACHER, Role.JUDGE})


def _in_bureau_unit(user) -> bool:
    org = organization_of(user)
    return bool(org and org.is_bureau)


def sees_only_own_record(user) -> bool:
    """True for a user who may see only their own person record (and nobody else's ID number or family).

    Decision (issue 12): a user whose roles are all within {teacher, judge} — a teacher, a judge, or both —
    sees only their own record, whatever their unit: a judge marks competitions and needs no colleague's
    file, and a teacher-judge placed in the bureau's unit is no bureau officer. A user with no CadreFlow
    role at all sees only their own record too, unless their unit is the bureau (a bureau user without a
    role keeps the district view, as before). Superusers never.
    """
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return False
    roles = roles_of(user)
    if roles:
        return roles <= OWN_RECORD_ROLES
    return not _in_bureau_unit(user)


# The name the registry and the ethics pages have always used; same rule.
is_teacher_only = sees_only_own_record


def is_bureau_user(user) -> bool:
    """True for superusers, and for users of the bureau's unit who do not see only their own record."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return _in_bureau_unit(user) and not sees_only_own_record(user)


def shown_name(user) -> str:
    """How a user is named on a page: their registry person's name, else their full name, else "工作人员";
    never a user name (pages and notifications name people; only the users page shows logins)."""
    from django.utils.translation import gettext as _

    if user is None:
        return _("系统")
    profile = profile_of(user)
    person = getattr(profile, "person", None) if profile else None
    if person is not None and person.name:
        return person.name
    full = user.get_full_name().strip() if hasattr(user, "get_full_name") else ""
    return full or _("工作人员")
