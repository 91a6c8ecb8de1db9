"""Reserve-pool parameters as rule-set items (purpose `reserve_pool`), edited by administrators in the admin.

Like `cadres.ethics.rules`, these are parameter rules: they hold numbers, they check nobody by themselves.
Who may *enter* the pool is the `reserve_entry` rule set of `cadres.rules` (age, education, title,
appraisals); its `max_age` is also the age limit of the automatic removal. Every default here is local
(regulations.md §3: only local examples exist) and the set in force on the day of a decision applies.

The rules register when this module is imported; `ReservePoolConfig.ready()` imports it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from cadres.choices import APPRAISAL_RANK, AppraisalGrade
from cadres.rules import Purpose, rule_set_in_force
from cadres.rules.base import Rule, RuleConfigError
from cadres.rules.registry import build_rule, register

from .choices import ReserveKind

RESERVE_POOL_PURPOSE = "reserve_pool"


class _ParameterRule(Rule):
    def check(self, ctx, on):
        return None

    def _non_negative(self, *names: str) -> None:
        for name in names:
            if getattr(self, name) < 0:
                raise RuleConfigError(f"{self.code}: 参数 {name} 不能为负数")


@register
class ReserveQuota(_ParameterRule):
    """At most this many reserves per post seat (职数) of a category, per school."""

    code = "reserve_quota"
    title = _("后备干部职数比例")
    params = {"head_per_post": (int, 2), "deputy_per_post": (int, 1)}

    def validate_params(self) -> None:
        self._non_negative("head_per_post", "deputy_per_post")


@register
class ReserveNearTermShare(_ParameterRule):
    """近期可提拔使用 reserves make up at least numerator/denominator of the pool."""

    code = "reserve_near_term_share"
    title = _("近期可提拔使用比例")
    params = {"numerator": (int, 1), "denominator": (int, 3)}

    def validate_params(self) -> None:
        if self.denominator < 1 or not 0 <= self.numerator <= self.denominator:
            raise RuleConfigError(f"{self.code}: 比例须满足 0 ≤ numerator ≤ denominator 且 denominator ≥ 1")


@register
class ReserveStructureTargets(_ParameterRule):
    """Targets shown against actual figures (not enforced): women and non-CPC members, in percent."""

    code = "reserve_structure_targets"
    title = _("后备干部结构目标")
    params = {"women_percent": (float, 25.0), "non_party_percent": (float, 10.0)}

    def validate_params(self) -> None:
        for name in ("women_percent", "non_party_percent"):
            if not 0 <= getattr(self, name) <= 100:
                raise RuleConfigError(f"{self.code}: 参数 {name} 须在 0 到 100 之间")


@register
class ReserveValidity(_ParameterRule):
    """An admission is valid for `years` unless renewed; a nomination not admitted within `nomination_months`
    lapses."""

    code = "reserve_validity"
    title = _("后备干部有效期")
    params = {"years": (int, 3), "nomination_months": (int, 12)}

    def validate_params(self) -> None:
        if self.years < 1 or self.nomination_months < 1:
            raise RuleConfigError(f"{self.code}: 有效期须至少为1")


@register
class ReserveTraining(_ParameterRule):
    code = "reserve_training"
    title = _("后备干部年度培训学时")
    params = {"hours_per_year": (float, 40.0)}

    def validate_params(self) -> None:
        self._non_negative("hours_per_year")


@register
class ReserveReviewCycle(_ParameterRule):
    """A yearly review falls due this many months after admission or after the last review."""

    code = "reserve_review_cycle"
    title = _("后备干部复核周期（月）")
    params = {"months": (int, 12)}

    def validate_params(self) -> None:
        if self.months < 1:
            raise RuleConfigError(f"{self.code}: 复核周期须至少为1个月")


@register
class ReserveRemovalTriggers(_ParameterRule):
    """Which facts remove an entry by themselves. `appraisal_below`: an appraisal ranked below this grade
    (empty: off)."""

    code = "reserve_removal_triggers"
    title = _("自动撤销资格情形")
    params = {
        "ethics_veto": (bool, True),
        "appraisal_below": (str, AppraisalGrade.COMPETENT.value),
        "age_limit": (bool, True),
        "left_employment": (bool, True),
    }

    def validate_params(self) -> None:
        if self.appraisal_below and self.appraisal_below not in APPRAISAL_RANK:
            raise RuleConfigError(f"{self.code}: 等次 {self.appraisal_below} 不能作为门槛")


DEFAULT_RESERVE_POOL_ITEMS = [
    ("reserve_quota", {"head_per_post": 2, "deputy_per_post": 1}),
    ("reserve_near_term_share", {"numerator": 1, "denominator": 3}),
    ("reserve_structure_targets", {"women_percent": 25, "non_party_percent": 10}),
    ("reserve_validity", {"years": 3, "nomination_months": 12}),
    ("reserve_training", {"hours_per_year": 40}),
    ("reserve_review_cycle", {"months": 12}),
    (
        "reserve_removal_triggers",
        {"ethics_veto": True, "appraisal_below": "competent", "age_limit": True, "left_employment": True},
    ),
]


def load_default_reserve_pool_rule_set(RuleSet, RuleSetItem) -> bool:
    """Create the default reserve-pool parameter set if missing (a data migration and tests call it); True if
    made."""
    rule_set, created = RuleSet.objects.get_or_create(
        purpose=RESERVE_POOL_PURPOSE,
        effective_from="2014-01-01",
        defaults={
            "name": "后备干部管理参数",
            "basis": "《党政领导班子后备干部工作规定》；区委教育工委后备干部管理办法（本地）",
        },
    )
    if created:
        for position, (code, params) in enumerate(DEFAULT_RESERVE_POOL_ITEMS):
            RuleSetItem.objects.create(rule_set=rule_set, rule_code=code, params=params, position=position)
    return created


@dataclass(frozen=True)
class ReservePoolParams:
    rule_set_name: str
    head_per_post: int
    deputy_per_post: int
    near_term_numerator: int
    near_term_denominator: int
    women_percent: float
    non_party_percent: float
    validity_years: int
    nomination_months: int
    training_hours_per_year: float
    review_months: int
    remove_on_ethics_veto: bool
    remove_below_appraisal: str
    remove_over_age: bool
    remove_on_leaving: bool

    def per_post(self, kind: str) -> int:
        return self.head_per_post if kind == ReserveKind.HEAD else self.deputy_per_post


def reserve_pool_params(on: dt.date) -> ReservePoolParams:
    """Parameters of the reserve-pool set in force on `on`; a missing item takes its default.

    Raises `cadres.rules.NoRuleSetInForce` when no set covers `on`.
    """
    rule_set = rule_set_in_force(RESERVE_POOL_PURPOSE, on)
    given = {item.rule_code: build_rule(item.rule_code, item.params) for item in rule_set.items.all()}

    def rule(code):
        return given.get(code) or build_rule(code, {})

    quota, share, targets = rule("reserve_quota"), rule("reserve_near_term_share"), rule("reserve_structure_targets")
    validity, training, cycle = rule("reserve_validity"), rule("reserve_training"), rule("reserve_review_cycle")
    triggers = rule("reserve_removal_triggers")
    return ReservePoolParams(
        rule_set_name=rule_set.name,
        head_per_post=quota.head_per_post,
        deputy_per_post=quota.deputy_per_post,
        near_term_numerator=share.numerator,
        near_term_denominator=share.denominator,
        women_percent=targets.women_percent,
        non_party_percent=targets.non_party_percent,
        validity_years=validity.years,
        nomination_months=validity.nomination_months,
        training_hours_per_year=training.hours_per_year,
        review_months=cycle.months,
        remove_on_ethics_veto=triggers.ethics_veto,
        remove_below_appraisal=triggers.appraisal_below,
        remove_over_age=triggers.age_limit,
        remove_on_leaving=triggers.left_employment,
    )


def reserve_age_limit(on: dt.date) -> int | None:
    """The `max_age` of the `reserve_entry` rule set in force on `on` (None when that set has no age rule)."""
    rule_set = rule_set_in_force(Purpose.RESERVE_ENTRY, on)
    for item in rule_set.items.all():
        if item.rule_code == "max_age":
            return build_rule(item.rule_code, item.params).max_age
    return None
