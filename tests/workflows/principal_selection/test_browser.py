"""Headless Chromium drives one case from 动议 to 任职, each step in the role's own browser session."""

from __future__ import annotations

import pytest
from django.test import Client
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_timers

from cadres.models import Tenure
from tests.browser.conftest import browser_page  # noqa: F401  (the shared Chromium fixture)
from tests.factories import PersonFactory
from workflows.principal_selection.models import CaseState, SelectionCase

from . import journey as j
from .conftest import FLOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-Cadre-2026"
SCREENSHOT = "/tmp/cadreflow-principal-selection.png"


class Driver:
    def __init__(self, page, base):
        self.page, self.base, self.user = page, base, None

    def as_user(self, user):
        if self.user == user:
            return
        self.page.context.clear_cookies()
        self.page.goto(f"{self.base}/accounts/login/")
        self.page.fill("input[name=username]", user.username)
        self.page.fill("input[name=password]", PASSWORD)
        with self.page.expect_navigation():  # the answer's page, not the form's
            self.page.click("button[type=submit]")
        self.user = user

    def pick(self, name, query, detail=""):
        """Type `query` into the person picker of field `name` and choose, with the keyboard only, the first
        result whose line shows `detail` (the unit that tells two same-name people apart)."""
        page = self.page
        root = page.locator(f'[data-cf-picker][data-name="{name}"]')
        box = root.locator(".cf-picker__input")
        box.fill(query)
        options = root.locator("[role=option]")
        options.first.wait_for()
        texts = options.all_inner_texts()
        index = next(i for i, text in enumerate(texts) if query in text and detail in text)
        for _ in range(index):
            box.press("ArrowDown")
        assert options.nth(index).get_attribute("aria-selected") == "true"
        box.press("Enter")
        root.locator(".cf-picker__chip", has_text=query).last.wait_for()

    def submit(self, url, fields=None, selects=None, picks=None, ticks=None):
        page = self.page
        page.goto(f"{self.base}{url}")
        for name, value in (fields or {}).items():
            page.fill(f"[name={name}]", str(value))
        for name, value in (selects or {}).items():
            page.select_option(f"select[name={name}]", value)
        for name, people in (picks or {}).items():
            for query, detail in people:
                self.pick(name, query, detail)
        for selector in ticks or ():
            page.check(selector)
        with page.expect_navigation():
            page.click("#step-submit")
        errors = page.locator(".cf-alert--error, .errorlist")
        assert errors.count() == 0, errors.all_inner_texts()

    def task_url(self, case, node, user):
        self.as_user(user)
        task = case.task_set.filter(flow_task=node).exclude(status__in=[STATUS.DONE, STATUS.CANCELED]).get()
        return node.reverse("execute", args=[case.pk, task.pk])

    def task(self, case, node, user, fields=None, selects=None, picks=None, ticks=None):
        self.submit(self.task_url(case, node, user), fields, selects, picks, ticks)

    def recommend(self, case, user, form, day, voters, votes):
        """民主推荐 by rows: attendance per category, one picked person per vote row, preview, then confirm."""
        page = self.page
        page.goto(f"{self.base}{self.task_url(case, FLOW.recommend, user)}")
        page.select_option("select[name=form]", form)
        page.fill("[name=held_on]", day)
        for i, (category, due, attended) in enumerate(voters):
            page.fill(f"[name=voters-{i}-category]", category)
            page.fill(f"[name=voters-{i}-due]", str(due))
            page.fill(f"[name=voters-{i}-attended]", str(attended))
        for i, (query, detail, n) in enumerate(votes):
            if i >= page.locator('[data-rows="votes"] tbody tr.cf-row').count():
                page.click('[data-rows="votes"] .cf-row-add')
            self.pick(f"votes-{i}-person", query, detail)
            page.fill(f"[name=votes-{i}-votes]", str(n))
        with page.expect_navigation():
            page.click("#step-submit")
        page.locator("#tally-preview").wait_for()
        with page.expect_navigation():
            page.click("#step-confirm")
        errors = page.locator(".cf-alert--error, .errorlist")
        assert errors.count() == 0, errors.all_inner_texts()


