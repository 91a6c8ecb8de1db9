"""The steps of a unit's year: order, dates, the capped registry writer, the dossiers, who may act."""

import pytest

from audit.models import AuditEvent
from cadres import choices as c
from cadres.ethics.models import SanctionKind
from cadres.ethics.services import sanction_record
from cadres.models import AnnualAppraisal
from dossiers.models import DossierDocument
from workflows.evaluation import services
from workflows.evaluation.models import EvaluationYear
from workflows.evaluation.services import EvaluationError

from .conftest import TODAY
from .helpers import ATTENDED, D, counts, open_year, poll, propose, run_to_publicised

G = c.AppraisalGrade


def _fresh(evaluation):
    return EvaluationYear.objects.get(pk=evaluation.pk)


def test_only_cadres_in_post_on_31_december_are_assessed(officer, school, cadres_of_school):
    from tests.factories import PersonFactory, PostFactory, TenureFactory

    left = PersonFactory(organization=school, name="已免职者")
    TenureFactory(person=left, post=PostFactory(organization=school), start_date=D(2020, 1, 1), end_date=D(2025, 7, 1))
    late = PersonFactory(organization=school, name="次年到任者")
    TenureFactory(person=late, post=PostFactory(organization=school), start_date=D(2026, 1, 10))
    teacher = PersonFactory(organization=school, name="专任教师")
    TenureFactory(
        person=teacher,
        post=PostFactory(organization=school, kind=c.PostKind.TEACHER, level=c.PostLevel.STAFF),
        start_date=D(2020, 1, 1),
    )
    evaluation = open_year(officer, school)
    assert set(evaluation.assessments.values_list("person__name", flat=True)) == {p.name for p in cadres_of_school}


def test_the_whole_year_writes_through_the_capped_service(
    officer, school_secretary, school, cadres_of_school, monkeypatch
):
    calls = []
    real = services.annual_appraisal_record

    def spy(**kwargs):
        calls.append((kwargs["person"].pk, kwargs["year"], kwargs["grade"]))
        return real(**kwargs)

    monkeypatch.setattr(services, "annual_appraisal_record", spy)
    evaluation = run_to_publicised(officer, school_secretary, school, "excellent", "competent", "basic")
    services.evaluation_finalise(acting_user=officer, evaluation=evaluation, finalised_on=TODAY)
    assert _fresh(evaluation).state == "final"
    in_order = evaluation.assessments.order_by("id").values_list("person_id", flat=True)
    grades = ["excellent", "competent", "basic", "competent", "competent"]
    expected = {(pid, 2025, g) for pid, g in zip(in_order, grades, strict=True)}
    assert set(calls) == expected
    assert set(AnnualAppraisal.objects.filter(year=2025).values_list("person_id", "year", "grade")) == expected
    assert AuditEvent.objects.filter(action="appraisal_recorded").count() == 5
    actions = list(AuditEvent.objects.filter(object_type__icontains="evaluationyear").values_list("action", flat=True))
    for step in ["evaluation_opened", "evaluation_poll_recorded", "evaluation_proposed", "evaluation_confirmed"]:
        assert step in actions
    assert DossierDocument.objects.filter(kind="annual_appraisal_form").count() == 5
    assert DossierDocument.objects.filter(kind="appraisal_evaluation").count() == 1


def test_a_sanction_decided_before_finalising_is_enforced_by_the_capped_writer(
    officer, school_secretary, school, cadres_of_school
):
    evaluation = run_to_publicised(officer, school_secretary, school, "excellent")
    sanction_record(
        acting_user=officer,
        person=cadres_of_school[0],
        kind=SanctionKind.WARNING,
        decided_on=D(2025, 12, 1),
        authority="区教育局",
    )
    with pytest.raises(EvaluationError) as refused:
        services.evaluation_finalise(acting_user=officer, evaluation=evaluation, finalised_on=TODAY)
    assert refused.value.code == "above_ethics_cap"
    assert _fresh(evaluation).state == "publicised"
    # all or nothing: the warning wrote its own forced record (称职); the step wrote none of its grades
    assert not AnnualAppraisal.objects.filter(year=2025).exclude(person=cadres_of_school[0]).exists()


