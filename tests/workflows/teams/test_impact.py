"""The structure-impact preview: a move's effect on both schools' teams, nothing written."""

from __future__ import annotations

import pytest

from cadres import choices as c
from cadres.models import Tenure
from tests.factories import OrganizationFactory, PersonFactory
from workflows.teams.impact import TeamChange, structure_impact
from workflows.teams.structure import gap_labels

from .conftest import ON, admit_reserve, appoint, leader_posts

pytestmark = pytest.mark.django_db


def test_moving_the_young_vice_principal_to_another_school(school, full_team, django_assert_max_num_queries):
    posts, people = full_team
    other = OrganizationFactory(name="第三实验小学")
    other_posts = leader_posts(other, vice_headcount=2, middle_headcount=0)
    appoint(other_posts["secretary"], age=55)
    appoint(other_posts["principal"], age=50, sex=c.Sex.FEMALE)
    appoint(other_posts["vice"], age=47)
    admit_reserve(PersonFactory(organization=other), other)
    labels = gap_labels()
    mover = people["vice1"]  # 38, the only leader under 40 at the first school
    tenures_before = Tenure.objects.count()

    with django_assert_max_num_queries(10):  # 8, and the rule set that gives the term length
        impacts = structure_impact([TeamChange(mover.pk, posts["vice"].pk, other_posts["vice"].pk)], on=ON)

    assert [i.organization_id for i in impacts] == [school.pk, other.pk]
    leaving, joining = impacts
    assert [m.name for m in leaving.before.members] == ["王书记", "李校长", "赵副校长", "钱副校长"]
    assert [m.name for m in leaving.after.members] == ["王书记", "李校长", "钱副校长"]
    assert leaving.gaps_added == [labels["no_young"], labels["vacancy"]]
    assert leaving.gaps_removed == []
    assert (mover.pk, posts["vice"].pk) in leaving.left

    assert "赵副校长" in [m.name for m in joining.after.members]
    assert joining.before.vacancies == 1 and joining.after.vacancies == 0
    assert joining.gaps_removed == [labels["no_young"], labels["vacancy"]]
    assert joining.gaps_added == []
    joined = next(m for m in joining.after.members if m.person_id == mover.pk)
    assert joined.years_in_post.total_months == 0 and not joined.term_ending
    assert Tenure.objects.count() == tenures_before  # a preview writes nothing


def test_appointing_a_reserve_uses_the_school_reserve(school, full_team):
    posts, people = full_team
    reserve_person = PersonFactory(organization=school)
    # the only reserve is 吴后备; appoint them to the principal post after the principal leaves
    from reserve_pool.models import ReserveEntry

    entry = ReserveEntry.objects.get(organization=school)
    changes = [
        TeamChange(people["principal"].pk, posts["principal"].pk, None),
        TeamChange(entry.person_id, None, posts["principal"].pk),
    ]
    (impact,) = structure_impact(changes, on=ON)
    assert impact.before.reserve_depth == 1 and impact.after.reserve_depth == 0
    assert impact.gaps_added == [gap_labels()["no_reserve"]]
    assert reserve_person.pk not in {m.person_id for m in impact.after.members}


def test_a_move_outside_any_team_has_no_impact(school):
    teacher_post = leader_posts(school)["secretary"]
    teacher_post.level, teacher_post.kind = c.PostLevel.STAFF, c.PostKind.TEACHER
    teacher_post.save()
    person = PersonFactory(organization=school)
    assert structure_impact([TeamChange(person.pk, None, teacher_post.pk)], on=ON) == []
    assert structure_impact([], on=ON) == []


def test_the_preview_include_renders_before_and_after(school, full_team):
    from django.template.loader import render_to_string

    posts, people = full_team
    impacts = structure_impact([TeamChange(people["vice1"].pk, posts["vice"].pk, None)], on=ON)
    html = render_to_string("teams/_impact.html", {"impacts": impacts})
    assert "班子结构影响预览" in html and "调整前" in html and "调整后" in html
    assert "新增问题：班子无40岁以下成员" in html
    assert "<del>赵副校长</del>" in html
