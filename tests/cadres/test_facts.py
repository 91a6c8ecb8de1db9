"""Derived facts: ages, spans, party standing, years in post and school, terms, resume lines."""

import datetime as dt
from types import SimpleNamespace as NS

import pytest

from cadres import facts
from cadres.choices import PoliticalStatus

D = dt.date


@pytest.mark.parametrize(
    ("birth", "at", "age"),
    [
        (D(1980, 5, 17), D(2026, 5, 16), 45),
        (D(1980, 5, 17), D(2026, 5, 17), 46),
        (D(1980, 5, 17), D(2026, 5, 18), 46),
        (D(1980, 2, 29), D(2025, 2, 28), 44),  # common year: not yet
        (D(1980, 2, 29), D(2025, 3, 1), 45),  # reached the day after 28 February
        (D(1980, 2, 29), D(2024, 2, 29), 44),  # leap year: on the day
        (D(1980, 2, 29), D(2024, 2, 28), 43),
        (D(2000, 1, 1), D(1999, 1, 1), 0),  # asked before birth
    ],
)
def test_age_in_full_years(birth, at, age):
    assert facts.age_on(birth, at) == age


@pytest.mark.parametrize(
    ("start", "end", "months", "text"),
    [
        (D(2020, 3, 1), D(2022, 3, 1), 24, "2年"),
        (D(2020, 3, 1), D(2022, 2, 28), 23, "1年11个月"),
        (D(2020, 3, 15), D(2020, 4, 14), 0, "不满1个月"),
        (D(2020, 3, 15), D(2020, 4, 15), 1, "1个月"),
        (D(2020, 1, 31), D(2020, 2, 29), 0, "不满1个月"),
        (D(2022, 1, 1), D(2021, 1, 1), 0, "不满1个月"),
    ],
)
def test_span_counts_full_months_and_prints_in_chinese(start, end, months, text):
    span = facts.span_between(start, end)
    assert span.total_months == months
    assert str(span) == text


def test_years_of_work_counts_full_years():
    assert facts.years_of_work(D(2002, 8, 1), D(2026, 7, 31)) == 23
    assert facts.years_of_work(D(2002, 8, 1), D(2026, 8, 1)) == 24


def test_party_standing():
    member = facts.party_standing(PoliticalStatus.CPC_MEMBER, D(2003, 6, 1), D(2026, 6, 1))
    assert (member.is_member, member.years, str(member)) == (True, 23, "党龄23年")
    probationary = facts.party_standing(PoliticalStatus.CPC_PROBATIONARY, D(2026, 1, 1), D(2026, 6, 1))
    assert probationary.is_member and probationary.is_probationary and probationary.years == 0
    masses = facts.party_standing(PoliticalStatus.MASSES, None, D(2026, 6, 1))
    assert not masses.is_member and str(masses) == "非党员"
    before_joining = facts.party_standing(PoliticalStatus.CPC_MEMBER, D(2027, 1, 1), D(2026, 6, 1))
    assert not before_joining.is_member


def _t(post_id, start, end=None):
    return NS(post_id=post_id, start_date=start, end_date=end)


def test_years_in_post_open_ended_and_continuous_across_consecutive_terms():
    tenures = [_t(1, D(2015, 9, 1), D(2020, 8, 31)), _t(1, D(2020, 9, 1))]
    assert facts.years_in_post(tenures, 1, D(2026, 9, 1)) == facts.Span(132)
    assert facts.terms_served(tenures, 1, D(2026, 9, 1)) == 2
    assert facts.terms_served(tenures, 1, D(2018, 1, 1)) == 1


def test_years_in_post_resets_after_a_break_and_is_zero_when_not_holding():
    tenures = [_t(1, D(2010, 1, 1), D(2012, 1, 1)), _t(1, D(2015, 1, 1))]
    assert facts.years_in_post(tenures, 1, D(2016, 1, 1)).years == 1
    assert facts.years_in_post(tenures, 1, D(2013, 6, 1)).total_months == 0
    assert facts.years_in_post(tenures, 2, D(2016, 1, 1)).total_months == 0


