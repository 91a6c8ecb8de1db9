"""Each check of a move, with its edge cases, as the plan page shows them."""

from __future__ import annotations

import datetime as dt

import pytest

from cadres import choices as c
from cadres.ethics.services import sanction_record
from tests.factories import FamilyMemberFactory, PersonFactory, TenureFactory
from workflows.exchange import checks

from .conftest import draft, today

pytestmark = pytest.mark.django_db


def results(plan):
    return {r.move.person.name: {x.code: x for x in r.results} for r in checks.check_plan(plan, on=today())}


def test_moves_to_vacant_posts_pass_every_check(officer, district):
    d = district
    plan = draft(officer, [(d.a, d.a_tenure, d.posts[1].vice), (d.b, d.b_tenure, d.posts[2].vice)])
    assert all(not r.refused for r in checks.check_plan(plan, on=today()))


def test_over_the_age_limit_is_refused_by_the_exchange_rule_set(officer, district):
    d = district
    old = PersonFactory(organization=d.schools[0], name="老副校长", birth_date=today().replace(year=today().year - 57))
    tenure = TenureFactory(person=old, post=d.posts[0].vice, start_date=dt.date(2010, 9, 1))
    plan = draft(officer, [(old, tenure, d.posts[1].vice)])
    check = results(plan)["老副校长"]["eligibility"]
    assert not check.passed
    assert "年龄须不超过55周岁" in check.messages[0] and "干部交流轮岗基本条件" in check.messages[0]


def test_a_promotion_to_principal_is_checked_against_the_principal_shortlist_rules(officer, district):
    d = district
    d.p2_tenure.end_date = today() - dt.timedelta(days=400)  # the second school's principal post is vacant
    d.p2_tenure.save()
    plan = draft(officer, [(d.a, d.a_tenure, d.posts[1].principal)])
    check = results(plan)["甲副校长"]["eligibility"]
    assert not check.passed  # no education or title recorded
    assert any("校长选拔考察对象资格" in m for m in check.messages)


def test_a_sanction_in_force_blocks_the_move_through_the_veto(officer, district):
    d = district
    sanction_record(
        acting_user=officer,
        person=d.a,
        kind="warning",
        decided_on=today() - dt.timedelta(days=10),
        authority="区教育局",
    )
    plan = draft(officer, [(d.a, d.a_tenure, d.posts[1].vice)])
    check = results(plan)["甲副校长"]["veto"]
    assert not check.passed and "警告" in check.messages[0]


def test_a_full_target_is_refused_until_its_holder_moves_in_the_same_plan(officer, district):
    d = district
    plan = draft(officer, [(d.a, d.a_tenure, d.posts[1].principal)])
    check = results(plan)["甲副校长"]["target_post"]
    assert not check.passed and "没有空位" in check.messages[0]
    # a swap: the holder of that post takes the first person's school
    from workflows.exchange import services

    services.move_add(
        acting_user=officer, plan=plan, person=d.p2, from_tenure=d.p2_tenure, to_post=d.posts[0].principal
    )
    assert results(plan)["甲副校长"]["target_post"].passed


def test_a_changed_registry_is_caught_by_the_current_post_check(officer, district):
    d = district
    plan = draft(officer, [(d.a, d.a_tenure, d.posts[1].vice)])
    d.a_tenure.end_date = today() - dt.timedelta(days=1)
    d.a_tenure.save()
    check = results(plan)["甲副校长"]["current_post"]
    assert not check.passed and "已不再担任副校长" in check.messages[0]


def test_spouse_as_vice_principal_in_the_target_school_refuses_the_move(officer, district):
    d = district
    FamilyMemberFactory(person=d.a, relative=d.b, relation=c.Relation.SPOUSE, name=d.b.name)
    plan = draft(officer, [(d.a, d.a_tenure, d.posts[1].vice)])
    check = results(plan)["甲副校长"]["recusal"]
    assert not check.passed and "乙副校长（配偶）" in check.messages[0]


def test_the_spouse_leaving_the_target_school_in_the_same_plan_lifts_the_conflict(officer, district):
    d = district
    FamilyMemberFactory(person=d.a, relative=d.b, relation=c.Relation.SPOUSE, name=d.b.name)
    plan = draft(officer, [(d.a, d.a_tenure, d.posts[1].vice), (d.b, d.b_tenure, d.posts[2].vice)])
    assert results(plan)["甲副校长"]["recusal"].passed


def test_the_due_list_takes_the_same_queries_however_many_are_due(district):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from workflows.exchange.due import due_for_exchange

    def count():
        with CaptureQueriesContext(connection) as ctx:
            rows = due_for_exchange(on=today())
        return len(ctx.captured_queries), rows

    few, rows = count()
    assert {d.person.name for d in rows} >= {"甲副校长", "乙副校长", "丙副校长"}
    for i in range(6):
        person = PersonFactory(organization=district.schools[i % 3], name=f"多{i}")
        TenureFactory(person=person, post=district.posts[i % 3].vice, start_date=dt.date(2009, 9, 1))
    many, rows = count()
    assert len(rows) == len({d.person.pk for d in rows}) >= 9
    assert many == few
