"""Competition on real posts through HTTP: the plan page (no ids, codes or JSON), the paper registration page,
judges and meeting members picked with the person picker."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cadres.person_search import person_token
from tests.factories import PersonFactory, TenureFactory
from workflows.competition import services as s
from workflows.competition.flows import CompetitionFlow
from workflows.competition.models import Competition, Registration

from .conftest import CLOSES, OPENS, meeting_data, open_task, plan_form_data, post_task

D = dt.date
F = CompetitionFlow


def visible_text(html: str) -> str:
    """What the page shows: no tags, scripts, styles or attribute values."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_plan_page_shows_posts_with_holders_rules_and_criteria_in_chinese_only(client, world):
    TenureFactory(person=world.carol, post=world.dean, start_date=D(2020, 9, 1))
    client.force_login(world.secretary)
    html = client.get(F.plan.reverse("execute")).content.decode()
    text = visible_text(html)
    assert "教导处主任（职数1，现任：孙海涛）" in text and "德育处主任（职数1，现任：空缺）" in text
    assert "全员竞聘（在任人员一并竞聘）" in text and "空缺岗位竞聘" in text
    assert "专业技术职务要求（局定基本条件，必须适用）" in text and "年龄上限" in text
    assert "演讲答辩成绩" in text and "上移" in text and "教龄" in text
    assert "一级教师" in text and "合格" in text
    for english in ("speech", "evaluation", "years_of_teaching", "min_title", "max_age", "JSON", "{", "None", "False"):
        assert english not in text, english


def test_an_occupied_post_is_reopened_from_the_plan_page(client, world):
    TenureFactory(person=world.carol, post=world.dean, start_date=D(2020, 9, 1))
    client.force_login(world.secretary)
    data = plan_form_data(
        world,
        lines=[(world.dean, "all", 1, 2)],
        rules={"max_age": {"max_age": 50}, "min_work_years": {"years": 8}},
        tie_break=["evaluation", "speech"],
    )
    data["rule_min_title__title"] = "senior"  # the bureau's rule stays, with the school's stricter parameter
    response = client.post(F.plan.reverse("execute"), data)
    assert response.status_code == 302, visible_text(response.content.decode())[-1500:]
    plan = Competition.objects.get().plan
    assert plan["posts"] == [
        {"post": world.dean.pk, "name": "教导处主任", "kind": "all", "seats": 1, "min_candidates": 2}
    ]
    assert plan["tie_break"] == ["evaluation", "speech"]
    assert plan["eligibility"]["max_age"] == {"max_age": 50}
    assert plan["eligibility"]["min_work_years"] == {"years": 8}
    assert plan["eligibility"]["min_title"] == {"title": "senior"}
    assert "appraisal_not_below" in plan["eligibility"]  # a basic condition cannot be unticked


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lines": []}, "须至少选择一个竞聘岗位"),
        ({"lines": [("dean", "vacancy", 1, 2)]}, "空缺0名"),
        ({"rules": {"max_age": {"max_age": ""}}}, "请填写“年龄上限”的年龄上限（周岁）"),
        ({"tie_break": ["speech", "height"]}, "选择一个有效的选项"),
    ],
)
def test_the_plan_page_refuses_with_a_chinese_reason_and_saves_nothing(client, world, change, message):
    TenureFactory(person=world.carol, post=world.dean, start_date=D(2020, 9, 1))
    if "lines" in change:
        change["lines"] = [(getattr(world, p), *rest) for p, *rest in change["lines"]]
    client.force_login(world.secretary)
    response = client.post(F.plan.reverse("execute"), plan_form_data(world, **change))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Competition.objects.exists()


def announced_through_http(client, world) -> Competition:
    client.force_login(world.secretary)
    assert client.post(F.plan.reverse("execute"), plan_form_data(world)).status_code == 302
    case = Competition.objects.get()
    post_task(client, world.secretary, case, F.school_meeting_approval, meeting_data(world, ["agree"] * 5))
    post_task(client, world.officer, case, F.file_with_bureau, {"accepted": "1", "reason": ""})
    assert post_task(client, world.secretary, case, F.announce, {"confirm": "on"}).status_code == 302
    case.refresh_from_db()
    return case


def qualified_through_http(client, world) -> Competition:
    case = announced_through_http(client, world)
    world.today.set(OPENS)
    for user, person in ((world.alice_user, world.alice), (world.bob_user, world.bob)):
        s.registration_submit(competition=case, acting_user=user, person=person, post=world.dean)
    world.today.set(CLOSES + dt.timedelta(days=1))
    post_task(client, world.secretary, case, F.registration, {"confirm": "on"})
    for reg in case.registrations.all():
        data = {"registration": reg.pk, "accept": "1", "reason": ""}
        assert post_task(client, world.secretary, case, F.qualification_review, data).status_code == 302
    case.refresh_from_db()
    assert case.state == "qualified"
    return case


