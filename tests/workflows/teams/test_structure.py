"""The gaps of a school's team, computed in Python (team page) and in SQL (district overview), agree."""

from __future__ import annotations

import datetime as dt

import pytest

from cadres import choices as c
from cadres.facts import age_on
from reserve_pool.choices import ReserveState
from tests.factories import OrganizationFactory, PersonFactory
from workflows.teams.structure import (
    Gap,
    district_page,
    gap_counts,
    school_rows,
    team_summary,
    term_end,
    young_birth_cutoff,
)

from .conftest import ON, admit_reserve, appoint, leader_posts

pytestmark = pytest.mark.django_db


def gaps_both_ways(school, on=ON):
    python = team_summary(school.pk, on=on).gaps
    row = school_rows(on=on)[school.pk]
    assert row.gaps == python, "the overview (SQL) and the team page (Python) disagree"
    return python


def test_a_complete_balanced_team_has_no_gap(school, full_team):
    summary = team_summary(school.pk, on=ON)
    assert [m.name for m in summary.members] == ["王书记", "李校长", "赵副校长", "钱副校长"]
    assert [m.name for m in summary.middle] == ["孙主任", "周主任"]
    assert summary.headcount == 4 and summary.vacancies == 0
    assert summary.reserve_depth == 1
    assert summary.members[2].age == 38 and summary.members[2].education == "大学本科"
    assert gaps_both_ways(school) == []


def test_someone_exactly_40_is_not_under_40(school):
    posts = leader_posts(school, vice_headcount=1, middle_headcount=0)
    appoint(posts["secretary"], age=50)
    appoint(posts["principal"], age=45, sex=c.Sex.FEMALE)
    forty = appoint(posts["vice"], age=40)
    admit_reserve(PersonFactory(organization=school), school)
    assert age_on(forty.birth_date, ON) == 40
    assert gaps_both_ways(school) == [Gap.NO_YOUNG]


def test_a_member_one_day_short_of_40_is_young(school):
    posts = leader_posts(school, vice_headcount=1, middle_headcount=0)
    appoint(posts["secretary"], age=50)
    appoint(posts["principal"], age=45, sex=c.Sex.FEMALE)
    almost = appoint(posts["vice"], age=40, days=1)
    admit_reserve(PersonFactory(organization=school), school)
    assert age_on(almost.birth_date, ON) == 39
    assert gaps_both_ways(school) == []


@pytest.mark.parametrize(
    "on", [dt.date(2024, 2, 29), dt.date(2025, 2, 28), dt.date(2025, 3, 1), dt.date(2100, 2, 28), dt.date(2026, 12, 31)]
)
def test_the_young_cutoff_is_the_facts_age(on):
    cutoff = young_birth_cutoff(on)
    for delta in range(-3, 4):
        birth = cutoff + dt.timedelta(days=delta)
        assert (age_on(birth, on) < 40) == (birth > cutoff), (on, birth)
    assert age_on(dt.date(1984, 2, 29), dt.date(2024, 2, 28)) == 39
    assert dt.date(1984, 2, 29) > young_birth_cutoff(dt.date(2024, 2, 28))


def test_a_one_sex_team(school):
    posts = leader_posts(school, vice_headcount=1, middle_headcount=0)
    for key, age in (("secretary", 50), ("principal", 45), ("vice", 36)):
        appoint(posts[key], age=age, sex=c.Sex.FEMALE)
    admit_reserve(PersonFactory(organization=school), school)
    assert gaps_both_ways(school) == [Gap.ONE_SEX]


