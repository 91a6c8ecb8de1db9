"""The 中层竞聘 and 能上能下 case pages: scope by school, steps by name and sentence, queries that do not grow."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.workflows.competition import conftest as flow_conftest
from tests.workflows.competition.conftest import post_task
from tests.workflows.competition.test_adjustment_journey import decided
from tests.workflows.competition.test_journey import meeting_form, plan_form
from workflows.competition.flows import AdjustmentFlow as A
from workflows.competition.flows import CompetitionFlow as F
from workflows.competition.models import Competition

from .helpers import chinese, named, queries

pytestmark = pytest.mark.django_db
# the flow's own fixtures
world, today, _urls_loaded = flow_conftest.world, flow_conftest.today, flow_conftest._urls_loaded


def page_url(flow, case):
    return flow.instance.reverse("process_detail", args=[case.pk])


def approve(client, world, case):
    response = post_task(client, world.secretary, case, F.school_meeting_approval, meeting_form(world, ["agree"] * 6))
    assert response.status_code == 302


def returned_once(client, world, case):
    """The bureau returns the plan; the school revises it and approves it again (three more steps done)."""
    response = post_task(client, world.officer, case, F.file_with_bureau, {"accepted": "0", "reason": "评委人数不足"})
    assert response.status_code == 302
    assert post_task(client, world.secretary, case, F.revise_plan, plan_form(world)).status_code == 302
    approve(client, world, case)


@pytest.fixture
def filed(client, world):
    named(world.secretary, "陈书记")
    named(world.officer, "李组织")
    client.force_login(world.secretary)
    assert client.post(F.plan.reverse("execute"), plan_form(world)).status_code == 302
    case = Competition.objects.get()
    approve(client, world, case)
    return case


def test_school_secretary_reads_the_competition_in_chinese(client, world, filed):
    client.force_login(world.secretary)
    html = chinese(client.get(page_url(F, filed)))
    assert "2026年中层干部竞聘上岗" in html and "第一实验小学" in html and "教导处主任1名" in html
    assert "陈书记（第一实验小学）" in html
    assert "拟订实施方案，竞聘岗位2个。" in html
    assert "党组织会议应到7人，实到6人，同意6票，结果：党组织会议已通过。" in html
    assert "报局备案" in html and "李组织（区教育局）" in html  # the bureau's step, by name
    task = filed.task_set.get(flow_task=F.file_with_bureau)
    assert F.file_with_bureau.reverse("execute", args=[filed.pk, task.pk]) not in html  # not the school's to do
    client.force_login(world.officer)
    html = chinese(client.get(page_url(F, filed)))
    assert F.file_with_bureau.reverse("execute", args=[filed.pk, task.pk]) in html


@pytest.mark.parametrize("who", ["other_secretary", "alice_user"])
def test_other_schools_and_teachers_do_not_open_the_competition(client, world, filed, who):
    client.force_login(getattr(world, who))
    assert client.get(page_url(F, filed)).status_code in (403, 404)
    assert client.get(F.instance.reverse("case_documents", args=[filed.pk])).status_code in (403, 404)
    assert client.get(F.instance.reverse("process_chart", args=[filed.pk])).status_code in (403, 404)
    task = filed.task_set.get(flow_task=F.plan)
    assert client.get(F.plan.reverse("detail", args=[filed.pk, task.pk])).status_code in (403, 404)


def test_queries_do_not_grow_with_the_steps(client, world, filed):
    client.force_login(world.officer)
    few = queries(client, page_url(F, filed))
    for _ in range(3):
        returned_once(client, world, filed)
    assert filed.task_set.filter(status="DONE").count() >= 11
    client.force_login(world.officer)
    html = chinese(client.get(page_url(F, filed)))
    assert html.count("局退回方案：评委人数不足。") == 3
    assert queries(client, page_url(F, filed)) <= few


def test_case_list_is_scoped_and_chinese(client, world, filed):
    client.force_login(world.secretary)
    html = chinese(client.get(F.instance.reverse("process_list")))
    assert "2026年中层干部竞聘上岗" in html and "报局备案" in html
    client.force_login(world.other_secretary)
    html = chinese(client.get(F.instance.reverse("process_list")))
    assert "2026年中层干部竞聘上岗" not in html and "共 0 件" in html


def test_menu_offers_registration_to_teachers_and_scoring_to_judges(client, world, filed):
    register, judge = F.instance.reverse("register"), F.instance.reverse("judge")
    client.force_login(world.alice_user)
    html = client.get(register).content.decode()
    assert f'href="{register}"' in html and f'href="{judge}"' not in html
    client.force_login(world.judges[0])
    html = client.get(judge).content.decode()
    assert f'href="{judge}"' in html and f'href="{register}"' not in html
    client.force_login(world.secretary)
    html = client.get(page_url(F, filed)).content.decode()
    assert f'href="{register}"' not in html and f'href="{judge}"' not in html


def test_adjustment_case_page(client, world, django_capture_on_commit_callbacks):
    named(world.secretary, "陈书记")
    case, _sitting = decided(client, world, django_capture_on_commit_callbacks)
    for user in (world.officer, world.secretary, world.bob_user):
        client.force_login(user)
        html = chinese(client.get(page_url(A, case)))
        assert "赵立新" in html and "教导处主任" in html and "年度考核不合格" in html
        assert "建议对赵立新降职使用，启动原因：年度考核不合格；理由：2025年度考核不合格。" in html
        assert "本人已作陈述（9字）。" in html
        assert "党组织会议应到7人，实到5人，决定：降职使用。" in html
        assert "陈书记（第一实验小学）" in html and "已生成" in html
    report = case.task_set.get(flow_task=A.file_report)
    client.force_login(world.secretary)
    assert A.file_report.reverse("execute", args=[case.pk, report.pk]) in client.get(page_url(A, case)).content.decode()
    for user in (world.other_secretary, world.alice_user):
        client.force_login(user)
        assert client.get(page_url(A, case)).status_code in (403, 404)


def test_board_is_chinese_and_scoped(client, world, filed):
    client.force_login(world.officer)
    html = chinese(client.get(F.instance.reverse("index")))
    assert "报局备案" in html and "/detail/" in html
    client.force_login(world.other_secretary)
    assert "/detail/" not in chinese(client.get(F.instance.reverse("index")))


def test_the_publicity_wait_is_a_step_with_its_end_date_then_a_step_done(
    client, world, django_capture_on_commit_callbacks
):
    from tests.workflows.competition import journey
    from tests.workflows.competition.conftest import fire_timers

    with django_capture_on_commit_callbacks(execute=True):
        case = journey.publicised(client, world)
    client.force_login(world.secretary)
    html = chinese(client.get(page_url(F, case)))
    current = html[html.index('id="current-steps"') : html.index('id="done-steps"')]
    assert "公示期" in current and "2026年6月22日" in current and "计时中" in current
    assert "系统计时，期满自动进入下一环节" in current and "聘任" not in current
    timer = case.task_set.get(flow_task=F.publicity_wait)
    detail = chinese(client.get(F.publicity_wait.reverse("detail", args=[case.pk, timer.pk])))
    assert "公示期至2026年6月22日届满。" in detail and "计时中" in detail
    listing = chinese(client.get(F.instance.reverse("process_list")))
    assert "公示期" in listing
    chart = client.get(F.instance.reverse("process_chart", args=[case.pk])).content.decode()
    node = chart.split('<g id="publicity_wait"', 1)[1].split(">", 1)[0]
    assert node.endswith('class="new"')  # drawn as the current step

    fire_timers(journey.PUBLICITY_END + dt.timedelta(days=1))
    html = chinese(client.get(page_url(F, case)))
    current = html[html.index('id="current-steps"') : html.index('id="done-steps"')]
    done = html[html.index('id="done-steps"') :]
    assert "聘任" in current and "公示期" not in current
    assert "公示期至2026年6月22日届满。" in done and "系统自动办理" in done
