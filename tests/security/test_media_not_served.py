"""MEDIA_ROOT is never served by URL: not in the test settings, and not with DEBUG on (the dev settings).

Every stored file leaves through a view that has checked scope and audience; a raw `/media/<stored name>`
answers 404 to any logged-in user, however high their role.
"""

from __future__ import annotations

import importlib

import pytest
from django.core.files.base import ContentFile
from django.urls import Resolver404, URLResolver, clear_url_caches
from django.urls.resolvers import RegexPattern

from cadres.roles import Role
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _stored_photo(school):
    person = PersonFactory(name="周照片", organization=school)
    person.photo.save("证件照.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"0" * 64))
    return person


@pytest.fixture
def urls_built_with_debug_on(settings):
    """config.urls as the dev settings build it (DEBUG=True), restored afterwards."""
    settings.DEBUG = True
    module = importlib.reload(importlib.import_module("config.urls"))
    clear_url_caches()
    yield module
    settings.DEBUG = False
    importlib.reload(module)
    clear_url_caches()


def test_no_url_pattern_reaches_media_root_even_with_debug_on(urls_built_with_debug_on, school):
    person = _stored_photo(school)
    resolver = URLResolver(RegexPattern(r"^/"), urls_built_with_debug_on)
    for path in (f"/media/{person.photo.name}", "/media/photos/", f"/{person.photo.name}"):
        with pytest.raises(Resolver404):
            resolver.resolve(path)


def test_raw_media_path_is_404_for_a_superuser_with_debug_on(urls_built_with_debug_on, client, school):
    person = _stored_photo(school)
    assert person.photo.storage.exists(person.photo.name)
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.get(f"/media/{person.photo.name}")
    assert response.status_code == 404
    assert b"PNG" not in response.content


@pytest.mark.parametrize("role", [Role.PERSONNEL_OFFICER, Role.SCHOOL_SECRETARY, Role.TEACHER])
def test_raw_media_path_is_404_for_every_logged_in_role(client, bureau, school, role):
    person = _stored_photo(school)
    org = bureau if role == Role.PERSONNEL_OFFICER else school
    client.force_login(UserFactory(roles=[role], organization=org, organization__person=person))
    response = client.get(f"/media/{person.photo.name}")
    assert response.status_code == 404
    assert b"PNG" not in response.content
