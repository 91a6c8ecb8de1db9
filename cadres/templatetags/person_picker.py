"""`{{ person.pk|person_token }}`: the signed value a link or hidden input carries for a person, never the id."""

from django import template

from cadres.person_search import person_token as _person_token

register = template.Library()


@register.filter
def person_token(pk) -> str:
    return _person_token(int(pk)) if pk else ""
