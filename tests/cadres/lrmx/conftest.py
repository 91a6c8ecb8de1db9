import pytest

from cadres.roles import Role
from tests.factories import UserFactory


@pytest.fixture
def teacher(school):
    return UserFactory(username="teacher", roles=[Role.TEACHER], organization=school)


@pytest.fixture
def other_secretary(other_school):
    return UserFactory(username="secretary2", roles=[Role.SCHOOL_SECRETARY], organization=other_school)
