"""Dossier pages over HTTP: generate, version page, download, retry, verify, and the person-page block."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from audit.models import AuditEvent
from cadres.roles import Role
from dossiers.kinds import DossierKind
from dossiers.models import DossierDocument
from tests.dossiers.test_appointment_form_content import make_cadre
from tests.dossiers.test_services import fake_pdf
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = DossierDocument.Status


@pytest.fixture
def fake_render():
    with mock.patch("dossiers.rendering.render_pdf", side_effect=fake_pdf) as patched:
        yield patched


@pytest.fixture
def cadre(school):
    return make_cadre(organization=school)


@pytest.fixture
def stranger(other_school):
    """Someone of another school, outside a school secretary's scope."""
    return PersonFactory(organization=other_school, name="外校人员")


@pytest.fixture
def post_generate(client, django_capture_on_commit_callbacks):
    def run(person, **data):
        form = {
            "on": "2025-11-24",
            "proposed_post": "第一实验小学校长",
            "reason": "工作需要",
            "filled_by": "刘敏",
            **data,
        }
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/dossiers/documents/appointment-form/{person.pk}/", form)

    return run


def generated(client, post_generate, person, user):
    client.force_login(user)
    response = post_generate(person)
    assert response.status_code == 302, response.content.decode()[:500]
    return DossierDocument.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


# ---- generate ----------------------------------------------------------------------------------------------------


def test_an_officer_generates_the_form_and_lands_on_its_version_page(
    client, officer, cadre, post_generate, fake_render
):
    doc = generated(client, post_generate, cadre, officer)
    assert (doc.kind, doc.subject, doc.version, doc.status) == (DossierKind.APPOINTMENT_FORM, cadre, 1, Status.RENDERED)
    assert doc.created_by == officer
    assert doc.content["proposed_post"] == "第一实验小学校长"
    assert doc.content["age_date"] == "2025.11.24"
    assert doc.content["filled_by"] == "刘敏"
    page = client.get(f"/dossiers/documents/{doc.pk}/").content.decode()
    for expected in ("已生成", "第1版", doc.verification_code, doc.sha256, f"/dossiers/documents/{doc.pk}/download/"):
        assert expected in page


def test_the_version_page_lists_earlier_versions(client, officer, cadre, post_generate, fake_render):
    first = generated(client, post_generate, cadre, officer)
    second = generated(client, post_generate, cadre, officer)
    assert second.version == 2
    page = client.get(f"/dossiers/documents/{second.pk}/").content.decode()
    assert first.verification_code in page and f"/dossiers/documents/{first.pk}/" in page


def test_a_school_secretary_generates_for_own_school_only(
    client, school_secretary, cadre, stranger, post_generate, fake_render
):
    doc = generated(client, post_generate, cadre, school_secretary)
    assert doc.status == Status.RENDERED
    assert post_generate(stranger).status_code == 404
    assert not DossierDocument.objects.filter(subject=stranger).exists()


@pytest.mark.parametrize("role", [Role.TEACHER, Role.INSPECTION_TEAM, Role.COMMITTEE_MEMBER])
def test_other_roles_may_not_generate(client, bureau, cadre, post_generate, role):
    client.force_login(UserFactory(roles=[role], organization=bureau))
    assert post_generate(cadre).status_code == 403
    assert not DossierDocument.objects.exists()


def test_generating_needs_a_post_and_a_valid_date(client, officer, cadre, post_generate):
    client.force_login(officer)
    assert client.get(f"/dossiers/documents/appointment-form/{cadre.pk}/").status_code == 405
    response = post_generate(cadre, on="1970-01-01")
    assert response.status_code == 422
    assert "计算年龄时间不能早于出生日期" in response.content.decode()
    assert not DossierDocument.objects.exists()


def test_a_failed_generation_shows_the_error_and_officers_can_retry(
    client, officer, cadre, post_generate, django_capture_on_commit_callbacks
):
    with mock.patch("dossiers.rendering.render_pdf", side_effect=RuntimeError("字体缺失")):
        doc = generated(client, post_generate, cadre, officer)
    assert doc.status == Status.FAILED
    page = client.get(f"/dossiers/documents/{doc.pk}/").content.decode()
    assert "生成失败" in page and "RuntimeError: 字体缺失" in page and 'id="retry"' in page
    assert client.get(f"/dossiers/documents/{doc.pk}/download/").status_code == 404
    with mock.patch("dossiers.rendering.render_pdf", side_effect=fake_pdf):
        response = client.post(f"/dossiers/documents/{doc.pk}/retry/")
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.status == Status.RENDERED and doc.attempts == 2
    assert AuditEvent.objects.filter(action="dossier_retry_requested", actor=officer, object_id=str(doc.pk)).exists()


def test_only_officers_may_retry(client, officer, school_secretary, cadre, post_generate):
    with mock.patch("dossiers.rendering.render_pdf", side_effect=RuntimeError("boom")):
        doc = generated(client, post_generate, cadre, school_secretary)
    page = client.get(f"/dossiers/documents/{doc.pk}/").content.decode()
    assert 'id="retry"' not in page
    assert client.post(f"/dossiers/documents/{doc.pk}/retry/").status_code == 403
    doc.refresh_from_db()
    assert doc.status == Status.FAILED and doc.attempts == 1


# ---- download and scope ----------------------------------------------------------------------------------------------


