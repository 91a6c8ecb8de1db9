"""The rule set's numbers, task due dates and the daily reminders."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from cadres.models import RuleSet, RuleSetItem
from cadres.rules import RuleConfigError
from cadres.rules.registry import build_rule
from workflows.principal_selection.rules import RULE_CODE, SELECTION_PURPOSE, selection_params
from workflows.principal_selection.selectors import overdue_tasks, tasks_for

from . import journey as j
from .conftest import FLOW, open_task

D = dt.date


@pytest.mark.django_db
def test_the_default_numbers_are_in_the_rule_set():
    params = selection_params(D(2026, 5, 1))
    assert params.attendance_ratio == Fraction(2, 3)
    assert (params.recommendation_valid_months, params.extra_candidates, params.min_inspection_team) == (12, 1, 2)
    assert (params.publicity_workdays, params.probation_months) == (5, 12)
    assert (params.exchange_years, params.exchange_terms) == (10, 2)


@pytest.mark.django_db
def test_an_administrator_edits_a_number_and_the_case_uses_it():
    item = RuleSetItem.objects.get(rule_set__purpose=SELECTION_PURPOSE, rule_code=RULE_CODE)
    item.params = {**item.params, "publicity_workdays": 7}
    item.full_clean()
    item.save()
    assert selection_params(D(2026, 5, 1)).publicity_workdays == 7


def test_parameters_outside_the_rules_are_refused():
    with pytest.raises(RuleConfigError):
        build_rule(RULE_CODE, {"min_inspection_team": 1})
    with pytest.raises(RuleConfigError):
        build_rule(RULE_CODE, {"attendance_ratio": "abc"})


@pytest.mark.django_db
def test_an_invalid_item_fails_validation_in_the_admin():
    rule_set = RuleSet.objects.get(purpose=SELECTION_PURPOSE)
    item = RuleSetItem(rule_set=rule_set, rule_code=RULE_CODE, params={"attendance_ratio": "3/2"})
    with pytest.raises(ValidationError):
        item.full_clean()


@pytest.mark.django_db(transaction=True)
def test_tasks_carry_due_dates_and_overdue_ones_are_reminded(client, world, capsys):
    case = j.propose(client, world)
    task = open_task(case, FLOW.recommend)
    due = D.fromisoformat(task.data["due"])
    assert due > D.today()
    mine = tasks_for(world.officer)
    assert [t["title"] for t in mine] == ["民主推荐"] and mine[0]["due"] == due
    assert tasks_for(world.discipline) == []
    assert tasks_for(world.school_user) == []
    later = due + dt.timedelta(days=1)
    assert [row["task"].pk for row in overdue_tasks(on=later)] == [task.pk]
    call_command("principal_watch", "--date", later.isoformat())
    assert "逾期任务】1" in capsys.readouterr().out
