"""The audit trail: append-only in the ORM, the database and the admin; tampering is detected."""

import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from audit.db import MAINTENANCE_ROLE, guard_enforced
from audit.models import GENESIS_HASH, AppendOnlyError, AuditEvent
from audit.services import record_event, verify_chain
from tests.audit.tampering import delete_events, settle_deferred_checks, triggers_bypassed
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
    if connection.vendor == "postgresql":
        assert refused("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_tampered_row_is_named_by_the_verifier_and_command():
    events = make_events(4)
    # Somebody with database rights gets past the triggers and edits event 2.
    with triggers_bypassed() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["篡改", events[1].pk])
    report = verify_chain()
    assert not report.ok
    assert report.first_broken_id == events[1].pk
    assert report.checked == 1
    with pytest.raises(CommandError, match=f"#{events[1].pk}"):
        call_command("verify_audit_chain")


def test_deleted_row_breaks_the_link_of_the_next():
    events = make_events(3)
    delete_events(events[1].pk)
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


# PostgreSQL: only the maintenance role gets past the triggers; a session setting no longer does.

ATTEMPTS = (
    "UPDATE audit_auditevent SET reason = 'x' WHERE id = {pk}",
    "DELETE FROM audit_auditevent WHERE id = {pk}",
    "TRUNCATE audit_auditevent",
)


def refused(sql, match="append-only"):
    """The statement fails (inside a savepoint, so the test goes on); True when it did."""
    with connection.cursor() as cursor:
        settle_deferred_checks(cursor)
    with pytest.raises(DatabaseError, match=match), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)
    return True


@pytest.mark.postgres_only
def test_the_old_purge_setting_no_longer_opens_the_table():
    event = make_events(1)[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('cadreflow.audit_purge', 'on', true)")
    for sql in ATTEMPTS:
        assert refused(sql.format(pk=event.pk))
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.postgres_only
def test_a_plain_application_role_cannot_purge_even_with_the_setting():
    event = make_events(1)[0]
    role = f"cf_audit_app_test_{uuid.uuid4().hex[:8]}"  # rolled back with the test's transaction
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON audit_auditevent TO {role}")
        # As if it had logged in: SET ROLE is checked against the session user, so a superuser session could
        # still take the maintenance role after a mere SET ROLE.
        cursor.execute(f"SET LOCAL SESSION AUTHORIZATION {role}")
        cursor.execute("SELECT set_config('cadreflow.audit_purge', 'on', true)")
    for sql in ATTEMPTS:
        assert refused(sql.format(pk=event.pk))
    # Nor can it switch the triggers off (not the owner) or take the maintenance role (not a member).
    assert refused("ALTER TABLE audit_auditevent DISABLE TRIGGER USER", match="owner")
    assert refused(f"SET ROLE {MAINTENANCE_ROLE}", match="permission denied")
    with connection.cursor() as cursor:
        cursor.execute("RESET SESSION AUTHORIZATION")
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.postgres_only
def test_the_maintenance_role_can_purge():
    first, _second, third = make_events(3)
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {MAINTENANCE_ROLE}")
        cursor.execute("UPDATE audit_auditevent SET reason = 'legal correction' WHERE id = %s", [first.pk])
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [third.pk])
        cursor.execute("RESET ROLE")
    assert AuditEvent.objects.get(pk=first.pk).reason == "legal correction"
    assert not AuditEvent.objects.filter(pk=third.pk).exists()
    assert verify_chain().first_broken_id == first.pk
    with connection.cursor() as cursor:
        settle_deferred_checks(cursor)
        cursor.execute(f"SET LOCAL ROLE {MAINTENANCE_ROLE}")
        cursor.execute("TRUNCATE audit_auditevent")
        cursor.execute("RESET ROLE")
    assert not AuditEvent.objects.exists()


@pytest.mark.postgres_only
def test_a_superuser_must_take_the_role_explicitly():
    """The tests connect as a superuser: without SET ROLE it is refused like anyone else."""
    event = make_events(1)[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone()[0] is True
    assert refused(f"DELETE FROM audit_auditevent WHERE id = {event.pk}")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_django_flush_still_empties_the_audit_table():
    make_events(2)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
