"""The reserve pool, seen from a principal selection: the one place that calls `reserve_pool`.

The reserve-pool app (issue: reserve pool) provides `reserve_pool.services.reserve_entry_shortlist`,
`reserve_pool.services.reserve_entry_mark_used` and `reserve_pool.selectors.eligible_pool_members`.
The selector exists and is called as `eligible_pool_members(post_kind, organization, on=)`. The two
services did not exist yet when this was written: while absent, `mark_shortlisted`/`mark_used` do nothing
and return False; once they exist they are called with (person=, process_ref=, acting_user=) — the lead
checks those keyword names against the real services here. Nothing else in the selection touches the pool.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module


def _optional(module: str, name: str):
    try:
        return getattr(import_module(module), name)
    except (ImportError, AttributeError):
        return None


def pool_member_ids(*, post, on: dt.date) -> set[int]:
    """Registry ids of the pool members eligible for `post` on `on` (listed first, marked 后备干部)."""
    selector = _optional("reserve_pool.selectors", "eligible_pool_members")
    if selector is None:
        return set()
    return {entry.person_id for entry in selector(post.kind, post.organization, on=on)}


def mark_shortlisted(*, person, case, acting_user) -> bool:
    """Tell the pool its member is now a 考察对象; False when the pool service is not there."""
    service = _optional("reserve_pool.services", "reserve_entry_shortlist")
    if service is None:
        return False
    service(person=person, process_ref=f"principal_selection:{case.pk}", acting_user=acting_user)
    return True


def mark_used(*, person, case, acting_user) -> bool:
    """Tell the pool its member was appointed (entry becomes 已使用); False when the service is not there."""
    service = _optional("reserve_pool.services", "reserve_entry_mark_used")
    if service is None:
        return False
    service(person=person, process_ref=f"principal_selection:{case.pk}", acting_user=acting_user)
    return True
