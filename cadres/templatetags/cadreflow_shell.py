"""The parts of the shell that are the same on every page for a user, rendered once and kept in the cache.

`{% kept_per_user "name" %}…{% endkept_per_user %}` keeps what it encloses: the list of areas and the menu's
header (the user's name and unit). Both depend on who the user is (roles, unit, person, superuser), never on the
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
    def __init__(self, part: str, nodelist):
        self.part, self.nodelist = part, nodelist

    def render(self, context) -> str:
        request = context.get("request")
        user = getattr(request, "user", None)
        if user is None or not getattr(user, "is_authenticated", False) or not _seconds():
            return self.nodelist.render(context)
        viewset = context.get("viewset")  # a link's data-turbo follows the page's viewset
        key = menu_cache_key(user, part=self.part, turbo_disabled=bool(getattr(viewset, "turbo_disabled", False)))
        html = cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            cache.set(key, html, _seconds())
        return html


@register.tag
def kept_per_user(parser, token):
    """`{% kept_per_user "part" %}…{% endkept_per_user %}`: the enclosed HTML, kept per kind of user."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("kept_per_user takes one quoted name")
    nodelist = parser.parse(("endkept_per_user",))
    parser.delete_first_token()
    return KeptPerUserNode(bits[1][1:-1], nodelist)
