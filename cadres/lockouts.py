"""Login lockouts (django-axes): who is asking, the audit of each lockout, the locked logins an officer sees,
and the officer's unlock.

Axes counts failed logins per username and client address (settings `AXES_*`); this module adds what the
bureau needs around it: every lockout is one audit event ("login_locked_out"), personnel officers see the
logins locked in their scope and unlock one ("login_unlocked", also audited).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
from dataclasses import dataclass

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Sum
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from cadres.refusals import Refusal

from .roles import Role, has_role, is_bureau_user, organization_of

LOCKED_OUT = "login_locked_out"
UNLOCKED = "login_unlocked"


class UnlockRefused(Refusal, ValueError):
    """The login is not locked (any more), or not in the officer's scope; the message says so in Chinese."""


def client_ip(request) -> str | None:
    """The client's address (settings.AXES_CLIENT_IP_CALLABLE), read as DRF's throttles read it.

    With `CADREFLOW_NUM_PROXIES = 0` it is REMOTE_ADDR (X-Forwarded-For is ignored: anyone can send it);
    with N proxies it is the Nth address from the right of X-Forwarded-For, the one the outermost trusted
    proxy saw. A malformed header falls back to REMOTE_ADDR rather than storing garbage as an address.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.CADREFLOW_NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
    if not addresses:
        return remote
    candidate = addresses[-min(proxies, len(addresses))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _cool_off() -> dt.timedelta:
    return settings.AXES_COOLOFF_TIME


def _active_attempts():
    """Failure rows that still count (axes ignores rows older than the cool-off)."""
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - _cool_off())


def lockout_minutes_left(username: str | None, ip_address: str | None) -> int:
    """Whole minutes (at least 1) until this username at this address may try again."""
    last = _active_attempts().filter(username=username, ip_address=ip_address).aggregate(last=Max("attempt_time"))
    if last["last"] is None:
        return max(1, math.ceil(_cool_off().total_seconds() / 60))
    left = last["last"] + _cool_off() - timezone.now()
    return max(1, math.ceil(left.total_seconds() / 60))


def lockout_message(minutes: int) -> str:
    return _("登录失败次数过多，账户已暂时锁定，请 %(minutes)d 分钟后再试或联系组织人事科解锁。") % {"minutes": minutes}


@receiver(user_locked_out, dispatch_uid="cadres.lockouts.audit_lockout")
def audit_lockout(sender, request, username, ip_address, **kwargs) -> None:
    """One audit event when a login becomes locked (never the password).

    Axes sends `user_locked_out` on the failure that reaches the limit and again on every refused attempt
    while locked; only the first carries a failure count (`AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT`
    is off, so refused attempts are not counted), so the trail holds one event per lockout, not one per try.
    """
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return
    user = get_user_model().objects.filter(username=username).first() if username else None
    record_event(
        actor=None,
        action=LOCKED_OUT,
        obj=user,
        object_type="" if user else "auth.user",
        payload={
            "username": username,
            "ip_address": ip_address,
            "failures": failures,
            "cooloff_minutes": int(_cool_off().total_seconds() // 60),
            "path": request.path,
        },
    )


def can_manage_lockouts(user) -> bool:
    """Personnel officers (and superusers) see and unlock locked logins."""
    return bool(getattr(user, "is_superuser", False)) or has_role(user, Role.PERSONNEL_OFFICER)


@dataclass(frozen=True)
class LockedLogin:
    username: str
    ip_address: str | None
    failures: int
    locked_at: dt.datetime
    unlocks_at: dt.datetime
    user_id: int | None
    name: str
    organization: str


def locked_logins(viewer) -> list[LockedLogin]:
    """The username/address pairs locked right now that `viewer` may unlock, most recent first.

    A bureau officer (or superuser) sees every pair, unknown usernames included; an officer elsewhere sees
    only the logins of their own unit. Anybody else sees nothing.
    """
    if not can_manage_lockouts(viewer):
        return []
    rows = list(
        _active_attempts()
        .filter(username__isnull=False)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    users = {
        user.username: user
        for user in get_user_model()
        .objects.filter(username__in={row["username"] for row in rows})
        .select_related("profile__person", "profile__organization")
    }
    bureau = is_bureau_user(viewer)
    own_unit = organization_of(viewer)
    result = []
    for row in rows:
        user = users.get(row["username"])
        profile = getattr(user, "profile", None) if user else None
        if not bureau and (profile is None or own_unit is None or profile.organization_id != own_unit.pk):
            continue
        person = profile.person if profile else None
        name = person.name if person else (user.get_full_name() if user else "")
        result.append(
            LockedLogin(
                username=row["username"],
                ip_address=row["ip_address"],
                failures=row["failures"],
                locked_at=row["last"],
                unlocks_at=row["last"] + _cool_off(),
                user_id=user.pk if user else None,
                name=name,
                organization=str(profile.organization) if profile else "",
            )
        )
    return result


@transaction.atomic
def login_unlock(*, acting_user, username: str, ip_address: str | None) -> LockedLogin:
    """Clear the failures of `username` at `ip_address` so it can log in again at once; one audit event.

    Only a pair that is locked now and in the officer's scope (`locked_logins`) is unlocked; anything else
    raises UnlockRefused and changes nothing. Other addresses of the same username are left as they are.
    """
    if not can_manage_lockouts(acting_user):
        raise UnlockRefused(_("只有组织人事科干部可以解除登录锁定。"), "not_allowed")
    match = next(
        (row for row in locked_logins(acting_user) if row.username == username and row.ip_address == ip_address),
        None,
    )
    if match is None:
        raise UnlockRefused(
            _("%(u)s 在该地址的登录未被锁定（可能已自动解锁或已被他人解锁）。") % {"u": username}, "not_locked"
        )
    if ip_address:
        reset(ip=ip_address, username=username)
    else:  # reset(ip=None) would clear the username at every address
        AccessAttempt.objects.filter(username=username, ip_address__isnull=True).delete()
    user = get_user_model().objects.filter(pk=match.user_id).first() if match.user_id else None
    record_event(
        actor=acting_user,
        action=UNLOCKED,
        obj=user,
        object_type="" if user else "auth.user",
        payload={"username": username, "ip_address": ip_address, "failures": match.failures},
    )
    return match
