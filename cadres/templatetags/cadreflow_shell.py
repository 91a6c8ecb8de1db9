"""The parts of the shell that are the same on every page for a user, rendered once and kept in the cache.

`{% kept_per_user "name" %}…{% endkept_per_user %}` keeps what it encloses: the list of areas, the menu's
header (the user's name and unit) and an area's own menu (per area; a flow's menu, which counts the user's
tasks, is rendered each time). Both depend on who the user is (roles, unit, person, superuser), never on the
page. Rendering them on every page (an area's permission check, a reverse and a translation for each of
thirteen areas; the user's person and unit read) was a quarter of a list page's time (issue 13). They are kept
`CADREFLOW_MENU_CACHE_SECONDS` (300) under a key made of those facts and the language, so a change of role,
unit or person shows at once (another key) and any other change (a renamed unit) within the period.
"""

from __future__ import annotations

import hashlib

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from cadres.roles import profile_of, roles_of

register = template.Library()


def menu_cache_key(user, *, turbo_disabled: bool = False, part: str = "site-menu") -> str:
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
    return f"cadreflow:{part}:" + hashlib.sha256(repr(facts).encode()).hexdigest()[:32]


def _seconds() -> int:
    return getattr(settings, "CADREFLOW_MENU_CACHE_SECONDS", 300)


class KeptPerUserNode(template.Node):
    def __init__(self, part: str, nodelist, area=None):
        self.part, self.nodelist, self.area = part, nodelist, area

    def render(self, context) -> str:
        request = context.get("request")
        user = getattr(request, "user", None)
        if user is None or not getattr(user, "is_authenticated", False) or not _seconds():
            return self.nodelist.render(context)
        part = self.part
        if self.area is not None:  # an area's own menu: kept per area, unless it shows something of the moment
            area = self.area.resolve(context)
            if not getattr(area, "menu_kept", True):
                return self.nodelist.render(context)
            match = getattr(request, "resolver_match", None)
            namespaces = ":".join(match.namespaces) if match else ""
            part = f"{part}:{type(area).__module__}.{type(area).__qualname__}:{namespaces}"
        viewset = context.get("viewset")  # a link's data-turbo follows the page's viewset
        key = menu_cache_key(user, part=part, turbo_disabled=bool(getattr(viewset, "turbo_disabled", False)))
        html = cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            cache.set(key, html, _seconds())
        return html


@register.tag
def kept_per_user(parser, token):
    """`{% kept_per_user "part" %}…{% endkept_per_user %}`: the enclosed HTML, kept per kind of user;
    `{% kept_per_user "part" app %}`: kept per kind of user and area (the page's namespaces), except for an area
    whose `menu_kept` is False (a flow's menu shows its inbox count)."""
    bits = token.split_contents()
    if len(bits) not in (2, 3) or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("kept_per_user takes one quoted name and, optionally, an area")
    nodelist = parser.parse(("endkept_per_user",))
    parser.delete_first_token()
    area = parser.compile_filter(bits[2]) if len(bits) == 3 else None
    return KeptPerUserNode(bits[1][1:-1], nodelist, area)
