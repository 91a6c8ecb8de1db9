"""The unread count in the top bar: one indexed COUNT (compiled once: `kept_query`), run only when a page's
template shows it."""

from __future__ import annotations

from django.db.models import Count
from django.utils.functional import cached_property

from cadres.kept_sql import kept_query
from workflows.common.inbox import badge_label

from .models import Notification


class UnreadNotifications:
    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        if not getattr(self.user, "is_authenticated", False):
            return 0
        return next(iter(kept_query(("unread-notifications",), _unread, self.user.pk)), (0,))[0]

    @property
    def label(self) -> str:
        return badge_label(self.count)

    def __bool__(self) -> bool:
        return self.count > 0


def _unread(user_pk):
    return (
        Notification.objects.filter(recipient_id=user_pk, read_at__isnull=True)
        .order_by()
        .values("recipient_id")
        .annotate(n=Count("*"))
        .values_list("n")
    )


def unread_notifications(request):
    return {"unread_notifications": UnreadNotifications(getattr(request, "user", None))}
