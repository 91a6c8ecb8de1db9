"""Rule sets per post level (issue 11 item 8) and principal selection's refusals through the page and the API
(item 5): code, Chinese detail, English with `Accept-Language: en`, nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from viewflow.workflow.models import Task

from audit.models import AuditEvent
from cadres import choices as c
from cadres.models import RuleSet
from tests.factories import PersonFactory, PostFactory, TenureFactory
from workflows.principal_selection import services as s
from workflows.principal_selection.models import SelectionCase

from .conftest import FLOW, eligible_person
from .stages import proposed

D = dt.date
URL = "/api/principal-selection/cases/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def middle_head(world):
    """A 中层正职 (教导主任) of seven years, never a 副职 — the person issue 11 says was wrongly refused."""
    person = eligible_person(world.school, "钱中层", deputy_post=world.deputy_post)
    person.tenures.all().delete()
    dean = PostFactory(organization=world.school, name="教导主任", level=c.PostLevel.MIDDLE_HEAD, headcount=1)
    TenureFactory(person=person, post=dean, start_date=D(2019, 3, 1))
    return person


@pytest.fixture
def deputy_vacancy(world):
    return PostFactory(
        organization=world.school, name="副校长（分管教学）", level=c.PostLevel.SCHOOL_DEPUTY, headcount=1
    )


def _case(world, post):
    return s.case_propose(
        case=SelectionCase(flow_class=FLOW), acting_user=world.officer, post=post, started_on=D(2026, 3, 2)
    )


def test_a_middle_head_of_seven_years_qualifies_for_a_deputy_post(world, middle_head, deputy_vacancy):
    case = _case(world, deputy_vacancy)
    assert s.candidate_refusals(middle_head, case=case, on=D(2026, 3, 20)) == []


def test_a_deputy_post_needs_three_years_as_middle_head(world, deputy_vacancy):
    junior = PersonFactory(name="李新任", organization=world.school, birth_date=D(1988, 1, 1))
    person = eligible_person(world.school, "周短期", deputy_post=world.deputy_post)
    person.tenures.all().delete()
    dean = PostFactory(organization=world.school, name="德育主任", level=c.PostLevel.MIDDLE_HEAD, headcount=1)
    TenureFactory(person=person, post=dean, start_date=D(2024, 9, 1))
    case = _case(world, deputy_vacancy)
    reasons = s.candidate_refusals(person, case=case, on=D(2026, 3, 20))
    assert reasons == ["须任中层正职（或以上职务）满3年，现1年6个月"]
    assert junior.pk  # a staff member without posts is refused too
    assert "须任中层正职（或以上职务）满3年" in " ".join(s.candidate_refusals(junior, case=case, on=D(2026, 3, 20)))


def test_a_principal_post_still_needs_two_years_as_deputy(world, middle_head):
    case = _case(world, world.post)
    assert s.candidate_refusals(middle_head, case=case, on=D(2026, 3, 20)) == ["须任副职满2年，现不满1个月"]
    assert s.candidate_refusals(world.alice, case=case, on=D(2026, 3, 20)) == []


def test_each_level_has_its_own_editable_rule_set(world, admin_client):
    sets = RuleSet.objects.filter(purpose="principal_shortlist", effective_to__isnull=True)
    by_level = {r.post_level: [i.rule_code for i in r.items.all()] for r in sets}
    assert "min_years_as_deputy" in by_level[c.PostLevel.SCHOOL_HEAD]
    assert "min_years_as_middle_head" in by_level[c.PostLevel.SCHOOL_DEPUTY]
    assert "min_years_as_deputy" not in by_level[c.PostLevel.SCHOOL_DEPUTY]
    deputy_set = sets.get(post_level=c.PostLevel.SCHOOL_DEPUTY)
    page = admin_client.get(f"/admin/cadres/ruleset/{deputy_set.pk}/change/")
    assert page.status_code == 200 and "适用职务层级" in page.content.decode()


def test_no_rule_set_for_the_level_is_a_refusal_not_an_exception(world, deputy_vacancy):
    RuleSet.objects.filter(purpose="principal_shortlist", post_level=c.PostLevel.SCHOOL_DEPUTY).delete()
    with pytest.raises(s.SelectionRefused) as refused:
        _case(world, deputy_vacancy)
    assert refused.value.code == "no_rule_set"
    assert refused.value.messages == [
        "2026年3月2日没有适用于“校长选拔：确定考察对象”（校级副职）的规则集，请管理员在“规则集”中添加。"
    ]
    assert not SelectionCase.objects.exists()


def test_no_rule_set_is_refused_on_the_page(client, world, deputy_vacancy):
    RuleSet.objects.filter(purpose="principal_shortlist", post_level=c.PostLevel.SCHOOL_DEPUTY).delete()
    client.force_login(world.officer)
    data = {"post": deputy_vacancy.pk, "started_on": "2026-03-02", "method": "recommendation", "posts_to_fill": 1}
    page = client.post(FLOW.propose.reverse("execute"), data)
    assert page.status_code == 200
    assert "没有适用于“校长选拔：确定考察对象”（校级副职）的规则集" in page.content.decode()
    assert not SelectionCase.objects.exists()


def _api(user, **headers):
    api = APIClient(**headers)
    api.force_authenticate(user)
    return api


def test_no_rule_set_is_refused_in_the_api_and_nothing_is_written(world, deputy_vacancy):
    RuleSet.objects.filter(purpose="principal_shortlist", post_level=c.PostLevel.SCHOOL_DEPUTY).delete()
    events, tasks = AuditEvent.objects.count(), Task.objects.count()
    body = {"post": deputy_vacancy.pk, "started_on": "2026-03-02"}
    response = _api(world.officer).post(URL, body, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "code": "no_rule_set",
        "detail": "2026年3月2日没有适用于“校长选拔：确定考察对象”（校级副职）的规则集，请管理员在“规则集”中添加。",
        "params": {"d": "2026-03-02", "p": "校长选拔：确定考察对象", "level": "校级副职"},
        "reasons": [],
    }
    assert not SelectionCase.objects.exists()
    assert (AuditEvent.objects.count(), Task.objects.count()) == (events, tasks)


def test_the_api_opens_a_case_under_the_post_levels_rule_set(world, deputy_vacancy):
    response = _api(world.officer).post(URL, {"post": deputy_vacancy.pk, "started_on": "2026-03-02"}, format="json")
    assert response.status_code == 201, response.json()
    case = SelectionCase.objects.get(pk=response.json()["id"])
    assert (case.post, case.state) == (deputy_vacancy, "proposed")
    assert [step["step"] for step in response.json()["steps"]] == ["propose", "recommend"]


def test_only_bureau_officers_open_cases_through_the_api(world, deputy_vacancy):
    response = _api(world.school_user).post(URL, {"post": deputy_vacancy.pk, "started_on": "2026-03-02"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "只有教育局组织人事科干部可以动议校长选拔。"
    assert not SelectionCase.objects.exists()


def test_an_api_refusal_reads_in_english_with_accept_language_en(world):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    body = {"post": world.post.pk, "started_on": tomorrow}
    chinese = _api(world.officer).post(URL, body, format="json")
    assert chinese.status_code == 409 and chinese.json()["code"] == "future_date"
    assert chinese.json()["detail"].startswith("动议日期（")
    english = _api(world.officer, HTTP_ACCEPT_LANGUAGE="en").post(URL, body, format="json")
    assert english.status_code == 409 and english.json()["code"] == "future_date"
    assert (
        english.json()["detail"].startswith("Proposal date (")
        and "cannot be later than today" in english.json()["detail"]
    )
    assert not SelectionCase.objects.exists()


def test_a_refusal_mid_step_writes_nothing(world):
    """The decision meeting refuses part-way (dates, checks and recusals passed; a present member did not
    vote): no meeting, no member vote, no audit event is left behind."""
    from .stages import signed, votes_for

    case = signed(world)
    events = AuditEvent.objects.count()
    members = world.members
    votes = votes_for(case, world, members[:6], {world.alice: "agree", world.bob: "agree"})
    del votes[members[5].pk]
    with pytest.raises(s.SelectionRefused) as refused:
        s.meeting_record(
            case=case,
            acting_user=world.secretary,
            held_on=D(2026, 4, 10),
            name="会",
            members=members,
            present=members[:6],
            votes=votes,
        )
    assert refused.value.code == "vote_missing"
    assert refused.value.messages[0] == "到会成员须逐一表态（同意、不同意或缓议）："
    assert not case.meetings.exists()
    assert AuditEvent.objects.count() == events


def test_principal_selection_refusals_translate_with_placeholders(world):
    """A refusal keeps its template and parameters: the same error reads in Chinese and, once the English
    catalogue has the msgid, in English — the numbers come from `params`, not from an f-string."""
    case = proposed(world)
    with pytest.raises(s.SelectionRefused) as refused:
        s.recommendation_record(
            case=case,
            acting_user=world.officer,
            form="meeting",
            held_on=D(2026, 3, 10),
            voters=[{"category": "班子", "due": 9, "attended": 5}],
            votes={},
        )
    assert refused.value.code == "no_quorum"
    assert refused.value.params == {"due": 9, "attended": 5, "needed": 6, "ratio": "2/3"}
    assert str(refused.value) == "会议推荐应到9人，实到5人，不足6人（2/3），推荐无效。"
    assert refused.value.as_json()["params"] == {"due": 9, "attended": 5, "needed": 6, "ratio": "2/3"}
