"""Photos and principal-selection note attachments: stored under random names, sent only by scoped views.

The right user gets the bytes with `Cache-Control: private, no-store`; anyone outside the scope gets 404
(or the area's 403 for school users on bureau business). With a front server configured the view answers
with `X-Accel-Redirect` / `X-Sendfile` and no body. (Ethics evidence: tests/workflows/ethics_case/
test_evidence_files.py.)
"""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

import config.urls  # noqa: F401  (builds the site URLs, so the flow can reverse its own)
from audit.models import AuditEvent
from cadres.files import original_name
from cadres.roles import Role
from tests.factories import PersonFactory, PostFactory, UserFactory
from workflows.principal_selection.flows import PrincipalSelectionFlow
from workflows.principal_selection.models import SelectionCase

pytestmark = pytest.mark.django_db

RANDOM_NAME = r"{folder}/\d{{4}}/[0-9a-f]{{32}}{ext}"


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), (120, 130, 140)).save(buffer, format="JPEG")
    return buffer.getvalue()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def get_as(client, user, url):
    client.force_login(user)
    return client.get(url)


# ---------------------------------------------------------------- person photos


@pytest.fixture
def photo_world(bureau, school, other_school, officer, school_secretary):
    person = PersonFactory(name="王照片", organization=school)
    photo = jpeg_bytes()
    person.photo.save("王照片-证件照.jpg", ContentFile(photo))
    colleague = PersonFactory(name="同校教师", organization=school)
    return {
        "person": person,
        "photo": photo,
        "url": reverse("registry:people:photo", args=[person.pk]),
        "officer": officer,
        "secretary": school_secretary,
        "other_secretary": UserFactory(roles=[Role.SCHOOL_SECRETARY], organization=other_school),
        "self": UserFactory(roles=[Role.TEACHER], organization=school, organization__person=person),
        "colleague": UserFactory(roles=[Role.TEACHER], organization=school, organization__person=colleague),
    }


def test_a_photo_is_stored_under_a_random_name(photo_world):
    name = photo_world["person"].photo.name
    assert re.fullmatch(RANDOM_NAME.format(folder="photos", ext=r"\.jpg"), name), name
    assert "王照片" not in name and "证件照" not in name


@pytest.mark.parametrize("who", ["officer", "secretary", "self"])
def test_who_sees_the_person_gets_the_photo_inline_and_uncached(client, photo_world, who):
    response = get_as(client, photo_world[who], photo_world["url"])
    assert response.status_code == 200
    assert body(response) == photo_world["photo"]
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("who", ["other_secretary", "colleague"])
def test_who_does_not_see_the_person_gets_404_for_the_photo(client, photo_world, who):
    response = get_as(client, photo_world[who], photo_world["url"])
    assert response.status_code == 404
    assert photo_world["photo"] not in response.content


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, photo_world):
    response = client.get(photo_world["url"])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_person_without_a_photo_or_a_lost_file_is_404(client, photo_world, school):
    bare = PersonFactory(name="无照片", organization=school)
    assert get_as(client, photo_world["officer"], reverse("registry:people:photo", args=[bare.pk])).status_code == 404
    person = photo_world["person"]
    person.photo.storage.delete(person.photo.name)
    assert get_as(client, photo_world["officer"], photo_world["url"]).status_code == 404


def test_the_person_page_shows_the_photo_through_the_view(client, photo_world):
    page = get_as(client, photo_world["secretary"], reverse("registry:people:detail", args=[photo_world["person"].pk]))
    html = page.content.decode()
    assert f'src="{photo_world["url"]}"' in html
    assert "/media/" not in html and photo_world["person"].photo.name not in html


def test_the_api_gives_the_scoped_photo_route_and_serves_it_with_a_token(photo_world):
    api = APIClient()
    api.force_authenticate(photo_world["secretary"])
    person = photo_world["person"]
    detail = api.get(f"/api/people/{person.pk}/").json()
    assert detail["photo"] == f"http://testserver/api/people/{person.pk}/photo/"
    listed = {row["id"]: row for row in api.get("/api/people/").json()["results"]}
    assert listed[person.pk]["photo"] == detail["photo"]
    response = api.get(f"/api/people/{person.pk}/photo/", HTTP_ACCEPT="image/*")
    assert response.status_code == 200 and body(response) == photo_world["photo"]
    assert response["Cache-Control"] == "private, no-store"

    outsider = APIClient()
    outsider.force_authenticate(photo_world["other_secretary"])
    assert outsider.get(f"/api/people/{person.pk}/photo/").status_code == 404


