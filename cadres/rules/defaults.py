"""The default rule sets (DOMAIN §3–§5), loaded by a data migration; administrators edit them afterwards."""

from __future__ import annotations

import datetime as dt

from .purposes import Purpose

_HEAD = "school_head"
_DEPUTY = "school_deputy"

# The principal-selection qualifications depend on the post's level (条例 2019 第八条): a 正职 (校长, 书记)
# from a 副职 after ≥ 2 years as 副职; a 副职 (副校长) from the next level's 正职 (中层正职) after ≥ 3 years.
_SHORTLIST_2014 = [
    ("in_active_employment", {}),
    ("min_work_years", {"years": 5}),
    ("min_education", {"level": "junior_college", "secondary_level": "bachelor"}),
    ("min_title", {"title": "first"}),
    ("max_age", {"max_age": 45}),
    ("appraisal_not_below", {"grade": "competent", "years": 3}),
    ("not_naked_official", {}),
]
_SHORTLIST_2019 = [
    ("in_active_employment", {}),
    ("min_work_years", {"years": 5}),
    ("min_education", {"level": "junior_college", "secondary_level": "bachelor"}),
    ("min_title", {"title": "first"}),
    ("max_age", {"max_age": 45}),
    ("appraisal_not_below", {"grade": "competent", "years": 1}),
    ("not_naked_official", {}),
]


def _with(items, position: int, rule):
    return [*items[:position], rule, *items[position:]]


# (purpose, name, basis, effective_from, effective_to, [(rule_code, params), ...], post level or "" for all)
DEFAULT_RULE_SETS = [
    (
        Purpose.PRINCIPAL_SHORTLIST,
        "校长选拔考察对象资格（2014条例）",
        "《党政领导干部选拔任用工作条例》（2014）",
        dt.date(2014, 1, 15),
        dt.date(2019, 3, 16),
        _with(_SHORTLIST_2014, 2, ("min_years_as_deputy", {"years": 2})),
        _HEAD,
    ),
    (
        Purpose.PRINCIPAL_SHORTLIST,
        "副校长选拔考察对象资格（2014条例）",
        "《党政领导干部选拔任用工作条例》（2014）",
        dt.date(2014, 1, 15),
        dt.date(2019, 3, 16),
        _with(_SHORTLIST_2014, 2, ("min_years_as_middle_head", {"years": 3})),
        _DEPUTY,
    ),
    (
        Purpose.PRINCIPAL_SHORTLIST,
        "校长选拔考察对象资格（2019条例）",
        "《党政领导干部选拔任用工作条例》（2019）第八条、第二十四条",
        dt.date(2019, 3, 17),
        None,
        _with(_SHORTLIST_2019, 2, ("min_years_as_deputy", {"years": 2})),
        _HEAD,
    ),
    (
        Purpose.PRINCIPAL_SHORTLIST,
        "副校长选拔考察对象资格（2019条例）",
        "《党政领导干部选拔任用工作条例》（2019）第八条、第二十四条",
        dt.date(2019, 3, 17),
        None,
        _with(_SHORTLIST_2019, 2, ("min_years_as_middle_head", {"years": 3})),
        _DEPUTY,
    ),
    (
        Purpose.RESERVE_ENTRY,
        "后备干部入库条件",
        "区委教育工委后备干部管理办法（本地）",
        dt.date(2014, 1, 1),
        None,
        [
            ("in_active_employment", {}),
            ("max_age", {"max_age": 45}),
            ("min_education", {"level": "bachelor"}),
            ("min_title", {"title": "first"}),
            ("min_years_in_current_post", {"years": 1}),
            ("appraisal_not_below", {"grade": "competent", "years": 3}),
        ],
        "",
    ),
    (
        Purpose.COMPETITION_REGISTRATION,
        "中层竞聘报名基本条件",
        "学校中层干部竞聘上岗实施办法（本地）",
        dt.date(2014, 1, 1),
        None,
        [
            ("in_active_employment", {}),
            ("min_title", {"title": "first"}),
            ("appraisal_not_below", {"grade": "competent", "years": 3}),
        ],
        "",
    ),
]


def load_default_rule_sets(RuleSet, RuleSetItem) -> int:
    """Create the default sets that are missing (by purpose, post level and start date); return how many were
    made. Run by migration 0002 before rule sets had a post level: it then makes only the level-less sets,
    and migration 0011 the rest."""
    made = 0
    has_level = any(f.name == "post_level" for f in RuleSet._meta.get_fields())
    for purpose, name, basis, start, end, items, level in DEFAULT_RULE_SETS:
        if level and not has_level:
            continue
        rule_set, created = RuleSet.objects.get_or_create(
            purpose=str(purpose),
            effective_from=start,
            **({"post_level": level} if has_level else {}),
            defaults={"name": name, "basis": basis, "effective_to": end},
        )
        if created:
            made += 1
            for position, (code, params) in enumerate(items):
                RuleSetItem.objects.create(rule_set=rule_set, rule_code=code, params=params, position=position)
    return made


CADRE_EVALUATION_ITEMS = [
    (
        "cadre_evaluation_params",
        {
            "excellent_share_percent": 20,
            "excellent_rounding": "floor_min_one",
            "incompetent_once": True,
            "basic_consecutive_years": 2,
            "term_years": 3,
            "publicity_workdays": 5,
            "term_review_window_months": 6,
            "levels": ["school_head", "school_deputy", "middle_head", "middle_deputy"],
        },
    ),
]


def load_default_evaluation_rule_set(RuleSet, RuleSetItem) -> bool:
    """Create the default `cadre_evaluation` rule set if missing (data migration 0008, tests); True if made."""
    rule_set, created = RuleSet.objects.get_or_create(
        purpose=str(Purpose.CADRE_EVALUATION),
        effective_from=dt.date(2014, 1, 1),
        defaults={
            "name": "干部年度考核与任期制参数",
            "basis": "《事业单位工作人员考核规定》（2023）；区委教育工委中小学校领导人员管理办法（本地）",
        },
    )
    if created:
        for position, (code, params) in enumerate(CADRE_EVALUATION_ITEMS):
            RuleSetItem.objects.create(rule_set=rule_set, rule_code=code, params=params, position=position)
    return created
