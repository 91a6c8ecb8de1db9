"""Issue 17: a threaded gunicorn serves 20 simultaneous generations without losing a request or a worker.

Renders run in the render processes (`dossiers.background`, "process" mode), never in the server's
threads; versions of one series are allocated under a lock, so 20 requests at once give versions 1…20.
"""

from __future__ import annotations

import http.client
import threading
import time
from urllib.parse import urlencode, urlparse

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cadres.roles import Role
from dossiers.kinds import DossierKind
from dossiers.models import DossierDocument
from tests.factories import PersonFactory, UserFactory
from tests.support.gunicorn import gunicorn_server, worker_pids

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

CSRF = "a" * 32  # an unmasked CSRF secret: the cookie and the form field carry the same value
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.test",
    "CADREFLOW_BACKGROUND": "process",
    "CADREFLOW_RENDER_PROCESSES": "1",
}


def _post_all(base_url: str, session: str, paths: list[str]) -> list:
    """POST every path at the same moment, one thread each; return each status or the exception raised."""
    host = urlparse(base_url)
    body = urlencode({"on": timezone.localdate().isoformat(), "csrfmiddlewaretoken": CSRF, "filled_by": "并发测试"})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"sessionid={session}; csrftoken={CSRF}",
    }
    barrier = threading.Barrier(len(paths))
    results: list = [None] * len(paths)

    def post(i: int, path: str) -> None:
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
        try:
            barrier.wait()
            conn.request("POST", path, body=body, headers=headers)
            results[i] = conn.getresponse().status
        except Exception as exc:  # a dropped connection is what this test looks for
            results[i] = exc
        finally:
            conn.close()

    threads = [threading.Thread(target=post, args=(i, p)) for i, p in enumerate(paths)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _wait_rendered(queryset, count: int, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if queryset.filter(status=DossierDocument.Status.RENDERED).count() >= count:
            return
        if queryset.filter(status=DossierDocument.Status.FAILED).exists():
            break
        time.sleep(0.5)
    states = list(queryset.values_list("version", "status", "last_error"))
    raise AssertionError(f"not all rendered: {states}")


def test_twenty_simultaneous_generations_on_a_threaded_server(bureau):
    officer = UserFactory(roles=[Role.PERSONNEL_OFFICER], organization=bureau)
    client = Client()
    client.force_login(officer)
    session = client.cookies["sessionid"].value
    one = PersonFactory()
    many = [PersonFactory() for _ in range(20)]
    url = "dossiers:documents:generate_appointment_form"

    with gunicorn_server(workers=2, threads=8, env=SERVER_ENV) as (base_url, server):
        before = worker_pids(server.pid)
        assert len(before) == 2

        same_person = _post_all(base_url, session, [reverse(url, args=[one.pk])] * 20)
        assert same_person == [302] * 20
        of_one = DossierDocument.objects.filter(subject=one, kind=DossierKind.APPOINTMENT_FORM)
        _wait_rendered(of_one, 20)
        assert sorted(of_one.values_list("version", flat=True)) == list(range(1, 21))
        assert len(set(of_one.values_list("sha256", flat=True))) == 20

        different_people = _post_all(base_url, session, [reverse(url, args=[p.pk]) for p in many])
        assert different_people == [302] * 20
        of_many = DossierDocument.objects.filter(subject__in=many)
        _wait_rendered(of_many, 20)
        assert of_many.count() == 20

        assert worker_pids(server.pid) == before  # no worker aborted and was replaced
