"""The HTTP steps of one case, each posted by the role that owns it (shared by the journey tests)."""

from __future__ import annotations

import datetime as dt

from viewflow.workflow.timers import fire_due_timers

from workflows.principal_selection.models import SelectionCase

from .conftest import FLOW, post_confirmed, post_task
from .form_data import recommend_data, token, tokens

D = dt.date
CHECK_DATA = {
    "dossier_review": lambda cand: {
        "candidate": token(cand.person),
        "birth_entries": "1984-03-09,2006-07-01,1\n1984-05-01,2010-03-01,1",
        "work_start": "2006-08-01",
        "party_join": "2003-06-01",
        "education": "大学本科 教育学学士",
        "experience": "2006年参加工作，2019年起任副校长",
        "verified_on": "2026-03-25",
        "passed": "on",
    },
    "personal_matters_check": lambda cand: {
        "candidate": token(cand.person),
        "delegated_on": "2026-03-23",
        "handled_on": "2026-03-30",
        "mismatch": "none",
    },
    "discipline_opinion": lambda cand: {
        "candidate": token(cand.person),
        "requested_on": "2026-03-23",
        "replied_on": "2026-03-27",
        "opinion": "未发现违纪违法问题。",
        "passed": "on",
    },
    "petition_check": lambda cand: {
        "candidate": token(cand.person),
        "checked_on": "2026-03-28",
        "received": 0,
        "finding": "考察期间未收到信访举报。",
        "passed": "on",
    },
}


def ok(response):
    assert response.status_code == 302, getattr(response, "content", b"")[:3000].decode(errors="replace")
    return response


def propose(client, w, **extra) -> SelectionCase:
    client.force_login(w.officer)
    data = {
        "post": w.post.pk,
        "started_on": "2026-03-02",
        "method": "recommendation",
        "posts_to_fill": 1,
        "scope": "全区小学副校长",
        "plan": "原校长到龄退出，按程序选拔。",
        **extra,
    }
    ok(client.post(FLOW.propose.reverse("execute"), data))
    return SelectionCase.objects.latest("pk")


def recommend(client, w, case, *, meeting_on="2026-03-10"):
    ok(
        post_confirmed(
            client,
            w.officer,
            case,
            FLOW.recommend,
            recommend_data(
                "talk",
                "2026-03-09",
                [("学校领导班子成员", 5, 5), ("中层干部", 12, 12)],
                [(w.alice, 12), (w.bob, 3), (w.carol, 2)],
            ),
        )
    )
    ok(
        post_confirmed(
            client,
            w.officer,
            case,
            FLOW.recommend,
            recommend_data(
                "meeting",
                meeting_on,
                [("学校领导班子成员", 5, 5), ("中层干部", 12, 11), ("教师代表", 26, 23)],
                [(w.alice, 33), (w.bob, 4), (w.carol, 2)],
            ),
        )
    )


def shortlist(client, w, case, *, on="2026-03-20", people=None):
    people = people or [w.alice, w.bob]
    return post_task(
        client,
        w.officer,
        case,
        FLOW.shortlist,
        {
            "people": tokens(people),
            "team": tokens(u.profile.person for u in w.inspectors),
            "on": on,
        },
    )


def shortlisted(client, w) -> SelectionCase:
    """A case proposed, recommended and shortlisted through HTTP: where the inspection and the musts begin."""
    case = propose(client, w)
    recommend(client, w, case)
    ok(shortlist(client, w, case))
    return case


def inspect_and_check(client, w, case, *, skip=()):
    """The inspection and the four musts for every candidate; the musts named in `skip` are left open."""
    for cand in case.active_candidates:
        ok(
            post_task(
                client,
                w.inspectors[0],
                case,
                FLOW.inspect,
                {
                    "candidate": token(cand.person),
                    "talks": 32,
                    "excellent": 35,
                    "competent": 6,
                    "basic": 1,
                    "incompetent": 0,
                    "morality": "政治立场坚定。",
                    "ability": "教学管理经验丰富。",
                    "diligence": "勤勉敬业。",
                    "achievement": "教学质量居全区前列。",
                    "integrity": "廉洁自律。",
                    "shortcomings": "统筹全局经验有待积累。",
                    "opinion": "会议推荐共39人参加，推荐其33票，居第1位。",
                },
            )
        )
    for node_name, actor in (
        ("dossier_review", w.officer),
        ("personal_matters_check", w.officer),
        ("discipline_opinion", w.discipline),
        ("petition_check", w.discipline),
    ):
        if node_name in skip:
            continue
        for cand in case.active_candidates:
            data = CHECK_DATA[node_name](cand)
            if node_name == "dossier_review":  # the first submission previews the differences
                preview = post_task(client, actor, case, FLOW.dossier_review, data)
                assert preview.status_code == 200 and 'id="dossier-preview"' in preview.content.decode()
                data = {**data, "previewed": preview.context["form"]["previewed"].value()}
            ok(post_task(client, actor, case, getattr(FLOW, node_name), data))


def sign(client, w, case):
    ok(post_task(client, w.members[0], case, FLOW.integrity_signoff, {"conclusion": "廉洁自律方面未发现问题。"}))
    ok(post_task(client, w.discipline, case, FLOW.integrity_signoff, {"conclusion": "同意党委结论。"}))


def decide(client, w, case, *, agree_alice=7, present=7, held_on="2026-04-10"):
    members = w.members
    data = {
        "held_on": held_on,
        "name": "2026年第3次委员会会议",
        "members": [m.pk for m in members],
        "present": [m.pk for m in members[:present]],
    }
    for i, m in enumerate(members[:present]):
        for cand in case.active_candidates:
            agree = cand.person_id == w.alice.pk and i < agree_alice
            data[f"vote_{m.pk}_{cand.pk}"] = "agree" if agree else "disagree"
    return post_task(client, w.secretary, case, FLOW.decide, data)


def publicise(client, w, case, start="2026-04-13"):
    ok(post_task(client, w.officer, case, FLOW.publicise, {"start": start, "workdays": 5}))


def appoint(client, w, case, notice_date="2026-04-20"):
    fire_due_timers()  # the 公示 (in the past) is over: its timer opens 任职
    return post_task(
        client,
        w.officer,
        case,
        FLOW.appoint,
        {
            "document_number": "示教工委〔2026〕12号",
            "notice_date": notice_date,
            "talk_on": notice_date,
            "talk_by": "工委书记",
        },
    )