def test_years_at_level_adds_up_separate_periods():
    tenures = [_t(1, D(2015, 1, 1), D(2016, 1, 1)), _t(2, D(2018, 1, 1), D(2019, 1, 1)), _t(3, D(2019, 1, 2))]
    levels = {1: "school_deputy", 2: "school_deputy", 3: "school_head"}
    assert facts.years_at_level(tenures, levels, {"school_deputy"}, D(2026, 1, 1)) == facts.Span(24)


def test_years_in_same_school_spans_posts_in_that_school():
    tenures = [_t(1, D(2014, 9, 1), D(2019, 8, 31)), _t(2, D(2019, 9, 1)), _t(3, D(2008, 9, 1), D(2014, 8, 31))]
    orgs = {1: 10, 2: 10, 3: 20}
    assert facts.years_in_school(tenures, orgs, 10, D(2026, 9, 1)).years == 12
    assert facts.years_in_school(tenures, orgs, 20, D(2026, 9, 1)).total_months == 0


def test_resume_lines_format_with_open_end_and_during_lines():
    entries = [
        NS(id=1, start_month=D(1998, 9, 1), end_month=D(2002, 7, 1), text="山东师范大学数学系学习", during_id=None),
        NS(id=2, start_month=D(2002, 8, 1), end_month=None, text="示范区第一中学教师、副校长", during_id=None),
        NS(
            id=3,
            start_month=D(2008, 9, 1),
            end_month=D(2011, 6, 1),
            text="在北京师范大学教育管理专业在职研究生学习，获教育学硕士学位",
            during_id=2,
        ),
    ]
    assert facts.resume_lines(entries) == [
        "1998.09--2002.07  山东师范大学数学系学习",
        "2002.08--         示范区第一中学教师、副校长",
        "（其间：2008.09--2011.06 在北京师范大学教育管理专业在职研究生学习，获教育学硕士学位）",
    ]


def test_resume_gaps_are_found_month_precise():
    entries = [
        NS(id=1, start_month=D(1998, 9, 1), end_month=D(2002, 7, 1), text="a", during_id=None),
        NS(id=2, start_month=D(2002, 8, 1), end_month=D(2005, 1, 1), text="b", during_id=None),
        NS(id=3, start_month=D(2005, 6, 1), end_month=None, text="c", during_id=None),
    ]
    assert facts.resume_gaps(entries) == [(D(2005, 1, 1), D(2005, 6, 1))]


def test_format_month():
    assert facts.format_month(D(1975, 3, 9)) == "1975.03"
    assert facts.format_month(None) == ""


# ---------------------------------------------------------------- education records and current posts


def _edu(level, degree="", end=(2000, 7), pk=1, kind="full_time"):
    return NS(kind=kind, level=level, degree=degree, end_date=dt.date(*end, 1), pk=pk)


def test_education_records_take_the_degree_and_the_level_each_from_its_own_record():
    level_only = _edu("bachelor", "", (2001, 7), pk=1)
    degree_on_it = _edu("bachelor", "master", (2008, 6), pk=2)
    assert facts.education_records([level_only, degree_on_it], "full_time") == (level_only, degree_on_it)


def test_one_record_gives_both_when_it_is_the_only_one_of_the_highest_level():
    both = _edu("master", "master", (2010, 6), pk=3)
    assert facts.education_records([_edu("bachelor", "bachelor", pk=1), both], "full_time") == (both, both)
    assert facts.education_records([both], "in_service") == (None, None)
    assert facts.education_records([_edu("junior_college")], "full_time")[1] is None


def test_current_post_text_names_the_senior_post_first_and_groups_posts_by_unit():
    school = NS(name="第一小学")
    org_id = 7

    def tenure(kind, name, start, end=None, pk=1):
        post = NS(kind=kind, name=name, organization=school, organization_id=org_id)
        return NS(post=post, start_date=dt.date(*start, 1), end_date=end, pk=pk)

    tenures = [
        tenure("vice_principal", "副校长", (2018, 9), pk=1),
        tenure("party_secretary", "党支部书记", (2020, 9), pk=2),
        tenure("principal", "校长", (2010, 9), end=dt.date(2015, 8, 31), pk=3),
    ]
    assert facts.current_post_text(tenures, dt.date(2026, 1, 1)) == "第一小学党支部书记、副校长"
    assert facts.current_post_text(tenures, dt.date(2012, 1, 1)) == "第一小学校长"
    assert facts.current_post_text(tenures, dt.date(2005, 1, 1)) == ""
