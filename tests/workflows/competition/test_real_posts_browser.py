"""In headless Chromium, through the pages only: a competition from the plan to the appointment on an occupied
post (全员竞聘) with one paper registration, and an adjustment whose 本人陈述 the bureau officer records."""

from __future__ import annotations

import datetime as dt
import mimetypes
import os
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.db import connections

from cadres.models import Tenure
from tests.factories import PersonFactory, TenureFactory
from workflows.competition.flows import AdjustmentFlow, CompetitionFlow
from workflows.competition.models import Adjustment, Competition, Registration, RegStatus, State

from .conftest import CLOSES, OPENS, fire_timers, open_task

ORIGIN = "http://cadreflow.test"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

F = CompetitionFlow
A = AdjustmentFlow
D = dt.date
SCREENSHOT = "/tmp/cadreflow-competition-appointed.png"


@pytest.fixture
def browser(client):
    """A desktop Chromium page whose requests Django's test client answers — the pattern of
    test_judge_browser: one process, a database connection per request, no live-server thread contending
    for SQLite's table locks. `log_in` switches the user the client (hence the browser) is."""
    from playwright.sync_api import sync_playwright

    def serve(route, request):
        try:
            return answer(route, request)
        except Exception:  # a failing view must fail the test, not fall through to the network
            import traceback

            traceback.print_exc()
            raise

    def answer(route, request):
        url = urlsplit(request.url)
        if url.path.startswith("/static/"):
            found = finders.find(url.path[len("/static/") :])
            if not found:
                return route.fulfill(status=404, body="")
            kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return route.fulfill(status=200, body=Path(found).read_bytes(), headers={"Content-Type": kind})
        path = url.path + (f"?{url.query}" if url.query else "")
        if request.method == "POST":
            response = client.post(
                path, data=request.post_data or "", content_type=request.headers.get("content-type", "")
            )
        else:
            response = client.get(path)
        # Chromium does not route the request a fulfilled redirect leads to (it goes to the network), so the
        # redirect is followed here and the browser's address is set to where it led.
        landed = request.url
        while response.status_code in (301, 302, 303, 307, 308):
            landed = urljoin(landed, response["Location"])
            target = urlsplit(landed)
            response = client.get(target.path + (f"?{target.query}" if target.query else ""))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        connections.close_all()
        headers = {k: v for k, v in response.items() if k.lower() == "content-type"}
        if landed != request.url and b"<head>" in body:
            script = f'<script>history.replaceState(null, "", "{landed}");</script>'.encode()
            body = body.replace(b"<head>", b"<head>" + script, 1)
        return route.fulfill(status=response.status_code, body=body, headers=headers)

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            context = chromium.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
            context.set_default_timeout(15_000)
            context.route(lambda url: url.startswith(ORIGIN), serve)
            try:
                page = context.new_page()
                # plain navigations only (viewflow's Turbo Drive would fetch pages behind the browser's back)
                page.add_init_script(
                    "addEventListener('DOMContentLoaded', () => { if (window.Turbo) Turbo.session.drive = false; });"
                )
                page.on("dialog", lambda dialog: dialog.accept())
                yield page
            finally:
                context.close()
                chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


CLIENT = {}


@pytest.fixture(autouse=True)
def _client(client):
    CLIENT["client"] = client
    yield
    CLIENT.clear()


def log_in(page, base: str, user) -> None:
    """Become `user`: the test client answering the browser holds the session."""
    CLIENT["client"].force_login(user)


def open_step(page, base: str, case, node) -> None:
    """Open the case's waiting task of `node` (the link the inbox shows)."""
    task = open_task(case, node)
    page.goto(base + node.reverse("execute", args=[case.pk, task.pk]))


def pick(page, field: str, name: str) -> None:
    """Type a name into a person picker and choose the matching person from the drop-down."""
    box = page.locator(f"#id_{field}")
    box.fill(name)
    page.locator(f"#id_{field}__listbox [role=option]", has_text=name).first.click()
    page.locator(f"[data-name={field}] .cf-picker__chip", has_text=name).wait_for()


def submit(page) -> None:
    """Send the page's form and wait for the answer's page (a bare wait after the click could read the page
    before the browser left it: seen on a loaded machine)."""
    with page.expect_navigation():
        page.locator("form[method=post] button[type=submit]").last.click()


def errors(page) -> str:
    alerts = page.locator(".cf-alert--error, .errorlist")
    return " ".join(alerts.all_inner_texts())


