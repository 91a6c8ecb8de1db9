"""Parties to the workflow cases, for the dossier audience rule (named in settings `DOSSIER_CASE_PARTIES`).

Each function takes a person id and returns a values queryset of the `process_ref`s — exactly as the
workflows' document modules write them — of the cases in which that person is a party: a candidate of a
principal selection (from recommendation on, whatever their later status), a registrant of a competition,
the cadre of a 能上能下 adjustment, the teacher of an ethics case. `dossiers.parties` uses them as SQL
subqueries, so dossiers never imports the workflows.
"""

from __future__ import annotations

from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Cast, Concat


def _refs(queryset, prefix: str, case_field: str) -> QuerySet:
    ref = Concat(Value(prefix), Cast(case_field, output_field=CharField()), output_field=CharField())
    return queryset.annotate(case_ref=ref).values_list("case_ref", flat=True)


def principal_selection_cases(person_id: int) -> QuerySet:
    from .principal_selection.models import Candidate

    return _refs(Candidate.objects.filter(person_id=person_id), "principal_selection:", "case_id")


def competition_cases(person_id: int) -> QuerySet:
    from .competition.models import Registration

    return _refs(Registration.objects.filter(person_id=person_id), "competition:", "competition_id")


def adjustment_cases(person_id: int) -> QuerySet:
    from .competition.models import Adjustment

    return _refs(Adjustment.objects.filter(tenure__person_id=person_id), "adjustment:", "pk")


def ethics_cases(person_id: int) -> QuerySet:
    from .ethics_case.models import EthicsCase

    return _refs(EthicsCase.objects.filter(teacher_id=person_id), "ethics_case:", "pk")
