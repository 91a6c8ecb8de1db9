"""Choosing the rule set in force and evaluating a person against it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _l

from ..choices import PostLevel
from ..models import Person, RuleSet
from ..refusals import Refusal
from .base import Refusal as RuleRefusal
from .context import PersonContext
from .purposes import Purpose
from .registry import build_rule


class NoRuleSetInForce(Refusal, LookupError):
    """No rule set for that purpose (and post level) covers that date: an administrator must add one.

    A refusal (code "no_rule_set"), so a step started without one answers with this sentence, never a 500."""

    code = "no_rule_set"


def _purpose_label(purpose: str) -> str:
    try:
        return str(Purpose(purpose).label)
    except ValueError:
        return purpose


def rule_set_in_force(purpose: str, on: dt.date, *, post_level: str | None = None) -> RuleSet:
    """The set of `purpose` in force on `on`. With `post_level`, the set of that level, else a level-less
    one; without, a level-less one only (raises NoRuleSetInForce when none)."""
    sets = RuleSet.objects.filter(purpose=purpose, effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on)
    )
    sets = sets.filter(post_level__in=[post_level, ""]) if post_level else sets.filter(post_level="")
    rule_set = sets.prefetch_related("items").order_by("-post_level", "-effective_from").first()
    if rule_set is None:
        if post_level:
            raise NoRuleSetInForce(
                _l("%(d)s没有适用于“%(p)s”（%(level)s）的规则集，请管理员在“规则集”中添加。"),
                params={"d": on, "p": _purpose_label(purpose), "level": PostLevel(post_level).label},
            )
        raise NoRuleSetInForce(
            _l("%(d)s没有适用于“%(p)s”的规则集，请管理员在“规则集”中添加。"),
            params={"d": on, "p": _purpose_label(purpose)},
        )
    return rule_set


@dataclass(frozen=True)
class EvaluationResult:
    person: Person
    purpose: str
    on: dt.date
    rule_set: RuleSet
    refusals: list[RuleRefusal] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refusals

    def summary(self) -> str:
        return "；".join(r.message for r in self.refusals)


def evaluate(
    person: Person,
    *,
    purpose: str,
    on: dt.date,
    overrides: dict[str, dict] | None = None,
    post_level: str | None = None,
) -> EvaluationResult:
    """Check every rule of the set in force on `on` (for `post_level`); return all refusals, not only the first.

    `overrides` lets a work plan tighten a rule's parameters for one case (rule code → params).
    """
    rule_set = rule_set_in_force(purpose, on, post_level=post_level)
    ctx = PersonContext.load(person)
    refusals = []
    for item in rule_set.items.all():
        params = {**item.params, **(overrides or {}).get(item.rule_code, {})}
        refusal = build_rule(item.rule_code, params).check(ctx, on)
        if refusal is not None:
            refusals.append(refusal)
    return EvaluationResult(person, purpose, on, rule_set, refusals)
