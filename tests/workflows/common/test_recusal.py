import pytest

from audit.models import AuditEvent
from cadres import choices as c
from cadres.roles import Role
from tests.factories import FamilyMemberFactory, PersonFactory, UserFactory
from workflows.common.recusal import exclusions, record_exclusions


@pytest.mark.django_db
def test_kin_and_self_are_excluded_and_recorded(bureau):
    candidate, spouse, stranger = PersonFactory(name="王"), PersonFactory(name="李"), PersonFactory(name="赵")
    FamilyMemberFactory(person=candidate, relation=c.Relation.SPOUSE, relative=spouse)
    kin_user = UserFactory(roles=[Role.COMMITTEE_MEMBER], organization=bureau, organization__person=spouse)
    self_user = UserFactory(roles=[Role.COMMITTEE_MEMBER], organization=bureau, organization__person=candidate)
    free_user = UserFactory(roles=[Role.COMMITTEE_MEMBER], organization=bureau, organization__person=stranger)
    found = exclusions([kin_user, self_user, free_user], [candidate])
    assert {(x.user_id, x.reason) for x in found} == {
        (kin_user.pk, "与王有亲属关系，须回避。"),
        (self_user.pk, "本人事项，须回避。"),
    }
    assert record_exclusions(found, actor=None, obj=candidate, context="test") == 2
    assert AuditEvent.objects.filter(action="recused", object_id=str(candidate.pk)).count() == 2


@pytest.mark.django_db
def test_other_relations_do_not_trigger_recusal(bureau):
    candidate, friend = PersonFactory(), PersonFactory()
    FamilyMemberFactory(person=candidate, relation=c.Relation.OTHER, relative=friend)
    user = UserFactory(organization=bureau, organization__person=friend)
    assert exclusions([user], [candidate]) == []
