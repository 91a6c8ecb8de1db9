"""The ethics parameters in force on a date, read from the `ethics` rule set."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..rules.engine import rule_set_in_force
from ..rules.registry import build_rule
from .rules import ETHICS_PURPOSE


@dataclass(frozen=True)
class EthicsParams:
    rule_set_name: str
    periods: dict
    cap_months: int
    min_disqualification_months: int
    matrix: dict
    ethics_failed_months: int
    appraisal_caps: dict
    grades: list
    deadlines: dict


def ethics_params(on: dt.date) -> EthicsParams:
    """Parameters of the ethics rule set in force on `on` (raises NoRuleSetInForce when none is)."""
    rule_set = rule_set_in_force(ETHICS_PURPOSE, on)
    rules = {item.rule_code: build_rule(item.rule_code, item.params) for item in rule_set.items.all()}
    periods = rules.get("sanction_periods") or build_rule("sanction_periods", {})
    matrix = rules.get("veto_matrix") or build_rule("veto_matrix", {})
    caps = rules.get("appraisal_caps") or build_rule("appraisal_caps", {})
    grades = rules.get("ethics_grades") or build_rule("ethics_grades", {})
    deadlines = rules.get("case_deadlines") or build_rule("case_deadlines", {})
    return EthicsParams(
        rule_set_name=rule_set.name,
        periods=periods.periods,
        cap_months=periods.cap_months,
        min_disqualification_months=periods.min_disqualification_months,
        matrix=matrix.matrix,
        ethics_failed_months=matrix.ethics_failed_months,
        appraisal_caps=caps.caps,
        grades=grades.grades,
        deadlines={name: getattr(deadlines, name) for name in deadlines.params},
    )
