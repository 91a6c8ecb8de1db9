"""The rule engine: rules are small objects; rule sets are data with dates and parameters.

from cadres.rules import evaluate
result = evaluate(person, purpose=Purpose.PRINCIPAL_SHORTLIST, on=date(2026, 5, 1))
result.ok, [r.message for r in result.refusals]
"""

from .base import Refusal, Rule, RuleConfigError
from .engine import EvaluationResult, NoRuleSetInForce, evaluate, rule_set_in_force
from .purposes import Purpose

__all__ = [
    "EvaluationResult",
    "NoRuleSetInForce",
    "Purpose",
    "Refusal",
    "Rule",
    "RuleConfigError",
    "evaluate",
    "rule_set_in_force",
]