@pytest.mark.parametrize(
    ("step", "code"),
    [
        ("propose_before_poll", "not_polled"),
        ("confirm_in_draft", "wrong_state"),
        ("publicise_in_draft", "wrong_state"),
        ("finalise_in_draft", "wrong_state"),
    ],
)
def test_steps_out_of_order_are_refused(officer, school, cadres_of_school, step, code):
    evaluation = open_year(officer, school)
    actions = {
        "propose_before_poll": lambda: propose(officer, evaluation),
        "confirm_in_draft": lambda: services.evaluation_confirm(
            acting_user=officer, evaluation=evaluation, meeting_on=TODAY, meeting_name="会议"
        ),
        "publicise_in_draft": lambda: services.evaluation_publicise(
            acting_user=officer, evaluation=evaluation, start=TODAY
        ),
        "finalise_in_draft": lambda: services.evaluation_finalise(
            acting_user=officer, evaluation=evaluation, finalised_on=TODAY
        ),
    }
    with pytest.raises(EvaluationError) as refused:
        actions[step]()
    assert refused.value.code == code
    assert _fresh(evaluation).state == "draft"


def test_finalising_before_the_publicity_has_ended_is_refused(officer, school_secretary, school, cadres_of_school):
    evaluation = run_to_publicised(officer, school_secretary, school, "excellent")
    assert (evaluation.publicity_start, evaluation.publicity_workdays) == (D(2026, 1, 21), 5)
    assert evaluation.publicity_end == D(2026, 1, 27)  # Wed 21 + 5 working days (weekend 24/25 skipped)
    with pytest.raises(EvaluationError) as refused:
        services.evaluation_finalise(acting_user=officer, evaluation=evaluation, finalised_on=D(2026, 1, 27))
    assert refused.value.code == "publicity_running" and "2026-01-27" in refused.value.messages[0]
    services.evaluation_finalise(acting_user=officer, evaluation=evaluation, finalised_on=D(2026, 1, 28))


def test_objections_are_recorded_only_within_the_publicity(officer, school_secretary, school, cadres_of_school):
    evaluation = run_to_publicised(officer, school_secretary, school, "excellent")
    excellent = evaluation.assessments.get(confirmed_grade=G.EXCELLENT)
    services.evaluation_objection_record(
        acting_user=officer,
        evaluation=evaluation,
        assessment=excellent,
        received_on=D(2026, 1, 22),
        text="反映其考勤不实",
    )
    with pytest.raises(EvaluationError) as late:
        services.evaluation_objection_record(
            acting_user=officer,
            evaluation=evaluation,
            assessment=excellent,
            received_on=D(2026, 2, 2),
            text="迟到的异议",
        )
    assert late.value.code == "after_publicity"
    other = evaluation.assessments.exclude(pk=excellent.pk).first()
    with pytest.raises(EvaluationError):
        services.evaluation_objection_record(
            acting_user=officer, evaluation=evaluation, assessment=other, received_on=D(2026, 1, 22), text="不在名单"
        )
    assert evaluation.objections.count() == 1


@pytest.mark.parametrize("step", ["open", "poll", "propose", "meeting", "publicise", "finalise"])
def test_no_step_may_be_dated_after_today(officer, school_secretary, school, cadres_of_school, step):
    tomorrow = D(2026, 3, 3)
    if step == "open":
        with pytest.raises(EvaluationError) as refused:
            open_year(school_secretary, school, on=tomorrow)
        assert refused.value.code == "future_date"
        return
    evaluation = open_year(school_secretary, school)
    if step == "poll":
        with pytest.raises(EvaluationError) as refused:
            poll(school_secretary, evaluation, on=tomorrow)
        assert refused.value.code == "future_date"
        return
    poll(school_secretary, evaluation)
    if step == "propose":
        with pytest.raises(EvaluationError) as refused:
            propose(school_secretary, evaluation, on=tomorrow)
        assert refused.value.code == "future_date"
        return
    propose(school_secretary, evaluation)
    if step == "meeting":
        with pytest.raises(EvaluationError) as refused:
            services.evaluation_confirm(
                acting_user=officer, evaluation=evaluation, meeting_on=tomorrow, meeting_name="会"
            )
        assert refused.value.code == "future_date"
        return
    services.evaluation_confirm(
        acting_user=officer, evaluation=evaluation, meeting_on=D(2026, 1, 20), meeting_name="会"
    )
    if step == "publicise":
        with pytest.raises(EvaluationError) as refused:
            services.evaluation_publicise(acting_user=officer, evaluation=evaluation, start=tomorrow)
        assert refused.value.code == "future_date"
        return
    services.evaluation_publicise(acting_user=officer, evaluation=evaluation, start=D(2026, 1, 21))
    with pytest.raises(EvaluationError) as refused:
        services.evaluation_finalise(acting_user=officer, evaluation=evaluation, finalised_on=tomorrow)
    assert refused.value.code == "future_date"


