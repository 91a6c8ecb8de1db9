"""Rule protocol: a code, a Chinese message, declared parameters, and `check` returning a Refusal or None."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar


class RuleConfigError(ValueError):
    """A rule code is unknown or its parameters do not fit the rule."""


@dataclass(frozen=True)
class Refusal:
    """Why a person fails a rule: the rule, the fact found and the threshold, in one sentence."""

    rule_code: str
    message: str
    fact: str = ""
    threshold: str = ""

    def __str__(self) -> str:
        return self.message


class Rule:
    """Subclasses set `code`, `title`, `params` (name → (type, default)) and implement `check`."""

    code: ClassVar[str]
    title: ClassVar[str]
    params: ClassVar[dict[str, tuple[type, Any]]] = {}

    def __init__(self, **values: Any) -> None:
        unknown = set(values) - set(self.params)
        if unknown:
            raise RuleConfigError(f"{self.code}: 未知参数 {', '.join(sorted(unknown))}")
        for name, (kind, default) in self.params.items():
            value = values.get(name, default)
            if kind is float and isinstance(value, int):
                value = float(value)
            if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
                raise RuleConfigError(f"{self.code}: 参数 {name} 应为 {kind.__name__}，现为 {value!r}")
            setattr(self, name, value)
        self.validate_params()

    def validate_params(self) -> None:
        """Hook for rules whose parameters must name a known choice."""

    def check(self, ctx, on: dt.date) -> Refusal | None:  # pragma: no cover - interface
        raise NotImplementedError

    def refuse(self, message: str, fact: str = "", threshold: str = "") -> Refusal:
        return Refusal(self.code, message, fact, threshold)


class ParameterRule(Rule):
    """A rule-set item that only carries parameters (periods, matrices, quotas); it never refuses anyone."""

    def check(self, ctx, on: dt.date) -> Refusal | None:
        return None
