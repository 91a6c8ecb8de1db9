"""任职回避 (cadres.recusal.post_recusal_conflicts): kin in a superior–subordinate line in one school, or kin in
personnel, finance, audit or discipline posts where the other leads; planned moves count."""

from __future__ import annotations

import datetime as dt

import pytest

from cadres import choices as c
from cadres.recusal import PlannedMove, post_recusal_conflicts, sensitive_area
from tests.factories import FamilyMemberFactory, OrganizationFactory, PersonFactory, PostFactory, TenureFactory

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 9, 1)


def principal_post(org):
    return PostFactory(
        organization=org, name="校长", kind=c.PostKind.PRINCIPAL, level=c.PostLevel.SCHOOL_HEAD, headcount=1
    )


def vice_post(org, name="副校长"):
    return PostFactory(organization=org, name=name, headcount=2)


def middle_post(org, name="教务处主任"):
    return PostFactory(organization=org, name=name, kind=c.PostKind.MIDDLE_HEAD, level=c.PostLevel.MIDDLE_HEAD)


def staff_post(org, name):
    return PostFactory(organization=org, name=name, kind=c.PostKind.TEACHER, level=c.PostLevel.STAFF, headcount=3)


def kin(person, relation, *, post, reverse=False):
    relative = PersonFactory(organization=post.organization)
    TenureFactory(person=relative, post=post, start_date=dt.date(2018, 9, 1))
    if reverse:
        FamilyMemberFactory(person=relative, relative=person, relation=relation, name=person.name)
    else:
        FamilyMemberFactory(person=person, relative=relative, relation=relation, name=relative.name)
    return relative


@pytest.fixture
def schools():
    return OrganizationFactory(name="甲小学"), OrganizationFactory(name="乙小学")


def test_spouse_as_vice_principal_in_the_target_school_is_refused(schools):
    target = principal_post(schools[1])
    person = PersonFactory(organization=schools[0])
    spouse = kin(person, c.Relation.SPOUSE, post=vice_post(schools[1]))
    conflicts = post_recusal_conflicts(person, target, ON)
    assert [x.code for x in conflicts] == ["recusal_line"]
    assert conflicts[0].kin_id == spouse.pk
    assert (
        "直接上下级" in conflicts[0].message and spouse.name in conflicts[0].message and "配偶" in conflicts[0].message
    )


def test_cousin_collateral_within_three_generations_is_refused_in_either_direction(schools):
    target = vice_post(schools[1])
    person = PersonFactory(organization=schools[0])
    kin(person, c.Relation.COUSIN, post=principal_post(schools[1]), reverse=True)
    assert [x.code for x in post_recusal_conflicts(person, target, ON)] == ["recusal_line"]


def test_two_vice_principals_under_the_same_head_conflict_but_two_middle_cadres_do_not(schools):
    person = PersonFactory(organization=schools[0])
    kin(person, c.Relation.BROTHER, post=vice_post(schools[1]))
    assert post_recusal_conflicts(person, vice_post(schools[1], "副校长（分管德育）"), ON)
    other = PersonFactory(organization=schools[0])
    kin(other, c.Relation.BROTHER, post=middle_post(schools[1], "德育处主任"))
    assert post_recusal_conflicts(other, middle_post(schools[1]), ON) == []


def test_kin_in_a_finance_post_where_the_person_becomes_principal_is_refused(schools):
    person = PersonFactory(organization=schools[0])
    kin(person, c.Relation.DAUGHTER, post=staff_post(schools[1], "财务室会计"))
    conflicts = post_recusal_conflicts(person, principal_post(schools[1]), ON)
    assert [x.code for x in conflicts] == ["recusal_sensitive_post"]
    assert "财务" in conflicts[0].message


def test_a_person_taking_an_audit_post_where_kin_leads_is_refused(schools):
    person = PersonFactory(organization=schools[0])
    kin(person, c.Relation.FATHER, post=principal_post(schools[1]))
    conflicts = post_recusal_conflicts(person, staff_post(schools[1], "审计专员"), ON)
    assert [x.code for x in conflicts] == ["recusal_sensitive_post"]


def test_kin_teacher_without_a_sensitive_post_does_not_conflict(schools):
    person = PersonFactory(organization=schools[0])
    kin(person, c.Relation.SPOUSE, post=staff_post(schools[1], "语文教师"))
    assert post_recusal_conflicts(person, principal_post(schools[1]), ON) == []


def test_kin_in_another_school_is_fine(schools):
    person = PersonFactory(organization=schools[0])
    kin(person, c.Relation.SPOUSE, post=vice_post(schools[0]))
    assert post_recusal_conflicts(person, principal_post(schools[1]), ON) == []


def test_a_swap_where_the_kin_leaves_the_school_in_the_same_plan_is_fine(schools):
    person = PersonFactory(organization=schools[0])
    kin_post = vice_post(schools[1])
    spouse = kin(person, c.Relation.SPOUSE, post=kin_post)
    target = principal_post(schools[1])
    assert post_recusal_conflicts(person, target, ON)
    away = vice_post(OrganizationFactory(name="丙小学"))
    moves = [PlannedMove(spouse.pk, kin_post.pk, away.pk)]
    assert post_recusal_conflicts(person, target, ON, planned_moves=moves) == []


def test_kin_who_arrive_with_the_same_plan_count(schools):
    person = PersonFactory(organization=schools[0])
    spouse = kin(person, c.Relation.SPOUSE, post=vice_post(schools[0]))
    target = principal_post(schools[1])
    arriving = vice_post(schools[1])
    moves = [PlannedMove(spouse.pk, spouse.tenures.get().post_id, arriving.pk)]
    assert [x.code for x in post_recusal_conflicts(person, target, ON, planned_moves=moves)] == ["recusal_line"]


def test_ended_kin_tenures_and_other_relations_do_not_count(schools):
    person = PersonFactory(organization=schools[0])
    vice = vice_post(schools[1])
    relative = kin(person, c.Relation.SPOUSE, post=vice)
    relative.tenures.update(end_date=ON - dt.timedelta(days=1))
    friend = PersonFactory(organization=schools[1])
    TenureFactory(person=friend, post=vice)
    FamilyMemberFactory(person=person, relative=friend, relation=c.Relation.OTHER)
    assert post_recusal_conflicts(person, principal_post(schools[1]), ON) == []


def test_sensitive_posts_are_named():
    assert sensitive_area("财务室出纳") == "财务"
    assert sensitive_area("人事干部") == "人事"
    assert sensitive_area("纪检委员") == "纪检"
    assert sensitive_area("总务处主任") is None
