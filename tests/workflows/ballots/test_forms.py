"""The officer's round forms: candidates picked by name (same-name people told apart, never an id), the
民主测评 subject only among the case's active candidates, voter categories typed as rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.factories import PersonFactory
from tests.workflows.principal_selection.form_data import token, tokens
from tests.workflows.principal_selection.stages import proposed, shortlisted
from workflows.ballots.models import BallotRound

from .http import ballots_url, category_rows

pytestmark = pytest.mark.django_db


def officer_client(world) -> Client:
    client = Client()
    client.force_login(world.officer)
    return client


def recommendation(people, categories="学校领导班子成员,5\n教职工代表,20", **extra) -> dict:
    return {
        "action": "recommendation",
        "form": "meeting",
        "held_on": "2026-03-10",
        "seats": 1,
        "people": people,
        **category_rows(categories),
        **extra,
    }


def test_the_page_offers_pickers_and_category_rows_not_ids(world):
    case = proposed(world)
    page = officer_client(world).get(ballots_url(case)).content.decode()
    assert "data-cf-picker" in page and 'data-rows="categories"' in page and "cadreflow/person_picker.js" in page
    assert "人员编号" not in page and "每行" not in page


def test_same_name_candidates_are_told_apart_and_kept_in_the_order_picked(world, other_school):
    namesake = PersonFactory(name="王晓燕", organization=other_school, birth_date=dt.date(1979, 6, 1))
    case = proposed(world)
    response = officer_client(world).post(ballots_url(case), recommendation(tokens([namesake, world.alice])))
    assert response.status_code == 302
    rnd = BallotRound.objects.get()
    assert [c.person for c in rnd.candidates.order_by("order")] == [namesake, world.alice]
    assert [(c.name, c.due) for c in rnd.categories.order_by("order")] == [("学校领导班子成员", 5), ("教职工代表", 20)]
    page = officer_client(world).get(response.url).content.decode()
    assert page.count("王晓燕") >= 2 and other_school.name in page


@pytest.mark.parametrize(
    ("people", "categories", "reason"),
    [
        ("bare_id", "班子,5", "所选人员无效，请重新选择。"),
        ("none", "班子,5", "请至少选择一人。"),
        ("alice", "班子,0", "确保该值大于或等于1。"),
        ("alice", "班子,-3", "确保该值大于或等于1。"),
        ("alice", "班子,5\n班子,6", "投票人类别“班子”重复，请合并为一行。"),
        ("alice", "", "须至少有一个投票人类别。"),
    ],
)
def test_bad_rounds_are_refused_in_chinese_and_nothing_is_created(world, people, categories, reason):
    case = proposed(world)
    picked = {"bare_id": [str(world.alice.pk)], "none": [], "alice": [token(world.alice)]}[people]
    response = officer_client(world).post(ballots_url(case), recommendation(picked, categories))
    assert response.status_code == 200 and reason in response.content.decode()
    assert not BallotRound.objects.exists()


def test_the_evaluation_subject_is_one_of_the_cases_active_candidates(world):
    case = shortlisted(world)  # alice and bob shortlisted; carol only recommended
    client = officer_client(world)
    data = {"action": "evaluation", "held_on": "2026-03-22", **category_rows("教职工,10", "evaluation_categories")}
    refused = client.post(ballots_url(case), {**data, "candidate": token(world.carol)})
    assert refused.status_code == 200 and "所选人员不在可选范围内" in refused.content.decode()
    assert not BallotRound.objects.exists()
    created = client.post(ballots_url(case), {**data, "candidate": token(world.bob)})
    assert created.status_code == 302
    assert BallotRound.objects.get().candidate == case.candidates.get(person=world.bob)
