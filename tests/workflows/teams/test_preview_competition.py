"""The competition's decision page and the 能上能下 decision page show the school's team before and after."""

from __future__ import annotations

import datetime as dt

import pytest
from viewflow.workflow.status import STATUS

import config.urls  # noqa: F401  (builds the site URLs, so flow nodes can reverse their own)
from tests.factories import TenureFactory
from tests.workflows.competition.conftest import (  # noqa: F401  (fixtures)
    announced_case,
    open_task,
    post_task,
    today,
    world,
)
from workflows.competition.flows import AdjustmentFlow, CompetitionFlow
from workflows.competition.models import Adjustment, Registration, RegStatus, State

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_competition_decision_page_previews_the_appointments(client, world):  # noqa: F811
    w = world
    # the deputy posts are held; the two head posts are vacant before the decision
    for name_age in (1, 2):
        TenureFactory(post=w.deputy, person__organization=w.school, person__name=f"副主任{name_age}")
    case = announced_case(w)
    Registration.objects.create(competition=case, post=w.dean, person=w.alice, status=RegStatus.SHORTLISTED, rank=1)
    Registration.objects.create(competition=case, post=w.dean, person=w.bob, status=RegStatus.QUALIFIED, rank=2)
    Registration.objects.create(competition=case, post=w.moral, person=w.carol, status=RegStatus.SHORTLISTED, rank=1)
    type(case).objects.filter(pk=case.pk).update(state=State.INSPECTED)
    # the flow stands at its decision step (the steps before it are covered by the competition's journey test)
    task = case.task_set.create(
        flow_task=CompetitionFlow.school_decision,
        flow_task_type=CompetitionFlow.school_decision.task_type,
        status=STATUS.NEW,
    )
    client.force_login(w.secretary)
    response = client.get(CompetitionFlow.school_decision.reverse("execute", args=[case.pk, task.pk]))
    assert response.status_code == 200
    (impact,) = response.context["team_impacts"]
    assert impact.organization_id == w.school.pk
    assert impact.before.middle_vacancies == 2 and impact.after.middle_vacancies == 0
    assert {m.name for m in impact.after.middle} >= {"王晓燕", "孙海涛"}
    assert "赵立新" not in {m.name for m in impact.after.middle}  # not a 考察对象
    page = response.content.decode()
    assert "班子结构影响预览" in page and "调整前" in page and "调整后" in page
    assert "消除问题：中层干部职数空缺" in page


def test_the_adjustment_decision_page_previews_the_demotion(client, world):  # noqa: F811
    w = world
    sitting = TenureFactory(person=w.bob, post=w.dean, start_date=D(2020, 9, 1))
    TenureFactory(post=w.moral, person__organization=w.school, person__name="德育主任")
    TenureFactory(post=w.deputy, person__organization=w.school, person__name="副主任甲")
    TenureFactory(post=w.deputy, person__organization=w.school, person__name="副主任乙")  # every seat held
    w.bob.appraisals.filter(year=2025).update(grade="incompetent")
    client.force_login(w.secretary)
    response = client.post(
        AdjustmentFlow.propose.reverse("execute"),
        {
            "tenure": sitting.pk,
            "trigger": "appraisal_failed",
            "grounds": "2025年度考核不合格",
            "proposed_outcome": "demote",
            "proposed_post": w.deputy.pk,
        },
    )
    assert response.status_code == 302
    case = Adjustment.objects.get()
    assert post_task(client, w.bob_user, case, AdjustmentFlow.statement, {"statement": "接受。"}).status_code == 302
    client.force_login(w.secretary)
    task = open_task(case, AdjustmentFlow.decide)
    response = client.get(AdjustmentFlow.decide.reverse("execute", args=[case.pk, task.pk]))
    assert response.status_code == 200
    (impact,) = response.context["team_impacts"]
    assert [m.post_name for m in impact.before.middle if m.name == "赵立新"] == ["教导处主任"]
    assert [m.post_name for m in impact.after.middle if m.name == "赵立新"] == ["教导处副主任"]
    page = response.content.decode()
    assert "<del>赵立新</del>" in page and "任教导处副主任" in page
    assert "新增问题：中层干部职数空缺" in page  # the dean's post falls vacant
