"""The officer's case pages in a real browser: every flow's case page and a task page read as Chinese, and a
document that is 生成中 turns 已生成 on the open page without a reload (the documents block polls)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from cadres import choices as c
from cadres.roles import Role
from dossiers.models import DossierDocument
from tests.browser import conftest as browser_conftest
from tests.factories import PersonFactory, PostFactory, TenureFactory, UserFactory
from tests.support.chinese_page import assert_chinese_page
from tests.workflows.competition.conftest import MEMBERS, post_task
from tests.workflows.competition.test_journey import meeting_form, plan_form
from tests.workflows.principal_selection import conftest as ps_conftest
from tests.workflows.principal_selection import journey
from workflows.competition.flows import AdjustmentFlow, CompetitionFlow
from workflows.competition.models import Adjustment, Competition
from workflows.ethics_case.flows import EthicsCaseFlow
from workflows.ethics_case.models import EthicsCase
from workflows.principal_selection.flows import PrincipalSelectionFlow

from .helpers import named, usernames

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
world, browser_page = ps_conftest.world, browser_conftest.browser_page  # the fixtures this test builds on
PASSWORD = "pw-Cadre-2026"
SCREENSHOT = "/tmp/cadreflow-case-page.png"


def _cases(client, world):
    """One case of each flow with a step done, driven through the pages as the users who own the steps."""
    named(world.officer, "李组织")
    ps = journey.propose(client, world)
    journey.recommend(client, world, ps)

    secretary = named(
        UserFactory(username="school_sec2", roles=[Role.SCHOOL_SECRETARY], organization=world.school), "陈书记"
    )
    posts = SimpleNamespace(
        dean=PostFactory(
            organization=world.school, name="教导处主任", kind=c.PostKind.MIDDLE_HEAD, level=c.PostLevel.MIDDLE_HEAD
        ),
        moral=PostFactory(
            organization=world.school, name="德育处主任", kind=c.PostKind.MIDDLE_HEAD, level=c.PostLevel.MIDDLE_HEAD
        ),
    )
    client.force_login(secretary)
    assert client.post(CompetitionFlow.plan.reverse("execute"), plan_form(posts)).status_code == 302
    competition = Competition.objects.get()
    votes = [f"{m},同意" for m in MEMBERS[:6]]
    response = post_task(client, secretary, competition, CompetitionFlow.school_meeting_approval, meeting_form(votes))
    assert response.status_code == 302

    cadre = PersonFactory(name="周文静", organization=world.school)
    tenure = TenureFactory(person=cadre, post=posts.dean, start_date=dt.date(2020, 9, 1))
    client.force_login(world.officer)
    response = client.post(
        AdjustmentFlow.propose.reverse("execute"),
        {"tenure": tenure.pk, "trigger": "officer", "grounds": "不胜任现职", "proposed_outcome": "remove"},
    )
    assert response.status_code == 302, response.context["form"].errors
    adjustment = Adjustment.objects.get()

    teacher = PersonFactory(name="马建军", organization=world.school)
    UserFactory(username="ma", roles=[Role.TEACHER], organization=world.school, organization__person=teacher)
    response = client.post(
        EthicsCaseFlow.report.reverse("execute"),
        {
            "teacher": teacher.pk,
            "source": "bureau_found",
            "report_text": "家长反映有偿补课。",
            "reported_on": "2026-09-01",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    ethics = EthicsCase.objects.get()
    return [
        (PrincipalSelectionFlow, ps, "第一实验小学校长选拔任用"),
        (CompetitionFlow, competition, "2026年中层干部竞聘上岗"),
        (AdjustmentFlow, adjustment, "周文静（教导处主任）调整"),
        (EthicsCaseFlow, ethics, "马建军师德违规案件"),
    ]


def test_officer_reads_every_flows_case_page_and_a_task_page(browser_page, live_server, client, world):
    cases = _cases(client, world)
    for user in (world.officer,):
        user.set_password(PASSWORD)
        user.save()
    names = usernames()
    page, base = browser_page, live_server.url
    first_url = PrincipalSelectionFlow.instance.reverse("process_detail", args=[cases[0][1].pk])
    page.goto(f"{base}{first_url}")
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{first_url}")

    for flow, case, subject in cases:
        url = flow.instance.reverse("process_detail", args=[case.pk])
        response = page.goto(f"{base}{url}")
        assert response.status == 200
        assert subject in page.inner_text("h1")
        assert page.locator("#done-steps tbody tr").count() >= 1
        assert "李组织（区教育局）" in page.inner_text("body") or "陈书记（第一实验小学）" in page.inner_text("body")
        assert page.locator("#case-chart").count() == 1
        assert_chinese_page(page.content(), usernames=names)
        # a task page: the first open step's detail, with the way back to the case
        href = page.locator("#current-steps tbody tr td:first-child a").first.get_attribute("href")
        assert href.endswith("/detail/")
        assert page.goto(f"{base}{href}").status == 200
        assert page.locator(f'a[href="{url}"]').count() >= 1
        assert_chinese_page(page.content(), usernames=names)

    # a document being generated turns 已生成 on the open page, without a reload
    ps = cases[0][1]
    doc = DossierDocument.objects.create(
        kind="record_sheet",
        title="干部选拔任用纪实表",
        organization=world.school,
        process_ref=f"principal_selection:{ps.pk}",
        series="browser-test",
        version=1,
        template_name="dossiers/record_sheet.html",
        content={"title": "干部选拔任用纪实表"},
    )
    page.goto(f"{base}{first_url}")
    row = page.locator("#case-documents li", has_text="干部选拔任用纪实表")
    assert "生成中" in row.inner_text()
    DossierDocument.objects.filter(pk=doc.pk).update(status="rendered")  # as the render worker would
    page.wait_for_function(
        "() => document.querySelector('#case-documents').innerText.includes('已生成') && "
        "!document.querySelector('#case-documents [data-pending]')",
        timeout=15_000,
    )
    assert "已生成" in row.inner_text()
    page.screenshot(path=SCREENSHOT, full_page=True)
