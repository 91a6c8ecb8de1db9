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
