"""The evaluation rule data: the 优秀 places, caps from the ethics records, consequences, terms."""

import datetime as dt

import pytest

from cadres import choices as c
from cadres.ethics.models import EthicsGrade, SanctionKind, Violation
from cadres.ethics.services import ethics_assessment_decide, sanction_record
from cadres.models import RuleSetItem
from cadres.rules import RuleConfigError
from cadres.rules.registry import build_rule
from tests.factories import AppraisalFactory
from workflows.evaluation import selectors, services
from workflows.evaluation.services import EvaluationError

from .conftest import make_cadres
from .helpers import D, open_year, poll, propose

G = c.AppraisalGrade


def _params(**kw):
    return build_rule("cadre_evaluation_params", kw)


@pytest.mark.parametrize(
    ("rounding", "expected"),
    [
        ("floor_min_one", {0: 0, 1: 1, 4: 1, 5: 1, 6: 1, 9: 1, 10: 2, 14: 2, 15: 3}),
        ("floor", {0: 0, 4: 0, 5: 1, 6: 1, 9: 1, 10: 2}),
        ("half_up", {0: 0, 2: 0, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 2}),
    ],
)
def test_excellent_places_follow_share_and_rounding(rounding, expected):
    params = _params(excellent_share_percent=20, excellent_rounding=rounding)
    assert {n: params.excellent_places(n) for n in expected} == expected


@pytest.mark.parametrize(
    "bad",
    [
        {"excellent_share_percent": 120},
        {"excellent_rounding": "ceil"},
        {"basic_consecutive_years": 1},
        {"term_years": 0},
        {"levels": ["nonsense"]},
        {"publicity_workdays": 0},
    ],
)
def test_rule_parameters_are_validated(bad):
    with pytest.raises(RuleConfigError):
        _params(**bad)


def test_default_rule_set_is_loaded_by_the_migration(db):
    item = RuleSetItem.objects.get(rule_code="cadre_evaluation_params")
    assert item.rule_set.purpose == "cadre_evaluation"
    assert item.params["excellent_share_percent"] == 20
    assert item.params["term_years"] == 3


# ---------------------------------------------------------------- 优秀 cap on proposals


@pytest.mark.parametrize(("assessed", "allowed"), [(4, 1), (5, 1), (6, 1)])
def test_excellent_exactly_at_the_cap_passes_and_one_over_is_refused(officer, school, assessed, allowed):
    make_cadres(school, assessed)
    evaluation = open_year(officer, school)
    poll(officer, evaluation)
    with pytest.raises(EvaluationError) as refused:
        propose(officer, evaluation, *["excellent"] * (allowed + 1))
    assert refused.value.code == "excellent_over_cap"
    message = refused.value.messages[0]
    assert f"参加考核{assessed}人的20%" in message and f"即{allowed}人" in message
    evaluation = type(evaluation).objects.get(pk=evaluation.pk)
    assert evaluation.state == "draft"  # state unchanged when refused
    propose(officer, evaluation, *["excellent"] * allowed)
    evaluation = type(evaluation).objects.get(pk=evaluation.pk)
    assert evaluation.state == "proposed" and evaluation.excellent_places == allowed


def test_changing_the_share_in_the_rule_set_item_changes_the_cap(officer, school):
    make_cadres(school, 5)
    item = RuleSetItem.objects.get(rule_code="cadre_evaluation_params")
    item.params = {**item.params, "excellent_share_percent": 40}
    item.full_clean()
    item.save()
    evaluation = open_year(officer, school)
    poll(officer, evaluation)
    propose(officer, evaluation, "excellent", "excellent")
    evaluation = type(evaluation).objects.get(pk=evaluation.pk)
    assert evaluation.excellent_places == 2


# ---------------------------------------------------------------- ethics caps


def _sanction(officer, person, kind, on):
    sanction_record(acting_user=officer, person=person, kind=kind, decided_on=on, authority="区教育局")


def test_a_warning_in_the_year_forbids_excellent(officer, school):
    people = make_cadres(school, 5)
    _sanction(officer, people[0], SanctionKind.WARNING, D(2025, 4, 1))
    evaluation = open_year(officer, school)
    poll(officer, evaluation)
    with pytest.raises(EvaluationError) as refused:
        propose(officer, evaluation, "excellent")
    assert refused.value.code == "above_ethics_cap"
    assert "警告" in refused.value.messages[0] and "称职" in refused.value.messages[0]
    propose(officer, evaluation, "competent", "excellent")
    a = evaluation.assessments.get(person=people[0])
    assert a.cap_grade == G.COMPETENT and "警告" in a.cap_reason


