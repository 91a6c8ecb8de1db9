"""The demo loader: through the services, one school left at 'proposed', terms opened, safe to run again."""

from django.core.management import call_command

from audit.models import AuditEvent
from workflows.evaluation.models import EvaluationYear, Term

from .conftest import make_cadres


def test_demo_evaluations_are_made_through_the_services_and_once(officer, school, other_school, bureau):
    make_cadres(school, 5)
    make_cadres(other_school, 4)
    call_command("load_demo_evaluations")
    states = dict(EvaluationYear.objects.values_list("organization__name", "state"))
    assert states == {school.name: "final", other_school.name: "proposed"}
    assert AuditEvent.objects.filter(action="evaluation_finalised").count() == 1
    assert AuditEvent.objects.filter(action="appraisal_recorded").count() == 5
    assert Term.objects.count() == 5  # the school leaders: 2 principals + 1 vice-principal, and 1 + 1
    events = AuditEvent.objects.count()
    call_command("load_demo_evaluations")
    assert AuditEvent.objects.count() == events and EvaluationYear.objects.count() == 2
