"""`cadres.kept_sql.kept_filter`: the clause is built once per key and gives the rows a fresh build gives."""

from __future__ import annotations

import pytest
from django.db.models import Q

from cadres import kept_sql
from cadres.models import Person
from tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    a, b = OrganizationFactory(), OrganizationFactory()
    return a, b, [PersonFactory(organization=a, name="甲"), PersonFactory(organization=b, name="乙")]


def _build_counting(calls: list, q):
    def build():
        calls.append(1)
        return q

    return build


def test_built_once_per_key_and_read_fresh_each_time(people):
    a, _b, (first, _second) = people
    calls: list = []
    build = _build_counting(calls, Q(organization_id=a.pk))
    assert list(kept_sql.kept_filter(Person, ("t1", a.pk), build)) == [first]
    late = PersonFactory(organization=a, name="丙")
    assert set(kept_sql.kept_filter(Person, ("t1", a.pk), build)) == {first, late}  # rows read again
    assert len(calls) == 1


def test_another_key_is_built_again(people):
    a, b, (first, second) = people
    calls: list = []
    assert list(kept_sql.kept_filter(Person, ("t2", a.pk), _build_counting(calls, Q(organization_id=a.pk)))) == [first]
    assert list(kept_sql.kept_filter(Person, ("t2", b.pk), _build_counting(calls, Q(organization_id=b.pk)))) == [second]
    assert len(calls) == 2


def test_nothing_everything_and_subqueries(people):
    _a, _b, (first, second) = people
    assert not kept_sql.kept_filter(Person, ("t3",), lambda: None).exists()
    assert set(kept_sql.kept_filter(Person, ("t4",), lambda: Q())) == {first, second}
    assert not kept_sql.kept_filter(Person, ("t5",), lambda: Q(pk__in=[])).exists()
    inner = Person.objects.filter(name="甲").values("pk")
    assert list(kept_sql.kept_filter(Person, ("t6",), lambda: Q(pk__in=inner) & ~Q(name="乙"))) == [first]


def test_a_clause_that_joins_is_not_kept_but_answers_the_same(people):
    a, _b, (first, _second) = people
    calls: list = []
    build = _build_counting(calls, Q(organization__name=a.name))
    assert list(kept_sql.kept_filter(Person, ("t7",), build)) == [first]
    assert list(kept_sql.kept_filter(Person, ("t7",), build)) == [first]
    assert len(calls) == 2


def test_a_kept_query_runs_the_first_sql_with_each_call_s_arguments(people):
    """`kept_query`: compiled once, then the same rows and related objects a fresh queryset gives, for any
    arguments; an argument used twice (or not at all) is refused when the query is first kept."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a, b, (first, second) = people
    calls = []

    def build(pk):
        calls.append(pk)
        return Person.objects.select_related("organization").filter(pk=pk)

    for person, org in ((first, a), (second, b), (first, a)):
        with CaptureQueriesContext(connection) as ctx:
            rows = list(kept_sql.kept_query(("test-person", "by-pk"), build, person.pk))
        assert [(p.pk, p.name, p.organization.name) for p in rows] == [(person.pk, person.name, org.name)]
        assert len(ctx.captured_queries) == 1  # the organization came with the person
    assert len(calls) == 1 and calls[0] < 0  # built once, with a marker
    assert list(kept_sql.kept_query(("test-person", "by-pk"), build, 10**9)) == []
    with pytest.raises(ValueError):
        kept_sql.kept_query(("test-person", "twice"), lambda pk: Person.objects.filter(pk=pk, id=pk), 1)


def test_a_kept_query_that_can_give_no_row_gives_none_and_many_arguments_are_compiled_each_time(people):
    _a, _b, (first, second) = people
    assert list(kept_sql.kept_query(("test-person", "none"), lambda: Person.objects.none())) == []
    many = [first.pk, second.pk] + [10**9 + i for i in range(len(kept_sql._MARKERS))]  # more than the markers
    rows = kept_sql.kept_query(("test-person", "many"), lambda *pks: Person.objects.filter(pk__in=pks), *many)
    assert set(rows) == {first, second}


def test_a_marker_fits_a_32_bit_key(people):
    """Users' keys are 32-bit (`AutoField`): a marker out of that range would make Django write no SQL at all."""
    from django.contrib.auth import get_user_model

    from tests.factories import UserFactory

    user = UserFactory()
    User = get_user_model()
    for _ in range(2):
        assert list(kept_sql.kept_query(("test-user", "by-pk"), lambda pk: User.objects.filter(pk=pk), user.pk)) == [
            user
        ]


def test_kept_pages_count_and_slice_as_the_queryset_does(people):
    """`KeptPages`, Django's Paginator over kept statements: the same total and pages as the queryset, read
    fresh each time; a distinct queryset is counted by its rows, an empty one as 0."""
    from django.core.paginator import Paginator

    a, _b, _people = people
    more = [PersonFactory(organization=a, name=f"丁{i}") for i in range(4)]

    def build():
        return Person.objects.filter(organization=a).order_by("-pk")

    pages = Paginator(kept_sql.KeptPages(("test-pages", a.pk), build), 2)
    assert pages.count == build().count() == 5
    assert list(pages.page(1).object_list) == list(build()[0:2])
    assert list(pages.page(3).object_list) == list(build()[4:5])
    PersonFactory(organization=a, name="戊")
    fresh = Paginator(kept_sql.KeptPages(("test-pages", a.pk), build), 2)
    assert fresh.count == 6 and fresh.page(1).object_list[0].name == "戊"
    assert more[0] in fresh.page(3).object_list
    twice = Person.objects.filter(Q(organization=a) | Q(organization__name=a.name)).distinct()
    assert kept_sql.kept_count(("test-pages", "distinct"), lambda: twice) == twice.count() == 6
    assert kept_sql.kept_count(("test-pages", "none"), lambda: Person.objects.filter(name="无此人")) == 0