def test_a_demerit_allows_only_unrated(officer, school):
    people = make_cadres(school, 4)
    _sanction(officer, people[1], SanctionKind.DEMERIT, D(2025, 6, 1))
    evaluation = open_year(officer, school)
    poll(officer, evaluation)
    with pytest.raises(EvaluationError):
        propose(officer, evaluation, "competent", "competent")
    propose(officer, evaluation, "competent", "unrated")
    assert evaluation.assessments.get(person=people[1]).proposed_grade == G.UNRATED


def test_a_post_grade_demotion_caps_that_year_and_the_next(officer, school):
    people = make_cadres(school, 4)
    _sanction(officer, people[0], SanctionKind.POST_GRADE_DEMOTION, D(2024, 11, 1))
    evaluation = open_year(officer, school, year=2025)  # the year after the decision
    poll(officer, evaluation)
    with pytest.raises(EvaluationError) as refused:
        propose(officer, evaluation, "competent")
    assert "降低岗位等级" in refused.value.messages[0]
    propose(officer, evaluation, "unrated")


def test_failed_ethics_assessment_means_not_competent(officer, school):
    people = make_cadres(school, 4)
    ethics_assessment_decide(
        acting_user=officer,
        person=people[2],
        year=2025,
        grade=EthicsGrade.FAILED,
        decided_on=D(2025, 12, 20),
        violations=[Violation.GIFTS],
    )
    evaluation = open_year(officer, school)
    poll(officer, evaluation)
    with pytest.raises(EvaluationError) as refused:
        propose(officer, evaluation, "competent", "competent", "competent")
    assert "师德考核不合格" in refused.value.messages[0]
    propose(officer, evaluation, "competent", "competent", "incompetent")


# ---------------------------------------------------------------- consequences (能上能下)


def test_incompetent_once_puts_a_sitting_cadre_on_the_list(officer, school):
    people = make_cadres(school, 4)
    AppraisalFactory(person=people[3], year=2025, grade=G.INCOMPETENT)
    listed = selectors.adjustment_list(officer, year=2025)
    assert [(x.tenure.person, x.trigger) for x in listed] == [(people[3], "appraisal_failed")]
    assert "2025年度考核不称职" in listed[0].reason


def test_basic_two_years_running_puts_a_cadre_on_the_list(officer, school):
    people = make_cadres(school, 4)
    AppraisalFactory(person=people[2], year=2024, grade=G.BASIC)
    AppraisalFactory(person=people[2], year=2025, grade=G.BASIC)
    listed = selectors.adjustment_list(officer, year=2025)
    assert [x.tenure.person for x in listed] == [people[2]]
    assert "连续2年考核基本称职" in listed[0].reason


def test_basic_in_two_non_consecutive_years_does_not_fire(officer, school):
    people = make_cadres(school, 4)
    AppraisalFactory(person=people[2], year=2023, grade=G.BASIC)
    AppraisalFactory(person=people[2], year=2024, grade=G.COMPETENT)
    AppraisalFactory(person=people[2], year=2025, grade=G.BASIC)
    AppraisalFactory(person=people[1], year=2025, grade=G.BASIC)  # one year only
    assert selectors.adjustment_list(officer, year=2025) == []


def test_consequences_follow_the_rule_data(officer, school):
    people = make_cadres(school, 4)
    AppraisalFactory(person=people[3], year=2025, grade=G.INCOMPETENT)
    item = RuleSetItem.objects.get(rule_code="cadre_evaluation_params")
    item.params = {**item.params, "incompetent_once": False}
    item.save()
    assert selectors.adjustment_list(officer, year=2025) == []


# ---------------------------------------------------------------- terms


def test_term_span_follows_on_from_the_tenure_start():
    assert services.current_term_span(D(2019, 9, 1), D(2026, 3, 2), 3) == (3, D(2025, 9, 1), D(2028, 8, 31))
    assert services.current_term_span(D(2025, 9, 1), D(2026, 3, 2), 3) == (1, D(2025, 9, 1), D(2028, 8, 31))
    assert services.current_term_span(D(2020, 2, 29), D(2023, 3, 1), 3) == (2, D(2023, 3, 1), D(2026, 2, 28))