def test_a_case_from_proposal_to_appointment_in_the_browser(browser_page, live_server, world):  # noqa: F811
    w, d = world, Driver(browser_page, live_server.url)
    d.as_user(w.officer)
    d.submit(
        FLOW.propose.reverse("execute"),
        {"started_on": "2026-03-02", "posts_to_fill": "1", "scope": "全区小学副校长", "plan": "原校长到龄"},
        {"post": str(w.post.pk), "method": "recommendation"},
    )
    case = SelectionCase.objects.get()
    for form, day in (("talk", "2026-03-09"), ("meeting", "2026-03-10")):
        d.recommend(
            case, w.officer, form, day, [("教师代表", 40, 36)], [("王晓燕", "第一实验小学", 30), ("赵立新", "", 5)]
        )
    d.task(
        case,
        FLOW.shortlist,
        w.officer,
        {"on": "2026-03-20"},
        picks={
            "people": [("王晓燕", "第一实验小学"), ("赵立新", "")],
            "team": [("考察员甲", ""), ("考察员乙", "")],
        },
    )
    for cand in case.active_candidates:
        chosen = [(cand.person.name, "")]
        d.task(
            case,
            FLOW.inspect,
            w.inspectors[0],
            {
                "talks": "30",
                "excellent": "30",
                "competent": "5",
                "basic": "1",
                "incompetent": "0",
                "morality": "政治立场坚定",
                "ability": "管理能力强",
                "diligence": "勤勉",
                "achievement": "成绩突出",
                "integrity": "廉洁",
                "shortcomings": "经验有待积累",
                "opinion": "同意列为人选",
            },
            picks={"candidate": chosen},
        )
        # 档案必审 first previews the differences with the registry (the page answers in place, no navigation);
        # the second submission records it.
        d.page.goto(f"{d.base}{d.task_url(case, FLOW.dossier_review, w.officer)}")
        for name, value in {
            "birth_entries": "1984-03-09,2006-07-01,1",
            "work_start": "2006-08-01",
            "education": "大学本科",
            "experience": "2019年起任副校长",
            "verified_on": "2026-03-25",
        }.items():
            d.page.fill(f"[name={name}]", value)
        for query, detail in chosen:
            d.pick("candidate", query, detail)
        d.page.click("#step-submit")
        d.page.wait_for_selector("#dossier-preview")
        assert "档案记载与干部信息一致，无须更正。" in d.page.inner_text("#dossier-preview")
        with d.page.expect_navigation():
            d.page.click("#step-submit")
        assert d.page.locator(".cf-alert--error, .errorlist").count() == 0
        d.task(
            case,
            FLOW.personal_matters_check,
            w.officer,
            {"delegated_on": "2026-03-23", "handled_on": "2026-03-30"},
            {"mismatch": "none"},
            picks={"candidate": chosen},
        )
        d.task(
            case,
            FLOW.discipline_opinion,
            w.discipline,
            {"requested_on": "2026-03-23", "replied_on": "2026-03-27", "opinion": "未发现问题"},
            picks={"candidate": chosen},
        )
        d.task(
            case,
            FLOW.petition_check,
            w.discipline,
            {"checked_on": "2026-03-28", "received": "0", "finding": "无信访举报"},
            picks={"candidate": chosen},
        )
    d.task(case, FLOW.integrity_signoff, w.members[0], {"conclusion": "未发现问题"})
    d.task(case, FLOW.integrity_signoff, w.discipline, {"conclusion": "同意"})
    alice, bob = case.candidates.get(person=w.alice), case.candidates.get(person=w.bob)
    present = w.members[:7]
    votes = {}
    for m in present:
        votes[f"vote_{m.pk}_{alice.pk}"] = "agree"
        votes[f"vote_{m.pk}_{bob.pk}"] = "disagree"
    d.task(
        case,
        FLOW.decide,
        w.secretary,
        {"held_on": "2026-04-10", "name": "2026年第3次委员会会议"},
        votes,
        ticks=[f"#decide-form [name=members][value='{m.pk}']" for m in w.members]
        + [f"#decide-form [name=present][value='{m.pk}']" for m in present],
    )
    d.task(case, FLOW.publicise, w.officer, {"start": "2026-04-13", "workdays": "5"})
    fire_due_timers()  # the 公示 is over: its timer opens 任职
    d.task(
        case,
        FLOW.appoint,
        w.officer,
        {
            "document_number": "示教工委〔2026〕12号",
            "notice_date": "2026-04-20",
            "talk_on": "2026-04-20",
            "talk_by": "工委书记",
        },
    )
    case.refresh_from_db()
    assert case.state == CaseState.ON_PROBATION
    assert Tenure.objects.get(person=w.alice, post=w.post).start_date.isoformat() == "2026-04-10"
    d.page.goto(f"{d.base}{FLOW.instance.reverse('record', args=[case.pk])}")
    body = d.page.inner_text("body")
    assert "讨论决定" in body and "任职" in body and "示教工委〔2026〕12号" in body
    d.page.screenshot(path=SCREENSHOT, full_page=True)


