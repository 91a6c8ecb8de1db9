"""The users list: filtered, counted and paged in the database; roles read once per page."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Prefetch, Q, QuerySet

from ..roles import Role


def users_queryset() -> QuerySet:
    """Every login with its profile, unit and person joined, roles prefetched (`cf_roles`), by unit then name."""
    User = get_user_model()
    return (
        User.objects.select_related("profile__organization", "profile__person__organization")
        .prefetch_related(
            Prefetch("groups", queryset=Group.objects.filter(name__in=Role.values).order_by("name"), to_attr="cf_roles")
        )
        .order_by("profile__organization__code", "profile__person__name", "username")
    )


def user_list(*, organization=None, role: str | None = None, active: bool | None = None, query: str | None = None):
    qs = users_queryset()
    if organization is not None:
        qs = qs.filter(profile__organization=organization)
    if role:
        qs = qs.filter(groups__name=role)
    if active is not None:
        qs = qs.filter(is_active=active)
    if query:
        qs = qs.filter(
            Q(profile__person__name__contains=query) | Q(first_name__contains=query) | Q(username__icontains=query)
        )
    return qs


def role_labels(user) -> list[str]:
    labels = dict(Role.choices)
    return [str(labels[g.name]) for g in getattr(user, "cf_roles", [])]
