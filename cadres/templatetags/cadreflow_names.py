"""`{{ user|shown_name }}`: a user named on a page by their registry person, never by user name."""

from django import template

from cadres.roles import shown_name as _shown_name

register = template.Library()


@register.filter
def shown_name(user) -> str:
    return _shown_name(user)
