"""The audit trail: append-only in the ORM, the database and the admin; tampering is detected."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from audit.db import guard_enforced
from audit.models import GENESIS_HASH, AppendOnlyError, AuditEvent
from audit.services import record_event, verify_chain
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_events(n=3):
    actor = UserFactory()
    person = PersonFactory()
    return [
        record_event(actor=actor, action="person_update", obj=person, from_state="a", to_state="b", payload={"i": i})
        for i in range(n)
    ]


def test_events_chain_each_to_the_previous():
    first, second, third = make_events()
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert first.object_type == "cadres.person"
    report = verify_chain()
    assert report.ok and report.checked == 3


def test_orm_refuses_update_and_delete():
    event = make_events(1)[0]
    event.reason = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_database_triggers_refuse_raw_sql_changes():
    event = make_events(1)[0]
    with guard_enforced():
        for sql in (
            f"UPDATE audit_auditevent SET reason = 'x' WHERE id = {event.pk}",
            f"DELETE FROM audit_auditevent WHERE id = {event.pk}",
        ):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(sql)
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_tampered_row_is_named_by_the_verifier_and_command():
    events = make_events(4)
    # Somebody with database rights past the triggers (the test settings' purge guard) edits event 2.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["篡改", events[1].pk])
    report = verify_chain()
    assert not report.ok
    assert report.first_broken_id == events[1].pk
    assert report.checked == 1
    with pytest.raises(CommandError, match=f"#{events[1].pk}"):
        call_command("verify_audit_chain")


def test_deleted_row_breaks_the_link_of_the_next():
    events = make_events(3)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    assert verify_chain().first_broken_id == events[2].pk


def test_verify_command_reports_a_sound_chain(capsys):
    make_events(2)
    call_command("verify_audit_chain")
    assert "纪实链完好：共 2 条事件" in capsys.readouterr().out


def test_admin_cannot_add_change_or_delete(client):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    event = make_events(1)[0]
    client.force_login(admin_user)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert client.get(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    response = client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"reason": "x"})
    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).reason == ""
