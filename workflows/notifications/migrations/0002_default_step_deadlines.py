"""Default deadlines (working days) for every human step of every flow; administrators edit them in the admin.

Decisions: principal selection keeps the 10 working days its node always used; school steps of a competition
and of 能上能下 take 5 (10 for 公示, which itself lasts ≥ 5 working days, and for the probation review);
registration closes on the plan's own deadline and the teacher's 申请复核/提出申诉 are a right with a legal
window the ethics flow keeps with its own timer: those have no deadline (empty). The ethics authority's
review answer (30 days) and appeal decision (60 days) are given as 21 and 42 working days, a reminder only:
the case's legal dates stay those of `workflows.ethics_case.deadlines`.
"""

from django.db import migrations

PS = "principal_selection/flows.PrincipalSelectionFlow"
COMP = "competition/flows.CompetitionFlow"
ADJ = "competition/flows.AdjustmentFlow"
ETH = "workflows/ethics_case.flows.EthicsCaseFlow"

DEFAULTS = {
    PS: {
        "recommend": 10,
        "shortlist": 10,
        "approve_exception": 10,
        "inspect": 10,
        "dossier_review": 10,
        "personal_matters_check": 10,
        "discipline_opinion": 10,
        "petition_check": 10,
        "integrity_signoff": 10,
        "decide": 10,
        "publicise": 10,
        "appoint": 10,
        "probation_review": 10,
    },
    COMP: {
        "revise_plan": 5,
        "school_meeting_approval": 5,
        "file_with_bureau": 5,
        "announce": 5,
        "registration": None,
        "qualification_review": 5,
        "scoring": 5,
        "ranking": 5,
        "inspection": 10,
        "school_decision": 5,
        "publicise": 10,
        "appoint": 5,
        "file_report": 5,
        "probation_review": 10,
    },
    ADJ: {
        "statement": 5,
        "decide": 10,
        "file_report": 5,
        "bureau_review": 5,
    },
    ETH: {
        "assign_investigator": 5,
        "investigate": 20,
        "statement": 5,
        "hearing": 10,
        "propose": 10,
        "decide": 10,
        "apply_review": None,
        "answer_review": 21,
        "apply_appeal": None,
        "decide_appeal": 42,
    },
}


def load_defaults(apps, schema_editor):
    StepDeadline = apps.get_model("notifications", "StepDeadline")
    for flow, steps in DEFAULTS.items():
        for node, workdays in steps.items():
            StepDeadline.objects.get_or_create(flow=flow, node=node, defaults={"workdays": workdays})


def remove_defaults(apps, schema_editor):
    StepDeadline = apps.get_model("notifications", "StepDeadline")
    for flow, steps in DEFAULTS.items():
        StepDeadline.objects.filter(flow=flow, node__in=list(steps)).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_notifications_and_step_deadlines")]

    operations = [migrations.RunPython(load_defaults, remove_defaults)]
