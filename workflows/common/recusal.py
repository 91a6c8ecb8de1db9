"""Automatic recusal (DOMAIN §7): who must step aside for which candidates, recorded as audit events.

Wraps `cadres.recusal` for groups of people: a member, scorer or inspector never acts on themself or
their kin, and every exclusion is written to the audit chain with its reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation

from audit.services import record_event
from cadres.recusal import kin_ids, person_recusal_reason
from cadres.roles import profile_of


@dataclass(frozen=True)
class Exclusion:
    user_id: int
    user_name: str
    person_id: int
    person_name: str
    reason: str


def _display(user) -> str:
    profile = profile_of(user)
    if profile is not None and profile.person_id:
        return profile.person.name
    return user.get_full_name() or user.get_username()


def exclusions(users: Iterable, people: Iterable) -> list[Exclusion]:
    """Every (user, person) pair where the user is the person or one of their kin; the reason is stored (audit,
    meeting rows), so it is written in Chinese whatever the request's language."""
    people = list(people)
    kin = {p.pk: kin_ids(p.pk) for p in people}
    found = []
    for user in users:
        profile = profile_of(user)
        own = profile.person_id if profile else None
        for person in people:
            with translation.override("zh-hans"):
                reason = person_recusal_reason(own, person, kin[person.pk])
            if reason:
                found.append(Exclusion(user.pk, _display(user), person.pk, person.name, reason))
    return found


def record_exclusions(found: Iterable[Exclusion], *, actor, obj, context: str) -> int:
    """One audit event per exclusion (action "recused"); returns how many were written."""
    count = 0
    for ex in found:
        record_event(
            actor=actor,
            action="recused",
            obj=obj,
            reason=ex.reason,
            payload={"context": context, "user": ex.user_name, "user_id": ex.user_id, "person": ex.person_name},
        )
        count += 1
    return count
