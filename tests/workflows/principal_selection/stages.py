"""Bring a case to a given step through the services (fast set-up for the gate tests)."""

from __future__ import annotations

import datetime as dt

from workflows.principal_selection import services as s
from workflows.principal_selection.forms import SIGNATURE_CAPACITY
from workflows.principal_selection.models import CheckKind, SelectionCase

from .conftest import FLOW

D = dt.date
REPORT = {
    "performance": dict.fromkeys(("morality", "ability", "diligence", "achievement", "integrity"), "好"),
    "shortcomings": "经验不足",
    "opinion": "同意",
}
EVALUATION = {"excellent": 30, "competent": 5, "basic": 0, "incompetent": 0}
VOTERS = [{"category": "班子", "due": 5, "attended": 5}, {"category": "教师代表", "due": 26, "attended": 23}]


def proposed(w, **extra) -> SelectionCase:
    case = SelectionCase(flow_class=FLOW)
    return s.case_propose(case=case, acting_user=w.officer, post=w.post, started_on=D(2026, 3, 2), **extra)


MEETING_ON = D(2026, 3, 10)


def recommended(w, *, meeting_on=MEETING_ON, **extra) -> SelectionCase:
    case = proposed(w, **extra)
    votes = {w.alice.pk: 20, w.bob.pk: 5, w.carol.pk: 2}
    s.recommendation_record(
        case=case, acting_user=w.officer, form="talk", held_on=meeting_on, voters=VOTERS, votes=votes
    )
    s.recommendation_record(
        case=case, acting_user=w.officer, form="meeting", held_on=meeting_on, voters=VOTERS, votes=votes
    )
    return case


def shortlisted(w, **extra) -> SelectionCase:
    case = recommended(w, **extra)
    s.candidates_shortlist(
        case=case, acting_user=w.officer, people=[w.alice, w.bob], team=w.inspectors, on=D(2026, 3, 20)
    )
    return case


def checked(w, *, mismatch="none", **extra) -> SelectionCase:
    case = shortlisted(w, **extra)
    for cand in case.active_candidates:
        s.inspection_record(
            case=case,
            acting_user=w.inspectors[0],
            candidate=cand,
            talks=30,
            evaluation=EVALUATION,
            report=REPORT,
        )
        for kind in CheckKind.values:
            figures = {"mismatch": mismatch} if kind == CheckKind.PERSONAL_MATTERS else {"on": "2026-03-25"}
            s.check_record(case=case, acting_user=w.officer, candidate=cand, kind=kind, figures=figures)
    return case


def signed(w, **extra) -> SelectionCase:
    case = checked(w, **extra)
    for user, role in ((w.members[0], "committee_member"), (w.discipline, "discipline_inspector")):
        s.integrity_sign(case=case, acting_user=user, capacity=SIGNATURE_CAPACITY[role], conclusion="未发现问题。")
    return case


def votes_for(case, w, members, value_by_person):
    out = {}
    for m in members:
        for cand in case.candidates.filter(person__in=list(value_by_person)):
            out.setdefault(m.pk, {})[cand.pk] = value_by_person[cand.person]
    return out


def decided(w, **extra) -> SelectionCase:
    case = signed(w, **extra)
    present = w.members[:7]
    s.meeting_record(
        case=case,
        acting_user=w.secretary,
        held_on=D(2026, 4, 10),
        name="第3次会议",
        members=w.members,
        present=present,
        votes=votes_for(case, w, present, {w.alice: "agree", w.bob: "disagree"}),
    )
    return case
