"""The upload page and the download, by role, over HTTP (the viewset routed as /registry/lrmx/)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from cadres.lrmx import schema
from cadres.lrmx.reader import read_lrmx
from cadres.models import Person
from tests.factories import PersonFactory, UserFactory

from .samples import sample_file

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.cadres.lrmx.urls")]

UPLOAD = "/registry/lrmx/"


def export_url(person) -> str:
    return f"/registry/lrmx/people/{person.pk}/lrmx/"


def upload(client, unit, data=None, name="王建国.lrmx"):
    file = SimpleUploadedFile(name, sample_file() if data is None else data, content_type="application/xml")
    return client.post(UPLOAD, {"file": file, "organization": unit.pk})


def test_the_upload_page_offers_an_officer_every_unit(client, officer, school, other_school):
    client.force_login(officer)
    response = client.get(UPLOAD)
    assert response.status_code == 200
    units = list(response.context["form"].fields["organization"].queryset)
    assert school in units and other_school in units
    assert "干部任免审批表（LRMX）导入" in response.content.decode()


def test_the_upload_page_offers_a_school_secretary_their_school_only(client, school_secretary, school):
    client.force_login(school_secretary)
    response = client.get(UPLOAD)
    assert list(response.context["form"].fields["organization"].queryset) == [school]
    assert response.context["form"].fields["organization"].initial == school


def test_a_teacher_gets_403_and_an_anonymous_visitor_the_login_page(client, teacher):
    assert client.get(UPLOAD).status_code == 302
    client.force_login(teacher)
    assert client.get(UPLOAD).status_code == 403


def test_an_upload_imports_and_shows_the_person_and_the_warnings(client, officer, school):
    client.force_login(officer)
    response = upload(client, school)
    assert response.status_code == 200
    person = Person.objects.get()
    page = response.content.decode()
    assert "已新增人员：" in page and f"/registry/people/{person.pk}/" in page
    assert export_url(person) in page
    assert "专业技术职务“高级教师”未注明取得时间" in page


def test_a_malformed_upload_shows_the_reason_and_imports_nothing(client, officer, school):
    client.force_login(officer)
    response = upload(client, school, sample_file().replace(b"</XingMing>", b""))
    assert response.status_code == 400
    assert "文件不是格式正确的 XML" in response.content.decode()
    assert not Person.objects.exists()


def test_a_wrongly_encoded_upload_is_refused_with_its_reason(client, officer, school):
    client.force_login(officer)
    response = upload(client, school, sample_file().decode().encode("gbk"))
    assert response.status_code == 400
    assert "文件声明为 UTF-8 编码，但自第" in response.content.decode()


def test_a_20_mb_upload_is_refused_without_being_read(client, officer, school):
    client.force_login(officer)
    huge = sample_file(ZhaoPian="A" * (20 * 1024 * 1024 * 4 // 3))
    response = upload(client, school, huge)
    assert response.status_code == 413
    assert "文件过大" in response.content.decode() and "照片不得超过 2 MB" in response.content.decode()
    assert not Person.objects.exists()


def test_an_oversized_request_is_refused_from_its_length_before_the_body_is_read(client, officer, school):
    client.force_login(officer)
    # The header claims 50 MB while the body is a few bytes: reading the body would fail loudly.
    response = client.generic(
        "POST",
        UPLOAD,
        b"--x--\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "文件过大：50.0 MB，LRMX 文件不得超过 4 MB" in response.content.decode()


def test_the_upload_still_needs_the_csrf_token(officer, school):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert upload(client, school).status_code == 403
    assert not Person.objects.exists()
    client.get(UPLOAD)
    file = SimpleUploadedFile("王建国.lrmx", sample_file(), content_type="application/xml")
    token = client.cookies["csrftoken"].value
    response = client.post(UPLOAD, {"file": file, "organization": school.pk, "csrfmiddlewaretoken": token})
    assert response.status_code == 200 and Person.objects.count() == 1


def test_a_school_secretary_cannot_import_into_another_school(client, school_secretary, other_school):
    client.force_login(school_secretary)
    assert upload(client, other_school).status_code == 403
    assert not Person.objects.exists()


def test_the_download_is_the_persons_lrmx_file(client, officer, school):
    person = PersonFactory(organization=school, name="赵敏")
    client.force_login(officer)
    response = client.get(export_url(person))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert "attachment" in response["Content-Disposition"] and ".lrmx" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert read_lrmx(data).name == "赵敏"
    assert AuditEvent.objects.get(action="lrmx_export").actor == officer


def test_a_school_secretary_downloads_own_school_only(client, school_secretary, school, other_school):
    mine = PersonFactory(organization=school)
    theirs = PersonFactory(organization=other_school)
    client.force_login(school_secretary)
    assert client.get(export_url(mine)).status_code == 200
    assert client.get(export_url(theirs)).status_code == 404
    assert not AuditEvent.objects.filter(action="lrmx_export", object_id=str(theirs.pk)).exists()


def test_a_teacher_cannot_download_even_their_own_record(client, school):
    person = PersonFactory(organization=school)
    user = UserFactory(roles=["teacher"], organization=school, organization__person=person)
    client.force_login(user)
    assert client.get(export_url(person)).status_code == 403


def test_the_viewset_is_in_the_menu_for_importers_only(officer, teacher):
    from cadres.lrmx.urls import LrmxViewset

    viewset = LrmxViewset()
    assert viewset.has_view_permission(officer) and not viewset.has_view_permission(teacher)
    assert str(viewset.title) == "LRMX 导入"


def test_the_help_text_states_the_size_limit(client, officer):
    client.force_login(officer)
    page = client.get(UPLOAD).content.decode()
    assert f"不超过 {schema.MAX_FILE_BYTES // (1024 * 1024)} MB" in page
