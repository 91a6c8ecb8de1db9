"""Evidence of an ethics case: stored under a random name, downloaded under its original one, and only by
those who may read investigation material (`actors.may_read_evidence`); everyone else gets 404 and the
case pages do not list it for them."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from cadres import choices as c
from cadres.roles import Role
from tests.factories import FamilyMemberFactory, PersonFactory, UserFactory
from workflows.ethics_case.models import EthicsCaseEvidence

pytestmark = pytest.mark.django_db

CONTENT = "收费转账记录".encode()


@pytest.fixture
def case(driver, district):
    driver.report(district.secretary, district.ma)
    driver.investigate(district)
    return driver.case


@pytest.fixture
def evidence(case):
    return EthicsCaseEvidence.objects.get(case=case)


def download(client, user, case, evidence):
    client.force_login(user)
    return client.get(reverse("ethics_case:evidence", args=[case.pk, evidence.pk]))


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_evidence_is_stored_under_a_random_name_and_keeps_the_uploaded_one(evidence):
    assert re.fullmatch(r"ethics_cases/\d{4}/[0-9a-f]{32}\.txt", evidence.file.name), evidence.file.name
    assert "补课收费记录" not in evidence.file.name
    assert evidence.original_name == "补课收费记录.txt"
    assert evidence.download_name == "补课收费记录.txt"


@pytest.mark.parametrize("who", ["officer", "inspector", "secretary", "teacher"])
def test_the_cases_handlers_its_school_and_the_teacher_download_the_evidence(client, district, case, evidence, who):
    """Officer (decides), inspector (the investigator), the school's secretary (proposes), the teacher
    (states a defence against the facts)."""
    response = download(client, getattr(district, who), case, evidence)
    assert response.status_code == 200
    assert body(response) == CONTENT
    assert response["Content-Disposition"].startswith("attachment")
    assert quote("补课收费记录.txt") in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(action="ethics_case_evidence_downloaded", actor=getattr(district, who)).exists()


def test_another_schools_secretary_gets_404(client, district, case, evidence):
    response = download(client, district.other_secretary, case, evidence)
    assert response.status_code == 404 and CONTENT not in response.content


def bureau_user(district, role):
    return UserFactory(roles=[role], organization=district.bureau)


@pytest.mark.parametrize("role", [Role.COMMITTEE_SECRETARY, Role.INSPECTION_TEAM, Role.COMMITTEE_MEMBER])
def test_bureau_users_who_see_the_case_but_do_not_handle_it_get_404_and_no_list(client, district, case, evidence, role):
    user = bureau_user(district, role)
    client.force_login(user)
    detail = client.get(reverse("ethics_case:process_detail", args=[case.pk]))
    assert detail.status_code == 200  # the case itself is visible to the bureau
    assert reverse("ethics_case:evidence", args=[case.pk, evidence.pk]) not in detail.content.decode()
    assert download(client, user, case, evidence).status_code == 404
    assert not AuditEvent.objects.filter(action="ethics_case_evidence_downloaded", actor=user).exists()


def test_the_appeal_body_reads_the_evidence_only_once_the_teacher_appealed(client, district, case, evidence):
    assert download(client, district.committee, case, evidence).status_code == 404
    case.appeal_applied_on = case.investigated_on
    case.save(update_fields=["appeal_applied_on"])
    assert download(client, district.committee, case, evidence).status_code == 200


def test_kin_of_the_teacher_never_read_the_evidence_whatever_their_role(client, district, case, evidence):
    spouse = PersonFactory(name="马的配偶", organization=district.school)
    FamilyMemberFactory(person=district.ma, relative=spouse, relation=c.Relation.SPOUSE, name=spouse.name)
    kin_secretary = UserFactory(
        roles=[Role.SCHOOL_SECRETARY], organization=district.school, organization__person=spouse
    )
    assert download(client, kin_secretary, case, evidence).status_code == 404


def test_the_page_links_the_view_and_never_a_media_url(client, district, case, evidence):
    client.force_login(district.officer)
    html = client.get(reverse("ethics_case:process_detail", args=[case.pk])).content.decode()
    assert reverse("ethics_case:evidence", args=[case.pk, evidence.pk]) in html
    assert "/media/" not in html and evidence.file.name not in html


def test_with_nginx_in_front_the_download_is_an_x_accel_redirect(client, district, case, evidence, settings):
    settings.CADREFLOW_FILE_SENDER = "nginx"
    response = download(client, district.secretary, case, evidence)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{evidence.file.name}"
    assert response.content == b""
    assert quote("补课收费记录.txt") in response["Content-Disposition"]
