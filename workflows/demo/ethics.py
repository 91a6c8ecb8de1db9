"""师德违规处理 demo cases on teachers of the first school: one case waiting at each human step (指定调查人员
… 申诉处理), reported by the school's secretary, investigated by the `discipline` login, decided by the
bureau (a public school). Each teacher concerned gets a login (`ethics1`…): the statement, the review and
the appeal are theirs. The dates lie in the past; the windows still open today are the ones a case waits in
(复核 and 申诉 are asked within their 30 days).
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from unittest import mock

from cadres.roles import Role
from workflows.ethics_case import services as s
from workflows.ethics_case.flows import EthicsCaseFlow as FLOW
from workflows.ethics_case.models import EthicsCase

from .accounts import ensure_login, free_teachers
from .driver import start, step

STEPS = (
    "assign_investigator",
    "investigate",
    "statement",
    "hearing",
    "propose",
    "decide",
    "apply_review",
    "answer_review",
    "apply_appeal",
    "decide_appeal",
)
FINDINGS = "经调查核实，该教师于本学期组织本班学生9人在校外有偿补课，收取费用共计21600元。"


@contextmanager
def on_day(day: dt.date):
    """`timezone.localdate()` answers `day` while a past step runs.

    The ethics services date what they do not take as an argument by today's date (the decision letter's
    service, hence the review and appeal windows): without this, a letter decided weeks ago would be served
    on the day the demo is loaded, after the review it opened. Only this loader, single-threaded, uses it.
    """
    from django.utils import timezone

    original = timezone.localdate

    def localdate(value=None, tz=None):
        return day if value is None else original(value, tz)

    with mock.patch("django.utils.timezone.localdate", localdate):
        yield


def make_case(users, school, teacher_person, *, waiting_at: str, today: dt.date, index: int) -> EthicsCase:
    stop = STEPS.index(waiting_at)
    secretary, officer, investigator = users["secretary"], users["officer"], users["discipline"]
    teacher = ensure_login(f"ethics{index + 1}", Role.TEACHER, school, teacher_person)
    hearing = waiting_at == "hearing"
    r = today - dt.timedelta(days=24)
    days = {
        name: r + dt.timedelta(days=n)
        for name, n in (
            ("report", 0),
            ("assign", 1),
            ("investigate", 3),
            ("statement", 5),
            ("hearing", 6),
            ("propose", 7),
            ("decide", 9),
            ("review", 12),
            ("answer", 15),
            ("appeal", 18),
        )
    }
    with on_day(days["report"]):
        case = start(
            FLOW.report,
            secretary,
            lambda case: s.ethics_case_report(
                acting_user=secretary,
                case=case,
                teacher=teacher_person,
                source="school_report",
                report_text="家长反映该教师组织学生有偿补课。",
                reported_on=days["report"],
            ),
        )

    def run(name, node, user, perform):
        with on_day(days[name]):
            step(case, node, user, perform)

    if stop <= STEPS.index("assign_investigator"):
        return case
    run(
        "assign",
        FLOW.assign_investigator,
        officer,
        lambda c: s.ethics_case_investigator_assign(
            acting_user=officer, case=c, investigator=investigator, on=days["assign"]
        ),
    )
    if stop <= STEPS.index("investigate"):
        return case
    kind = "post_grade_demotion" if hearing else "demerit"
    run(
        "investigate",
        FLOW.investigate,
        investigator,
        lambda c: s.ethics_case_investigate(
            acting_user=investigator,
            case=c,
            findings=FINDINGS,
            violations=["v10"],
            intended_kind=kind,
            regime="teacher",
            investigated_on=days["investigate"],
        ),
    )
    if stop <= STEPS.index("statement"):
        return case
    run(
        "statement",
        FLOW.statement,
        teacher,
        lambda c: s.ethics_case_statement_submit(
            acting_user=teacher,
            case=c,
            statement="本人承认组织了补课。",
            defence="已退还全部费用，请求从轻处理。",
            hearing_requested=hearing,
            on=days["statement"],
        ),
    )
    if stop <= STEPS.index("propose"):
        return case
    run(
        "propose",
        FLOW.propose,
        secretary,
        lambda c: s.ethics_case_propose(
            acting_user=secretary,
            case=c,
            kind="demerit",
            measures=[{"kind": "circulated_criticism"}],
            reason="情节较重，但已退还费用，认错态度较好。",
            on=days["propose"],
        ),
    )
    if stop <= STEPS.index("decide"):
        return case
    run(
        "decide",
        FLOW.decide,
        officer,
        lambda c: s.ethics_case_decide(
            acting_user=officer,
            case=c,
            sanctioned=True,
            decided_on=days["decide"],
            kind="demerit",
            measures=[{"kind": "circulated_criticism"}],
            document_number=f"示教人〔{days['decide'].year}〕{40 + index}号",
            meeting=f"区教育局{days['decide'].year}年第{18 + index}次局务会议",
            appeal_body="市教育局",
        ),
    )
    if stop <= STEPS.index("apply_review"):
        return case
    run(
        "review",
        FLOW.apply_review,
        teacher,
        lambda c: s.ethics_case_review_apply(acting_user=teacher, case=c, reason="处理过重。", on=days["review"]),
    )
    if stop <= STEPS.index("answer_review"):
        return case
    run(
        "answer",
        FLOW.answer_review,
        officer,
        lambda c: s.ethics_case_review_answer(
            acting_user=officer, case=c, result="keep", answer="经复核，维持原处理决定。", on=days["answer"]
        ),
    )
    if stop <= STEPS.index("apply_appeal"):
        return case
    run(
        "appeal",
        FLOW.apply_appeal,
        teacher,
        lambda c: s.ethics_case_appeal_apply(acting_user=teacher, case=c, reason="仍不服复核决定。", on=days["appeal"]),
    )
    return case


def load(users, school, today: dt.date) -> list[EthicsCase]:
    teachers = list(free_teachers(school)[: len(STEPS)])
    return [
        make_case(users, school, person, waiting_at=w, today=today, index=i)
        for i, (w, person) in enumerate(zip(STEPS, teachers, strict=True))
    ]
