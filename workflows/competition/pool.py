"""Reserve-pool members listed first on the plan and candidate pages (reserve_pool.selectors decides who)."""

from __future__ import annotations

import datetime as dt

from reserve_pool.selectors import eligible_pool_members


def pool_person_ids(organization, post_kind: str, on: dt.date) -> set[int]:
    """Person ids of the school's in-pool entries for the post kind that are eligible and not vetoed on `on`."""
    if organization is None or not post_kind:
        return set()
    return {entry.person_id for entry in eligible_pool_members(post_kind, organization, on=on)}


def pool_people_by_post(organization, on: dt.date) -> list[dict]:
    """For the plan page: each mid-level post of the school with its eligible reserve-pool members' names."""
    from cadres.models import Person, Post

    from .plan import MIDDLE_LEVELS

    rows = []
    by_kind: dict[str, set[int]] = {}
    for post in Post.objects.filter(organization=organization, level__in=MIDDLE_LEVELS).order_by("pk"):
        if post.kind not in by_kind:
            by_kind[post.kind] = pool_person_ids(organization, post.kind, on)
        names = list(Person.objects.filter(pk__in=by_kind[post.kind]).order_by("name").values_list("name", flat=True))
        rows.append({"post": post, "names": names})
    return rows
