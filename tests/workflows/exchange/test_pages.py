"""The pages as the roles drive them: the officer drafts through forms and sees every check before approval;
school users do not see plans at all (404); other bureau users read but do not write."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from cadres import choices as c
from cadres.models import Tenure
from cadres.person_search import person_token
from tests.factories import FamilyMemberFactory
from workflows.exchange.models import ExchangePlan, PlanState

from .conftest import draft, today

pytestmark = pytest.mark.django_db


def scope_of(page: str) -> str:
    """The signed restriction the page's person picker sends to the search (only sitting cadres)."""
    url = html.unescape(re.search(r'data-url="([^"]+)"', page).group(1))
    return parse_qs(urlparse(url).query)["scope"][0]


def detail(plan):
    return reverse("exchange:plans:detail", args=[plan.pk])


def test_school_users_cannot_see_plans(client, officer, school_secretary, district):
    d = district
    plan = draft(officer, [(d.a, d.a_tenure, d.posts[1].vice)])
    client.force_login(school_secretary)
    # The application's gate answers alike for every URL, an existing plan or not: nothing tells them apart.
    for url in (
        reverse("exchange:plans:index"),
        detail(plan),
        reverse("exchange:plans:detail", args=[plan.pk + 100]),
        reverse("exchange:plans:move_add", args=[plan.pk]) + f"?person={person_token(d.a.pk)}",
    ):
        response = client.get(url)
        assert response.status_code in (403, 404) and "甲副校长" not in response.content.decode()
    assert client.get(detail(plan)).status_code == client.get(reverse("exchange:plans:detail", args=[999])).status_code
    response = client.post(reverse("exchange:plans:action", args=[plan.pk, "approve"]), {"meeting_name": "x"})
    assert response.status_code in (403, 404)
    assert ExchangePlan.objects.get(pk=plan.pk).state == PlanState.DRAFT


def test_a_committee_member_reads_the_plan_but_cannot_decide_it(client, officer, committee_member, district):
    d = district
    plan = draft(officer, [(d.a, d.a_tenure, d.posts[1].vice)])
    client.force_login(committee_member)
    page = client.get(detail(plan)).content.decode()
    assert "甲副校长" in page and "approve-form" not in page
    response = client.post(
        reverse("exchange:plans:action", args=[plan.pk, "approve"]),
        {"meeting_name": "会议", "meeting_date": today().isoformat()},
        follow=True,
    )
    assert "只有教育局组织人事科干部可以办理交流轮岗方案" in response.content.decode()
    assert ExchangePlan.objects.get(pk=plan.pk).state == PlanState.DRAFT


def test_the_officer_drafts_sees_the_recusal_refusal_before_approval_and_applies(client, officer, district):
    d = district
    FamilyMemberFactory(person=d.c, relative=d.p2, relation=c.Relation.SPOUSE, name=d.p2.name)
    client.force_login(officer)
    response = client.post(
        reverse("exchange:plans:index"), {"title": "秋季交流方案", "effective_date": today().isoformat()}
    )
    plan = ExchangePlan.objects.get()
    assert response.status_code == 302 and response.url == detail(plan)

    page = client.get(detail(plan)).content.decode()
    assert "到期应交流人员" in page and "在本校任领导职务已" in page  # the due list, with the reason
    assert page.count("add-person") >= 3  # the person picker and the due list offer "加入方案"
    assert 'role="combobox"' in page and f"person={d.a.pk}&" not in page  # links carry tokens, not ids
    found = client.get(reverse("registry:people:search"), {"q": "甲副校长", "scope": scope_of(page)}).json()
    assert [r["name"] for r in found["results"]] == ["甲副校长"]
    add = reverse("exchange:plans:move_add", args=[plan.pk])
    form = client.get(add, {"person": found["results"][0]["value"]}).content.decode()
    assert "第二实验小学" in form and "副校长" in form
    assert "<select" in form and form.count("<option") < 20  # a short list, never every post
    for person, tenure, post in ((d.a, d.a_tenure, d.posts[2].vice), (d.c, d.c_tenure, d.posts[1].vice)):
        token = person_token(person.pk)
        response = client.post(f"{add}?person={token}", {"person": token, "from_tenure": tenure.pk, "to_post": post.pk})
        assert response.status_code == 302, response.content.decode()

    page = client.get(detail(plan)).content.decode()
    assert "1名人选未通过核查，方案不能批准" in page
    assert "任职回避</strong>：乙校长（配偶）任本校校长" in page

    response = client.post(
        reverse("exchange:plans:action", args=[plan.pk, "approve"]),
        {"meeting_name": "区教育工委第7次会议", "meeting_date": today().isoformat()},
        follow=True,
    )
    assert "方案中有人选未通过核查，不能批准" in response.content.decode()
    assert ExchangePlan.objects.get().state == PlanState.DRAFT

    move = plan.moves.get(person=d.c)
    client.post(reverse("exchange:plans:move_remove", args=[plan.pk, move.pk]))
    client.post(
        reverse("exchange:plans:action", args=[plan.pk, "approve"]),
        {"meeting_name": "区教育工委第7次会议", "meeting_date": today().isoformat()},
    )
    assert ExchangePlan.objects.get().state == PlanState.APPROVED
    response = client.post(
        reverse("exchange:plans:action", args=[plan.pk, "apply"]),
        {"first_document_number": f"示教工委〔{today().year}〕8号"},
        follow=True,
    )
    assert "方案已实施" in response.content.decode()
    assert Tenure.objects.get(person=d.a, end_date__isnull=True).post == d.posts[2].vice
    page = response.content.decode()
    assert "起任新职" in page and "check-recusal" not in page  # the made plan shows the new posts, not live checks
    assert "示教工委" in page


def test_bad_input_gets_a_chinese_answer_not_a_500(client, officer, district):
    d = district
    plan = draft(officer, [(d.a, d.a_tenure, d.posts[1].vice)])
    client.force_login(officer)
    add = reverse("exchange:plans:move_add", args=[plan.pk])
    assert client.get(add, {"person": "abc"}).status_code == 404
    assert client.get(add, {"person": d.b.pk}).status_code == 404  # a bare id is not a person
    token = person_token(d.b.pk)
    response = client.post(f"{add}?person={token}", {"person": token, "from_tenure": d.b_tenure.pk, "to_post": 999999})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    response = client.post(reverse("exchange:plans:action", args=[plan.pk, "apply"]), {}, follow=True)
    assert "不能进行此项操作" in response.content.decode() or "须填写首个任免文号" in response.content.decode()
    assert client.post(reverse("exchange:plans:action", args=[plan.pk, "nonsense"])).status_code == 404


def test_the_watch_list_links_the_bureau_to_the_exchange_plans(client, officer, district):
    from workflows.principal_selection.flows import PrincipalSelectionFlow

    client.force_login(officer)
    page = client.get(PrincipalSelectionFlow.instance.reverse("watch")).content.decode()
    assert "任职交流到期" in page and 'id="exchange-plan-link"' in page