def test_vacancies_come_from_the_headcount(school):
    posts = leader_posts(school, vice_headcount=3, middle_headcount=2)
    appoint(posts["secretary"], age=50)
    appoint(posts["principal"], age=45, sex=c.Sex.FEMALE)
    appoint(posts["vice"], age=36)
    appoint(posts["middle"], age=30)
    # over the headcount on one post does not fill another's vacancy
    appoint(posts["secretary"], age=51)
    admit_reserve(PersonFactory(organization=school), school)
    summary = team_summary(school.pk, on=ON)
    assert summary.vacancies == 2 and summary.middle_vacancies == 1
    assert gaps_both_ways(school) == [Gap.VACANCY, Gap.MIDDLE_VACANCY]
    row = school_rows(on=ON)[school.pk]
    assert (row.figures.vacancies, row.figures.middle_vacancies) == (2, 1)


def test_a_person_in_two_posts_is_one_member_and_fills_both(school):
    posts = leader_posts(school, vice_headcount=1, middle_headcount=0)
    both = appoint(posts["secretary"], age=50)
    from tests.factories import TenureFactory

    TenureFactory(person=both, post=posts["principal"], start_date=dt.date(2024, 9, 1))
    appoint(posts["vice"], age=36, sex=c.Sex.FEMALE)
    admit_reserve(PersonFactory(organization=school), school)
    summary = team_summary(school.pk, on=ON)
    assert summary.member_count == 2 and summary.vacancies == 0
    assert school_rows(on=ON)[school.pk].figures.members == 2
    assert gaps_both_ways(school) == []


def test_a_term_ending_within_six_months(school):
    posts = leader_posts(school, vice_headcount=1, middle_headcount=0)
    # a three-year term (the rule set's term_years) started 2023-11-30 ends 2026-11-30: within 6 months of
    # 2026-06-01 (horizon 2026-12-01); one started two days later ends after the horizon
    ending = appoint(posts["secretary"], age=50, start=dt.date(2023, 11, 30))
    appoint(posts["principal"], age=45, sex=c.Sex.FEMALE, start=dt.date(2023, 12, 2))
    appoint(posts["vice"], age=36)
    admit_reserve(PersonFactory(organization=school), school)
    summary = team_summary(school.pk, on=ON)
    flagged = [m.name for m in summary.members if m.term_ending]
    assert flagged == [ending.name]
    assert summary.members[0].term_end == term_end(dt.date(2023, 11, 30), 3) == dt.date(2026, 11, 30)
    assert gaps_both_ways(school) == [Gap.TERM_ENDING]


def test_an_ended_tenure_is_not_in_the_team(school):
    posts = leader_posts(school, vice_headcount=1, middle_headcount=0)
    appoint(posts["secretary"], age=50)
    appoint(posts["principal"], age=45, sex=c.Sex.FEMALE)
    appoint(posts["vice"], age=36, end_date=dt.date(2026, 5, 31))
    admit_reserve(PersonFactory(organization=school), school)
    # the only member under 40 has left: the team lacks a young member and has a vacancy
    assert gaps_both_ways(school) == [Gap.NO_YOUNG, Gap.VACANCY]


def test_no_reserve_counts_only_admitted_entries_for_school_posts(school):
    posts = leader_posts(school, vice_headcount=1, middle_headcount=0)
    appoint(posts["secretary"], age=50)
    appoint(posts["principal"], age=45, sex=c.Sex.FEMALE)
    appoint(posts["vice"], age=36)
    admit_reserve(PersonFactory(organization=school), school, state=ReserveState.REMOVED)
    admit_reserve(PersonFactory(organization=school), school, post_kind=c.PostKind.MIDDLE_HEAD)
    assert gaps_both_ways(school) == [Gap.NO_RESERVE]
    admit_reserve(PersonFactory(organization=school), school, state=ReserveState.SHORTLISTED)
    assert gaps_both_ways(school) == []


def test_the_counts_per_gap_kind(school, full_team):
    empty = OrganizationFactory(name="空班子学校")
    counts = gap_counts(on=ON)
    # a school with no posts and no people: nothing to be young or one-sex about, but no reserve
    assert gaps_both_ways(empty) == [Gap.NO_RESERVE]
    assert counts[Gap.NO_RESERVE] == 1 and counts["any"] == 1 and counts["total"] == 2
    assert counts[Gap.NO_YOUNG] == 0


