"""Reserve-pool members listed first on the plan and candidate pages (isolated: the pool app is optional)."""

from __future__ import annotations

import datetime as dt


def pool_person_ids(organization, post_kind: str, on: dt.date) -> set[int]:
    """Person ids of eligible reserve-pool members for a post kind in the school; empty if the pool is absent."""
    try:
        from reserve_pool.selectors import eligible_pool_members
    except Exception:  # the pool app is being written elsewhere; its absence must not break a competition
        return set()
    from django.db import transaction

    try:
        with transaction.atomic():
            return {e.person_id for e in eligible_pool_members(post_kind, organization, on=on)}
    except Exception:
        return set()


def pool_people_by_post(organization, on: dt.date) -> list[dict]:
    """For the plan page: each mid-level post of the school with its eligible reserve-pool members' names."""
    from cadres.models import Person, Post

    from .plan import MIDDLE_LEVELS

    rows = []
    for post in Post.objects.filter(organization=organization, level__in=MIDDLE_LEVELS):
        ids = pool_person_ids(organization, post.kind, on)
        names = list(Person.objects.filter(pk__in=ids).order_by("name").values_list("name", flat=True))
        rows.append({"post": post, "names": names})
    return rows
