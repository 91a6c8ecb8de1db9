import pytest

from cadres.roles import Role
from tests.factories import BureauFactory, OrganizationFactory, UserFactory


@pytest.fixture
def bureau(db):
    return BureauFactory(name="示范区教育局", short_name="区教育局")


@pytest.fixture
def school(db, bureau):
    return OrganizationFactory(name="第一实验小学", parent=bureau)


@pytest.fixture
def other_school(db, bureau):
    return OrganizationFactory(name="第二实验小学", parent=bureau)


@pytest.fixture
def officer(bureau):
    return UserFactory(username="officer", roles=[Role.PERSONNEL_OFFICER], organization=bureau)


@pytest.fixture
def school_secretary(school):
    return UserFactory(username="secretary", roles=[Role.SCHOOL_SECRETARY], organization=school)


def pytest_collection_modifyitems(config, items):
    """Concurrency tests need PostgreSQL's row locks: they run in the PostgreSQL pass of CI.

    On SQLite they are deselected (not skipped): SQLite serialises all writers, so there is nothing to race.
    """
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker("postgres_only") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests empty every table afterwards, data-migration rows included (role groups, default
    rule sets). Put them back before each transactional test so test order never matters."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        "transactional_db" in names
        or "live_server" in names
        or (marker is not None and marker.kwargs.get("transaction"))
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        from django.contrib.auth.models import Group

        from cadres.ethics.rules import load_default_ethics_rule_set
        from cadres.models import RuleSet, RuleSetItem
        from cadres.rules.defaults import load_default_evaluation_rule_set, load_default_rule_sets
        from reserve_pool.rules import load_default_reserve_pool_rule_set
        from workflows.exchange.rules import load_default_exchange_rule_set
        from workflows.principal_selection.rules import load_default_selection_rule_set

        for role in Role.values:
            Group.objects.get_or_create(name=role)
        for load in (
            load_default_rule_sets,
            load_default_ethics_rule_set,
            load_default_reserve_pool_rule_set,
            load_default_selection_rule_set,
            load_default_evaluation_rule_set,
            load_default_exchange_rule_set,
        ):
            load(RuleSet, RuleSetItem)


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language, whatever an earlier request or test activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache holds the API throttle counters, keyed by user id or address: start every test at zero."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: throttle counters (the person search allows so many searches a
    minute per user) and cached pages never carry over from another test whose user had the same id."""
    from django.core.cache import cache

    cache.clear()
    yield
