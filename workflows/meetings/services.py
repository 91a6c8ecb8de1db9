"""The one meeting service: record a 党组织会议 of any case, and the objections of its 公示.

`meeting_record` does what every decision meeting shares (regulations.md §1.5, §8.1; DOMAIN §7): a meeting,
never a circulated signature; attendance; a member who is an item's subject or the subject's kin is recused
automatically (their view on that item is not counted, the row says why); every present, non-recused member
states a view on every item; the count by `workflows.common.voting`; then the rows and the tally are stored
and the meeting returned. The flows keep their own gates (state, dates, rule and veto checks, what a passed
item becomes) and their audit events; `vet` lets a flow refuse on the outcomes before anything is stored.
Refusals are `MeetingRefused` (codes "circulated", "no_attendance", "no_members", "stray", "no_quorum",
"vote_missing", "absent_vote", "unknown_vote", "finding"); a flow passes them on as its own.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cadres.recusal import kin_ids, person_recusal_reason
from cadres.refusals import Refusal
from workflows.common import publicity, voting
from workflows.common.recusal import Exclusion, record_exclusions

from .models import Form, Meeting, MeetingVote, Objection, ObjectionStatus, Purpose, Vote

__all__ = [
    "Form",
    "Item",
    "Meeting",
    "MeetingRefused",
    "Member",
    "Objection",
    "Purpose",
    "check_form",
    "meeting_record",
    "objection_record",
    "objection_resolve",
    "objection_states",
    "recusals",
]


class MeetingRefused(Refusal, ValueError):
    """A meeting or an objection that cannot be recorded; `code` names the rule."""


@dataclass(frozen=True)
class Member:
    """A member due to attend: `key` is how the flow's votes name them, `label` how the record does."""

    key: Hashable
    label: str
    person: Any = None  # cadres.Person, for recusal and the row
    user: Any = None  # the member's account, when members are users


@dataclass(frozen=True)
class Item:
    """What is voted on: `key` names it in the votes and the tally (a candidate id, "plan"); `subject` is
    the person it is about, whose kin are recused."""

    key: str
    label: str
    subject: Any = None


def _unique_labels(members: Sequence[Member]) -> dict[Hashable, str]:
    labels: dict[Hashable, str] = {}
    seen: dict[str, int] = {}
    for m in members:
        n = seen[m.label] = seen.get(m.label, 0) + 1
        labels[m.key] = m.label if n == 1 else f"{m.label}（{n}）"
    return labels


def check_form(form: str, present) -> None:
    """A meeting with its attendance: refuses ("circulated") a circulated signature and ("no_attendance") a
    record nobody attended (asked first, before the members are looked at)."""
    if form != Form.MEETING:
        raise MeetingRefused(_("研究人事事项须召开党组织会议集体讨论，传签、传阅不能代替会议。"), "circulated")
    if not present:
        raise MeetingRefused(_("会议记录须有出席人员；没有出席记录的不能视为召开了会议。"), "no_attendance")


