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
