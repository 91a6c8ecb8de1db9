"""`cadres.prepared_sql`: kept SQL met again on a PostgreSQL connection runs as a prepared statement and gives
the rows a fresh query gives; one-off statements, server-side cursors, SQLite and the switch leave it alone."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q
from django.test import override_settings

from cadres import kept_sql, prepared_sql
from cadres.models import Person
from tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _prepared() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall() if name.startswith("cf_")}


def _people_of(org, key):
    return kept_sql.kept_filter(Person, ("prepared-test", key, org.pk), lambda: Q(organization_id=org.pk))


def test_only_postgresql_connections_prepare():
    connection.ensure_connection()
    wrapper = prepared_sql.prepared_on(connection)
    assert (wrapper is not None) == (connection.vendor == "postgresql")
    assert prepared_sql.KEPT_MARK in str(_people_of(OrganizationFactory(), "mark").query)


@pytest.mark.postgres_only
def test_a_kept_statement_met_again_is_prepared_and_reads_fresh_rows():
    school = OrganizationFactory()
    first = PersonFactory(organization=school, name="甲")
    before = _prepared()
    assert list(_people_of(school, "again")) == [first]  # met once: run as it is
    assert _prepared() == before
    assert list(_people_of(school, "again")) == [first]  # met again: prepared, then executed
    added = _prepared() - before
    assert len(added) == 1
    late = PersonFactory(organization=school, name="乙")
    assert set(_people_of(school, "again")) == {first, late}  # the rows are read each time
    assert _prepared() - before == added  # by the same statement


@pytest.mark.postgres_only
def test_a_connection_keeps_a_bounded_number_of_statements(monkeypatch):
    monkeypatch.setattr(prepared_sql, "PREPARED_MAX", 2)
    wrapper = prepared_sql.prepared_on(connection)
    schools = [OrganizationFactory() for _ in range(3)]
    for school in schools:
        PersonFactory(organization=school)
        for _ in range(2):
            assert len(list(_people_of(school, "bounded"))) == 1
    assert len(wrapper.prepared) == 2  # the least recently used was deallocated
    assert set(wrapper.prepared) <= _prepared()
    assert len(list(_people_of(schools[0], "bounded"))) == 1  # and is seen anew, not executed while gone


@pytest.mark.postgres_only
def test_a_server_side_cursor_runs_the_statement_as_it_is():
    school = OrganizationFactory()
    people = {PersonFactory(organization=school).pk for _ in range(3)}
    for _ in range(3):
        assert {p.pk for p in _people_of(school, "iterator").iterator(chunk_size=2)} == people


@pytest.mark.postgres_only
def test_turned_off_nothing_is_prepared():
    with override_settings(CADREFLOW_PREPARED_STATEMENTS=False):
        prepared_sql.install(None, connection)
        assert prepared_sql.prepared_on(connection) is None
        school = OrganizationFactory()
        PersonFactory(organization=school)
        before = _prepared()
        for _ in range(3):
            assert len(list(_people_of(school, "off"))) == 1
        assert _prepared() == before
    prepared_sql.install(None, connection)
    assert prepared_sql.prepared_on(connection) is not None


def test_a_kept_query_with_arguments_is_not_marked_one_without_is():
    school = OrganizationFactory()
    PersonFactory(organization=school)
    with_args = kept_sql.kept_query(("prepared-test", "args"), lambda pk: Person.objects.filter(organization_id=pk), 1)
    fixed = kept_sql.kept_query(("prepared-test", "fixed"), lambda: Person.objects.filter(organization_id=school.pk))
    assert prepared_sql.KEPT_MARK not in with_args.query.get_compiler("default").as_sql()[0]
    assert prepared_sql.KEPT_MARK in fixed.query.get_compiler("default").as_sql()[0]
    assert len(list(fixed)) == 1
