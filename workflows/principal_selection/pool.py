"""The reserve pool, seen from a principal selection: the one place that calls `reserve_pool`.

Pool members eligible for the post are listed first (and marked 后备干部); shortlisting a pool member
moves their entry to 已列为考察对象, and appointing them marks it 已使用 — both through the pool's own
services, inside the selection step's transaction, so a pool refusal refuses the step.
"""

from __future__ import annotations

import datetime as dt

from reserve_pool.choices import ReserveState
from reserve_pool.models import ReserveEntry
from reserve_pool.selectors import eligible_pool_members
from reserve_pool.services import reserve_entry_mark_used, reserve_entry_shortlist


def pool_member_ids(*, post, on: dt.date) -> set[int]:
    """Registry ids of the pool members eligible for `post` on `on` (listed first, marked 后备干部)."""
    return {entry.person_id for entry in eligible_pool_members(post.kind, post.organization, on=on)}


def _live_entry(person, states) -> ReserveEntry | None:
    return ReserveEntry.objects.filter(person=person, state__in=states).order_by("-pk").first()


def mark_shortlisted(*, person, case, acting_user) -> bool:
    """Tell the pool its member is now a 考察对象; False when the person has no entry in the pool."""
    entry = _live_entry(person, [ReserveState.IN_POOL])
    if entry is None:
        return False
    reserve_entry_shortlist(acting_user=acting_user, entry=entry, ref=f"principal_selection:{case.pk}")
    return True


def mark_used(*, person, case, acting_user) -> bool:
    """Tell the pool its member was appointed (entry becomes 已使用); False when there is no live entry."""
    entry = _live_entry(person, [ReserveState.SHORTLISTED, ReserveState.IN_POOL])
    if entry is None:
        return False
    reserve_entry_mark_used(acting_user=acting_user, entry=entry, document_number=case.document_number or "")
    return True
