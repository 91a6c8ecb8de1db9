"""The admin shows a school-level staff user only its own school's records."""

import pytest
from django.contrib.auth.models import Permission

from cadres.roles import Role
from tests.factories import PersonFactory, TenureFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def school_staff(school):
    user = UserFactory(roles=[Role.SCHOOL_SECRETARY], organization=school, is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="cadres", codename__startswith="view_")
    )
    return user


def test_school_staff_sees_only_own_school_in_admin(client, school_staff, school, other_school):
    mine = PersonFactory(organization=school, name="本校甲")
    theirs = PersonFactory(organization=other_school, name="外校乙")
    TenureFactory(person=theirs, post__organization=other_school)
    client.force_login(school_staff)
    listing = client.get("/admin/cadres/person/").content.decode()
    assert "本校甲" in listing and "外校乙" not in listing
    assert client.get(f"/admin/cadres/person/{mine.pk}/change/").status_code == 200
    assert client.get(f"/admin/cadres/person/{theirs.pk}/change/").status_code == 302  # "doesn't exist" redirect
    assert "外校乙" not in client.get("/admin/cadres/tenure/").content.decode()
    orgs = client.get("/admin/cadres/organization/").content.decode()
    assert school.name in orgs and other_school.name not in orgs


def test_bureau_superuser_sees_every_school(client, bureau, school, other_school):
    PersonFactory(organization=other_school, name="外校乙")
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    assert "外校乙" in client.get("/admin/cadres/person/").content.decode()
