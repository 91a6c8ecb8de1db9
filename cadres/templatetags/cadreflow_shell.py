"""`{% site_menu %}`: the shell's list of areas, rendered once per kind of user and kept in the cache.

The areas a user sees depend on who they are (roles, unit, person, superuser), never on the page: every page
of the shell renders the same list, and rendering it (an area's permission check, a reverse and a translation
for each of thirteen areas) was a quarter of a list page's time (issue 13). The rendered list is kept
`CADREFLOW_MENU_CACHE_SECONDS` (300) under a key made of those facts and the language, so a change of role or
unit shows at once (another key) and any other change within the period.
"""

from __future__ import annotations

import hashlib

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from cadres.roles import profile_of, roles_of

register = template.Library()


def menu_cache_key(user, *, turbo_disabled: bool = False) -> str:
    """The facts the areas' permission checks read, and the language."""
    profile = profile_of(user)
    facts = (
        user.pk,
        user.is_active,
        user.is_superuser,
        user.is_staff,
        tuple(sorted(roles_of(user))),
        profile.organization_id if profile else None,
        profile.person_id if profile else None,
        get_language(),
        turbo_disabled,
    )
    return "cadreflow:site-menu:" + hashlib.sha256(repr(facts).encode()).hexdigest()[:32]


@register.simple_tag(takes_context=True)
def site_menu(context) -> str:
    site, request = context.get("site"), context.get("request")
    if not site or not site.menu_template_name or request is None:
        return ""
    user = request.user
    seconds = getattr(settings, "CADREFLOW_MENU_CACHE_SECONDS", 300)
    viewset = context.get("viewset")
    key = menu_cache_key(user, turbo_disabled=bool(getattr(viewset, "turbo_disabled", False)))
    html = cache.get(key) if seconds else None
    if html is None:
        html = context.template.engine.get_template(site.menu_template_name).render(context)
        if seconds:
            cache.set(key, html, seconds)
    return mark_safe(html)
