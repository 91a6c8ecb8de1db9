"""The walkable demo: `load_demo_district` then `load_demo_cases`, twice. Every human step of the four flows
has a case waiting at it, shortlisting has its two inspection-team members, and the second run writes
nothing."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from viewflow.workflow import flow as vf
from viewflow.workflow.status import STATUS

import config.urls  # noqa: F401  (flow nodes reverse their URLs)
from audit.models import AuditEvent
from cadres.roles import Role
from workflows.competition.flows import AdjustmentFlow, CompetitionFlow
from workflows.ethics_case.flows import EthicsCaseFlow
from workflows.principal_selection.flows import PrincipalSelectionFlow
from workflows.principal_selection.models import SelectionCase

DISTRICT = ["--seed", "2026", "--schools", "14", "--people", "900"]

# Every task a person completes, per flow (start nodes excepted: anybody with the role starts a new case).
HUMAN_STEPS = {
    PrincipalSelectionFlow: (
        "recommend",
        "shortlist",
        "approve_exception",
        "inspect",
        "dossier_review",
        "personal_matters_check",
        "discipline_opinion",
        "petition_check",
        "integrity_signoff",
        "decide",
        "publicise",
        "appoint",
        "probation_review",
    ),
    CompetitionFlow: (
        "school_meeting_approval",
        "file_with_bureau",
        "revise_plan",
        "announce",
        "registration",
        "qualification_review",
        "scoring",
        "ranking",
        "inspection",
        "school_decision",
        "publicise",
        "appoint",
        "file_report",
        "probation_review",
    ),
    AdjustmentFlow: ("statement", "decide", "file_report", "bureau_review"),
    EthicsCaseFlow: (
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
    ),
}


# Who walks each step with the printed logins (default: the flow's usual actor).
WALKER = {
    PrincipalSelectionFlow: {
        "inspect": "inspector2",
        "discipline_opinion": "discipline",
        "petition_check": "discipline",
        "integrity_signoff": "member1",
        "decide": "recorder",
    },
    CompetitionFlow: {"file_with_bureau": "officer"},
    AdjustmentFlow: {"statement": "cadre1", "bureau_review": "officer"},
    EthicsCaseFlow: {
        "investigate": "discipline",
        "statement": "ethics3",
        "propose": "secretary",
        "apply_review": "ethics7",
        "apply_appeal": "ethics9",
        "decide_appeal": "member1",
    },
}
USUAL = {PrincipalSelectionFlow: "officer", CompetitionFlow: "secretary", AdjustmentFlow: "secretary"}


def _load() -> str:
    out = io.StringIO()
    call_command("load_demo_district", *DISTRICT, stdout=out)
    call_command("load_demo_cases", stdout=out)
    return out.getvalue()


def _open_tasks(flow, node_name):
    from viewflow.workflow.models import Task

    node = getattr(flow.instance, node_name)
    return Task.objects.filter(flow_task=node).exclude(status__in=[STATUS.DONE, STATUS.CANCELED, STATUS.ERROR])


def test_demo_commands_twice_leave_a_case_at_every_human_step(db):
    first = _load()
    assert "演示案例已加载" in first
    User = get_user_model()
    counts = (User.objects.count(), AuditEvent.objects.count(), SelectionCase.objects.count())

    second = _load()
    assert "未做任何改动" in second
    assert (User.objects.count(), AuditEvent.objects.count(), SelectionCase.objects.count()) == counts

    missing = [
        f"{flow.__name__}.{name}"
        for flow, names in HUMAN_STEPS.items()
        for name in names
        if not _open_tasks(flow, name)
    ]
    assert missing == []
    # every human node of each flow is in the list above (a new step would need its demo case)
    for flow, names in HUMAN_STEPS.items():
        views = {n.name for n in flow.instance.nodes() if isinstance(n, vf.View) and not isinstance(n, vf.Start)}
        assert views == set(names), flow

    team = User.objects.filter(groups__name=Role.INSPECTION_TEAM, is_active=True, profile__organization__kind="bureau")
    assert team.count() >= 2
    shortlisted = SelectionCase.objects.filter(inspection_team__isnull=False).distinct()
    assert shortlisted.exists() and all(case.inspection_team.count() >= 2 for case in shortlisted)
    for username in ("inspector2", "judge2", "teacher2", "cadre1", "ethics3"):
        user = User.objects.get(username=username)
        assert user.profile.person is not None
    for needle in ("inspector2", "可以做什么", "officer", "cadreflow-demo"):
        assert needle in second

    # each waiting step opens, today, for the login the command printed for it
    client = Client()
    for flow, names in HUMAN_STEPS.items():
        for name in names:
            task = _open_tasks(flow, name).first()
            username = WALKER.get(flow, {}).get(name, USUAL.get(flow, "officer"))
            client.force_login(User.objects.get(username=username))
            node = getattr(flow.instance, name)
            response = client.get(node.reverse("execute", args=[task.process_id, task.pk]))
            assert response.status_code == 200, (flow.__name__, name, username)
            assert "<form" in response.content.decode()


def test_cases_need_the_district_first(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="load_demo_district"):
        call_command("load_demo_cases", stdout=io.StringIO())
    assert not AuditEvent.objects.filter(action="demo_cases_loaded").exists()
