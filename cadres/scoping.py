"""Object scope: which people, units and tenures a user may see. Every view, export, API and admin uses it.

People: superusers and bureau users see the district; a user who sees only their own record
(`cadres.roles.sees_only_own_record`: roles only within teacher/judge, or no role outside the bureau) sees
exactly their linked person, or nobody when the profile has none; everybody else sees their own school.
Anonymous users and users without a profile see nobody.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Organization, Person, Post, Tenure
from .roles import is_bureau_user, profile_of, sees_only_own_record


def scope_key(user) -> tuple:
    """Everything `people_visible_to` and `organizations_visible_to` read of the user: equal keys, equal scope
    (the key of SQL kept per kind of user, `cadres.kept_sql`)."""
    profile = profile_of(user)
    return (
        is_bureau_user(user),
        sees_only_own_record(user),
        getattr(profile, "organization_id", None),
        getattr(profile, "person_id", None),
    )


def people_visible_to(user, queryset: QuerySet[Person] | None = None) -> QuerySet[Person]:
    qs = Person.objects.all() if queryset is None else queryset
    if is_bureau_user(user):
        return qs
    profile = profile_of(user)
    if profile is None:
        return qs.none()
    if sees_only_own_record(user):
        return qs.filter(pk=profile.person_id) if profile.person_id else qs.none()
    return qs.filter(organization_id=profile.organization_id)


def organizations_visible_to(user) -> QuerySet[Organization]:
    if is_bureau_user(user):
        return Organization.objects.all()
    profile = profile_of(user)
    if profile is None:
        return Organization.objects.none()
    return Organization.objects.filter(pk=profile.organization_id)


def posts_visible_to(user) -> QuerySet[Post]:
    return Post.objects.filter(organization__in=organizations_visible_to(user))


def tenures_visible_to(user) -> QuerySet[Tenure]:
    return Tenure.objects.filter(person__in=people_visible_to(user))


def can_see_person(user, person: Person) -> bool:
    return people_visible_to(user).filter(pk=person.pk).exists()
