"""The three evaluation dossiers: their builders' checks, and who reads the generated documents."""

import pytest

from cadres.roles import Role
from dossiers.content.annual_appraisal_form import build_annual_appraisal_form
from dossiers.content.appraisal_evaluation import build_appraisal_evaluation
from dossiers.content.samples import sample_input
from dossiers.content.term_review import build_term_review
from dossiers.selectors import documents_visible_to
from tests.factories import UserFactory
from workflows.evaluation import services

from .helpers import D, run_to_publicised


def test_counts_above_those_present_are_refused_in_every_builder():
    data = sample_input("appraisal_evaluation")
    data["subjects"][0]["votes"][0]["excellent"] = 6  # 6 + 2 > 5 leaders present
    with pytest.raises(ValueError, match="校领导班子成员测评票合计（8）多于实到人数（5）"):
        build_appraisal_evaluation(**data)
    form = sample_input("annual_appraisal_form")
    form["votes"][2]["competent"] = 40
    with pytest.raises(ValueError, match="多于实到人数"):
        build_annual_appraisal_form(**form)
    term = sample_input("term_review")
    term["votes"][1]["basic"] = 9
    with pytest.raises(ValueError, match="多于实到人数"):
        build_term_review(**term)


def test_the_appraisal_form_never_prints_a_grade_above_the_cap():
    form = sample_input("annual_appraisal_form")
    form["confirmed_grade"] = "优秀"
    with pytest.raises(ValueError, match="确定等次“优秀”高于限制“称职”"):
        build_annual_appraisal_form(**form)
    form = sample_input("annual_appraisal_form")
    form.update(cap_grade="不定等次", proposed_grade="不定等次", confirmed_grade="称职")
    with pytest.raises(ValueError, match="高于限制“不定等次”"):
        build_annual_appraisal_form(**form)


def test_shares_and_totals_of_the_poll_result():
    content = build_appraisal_evaluation(**sample_input("appraisal_evaluation"))
    chen = content["subjects"][0]
    assert [c["count"] for c in chen["total"]["cells"]] == [28, 17, 1, 0]
    assert chen["total"]["favourable_share"] == "97.8"  # 45 of 46
    assert chen["rows"][0]["cells"][0] == {"count": 3, "share": "60.0"}


def test_the_person_reads_their_form_and_the_school_reads_the_poll_result(
    officer, school_secretary, other_secretary, school, cadres_of_school
):
    evaluation = run_to_publicised(officer, school_secretary, school, "excellent")
    services.evaluation_finalise(acting_user=officer, evaluation=evaluation, finalised_on=D(2026, 3, 2))
    person = cadres_of_school[0]
    own = UserFactory(roles=[Role.TEACHER], organization=school, organization__person=person)
    colleague = UserFactory(roles=[Role.TEACHER], organization=school, organization__person=cadres_of_school[1])
    mine = set(documents_visible_to(own).values_list("kind", "subject_id"))
    assert ("annual_appraisal_form", person.pk) in mine
    assert ("annual_appraisal_form", cadres_of_school[1].pk) not in mine
    assert not documents_visible_to(colleague).filter(subject=person).exists()
    school_kinds = set(documents_visible_to(school_secretary).values_list("kind", flat=True))
    assert "appraisal_evaluation" in school_kinds
    assert not documents_visible_to(other_secretary).filter(kind="appraisal_evaluation").exists()
    officer_docs = documents_visible_to(officer)
    assert officer_docs.filter(kind="annual_appraisal_form").count() == 5
