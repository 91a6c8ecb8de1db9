"""The `cadre_evaluation` rule set in force, read as one parameter object (never hard-coded numbers)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.refusals import Refusal
from cadres.rules import NoRuleSetInForce, Purpose, rule_set_in_force
from cadres.rules.library import CadreEvaluationParams
from cadres.rules.registry import build_rule

RULE_CODE = "cadre_evaluation_params"
ROUNDING_TEXT = {
    "floor": gettext_lazy("向下取整"),
    "floor_min_one": gettext_lazy("向下取整、至少1人"),
    "half_up": gettext_lazy("四舍五入"),
}


class RulesMissing(Refusal, ValidationError):
    """No `cadre_evaluation` rule set covers the date: an administrator must add one (a refusal, not a 500)."""


def evaluation_params(on: dt.date) -> CadreEvaluationParams:
    """The parameters of the set in force on `on` (raises RulesMissing, code no_rule_set, when none covers it)."""
    try:
        rule_set = rule_set_in_force(str(Purpose.CADRE_EVALUATION), on)
    except NoRuleSetInForce as exc:
        raise RulesMissing(
            _("%(d)s没有适用的干部考核规则集，请管理员在“规则集”中添加。") % {"d": on.isoformat()}, code="no_rule_set"
        ) from exc
    item = next((i for i in rule_set.items.all() if i.rule_code == RULE_CODE), None)
    return build_rule(RULE_CODE, item.params if item else {})


def excellent_rule_text(params: CadreEvaluationParams, assessed: int) -> str:
    """“参加考核5人的20%（向下取整、至少1人），即1人” — the cap named in every refusal."""
    return _("参加考核%(n)d人的%(p)d%%（%(r)s），即%(k)d人") % {
        "n": assessed,
        "p": params.excellent_share_percent,
        "r": str(ROUNDING_TEXT[params.excellent_rounding]),
        "k": params.excellent_places(assessed),
    }
