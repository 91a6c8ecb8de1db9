"""Who sees which team: bureau users every school's team and the district overview; a school's party
secretary their own school's team. Anyone else — a teacher, a judge, another school's secretary — gets 404,
so the pages do not even confirm that a school exists."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from cadres import choices as c
from cadres.models import Organization
from cadres.roles import Role, has_role, is_bureau_user, profile_of


def own_school_id(user) -> int | None:
    """The school of a school-level party secretary (not a bureau user), else None."""
    if (
        not getattr(user, "is_authenticated", False)
        or is_bureau_user(user)
        or not has_role(user, Role.SCHOOL_SECRETARY)
    ):
        return None
    profile = profile_of(user)
    return profile.organization_id if profile else None


def may_open_teams(user) -> bool:
    return is_bureau_user(user) or own_school_id(user) is not None


def school_for(user, pk: int) -> Organization:
    """The school `pk` if the user may see its team, else Http404."""
    if not is_bureau_user(user) and own_school_id(user) != pk:
        raise Http404
    return get_object_or_404(Organization, pk=pk, kind=c.OrgKind.SCHOOL)


def require_bureau(user) -> None:
    if not is_bureau_user(user):
        raise Http404


def may_generate_document(user) -> bool:
    """Personnel officers and school secretaries make the 班子结构分析 (as they make other dossiers)."""
    return bool(getattr(user, "is_superuser", False) or has_role(user, Role.PERSONNEL_OFFICER, Role.SCHOOL_SECRETARY))
