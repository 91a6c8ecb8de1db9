import pytest

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_officer_sees_home_and_people(client, officer, school):
    person = PersonFactory(organization=school, name="王小明")
    client.force_login(officer)
    home = client.get("/", follow=True)
    assert home.status_code == 200
    assert "我的工作台" in home.content.decode()
    listing = client.get("/registry/people/")
    assert "王小明" in listing.content.decode()
    detail = client.get(f"/registry/people/{person.pk}/")
    assert detail.status_code == 200
    assert "王小明" in detail.content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get("/registry/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
