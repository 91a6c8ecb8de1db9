"""The unread count in the top bar: one indexed COUNT (compiled once: `kept_query`), run only when a page's
template shows it."""

from __future__ import annotations

from django.utils.functional import cached_property

from cadres.kept_sql import kept_count
from workflows.common.inbox import badge_label

from .models import Notification


class UnreadNotifications:
    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        if not getattr(self.user, "is_authenticated", False):
            return 0
        return kept_count(("unread-notifications",), _unread, self.user.pk)

    @property
    def label(self) -> str:
        return badge_label(self.count)

    def __bool__(self) -> bool:
        return self.count > 0


def _unread(user_pk):
    return Notification.objects.filter(recipient_id=user_pk, read_at__isnull=True)


def unread_notifications(request):
    return {"unread_notifications": UnreadNotifications(getattr(request, "user", None))}
