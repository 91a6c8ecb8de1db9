"""The dossiers of the evaluation steps, built from plain values and generated inside the step's transaction
(`dossier_generate` renders after commit): 民主测评结果 at the meeting's confirmation, a 年度考核登记表 per
person when the year is final, a 任期考核表 when a term is reviewed.

Each person's 登记表 is a case of its own (`evaluation:<year>:<person>`): the form is addressed to the person
(the result is told to them), and the dossiers' party rule lets the parties of a case read everything addressed
in it — under the unit's ref every cadre would read every colleague's form."""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.utils.translation import gettext as _

from cadres.choices import EducationLevel, TeacherTitle
from dossiers.content.annual_appraisal_form import build_annual_appraisal_form
from dossiers.content.appraisal_evaluation import build_appraisal_evaluation
from dossiers.content.term_review import build_term_review
from dossiers.kinds import DossierKind
from dossiers.services import dossier_generate

from .models import grade_label
from .poll import CATEGORY_KEYS, CATEGORY_LABELS, GRADE_KEYS

_state = threading.local()


@contextmanager
def paused():
    """Skip generating documents inside the block: the demo loader makes a year of evaluations for every
    school, and rendering hundreds of PDFs would make `make run` wait minutes. Steps are otherwise unchanged."""
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = False


def _active() -> bool:
    return not getattr(_state, "paused", False)


def _voters(attended: dict) -> list[dict]:
    return [{"category": str(CATEGORY_LABELS[k]), "attended": int(attended.get(k, 0))} for k in CATEGORY_KEYS]


def _votes(counts: dict) -> list[dict]:
    return [
        {"category": str(CATEGORY_LABELS[k]), **{g: int((counts or {}).get(k, {}).get(g, 0)) for g in GRADE_KEYS}}
        for k in CATEGORY_KEYS
    ]


def poll_result_content(evaluation) -> dict:
    return build_appraisal_evaluation(
        organization=evaluation.organization.name,
        year=evaluation.year,
        date=evaluation.polled_on,
        voters=_voters(evaluation.attended),
        subjects=[
            {"name": a.person.name, "post": a.post_name, "votes": _votes(a.poll_counts)}
            for a in evaluation.assessments.select_related("person")
        ],
    )


def generate_poll_result(evaluation, *, acting_user):
    if not _active():
        return None
    return dossier_generate(
        kind=DossierKind.APPRAISAL_EVALUATION,
        content=poll_result_content(evaluation),
        acting_user=acting_user,
        organization=evaluation.organization,
        process_ref=evaluation.process_ref,
        step="confirm",
    )


def _person_facts(person) -> dict:
    education = person.educations.order_by("-end_date").first()
    title = person.titles.order_by("-obtained_on").first()
    return {
        "sex": person.sex,
        "birth": person.birth_date,
        "education": str(EducationLevel(education.level).label) if education else "",
        "title": str(TeacherTitle(title.title).label) if title else "",
    }


def appraisal_form_content(evaluation, assessment) -> dict:
    return build_annual_appraisal_form(
        organization=evaluation.organization.name,
        year=evaluation.year,
        name=assessment.person.name,
        post=assessment.post_name,
        report_summary=assessment.report_summary,
        voters=_voters(evaluation.attended),
        votes=_votes(assessment.poll_counts),
        proposed_grade=grade_label(assessment.proposed_grade),
        proposed_by=_("学校") if assessment.proposed_by == "school" else _("组织人事科"),
        confirmed_grade=grade_label(assessment.confirmed_grade),
        cap_grade=grade_label(assessment.cap_grade),
        cap_reason=assessment.cap_reason,
        meeting=evaluation.meeting_name,
        meeting_date=evaluation.meeting_on,
        final_date=evaluation.finalised_on,
        **_person_facts(assessment.person),
    )


def generate_appraisal_forms(evaluation, assessments, *, acting_user) -> None:
    if not _active():
        return
    for a in assessments:
        dossier_generate(
            kind=DossierKind.ANNUAL_APPRAISAL_FORM,
            content=appraisal_form_content(evaluation, a),
            acting_user=acting_user,
            organization=evaluation.organization,
            subject=a.person,
            process_ref=f"{evaluation.process_ref}:{a.person_id}",
            step="final",
        )


def term_review_content(term) -> dict:
    return build_term_review(
        organization=term.organization.name,
        name=term.person.name,
        post=term.tenure.post.name,
        number=term.number,
        start=term.start_date,
        end=term.end_date,
        goals=term.goals,
        voters=_voters(term.attended),
        votes=_votes(term.poll_counts),
        grade=grade_label(term.review_grade),
        reviewed_on=term.reviewed_on,
    )


def generate_term_review(term, *, acting_user):
    if not _active():
        return None
    return dossier_generate(
        kind=DossierKind.TERM_REVIEW,
        content=term_review_content(term),
        acting_user=acting_user,
        organization=term.organization,
        subject=term.person,
        process_ref=f"term:{term.pk}",
        step="review",
    )
