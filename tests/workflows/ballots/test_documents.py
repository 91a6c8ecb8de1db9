"""The round's documents: the slips (at open) and the tally (at close) render, and the case record lists the
round-level events with their figures — never a code."""

from __future__ import annotations

import pytest
from django.test import Client

from dossiers.models import DossierDocument
from tests.workflows.principal_selection.conftest import FLOW
from tests.workflows.principal_selection.stages import proposed

from .conftest import candidate_ids
from .http import create_recommendation, open_round, round_url, vote

pytestmark = pytest.mark.django_db


def test_slips_and_tally_render_and_the_case_record_shows_the_rounds_events(world, django_capture_on_commit_callbacks):
    case = proposed(world)
    officer = Client()
    rnd = create_recommendation(officer, world, case, categories="班子,3")
    with django_capture_on_commit_callbacks(execute=True):
        codes = open_round(officer, rnd)["班子"]
    slips = DossierDocument.objects.get(kind="ballot_slips", step=f"ballot_{rnd.pk}")
    assert slips.status == DossierDocument.Status.RENDERED
    assert [s["url"] for s in slips.content["slips"]] == [f"http://testserver/vote/{c}/" for c in codes]
    for code in codes[:2]:
        vote(code, candidate_ids(rnd, world.alice))
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(round_url(rnd), {"action": "close"})
    tally = DossierDocument.objects.get(kind="ballot_tally", step=f"ballot_{rnd.pk}")
    assert tally.status == DossierDocument.Status.RENDERED
    assert tally.content["title"].startswith(rnd.title)
    page = officer.get(round_url(rnd)).content.decode()
    assert f"/dossiers/documents/{tally.pk}/" in page or str(tally.title) in page
    record = officer.get(FLOW.instance.reverse("record", args=[case.pk])).content.decode()
    for label in ("建立电子投票", "开始电子投票", "结束电子投票并计票", "发放投票码", "电子票"):
        assert label in record
    assert not [c for c in codes if c in record]


def test_the_public_url_setting_is_printed_on_the_slips(world, settings):
    settings.CADREFLOW_PUBLIC_URL = "https://cadreflow.example.org/"
    case = proposed(world)
    officer = Client()
    rnd = create_recommendation(officer, world, case, categories="班子,2")
    codes = open_round(officer, rnd)["班子"]
    slips = DossierDocument.objects.get(kind="ballot_slips", step=f"ballot_{rnd.pk}")
    assert {s["url"] for s in slips.content["slips"]} == {f"https://cadreflow.example.org/vote/{c}/" for c in codes}
