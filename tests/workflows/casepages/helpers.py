"""Shared bits of the case-page tests: give a login a registry name, read a page, count its queries."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PersonFactory
from tests.support.chinese_page import assert_chinese_page


def named(user, name: str):
    """Make `user`'s profile point at a registry person called `name` (in the user's own unit)."""
    profile = user.profile
    profile.person = PersonFactory(name=name, organization=profile.organization)
    profile.save()
    return user


def usernames() -> list[str]:
    return list(get_user_model().objects.values_list("username", flat=True))


def chinese(response) -> str:
    """The page, after checking it is 200 and Chinese (no English word, raw value or username)."""
    assert response.status_code == 200, response.content[:2000]
    html = response.content.decode()
    assert_chinese_page(html, usernames=usernames())
    return html


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)
