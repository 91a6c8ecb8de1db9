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
    reason: str = ""  # the record alone, without the purpose ("受警告处理（…），影响期至…")


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
    def purpose_label(self) -> str:
        return _purpose_label(self.purpose)

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
    return veto_from_records(
        person_id=person.pk,
        assessments=EthicsAssessment.objects.filter(person=person, grade=EthicsGrade.FAILED, decided_on__lte=on),
        sanctions=Sanction.objects.filter(person=person, start_date__lte=on),
        purpose=purpose,
        on=on,
        params=ethics_params(on),
    )


def veto_from_records(*, person_id: int, assessments, sanctions, purpose: str, on: dt.date, params) -> VetoResult:
    """The veto decision from already loaded records (pure: lists and the parameters in force)."""
    hits: list[VetoHit] = []
    label = _purpose_label(purpose)

    if purpose in params.matrix.get(ETHICS_FAILED, []):
        for assessment in assessments:
            if assessment.grade != EthicsGrade.FAILED or not assessment.decided_on or assessment.decided_on > on:
                continue
            until = add_months(assessment.decided_on, params.ethics_failed_months)
            if on < until:
                reason = _("%(y)d年度师德考核不合格（%(d)s确定）") % {
                    "y": assessment.year,
                    "d": assessment.decided_on.strftime("%Y年%m月%d日"),
                }
                sentence = _("%(r)s，%(until)s前不得%(p)s") % {
                    "r": reason,
                    "until": _last_blocked_day(until) + "（含）",
                    "p": label,
                }
                hits.append(VetoHit(assessment, until, sentence, reason))

    for sanction in sanctions:
        if not sanction.in_force_on(on):
            continue
        blocks = (
            purpose in (sanction.disqualified_from or [])
            if sanction.kind == "disqualification"
            else purpose in params.matrix.get(sanction.kind, [])
        )
        if not blocks:
            continue
        until = sanction.end_date
        if sanction.ended_on and (until is None or sanction.ended_on < until):
            until = sanction.ended_on
        until_text = _("长期") if until is None else _last_blocked_day(until) + "（含）"
        reason = _("受%(k)s处理（%(d)s决定%(doc)s），影响期至%(until)s") % {
            "k": sanction.get_kind_display(),
            "d": sanction.decided_on.strftime("%Y年%m月%d日"),
            "doc": f"，{sanction.document_number}" if sanction.document_number else "",
            "until": until_text,
        }
        hits.append(VetoHit(sanction, until, _("%(r)s，期间不得%(p)s") % {"r": reason, "p": label}, reason))
    return VetoResult(person_id, purpose, on, hits)


def veto_overview(person, *, on: dt.date) -> dict[str, VetoResult]:
    """The veto status for every purpose (a person's page shows this), in two queries."""
    assessments = list(EthicsAssessment.objects.filter(person=person, grade=EthicsGrade.FAILED, decided_on__lte=on))
    sanctions = list(Sanction.objects.filter(person=person, start_date__lte=on))
    params = ethics_params(on)
    return {
        purpose: veto_from_records(
            person_id=person.pk, assessments=assessments, sanctions=sanctions, purpose=purpose, on=on, params=params
        )
        for purpose in VetoPurpose.values
    }


@dataclass(frozen=True)
class BlockedPerson:
    person: object
    results: dict  # purpose -> VetoResult, blocked ones only

    @property
    def purpose_labels(self) -> list[str]:
        return [_purpose_label(p) for p in self.results]

    @property
    def reasons(self) -> list[str]:
        seen: dict[str, None] = {}
        for result in self.results.values():
            for hit in result.hits:
                seen.setdefault(hit.reason, None)
        return list(seen)


def blocked_people(people_qs, *, on: dt.date, purposes: list[str] | None = None) -> list[BlockedPerson]:
    """People of `people_qs` blocked on `on` for any of `purposes` (all by default), with their results.

    Loads candidate records in bulk: only people with a failed assessment or a sanction started by `on`.
    """
    purposes = purposes or list(VetoPurpose.values)
    params = ethics_params(on)
    assessments: dict[int, list] = {}
    for a in EthicsAssessment.objects.filter(person__in=people_qs, grade=EthicsGrade.FAILED, decided_on__lte=on):
        assessments.setdefault(a.person_id, []).append(a)
    sanctions: dict[int, list] = {}
    for s in Sanction.objects.filter(person__in=people_qs, start_date__lte=on):
        sanctions.setdefault(s.person_id, []).append(s)
    ids = set(assessments) | set(sanctions)
    rows = []
    for person in people_qs.filter(pk__in=ids).select_related("organization").order_by("organization__code", "name"):
        results = {
            p: veto_from_records(
                person_id=person.pk,
                assessments=assessments.get(person.pk, []),
                sanctions=sanctions.get(person.pk, []),
                purpose=p,
                on=on,
                params=params,
            )
            for p in purposes
        }
        blocked = {p: r for p, r in results.items() if r.blocked}
        if blocked:
            rows.append(BlockedPerson(person, blocked))
    return rows
