"""`cadres.prepared_sql`: kept SQL met again on a PostgreSQL connection runs as a prepared statement and gives
the rows a fresh query gives; one-off statements, server-side cursors, SQLite and the switch leave it alone."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.db.models import Q
from django.test import override_settings

from cadres import kept_sql, prepared_sql
from cadres.models import Person
from tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db
RUN = uuid.uuid4().hex  # written into each test's statements: new texts, whatever ran on the connection before


def _prepared() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall() if name.startswith("cf_")}


def _people_of(org, key):
    unique = ~Q(name=f"{key}-{RUN}")  # a word, written in: this test's own statement
    return kept_sql.kept_filter(Person, ("prepared-test", key, org.pk), lambda: Q(organization_id=org.pk) & unique)


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
    person = PersonFactory(name="甲")
    shapes = {
        key: q & ~Q(name=f"{key}-{RUN}")
        for key, q in {
            "by-unit": Q(organization_id=person.organization_id),
            "by-name": Q(name="甲"),
            "by-key": Q(pk=person.pk),
        }.items()
    }
    for key, q in shapes.items():
        for _ in range(2):
            assert list(kept_sql.kept_filter(Person, ("prepared-test", key), lambda q=q: q)) == [person]
    assert len(wrapper.prepared) == 2  # the least recently used was deallocated
    assert set(wrapper.prepared) <= _prepared()
    again = kept_sql.kept_filter(Person, ("prepared-test", "by-unit"), lambda: shapes["by-unit"])
    assert list(again) == [person]  # and is seen anew, not executed while gone


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


@pytest.mark.postgres_only
def test_one_statement_serves_every_value_of_its_arguments():
    """The statement is its text without its values: other arguments (another user's, another school's) run
    the same prepared statement, each with its own rows."""
    schools = [OrganizationFactory() for _ in range(3)]
    people = {school.pk: PersonFactory(organization=school) for school in schools}

    def of(pk):
        return list(
            kept_sql.kept_query(
                ("prepared-test", "by-school"),
                lambda p: Person.objects.filter(organization_id=p).exclude(name=f"by-school-{RUN}"),
                pk,
            )
        )

    before = _prepared()
    for school in schools:
        assert of(school.pk) == [people[school.pk]]
    assert len(_prepared() - before) == 1  # prepared at the second school, used for the third
    assert of(schools[0].pk) == [people[schools[0].pk]]


@pytest.mark.postgres_only
def test_values_keep_their_meaning_and_a_refused_statement_runs_as_it_is_inside_a_transaction():
    import datetime as dt

    from django.db import transaction
    from django.db.models import CharField, DateField, IntegerField
    from django.db.models.expressions import RawSQL

    PersonFactory(name="甲")

    def echo(value):  # a key in the select list comes back as a number, a word as a word
        return Person.objects.annotate(
            key=RawSQL("%s", (value,), output_field=IntegerField()),
            word=RawSQL("%s", ("乙%",), output_field=CharField()),
        ).values_list("key", "word")[:1]

    def day(value):  # make_date(int, int, int) takes no bigint: PostgreSQL refuses to prepare it
        return Person.objects.annotate(
            day=RawSQL("make_date(2026, 12, %s)", (value,), output_field=DateField())
        ).values_list("day", flat=True)[:1]

    wrapper = prepared_sql.prepared_on(connection)
    refused = len(wrapper.refused)
    with transaction.atomic():
        for value in (7, 8, 9):
            assert list(kept_sql.kept_query(("prepared-test", "echo"), echo, value)) == [(value, "乙%")]
            assert list(kept_sql.kept_query(("prepared-test", "day"), day, value)) == [dt.date(2026, 12, value)]
        assert Person.objects.exists()  # the transaction is whole
    assert len(wrapper.refused) == refused + 1


def test_keys_become_parameters_and_other_values_are_written_in():
    huge = 2**70  # no bigint: written in, as the plain statement had it
    text, keys = prepared_sql.statement(
        "a = %s AND b LIKE '%%x' AND c IN (%s, %s) AND d = %s AND e = %s AND f = %s",
        [7, 8, "甲", True, None, huge],
        lambda value: {"甲": "'甲'", True: "true", None: "NULL", huge: str(huge)}[value],
    )
    assert text == f"a = $1 AND b LIKE '%x' AND c IN ($2, '甲') AND d = true AND e = NULL AND f = {huge}"
    assert keys == [7, 8]


def test_every_kept_query_is_marked():
    school = OrganizationFactory()
    PersonFactory(organization=school)
    with_args = kept_sql.kept_query(("prepared-test", "args"), lambda pk: Person.objects.filter(organization_id=pk), 1)
    fixed = kept_sql.kept_query(("prepared-test", "fixed"), lambda: Person.objects.filter(organization_id=school.pk))
    assert prepared_sql.KEPT_MARK in with_args.query.get_compiler("default").as_sql()[0]
    assert prepared_sql.KEPT_MARK in fixed.query.get_compiler("default").as_sql()[0]
    assert len(list(fixed)) == 1
