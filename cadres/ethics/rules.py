"""Ethics parameters as rule-set items (purpose `ethics`), edited by administrators in the admin.

These are parameter rules: they hold numbers and matrices, they do not check a person by themselves.
Defaults follow DOMAIN §6 and regulations.md §5; the set in force on a decision date is used.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ..rules.base import ParameterRule, RuleConfigError
from ..rules.registry import register
from .models import EthicsGrade, SanctionKind, SanctionRegime
from .purposes import VetoPurpose

ETHICS_PURPOSE = "ethics"
ETHICS_FAILED = "ethics_failed"  # the matrix key for a 不合格 师德考核

ALL_BLOCKING = [p.value for p in VetoPurpose]
PROMOTION_GATES = ["post_promotion", "reserve_entry", "shortlisting", "competition_registration"]

DEFAULT_PERIODS = {
    SanctionRegime.TEACHER.value: {
        "warning": 6,
        "demerit": 12,
        "post_grade_demotion": 24,
        "removal_from_post": 24,
        "expulsion": None,
        "admonition": 6,
        "disqualification": 24,
        "criticism": 0,
        "ordered_review": 0,
        "circulated_criticism": 0,
    },
    SanctionRegime.MANAGERIAL.value: {
        "warning": 6,
        "demerit": 12,
        "major_demerit": 18,
        "demotion": 24,
        "removal_from_post": 24,
        "expulsion": None,
        "admonition": 6,
        "disqualification": 24,
        "criticism": 0,
        "ordered_review": 0,
        "circulated_criticism": 0,
    },
}

DEFAULT_MATRIX = {
    ETHICS_FAILED: ALL_BLOCKING,
    "warning": [p for p in ALL_BLOCKING if p not in ("title_promotion", "appraisal_grade")],
    "demerit": ALL_BLOCKING,
    "major_demerit": ALL_BLOCKING,
    "demotion": ALL_BLOCKING,
    "post_grade_demotion": ALL_BLOCKING,
    "removal_from_post": ALL_BLOCKING,
    "expulsion": ALL_BLOCKING,
    "admonition": PROMOTION_GATES,
    "disqualification": [],  # a disqualification blocks exactly the purposes its record names
    "criticism": [],
    "ordered_review": [],
    "circulated_criticism": [],
}

# The best annual-appraisal grade allowed in the year of the record (and the next, where listed).
DEFAULT_APPRAISAL_CAPS = {
    ETHICS_FAILED: {"grade": "incompetent", "years": 1},
    "warning": {"grade": "competent", "years": 1},
    "demerit": {"grade": "unrated", "years": 1},
    "major_demerit": {"grade": "unrated", "years": 1},
    "demotion": {"grade": "unrated", "years": 2},
    "post_grade_demotion": {"grade": "unrated", "years": 2},
    "removal_from_post": {"grade": "unrated", "years": 2},
    "expulsion": {"grade": "incompetent", "years": 1},
}


def _check_purposes(code, purposes):
    unknown = set(purposes) - set(VetoPurpose.values)
    if unknown:
        raise RuleConfigError(f"{code}: 未知用途 {', '.join(sorted(unknown))}")


@register
class SanctionPeriods(ParameterRule):
    code = "sanction_periods"
    title = _("处分影响期（月）")
    params = {"periods": (dict, DEFAULT_PERIODS), "cap_months": (int, 48), "min_disqualification_months": (int, 24)}

    def validate_params(self) -> None:
        for regime, table in self.periods.items():
            if regime not in SanctionRegime.values:
                raise RuleConfigError(f"{self.code}: 未知适用规定 {regime}")
            for kind, months in table.items():
                if kind not in SanctionKind.values:
                    raise RuleConfigError(f"{self.code}: 未知处理种类 {kind}")
                if months is not None and (not isinstance(months, int) or months < 0):
                    raise RuleConfigError(f"{self.code}: {kind} 的月数须为非负整数或 null")


@register
class VetoMatrix(ParameterRule):
    code = "veto_matrix"
    title = _("一票否决矩阵")
    params = {"matrix": (dict, DEFAULT_MATRIX), "ethics_failed_months": (int, 12)}

    def validate_params(self) -> None:
        for key, purposes in self.matrix.items():
            if key != ETHICS_FAILED and key not in SanctionKind.values:
                raise RuleConfigError(f"{self.code}: 未知记录类别 {key}")
            _check_purposes(self.code, purposes)


@register
class AppraisalCaps(ParameterRule):
    code = "appraisal_caps"
    title = _("年度考核等次限制")
    params = {"caps": (dict, DEFAULT_APPRAISAL_CAPS)}


@register
class EthicsGradeScheme(ParameterRule):
    code = "ethics_grades"
    title = _("师德考核等次")
    params = {"grades": (list, [g.value for g in EthicsGrade])}

    def validate_params(self) -> None:
        unknown = set(self.grades) - set(EthicsGrade.values)
        if unknown or EthicsGrade.FAILED not in self.grades:
            raise RuleConfigError(f"{self.code}: 等次须取自 {', '.join(EthicsGrade.values)}，且须含不合格")


@register
class CaseDeadlines(ParameterRule):
    code = "case_deadlines"
    title = _("复核申诉期限")
    params = {
        "review_apply_days": (int, 30),
        "review_answer_days": (int, 30),
        "appeal_apply_days": (int, 30),
        "appeal_decide_days": (int, 60),
        "appeal_extension_days": (int, 30),
        "working_days": (bool, False),
    }


DEFAULT_ETHICS_ITEMS = [
    ("sanction_periods", {"periods": DEFAULT_PERIODS, "cap_months": 48, "min_disqualification_months": 24}),
    ("veto_matrix", {"matrix": DEFAULT_MATRIX, "ethics_failed_months": 12}),
    ("appraisal_caps", {"caps": DEFAULT_APPRAISAL_CAPS}),
    ("ethics_grades", {"grades": [g.value for g in EthicsGrade]}),
    ("case_deadlines", {}),
]


def load_default_ethics_rule_set(RuleSet, RuleSetItem) -> bool:
    """Create the default ethics rule set if missing (used by a data migration and by tests); True if made."""
    rule_set, created = RuleSet.objects.get_or_create(
        purpose=ETHICS_PURPOSE,
        effective_from="2018-11-08",
        defaults={
            "name": "师德处理与一票否决（2018处理办法）",
            "basis": (
                "《中小学教师违反职业道德行为处理办法（2018年修订）》；《事业单位工作人员处分规定》（2023）；政务处分法"
            ),
        },
    )
    if created:
        for position, (code, params) in enumerate(DEFAULT_ETHICS_ITEMS):
            RuleSetItem.objects.create(rule_set=rule_set, rule_code=code, params=params, position=position)
    return created
