"""Recusal: nobody acts on themself or on their kin, read from either side of the family table."""

import pytest

from cadres import choices as c
from cadres.recusal import are_kin, kin_ids, may_act_on, recusal_reason
from tests.factories import FamilyMemberFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def couple(school):
    wife = PersonFactory(organization=school, name="李芳", sex="F")
    husband = PersonFactory(organization=school, name="王强")
    FamilyMemberFactory(person=wife, relation=c.Relation.SPOUSE, name=husband.name, relative=husband)
    return wife, husband


def test_candidate_may_not_act_on_own_case(school):
    person = PersonFactory(organization=school)
    user = UserFactory(organization=school, organization__person=person)
    assert not may_act_on(user, person)
    assert recusal_reason(user, person) == "本人事项，须回避。"


def test_kin_recused_in_both_directions(couple, school):
    wife, husband = couple
    wife_user = UserFactory(organization=school, organization__person=wife)
    husband_user = UserFactory(organization=school, organization__person=husband)
    assert not may_act_on(wife_user, husband)
    assert not may_act_on(husband_user, wife)
    assert "与王强有亲属关系" in recusal_reason(wife_user, husband)
    assert are_kin(husband.pk, wife.pk) and are_kin(wife.pk, husband.pk)


@pytest.mark.parametrize("relation", sorted(c.RECUSAL_RELATIONS))
def test_every_kin_relation_triggers_recusal(relation, school):
    a, b = PersonFactory(organization=school), PersonFactory(organization=school)
    FamilyMemberFactory(person=a, relation=relation, relative=b)
    assert kin_ids(b.pk) == {a.pk}


def test_other_social_relations_and_strangers_do_not(school):
    a, b, stranger = (PersonFactory(organization=school) for _ in range(3))
    FamilyMemberFactory(person=a, relation=c.Relation.OTHER, relative=b)
    user = UserFactory(organization=school, organization__person=a)
    assert may_act_on(user, b)
    assert may_act_on(user, stranger)


def test_user_without_a_registry_person_may_act(officer, school):
    assert may_act_on(officer, PersonFactory(organization=school))
