"""HTTP steps shared by the page tests: the officer's actions on the 电子投票 pages and a voter's journey."""

from __future__ import annotations

from django.test import Client

from dossiers.models import DossierDocument
from tests.workflows.principal_selection.conftest import FLOW
from tests.workflows.principal_selection.form_data import tokens
from workflows.ballots.models import BallotRound


def ballots_url(case) -> str:
    return FLOW.instance.reverse("ballots", args=[case.pk])


def round_url(rnd) -> str:
    return FLOW.instance.reverse("ballot", args=[rnd.case_id, rnd.pk])


def category_rows(text: str, prefix: str = "categories") -> dict:
    """Voter categories written "类别,应到" one per line, as the rows the page posts."""
    rows = [line.split(",") for line in text.splitlines() if line.strip()]
    data = {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": 0}
    for i, row in enumerate(rows):
        data[f"{prefix}-{i}-name"] = row[0]
        if len(row) > 1:
            data[f"{prefix}-{i}-due"] = row[1]
    return data


def create_recommendation(client, w, case, *, form="meeting", seats=1, categories="班子,5\n教职工代表,20"):
    client.force_login(w.officer)
    response = client.post(
        ballots_url(case),
        {
            "action": "recommendation",
            "form": form,
            "held_on": "2026-03-10",
            "seats": seats,
            "people": tokens([w.alice, w.bob, w.carol]),
            **category_rows(categories),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return BallotRound.objects.latest("pk")


def open_round(client, rnd) -> dict[str, list[str]]:
    """Open over HTTP; the codes read back from the slips document (the only place they exist)."""
    response = client.post(round_url(rnd), {"action": "open"})
    assert response.status_code == 302
    doc = DossierDocument.objects.get(kind="ballot_slips", step=f"ballot_{rnd.pk}")
    out: dict[str, list[str]] = {}
    for slip in doc.content["slips"]:
        out.setdefault(slip["category"], []).append(slip["code"])
    return out


def vote(code: str, marks, *, address: str = "10.1.1.1", client: Client | None = None):
    """One voter on their phone: scan, see the ballot, confirm, cast. Returns the final response."""
    client = client or Client()
    marks = [str(m) for m in (marks if isinstance(marks, list | tuple) else [marks])]
    first = client.get(f"/vote/{code}/", REMOTE_ADDR=address)
    assert first.status_code == 302 and first.url == "/vote/ballot/"
    page = client.get("/vote/ballot/", REMOTE_ADDR=address)
    assert page.status_code == 200 and 'id="ballot-form"' in page.content.decode(), page.content.decode()[:1500]
    confirm = client.post("/vote/ballot/", {"step": "confirm", "marks": marks}, REMOTE_ADDR=address)
    assert "请确认您的选择" in confirm.content.decode()
    return client.post("/vote/ballot/", {"step": "cast", "marks": marks}, REMOTE_ADDR=address)