def test_term_length_comes_from_the_rule_set(officer, school):
    from workflows.evaluation.models import Term

    make_cadres(school, 2, start=D(2024, 9, 1))  # a principal and a vice-principal
    item = RuleSetItem.objects.get(rule_code="cadre_evaluation_params")
    item.params = {**item.params, "term_years": 5}
    item.save()
    assert services.terms_open_for_current_leaders(acting_user=officer, on=D(2026, 3, 2)) == 2
    assert set(Term.objects.values_list("end_date", "term_years", "number")) == {(D(2029, 8, 31), 5, 1)}
    # Idempotent: the running terms exist already.
    assert services.terms_open_for_current_leaders(acting_user=officer, on=D(2026, 3, 2)) == 0


def test_middle_cadres_get_no_term(officer, school):
    from workflows.evaluation.models import Term

    make_cadres(school, 4)
    services.terms_open_for_current_leaders(acting_user=officer, on=D(2026, 3, 2))
    assert set(Term.objects.values_list("tenure__post__level", flat=True)) == {
        c.PostLevel.SCHOOL_HEAD,
        c.PostLevel.SCHOOL_DEPUTY,
    }


def test_term_review_uses_the_same_poll_validation_and_window(officer, school):
    from workflows.evaluation.models import Term

    make_cadres(school, 1, start=D(2023, 9, 1))  # term ends 2026-08-31
    services.terms_open_for_current_leaders(acting_user=officer, on=D(2026, 3, 2))
    term = Term.objects.get()
    services.term_goals_record(acting_user=officer, term=term, goals="创建市级规范化学校", recorded_on=D(2026, 3, 2))
    attended = {"leaders": 4, "cadres": 8, "staff": 20}
    too_many = {"staff": {"excellent": 15, "competent": 6}}
    with pytest.raises(Exception) as refused:
        services.term_review_record(
            acting_user=officer,
            term=term,
            attended=attended,
            counts=too_many,
            grade="competent",
            reviewed_on=D(2026, 3, 2),
        )
    assert refused.value.code == "poll_over_attended"
    assert "教职工代表的测评票合计21张，多于实到人数20人" in refused.value.messages[0]
    with pytest.raises(Exception) as negative:
        services.term_review_record(
            acting_user=officer,
            term=term,
            attended=attended,
            counts={"leaders": {"basic": -1}},
            grade="competent",
            reviewed_on=D(2026, 3, 2),
        )
    assert negative.value.code == "poll_negative"
    services.term_review_record(
        acting_user=officer,
        term=term,
        attended=attended,
        counts={"staff": {"excellent": 12, "competent": 8}},
        grade="excellent",
        reviewed_on=D(2026, 3, 2),
    )
    term.refresh_from_db()
    assert term.review_grade == "excellent" and term.poll_counts["staff"]["excellent"] == 12
    from dossiers.models import DossierDocument

    assert DossierDocument.objects.filter(kind="term_review", subject=term.person).exists()


def test_term_review_before_the_window_is_refused(officer, school):
    from workflows.evaluation.models import Term

    make_cadres(school, 1, start=D(2025, 9, 1))  # term ends 2028-08-31
    services.terms_open_for_current_leaders(acting_user=officer, on=D(2026, 3, 2))
    with pytest.raises(EvaluationError) as refused:
        services.term_review_record(
            acting_user=officer,
            term=Term.objects.get(),
            attended={},
            counts={},
            grade="competent",
            reviewed_on=D(2026, 3, 2),
        )
    assert refused.value.code == "review_too_early"


def test_yearly_poll_and_term_review_share_one_validation():
    from workflows.evaluation import models, poll

    assert models.Assessment.set_poll is models.Term.set_poll
    assert issubclass(models.Assessment, poll.PollCounts) and issubclass(models.Term, poll.PollCounts)


def test_date_helpers_do_not_drift():
    assert services.add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 3, 1)


def test_open_leader_terms_command(officer, school_secretary, school):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from workflows.evaluation.models import Term

    make_cadres(school, 2)
    out = StringIO()
    call_command("open_leader_terms", "--user", officer.username, stdout=out)
    assert "已为2名现任校级领导建立任期" in out.getvalue() and Term.objects.count() == 2
    with pytest.raises(CommandError, match="只有组织人事科干部"):
        call_command("open_leader_terms", "--user", school_secretary.username)
    with pytest.raises(CommandError, match="没有用户名"):
        call_command("open_leader_terms", "--user", "nobody")


def test_a_post_grade_demotion_caps_its_own_year_too(officer, school):
    people = make_cadres(school, 4)
    _sanction(officer, people[0], SanctionKind.POST_GRADE_DEMOTION, D(2025, 3, 1))
    evaluation = open_year(officer, school, year=2025)
    poll(officer, evaluation)
    with pytest.raises(EvaluationError):
        propose(officer, evaluation, "basic")
    propose(officer, evaluation, "unrated")
