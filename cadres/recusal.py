"""Recusal (回避, DOMAIN §7): nobody acts on a task, vote, score or review about themself or their kin."""

from __future__ import annotations

from django.db.models import Q

from .choices import RECUSAL_RELATIONS
from .models import FamilyMember, Person
from .roles import profile_of


def kin_ids(person_id: int) -> set[int]:
    """Registry ids of the person's kin who trigger recusal, read in both directions of the family table."""
    rows = FamilyMember.objects.filter(
        Q(person_id=person_id) | Q(relative_id=person_id), relation__in=list(RECUSAL_RELATIONS)
    ).values_list("person_id", "relative_id")
    ids = set()
    for owner, relative in rows:
        ids.update(i for i in (owner, relative) if i is not None)
    ids.discard(person_id)
    return ids


def are_kin(a_id: int, b_id: int) -> bool:
    return b_id in kin_ids(a_id)


def recusal_reason(user, person: Person) -> str | None:
    """Why `user` must not act on `person` (a Chinese sentence), or None when they may."""
    from django.utils.translation import gettext as _

    profile = profile_of(user)
    own_id = profile.person_id if profile else None
    if own_id is None:
        return None
    if own_id == person.pk:
        return _("本人事项，须回避。")
    if own_id in kin_ids(person.pk):
        return _("与%(name)s有亲属关系，须回避。") % {"name": person.name}
    return None


def may_act_on(user, person: Person) -> bool:
    """False for the person themself and for the person's kin."""
    return recusal_reason(user, person) is None
