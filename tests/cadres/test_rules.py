"""The rule engine: each rule's refusal names threshold and fact; rule sets switch by date."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cadres import choices as c
from cadres.models import RuleSet, RuleSetItem
from cadres.rules import NoRuleSetInForce, Purpose, RuleConfigError, evaluate, rule_set_in_force
from cadres.rules.registry import build_rule
from tests.factories import (
    AppraisalFactory,
    EducationFactory,
    FamilyMemberFactory,
    OrganizationFactory,
    PersonFactory,
    PostFactory,
    TenureFactory,
    TitleFactory,
)

pytestmark = pytest.mark.django_db
D = dt.date
HEAD = c.PostLevel.SCHOOL_HEAD


ON = D(2026, 5, 1)


def eligible_deputy(on=ON, **person_kwargs):
    """A vice principal who meets every default principal-shortlist rule on `on`."""
    person = PersonFactory(birth_date=D(1984, 6, 1), work_start_date=D(2006, 8, 1), **person_kwargs)
    EducationFactory(person=person, level=c.EducationLevel.BACHELOR)
    TitleFactory(person=person, title=c.TeacherTitle.SENIOR, obtained_on=D(2018, 12, 1))
    for year in range(on.year - 3, on.year):
        AppraisalFactory(person=person, year=year, grade=c.AppraisalGrade.COMPETENT)
    post = PostFactory(organization=person.organization, level=c.PostLevel.SCHOOL_DEPUTY)
    TenureFactory(person=person, post=post, start_date=D(2022, 3, 1))
    return person


def codes(result):
    return [r.rule_code for r in result.refusals]


def test_eligible_person_passes_the_2019_set():
    result = evaluate(eligible_deputy(), purpose=Purpose.PRINCIPAL_SHORTLIST, on=D(2026, 5, 1), post_level=HEAD)
    assert result.ok, result.summary()
    assert result.rule_set.name.endswith("（2019条例）")


def test_years_as_deputy_refusal_names_threshold_and_fact():
    person = eligible_deputy()
    person.tenures.update(start_date=D(2024, 6, 1))
    result = evaluate(person, purpose=Purpose.PRINCIPAL_SHORTLIST, on=D(2026, 5, 1), post_level=HEAD)
    assert codes(result) == ["min_years_as_deputy"]
    assert result.refusals[0].message == "须任副职满2年，现1年11个月"


def test_every_failed_rule_is_listed_not_only_the_first():
    person = eligible_deputy()
    person.tenures.all().delete()
    person.titles.update(title=c.TeacherTitle.SECOND)
    person.birth_date = D(1970, 1, 1)
    person.id_number = None
    person.save()
    result = evaluate(person, purpose=Purpose.PRINCIPAL_SHORTLIST, on=D(2026, 5, 1), post_level=HEAD)
    assert set(codes(result)) == {"min_years_as_deputy", "min_title", "max_age"}
    messages = result.summary()
    assert "专业技术职务须为一级教师及以上，现为二级教师" in messages
    assert "年龄须不超过45周岁，现56周岁" in messages


def test_age_limit_edge_on_the_birthday():
    person = eligible_deputy()
    rule = build_rule("max_age", {"max_age": 41})
    from cadres.rules.context import PersonContext

    ctx = PersonContext.load(person)
    assert rule.check(ctx, D(2026, 5, 31)) is None  # 41 the day before turning 42
    assert rule.check(ctx, D(2026, 6, 1)).message == "年龄须不超过41周岁，现42周岁"


def test_secondary_school_needs_a_bachelor_degree_primary_school_a_college_diploma():
    junior_school = OrganizationFactory(stage=c.Stage.JUNIOR)
    primary_school = OrganizationFactory(stage=c.Stage.PRIMARY)
    for org, refused in ((junior_school, True), (primary_school, False)):
        person = eligible_deputy(organization=org)
        person.educations.update(level=c.EducationLevel.JUNIOR_COLLEGE)
        result = evaluate(person, purpose=Purpose.PRINCIPAL_SHORTLIST, on=D(2026, 5, 1), post_level=HEAD)
        assert ("min_education" in codes(result)) is refused
        if refused:
            assert "学历须为大学本科及以上，现为大学专科" in result.summary()


def test_work_years_rule():
    person = eligible_deputy()
    person.work_start_date = D(2022, 1, 1)
    person.save()
    result = evaluate(person, purpose=Purpose.PRINCIPAL_SHORTLIST, on=D(2026, 5, 1), post_level=HEAD)
    assert "须参加工作满5年，现4年4个月" in result.summary()


def test_appraisal_below_competent_last_year_is_refused_and_missing_year_too():
    person = eligible_deputy()
    person.appraisals.filter(year=2025).update(grade=c.AppraisalGrade.BASIC)
    assert (
        "须2025年度考核为合格及以上，现为基本合格"
        in evaluate(person, purpose=Purpose.PRINCIPAL_SHORTLIST, on=D(2026, 5, 1), post_level=HEAD).summary()
    )
    person.appraisals.filter(year=2025).delete()
    assert (
        "现无该年度考核记录"
        in evaluate(person, purpose=Purpose.PRINCIPAL_SHORTLIST, on=D(2026, 5, 1), post_level=HEAD).summary()
    )


def test_rule_sets_switch_by_date_2014_rules_look_back_three_years():
    person = eligible_deputy(on=D(2018, 5, 1))
    person.tenures.update(start_date=D(2014, 3, 1))
    person.titles.update(obtained_on=D(2012, 1, 1))
    person.appraisals.filter(year=2015).update(grade=c.AppraisalGrade.BASIC)
    old = evaluate(person, purpose=Purpose.PRINCIPAL_SHORTLIST, on=D(2018, 5, 1), post_level=HEAD)
    assert old.rule_set.effective_to == D(2019, 3, 16)
    assert "须2015年度考核为合格及以上，现为基本合格" in old.summary()
    for year in (2018, 2019):
        AppraisalFactory(person=person, year=year)
    new = evaluate(person, purpose=Purpose.PRINCIPAL_SHORTLIST, on=D(2020, 5, 1), post_level=HEAD)
    assert new.rule_set.effective_from == D(2019, 3, 17)
    assert new.ok, new.summary()


def test_set_in_force_on_boundary_days():
    assert rule_set_in_force(Purpose.PRINCIPAL_SHORTLIST, D(2019, 3, 16), post_level=HEAD).effective_from == D(
        2014, 1, 15
    )
    assert rule_set_in_force(Purpose.PRINCIPAL_SHORTLIST, D(2019, 3, 17), post_level=HEAD).effective_from == D(
        2019, 3, 17
    )
    with pytest.raises(NoRuleSetInForce, match="没有适用于"):
        rule_set_in_force(Purpose.PRINCIPAL_SHORTLIST, D(2010, 1, 1), post_level=HEAD)


def test_administrator_edited_parameters_take_effect():
    person = eligible_deputy()
    item = RuleSetItem.objects.get(
        rule_set=rule_set_in_force(Purpose.PRINCIPAL_SHORTLIST, D(2026, 5, 1), post_level=HEAD), rule_code="max_age"
    )
    item.params = {"max_age": 40}
    item.save()
    assert (
        "年龄须不超过40周岁，现41周岁"
        in evaluate(person, purpose=Purpose.PRINCIPAL_SHORTLIST, on=D(2026, 5, 1), post_level=HEAD).summary()
    )


def test_work_plan_overrides_tighten_one_case():
    person = eligible_deputy()
    result = evaluate(
        person,
        purpose=Purpose.PRINCIPAL_SHORTLIST,
        on=D(2026, 5, 1),
        overrides={"min_title": {"title": "professor"}},
        post_level=HEAD,
    )
    assert codes(result) == ["min_title"]


def test_naked_official_rule():
    person = eligible_deputy()
    FamilyMemberFactory(person=person, relation=c.Relation.SON, emigrated=True)
    FamilyMemberFactory(person=person, relation=c.Relation.DAUGHTER, emigrated=False)
    assert evaluate(person, purpose=Purpose.PRINCIPAL_SHORTLIST, on=D(2026, 5, 1), post_level=HEAD).ok
    FamilyMemberFactory(person=person, relation=c.Relation.SPOUSE, emigrated=True)
    assert codes(evaluate(person, purpose=Purpose.PRINCIPAL_SHORTLIST, on=D(2026, 5, 1), post_level=HEAD)) == [
        "not_naked_official"
    ]


def test_person_who_left_is_refused():
    person = eligible_deputy()
    person.employment_status = c.EmploymentStatus.LEFT
    person.save()
    assert (
        "须为在职人员，现为离职"
        in evaluate(person, purpose=Purpose.PRINCIPAL_SHORTLIST, on=D(2026, 5, 1), post_level=HEAD).summary()
    )


@pytest.mark.parametrize(
    ("code", "params", "message"),
    [
        ("no_such_rule", {}, "未知规则"),
        ("max_age", {"max_age": "45"}, "应为 int"),
        ("max_age", {"limit": 45}, "未知参数"),
        ("min_title", {"title": "grand_master"}, "职称 grand_master 不存在"),
        ("appraisal_not_below", {"grade": "unrated"}, "不能作为门槛"),
    ],
)
def test_bad_rule_configuration_is_refused(code, params, message):
    with pytest.raises(RuleConfigError, match=message):
        build_rule(code, params)


def test_admin_validation_of_rule_items_and_overlapping_sets():
    rule_set = rule_set_in_force(Purpose.RESERVE_ENTRY, D(2026, 1, 1))
    item = RuleSetItem(rule_set=rule_set, rule_code="max_age", params={"max_age": "x"})
    with pytest.raises(ValidationError):
        item.full_clean()
    overlapping = RuleSet(purpose=Purpose.RESERVE_ENTRY, name="重叠", effective_from=D(2025, 1, 1))
    with pytest.raises(ValidationError, match="重叠"):
        overlapping.full_clean()


def test_years_in_current_post_counts_the_longest_held_post_or_else_the_working_years():
    person = eligible_deputy()
    ctx_rule = build_rule("min_years_in_current_post", {"years": 2})
    from cadres.rules.context import PersonContext

    start = person.tenures.get().start_date
    two_years_on = start.replace(year=start.year + 2)
    ctx = PersonContext.load(person)
    assert ctx_rule.check(ctx, two_years_on) is None
    refusal = ctx_rule.check(ctx, two_years_on - dt.timedelta(days=1))
    assert refusal.message == "须任现职满2年，现1年11个月"
    person.tenures.all().delete()  # a teacher with no registered post: counted from the start of work
    person.work_start_date = D(2025, 9, 1)
    person.save()
    refusal = ctx_rule.check(PersonContext.load(person), D(2026, 5, 1))
    assert refusal.message == "须任现职满2年，现8个月"


def test_the_default_reserve_entry_set_asks_a_year_in_the_current_post():
    person = eligible_deputy()
    person.tenures.update(start_date=D(2026, 1, 1))
    result = evaluate(person, purpose=Purpose.RESERVE_ENTRY, on=D(2026, 5, 1))
    assert codes(result) == ["min_years_in_current_post"]
    assert result.refusals[0].message == "须任现职满1年，现4个月"