def test_the_sql_filters_and_counts_agree_with_the_python_gaps(school, full_team):
    """Varied schools: each gap's SQL filter selects exactly the schools whose figures have that gap."""
    for i in range(6):
        org = OrganizationFactory(name=f"样本学校{i}", township="东镇" if i % 2 else "西镇")
        posts = leader_posts(org, vice_headcount=1 + i % 2, middle_headcount=i % 3)
        appoint(posts["secretary"], age=38 + i * 3, sex=c.Sex.FEMALE if i % 2 else c.Sex.MALE)
        if i % 3:
            appoint(posts["principal"], age=50, start=dt.date(2021, 9, 1) if i == 4 else dt.date(2024, 9, 1))
        appoint(posts["vice"], age=45 + i)
        if i % 2 == 0:
            admit_reserve(PersonFactory(organization=org), org)
    rows = school_rows(on=ON)
    python = {pk: set(team_summary(pk, on=ON).gaps) for pk in rows}
    assert {pk: set(r.gaps) for pk, r in rows.items()} == python
    counts = gap_counts(on=ON)
    for code in Gap.ORDER:
        expected = {pk for pk, gaps in python.items() if code in gaps}
        selected, total = district_page(on=ON, gap=code)
        assert {r.pk for r in selected} == expected and total == len(expected), code
        assert counts[code] == len(expected), code
    any_rows, any_total = district_page(on=ON, gap="any")
    assert {r.pk for r in any_rows} == {pk for pk, g in python.items() if g} == set(python) - {school.pk}
    assert counts["any"] == any_total and counts["total"] == 7
    assert all(counts[code] for code in (Gap.NO_YOUNG, Gap.ONE_SEX, Gap.VACANCY, Gap.TERM_ENDING, Gap.NO_RESERVE))
    east, n_east = district_page(on=ON, township="东镇", limit=2)
    assert n_east == 3 and len(east) == 2 and [r.code for r in east] == sorted(r.code for r in east)
    second, _n = district_page(on=ON, township="东镇", limit=2, offset=2)
    assert len(second) == 1
    named, n_named = district_page(on=ON, name="样本学校3")
    assert n_named == 1 and named[0].name == "样本学校3"
    assert district_page(on=ON, name="100%_")[1] == 0


def test_a_recorded_term_decides_the_term_end(school):
    """The 任期 recorded by the evaluation app wins over the rule set's term_years, in both directions."""
    from cadres.models import Tenure
    from workflows.evaluation.models import Term

    posts = leader_posts(school, vice_headcount=1, middle_headcount=0)
    short = appoint(posts["secretary"], age=50, start=dt.date(2023, 9, 1))  # rule (3 years): ends 2026-09-01
    renewed = appoint(posts["principal"], age=45, sex=c.Sex.FEMALE, start=dt.date(2021, 9, 1))  # rule: 2024-09-01
    appoint(posts["vice"], age=36)
    admit_reserve(PersonFactory(organization=school), school)
    for person, number, start, end in (
        (short, 1, dt.date(2023, 9, 1), dt.date(2026, 8, 31)),
        (renewed, 1, dt.date(2021, 9, 1), dt.date(2024, 8, 31)),
        (renewed, 2, dt.date(2024, 9, 1), dt.date(2027, 8, 31)),
    ):
        Term.objects.create(
            tenure=Tenure.objects.get(person=person),
            person=person,
            organization=school,
            number=number,
            start_date=start,
            end_date=end,
            term_years=3,
        )
    summary = team_summary(school.pk, on=ON)
    ends = {m.name: (m.term_end, m.term_ending) for m in summary.members}
    assert ends[short.name] == (dt.date(2026, 8, 31), True)
    assert ends[renewed.name] == (dt.date(2027, 8, 31), False)
    assert gaps_both_ways(school) == [Gap.TERM_ENDING]
