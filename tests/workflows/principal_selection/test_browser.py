"""Headless Chromium drives one case from 动议 to 任职, each step in the role's own browser session."""

from __future__ import annotations

import pytest
from viewflow.workflow.status import STATUS

from cadres.models import Tenure
from tests.browser.conftest import browser_page  # noqa: F401  (the shared Chromium fixture)
from workflows.principal_selection.models import CaseState, SelectionCase

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
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state()
        self.user = user

    def submit(self, url, fields=None, selects=None):
        page = self.page
        page.goto(f"{self.base}{url}")
        for name, value in (fields or {}).items():
            page.fill(f"[name={name}]", str(value))
        for name, value in (selects or {}).items():
            page.select_option(f"select[name={name}]", value)
        with page.expect_navigation():
            page.click("#step-submit")
        errors = page.locator(".cf-alert--error, .errorlist")
        assert errors.count() == 0, errors.all_inner_texts()

    def task(self, case, node, user, fields=None, selects=None):
        self.as_user(user)
        task = case.task_set.filter(flow_task=node).exclude(status__in=[STATUS.DONE, STATUS.CANCELED]).get()
        self.submit(node.reverse("execute", args=[case.pk, task.pk]), fields, selects)


def test_a_case_from_proposal_to_appointment_in_the_browser(browser_page, live_server, world):  # noqa: F811
    w, d = world, Driver(browser_page, live_server.url)
    d.as_user(w.officer)
    d.submit(
        FLOW.propose.reverse("execute"),
        {"started_on": "2026-03-02", "posts_to_fill": "1", "scope": "全区小学副校长", "plan": "原校长到龄"},
        {"post": str(w.post.pk), "method": "recommendation"},
    )
    case = SelectionCase.objects.get()
    votes = f"{w.alice.pk},30\n{w.bob.pk},5"
    for form, day in (("talk", "2026-03-09"), ("meeting", "2026-03-10")):
        d.task(
            case,
            FLOW.recommend,
            w.officer,
            {"held_on": day, "voters": "教师代表,40,36", "votes": votes},
            {"form": form},
        )
    d.task(
        case,
        FLOW.shortlist,
        w.officer,
        {"on": "2026-03-20"},
        {"people": [str(w.alice.pk), str(w.bob.pk)], "team": [str(u.pk) for u in w.inspectors]},
    )
    for cand in case.active_candidates:
        pk = str(cand.pk)
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
            {"candidate": pk},
        )
        # 档案必审 first previews the differences with the registry (the page answers in place, no navigation);
        # the second submission records it.
        d.as_user(w.officer)
        task = case.task_set.filter(flow_task=FLOW.dossier_review).exclude(status__in=[STATUS.DONE, STATUS.CANCELED])
        d.page.goto(f"{d.base}{FLOW.dossier_review.reverse('execute', args=[case.pk, task.get().pk])}")
        for name, value in {
            "birth_entries": "1984-03-09,2006-07-01,1",
            "work_start": "2006-08-01",
            "education": "大学本科",
            "experience": "2019年起任副校长",
            "verified_on": "2026-03-25",
        }.items():
            d.page.fill(f"[name={name}]", value)
        d.page.select_option("select[name=candidate]", pk)
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
            {"candidate": pk, "mismatch": "none"},
        )
        d.task(
            case,
            FLOW.discipline_opinion,
            w.discipline,
            {"requested_on": "2026-03-23", "replied_on": "2026-03-27", "opinion": "未发现问题"},
            {"candidate": pk},
        )
        d.task(
            case,
            FLOW.petition_check,
            w.discipline,
            {"checked_on": "2026-03-28", "received": "0", "finding": "无信访举报"},
            {"candidate": pk},
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
        {"members": [str(m.pk) for m in w.members], "present": [str(m.pk) for m in present], **votes},
    )
    d.task(case, FLOW.publicise, w.officer, {"start": "2026-04-13", "workdays": "5"})
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
