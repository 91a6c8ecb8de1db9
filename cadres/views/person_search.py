"""GET /registry/people/search/?q=… — the person picker's JSON: scoped, throttled, one query per request.

Parameters: `q` (name, pinyin initials or full pinyin, or the ID's last digits; see `cadres.person_search`),
`scope` (a signed restriction made by a `PersonField` for its form; a forged or expired one is a 400),
`org` (an organization id the page set, as a narrowing filter only — it never widens the user's scope) and
`active=1` (people in post only).

Throttle (decision): 120 searches per user per minute — the widget waits for a pause in typing before it
asks, so a person typing fast stays far below; a script hammering the registry is told to slow down (429).
"""

from __future__ import annotations

import time

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import View

from ..person_search import queryset_from_scope_token, search_people

SEARCHES_PER_MINUTE = 120


def _throttled(user) -> bool:
    key = f"cadres:person-search:{user.pk}:{int(time.time() // 60)}"
    if cache.add(key, 1, timeout=90):
        return False
    try:
        return cache.incr(key) > SEARCHES_PER_MINUTE
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=90)
        return False


class PersonSearchView(LoginRequiredMixin, View):
    raise_exception = True

    def get(self, request, *args, **kwargs):
        if _throttled(request.user):
            return JsonResponse({"error": _("查询过于频繁，请稍后再试。"), "results": []}, status=429)
        scope_qs = None
        if request.GET.get("scope"):
            scope_qs = queryset_from_scope_token(request.GET["scope"])
            if scope_qs is None:
                return JsonResponse({"error": _("页面已过期，请刷新后重试。"), "results": []}, status=400)
        organization_id = None
        if request.GET.get("org"):
            org = request.GET["org"]
            if not org.isdigit() or int(org) <= 0 or len(org) > 12:
                return JsonResponse({"error": _("单位参数无效。"), "results": []}, status=400)
            organization_id = int(org)
        hits = search_people(
            request.user,
            request.GET.get("q", ""),
            scope_qs=scope_qs,
            organization_id=organization_id,
            active_only=request.GET.get("active") == "1",
        )
        return JsonResponse({"results": [h.as_json() for h in hits]})
