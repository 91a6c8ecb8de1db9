"""Reads: who sees which entries, the pool's structure against a hand-computed fixture, targets, quotas,
the near-term share, and pool members listed first for a selection."""

import datetime as dt

import pytest

from cadres import choices as c
from cadres.ethics.models import SanctionKind
from cadres.ethics.services import sanction_record
from cadres.roles import Role
from cadres.rules import rule_set_in_force
from reserve_pool import selectors
from reserve_pool.choices import Horizon, ReserveKind, ReserveState
from reserve_pool.rules import RESERVE_POOL_PURPOSE
from tests.factories import EducationFactory, OrganizationFactory, PersonFactory, TitleFactory, UserFactory

from .conftest import entry_in, make_teacher

pytestmark = pytest.mark.django_db
D = dt.date
S = ReserveState
ON = D(2026, 6, 1)


# ----------------------------------------------------------------------------- scope


@pytest.fixture
def two_schools(officer, school, other_school, posts):
    mine = entry_in(S.NOMINATED, make_teacher(school, "本校甲"), officer)
    pooled = entry_in(S.IN_POOL, make_teacher(school, "本校乙"), officer, horizon=Horizon.LONG_TERM)
    theirs = entry_in(S.IN_POOL, make_teacher(other_school, "外校丙"), officer)
    return mine, pooled, theirs


def test_bureau_users_see_every_entry(officer, inspector, two_schools):
    assert set(selectors.entries_visible_to(officer)) == set(two_schools)
    assert set(selectors.entries_visible_to(inspector)) == set(two_schools)


def test_a_school_sees_only_its_own_nominees(school_secretary, other_secretary, two_schools):
    mine, pooled, theirs = two_schools
    assert set(selectors.entries_visible_to(school_secretary)) == {mine, pooled}
    assert set(selectors.entries_visible_to(other_secretary)) == {theirs}
    assert list(selectors.pool_entries(user=school_secretary)) == [pooled]


def test_teachers_do_not_browse_the_pool(school, two_schools):
    mine = two_schools[0]
    teacher_user = UserFactory(roles=[Role.TEACHER], organization=school, organization__person=mine.person)
    assert not selectors.entries_visible_to(teacher_user).exists()


def test_entry_list_filters(officer, school, two_schools):
    mine, pooled, theirs = two_schools
    assert list(selectors.entry_list(user=officer, state=S.IN_POOL)) == [pooled, theirs]
    assert list(selectors.entry_list(user=officer, horizon=Horizon.LONG_TERM)) == [pooled]
    assert list(selectors.entry_list(user=officer, organization_id=school.pk)) == [pooled, mine]  # by name: 乙 < 甲
    assert list(selectors.entry_list(user=officer, kind=ReserveKind.HEAD)) == []


# ----------------------------------------------------------------------------- structure


@pytest.fixture
def structure_pool(officer, school, other_school, bureau):
    """Five pool members and one removed entry; the expected figures below are counted by hand."""
    junior = OrganizationFactory(name="湖塘初级中学", stage=c.Stage.JUNIOR, township="湖塘镇", parent=bureau)

    def person(
        name, org, sex, birth, *, education=None, title=None, subject="", political=c.PoliticalStatus.CPC_MEMBER
    ):
        p = PersonFactory(
            name=name, organization=org, sex=sex, birth_date=birth, subject=subject, political_status=political
        )
        for level in education or []:
            EducationFactory(person=p, level=level)
        for rank, obtained in title or []:
            TitleFactory(person=p, title=rank, obtained_on=obtained)
        return p

    B, M, JC = c.EducationLevel.BACHELOR, c.EducationLevel.MASTER, c.EducationLevel.JUNIOR_COLLEGE
    people = [
        (
            person("甲", school, "F", D(1996, 1, 10), education=[B], title=[("first", D(2022, 12, 1))], subject="语文"),
            ReserveKind.DEPUTY,
            Horizon.NEAR_TERM,
        ),
        (
            person("乙", school, "M", D(1990, 6, 1), education=[M], title=[("senior", D(2024, 12, 1))], subject="数学"),
            ReserveKind.HEAD,
            Horizon.NEAR_TERM,
        ),
        (
            person(
                "丙",
                junior,
                "F",
                D(1985, 6, 2),
                education=[B],
                title=[("first", D(2015, 12, 1))],
                subject="语文",
                political=c.PoliticalStatus.DEMOCRATIC_PARTY,
            ),
            ReserveKind.DEPUTY,
            Horizon.LONG_TERM,
        ),
        (
            person(
                "丁",
                junior,
                "M",
                D(1981, 1, 1),
                education=[JC, B],
                title=[("second", D(2010, 12, 1)), ("first", D(2026, 7, 1))],
            ),
            ReserveKind.HEAD,
            Horizon.LONG_TERM,
        ),
        (
            person("戊", other_school, "M", D(1991, 3, 3), subject="英语", political=c.PoliticalStatus.MASSES),
            ReserveKind.DEPUTY,
            Horizon.NEAR_TERM,
        ),
    ]
    for p, kind, horizon in people:
        post_kind = c.PostKind.PRINCIPAL if kind == ReserveKind.HEAD else c.PostKind.VICE_PRINCIPAL
        entry_in(S.IN_POOL, p, officer, kind=kind, post_kind=post_kind, horizon=horizon)
    entry_in(S.REMOVED, person("己", school, "F", D(1988, 1, 1)), officer)


