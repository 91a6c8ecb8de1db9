"""民主测评 counts: one data shape and one validation for the yearly 考核 and the 任期考核.

Shape: `attended` = {category: 实到人数} for the sitting (one per unit's year, or per term review), and each
cadre's `poll_counts` = {category: {"excellent": n, "competent": n, "basic": n, "incompetent": n}}.
Guarantees (`clean_poll`): only the known categories and grades, whole numbers ≥ 0, and per category the
four counts together at most that category's 实到 (a voter who marks nothing abstains). Refusals are
`ValidationError`s in Chinese naming the category and the numbers.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

POLL_CATEGORIES = [
    ("leaders", gettext_lazy("校领导班子成员")),
    ("cadres", gettext_lazy("中层干部")),
    ("staff", gettext_lazy("教职工代表")),
]
POLL_GRADES = [
    ("excellent", gettext_lazy("优秀")),
    ("competent", gettext_lazy("称职")),
    ("basic", gettext_lazy("基本称职")),
    ("incompetent", gettext_lazy("不称职")),
]
CATEGORY_KEYS = [k for k, _label in POLL_CATEGORIES]
GRADE_KEYS = [k for k, _label in POLL_GRADES]
CATEGORY_LABELS = dict(POLL_CATEGORIES)


def _count(value, what: str) -> int:
    if isinstance(value, bool):
        value = None
    if isinstance(value, str):
        value = value.strip() or 0
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(_("%(w)s须填写整数。") % {"w": what}, code="poll_not_number") from None
    if number < 0:
        raise ValidationError(_("%(w)s不能为负数。") % {"w": what}, code="poll_negative")
    return number


def clean_attended(attended: dict) -> dict[str, int]:
    """实到人数 per category, every known category present (missing ones count 0)."""
    unknown = set(attended or {}) - set(CATEGORY_KEYS)
    if unknown:
        raise ValidationError(_("未知的测评人员类别。"), code="poll_unknown_category")
    return {
        key: _count((attended or {}).get(key, 0), _("%(c)s实到人数") % {"c": CATEGORY_LABELS[key]})
        for key in CATEGORY_KEYS
    }


def clean_poll(attended: dict, counts: dict) -> dict[str, dict[str, int]]:
    """The counts, checked against `attended` (already cleaned or not); see the module docstring."""
    attended = clean_attended(attended)
    unknown = set(counts or {}) - set(CATEGORY_KEYS)
    if unknown:
        raise ValidationError(_("未知的测评人员类别。"), code="poll_unknown_category")
    cleaned = {}
    for key in CATEGORY_KEYS:
        row = (counts or {}).get(key) or {}
        if set(row) - set(GRADE_KEYS):
            raise ValidationError(_("未知的测评等次。"), code="poll_unknown_grade")
        label = CATEGORY_LABELS[key]
        cleaned[key] = {
            grade: _count(row.get(grade, 0), _("%(c)s“%(g)s”票数") % {"c": label, "g": glabel})
            for grade, glabel in POLL_GRADES
        }
        total = sum(cleaned[key].values())
        if total > attended[key]:
            raise ValidationError(
                _("%(c)s的测评票合计%(t)d张，多于实到人数%(a)d人。") % {"c": label, "t": total, "a": attended[key]},
                code="poll_over_attended",
            )
    return cleaned


def poll_totals(counts: dict) -> dict[str, int]:
    """The four counts summed over the categories."""
    return {grade: sum(int((counts or {}).get(k, {}).get(grade, 0)) for k in CATEGORY_KEYS) for grade in GRADE_KEYS}


class PollCounts(models.Model):
    """The 测评 counts of one person (yearly assessment or term review); validated by `clean_poll`."""

    poll_counts = models.JSONField(gettext_lazy("测评票数"), default=dict, blank=True)

    class Meta:
        abstract = True

    def set_poll(self, attended: dict, counts: dict) -> None:
        self.poll_counts = clean_poll(attended, counts)

    @property
    def has_poll(self) -> bool:
        return bool(self.poll_counts)

    def poll_totals(self) -> dict[str, int]:
        return poll_totals(self.poll_counts)
