"""Choosing the rule set in force and evaluating a person against it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import Person, RuleSet
from .base import Refusal
from .context import PersonContext
from .registry import build_rule


class NoRuleSetInForce(LookupError):
    """No rule set for that purpose covers that date: an administrator must add one."""


def rule_set_in_force(purpose: str, on: dt.date) -> RuleSet:
    rule_set = (
        RuleSet.objects.filter(purpose=purpose, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .prefetch_related("items")
        .order_by("-effective_from")
        .first()
    )
    if rule_set is None:
        raise NoRuleSetInForce(_("%(d)s 没有适用于“%(p)s”的规则集。") % {"d": on.isoformat(), "p": purpose})
    return rule_set


@dataclass(frozen=True)
class EvaluationResult:
    person: Person
    purpose: str
    on: dt.date
    rule_set: RuleSet
    refusals: list[Refusal] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refusals

    def summary(self) -> str:
        return "；".join(r.message for r in self.refusals)


def evaluate(
    person: Person, *, purpose: str, on: dt.date, overrides: dict[str, dict] | None = None
) -> EvaluationResult:
    """Check every rule of the set in force on `on`; return all refusals, not only the first.

    `overrides` lets a work plan tighten a rule's parameters for one case (rule code → params).
    """
    rule_set = rule_set_in_force(purpose, on)
    ctx = PersonContext.load(person)
    refusals = []
    for item in rule_set.items.all():
        params = {**item.params, **(overrides or {}).get(item.rule_code, {})}
        refusal = build_rule(item.rule_code, params).check(ctx, on)
        if refusal is not None:
            refusals.append(refusal)
    return EvaluationResult(person, purpose, on, rule_set, refusals)
