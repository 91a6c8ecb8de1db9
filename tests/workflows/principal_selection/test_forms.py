"""The selection forms over HTTP: ISO dates, 民主推荐 by rows with its preview and confirmation, people chosen
with the picker (same-name people told apart, 考察组 mapped to accounts), 讨论决定 by member rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from audit.models import AuditEvent
from cadres.roles import Role
from tests.factories import PersonFactory, UserFactory
from workflows.principal_selection.forms import ProposeForm
from workflows.principal_selection.models import CaseState, RecommendationRound, RecommendationVote

from . import journey as j
from .conftest import FLOW, eligible_person, open_task, post_task
from .form_data import fingerprint_of, recommend_data, token, tokens

pytestmark = pytest.mark.django_db(transaction=True)
TALK_VOTERS = [("学校领导班子成员", 5, 5), ("教师代表", 40, 31)]  # 36 attend


def text(response) -> str:
    return response.content.decode()


def recommend_url(case):
    return FLOW.recommend.reverse("execute", args=[case.pk, open_task(case, FLOW.recommend).pk])


def nothing_recorded(case):
    assert not RecommendationRound.objects.filter(case=case).exists()
    assert not AuditEvent.objects.filter(action__startswith="principal_selection.recommend").exists()
    assert open_task(case, FLOW.recommend).owner is None


# --- dates ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_date_inputs_render_iso_values_a_date_input_accepts(language):
    with translation.override(language):
        html = str(ProposeForm(initial={"started_on": dt.date(2026, 12, 7)})["started_on"])
        iso = ProposeForm({"started_on": "2026-12-07"})
        iso.is_valid()
    assert 'type="date"' in html and 'value="2026-12-07"' in html
    assert iso.cleaned_data["started_on"] == dt.date(2026, 12, 7)


def test_chinese_dates_typed_with_slashes_or_characters_are_still_read():
    for typed in ("2026/12/07", "2026年12月7日"):
        form = ProposeForm({"started_on": typed})
        form.is_valid()
        assert form.cleaned_data["started_on"] == dt.date(2026, 12, 7)


def test_the_proposal_page_shows_todays_date_in_its_date_input(client, world):
    client.force_login(world.officer)
    page = text(client.get(FLOW.propose.reverse("execute")))
    assert f'name="started_on" value="{timezone.localdate().isoformat()}"' in page
    assert '<html lang="zh-hans"' in page


# --- 民主推荐 by rows -------------------------------------------------------------------------------------


def test_the_recommend_page_offers_rows_and_no_id(client, world):
    case = j.propose(client, world)
    client.force_login(world.officer)
    page = text(client.get(recommend_url(case)))
    assert 'data-rows="voters"' in page and 'data-rows="votes"' in page and "cadreflow/rows.js" in page
    assert 'value="学校领导班子成员"' in page and "data-cf-picker" in page  # usual categories, picker per row
    assert "人员编号" not in page and f"{world.alice.pk}," not in page


def test_the_tally_is_previewed_then_saved_on_confirmation(client, world):
    case = j.propose(client, world)
    client.force_login(world.officer)
    url = recommend_url(case)
    data = recommend_data("talk", "2026-03-09", TALK_VOTERS, [(world.alice, 30), (world.bob, 5)])
    preview = client.post(url, data)
    page = text(preview)
    assert preview.status_code == 200 and 'id="tally-preview"' in page and 'id="step-confirm"' in page
    assert "应到45人，实到36人。" in page and "83.3%" in page and "13.9%" in page
    assert "王晓燕 · 第一实验小学" in page and "赵立新" in page
    assert 'value="30"' in page and 'value="教师代表"' in page  # the input is kept for correction
    nothing_recorded(case)

    saved = client.post(url, {**data, "confirm": "1", "fingerprint": fingerprint_of(preview)})
    assert saved.status_code == 302
    rnd = RecommendationRound.objects.get(case=case)
    assert rnd.voters == [
        {"category": "学校领导班子成员", "due": 5, "attended": 5},
        {"category": "教师代表", "due": 40, "attended": 31},
    ]
    assert {(v.person, v.votes) for v in rnd.votes.all()} == {(world.alice, 30), (world.bob, 5)}
    assert AuditEvent.objects.filter(action="principal_selection.recommend.talk").count() == 1


def test_a_meeting_preview_states_the_quorum(client, world):
    case = j.propose(client, world)
    client.force_login(world.officer)
    data = recommend_data("meeting", "2026-03-10", [("教师", 30, 20)], [(world.alice, 18)])
    page = text(client.post(recommend_url(case), data))
    assert "会议推荐须至少20人到会，到会人数符合要求，推荐有效。" in page
    nothing_recorded(case)


def test_figures_changed_after_the_preview_are_previewed_again_not_saved(client, world):
    case = j.propose(client, world)
    client.force_login(world.officer)
    url = recommend_url(case)
    data = recommend_data("talk", "2026-03-09", TALK_VOTERS, [(world.alice, 30)])
    fingerprint = fingerprint_of(client.post(url, data))
    changed = recommend_data("talk", "2026-03-09", TALK_VOTERS, [(world.alice, 31)])
    again = client.post(url, {**changed, "confirm": "1", "fingerprint": fingerprint})
    assert again.status_code == 200 and "预览后数字有改动" in text(again) and 'id="tally-preview"' in text(again)
    nothing_recorded(case)


def test_empty_and_removed_rows_are_ignored(client, world):
    case = j.propose(client, world)
    client.force_login(world.officer)
    data = recommend_data("talk", "2026-03-09", [*TALK_VOTERS, ("中层干部", "", "")], [(world.alice, 30)])
    data |= {"votes-TOTAL_FORMS": 3, "votes-1-person": "", "votes-1-votes": "", "votes-2-votes": ""}
    preview = client.post(recommend_url(case), data)
    assert 'id="tally-preview"' in text(preview) and "应到45人，实到36人。" in text(preview)


REFUSALS = [
    ("votes_over_attended", TALK_VOTERS, [("alice", 37)], "王晓燕：得票数（37）不能多于参加推荐人数（36）。"),
    ("attended_over_due", [("教师代表", 30, 31)], [("alice", 3)], "教师代表：实到人数（31）不能多于应到人数（30）。"),
    ("duplicate_person", TALK_VOTERS, [("alice", 3), ("alice", 4)], "重复列出，每名人选只填一行。"),
    ("negative_votes", TALK_VOTERS, [("alice", -1)], "确保该值大于或等于0。"),
    ("negative_attended", [("教师代表", 30, -2)], [("alice", 3)], "确保该值大于或等于0。"),
    ("duplicate_category", [("教师代表", 30, 20), ("教师代表", 5, 5)], [("alice", 3)], "“教师代表”重复"),
    ("no_votes", TALK_VOTERS, [], "请至少填写一名人选的得票。"),
    ("no_voters", [], [("alice", 3)], "请至少填写一类参加人员的应到、实到人数。"),
    ("total_over_seats", TALK_VOTERS, [("alice", 30), ("bob", 7)], "得票总数多于参加人数与职数之积（36×1）"),
    ("no_quorum", [("教师", 30, 19)], [("alice", 10)], "不足20人"),
    ("votes_missing", TALK_VOTERS, [("alice", "")], "该字段是必填项。"),
]


@pytest.mark.parametrize(("case_name", "voters", "votes", "reason"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_every_refusal_is_told_in_chinese_and_writes_nothing(client, world, case_name, voters, votes, reason):
    case = j.propose(client, world)
    client.force_login(world.officer)
    form = "meeting" if case_name == "no_quorum" else "talk"
    data = recommend_data(form, "2026-03-09", voters, [(getattr(world, who), n) for who, n in votes])
    for extra in ({}, {"confirm": "1", "fingerprint": "0" * 64}):  # the preview and a forced confirmation
        response = client.post(recommend_url(case), {**data, **extra})
        page = text(response)
        assert response.status_code == 200 and reason in page, page[:3000]
        assert 'id="tally-preview"' not in page
        nothing_recorded(case)


def test_a_forged_or_bare_id_is_no_person(client, world):
    case = j.propose(client, world)
    client.force_login(world.officer)
    data = recommend_data("talk", "2026-03-09", TALK_VOTERS, [(world.alice, 3)])
    data["votes-0-person"] = str(world.alice.pk)
    page = text(client.post(recommend_url(case), data))
    assert "所选人员无效，请重新选择。" in page
    nothing_recorded(case)


def test_two_people_of_the_same_name_are_told_apart(client, world, other_school):
    namesake = PersonFactory(name="王晓燕", organization=other_school, birth_date=dt.date(1979, 6, 1))
    case = j.propose(client, world)
    client.force_login(world.officer)
    url = recommend_url(case)
    data = recommend_data("talk", "2026-03-09", TALK_VOTERS, [(world.alice, 20), (namesake, 4)])
    preview = client.post(url, data)
    page = text(preview)
    assert "王晓燕 · 第一实验小学" in page and f"王晓燕 · {other_school.short_name}" in page and "1979年06月" in page
    client.post(url, {**data, "confirm": "1", "fingerprint": fingerprint_of(preview)})
    votes = {v.person_id: v.votes for v in RecommendationVote.objects.filter(round__case=case)}
    assert votes == {world.alice.pk: 20, namesake.pk: 4}


# --- 确定考察对象: people and the team picked from the registry ----------------------------------------------


def shortlist_url(case):
    return FLOW.shortlist.reverse("execute", args=[case.pk, open_task(case, FLOW.shortlist).pk])


def test_the_shortlist_page_picks_people_and_shows_no_select_of_everyone(client, world):
    case = j.propose(client, world)
    j.recommend(client, world, case)
    client.force_login(world.officer)
    page = text(client.get(shortlist_url(case)))
    assert page.count("data-cf-picker") == 2 and "<select" not in page.split('id="step-submit"')[0].split("<form")[-1]
    assert "inspector1" not in page


@pytest.mark.parametrize("problem", ["no_account", "inactive", "no_role"])
def test_a_team_member_without_an_account_or_the_role_is_refused_by_name(client, world, problem):
    case = j.propose(client, world)
    j.recommend(client, world, case)
    outsider = PersonFactory(name="钱考察", organization=world.bureau)
    if problem != "no_account":
        user = UserFactory(
            username="qian",
            roles=[Role.PERSONNEL_OFFICER] if problem == "no_role" else [Role.INSPECTION_TEAM],
            organization=world.bureau,
            organization__person=outsider,
        )
        if problem == "inactive":
            user.is_active = False
            user.save()
    team = [world.inspectors[0].profile.person, outsider]
    response = post_task(
        client,
        world.officer,
        case,
        FLOW.shortlist,
        {"people": tokens([world.alice, world.bob]), "team": tokens(team), "on": "2026-03-20"},
    )
    page = text(response)
    expected = "没有可用的系统账号" if problem != "no_role" else "的账号没有“考察组成员”角色"
    assert response.status_code == 200 and f"钱考察 · {world.bureau.short_name}" in page and expected in page
    case.refresh_from_db()
    assert case.state == CaseState.RECOMMENDED and not case.inspection_team.exists()


def test_the_team_is_stored_as_the_accounts_of_the_people_picked(client, world):
    case = j.propose(client, world)
    j.recommend(client, world, case)
    j.ok(j.shortlist(client, world, case))
    case.refresh_from_db()
    assert set(case.inspection_team.all()) == set(world.inspectors)
    assert {c.person for c in case.active_candidates} == {world.alice, world.bob}


def test_a_same_name_person_not_recommended_is_refused_by_the_service(client, world, other_school):
    namesake = eligible_person(other_school, "王晓燕", deputy_post=world.deputy_post)
    case = j.propose(client, world)
    j.recommend(client, world, case)
    response = j.shortlist(client, world, case, people=[namesake, world.bob])
    assert response.status_code == 200 and "王晓燕：未经民主推荐，也不是后备干部。" in text(response)
    case.refresh_from_db()
    assert case.state == CaseState.RECOMMENDED


# --- records about one candidate; 讨论决定 by rows --------------------------------------------------------------


def test_a_candidate_record_offers_only_the_cases_candidates(client, world):
    case = j.propose(client, world)
    j.recommend(client, world, case)
    j.ok(j.shortlist(client, world, case))
    data = j.CHECK_DATA["petition_check"](case.candidates.get(person=world.alice))
    outsider = post_task(client, world.discipline, case, FLOW.petition_check, {**data, "candidate": token(world.carol)})
    assert outsider.status_code == 200 and "所选人员不在可选范围内" in text(outsider)
    assert not AuditEvent.objects.filter(action="principal_selection.petition_check").exists()
    j.ok(post_task(client, world.discipline, case, FLOW.petition_check, data))
    assert AuditEvent.objects.filter(action="principal_selection.petition_check").count() == 1


def test_the_decision_page_lists_members_by_name_in_rows(client, world):
    case = j.propose(client, world)
    j.recommend(client, world, case)
    j.ok(j.shortlist(client, world, case))
    j.inspect_and_check(client, world, case)
    j.sign(client, world, case)
    client.force_login(world.secretary)
    page = text(client.get(FLOW.decide.reverse("execute", args=[case.pk, open_task(case, FLOW.decide).pk])))
    assert page.count('class="cf-row"') == 9 and f"委员1 · {world.bureau.short_name}" in page
    assert "对王晓燕 · 第一实验小学" in page
    assert "member1" not in page and "<select multiple" not in page
    j.ok(j.decide(client, world, case))
    case.refresh_from_db()
    assert case.state == CaseState.DECIDED