def test_with_nginx_in_front_the_view_answers_with_x_accel_redirect_and_no_body(client, photo_world, settings):
    settings.CADREFLOW_FILE_SENDER = "nginx"
    settings.CADREFLOW_FILE_INTERNAL_PREFIX = "/protected-media/"
    response = get_as(client, photo_world["secretary"], photo_world["url"])
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{photo_world['person'].photo.name}"
    assert response.content == b""
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "image/jpeg"
    # the scope is checked first: an outsider gets neither the header nor the file
    refused = get_as(client, photo_world["other_secretary"], photo_world["url"])
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused


def test_with_x_sendfile_the_view_names_the_file_on_disk_and_sends_no_body(client, photo_world, settings):
    settings.CADREFLOW_FILE_SENDER = "sendfile"
    response = get_as(client, photo_world["officer"], photo_world["url"])
    assert response.status_code == 200
    assert response["X-Sendfile"] == photo_world["person"].photo.path
    assert response.content == b""


# ---------------------------------------------------------------- principal-selection note attachments


@pytest.fixture
def selection(bureau, school, other_school, officer):
    post = PostFactory(organization=school, name="校长", headcount=1)
    case = SelectionCase.objects.create(flow_class=PrincipalSelectionFlow, post=post, officer=officer)
    return {
        "case": case,
        "record": PrincipalSelectionFlow.instance.reverse("record", args=[case.pk]),
        "officer": officer,
        "discipline": UserFactory(roles=[Role.DISCIPLINE_INSPECTOR], organization=bureau),
        "judge": UserFactory(roles=[Role.JUDGE], organization=bureau),
        "secretary": UserFactory(roles=[Role.SCHOOL_SECRETARY], organization=school),
        "other_secretary": UserFactory(roles=[Role.SCHOOL_SECRETARY], organization=other_school),
    }


@pytest.fixture
def note(client, selection):
    """An attachment added on the 全程纪实 page by the officer, as the page does it."""
    client.force_login(selection["officer"])
    upload = SimpleUploadedFile("推荐工作方案.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    response = client.post(selection["record"], {"action": "note", "step": "recommend", "attachment": upload})
    assert response.status_code == 302
    note = selection["case"].notes.get()
    return note


def attachment_url(case, note):
    return PrincipalSelectionFlow.instance.reverse("note_attachment", args=[case.pk, note.pk])


def test_a_note_attachment_is_stored_under_a_random_name_and_keeps_its_original_name(selection, note):
    assert re.fullmatch(RANDOM_NAME.format(folder="principal_selection", ext=r"\.pdf"), note.attachment.name)
    assert "推荐工作方案" not in note.attachment.name
    assert note.attachment_name == "推荐工作方案.pdf"
    event = AuditEvent.objects.get(action="principal_selection.note")
    assert event.payload["attachment"] == "推荐工作方案.pdf"


@pytest.mark.parametrize("who", ["officer", "discipline"])
def test_who_may_open_the_record_page_downloads_the_attachment_under_its_name(client, selection, note, who):
    page = get_as(client, selection[who], selection["record"])
    url = attachment_url(selection["case"], note)
    assert page.status_code == 200 and url in page.content.decode() and "/media/" not in page.content.decode()
    response = get_as(client, selection[who], url)
    assert response.status_code == 200
    assert body(response) == b"%PDF-1.4 plan"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert quote("推荐工作方案.pdf") in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("who", ["secretary", "other_secretary", "judge"])
def test_who_may_not_open_the_record_page_gets_no_attachment(client, selection, note, who):
    url = attachment_url(selection["case"], note)
    record = get_as(client, selection[who], selection["record"])
    response = get_as(client, selection[who], url)
    assert response.status_code == record.status_code == 403
    assert b"%PDF" not in response.content


def test_an_attachment_is_reached_only_through_its_own_case(client, selection, note, officer):
    other = SelectionCase.objects.create(
        flow_class=PrincipalSelectionFlow, post=selection["case"].post, officer=officer
    )
    response = get_as(client, officer, attachment_url(other, note))
    assert response.status_code == 404


# ---------------------------------------------------------------- the kept original name


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("C:\\Users\\张老师\\Desktop\\证据.docx", "证据.docx"),
        ("../../etc/passwd", "passwd"),
        ("报告\x00\r\n.pdf", "报告.pdf"),
        ("长" * 300 + ".xlsx", "长" * 250 + ".xlsx"),
        ("", ""),
    ],
)
def test_the_original_name_is_only_the_last_part_printable_and_bounded(sent, kept):
    upload = type("Upload", (), {"name": sent})()
    assert original_name(upload) == kept