def test_download_returns_the_stored_bytes_and_is_audited(client, officer, cadre, post_generate, fake_render):
    doc = generated(client, post_generate, cadre, officer)
    response = client.get(f"/dossiers/documents/{doc.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == doc.pdf.open("rb").read()
    event = AuditEvent.objects.get(action="dossier_downloaded")
    assert (event.actor, event.object_id, event.payload) == (officer, str(doc.pk), {"version": 1})


def test_a_school_user_cannot_reach_another_schools_dossier_by_url(
    client, officer, school_secretary, stranger, post_generate, fake_render
):
    doc = generated(client, post_generate, stranger, officer)
    client.force_login(school_secretary)
    for url in (f"/dossiers/documents/{doc.pk}/", f"/dossiers/documents/{doc.pk}/download/"):
        assert client.get(url).status_code == 404
    assert doc.verification_code not in client.get("/dossiers/documents/").content.decode()
    assert not AuditEvent.objects.filter(action="dossier_downloaded").exists()


def test_anonymous_users_are_sent_to_login(client, officer, cadre, post_generate, fake_render):
    doc = generated(client, post_generate, cadre, officer)
    client.logout()
    for url in (f"/dossiers/documents/{doc.pk}/download/", "/dossiers/verify/", f"/dossiers/documents/{doc.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# ---- verify ------------------------------------------------------------------------------------------------------


def test_verify_by_code_reveals_a_document_only_to_users_who_may_read_it(
    client, officer, school_secretary, stranger, post_generate, fake_render
):
    doc = generated(client, post_generate, stranger, officer)
    page = client.get("/dossiers/verify/", {"code": doc.verification_code.lower()}).content.decode()
    assert 'data-matched="true"' in page and "外校人员" in page and "第1版" in page and "干部任免审批表" in page
    client.force_login(school_secretary)
    hidden = client.get("/dossiers/verify/", {"code": doc.verification_code}).content.decode()
    unknown = client.get("/dossiers/verify/", {"code": "ZZZZZZZZZZ"}).content.decode()
    # Out of scope answers exactly like no match: neither the kind, the subject nor the version is shown.
    assert 'data-matched="false"' in hidden and "不在您的查看范围内" in hidden
    assert "外校人员" not in hidden and f"/dossiers/documents/{doc.pk}/" not in hidden and doc.sha256 not in hidden
    assert 'data-matched="false"' in unknown


def test_verify_by_uploaded_pdf_matches_only_the_exact_bytes(client, officer, cadre, post_generate, fake_render):
    doc = generated(client, post_generate, cadre, officer)
    data = doc.pdf.open("rb").read()
    page = client.post("/dossiers/verify/", {"pdf": SimpleUploadedFile("a.pdf", data, "application/pdf")})
    assert 'data-matched="true"' in page.content.decode() and cadre.name in page.content.decode()
    tampered = data.replace(b"%PDF-1.7", b"%PDF-1.6")
    page = client.post("/dossiers/verify/", {"pdf": SimpleUploadedFile("b.pdf", tampered, "application/pdf")})
    assert 'data-matched="false"' in page.content.decode()
    assert "可能被修改过" in page.content.decode()


def test_verify_says_when_a_newer_version_exists_and_asks_for_input(client, officer, cadre, post_generate, fake_render):
    first = generated(client, post_generate, cadre, officer)
    generated(client, post_generate, cadre, officer)
    assert "已有更新版本" in client.get("/dossiers/verify/", {"code": first.verification_code}).content.decode()
    assert "请输入验证码或上传PDF文件" in client.post("/dossiers/verify/", {}).content.decode()


# ---- the person-page block -----------------------------------------------------------------------------------------


def render_block(user, person):
    request = RequestFactory().get(f"/registry/people/{person.pk}/")
    request.user = user
    return render_to_string("dossiers/includes/person_dossiers.html", {"person": person}, request=request)


def test_the_person_block_offers_generation_and_lists_this_persons_versions(
    client, officer, cadre, stranger, post_generate
):
    with mock.patch("dossiers.rendering.render_pdf", side_effect=RuntimeError("模板错误")):
        failed = generated(client, post_generate, cadre, officer)
    with mock.patch("dossiers.rendering.render_pdf", side_effect=fake_pdf):
        rendered = generated(client, post_generate, cadre, officer)
        elsewhere = generated(client, post_generate, stranger, officer)
    html = render_block(officer, cadre)
    assert 'id="generate-appointment-form"' in html and 'name="proposed_removal"' in html
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in html  # the date defaults to today
    assert 'value="officer"' in html and f'value="{officer.profile.organization.name}"' in html  # 填表人, 呈报单位
    assert rendered.verification_code in html and f"/dossiers/documents/{rendered.pk}/download/" in html
    assert failed.verification_code in html and "RuntimeError: 模板错误" in html
    assert f"/dossiers/documents/{failed.pk}/retry/" in html
    assert elsewhere.verification_code not in html


def test_the_person_block_for_a_secretary_has_no_retry_and_for_a_teacher_no_form(
    client, officer, school, school_secretary, cadre, post_generate
):
    with mock.patch("dossiers.rendering.render_pdf", side_effect=RuntimeError("模板错误")):
        failed = generated(client, post_generate, cadre, officer)
    html = render_block(school_secretary, cadre)
    assert 'id="generate-appointment-form"' in html and failed.verification_code in html
    assert f"/dossiers/documents/{failed.pk}/retry/" not in html
    # The person's own 任免审批表 carries the 考察/任免意见 of their case: a teacher does not read it (issue 12).
    teacher = UserFactory(roles=[Role.TEACHER], organization=school, organization__person=cadre)
    html = render_block(teacher, cadre)
    assert 'id="generate-appointment-form"' not in html and failed.verification_code not in html
