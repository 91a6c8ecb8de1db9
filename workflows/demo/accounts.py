"""The demo logins the journeys need beyond `load_demo_district`'s one per role: a second inspection-team
member (shortlisting needs two), more judges and teachers, each linked to a registry person; created once
(an existing username is left as it is), with the demo password."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from cadres import choices as c
from cadres.demo.loader import DEMO_PASSWORD, DEMO_USERNAMES
from cadres.models import Organization, Person, Profile
from cadres.roles import Role


@dataclass(frozen=True)
class ExtraAccount:
    username: str
    role: str
    where: str  # "bureau" or "first" (the first school)


EXTRA_ACCOUNTS = (
    ExtraAccount("inspector2", Role.INSPECTION_TEAM, "bureau"),
    ExtraAccount("judge2", Role.JUDGE, "first"),
    ExtraAccount("judge3", Role.JUDGE, "first"),
    ExtraAccount("teacher2", Role.TEACHER, "first"),
    ExtraAccount("teacher3", Role.TEACHER, "first"),
)
EXTRA_USERNAMES = tuple(a.username for a in EXTRA_ACCOUNTS)


def _free_people(unit: Organization, *, teachers: bool):
    """People of `unit` without a login and with no kin on the registry (so that no recusal surprises)."""
    qs = Person.objects.filter(organization=unit, profile__isnull=True, family__relative__isnull=True).exclude(
        pk__in=Person.objects.filter(family__relative__isnull=False).values("pk")
    )
    if teachers:
        qs = qs.filter(tenures__post__kind=c.PostKind.TEACHER, tenures__end_date__isnull=True)
    else:
        qs = qs.filter(tenures__post__name__contains="科员", tenures__end_date__isnull=True)
    return qs.distinct().order_by("pk")


def free_teachers(unit: Organization):
    """Teachers of `unit` without a login and without kin on the registry, in a stable order."""
    return _free_people(unit, teachers=True)


@functools.cache
def _demo_password_hash() -> str:
    """The demo password hashed once per load (hashing is slow by design; a local demo, not production)."""
    return make_password(DEMO_PASSWORD)


def ensure_login(username: str, role: str, unit: Organization, person: Person):
    """The login `username` for `person` (created once with the demo password; an existing one is kept)."""
    User = get_user_model()
    user = User.objects.filter(username=username).select_related("profile").first()
    if user is None:
        user = User.objects.create(username=username, password=_demo_password_hash(), first_name=person.name)
        user.groups.add(Group.objects.get(name=role))
        Profile.objects.create(user=user, organization=unit, person=person)
    return user


def ensure_accounts(bureau: Organization, first_school: Organization, *, teacher_ok=None) -> dict:
    """Every demo login by username (the district's and the extra ones), creating the extra ones once.

    `teacher_ok(person)` chooses the extra teachers (those who may register for the demo competitions).
    """
    User = get_user_model()
    existing = set(User.objects.filter(username__in=EXTRA_USERNAMES).values_list("username", flat=True))
    password = _demo_password_hash()
    for account in EXTRA_ACCOUNTS:
        if account.username in existing:
            continue
        unit = bureau if account.where == "bureau" else first_school
        candidates = _free_people(unit, teachers=account.where == "first")
        if account.role == Role.TEACHER and teacher_ok is not None:
            person = next(p for p in candidates.iterator() if teacher_ok(p))
        else:
            person = candidates.first()
        user = User.objects.create(username=account.username, password=password, first_name=person.name)
        user.groups.add(Group.objects.get(name=account.role))
        Profile.objects.create(user=user, organization=unit, person=person)
    names = (*DEMO_USERNAMES, *EXTRA_USERNAMES)
    return {u.username: u for u in User.objects.filter(username__in=names).select_related("profile")}
