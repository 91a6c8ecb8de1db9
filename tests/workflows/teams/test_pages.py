"""The team pages as the roles drive them: scoping, the overview's filters and counts, its query count, and
the 班子结构分析 document."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cadres import choices as c
from cadres.roles import Role
from dossiers.models import DossierDocument
from tests.factories import OrganizationFactory, PersonFactory, UserFactory

from .conftest import admit_reserve, appoint, leader_posts

pytestmark = pytest.mark.django_db


def test_an_officer_sees_any_school_team(client, officer, school, full_team):
    client.force_login(officer)
    response = client.get(reverse("teams:school", args=[school.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    for name in ("王书记", "李校长", "赵副校长", "钱副校长", "孙主任", "吴后备"):
        assert name in text
    assert "未发现结构性问题" in text


def test_a_school_secretary_sees_only_their_own_school(client, school_secretary, school, other_school, full_team):
    client.force_login(school_secretary)
    assert client.get(reverse("teams:school", args=[school.pk])).status_code == 200
    assert client.get(reverse("teams:school", args=[other_school.pk])).status_code == 404
    assert client.get(reverse("teams:overview")).status_code == 404
    index = client.get(reverse("teams:index"))
    assert index.status_code == 302 and index.url == reverse("teams:school", args=[school.pk])


def test_a_teacher_is_refused_and_another_school_secretary_gets_404(client, school, other_school, full_team):
    teacher = UserFactory(roles=[Role.TEACHER], organization=school)
    client.force_login(teacher)
    # the area itself is closed to a teacher (as the reserve pool is): refused before any school is looked up
    for url in (reverse("teams:school", args=[school.pk]), reverse("teams:overview"), reverse("teams:index")):
        response = client.get(url)
        assert response.status_code in (403, 404)
        assert "王书记" not in response.content.decode()
    other_secretary = UserFactory(roles=[Role.SCHOOL_SECRETARY], organization=other_school)
    client.force_login(other_secretary)
    assert client.get(reverse("teams:school", args=[school.pk])).status_code == 404
    assert client.post(reverse("teams:dossier", args=[school.pk])).status_code == 404


def test_the_overview_counts_and_filters_gaps(client, officer, school, full_team):
    lonely = OrganizationFactory(name="西山小学", short_name="西山小学", township="西山镇")
    posts = leader_posts(lonely, vice_headcount=1, middle_headcount=0)
    appoint(posts["secretary"], age=55, sex=c.Sex.FEMALE)
    appoint(posts["principal"], age=50, sex=c.Sex.FEMALE)
    client.force_login(officer)
    response = client.get(reverse("teams:overview"))
    assert response.status_code == 200
    assert "No viewsets found" not in response.content.decode()  # viewflow's English notice for an empty menu
    counts = {row["code"]: row["n"] for row in response.context["counts"]}
    assert counts == {
        "no_young": 1,
        "one_sex": 1,
        "vacancy": 1,
        "middle_vacancy": 0,
        "term_ending": 0,
        "no_reserve": 1,
    }
    assert [r["school"].pk for r in response.context["rows"]] == [school.pk, lonely.pk]
    filtered = client.get(reverse("teams:overview"), {"gap": "one_sex"})
    assert [r["school"].pk for r in filtered.context["rows"]] == [lonely.pk]
    assert "班子成员性别单一" in filtered.content.decode()
    by_town = client.get(reverse("teams:overview"), {"township": "西山镇", "gap": "any"})
    assert [r["school"].pk for r in by_town.context["rows"]] == [lonely.pk]
    assert client.get(reverse("teams:overview"), {"gap": "nonsense"}).status_code == 200


def _schools(n: int):
    for i in range(n):
        org = OrganizationFactory(township=f"镇{i % 3}")
        posts = leader_posts(org, vice_headcount=2, middle_headcount=1)
        appoint(posts["secretary"], age=50)
        appoint(posts["vice"], age=36 + i % 10, sex=c.Sex.FEMALE if i % 2 else c.Sex.MALE)
        appoint(posts["middle"], age=33)
        if i % 4:
            admit_reserve(PersonFactory(organization=org), org)


@pytest.mark.parametrize("n", [5, 50])
def test_the_overview_query_count_does_not_grow_with_schools(client, officer, n, django_assert_max_num_queries):
    _schools(n)
    client.force_login(officer)
    client.get(reverse("teams:overview"))  # session and user warmed up
    # 5 for the session, user, profile and menu; 4 for the page (townships, counts, page count, page rows)
    with django_assert_max_num_queries(13):  # 9, the rule set for the term length, the top bar's unread count
        response = client.get(reverse("teams:overview"), {"gap": "vacancy", "township": "镇1"})
    assert response.status_code == 200
    assert response.context["total"] == n


def test_the_team_page_query_count_is_constant(client, officer, school, full_team, django_assert_max_num_queries):
    client.force_login(officer)
    client.get(reverse("teams:school", args=[school.pk]))
    with django_assert_max_num_queries(16):  # 13, and the rule set that gives the term length
        assert client.get(reverse("teams:school", args=[school.pk])).status_code == 200


def test_a_secretary_generates_the_team_structure_document(
    client, school_secretary, school, full_team, django_capture_on_commit_callbacks
):
    client.force_login(school_secretary)
    page = client.get(reverse("teams:school", args=[school.pk]))
    assert "生成班子结构分析" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("teams:dossier", args=[school.pk]))
    assert response.status_code == 302
    doc = DossierDocument.objects.get(kind="team_structure")
    assert doc.organization_id == school.pk
    doc.refresh_from_db()
    assert doc.status == DossierDocument.Status.RENDERED  # rendered after commit (inline in tests)
    content = doc.content
    assert content["title"] == "第一实验小学领导班子结构分析"
    assert [m["name"] for m in content["members"]] == ["王书记", "李校长", "赵副校长", "钱副校长"]
    assert content["gaps"] == []
    assert client.get(response.url).status_code == 200


def test_the_overview_pages_fifty_schools_at_a_time_and_links_the_pages(client, officer):
    OrganizationFactory.create_batch(51, township="东山镇")
    client.force_login(officer)
    first = client.get(reverse("teams:overview"), {"township": "东山镇"}).content.decode()
    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert "&amp;page=2" in first  # the filter is kept in the page links
    second = client.get(reverse("teams:overview"), {"township": "东山镇", "page": 2}).content.decode()
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert "第 2 / 2 页" in second
