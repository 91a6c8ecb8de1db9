"""Two writers asking for a new version of the same document at once both get one, numbered 1 and 2."""

import threading
from unittest import mock

import pytest
from django.db import connection

from dossiers.kinds import DossierKind
from dossiers.models import DossierDocument
from dossiers.services import dossier_generate
from tests.factories import PersonFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_parallel_generation_allocates_distinct_versions():
    person = PersonFactory()
    barrier = threading.Barrier(2)
    errors = []

    def generate():
        try:
            barrier.wait()
            dossier_generate(
                kind=DossierKind.APPOINTMENT_FORM,
                content={"title": "并发"},
                acting_user=None,
                organization=person.organization,
                subject=person,
            )
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    with mock.patch("dossiers.services.enqueue_render"):  # rendering is not what races here
        threads = [threading.Thread(target=generate) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert sorted(DossierDocument.objects.filter(subject=person).values_list("version", flat=True)) == [1, 2]
