"""Gates asked at the moment they act (issue 11, findings 2 and 6).

A sanction (or a 不合格 师德考核) recorded AFTER an earlier gate was passed must still stop each later
decisive step, the refusal naming the record and its last blocking day; the same step passes when the
record stopped blocking before the step's date. No decisive step may be dated in the future, nor before
the step it follows.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cadres.ethics.models import EthicsAssessment, EthicsGrade, Sanction, SanctionKind
from cadres.models import Tenure
from reserve_pool import services as pool_services
from reserve_pool.choices import ReserveState
from reserve_pool.exceptions import ReserveRefused
from tests.reserve_pool import conftest as rp_conftest
from tests.workflows.competition import conftest as comp_conftest
from tests.workflows.competition.test_documents import decided as comp_decided
from tests.workflows.competition.test_documents import ranked as comp_ranked
from tests.workflows.principal_selection import conftest as ps_conftest
from tests.workflows.principal_selection import journey as j
from tests.workflows.principal_selection import stages
from tests.workflows.principal_selection.conftest import FLOW
from workflows.common import gates
from workflows.competition import services as cs
from workflows.competition.models import Registration, RegStatus, State
from workflows.meetings.models import Meeting, Purpose
from workflows.principal_selection import services as ps
from workflows.principal_selection.models import CandidateStatus, CaseState

D = dt.date

# The two flows' worlds, under their own names here (both conftests call theirs `world`).
ps_world = ps_conftest.world
comp_world = comp_conftest.world
today = comp_conftest.today  # the competition clock, which comp_world uses

MEETING_ON, NOTICE_ON, COMP_DECISION_ON = D(2026, 4, 10), D(2026, 4, 20), D(2026, 6, 12)

# What blocks: four sanction kinds and an ethics 不合格 year. Each row: the kind, and the words the refusal
# must contain to name it.
KINDS = [
    (SanctionKind.WARNING, "警告"),
    (SanctionKind.DEMERIT, "记过"),
    (SanctionKind.POST_GRADE_DEMOTION, "降低岗位等级"),
    (SanctionKind.REMOVAL_FROM_POST, "撤职"),
    ("ethics_failed", "师德考核不合格"),
]


def record(person, kind, start: dt.date, end: dt.date):
    """A blocking record from `start` to `end` (exclusive): a sanction, or a 不合格 year decided on `start`
    (blocking for the rule set's 12 months, so `end` must be start + 12 months)."""
    if kind == "ethics_failed":
        assert end == start.replace(year=start.year + 1)
        return EthicsAssessment.objects.create(
            person=person, year=start.year - 1, grade=EthicsGrade.FAILED, decided_on=start
        )
    return Sanction.objects.create(
        person=person, kind=kind, decided_on=start, authority="示范区教育局", start_date=start, end_date=end
    )


def assert_refused(excinfo, label: str, last_day: dt.date):
    text = " ".join(excinfo.value.messages)
    assert label in text and f"{last_day:%Y年%m月%d日}" in text, text


# --- principal selection: 讨论决定, 任职, 试用期满 ---------------------------------------------------------------


def ps_meeting(w, case, held_on=MEETING_ON):
    present = w.members[:7]
    return ps.meeting_record(
        case=case,
        acting_user=w.secretary,
        held_on=held_on,
        name="第3次会议",
        members=w.members,
        present=present,
        votes=stages.votes_for(case, w, present, {w.alice: "agree", w.bob: "disagree"}),
    )


def ps_appoint(w, case, notice_date=NOTICE_ON):
    return ps.appointment_make(
        case=case,
        acting_user=w.officer,
        document_number="示教工委〔2026〕12号",
        notice_date=notice_date,
        talk_on=notice_date,
        talk_by="局党组",
    )


def ps_appointed(w):
    case = stages.decided(w)
    ps.publicity_open(case=case, acting_user=w.officer, start=D(2026, 4, 13))
    ps_appoint(w, case)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize(("kind", "label"), KINDS)
def test_a_record_after_shortlisting_stops_the_decision_meeting(ps_world, kind, label):
    w = ps_world
    case = stages.signed(w)  # shortlisted on 2026-03-20 with alice clean
    record(w.alice, kind, D(2026, 3, 25), D(2027, 3, 25))
    with pytest.raises(ps.SelectionRefused) as excinfo:
        ps_meeting(w, case)
    assert excinfo.value.code == "ineligible"
    assert_refused(excinfo, label, D(2027, 3, 24))
    assert not case.meetings.exists()


@pytest.mark.parametrize(("kind", "label"), KINDS)
def test_the_decision_meeting_passes_once_the_record_has_ended(ps_world, kind, label):
    w = ps_world
    case = stages.signed(w)
    if kind == "ethics_failed":
        record(w.alice, kind, D(2025, 3, 1), D(2026, 3, 1))
    else:
        record(w.alice, kind, D(2026, 3, 21), D(2026, 4, 1))
    ps_meeting(w, case)
    assert case.candidates.get(person=w.alice).status == CandidateStatus.DECIDED


@pytest.mark.parametrize(("kind", "label"), KINDS)
def test_a_record_during_publicity_stops_the_appointment(ps_world, kind, label):
    w = ps_world
    case = stages.decided(w)
    ps.publicity_open(case=case, acting_user=w.officer, start=D(2026, 4, 13))
    record(w.alice, kind, D(2026, 4, 14), D(2027, 4, 14))
    with pytest.raises(ps.SelectionRefused) as excinfo:
        ps_appoint(w, case)
    assert excinfo.value.code == "ineligible"
    assert_refused(excinfo, label, D(2027, 4, 13))
    assert not Tenure.objects.filter(person=w.alice, post=w.post).exists()


@pytest.mark.parametrize(("kind", "label"), KINDS[:4])
def test_the_appointment_passes_once_the_sanction_has_ended(ps_world, kind, label):
    w = ps_world
    case = stages.decided(w)
    ps.publicity_open(case=case, acting_user=w.officer, start=D(2026, 4, 13))
    record(w.alice, kind, D(2026, 4, 14), D(2026, 4, 18))
    ps_appoint(w, case)
    assert Tenure.objects.filter(person=w.alice, post=w.post).exists()


@pytest.mark.parametrize(("kind", "label"), KINDS)
def test_a_record_during_probation_stops_the_confirmation_but_not_the_reversion(ps_world, kind, label):
    w = ps_world
    case = ps_appointed(w)
    record(w.alice, kind, D(2026, 5, 1), D(2027, 5, 1))
    with pytest.raises(ps.SelectionRefused) as excinfo:
        ps.probation_conclude(case=case, acting_user=w.officer, confirmed=True, on=D(2026, 12, 1))
    assert excinfo.value.code == "ineligible"
    assert_refused(excinfo, label, D(2027, 4, 30))
    case.refresh_from_db()
    assert case.state == CaseState.ON_PROBATION
    ps.probation_conclude(case=case, acting_user=w.officer, confirmed=False, on=D(2026, 12, 1), reason="受处分")
    case.refresh_from_db()
    assert case.state == CaseState.REVERTED


@pytest.mark.parametrize(("kind", "label"), KINDS[:4])
def test_the_confirmation_passes_once_the_sanction_has_ended(ps_world, kind, label):
    w = ps_world
    case = ps_appointed(w)
    record(w.alice, kind, D(2026, 5, 1), D(2026, 6, 1))
    ps.probation_conclude(case=case, acting_user=w.officer, confirmed=True, on=D(2026, 12, 1))
    case.refresh_from_db()
    assert case.state == CaseState.CONFIRMED


# --- principal selection: dates --------------------------------------------------------------------------------


def test_principal_selection_steps_may_not_be_dated_in_the_future(ps_world, monkeypatch):
    w = ps_world
    monkeypatch.setattr(gates, "today", lambda: D(2026, 4, 5))
    case = stages.signed(w)
    with pytest.raises(ps.SelectionRefused) as excinfo:
        ps_meeting(w, case)  # 2026-04-10, five days ahead
    assert excinfo.value.code == "future_date" and "不能晚于今天" in excinfo.value.messages[0]
    monkeypatch.setattr(gates, "today", lambda: D(2026, 4, 10))
    ps_meeting(w, case)
    with pytest.raises(ps.SelectionRefused) as excinfo:
        ps.publicity_open(case=case, acting_user=w.officer, start=D(2026, 4, 13))
    assert excinfo.value.code == "future_date"
    monkeypatch.setattr(gates, "today", lambda: D(2026, 4, 13))
    ps.publicity_open(case=case, acting_user=w.officer, start=D(2026, 4, 13))
    # the case: the appointment recorded now for a 公示 that has not even ended
    monkeypatch.setattr(gates, "today", lambda: D(2026, 4, 14))
    with pytest.raises(ps.SelectionRefused) as excinfo:
        ps_appoint(w, case)
    assert excinfo.value.code == "future_date"
    assert not Tenure.objects.filter(person=w.alice, post=w.post).exists()  # the registry shows nothing yet
    monkeypatch.setattr(gates, "today", lambda: D(2026, 4, 20))
    ps_appoint(w, case)
    with pytest.raises(ps.SelectionRefused) as excinfo:
        ps.probation_conclude(case=case, acting_user=w.officer, confirmed=True, on=D(2027, 4, 20))
    assert excinfo.value.code == "future_date"


def test_principal_selection_steps_may_not_be_dated_before_the_step_they_follow(ps_world):
    w = ps_world
    case = stages.signed(w)  # shortlisted on 2026-03-20
    with pytest.raises(ps.SelectionRefused) as excinfo:
        ps_meeting(w, case, held_on=D(2026, 3, 15))
    assert excinfo.value.code == "before_previous_step" and "确定考察对象" in excinfo.value.messages[0]
    ps_meeting(w, case)
    with pytest.raises(ps.SelectionRefused) as excinfo:
        ps.publicity_open(case=case, acting_user=w.officer, start=D(2026, 4, 9))
    assert excinfo.value.code == "before_previous_step"
    ps.publicity_open(case=case, acting_user=w.officer, start=D(2026, 4, 13))
    with pytest.raises(ps.SelectionRefused) as excinfo:
        ps_appoint(w, case, notice_date=D(2026, 4, 16))
    assert excinfo.value.code == "not_ended"
    ps_appoint(w, case)
    with pytest.raises(ps.SelectionRefused) as excinfo:
        ps.probation_conclude(case=case, acting_user=w.officer, confirmed=True, on=D(2026, 4, 19))
    assert excinfo.value.code == "before_previous_step" and "任职通知" in excinfo.value.messages[0]


@pytest.mark.django_db(transaction=True)
def test_the_officer_sees_the_decision_refused_for_a_sanction_recorded_after_shortlisting(client, ps_world):
    w = ps_world
    case = j.propose(client, w)
    j.recommend(client, w, case)
    j.ok(j.shortlist(client, w, case))
    j.inspect_and_check(client, w, case)
    j.sign(client, w, case)
    record(w.alice, SanctionKind.DEMERIT, D(2026, 3, 25), D(2027, 3, 25))
    response = j.decide(client, w, case)
    assert response.status_code == 200
    page = response.content.decode()
    assert "记过" in page and "2027年03月24日" in page
    case.refresh_from_db()
    assert case.state == CaseState.INSPECTED and not case.meetings.exists()
    assert open_ps_task(case) is not None


def open_ps_task(case):
    from viewflow.workflow.status import STATUS

    return case.task_set.filter(flow_task=FLOW.decide).exclude(status=STATUS.DONE).first()


# --- competition: decision and appointment -----------------------------------------------------------------


def comp_inspected(world):
    case, regs = comp_ranked(world)
    for key in ("bob", "carol"):
        cs.inspection_record(registration=regs[key], acting_user=world.secretary, opinion="德才表现良好。")
    cs.inspection_finish(competition=case, acting_user=world.secretary)
    return case, regs


def comp_decide(world, case, regs, held_on=COMP_DECISION_ON):
    votes = {m: {str(regs["bob"].pk): "agree", str(regs["carol"].pk): "agree"} for m in world.members[:5]}
    return cs.decision_meeting_record(
        competition=case,
        acting_user=world.secretary,
        held_on=held_on,
        name="学校党支部委员会会议",
        form="meeting",
        members=world.members,
        present=world.members[:5],
        votes=votes,
    )


@pytest.mark.parametrize(("kind", "label"), KINDS)
def test_a_record_after_registration_stops_the_competition_decision(comp_world, kind, label):
    world = comp_world
    case, regs = comp_inspected(world)  # bob qualified and shortlisted while clean
    record(world.bob, kind, D(2026, 6, 7), D(2027, 6, 7))
    world.today.set(D(2026, 6, 12))
    with pytest.raises(ValidationError) as excinfo:
        comp_decide(world, case, regs)
    assert excinfo.value.code == "ineligible"
    assert_refused(excinfo, label, D(2027, 6, 6))
    assert not Meeting.objects.filter(process=case, purpose=Purpose.DECISION).exists()


@pytest.mark.parametrize(("kind", "label"), KINDS)
def test_the_competition_decision_passes_once_the_record_has_ended(comp_world, kind, label):
    world = comp_world
    case, regs = comp_inspected(world)
    if kind == "ethics_failed":
        record(world.bob, kind, D(2025, 5, 1), D(2026, 5, 1))
    else:
        record(world.bob, kind, D(2026, 6, 7), D(2026, 6, 10))
    world.today.set(D(2026, 6, 12))
    comp_decide(world, case, regs)
    assert Registration.objects.get(pk=regs["bob"].pk).status == RegStatus.DECIDED


@pytest.mark.parametrize(("kind", "label"), KINDS)
def test_a_record_during_publicity_stops_the_competition_appointment(comp_world, kind, label):
    world = comp_world
    case, _regs = comp_decided(world)  # 公示 from 2026-06-15
    record(world.bob, kind, D(2026, 6, 16), D(2027, 6, 16))
    world.today.set(D(2026, 6, 23))
    with pytest.raises(ValidationError) as excinfo:
        cs.appointment_make(competition=case, acting_user=world.secretary, document_number="一小〔2026〕8号")
    assert excinfo.value.code == "ineligible"
    assert_refused(excinfo, label, D(2027, 6, 15))
    assert not Tenure.objects.filter(person=world.bob, post=world.dean).exists()


@pytest.mark.parametrize(("kind", "label"), KINDS[:4])
def test_the_competition_appointment_passes_once_the_sanction_has_ended(comp_world, kind, label):
    world = comp_world
    case, _regs = comp_decided(world)
    record(world.bob, kind, D(2026, 6, 16), D(2026, 6, 20))
    world.today.set(D(2026, 6, 23))
    cs.appointment_make(competition=case, acting_user=world.secretary, document_number="一小〔2026〕8号")
    assert Tenure.objects.filter(person=world.bob, post=world.dean).exists()


def test_competition_steps_may_not_be_dated_in_the_future_or_before_the_step_they_follow(comp_world):
    world = comp_world
    case, regs = comp_inspected(world)  # the clock reads 2026-06-06; registration closed 2026-06-05
    with pytest.raises(ValidationError) as excinfo:
        comp_decide(world, case, regs, held_on=D(2026, 6, 12))
    assert excinfo.value.code == "future_date"
    with pytest.raises(ValidationError) as excinfo:
        comp_decide(world, case, regs, held_on=D(2026, 5, 21))
    assert excinfo.value.code == "before_previous_step" and "报名截止" in excinfo.value.messages[0]
    comp_decide(world, case, regs, held_on=D(2026, 6, 6))
    case.refresh_from_db()
    assert case.state == State.DECIDED
    with pytest.raises(ValidationError) as excinfo:
        cs.publicity_open(competition=case, acting_user=world.secretary, start=D(2026, 6, 8), workdays=5)
    assert excinfo.value.code == "future_date"
    with pytest.raises(ValidationError) as excinfo:
        cs.publicity_open(competition=case, acting_user=world.secretary, start=D(2026, 6, 5), workdays=5)
    assert excinfo.value.code == "before_previous_step"
    cs.publicity_open(competition=case, acting_user=world.secretary, start=D(2026, 6, 6), workdays=5)


# --- reserve pool: use (admission already asked the veto; see tests/reserve_pool) --------------------------

posts = rp_conftest.posts  # the pool's posts and teacher, under the names its fixtures expect
teacher = rp_conftest.teacher


def shortlisted_entry(teacher, officer):
    entry = rp_conftest.nominate(teacher, officer)
    return rp_conftest.bring_to(entry, ReserveState.SHORTLISTED, officer)


@pytest.mark.parametrize(("kind", "label"), KINDS)
def test_a_record_after_shortlisting_stops_the_use_of_a_reserve(teacher, officer, kind, label):
    entry = shortlisted_entry(teacher, officer)  # shortlisted on 2026-03-02 while clean
    record(teacher, kind, D(2026, 3, 10), D(2027, 3, 10))
    with pytest.raises(ReserveRefused) as excinfo:
        pool_services.reserve_entry_mark_used(acting_user=officer, entry=entry, on=D(2026, 4, 1))
    assert excinfo.value.code == "ineligible"
    assert label in str(excinfo.value) and "2027年03月09日" in str(excinfo.value)
    entry.refresh_from_db()
    assert entry.state == ReserveState.SHORTLISTED


@pytest.mark.parametrize(("kind", "label"), KINDS[:4])
def test_a_reserve_is_used_once_the_sanction_has_ended(teacher, officer, kind, label):
    entry = shortlisted_entry(teacher, officer)
    record(teacher, kind, D(2026, 3, 10), D(2026, 3, 20))
    pool_services.reserve_entry_mark_used(acting_user=officer, entry=entry, on=D(2026, 4, 1))
    entry.refresh_from_db()
    assert entry.state == ReserveState.USED


def test_pool_admission_and_use_may_not_be_dated_in_the_future(teacher, officer):
    entry = rp_conftest.bring_to(rp_conftest.nominate(teacher, officer), ReserveState.ASSESSED, officer)
    ahead = timezone.localdate() + dt.timedelta(days=10)
    with pytest.raises(ReserveRefused) as excinfo:
        pool_services.reserve_entry_admit(
            acting_user=officer, entry=entry, document_number="教工委〔2026〕8号", on=ahead
        )
    assert excinfo.value.code == "future_date" and "不能晚于今天" in str(excinfo.value)
    entry = pool_services.reserve_entry_admit(
        acting_user=officer, entry=entry, document_number="教工委〔2026〕8号", on=rp_conftest.ON
    )
    with pytest.raises(ReserveRefused) as excinfo:
        pool_services.reserve_entry_mark_used(acting_user=officer, entry=entry, on=ahead)
    assert excinfo.value.code == "future_date"
    entry.refresh_from_db()
    assert entry.state == ReserveState.IN_POOL


def test_the_school_sees_an_adjustment_meeting_dated_before_the_statement_refused(client, comp_world):
    """Over HTTP as the school's secretary: the meeting may not precede the person's statement nor lie in
    the future; the refusal is on the page and nothing is written."""
    from tests.factories import TenureFactory
    from tests.workflows.competition.test_adjustment_journey import meeting_form
    from workflows.competition.flows import AdjustmentFlow as A
    from workflows.competition.models import Adjustment

    world = comp_world
    sitting = TenureFactory(person=world.bob, post=world.dean, start_date=D(2020, 9, 1))
    world.bob.appraisals.filter(year=2025).update(grade="incompetent")
    client.force_login(world.secretary)
    proposal = {
        "tenure": sitting.pk,
        "trigger": "appraisal_failed",
        "grounds": "2025年度考核不合格",
        "proposed_outcome": "remove",
    }
    assert client.post(A.propose.reverse("execute"), proposal).status_code == 302
    case = Adjustment.objects.get()
    statement = {"statement": "本人接受组织决定。"}
    assert comp_conftest.post_task(client, world.bob_user, case, A.statement, statement).status_code == 302
    votes = ["agree"] * 5
    for held_on, words in (("2026-05-19", "不能早于本人陈述日期"), ("2026-05-25", "不能晚于今天")):
        form = {**meeting_form(world, votes), "held_on": held_on}
        response = comp_conftest.post_task(client, world.secretary, case, A.decide, form)
        assert response.status_code == 200 and words in response.content.decode()
        case.refresh_from_db()
        sitting.refresh_from_db()
        assert case.outcome == "" and sitting.end_date is None and not case.meetings.exists()
    response = comp_conftest.post_task(client, world.secretary, case, A.decide, meeting_form(world, votes))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.outcome == "remove"


def test_the_school_sees_the_competition_appointment_refused_for_a_sanction_during_publicity(
    client, comp_world, django_capture_on_commit_callbacks
):
    """The competition over HTTP as the school's secretary, up to the appointment: a 记过 recorded on bob
    during the 公示 is named on the appointment page with its last day, and no tenure is written."""
    from tests.workflows.competition import journey as cj
    from workflows.competition.flows import CompetitionFlow as F

    world, clock = comp_world, comp_world.today
    post = comp_conftest.post_task
    with django_capture_on_commit_callbacks(execute=True):
        case = cj.publicised(client, world)
    record(world.bob, SanctionKind.DEMERIT, D(2026, 6, 16), D(2027, 6, 16))
    clock.set(D(2026, 6, 23))
    comp_conftest.fire_timers(D(2026, 6, 23))  # the 公示 is over: its timer opens 聘任
    response = post(client, world.secretary, case, F.appoint, {"document_number": "实小〔2026〕3号"})
    page = response.content.decode()
    assert response.status_code == 200 and "记过" in page and "2027年06月15日" in page
    case.refresh_from_db()
    assert case.state == State.PUBLICISED
    assert not Tenure.objects.filter(person__in=[world.alice, world.bob], document_number="实小〔2026〕3号").exists()


def comp_reported(world):
    case, _regs = comp_decided(world)
    world.today.set(D(2026, 6, 23))
    cs.appointment_make(competition=case, acting_user=world.secretary, document_number="一小〔2026〕8号")
    cs.report_file(competition=case, acting_user=world.secretary, summary="聘任情况")
    world.today.set(D(2027, 6, 22))  # the probation's last day
    return Registration.objects.get(competition=case, person=world.bob)


@pytest.mark.parametrize(("kind", "label"), KINDS)
def test_a_record_during_probation_stops_the_competition_confirmation_but_not_the_reversion(comp_world, kind, label):
    world = comp_world
    reg = comp_reported(world)
    record(world.bob, kind, D(2026, 9, 1), D(2027, 9, 1))
    with pytest.raises(ValidationError) as excinfo:
        cs.probation_conclude(registration=reg, acting_user=world.secretary, confirmed=True, reason="合格")
    assert excinfo.value.code == "ineligible"
    assert_refused(excinfo, label, D(2027, 8, 31))
    reg.refresh_from_db()
    assert reg.probation_result == ""
    cs.probation_conclude(registration=reg, acting_user=world.secretary, confirmed=False, reason="受处分")
    reg.refresh_from_db()
    assert reg.probation_result == cs.REVERTED


@pytest.mark.parametrize(("kind", "label"), KINDS[:4])
def test_the_competition_confirmation_passes_once_the_sanction_has_ended(comp_world, kind, label):
    world = comp_world
    reg = comp_reported(world)
    record(world.bob, kind, D(2026, 9, 1), D(2026, 10, 1))
    cs.probation_conclude(registration=reg, acting_user=world.secretary, confirmed=True, reason="合格")
    reg.refresh_from_db()
    assert reg.probation_result == cs.CONFIRMED
