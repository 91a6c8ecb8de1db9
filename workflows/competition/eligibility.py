"""Who may stand: the competition rule set (with the plan's school-specific parameters) and the ethics veto.

`refusals(person, plan=, organization=, on=)` returns every reason a person may not register (or be
qualified) on `on`, as Chinese sentences to show the teacher; empty means eligible. Rule codes in the plan
that the rule set in force contains override its parameters; other codes (e.g. a local age cap) are checked
in addition, with the plan's parameters.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from cadres.ethics.purposes import VetoPurpose
from cadres.ethics.veto import veto_status
from cadres.rules import NoRuleSetInForce, Purpose, evaluate, rule_set_in_force
from cadres.rules.context import PersonContext
from cadres.rules.registry import build_rule


def refusals(person, *, plan: dict, organization, on: dt.date) -> list[str]:
    reasons: list[str] = []
    if person.organization_id != organization.pk:
        reasons.append(_("只有本校教职工可以报名。"))
    params = plan.get("eligibility") or {}
    try:
        rule_set = rule_set_in_force(Purpose.COMPETITION_REGISTRATION, on)
    except NoRuleSetInForce as exc:
        return [*reasons, str(exc)]
    in_set = {item.rule_code for item in rule_set.items.all()}
    result = evaluate(
        person,
        purpose=Purpose.COMPETITION_REGISTRATION,
        on=on,
        overrides={k: v for k, v in params.items() if k in in_set},
    )
    reasons += [r.message for r in result.refusals]
    extra = {k: v for k, v in params.items() if k not in in_set}
    if extra:
        ctx = PersonContext.load(person)
        for code, rule_params in extra.items():
            refusal = build_rule(code, rule_params).check(ctx, on)
            if refusal is not None:
                reasons.append(refusal.message)
    veto = veto_status(person, purpose=VetoPurpose.COMPETITION_REGISTRATION, on=on)
    if veto.blocked:
        reasons.append(veto.sentence)
    return reasons