def test_poll_counts_are_validated_per_category(school_secretary, school, cadres_of_school):
    evaluation = open_year(school_secretary, school)
    first = evaluation.assessments.order_by("id").first()
    bad = {a.pk: counts() for a in evaluation.assessments.all()}
    bad[first.pk] = {"leaders": {"excellent": 4, "competent": 2}}  # 6 > 5 leaders present
    with pytest.raises(EvaluationError) as refused:
        services.evaluation_poll_record(
            acting_user=school_secretary, evaluation=evaluation, polled_on=D(2026, 1, 8), attended=ATTENDED, counts=bad
        )
    assert "校领导班子成员的测评票合计6张，多于实到人数5人" in refused.value.messages[0]
    bad[first.pk] = {"staff": {"basic": "-2"}}
    with pytest.raises(EvaluationError) as negative:
        services.evaluation_poll_record(
            acting_user=school_secretary, evaluation=evaluation, polled_on=D(2026, 1, 8), attended=ATTENDED, counts=bad
        )
    assert "不能为负数" in negative.value.messages[0]
    assert not _fresh(evaluation).polled_on


def test_who_may_act(officer, school_secretary, other_secretary, school, cadres_of_school):
    with pytest.raises(EvaluationError) as refused:
        open_year(other_secretary, school)
    assert refused.value.code == "not_allowed"
    evaluation = open_year(school_secretary, school)
    poll(school_secretary, evaluation)
    propose(school_secretary, evaluation)
    with pytest.raises(EvaluationError) as not_officer:
        services.evaluation_confirm(
            acting_user=school_secretary, evaluation=evaluation, meeting_on=D(2026, 1, 20), meeting_name="会"
        )
    assert not_officer.value.code == "not_allowed"
    assert evaluation.assessments.first().proposed_by == "school"


def test_the_officer_may_send_a_proposal_back(officer, school_secretary, school, cadres_of_school):
    evaluation = open_year(school_secretary, school)
    poll(school_secretary, evaluation)
    propose(school_secretary, evaluation)
    services.evaluation_send_back(acting_user=officer, evaluation=evaluation, reason="测评票数与原始票不符")
    assert _fresh(evaluation).state == "draft"
    assert AuditEvent.objects.filter(action="evaluation_sent_back", reason="测评票数与原始票不符").exists()


def test_an_upheld_objection_lowers_the_grade_and_nothing_else_changes(
    officer, school_secretary, school, cadres_of_school
):
    evaluation = run_to_publicised(officer, school_secretary, school, "excellent")
    excellent = evaluation.assessments.get(confirmed_grade=G.EXCELLENT)
    other = evaluation.assessments.exclude(pk=excellent.pk).first()
    with pytest.raises(EvaluationError) as no_objection:
        services.evaluation_finalise(
            acting_user=officer, evaluation=evaluation, finalised_on=TODAY, upheld={excellent.pk: "competent"}
        )
    assert no_objection.value.code == "no_objection"
    services.evaluation_objection_record(
        acting_user=officer, evaluation=evaluation, assessment=excellent, received_on=D(2026, 1, 22), text="考勤不实"
    )
    with pytest.raises(EvaluationError):
        services.evaluation_finalise(
            acting_user=officer, evaluation=evaluation, finalised_on=TODAY, upheld={other.pk: "excellent"}
        )
    services.evaluation_finalise(
        acting_user=officer, evaluation=evaluation, finalised_on=TODAY, upheld={excellent.pk: "competent"}
    )
    assert AnnualAppraisal.objects.get(person=excellent.person, year=2025).grade == G.COMPETENT
    excellent.refresh_from_db()
    assert "公示异议成立" in excellent.meeting_note
    event = AuditEvent.objects.get(action="evaluation_finalised")
    assert event.payload["upheld_objections"] == {str(excellent.person_id): ["excellent", "competent"]}
