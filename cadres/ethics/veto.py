"""The one-vote veto service: is this person blocked for purpose P on date D, by which record, until when.

Every workflow asks `veto_status` at its gates. Records that block:
- a 师德考核 graded 不合格, from its decision date for `ethics_failed_months` (rule set);
- a sanction in force on D, for the purposes the matrix lists for its kind (a disqualification blocks
  exactly the purposes its record names). A sanction stays in force during review and appeal; one that is
  annulled or replaced by a lighter one stops blocking on that decision's date, a lifted one at its end
  date. The matrix used is the one in force on D.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import EthicsAssessment, EthicsGrade, Sanction
from .params import ethics_params
from .periods import add_months
from .purposes import VetoPurpose
from .rules import ETHICS_FAILED


@dataclass(frozen=True)
class VetoHit:
    record: EthicsAssessment | Sanction
    until: dt.date | None  # exclusive; None = no end
    sentence: str


@dataclass(frozen=True)
class VetoResult:
    person_id: int
    purpose: str
    on: dt.date
    hits: list[VetoHit] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return bool(self.hits)

    @property
    def until(self) -> dt.date | None:
        """When the last blocking record stops blocking (None if one never does, or nothing blocks)."""
        if not self.hits or any(h.until is None for h in self.hits):
            return None
        return max(h.until for h in self.hits)

    @property
    def sentence(self) -> str:
        if not self.hits:
            return _("无师德一票否决情形。")
        return "；".join(h.sentence for h in self.hits)


def _last_blocked_day(until: dt.date | None) -> str:
    if until is None:
        return _("长期")
    return (until - dt.timedelta(days=1)).strftime("%Y年%m月%d日")


def _purpose_label(purpose: str) -> str:
    return str(VetoPurpose(purpose).label)


def veto_status(person, *, purpose: str, on: dt.date) -> VetoResult:
    """Whether `person` is blocked for `purpose` on `on`, with every blocking record and a Chinese sentence."""
    if purpose not in VetoPurpose.values:
        raise ValueError(f"unknown veto purpose: {purpose}")
    params = ethics_params(on)
    hits: list[VetoHit] = []
    label = _purpose_label(purpose)

    if purpose in params.matrix.get(ETHICS_FAILED, []):
        for assessment in EthicsAssessment.objects.filter(
            person=person, grade=EthicsGrade.FAILED, decided_on__isnull=False, decided_on__lte=on
        ):
            until = add_months(assessment.decided_on, params.ethics_failed_months)
            if on < until:
                hits.append(
                    VetoHit(
                        assessment,
                        until,
                        _("%(y)d年度师德考核不合格（%(d)s确定），%(until)s前不得%(p)s")
                        % {
                            "y": assessment.year,
                            "d": assessment.decided_on.strftime("%Y年%m月%d日"),
                            "until": _last_blocked_day(until) + "（含）",
                            "p": label,
                        },
                    )
                )

    for sanction in Sanction.objects.filter(person=person, start_date__lte=on):
        if not sanction.in_force_on(on):
            continue
        blocks = (
            purpose in (sanction.disqualified_from or [])
            if sanction.kind == "disqualification"
            else purpose in params.matrix.get(sanction.kind, [])
        )
        if not blocks:
            continue
        until = sanction.ended_on if sanction.ended_on and sanction.end_date is None else sanction.end_date
        until_text = _("长期") if until is None else _last_blocked_day(until) + "（含）"
        hits.append(
            VetoHit(
                sanction,
                until,
                _("受%(k)s处理（%(d)s决定%(doc)s），影响期至%(until)s，期间不得%(p)s")
                % {
                    "k": sanction.get_kind_display(),
                    "d": sanction.decided_on.strftime("%Y年%m月%d日"),
                    "doc": f"，{sanction.document_number}" if sanction.document_number else "",
                    "until": until_text,
                    "p": label,
                },
            )
        )
    return VetoResult(person.pk, purpose, on, hits)


def veto_overview(person, *, on: dt.date) -> dict[str, VetoResult]:
    """The veto status for every purpose (a person's page shows this)."""
    return {purpose: veto_status(person, purpose=purpose, on=on) for purpose in VetoPurpose.values}
