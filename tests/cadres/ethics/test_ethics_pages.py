"""师德考核 pages and the veto list, by role and scope."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cadres.ethics.models import EthicsAssessment, EthicsGrade, SanctionKind, Violation
from cadres.ethics.services import sanction_record
from cadres.roles import Role
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def staff(school, other_school):
    return {
        "mine": [PersonFactory(organization=school, name=f"本校{i}") for i in range(3)],
        "theirs": PersonFactory(organization=other_school, name="外校甲"),
    }


def test_school_secretary_opens_the_year_and_decides_a_failed_grade(client, school_secretary, school, staff):
    client.force_login(school_secretary)
    response = client.post("/registry/ethics/", {"year": 2026, "organization": school.pk})
    assert response.status_code == 302
    assert EthicsAssessment.objects.filter(year=2026, person__organization=school).count() == 3
    assert not EthicsAssessment.objects.filter(person=staff["theirs"]).exists()
    record = EthicsAssessment.objects.get(person=staff["mine"][0], year=2026)
    refused = client.post(f"/registry/ethics/{record.pk}/", {"grade": EthicsGrade.FAILED, "decided_on": "2026-12-20"})
    assert "师德考核不合格须列明查实的违规行为" in refused.content.decode()
    record.refresh_from_db()
    assert record.grade == ""
    accepted = client.post(
        f"/registry/ethics/{record.pk}/",
        {
            "grade": EthicsGrade.FAILED,
            "decided_on": "2026-12-20",
            "violations": [Violation.PAID_TUTORING],
            "self_review": "自评",
            "parent_review": "家长反映有偿补课",
        },
    )
    assert accepted.status_code == 302
    record.refresh_from_db()
    assert (record.grade, record.violations, record.parent_review) == ("failed", ["v10"], "家长反映有偿补课")


def test_school_secretary_cannot_touch_another_schools_records(client, school_secretary, other_school, staff):
    other_record = EthicsAssessment.objects.create(person=staff["theirs"], year=2026)
    client.force_login(school_secretary)
    assert client.post("/registry/ethics/", {"year": 2026, "organization": other_school.pk}).status_code == 404
    assert client.get(f"/registry/ethics/{other_record.pk}/").status_code == 404


def test_bureau_sees_completion_per_school(client, officer, school, staff):
    EthicsAssessment.objects.create(person=staff["mine"][0], year=2026, grade=EthicsGrade.COMPETENT, decided_on=TODAY)
    EthicsAssessment.objects.create(person=staff["mine"][1], year=2026)
    client.force_login(officer)
    page = client.get("/registry/ethics/?year=2026").content.decode()
    assert school.name in page
    assert "50%" in page


@pytest.mark.parametrize("role", [Role.TEACHER, Role.JUDGE, Role.INSPECTION_TEAM])
def test_other_school_level_roles_are_refused(client, school, role):
    user = UserFactory(roles=[role], organization=school)
    client.force_login(user)
    assert client.get("/registry/ethics/").status_code == 403
    assert client.get("/registry/veto/").status_code == 403


def test_veto_list_shows_blocked_people_in_scope_and_exports(client, officer, school_secretary, staff):
    blocked = staff["mine"][0]
    sanction_record(
        acting_user=officer,
        person=blocked,
        kind=SanctionKind.DEMERIT,
        decided_on=TODAY - dt.timedelta(days=10),
        authority="区教育局",
    )
    sanction_record(
        acting_user=officer,
        person=staff["theirs"],
        kind=SanctionKind.WARNING,
        decided_on=TODAY - dt.timedelta(days=10),
        authority="区教育局",
    )
    client.force_login(school_secretary)
    page = client.get("/registry/veto/").content.decode()
    assert blocked.name in page and "外校甲" not in page and "受记过处理" in page
    client.force_login(officer)
    page = client.get("/registry/veto/?purpose=title_promotion").content.decode()
    assert blocked.name in page and "外校甲" not in page  # a warning does not block title promotion
    export = client.get("/registry/veto/export/?purpose=award")
    sheet = load_workbook(io.BytesIO(export.content)).active
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {blocked.name, "外校甲"}


def test_person_page_shows_veto_status(client, officer, staff):
    person = staff["mine"][0]
    sanction_record(
        acting_user=officer,
        person=person,
        kind=SanctionKind.WARNING,
        decided_on=TODAY - dt.timedelta(days=1),
        authority="区教育局",
    )
    client.force_login(officer)
    page = client.get(f"/registry/people/{person.pk}/").content.decode()
    assert "师德一票否决" in page
    assert "受警告处理" in page and "期间不得评优评先" in page
    assert "不受限" in page  # title promotion is not blocked by a warning