def meeting(page, world, *, held_on: str) -> None:
    page.fill("#id_held_on", held_on)
    page.fill("#id_name", "学校党支部委员会会议")
    for member in world.members:
        pick(page, "members", member.name)
    for member in world.members[:5]:
        pick(page, "present", member.name)
    submit(page)
    assert "请逐一选择每位实到成员的表决意见" in page.inner_text("body")  # the vote rows appear
    for select in page.locator("select[name^=vote_]").all():
        select.select_option(label="同意")
    submit(page)


def test_a_competition_on_an_occupied_post_with_a_paper_registration(browser, world):
    page, base = browser, ORIGIN
    holder = TenureFactory(person=world.carol, post=world.dean, start_date=D(2020, 9, 1))

    # 1. the secretary's plan: the dean post (held by 孙海涛) is put up for all to compete
    log_in(page, base, world.secretary)
    page.goto(base + F.plan.reverse("execute"))
    body = page.inner_text("body")
    assert "教导处主任（职数1，现任：孙海涛）" in body and "speech" not in body and "JSON" not in body
    page.fill("#id_title", "2026年教导处主任竞聘")
    page.fill("#id_opens", OPENS.isoformat())
    page.fill("#id_closes", CLOSES.isoformat())
    page.get_by_label("教导处主任（职数1，现任：孙海涛）").check()
    page.get_by_label("教导处主任竞聘方式").select_option(label="全员竞聘（在任人员一并竞聘）")
    page.get_by_label("教导处主任竞聘职数").fill("1")
    page.get_by_label("教导处主任最少合格人数").fill("2")
    page.get_by_role("button", name="上移民主测评成绩").click()  # evaluation before speech
    page.locator("#id_rule_max_age").check()  # the box labelled 年龄上限
    page.get_by_label("年龄上限：年龄上限（周岁）").fill("50")
    submit(page)
    assert not errors(page), errors(page)
    case = Competition.objects.get()
    assert case.plan["posts"][0]["kind"] == "all" and case.plan["tie_break"][:2] == ["evaluation", "speech"]

    # 2. the school's meeting approves (members picked by name, then one vote per member present)
    open_step(page, base, case, F.school_meeting_approval)
    meeting(page, world, held_on="2026-05-21")
    case.refresh_from_db()
    assert case.state == State.APPROVED, errors(page)

    # 3. the bureau accepts the filing; the school announces
    log_in(page, base, world.officer)
    open_step(page, base, case, F.file_with_bureau)
    page.get_by_label("备案意见").select_option(label="同意备案")
    submit(page)
    log_in(page, base, world.secretary)
    open_step(page, base, case, F.announce)
    page.get_by_label("确认").check()
    submit(page)

    # 4. registration: alice and the sitting holder online, bob on paper entered by the secretary
    world.today.set(OPENS)
    for user in (world.alice_user, world.carol_user):
        log_in(page, base, user)
        page.goto(base + F.instance.reverse("register"))
        with page.expect_navigation():
            page.get_by_role("button", name="报名 教导处主任").click()
        assert "报名成功" in page.inner_text("body"), errors(page)
    log_in(page, base, world.secretary)
    open_step(page, base, case, F.registration)
    page.get_by_role("link", name="代为录入纸质报名表").click()
    pick(page, "person", "赵立新")
    page.get_by_label("竞聘岗位").select_option(label="教导处主任 · 全员竞聘（在任人员一并竞聘）")
    with page.expect_navigation():
        page.get_by_role("button", name="录入报名").click()
    listing = page.inner_text("#registrations")
    assert "赵立新" in listing and "纸质报名表，代为录入" in listing and "本人报名" in listing

    # 5. close, review each registration
    world.today.set(CLOSES + dt.timedelta(days=1))
    open_step(page, base, case, F.registration)
    page.get_by_label("确认").check()
    submit(page)
    for name in ("王晓燕", "孙海涛", "赵立新"):
        open_step(page, base, case, F.qualification_review)
        page.get_by_label("报名").select_option(label=f"{name}（教导处主任）")
        page.get_by_label("审查意见").select_option(label="通过")
        submit(page)
    case.refresh_from_db()
    assert case.state == State.QUALIFIED, errors(page)

    # 6. the panel picked by name; the sitting opens; three judges score on their page
    open_step(page, base, case, F.scoring)
    page.get_by_label("操作").select_option(label="设置评委")
    page.get_by_label("岗位").select_option(label="教导处主任")
    for judge in world.judge_people[:3]:
        pick(page, "judges", judge.name)
    submit(page)
    assert case.judges.count() == 3, errors(page)
    open_step(page, base, case, F.scoring)
    page.get_by_label("操作").select_option(label="开始评分")
    submit(page)
    marks = {"王晓燕": ["18", "26", "18", "18", "9"], "孙海涛": ["15", "22", "15", "15", "8"]}
    for judge in world.judges[:3]:
        log_in(page, base, judge)
        for name in ("王晓燕", "孙海涛", "赵立新"):
            page.goto(base + F.instance.reverse("judge"))
            card = page.locator("section", has_text=name)
            for i, value in enumerate(marks.get(name, ["14", "20", "14", "14", "7"])):
                card.locator("input[name=score]").nth(i).fill(value)
            with page.expect_navigation():
                card.get_by_role("button", name="提交并锁定").click()
    log_in(page, base, world.secretary)
    for reg in Registration.objects.filter(competition=case).select_related("person"):
        open_step(page, base, case, F.scoring)
        page.get_by_label("操作").select_option(label="录入民主测评和工作业绩")
        page.get_by_label("竞聘人").select_option(label=str(reg))
        page.get_by_label("民主测评成绩").fill("85")
        page.get_by_label("工作业绩成绩").fill("85")
        submit(page)
    open_step(page, base, case, F.scoring)
    page.get_by_label("操作").select_option(label="结束评分")
    submit(page)
    case.refresh_from_db()
    assert case.state == State.SCORED, errors(page)

    # 7. ranking, inspection of the first, the decision meeting
    open_step(page, base, case, F.ranking)
    page.get_by_label("确认").check()
    submit(page)
    open_step(page, base, case, F.inspection)
    page.get_by_label("考察对象").select_option(index=1)
    page.get_by_label("考察意见").fill("德才表现良好。")
    submit(page)
    open_step(page, base, case, F.school_decision)
    meeting(page, world, held_on=(CLOSES + dt.timedelta(days=1)).isoformat())
    case.refresh_from_db()
    assert case.state == State.DECIDED, errors(page)

    # 8. 公示, then the appointment: the holder is released the day the winner starts
    world.today.set(D(2026, 6, 15))
    open_step(page, base, case, F.publicise)
    page.fill("#id_start", "2026-06-15")
    submit(page)
    world.today.set(D(2026, 6, 23))
    fire_timers(D(2026, 6, 23))  # the 公示 is over: its timer opens 聘任
    open_step(page, base, case, F.appoint)
    page.fill("#id_document_number", "实小〔2026〕3号")
    submit(page)
    case.refresh_from_db()
    assert case.state == State.APPOINTED, errors(page)
    page.screenshot(path=SCREENSHOT, full_page=True)
    holder.refresh_from_db()
    assert holder.end_date == D(2026, 6, 23)
    winner = Registration.objects.get(competition=case, status=RegStatus.APPOINTED)
    assert winner.person == world.alice
    assert Tenure.objects.get(person=world.alice, post=world.dean).start_date == D(2026, 6, 23)
    paper = Registration.objects.get(competition=case, person=world.bob)
    assert paper.paper_form and paper.entered_by == world.secretary