def _counts(dimension):
    return [(row["key"], row["count"]) for row in dimension["rows"]]


def test_pool_structure_matches_the_hand_count(officer, structure_pool):
    result = selectors.pool_structure(selectors.pool_entries(user=officer), on=ON)
    assert result["total"] == 5 and result["on"] == "2026-06-01"
    dims = result["dimensions"]
    assert list(dims) == ["age_band", "sex", "education", "title", "subject", "stage", "kind", "horizon", "township"]
    assert _counts(dims["age_band"]) == [("le30", 1), ("31_35", 1), ("36_40", 2), ("41_45", 1), ("ge46", 0)]
    assert _counts(dims["sex"]) == [("M", 3), ("F", 2)]
    assert _counts(dims["education"]) == [("master", 1), ("bachelor", 3), ("none", 1)]
    assert _counts(dims["title"]) == [("senior", 1), ("first", 2), ("second", 1), ("none", 1)]
    assert _counts(dims["subject"]) == [("语文", 2), ("数学", 1), ("英语", 1), ("none", 1)]
    assert _counts(dims["stage"]) == [("primary", 3), ("junior", 2)]
    assert _counts(dims["kind"]) == [("head", 2), ("deputy", 3)]
    assert _counts(dims["horizon"]) == [("near_term", 3), ("long_term", 2)]
    assert _counts(dims["township"]) == [("城关街道", 3), ("湖塘镇", 2)]
    assert dims["age_band"]["label"] == "年龄"
    assert dims["age_band"]["rows"][2] == {"key": "36_40", "label": "36—40岁", "count": 2, "percent": 40.0}
    assert dims["education"]["rows"][2] == {"key": "none", "label": "未填写", "count": 1, "percent": 20.0}


def test_pool_structure_of_an_empty_pool():
    result = selectors.pool_structure(selectors.ReserveEntry.objects.none(), on=ON)
    assert result["total"] == 0
    assert result["dimensions"]["sex"]["rows"] == [
        {"key": "M", "label": "男", "count": 0, "percent": 0.0},
        {"key": "F", "label": "女", "count": 0, "percent": 0.0},
    ]
    assert result["dimensions"]["education"]["rows"] == []


def test_structure_targets_shown_against_actual(officer, structure_pool):
    item = rule_set_in_force(RESERVE_POOL_PURPOSE, ON).items.get(rule_code="reserve_structure_targets")
    item.params = {"women_percent": 50, "non_party_percent": 10}
    item.save()
    assert selectors.structure_against_targets(selectors.pool_entries(user=officer), on=ON) == [
        {
            "key": "women",
            "label": "女性",
            "target_percent": 50.0,
            "count": 2,
            "total": 5,
            "actual_percent": 40.0,
            "met": False,
        },
        {
            "key": "non_party",
            "label": "非中共党员",
            "target_percent": 10.0,
            "count": 2,
            "total": 5,
            "actual_percent": 40.0,
            "met": True,
        },
    ]


# ----------------------------------------------------------------------------- quotas and share


