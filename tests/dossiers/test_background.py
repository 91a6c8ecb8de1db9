"""PDF work never runs in two threads of one process, and a render process that dies takes nobody with it."""

import os
import threading
import time
from concurrent.futures.process import BrokenProcessPool
from unittest import mock

import pytest
from django.db import connection, transaction

from dossiers import background, rendering
from dossiers.kinds import DossierKind
from dossiers.models import DossierDocument
from dossiers.services import dossier_generate
from tests.factories import PersonFactory


@pytest.fixture
def process_mode(settings, monkeypatch):
    """Local render processes, started fresh for the test and stopped after it."""
    settings.CELERY_BROKER_URL = ""
    settings.DOSSIER_BACKGROUND = "process"
    background.shutdown()
    yield
    background.shutdown()


def test_threads_of_one_process_enter_weasyprint_one_at_a_time():
    inside, most = 0, 0
    guard = threading.Lock()

    class SlowDocument:
        pages = [1]

        def write_pdf(self, buffer):
            buffer.write(b"%PDF-fake")

    class SlowHTML:
        def __init__(self, **kwargs):
            pass

        def render(self, **kwargs):
            nonlocal inside, most
            with guard:
                inside += 1
                most = max(most, inside)
            time.sleep(0.05)
            with guard:
                inside -= 1
            return SlowDocument()

    with mock.patch.object(rendering.weasyprint, "HTML", SlowHTML):
        threads = [threading.Thread(target=rendering.html_to_pdf, args=("<p>x</p>",)) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert most == 1


def test_a_render_process_that_dies_is_replaced_and_the_caller_lives_on(process_mode, monkeypatch):
    monkeypatch.setitem(background.JOBS, "crash", ("tests.dossiers.background_jobs.abort", ""))
    monkeypatch.setitem(background.JOBS, "pid", ("tests.dossiers.background_jobs.pid", ""))

    crashed = background.submit("crash", 1)
    with pytest.raises(BrokenProcessPool):
        crashed.result(timeout=120)
    time.sleep(0.2)  # the done-callback discards the broken pool

    survivor = background.submit("pid", 2)
    child_pid = survivor.result(timeout=120)
    assert child_pid != os.getpid()  # it ran in a new render process, and this process is still here


def test_the_web_process_only_queues_in_process_mode(process_mode, monkeypatch):
    """The caller's thread never renders: it hands the id to the pool and returns at once."""
    submitted = []
    monkeypatch.setattr(background, "_submit_to_pool", lambda path, pk: submitted.append((path, pk)))
    with mock.patch("dossiers.rendering.html_to_pdf") as render:
        background.submit("render_dossier", 42)
    render.assert_not_called()
    assert submitted == [("dossiers.services.render_document", 42)]


def test_a_broker_sends_renders_to_celery(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    settings.DOSSIER_BACKGROUND = "inline"
    with mock.patch("dossiers.tasks.render_dossier_task.delay") as delay:
        background.submit("render_dossier", 7)
    delay.assert_called_once_with(7)


def _test_database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_process_mode_renders_in_a_render_process_after_commit(process_mode, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", _test_database_url())  # the render process opens the test database
    person = PersonFactory()
    with transaction.atomic():
        doc = dossier_generate(
            kind=DossierKind.APPOINTMENT_FORM,
            content={"title": "后台生成"},
            acting_user=None,
            organization=person.organization,
            subject=person,
        )
        assert doc.status == DossierDocument.Status.PENDING
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        doc.refresh_from_db()
        if doc.status != DossierDocument.Status.PENDING:
            break
        time.sleep(0.25)
    assert doc.status == DossierDocument.Status.RENDERED, doc.last_error
    assert doc.page_count >= 1 and len(doc.sha256) == 64
    with doc.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
