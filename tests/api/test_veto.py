"""Veto API: a person's status and the blocked list, scoped like everything else."""

import datetime as dt

import pytest

from cadres.ethics.models import SanctionKind
from cadres.ethics.services import sanction_record
from cadres.roles import Role
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def sanctioned(officer, school):
    person = PersonFactory(organization=school, name="受处分者")
    sanction_record(
        acting_user=officer, person=person, kind=SanctionKind.WARNING, decided_on=D(2026, 3, 15), authority="区教育局"
    )
    return person


def test_person_veto_status_for_every_purpose(client, officer, sanctioned):
    client.force_login(officer)
    data = client.get(f"/api/people/{sanctioned.pk}/veto/?on=2026-04-01").json()
    by_purpose = {row["purpose"]: row for row in data}
    assert by_purpose["award"]["blocked"] and by_purpose["award"]["until"] == "2026-09-15"
    assert not by_purpose["title_promotion"]["blocked"]
    assert "受警告处理" in by_purpose["award"]["sentence"]
    assert client.get(f"/api/people/{sanctioned.pk}/veto/?on=2026-13-01").status_code == 400


def test_out_of_scope_person_is_404(client, other_school, sanctioned):
    user = UserFactory(roles=[Role.SCHOOL_SECRETARY], organization=other_school)
    client.force_login(user)
    assert client.get(f"/api/people/{sanctioned.pk}/veto/").status_code == 404
    assert client.get("/api/veto/blocked/?on=2026-04-01").json() == []


def test_blocked_list_filters_by_purpose_and_refuses_teachers(client, officer, school, sanctioned):
    client.force_login(officer)
    rows = client.get("/api/veto/blocked/?on=2026-04-01&purpose=award").json()
    assert [r["name"] for r in rows] == ["受处分者"]
    assert client.get("/api/veto/blocked/?on=2026-04-01&purpose=title_promotion").json() == []
    assert client.get("/api/veto/blocked/?purpose=lottery").status_code == 400
    teacher = UserFactory(roles=[Role.TEACHER], organization=school)
    client.force_login(teacher)
    assert client.get("/api/veto/blocked/").status_code == 403
