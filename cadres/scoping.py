"""Object scope: which people, units and tenures a user may see. Every view, export, API and admin uses it."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Organization, Person, Post, Tenure
from .roles import is_bureau_user, is_teacher_only, profile_of


def people_visible_to(user, queryset: QuerySet[Person] | None = None) -> QuerySet[Person]:
    qs = Person.objects.all() if queryset is None else queryset
    if is_bureau_user(user):
        return qs
    profile = profile_of(user)
    if profile is None:
        return qs.none()
    if is_teacher_only(user):
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
