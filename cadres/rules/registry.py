"""Rule classes by code."""

from __future__ import annotations

from typing import Any

from .base import Rule, RuleConfigError

_RULES: dict[str, type[Rule]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    if cls.code in _RULES:
        raise RuntimeError(f"rule code {cls.code} registered twice")
    _RULES[cls.code] = cls
    return cls


def rule_classes() -> dict[str, type[Rule]]:
    from ..ethics import rules as _ethics_rules  # noqa: F401  (registers the ethics parameter rules)
    from . import library  # noqa: F401  (registers the built-in rules)

    return dict(_RULES)


def build_rule(code: str, params: dict[str, Any]) -> Rule:
    classes = rule_classes()
    if code not in classes:
        raise RuleConfigError(f"未知规则：{code}")
    return classes[code](**params)
