"""Eligibility of a move (purpose `exchange_move`): the rule set every move is checked against.

The set is data (editable in the admin): by default the person is in active employment and not above the age
up to which the district still moves a leader (55, local: someone closer to retirement is normally not moved).
A move that is a promotion (the target post ranks above the post left) is checked, in addition, against the
selection rules of the target: the principal shortlist set for a 校级正职 post, the mid-level competition set
for any other post.
"""

from __future__ import annotations

import datetime as dt

EXCHANGE_PURPOSE = "exchange_move"
DEFAULT_ITEMS = [("in_active_employment", {}), ("max_age", {"max_age": 55})]

LEVEL_RANK = {"staff": 0, "middle_deputy": 1, "middle_head": 2, "school_deputy": 3, "school_head": 4}


def is_promotion(from_level: str, to_level: str) -> bool:
    return LEVEL_RANK.get(to_level, 0) > LEVEL_RANK.get(from_level, 0)


def load_default_exchange_rule_set(RuleSet, RuleSetItem) -> bool:
    """Create the default set if missing (data migration and transactional tests); True when it was made."""
    rule_set, created = RuleSet.objects.get_or_create(
        purpose=EXCHANGE_PURPOSE,
        effective_from=dt.date(2014, 1, 1),
        defaults={
            "name": "干部交流轮岗基本条件",
            "basis": "《事业单位领导人员管理规定》；区中小学校长交流轮岗实施办法（本地）",
        },
    )
    if created:
        for position, (code, params) in enumerate(DEFAULT_ITEMS):
            RuleSetItem.objects.create(rule_set=rule_set, rule_code=code, params=dict(params), position=position)
    return created
