"""The generation service: immutable versions, rendering after commit, failures recorded and retried, verification."""

from __future__ import annotations

import itertools
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from audit.models import AuditEvent
from cadres.models import Person
from dossiers.content.appointment_form import build_appointment_form
from dossiers.kinds import DossierKind
from dossiers.models import DossierDocument, ImmutableDocumentError
from dossiers.services import dossier_generate, find_by_code, find_by_pdf, render_document, retry_failed
from tests.dossiers.test_appointment_form_content import ON, make_cadre
from tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db
Status = DossierDocument.Status
_counter = itertools.count(1)


def fake_pdf(template_name, context):
    """A stand-in for WeasyPrint: distinct bytes per call, so hashes differ like real renderings."""
    return f"%PDF-1.7 {template_name} {context['document']['verification_code']} {next(_counter)}".encode(), 2


@pytest.fixture
def fake_render():
    with mock.patch("dossiers.rendering.render_pdf", side_effect=fake_pdf) as patched:
        yield patched


@pytest.fixture
def failing_render():
    with mock.patch("dossiers.rendering.render_pdf", side_effect=ValueError("模板错误：缺少字段")) as patched:
        yield patched


@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    def run(person, *, user=None, **options):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            doc = dossier_generate(
                kind=DossierKind.APPOINTMENT_FORM,
                content=build_appointment_form(person, on=ON, **options),
                acting_user=user,
                organization=person.organization,
                subject=person,
                title="干部任免审批表",
            )
        doc.refresh_from_db()
        return doc

    return run


def test_versions_increment_per_series_and_never_overwrite(generate, fake_render):
    person = make_cadre()
    first = generate(person, reason="第一次")
    second = generate(person, reason="第二次")
    other = generate(PersonFactory(organization=person.organization))
    assert (first.version, second.version, other.version) == (1, 2, 1)
    assert first.series == second.series != other.series
    first.refresh_from_db()
    assert first.content["reason"] == "第一次" and second.content["reason"] == "第二次"
    assert len({first.verification_code, second.verification_code, other.verification_code}) == 3
    assert first.sha256 != second.sha256
    assert DossierDocument.objects.filter(series=first.series).count() == 2


def test_a_rendered_version_refuses_to_be_saved_or_deleted(generate, fake_render):
    doc = generate(make_cadre())
    assert doc.status == Status.RENDERED
    doc.title = "改过的标题"
    with pytest.raises(ImmutableDocumentError):
        doc.save()
    with pytest.raises(ImmutableDocumentError):
        DossierDocument.objects.get(pk=doc.pk).delete()
    assert DossierDocument.objects.get(pk=doc.pk).title == "干部任免审批表"


def test_a_failing_render_is_recorded_without_rolling_back_the_callers_transaction(
    django_capture_on_commit_callbacks, failing_render
):
    person = make_cadre()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        colleague = PersonFactory(organization=person.organization, name="同一事务里的写入")
        doc = dossier_generate(
            kind=DossierKind.APPOINTMENT_FORM,
            content=build_appointment_form(person, on=ON),
            acting_user=None,
            organization=person.organization,
            subject=person,
        )
        assert failing_render.call_count == 0  # nothing renders before the caller commits
    assert failing_render.call_count == 1
    assert Person.objects.filter(pk=colleague.pk).exists()
    doc.refresh_from_db()
    assert doc.status == Status.FAILED
    assert doc.attempts == 1
    assert doc.last_error == "ValueError: 模板错误：缺少字段"
    assert not doc.pdf and doc.sha256 == ""
    assert AuditEvent.objects.filter(action="dossier_render_failed", object_id=str(doc.pk)).exists()


def test_retry_renders_a_failed_version(generate, failing_render):
    doc = generate(make_cadre())
    assert doc.status == Status.FAILED
    with mock.patch("dossiers.rendering.render_pdf", side_effect=fake_pdf):
        [retried] = retry_failed()
    assert retried.pk == doc.pk
    assert retried.status == Status.RENDERED
    assert retried.attempts == 2 and retried.last_error == ""
    assert retried.page_count == 2 and len(retried.sha256) == 64


def test_retry_skips_versions_out_of_attempts(generate, failing_render):
    doc = generate(make_cadre())
    DossierDocument.objects.filter(pk=doc.pk).update(attempts=5)
    assert retry_failed(max_attempts=5) == []
    assert [d.pk for d in retry_failed(max_attempts=6)] == [doc.pk]


def test_the_retry_command_prints_what_happened(generate, failing_render, capsys):
    doc = generate(make_cadre())
    with pytest.raises(CommandError, match="1 dossier version"):
        call_command("retry_dossiers")
    out = capsys.readouterr().out
    assert f"failed #{doc.pk}" in out and "模板错误" in out and "(attempt 2)" in out
    with mock.patch("dossiers.rendering.render_pdf", side_effect=fake_pdf):
        call_command("retry_dossiers")
    out = capsys.readouterr().out
    assert f"rendered #{doc.pk}" in out and "1 retried: 1 rendered, 0 still failing" in out
    call_command("retry_dossiers")
    assert "no failed or pending dossier versions" in capsys.readouterr().out


def test_with_a_broker_the_celery_task_is_queued_instead_of_rendering_in_process(generate, fake_render):
    with (
        override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/0"),
        mock.patch("dossiers.tasks.render_dossier_task.delay") as delay,
    ):
        doc = generate(make_cadre())
    delay.assert_called_once_with(doc.pk)
    assert fake_render.call_count == 0
    assert doc.status == Status.PENDING
    # What the worker then runs:
    assert render_document(doc.pk).status == Status.RENDERED


def test_verification_by_code_and_by_pdf_bytes(generate, fake_render):
    doc = generate(make_cadre())
    data = doc.pdf.open("rb").read()
    code = doc.verification_code
    assert find_by_code(code) == doc
    assert find_by_code(f" {code[:5].lower()} {code[5:].lower()} ") == doc
    assert find_by_pdf(data) == doc
    assert find_by_code("ZZZZZZZZZZ") is None


def test_tampered_pdf_bytes_do_not_verify(generate, fake_render):
    doc = generate(make_cadre())
    data = bytearray(doc.pdf.open("rb").read())
    data[-1] ^= 0x01
    assert find_by_pdf(bytes(data)) is None
    assert find_by_pdf(bytes(data) + b"\n") is None
    assert find_by_pdf(b"") is None


def test_a_failed_version_does_not_verify(generate, failing_render):
    doc = generate(make_cadre())
    assert find_by_code(doc.verification_code) is None


def test_versions_of_one_person_in_two_units_are_separate_series(generate, fake_render):
    person = make_cadre()
    first = generate(person)
    person.organization = OrganizationFactory(name="示范区第九中学")
    person.save()
    moved = generate(person)
    assert (first.version, moved.version) == (1, 1) and first.series != moved.series
