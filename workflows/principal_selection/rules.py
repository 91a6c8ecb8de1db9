"""The principal-selection numbers as a parameter rule set (purpose `principal_selection`).

Every number of the procedure (DOMAIN §3) lives here, editable by an administrator in the admin; a case
uses the set in force on the day it started. Defaults follow regulations.md §1–§2 (local numbers marked
there as such).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from cadres.rules.base import Rule, RuleConfigError
from cadres.rules.engine import rule_set_in_force
from cadres.rules.registry import build_rule, register

SELECTION_PURPOSE = "principal_selection"
RULE_CODE = "principal_selection_params"

DEFAULTS = {
    "attendance_ratio": "2/3",  # recommendation meeting and decision meeting quorum
    "recommendation_valid_months": 12,
    "extra_candidates": 1,  # shortlist at least posts + this many
    "min_inspection_team": 2,
    "publicity_workdays": 5,
    "probation_months": 12,
    "exchange_years": 10,
    "exchange_terms": 2,
    "age_watch_from": 57,
    "probation_watch_days": 30,
}


@register
class PrincipalSelectionParams(Rule):
    code = RULE_CODE
    title = _("校长选拔任用参数")
    params = {
        "attendance_ratio": (str, DEFAULTS["attendance_ratio"]),
        "recommendation_valid_months": (int, DEFAULTS["recommendation_valid_months"]),
        "extra_candidates": (int, DEFAULTS["extra_candidates"]),
        "min_inspection_team": (int, DEFAULTS["min_inspection_team"]),
        "publicity_workdays": (int, DEFAULTS["publicity_workdays"]),
        "probation_months": (int, DEFAULTS["probation_months"]),
        "exchange_years": (int, DEFAULTS["exchange_years"]),
        "exchange_terms": (int, DEFAULTS["exchange_terms"]),
        "age_watch_from": (int, DEFAULTS["age_watch_from"]),
        "probation_watch_days": (int, DEFAULTS["probation_watch_days"]),
    }

    def validate_params(self) -> None:
        try:
            ratio = Fraction(self.attendance_ratio)
        except (ValueError, ZeroDivisionError) as exc:
            raise RuleConfigError(f"{self.code}: 到会比例须写成分数，如 2/3") from exc
        if not 0 < ratio <= 1:
            raise RuleConfigError(f"{self.code}: 到会比例须在0和1之间")
        for name in self.params:
            if name != "attendance_ratio" and getattr(self, name) < 0:
                raise RuleConfigError(f"{self.code}: 参数 {name} 不能为负数")
        if self.min_inspection_team < 2:
            raise RuleConfigError(f"{self.code}: 考察组不得少于2人")

    def check(self, ctx, on):
        return None


@dataclass(frozen=True)
class SelectionParams:
    rule_set_name: str
    attendance_ratio: Fraction
    recommendation_valid_months: int
    extra_candidates: int
    min_inspection_team: int
    publicity_workdays: int
    probation_months: int
    exchange_years: int
    exchange_terms: int
    age_watch_from: int
    probation_watch_days: int


def selection_params(on: dt.date) -> SelectionParams:
    """The numbers in force on `on` (raises cadres.rules.NoRuleSetInForce when no set covers it)."""
    rule_set = rule_set_in_force(SELECTION_PURPOSE, on)
    item = next((i for i in rule_set.items.all() if i.rule_code == RULE_CODE), None)
    rule = build_rule(RULE_CODE, item.params if item else {})
    values = {name: getattr(rule, name) for name in rule.params}
    values["attendance_ratio"] = Fraction(values["attendance_ratio"])
    return SelectionParams(rule_set_name=rule_set.name, **values)


def load_default_selection_rule_set(RuleSet, RuleSetItem) -> bool:
    """Create the default set if missing (data migration and tests); True when it was made."""
    rule_set, created = RuleSet.objects.get_or_create(
        purpose=SELECTION_PURPOSE,
        effective_from="2019-03-17",
        defaults={
            "name": "校长选拔任用程序参数（2019条例）",
            "basis": "《党政领导干部选拔任用工作条例》（2019）；《事业单位领导人员管理暂行规定》（2015）；本地规定",
        },
    )
    if created:
        RuleSetItem.objects.create(rule_set=rule_set, rule_code=RULE_CODE, params=dict(DEFAULTS), position=0)
    return created
