"""The login backend reads the request's user with their profile, unit and registry person in one query."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres.auth_backend import ProfileModelBackend
from cadres.roles import organization_of, profile_of, shown_name
from tests.factories import OrganizationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_profile_unit_and_person_in_one_query():
    school = OrganizationFactory(name="第一实验小学")
    user = UserFactory(organization=school, organization__person=PersonFactory(organization=school, name="刘旭"))
    with CaptureQueriesContext(connection) as ctx:
        loaded = ProfileModelBackend().get_user(user.pk)
        assert (shown_name(loaded), organization_of(loaded).name) == ("刘旭", "第一实验小学")
    assert len(ctx.captured_queries) == 1


def test_a_user_without_profile_and_an_inactive_or_unknown_user():
    bare = UserFactory()
    loaded = ProfileModelBackend().get_user(bare.pk)
    assert loaded == bare and profile_of(loaded) is None
    get_user_model().objects.filter(pk=bare.pk).update(is_active=False)
    assert ProfileModelBackend().get_user(bare.pk) is None
    assert ProfileModelBackend().get_user(10**9) is None


def test_a_page_reads_the_user_once(client):
    school = OrganizationFactory(name="第一实验小学")
    user = UserFactory(organization=school, organization__person=PersonFactory(organization=school, name="刘旭"))
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/home/inbox/")
    assert page.status_code == 200 and "刘旭" in page.content.decode()
    loads = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith(('SELECT "cadres_profile"', 'SELECT "cadres_person"'))
    ]
    assert loads == []  # neither the profile nor the person read again on their own