def test_the_officer_enters_a_recommendation_by_rows_with_the_picker(browser_page, live_server, world, other_school):  # noqa: F811
    """Keyboard only for the people: a name typed (two 王晓燕, told apart by unit), pinyin initials typed; the
    figures are checked while typed; the tally is previewed, then confirmed and saved."""
    w, d, page = world, Driver(browser_page, live_server.url), browser_page
    namesake = PersonFactory(name="王晓燕", organization=other_school)
    case = j.propose(Client(), w)
    d.as_user(w.officer)
    page.goto(f"{d.base}{d.task_url(case, FLOW.recommend, w.officer)}")
    page.select_option("select[name=form]", "talk")
    page.fill("[name=held_on]", "2026-03-09")
    # Attendance: the usual categories are offered; one is filled, and a wrong 实到 is flagged at once.
    page.fill("[name=voters-0-due]", "5")
    page.fill("[name=voters-0-attended]", "6")
    hint = page.locator('[data-rows="voters"] .cf-row-hint')
    assert hint.inner_text() == "实到人数不能多于应到人数。"
    assert page.eval_on_selector("[name=voters-0-attended]", "el => !el.checkValidity()")
    page.fill("[name=voters-0-attended]", "5")
    page.fill("[name=voters-2-due]", "40")
    page.fill("[name=voters-2-attended]", "31")
    assert hint.inner_text() == "" and page.locator('[data-total="attended"]').inner_text() == "36"
    # Votes: the second 王晓燕 (the one at the other school) chosen with ↓ and Enter; 赵立新 by pinyin initials.
    d.pick("votes-0-person", "王晓燕", other_school.short_name)
    page.fill("[name=votes-0-votes]", "37")
    assert page.eval_on_selector("[name=votes-0-votes]", "el => el.validationMessage") == "得票数不能多于实到人数合计。"
    page.fill("[name=votes-0-votes]", "20")
    root = page.locator('[data-cf-picker][data-name="votes-1-person"]')
    root.locator(".cf-picker__input").fill("zlx")
    root.locator("[role=option]", has_text="赵立新").wait_for()
    root.locator(".cf-picker__input").press("Enter")
    page.fill("[name=votes-1-votes]", "10")
    # A fourth row added, then removed: it is not counted.
    page.click('[data-rows="votes"] .cf-row-add')
    d.pick("votes-3-person", "孙海涛")
    page.fill("[name=votes-3-votes]", "3")
    page.locator('[data-rows="votes"] tbody tr.cf-row').nth(3).locator(".cf-row-remove").click()
    assert page.locator('[data-total="votes"]').inner_text() == "30"
    with page.expect_navigation():
        page.click("#step-submit")
    preview = page.locator("#tally-preview")
    text = preview.inner_text()
    assert "应到45人，实到36人。" in text and f"王晓燕 · {other_school.short_name}" in text and "55.6%" in text
    assert "孙海涛" not in text
    page.screenshot(path="/tmp/cadreflow-recommend-rows.png", full_page=True)
    assert not case.rounds.exists()
    with page.expect_navigation():
        page.click("#step-confirm")
    assert page.locator(".cf-alert--error, .errorlist").count() == 0
    rnd = case.rounds.get()
    assert {(v.person_id, v.votes) for v in rnd.votes.all()} == {(namesake.pk, 20), (w.bob.pk, 10)}
    assert rnd.voters == [
        {"category": "学校领导班子成员", "due": 5, "attended": 5},
        {"category": "教师代表", "due": 40, "attended": 31},
    ]
