"""Demo evaluations on the demo district, made through the services (so every step has its audit event and
obeys the caps): last year's 年度考核 for every school — final for all but one, which is left at 'proposed' for
the bureau's meeting — and the running 任期 of every sitting school leader.

Deterministic: the 测评 counts come from a seeded generator per school; grades follow the counts, never above a
person's ethics cap or the unit's 优秀 places. Documents are generated for the first school only (the rest
would mean hundreds of PDFs on `make run`). Loading again when evaluations exist writes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from cadres import choices as c
from cadres.ethics.periods import add_months
from cadres.models import Organization

from . import clock, documents, services
from .models import EvaluationYear, Term
from .params import evaluation_params
from .poll import CATEGORY_KEYS

OFFICER = "officer"
DOCUMENTED = 1  # schools whose evaluation dossiers are generated (rendered in this process)
SUMMARY = "认真履行岗位职责，完成年度工作目标；严格遵守中央八项规定精神和廉洁自律各项规定，无违规违纪问题。"


@dataclass
class DemoEvaluationResult:
    created: bool
    years: int = 0
    final: int = 0
    terms: int = 0
    terms_ending: int = 0


def _dates(year: int) -> dict[str, dt.date]:
    """The steps of `year`'s evaluation in January of the next year (working days)."""
    start = dt.date(year + 1, 1, 5)
    return {
        "open": start,
        "poll": start + dt.timedelta(days=3),
        "propose": start + dt.timedelta(days=7),
        "meeting": start + dt.timedelta(days=15),
        "publicity": start + dt.timedelta(days=16),
        "final": start + dt.timedelta(days=30),
    }


def _poll(rng: random.Random, evaluation: EvaluationYear, assessments) -> tuple[dict, dict]:
    leaders = sum(1 for a in assessments if a.post_level in (c.PostLevel.SCHOOL_HEAD, c.PostLevel.SCHOOL_DEPUTY))
    attended = {"leaders": max(leaders, 1), "cadres": max(len(assessments) - leaders, 1), "staff": rng.randint(25, 45)}
    counts = {}
    for a in assessments:
        row = {}
        for k in CATEGORY_KEYS:
            n = attended[k]
            excellent = rng.randint(0, n // 2)
            competent = rng.randint(0, n - excellent)
            basic = rng.randint(0, (n - excellent - competent) // 2)
            row[k] = {"excellent": excellent, "competent": competent, "basic": basic, "incompetent": 0}
        counts[a.pk] = row
    return attended, counts


def _grades(evaluation: EvaluationYear, assessments, counts: dict, index: int) -> dict[int, str]:
    """Best 优秀 share first, within the places and each cap; a few 基本称职 and one 不称职 in the district."""
    params = evaluation_params(services.year_end(evaluation.year))
    places = params.excellent_places(len(assessments))

    def share(a):
        row = counts[a.pk]
        return sum(r["excellent"] for r in row.values())

    ranked = sorted(assessments, key=share, reverse=True)
    grades = {}
    for a in ranked:
        wanted = c.AppraisalGrade.COMPETENT
        if places and a.cap_grade == "":
            wanted, places = c.AppraisalGrade.EXCELLENT, places - 1
        grades[a.pk] = wanted
    last = ranked[-1]
    if index % 9 == 4 and len(ranked) > 2:
        grades[last.pk] = c.AppraisalGrade.BASIC
    if index == 7 and len(ranked) > 2:
        grades[last.pk] = c.AppraisalGrade.INCOMPETENT
    for a in assessments:
        if a.cap_grade and not services.grade_within_cap(grades[a.pk], a.cap_grade):
            grades[a.pk] = a.cap_grade
    return grades


def _run_school(officer, org: Organization, year: int, index: int, *, stop_at_proposed: bool) -> EvaluationYear | None:
    d = _dates(year)
    rng = random.Random(2026 * 1000 + org.pk)
    with transaction.atomic():
        evaluation = services.evaluation_year_open(
            acting_user=officer, organization=org, year=year, opened_on=d["open"]
        )
        assessments = list(evaluation.assessments.select_related("person"))
        for a in assessments if index < DOCUMENTED else []:  # the schools whose documents are made
            services.evaluation_report_upload(acting_user=officer, assessment=a, summary=SUMMARY)
        attended, counts = _poll(rng, evaluation, assessments)
        services.evaluation_poll_record(
            acting_user=officer, evaluation=evaluation, polled_on=d["poll"], attended=attended, counts=counts
        )
        assessments = services.refresh_caps(evaluation)
        grades = _grades(evaluation, assessments, counts, index)
        services.evaluation_propose(acting_user=officer, evaluation=evaluation, grades=grades, proposed_on=d["propose"])
        if stop_at_proposed:
            return evaluation
        services.evaluation_confirm(
            acting_user=officer,
            evaluation=evaluation,
            meeting_on=d["meeting"],
            meeting_name=f"区教育工委{year + 1}年第1次委员会会议",
        )
        services.evaluation_publicise(acting_user=officer, evaluation=evaluation, start=d["publicity"])
        evaluation = EvaluationYear.objects.get(pk=evaluation.pk)
        final_on = max(d["final"], evaluation.publicity_end + dt.timedelta(days=1))
        evaluation = services.evaluation_finalise(acting_user=officer, evaluation=evaluation, finalised_on=final_on)
    return evaluation


@contextmanager
def _render_inline():
    """Render the demo's few documents in this process after commit: render processes writing to the embedded
    SQLite database while the loader holds its transaction would meet a locked database."""
    before = getattr(settings, "DOSSIER_BACKGROUND", "")
    settings.DOSSIER_BACKGROUND = "inline"
    try:
        yield
    finally:
        settings.DOSSIER_BACKGROUND = before


def demo_evaluations_load() -> DemoEvaluationResult:
    """Make last year's evaluations and the running terms unless evaluations exist (then nothing is written).

    One transaction: a run that fails half-way leaves nothing, so running again starts over."""
    with _render_inline(), transaction.atomic():
        return _load()


def _load() -> DemoEvaluationResult:
    if EvaluationYear.objects.exists():
        return DemoEvaluationResult(created=False, years=EvaluationYear.objects.count(), terms=Term.objects.count())
    officer = get_user_model().objects.filter(username=OFFICER).first()
    if officer is None:
        return DemoEvaluationResult(created=False)
    today = clock.today()
    year = today.year - 1
    schools = list(Organization.objects.filter(kind=c.OrgKind.SCHOOL).order_by("code"))
    result = DemoEvaluationResult(created=True)
    for index, org in enumerate(schools):
        if not services.cadres_assessed(org, year):
            continue
        stop = index == len(schools) - 1  # the last school waits for the bureau's meeting
        try:
            if index < DOCUMENTED:
                evaluation = _run_school(officer, org, year, index, stop_at_proposed=stop)
            else:
                with documents.paused():
                    evaluation = _run_school(officer, org, year, index, stop_at_proposed=stop)
        except services.EvaluationError:
            continue  # a rule refused this school (e.g. a cap changed by the data): the demo has one fewer
        result.years += 1
        result.final += evaluation.state == "final"
    result.terms = services.terms_open_for_current_leaders(acting_user=officer, on=today)
    window = evaluation_params(today).term_review_window_months
    result.terms_ending = Term.objects.filter(end_date__lte=add_months(today, window), reviewed_on__isnull=True).count()
    return result