def meeting_record(
    *,
    process,
    purpose: str,
    held_on,
    name: str,
    members: Iterable[Member],
    present: Iterable[Member],
    items: Sequence[Item],
    votes: Mapping[Hashable, Mapping[str, str]],
    recorded_by,
    ratio: Fraction | str = Fraction(2, 3),
    form: str = Form.MEETING,
    reconsideration: bool = False,
    vet: Callable[[dict[str, str]], None] | None = None,
    audit_context: str = "",
) -> Meeting:
    """Check, count and store one meeting; `votes` is member key → {item key → agree/disagree/defer}.

    A vote on an item not in `items` is ignored (a later meeting votes on the deferred items only). With
    `audit_context`, each automatic recusal is also written to the audit chain (action "recused").
    """
    members = list(dict.fromkeys(members))
    present = list(dict.fromkeys(present))
    check_form(form, present)
    if not members:
        raise MeetingRefused(_("须列出应到会成员。"), "no_members")
    keys = {m.key for m in members}
    stray = [p.label for p in present if p.key not in keys]
    if stray:
        raise MeetingRefused(_("实到人员不在应到成员中：%(names)s"), "stray", {"names": "、".join(stray)})
    if any(who not in keys for who in votes):
        raise MeetingRefused(_("表决人不在应到成员中。"), "stray")
    ratio = Fraction(ratio)
    labels = _unique_labels(members)
    present_keys = {p.key for p in present}
    found: dict[tuple[Hashable, str], str] = {}  # (member key, item key) → reason
    for item in items:
        if item.subject is None:
            continue
        kin = kin_ids(item.subject.pk)
        for m in members:
            with translation.override("zh-hans"):  # stored on the row: in Chinese, as the record is
                reason = person_recusal_reason(getattr(m.person, "pk", None), item.subject, kin)
            if reason:
                found[(m.key, item.key)] = reason
    views = {m.key: {str(k): v for k, v in votes.get(m.key, {}).items()} for m in members}
    silent = [
        _("%(member)s未对%(person)s表态") % {"member": labels[m.key], "person": item.label}
        for item in items
        for m in members
        if m.key in present_keys and (m.key, item.key) not in found and item.key not in views[m.key]
    ]
    if silent and voting.has_quorum(due=len(members), present=len(present), ratio=ratio):
        raise MeetingRefused(_("到会成员须逐一表态（同意、不同意或缓议）："), "vote_missing", reasons=silent)
    counted = {
        labels[m.key]: {
            i.key: views[m.key][i.key] for i in items if i.key in views[m.key] and (m.key, i.key) not in found
        }
        for m in members
    }
    try:
        result = voting.tally(
            due=len(members),
            present=[labels[p.key] for p in present],
            votes={who: v for who, v in counted.items() if v},
            recused={i.key: [labels[m.key] for m in members if (m.key, i.key) in found] for i in items},
            ratio=ratio,
        )
    except voting.VotingError as exc:
        raise MeetingRefused(exc.template, exc.code, exc.params) from exc
    counts = {t.candidate: t for t in result.candidates}
    rows = []
    for item in items:
        t = counts.get(item.key)
        rows.append(
            {
                "item": item.key,
                "label": item.label,
                "agree": t.agree if t else 0,
                "disagree": t.disagree if t else 0,
                "defer": t.defer if t else 0,
                "outcome": t.outcome if t else voting.FAILED,
            }
        )
    if vet is not None:
        vet({r["item"]: r["outcome"] for r in rows})
    meeting = Meeting.objects.create(
        process=process,
        purpose=purpose,
        held_on=held_on,
        name=name,
        form=form,
        due=result.due,
        present=result.present,
        quorum_ratio=f"{ratio.numerator}/{ratio.denominator}",
        reconsideration=reconsideration,
        recorded_by=recorded_by,
        tally={
            "due": result.due,
            "present": result.present,
            "quorum": result.quorum,
            "items": rows,
            "recused": {k: v for k, v in result.recused.items() if v},
        },
    )
    MeetingVote.objects.bulk_create(
        MeetingVote(
            meeting=meeting,
            member_label=labels[m.key],
            member_user=m.user,
            member_person=m.person,
            item=item.key,
            item_label=item.label,
            subject=item.subject,
            vote=vote,
            reason=reason,
        )
        for m in members
        for item in items
        for vote, reason in [_row(m, item, found, present_keys, views)]
        if vote
    )
    if audit_context:
        excluded = [
            Exclusion(getattr(m.user, "pk", None), labels[m.key], i.subject.pk, i.subject.name, found[(m.key, i.key)])
            for m in members
            for i in items
            if (m.key, i.key) in found
        ]
        record_exclusions(excluded, actor=recorded_by, obj=process, context=audit_context)
    return meeting


def _row(member: Member, item: Item, found, present_keys, views) -> tuple[str, str]:
    if (member.key, item.key) in found:
        return Vote.RECUSED, found[(member.key, item.key)]
    if member.key not in present_keys:
        return Vote.ABSENT, ""
    return views[member.key].get(item.key, ""), ""


def recusals(meeting: Meeting) -> list[MeetingVote]:
    """The stored recusal rows of a meeting (member, item, reason), in order."""
    return list(meeting.votes.filter(vote=Vote.RECUSED).order_by("id"))


# --- 公示 objections ----------------------------------------------------------------------------------------


def objection_record(*, process, subject, received_on, content: str, recorded_by) -> Objection:
    return Objection.objects.create(
        process=process, subject=subject, received_on=received_on, content=content, recorded_by=recorded_by
    )


def objection_resolve(*, objection: Objection, upheld: bool, finding: str, resolved_by) -> Objection:
    """Clear or uphold an objection; refuses ("finding") without a written finding."""
    if not finding.strip():
        raise MeetingRefused(_("须写明核查结论。"), "finding")
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.CLEARED
    objection.finding = finding
    objection.resolved_by = resolved_by
    objection.resolved_at = timezone.now()
    objection.save(update_fields=["status", "finding", "resolved_by", "resolved_at"])
    return objection


def objection_states(process, subject) -> list[publicity.ObjectionState]:
    """The objections about `subject` in `process`, as `publicity.check_appointable` reads them."""
    return [
        publicity.ObjectionState(o.status, o.finding)
        for o in Objection.objects.filter(process=process, subject=subject)
    ]


# --- Reading a stored meeting -------------------------------------------------------------------------------

VOTE_TEXT = {Vote.AGREE: "同意", Vote.DISAGREE: "不同意", Vote.DEFER: "缓议"}


def sheet_members(meeting: Meeting, *, role: str = "") -> list[dict]:
    """The vote sheet's member rows from the stored rows: present or absent, recusals with their reason, and
    each view by item label (the shape `dossiers.content.vote_sheet` reads)."""
    rows = list(meeting.votes.order_by("id"))
    members = []
    for label in dict.fromkeys(v.member_label for v in rows):
        mine = [v for v in rows if v.member_label == label]
        absent = any(v.vote == Vote.ABSENT for v in mine)
        entry: dict = {"name": label, "present": not absent}
        if role:
            entry["role"] = role
        if absent:
            entry["absence_reason"] = "缺席"
        else:
            recused = [v for v in mine if v.vote == Vote.RECUSED]
            if recused:
                entry["recused_for"] = [v.item_label for v in recused]
                entry["recusal_reason"] = recused[0].reason
            entry["votes"] = {v.item_label: VOTE_TEXT[v.vote] for v in mine if v.vote in VOTE_TEXT}
        members.append(entry)
    return members
