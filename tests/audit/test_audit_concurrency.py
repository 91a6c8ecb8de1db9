"""Concurrent appends keep one unbroken chain (PostgreSQL: the advisory lock serialises writers)."""

import threading

import pytest
from django.db import connection

from audit.models import AuditEvent
from audit.services import record_event, verify_chain

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_parallel_writers_never_fork_the_chain():
    writers, per_writer = 6, 15
    barrier = threading.Barrier(writers)
    errors = []

    def write(n):
        try:
            barrier.wait()
            for i in range(per_writer):
                record_event(actor=None, action="parallel", object_type="test", object_id=f"{n}-{i}")
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEvent.objects.count() == writers * per_writer
    report = verify_chain()
    assert report.ok, report
    assert AuditEvent.objects.values("prev_hash").distinct().count() == writers * per_writer
