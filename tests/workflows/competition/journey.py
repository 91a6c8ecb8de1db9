"""A competition driven over HTTP as the school's secretary, from the plan to the opened 公示."""

from __future__ import annotations

import datetime as dt

from cadres.person_search import person_token
from workflows.competition.flows import CompetitionFlow as F
from workflows.competition.models import Competition, Registration

from .conftest import CLOSES, OPENS, meeting_data, plan_form_data, post_task

D = dt.date
PUBLICITY_START, PUBLICITY_END = D(2026, 6, 15), D(2026, 6, 22)  # 6月19日 is 端午节


def ok(response):
    assert response.status_code == 302, response.content.decode()[-2000:]


def register(client, user, case, post):
    client.force_login(user)
    return client.post(F.instance.reverse("register"), {"competition": case.pk, "post": post.pk})


def publicised(client, world) -> Competition:
    """alice (教导处主任) and bob (德育处主任) decided on 2026-06-06; the 公示 opened 2026-06-15 for five working
    days (to 2026-06-22). Run it inside `django_capture_on_commit_callbacks(execute=True)` for the documents."""
    clock = world.today
    client.force_login(world.secretary)
    ok(client.post(F.plan.reverse("execute"), plan_form_data(world)))
    case = Competition.objects.get()
    approval = meeting_data(world, ["agree"] * 6, present=6)
    ok(post_task(client, world.secretary, case, F.school_meeting_approval, approval))
    ok(post_task(client, world.officer, case, F.file_with_bureau, {"accepted": "1", "reason": ""}))
    ok(post_task(client, world.secretary, case, F.announce, {"confirm": "on"}))
    clock.set(OPENS)
    ok(register(client, world.alice_user, case, world.dean))
    ok(register(client, world.bob_user, case, world.moral))
    clock.set(CLOSES + dt.timedelta(days=1))
    ok(post_task(client, world.secretary, case, F.registration, {"confirm": "on"}))
    for reg in Registration.objects.filter(competition=case):
        ok(post_task(client, world.secretary, case, F.qualification_review, {"registration": reg.pk, "accept": "1"}))
    judges = world.judges
    for target, panel in ((world.dean, judges[:5]), (world.moral, judges[:3])):
        data = {"action": "assign", "post": target.pk, "judges": [person_token(j.profile.person_id) for j in panel]}
        ok(post_task(client, world.secretary, case, F.scoring, data))
    ok(post_task(client, world.secretary, case, F.scoring, {"action": "open"}))
    alice_reg = Registration.objects.get(person=world.alice)
    bob_reg = Registration.objects.get(person=world.bob)
    for reg, panel in ((alice_reg, judges[:5]), (bob_reg, judges[:3])):
        for judge in panel:
            client.force_login(judge)
            ok(client.post(F.instance.reverse("judge"), {"registration": reg.pk, "scores": "18,26,18,18,9"}))
        data = {"action": "other", "registration": reg.pk, "evaluation": "88", "performance": "90"}
        ok(post_task(client, world.secretary, case, F.scoring, data))
    ok(post_task(client, world.secretary, case, F.scoring, {"action": "close"}))
    ok(post_task(client, world.secretary, case, F.ranking, {"confirm": "on"}))
    for reg in (alice_reg, bob_reg):
        opinion = {"registration": reg.pk, "opinion": "德才表现良好。"}
        ok(post_task(client, world.secretary, case, F.inspection, opinion))
    # one row per member present, a vote for each shortlisted candidate (alice for the dean, bob for moral)
    decision = meeting_data(world, [["agree", "agree"]] * 5, present=5, held_on="2026-06-06")
    ok(post_task(client, world.secretary, case, F.school_decision, decision))
    clock.set(PUBLICITY_START)
    ok(post_task(client, world.secretary, case, F.publicise, {"start": PUBLICITY_START.isoformat(), "workdays": "5"}))
    case.refresh_from_db()
    assert case.publicity_end == PUBLICITY_END
    return case