def test_the_paper_registration_page(client, world):
    case = announced_through_http(client, world)
    world.today.set(OPENS)
    url = F.instance.reverse("paper_registration", args=[case.pk])
    client.force_login(world.secretary)
    page = client.get(url)
    assert page.status_code == 200 and "代为录入纸质报名表" in page.content.decode()
    response = client.post(url, {"person": person_token(world.bob.pk), "post": world.dean.pk})
    assert response.status_code == 302
    reg = Registration.objects.get()
    assert reg.paper_form and reg.entered_by == world.secretary
    listing = visible_text(client.get(url).content.decode())
    assert "纸质报名表，代为录入" in listing and "赵立新" in listing
    # the registration step page links to it and shows how each registration was entered
    s.registration_submit(competition=case, acting_user=world.alice_user, person=world.alice, post=world.dean)
    step = client.get(F.registration.reverse("execute", args=[case.pk, open_task(case, F.registration).pk]))
    text = visible_text(step.content.decode())
    assert url in step.content.decode() and "本人报名" in text and "纸质报名表，代为录入" in text
    # refusals carry the reason and write nothing
    refused = client.post(url, {"person": person_token(world.dave.pk), "post": world.dean.pk})
    assert refused.status_code == 400 and "专业技术职务须为一级教师及以上" in refused.content.decode()
    other = client.post(url, {"person": person_token(world.outsider.pk), "post": world.dean.pk})
    assert other.status_code == 400 and "所选人员不在可选范围内" in other.content.decode()
    typed = client.post(url, {"person": "钱志刚", "post": world.dean.pk})
    assert typed.status_code == 400 and "所选人员无效" in typed.content.decode()
    assert Registration.objects.count() == 2
    # the bureau officer may enter one too; a teacher or another school may not reach the page
    client.force_login(world.officer)
    assert client.post(url, {"person": person_token(world.carol.pk), "post": world.moral.pk}).status_code == 302
    client.force_login(world.alice_user)
    assert client.get(url).status_code in (403, 404)
    client.force_login(world.other_secretary)
    assert client.get(url).status_code == 404
    assert client.post(url, {"person": person_token(world.carol.pk), "post": world.dean.pk}).status_code == 404
    assert Registration.objects.count() == 3


def test_judges_are_picked_and_a_judge_without_an_account_is_named(client, world):
    case = qualified_through_http(client, world)
    no_account = PersonFactory(name="何无号", organization=world.school)
    judges = [person_token(p.pk) for p in [*world.judge_people[:4], no_account]]
    response = post_task(
        client, world.secretary, case, F.scoring, {"action": "assign", "post": world.dean.pk, "judges": judges}
    )
    assert "何无号（第一实验小学）没有系统账号" in response.content.decode()
    assert not case.judges.exists()
    typed = post_task(
        client, world.secretary, case, F.scoring, {"action": "assign", "post": world.dean.pk, "judges": ["评委1号"]}
    )
    assert "所选人员无效" in typed.content.decode()
    judges = [person_token(p.pk) for p in world.judge_people[:5]]
    ok = post_task(
        client, world.secretary, case, F.scoring, {"action": "assign", "post": world.dean.pk, "judges": judges}
    )
    assert ok.status_code == 302
    assert [a.judge for a in case.judges.order_by("number")] == world.judges[:5]


def test_the_meeting_page_asks_one_vote_per_present_member(client, world):
    client.force_login(world.secretary)
    client.post(F.plan.reverse("execute"), plan_form_data(world))
    case = Competition.objects.get()
    first = {
        "held_on": "2026-05-21",
        "name": "支委会",
        "form": "meeting",
        "members": [person_token(m.pk) for m in world.members],
        "present": [person_token(m.pk) for m in world.members[:5]],
    }
    response = post_task(client, world.secretary, case, F.school_meeting_approval, first)
    text = visible_text(response.content.decode())
    assert "请逐一选择每位实到成员的表决意见" in text
    assert "委员甲（第一实验小学）对“实施方案”的表决" in text and "委员戊（第一实验小学）对“实施方案”的表决" in text
    assert "委员己（第一实验小学）对" not in text  # absent: no vote row
    votes = {f"vote_{i}_0": "agree" for i in range(5)}
    done = post_task(client, world.secretary, case, F.school_meeting_approval, {**first, **votes})
    assert done.status_code == 302
    meeting = case.meetings.get()
    assert meeting.member_labels[0] == "委员甲（第一实验小学）" and meeting.present == 5
    case.refresh_from_db()
    assert case.state == "approved"


def test_the_plan_page_reads_holders_in_a_fixed_number_of_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cadres import choices as c
    from tests.factories import PostFactory

    def add_posts(n):
        for _i in range(n):
            post = PostFactory(
                organization=world.school,
                name=f"年级组长{len(world.extra)}",
                kind=c.PostKind.MIDDLE_DEPUTY,
                level=c.PostLevel.MIDDLE_DEPUTY,
                headcount=1,
            )
            world.extra.append(post)
            TenureFactory(person=PersonFactory(name=f"组长{len(world.extra)}", organization=world.school), post=post)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(F.plan.reverse("execute")).status_code == 200
        return len(ctx.captured_queries)

    world.extra = []
    client.force_login(world.secretary)
    add_posts(2)
    few = count()
    add_posts(10)
    assert count() == few
