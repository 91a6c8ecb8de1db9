"""Step deadlines: working days from the data table, the node, or the setting; holidays and weekends skipped."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task

from cadres.models import CalendarOverride
from workflows.competition.flows import AdjustmentFlow, CompetitionFlow
from workflows.ethics_case.flows import EthicsCaseFlow
from workflows.notifications import deadlines
from workflows.notifications.deadlines import due_on, flow_ref, stamp_due
from workflows.notifications.models import StepDeadline
from workflows.principal_selection.flows import PrincipalSelectionFlow

from . import journey_helpers as jh

pytestmark = pytest.mark.django_db
D = dt.date


def test_every_human_step_of_every_flow_has_a_default_deadline_row():
    flows = deadlines.all_flows()
    assert {PrincipalSelectionFlow, CompetitionFlow, AdjustmentFlow, EthicsCaseFlow} <= set(flows)
    expected = {(flow_ref(f), n.name) for f in flows for n in deadlines.human_nodes(f)}
    rows = set(StepDeadline.objects.values_list("flow", "node"))
    assert expected <= rows
    assert len(expected) == 41


def test_weekend_is_skipped_and_the_start_day_counts():
    # 报局备案 (competition): 5 working days; Friday 2026-03-06 counts, the weekend does not.
    assert due_on(CompetitionFlow.file_with_bureau, D(2026, 3, 6)) == D(2026, 3, 12)
    # Starting on a Saturday: Monday is the first working day.
    assert due_on(CompetitionFlow.file_with_bureau, D(2026, 3, 7)) == D(2026, 3, 13)


def test_national_day_holiday_and_the_swapped_saturday():
    # 2026-09-30 (Wed) counts; 10-01..10-07 are off; Saturday 10-10 is a swapped working day.
    assert due_on(CompetitionFlow.file_with_bureau, D(2026, 9, 30)) == D(2026, 10, 12)
    # Principal selection's 民主推荐 takes 10 working days.
    assert due_on(PrincipalSelectionFlow.recommend, D(2026, 9, 30)) == D(2026, 10, 19)


def test_an_administrators_calendar_override_is_respected():
    CalendarOverride.objects.create(date=D(2026, 3, 10), is_workday=False, note="区级调整")
    assert due_on(CompetitionFlow.file_with_bureau, D(2026, 3, 6)) == D(2026, 3, 13)


def test_the_table_wins_then_the_node_then_the_setting(settings):
    StepDeadline.objects.filter(flow=flow_ref(CompetitionFlow), node="file_with_bureau").update(workdays=2)
    assert due_on(CompetitionFlow.file_with_bureau, D(2026, 3, 6)) == D(2026, 3, 9)
    # No row: principal selection's node says 10 working days.
    StepDeadline.objects.filter(flow=flow_ref(PrincipalSelectionFlow), node="recommend").delete()
    assert PrincipalSelectionFlow.recommend.due_workdays == 10
    assert due_on(PrincipalSelectionFlow.recommend, D(2026, 3, 2)) == D(2026, 3, 13)
    # No row and nothing on the node: the setting.
    bare = SimpleNamespace(flow_class=CompetitionFlow, name="not_in_the_table")
    settings.CADREFLOW_DEFAULT_DUE_WORKDAYS = 3
    assert due_on(bare, D(2026, 3, 6)) == D(2026, 3, 10)


def test_a_step_without_a_deadline_gets_no_due_date():
    assert due_on(EthicsCaseFlow.apply_review, D(2026, 3, 6)) is None
    assert due_on(CompetitionFlow.registration, D(2026, 3, 6)) is None


def test_a_new_human_task_is_stamped_with_its_due_date(client, world, monkeypatch):
    case = jh.propose(client, world)
    task = case.task_set.get(flow_task=PrincipalSelectionFlow.recommend)
    assert dt.date.fromisoformat(task.data["due"]) >= timezone.localdate()
    start = case.task_set.get(flow_task=PrincipalSelectionFlow.propose)
    assert "due" not in (start.data or {})


def test_the_due_date_goes_in_with_the_tasks_insert(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        case = jh.propose(client, world)
    task = case.task_set.get(flow_task=PrincipalSelectionFlow.recommend)
    assert task.data["due"]
    assert not [q for q in queries if q["sql"].startswith('UPDATE "viewflow_task" SET "data"')]


def test_stamp_due_keeps_an_existing_date_and_writes_without_saving(client, world):
    case = jh.propose(client, world)
    task = case.task_set.get(flow_task=PrincipalSelectionFlow.recommend)
    Task.objects.filter(pk=task.pk).update(data={"due": "2030-01-02"})
    task.refresh_from_db()
    assert stamp_due(task) is None
    assert task.data["due"] == "2030-01-02"
    Task.objects.filter(pk=task.pk).update(data={"note": "x"})
    task.refresh_from_db()
    task.created = dt.datetime(2026, 9, 30, 9, tzinfo=dt.UTC)
    deadline = StepDeadline.objects.get(flow=flow_ref(PrincipalSelectionFlow), node="recommend")
    deadline.workdays = 5
    deadline.save()  # as the admin saves it: the kept deadlines are dropped at once
    assert stamp_due(task) == D(2026, 10, 12)
    assert Task.objects.get(pk=task.pk).data == {"note": "x", "due": "2026-10-12"}