def test_quota_usage_per_school_and_category(officer, school, other_school, posts, bureau, django_assert_num_queries):
    entry_in(S.IN_POOL, make_teacher(school, "甲"), officer)
    entry_in(S.SHORTLISTED, make_teacher(school, "乙"), officer, kind="head", post_kind=c.PostKind.PRINCIPAL)
    entry_in(S.REMOVED, make_teacher(school, "丙"), officer, kind="head", post_kind=c.PostKind.PRINCIPAL)
    unposted = OrganizationFactory(name="无职位学校", parent=bureau)
    entry_in(S.IN_POOL, make_teacher(unposted, "丁"), officer)
    with django_assert_num_queries(5):
        usage = selectors.quota_usage(on=ON)
    rows = {(r["organization"], r["post_kind"]): r for r in usage}
    assert {k: (r["seats"], r["limit"], r["used"], r["remaining"]) for k, r in rows.items()} == {
        ("第一实验小学", "principal"): (1, 2, 1, 1),
        ("第一实验小学", "vice_principal"): (1, 1, 1, 0),
        ("第二实验小学", "principal"): (1, 2, 0, 2),
        ("第二实验小学", "vice_principal"): (1, 1, 0, 1),
        ("无职位学校", "vice_principal"): (1, 1, 1, 0),
    }
    assert rows[("第一实验小学", "principal")]["post_kind_label"] == "校长"
    assert rows[("第一实验小学", "principal")]["kind_label"] == "正职后备"
    scoped = selectors.quota_usage(organizations=selectors.Organization.objects.filter(pk=other_school.pk), on=ON)
    assert {r["organization"] for r in scoped} == {"第二实验小学"}


def test_near_term_share_figures(officer, two_schools):
    assert selectors.near_term_share(on=ON).as_dict() == {
        "total": 2,
        "near_term": 1,
        "long_term": 1,
        "required": 1,
        "ratio": "1/3",
        "percent": 50.0,
        "met": True,
    }


# ----------------------------------------------------------------------------- pool members first


def test_eligible_pool_members_near_term_first_without_the_vetoed_or_ineligible(officer, school, other_school, posts):
    vice = {"post_kind": c.PostKind.VICE_PRINCIPAL}
    long_early = entry_in(
        S.IN_POOL, make_teacher(school, "远期早"), officer, horizon=Horizon.LONG_TERM, admitted_on=D(2026, 1, 5), **vice
    )
    near_late = entry_in(S.IN_POOL, make_teacher(school, "近期晚"), officer, admitted_on=D(2026, 4, 1), **vice)
    near_early = entry_in(S.IN_POOL, make_teacher(other_school, "近期早"), officer, admitted_on=D(2026, 2, 1), **vice)
    vetoed = entry_in(S.IN_POOL, make_teacher(school, "受处分"), officer, **vice)
    sanction_record(
        acting_user=officer,
        person=vetoed.person,
        kind=SanctionKind.WARNING,
        decided_on=D(2026, 5, 1),
        authority="区教育局",
    )
    entry_in(S.IN_POOL, make_teacher(school, "超龄", birth=D(1980, 1, 1)), officer, **vice)
    entry_in(S.SHORTLISTED, make_teacher(school, "已在考察"), officer, **vice)
    entry_in(S.IN_POOL, make_teacher(school, "正职后备"), officer, kind="head", post_kind=c.PostKind.PRINCIPAL)

    assert selectors.eligible_pool_members(c.PostKind.VICE_PRINCIPAL, on=ON) == [near_early, near_late, long_early]
    assert selectors.eligible_pool_members(c.PostKind.VICE_PRINCIPAL, school, on=ON) == [near_late, long_early]
    reasons = {m.entry.person.name: m.reasons for m in selectors.pool_members(c.PostKind.VICE_PRINCIPAL, on=ON)}
    assert reasons["超龄"] == ["年龄须不超过45周岁，现46周岁"]
    assert reasons["受处分"] == ["受警告处理（2026年05月01日决定），影响期至2026年10月31日（含），期间不得后备干部入库"]
    assert "已在考察" not in reasons and "正职后备" not in reasons


def test_pool_structure_reads_in_three_queries(officer, structure_pool, django_assert_num_queries):
    queryset = selectors.pool_entries(user=officer)
    with django_assert_num_queries(3):  # entries with people and schools, educations, titles
        selectors.pool_structure(queryset, on=ON)
