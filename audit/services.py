"""Writing and verifying the audit chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .models import GENESIS_HASH, AuditEvent

# Any constant works: it names the one advisory lock that serialises appends on PostgreSQL.
_CHAIN_LOCK_KEY = 0x_CADF_A0D1


def _canonical(event: AuditEvent) -> bytes:
    body = {
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "acting_for": event.acting_for_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "action": event.action,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "reason": event.reason,
        "payload": event.payload,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    # SQLite serialises writers on its own.


@transaction.atomic(savepoint=False)
def record_event(
    *,
    actor,
    action: str,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    acting_for=None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    payload: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction (no savepoint of its own: a failed
    append fails the caller's whole transaction, as it must).

    `obj` (a model instance) gives the object type, id and repr; or pass `object_type`/`object_id`.
    `actor` may be None for the system (daily commands, timers).
    """
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
    _lock_chain()
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    payload = json.loads(json.dumps(payload or {}, cls=DjangoJSONEncoder, ensure_ascii=False))
    event = AuditEvent(
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        acting_for=acting_for if getattr(acting_for, "pk", None) else None,
        object_type=object_type,
        object_id=object_id,
        object_repr=str(obj)[:200] if obj is not None else "",
        action=action,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        reason=reason or "",
        payload=payload,
        prev_hash=last or GENESIS_HASH,
    )
    event.hash = compute_hash(event)
    event.save()
    return event


@dataclass(frozen=True)
class ChainReport:
    """`checked` events hold, in id order; `head_id`/`head_hash` name the last of them (None/genesis if none)."""

    checked: int
    first_broken_id: int | None
    problem: str = ""
    head_id: int | None = None
    head_hash: str = GENESIS_HASH

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def verify_chain(batch_size: int = 2000) -> ChainReport:
    """Walk the whole chain in order; name the first event whose hash or link does not hold.

    The walk reads one snapshot, and appends are serialised in id order, so a sound report's `checked`
    and head describe a consistent prefix of the chain (what `audit.anchors` signs). A consistent chain
    proves nothing about rows removed from its end or re-hashed wholesale: that is what anchors are for.
    """
    expected_prev = GENESIS_HASH
    checked = 0
    head_id = None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size):
        if event.prev_hash != expected_prev:
            return ChainReport(
                checked, event.pk, "prev_hash does not match the previous event's hash", head_id, expected_prev
            )
        if compute_hash(event) != event.hash:
            return ChainReport(checked, event.pk, "content does not match its hash", head_id, expected_prev)
        expected_prev = event.hash
        head_id = event.pk
        checked += 1
    return ChainReport(checked, None, "", head_id, expected_prev)