def test_the_officer_records_the_statement_of_a_cadre_without_an_account(browser, world):
    page, base = browser, ORIGIN
    cadre = PersonFactory(name="李无号", organization=world.school)
    TenureFactory(person=cadre, post=world.dean, start_date=D(2020, 9, 1))

    log_in(page, base, world.secretary)
    page.goto(base + A.propose.reverse("execute"))
    page.get_by_label("现任职务").select_option(index=1)
    page.get_by_label("启动原因").select_option(label="组织提出")
    page.get_by_label("调整理由").fill("履职不力")
    page.get_by_label("拟调整方式").select_option(label="免去职务")
    submit(page)
    assert Adjustment.objects.filter(tenure__person=cadre).exists(), page.inner_text("body")[-1500:]
    case = Adjustment.objects.get()
    assert case.tenure.person == cadre, errors(page)

    # the officer finds the task on the home page and records the statement for the cadre
    log_in(page, base, world.officer)
    page.goto(base + "/")  # the workbench
    with page.expect_navigation():
        page.get_by_role("link", name="本人陈述").first.click()
    assert "李无号没有系统账号" in page.inner_text("body")
    page.get_by_label("本人陈述").fill("本人口述：接受组织调整。")
    submit(page)
    case.refresh_from_db()
    assert case.statement_on_behalf and case.statement_by == world.officer, errors(page)

    # the school sees it recorded as such on its next step
    log_in(page, base, world.secretary)
    open_step(page, base, case, A.decide)
    assert "代为录入：组织人事科干部" in page.inner_text("#adjustment")
