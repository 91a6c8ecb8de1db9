"""Who may open the pool's pages: bureau users (read; the services decide who writes) and school party
secretaries (their own school's people). Anyone else gets 403 — a teacher does not browse the pool."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from cadres.roles import is_bureau_user

from .. import policies


def may_open_pool(user) -> bool:
    return getattr(user, "is_authenticated", False) and (
        is_bureau_user(user) or policies.secretary_school_id(user) is not None
    )


class PoolPageRequired:
    def dispatch(self, request, *args, **kwargs):
        if not may_open_pool(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
