"""Writes of electronic ballots: create, open (issue codes), cast, record paper counts, close (count and apply).

Every officer action is one transaction with one round-level audit event on the case (created, opened with the
number of codes, paper counts recorded, closed with the totals). Casting writes no audit event and no log line:
an event per ballot would carry a time, which is exactly what the ballot rows leave out.
Refusals raise `BallotRefused` (a ValidationError) with a `code` and a Chinese message.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from cadres.refusals import Refusal
from workflows.principal_selection.models import ACTIVE_STATUSES, CaseState, RoundForm

from . import codes
from .models import (
    Ballot,
    BallotCandidate,
    BallotCode,
    BallotKind,
    BallotRound,
    Grade,
    RoundState,
    VoterCategory,
)

# Titles and tallies are documents of record, written in Chinese whatever the officer's page language.
FORM_NAMES = {RoundForm.TALK: "谈话调研推荐", RoundForm.MEETING: "会议推荐"}
GRADE_NAMES = {Grade.EXCELLENT: "优秀", Grade.COMPETENT: "称职", Grade.BASIC: "基本称职", Grade.INCOMPETENT: "不称职"}
MAX_DUE = 2000  # one meeting; more is a typing error, and the slips must stay printable


class BallotRefused(Refusal, ValidationError):
    """A rule said no: `code` names it, the message says why in Chinese."""


def _event(rnd: BallotRound, acting_user, action: str, **payload):
    return record_event(
        actor=acting_user,
        action=f"principal_selection.ballot_{action}",
        obj=rnd.case,
        to_state=rnd.state,
        payload={"round": rnd.pk, "title": rnd.title, **payload},
    )


def _description(person) -> str:
    tenure = person.tenures.filter(end_date__isnull=True).select_related("post__organization").first()
    if tenure is not None:
        return str(tenure.post)
    return person.organization.name if getattr(person, "organization_id", None) else ""


def _check_categories(categories: list[dict]) -> list[dict]:
    if not categories:
        raise BallotRefused(_("须至少有一个投票人类别。"), "categories")
    names = [str(c["name"]).strip() for c in categories]
    if any(not n for n in names) or len(set(names)) != len(names):
        raise BallotRefused(_("投票人类别名称不能为空，也不能重复。"), "categories")
    if any(int(c["due"]) < 1 for c in categories):
        raise BallotRefused(_("每个类别的应到人数至少为1。"), "categories")
    if sum(int(c["due"]) for c in categories) > MAX_DUE:
        raise BallotRefused(_("应到人数合计不能超过%(n)d人。") % {"n": MAX_DUE}, "categories")
    return [{"name": n, "due": int(c["due"])} for n, c in zip(names, categories, strict=True)]


@transaction.atomic
def round_create(
    *,
    case,
    acting_user,
    kind: str,
    held_on: dt.date,
    categories: list[dict],
    form: str = "",
    people=(),
    seats: int | None = None,
    candidate=None,
) -> BallotRound:
    """A draft round: a recommendation round (form, people, seats) or the 民主测评 of one active candidate.

    Refuses: "wrong_step" (the case is not at that step), "candidates", "seats", "categories", "exists".
    """
    categories = _check_categories(categories)
    if kind == BallotKind.RECOMMENDATION:
        if case.state != CaseState.PROPOSED:
            raise BallotRefused(_("本案已不在民主推荐阶段，不能建立推荐投票。"), "wrong_step")
        if form not in RoundForm.values:
            raise BallotRefused(_("请选择推荐方式。"), "form")
        people = list(dict.fromkeys(people))
        if not people:
            raise BallotRefused(_("须至少列出一名推荐人选。"), "candidates")
        seats = int(seats or case.posts_to_fill)
        if seats < 1 or seats > len(people):
            raise BallotRefused(_("应选人数须在1至候选人数之间。"), "seats")
        title = f"{case.post}{FORM_NAMES[form]}"
        rnd = BallotRound.objects.create(
            kind=kind, case=case, form=form, title=title, held_on=held_on, seats=seats, created_by=acting_user
        )
        BallotCandidate.objects.bulk_create(
            BallotCandidate(round=rnd, person=p, description=_description(p), order=i) for i, p in enumerate(people)
        )
    elif kind == BallotKind.EVALUATION:
        if candidate is None or candidate.case_id != case.pk or candidate.status not in ACTIVE_STATUSES:
            raise BallotRefused(_("测评对象须是本案的考察对象。"), "candidates")
        if BallotRound.objects.filter(candidate=candidate).exists():
            raise BallotRefused(_("%(name)s已有民主测评投票。") % {"name": candidate.person.name}, "exists")
        title = f"{candidate.person.name}同志民主测评"
        rnd = BallotRound.objects.create(
            kind=kind, case=case, candidate=candidate, title=title, held_on=held_on, seats=1, created_by=acting_user
        )
    else:
        raise BallotRefused(_("投票类别不正确。"), "kind")
    VoterCategory.objects.bulk_create(
        VoterCategory(round=rnd, name=c["name"], due=c["due"], order=i) for i, c in enumerate(categories)
    )
    _event(rnd, acting_user, "create", kind=rnd.get_kind_display(), seats=rnd.seats, categories=categories)
    return rnd


def _locked(rnd: BallotRound) -> BallotRound:
    return BallotRound.objects.select_for_update(of=("self",)).select_related("case__post__organization").get(pk=rnd.pk)


def _state_refusal(rnd: BallotRound, verb: str) -> BallotRefused:
    return BallotRefused(
        _("该投票现为“%(state)s”，不能%(verb)s。") % {"state": rnd.get_state_display(), "verb": verb}, "wrong_state"
    )


@transaction.atomic
def round_discard(*, rnd: BallotRound, acting_user) -> None:
    """Delete a round that was never opened (no code was issued)."""
    rnd = _locked(rnd)
    if rnd.state != RoundState.DRAFT:
        raise _state_refusal(rnd, _("删除"))
    _event(rnd, acting_user, "discard")
    rnd.delete()


@transaction.atomic
def round_open(*, rnd: BallotRound, acting_user) -> tuple[BallotRound, list[dict]]:
    """Open the round and issue as many codes per category as its 应到 number.

    Returns the round and the slips [{"code", "category"}] in print order. The plain codes are returned once
    and never stored: only their keyed hashes are. Refuses "wrong_state".
    """
    rnd = _locked(rnd)
    if rnd.state != RoundState.DRAFT:
        raise _state_refusal(rnd, _("开始"))
    slips, rows = [], []
    categories = list(rnd.categories.all())
    fresh = iter(codes.new_codes(sum(c.due for c in categories)))
    for category in categories:
        for _n in range(category.due):
            code = next(fresh)
            slips.append({"code": code, "category": category.name})
            rows.append(BallotCode(round=rnd, category=category, code_hash=codes.code_hash(code)))
    BallotCode.objects.bulk_create(rows)
    rnd.open()
    rnd.opened_by, rnd.opened_at = acting_user, timezone.now()
    rnd.save()
    _event(rnd, acting_user, "open", codes={c.name: c.due for c in categories})
    return rnd, slips


def _lock_round_shared(round_id: int) -> str:
    """The round's state, read under a lock that closing (FOR UPDATE) waits for and other casts do not."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT state FROM {BallotRound._meta.db_table} WHERE id = %s FOR SHARE", [round_id])
            return cursor.fetchone()[0]
    return BallotRound.objects.filter(pk=round_id).values_list("state", flat=True).get()


def clean_marks(rnd: BallotRound, marks) -> list:
    """The marks of one ballot, checked against the round: known choices, no repeats, no more than the seats.

    Refuses "overmarked" (more marks than places: the ballot is not cast) and "invalid_mark".
    """
    if rnd.kind == BallotKind.EVALUATION:
        grades = list(marks) if isinstance(marks, list | tuple) else [marks]
        if len(grades) != 1 or grades[0] not in Grade.values:
            raise BallotRefused(_("请在四个等次中选择一项。"), "invalid_mark")
        return grades
    ids = [int(m) for m in marks]
    if len(set(ids)) != len(ids) or not set(ids) <= set(rnd.candidates.values_list("id", flat=True)):
        raise BallotRefused(_("选票上有不在候选名单中的人选。"), "invalid_mark")
    if len(ids) > rnd.seats:
        raise BallotRefused(
            _("最多可选%(seats)d人，您选了%(n)d人，请减少后再提交。") % {"seats": rnd.seats, "n": len(ids)},
            "overmarked",
        )
    return sorted(ids)


@transaction.atomic
def ballot_cast(*, code_hash: str, marks) -> None:
    """Cast one ballot with the code whose hash is given, and spend the code, in one transaction.

    The code row is locked first, so two submissions of one code give exactly one ballot: the second waits,
    then finds the code spent ("spent"). The round's state is read under a shared lock, so a ballot is either
    counted by the close or refused as "not_open". Nothing returned, logged or audited identifies the ballot.
    """
    code = BallotCode.objects.select_for_update().filter(code_hash=code_hash).first()
    if code is None:
        raise BallotRefused(_("投票码无效，请核对后重新输入。"), "unknown")
    if code.spent:
        raise BallotRefused(_("该投票码已使用，不能再次投票。"), "spent")
    state = _lock_round_shared(code.round_id)
    if state != RoundState.OPEN:
        raise BallotRefused(_("投票已结束。") if state == RoundState.CLOSED else _("投票尚未开始。"), "not_open")
    rnd = BallotRound.objects.get(pk=code.round_id)
    chosen = clean_marks(rnd, marks)
    BallotCode.objects.filter(pk=code.pk).update(spent=True)
    Ballot.objects.create(round_id=code.round_id, category_id=code.category_id, marks=chosen, valid=True)


def _choice_keys(rnd: BallotRound) -> list[str]:
    if rnd.kind == BallotKind.EVALUATION:
        return list(Grade.values)
    return [str(pk) for pk in rnd.candidates.values_list("id", flat=True)]


@transaction.atomic
def paper_record(*, rnd: BallotRound, acting_user, category: VoterCategory, cast: int, invalid: int, marks: dict):
    """Record (replace) the paper ballots of one category: how many were cast, how many were 废票, and the marks
    of the valid ones per candidate or grade. Recorded with who entered them, and audited as 纸质票.

    Refuses "wrong_state" (only while open), "paper_counts" (figures that cannot come from that many slips:
    废票 more than cast, a candidate with more votes than valid slips, more marks than valid slips × places,
    an evaluation whose grades do not add up to the valid slips, or paper plus electronic above 应到).
    """
    rnd = _locked(rnd)
    if rnd.state != RoundState.OPEN:
        raise _state_refusal(rnd, _("录入纸质票"))
    category = VoterCategory.objects.select_for_update().get(pk=category.pk, round=rnd)
    cast, invalid = int(cast), int(invalid)
    valid = cast - invalid
    keys = _choice_keys(rnd)
    marks = {str(k): int(v) for k, v in marks.items() if int(v)}
    if cast < 0 or invalid < 0 or valid < 0:
        raise BallotRefused(_("废票数不能多于纸质票数。"), "paper_counts")
    if set(marks) - set(keys) or any(v < 0 for v in marks.values()):
        raise BallotRefused(_("纸质票计票有不在选票上的项目。"), "paper_counts")
    if rnd.kind == BallotKind.EVALUATION:
        if sum(marks.values()) != valid:
            raise BallotRefused(
                _("民主测评有效票%(valid)d张，各等次票数之和应等于有效票数。") % {"valid": valid}, "paper_counts"
            )
    else:
        if any(v > valid for v in marks.values()):
            raise BallotRefused(_("某人得票数多于有效纸质票数。"), "paper_counts")
        if sum(marks.values()) > valid * rnd.seats:
            raise BallotRefused(
                _("得票总数多于有效纸质票数与应选人数之积（%(v)d×%(s)d）。") % {"v": valid, "s": rnd.seats},
                "paper_counts",
            )
    electronic = category.codes.filter(spent=True).count()
    if electronic + cast > category.due:
        raise BallotRefused(
            _("%(name)s应到%(due)d人，已电子投票%(e)d人，纸质票不能超过%(left)d张。")
            % {"name": category.name, "due": category.due, "e": electronic, "left": category.due - electronic},
            "paper_counts",
        )
    category.paper_cast, category.paper_invalid, category.paper_marks = cast, invalid, marks
    category.paper_recorded_by, category.paper_recorded_at = acting_user, timezone.now()
    category.save()
    _event(rnd, acting_user, "paper", category=category.name, paper=cast, invalid=invalid)
    return category


def _share(n: int, attended: int) -> float:
    return round(100 * n / attended, 1) if attended else 0.0


def count(rnd: BallotRound) -> dict:
    """The tally of a round from its ballots and paper counts (called by the close, under its lock)."""
    ballots = list(rnd.ballots.values_list("category_id", "marks"))
    categories, attended, invalid = [], 0, 0
    per_category = dict(rnd.ballots.values_list("category_id").annotate(n=Count("id")).values_list("category_id", "n"))
    for cat in rnd.categories.all():
        electronic = per_category.get(cat.pk, 0)
        categories.append(
            {
                "name": cat.name,
                "due": cat.due,
                "electronic": electronic,
                "paper": cat.paper_cast,
                "invalid": cat.paper_invalid,
                "attended": electronic + cat.paper_cast,
            }
        )
        attended += electronic + cat.paper_cast
        invalid += cat.paper_invalid
    paper = {}
    for cat in rnd.categories.all():
        for key, n in cat.paper_marks.items():
            paper[key] = paper.get(key, 0) + int(n)
    electronic = {}
    for _category, marks in ballots:
        for mark in marks:
            electronic[str(mark)] = electronic.get(str(mark), 0) + 1
    rows = []
    if rnd.kind == BallotKind.EVALUATION:
        for grade in Grade:
            e, p = electronic.get(grade.value, 0), paper.get(grade.value, 0)
            rows.append(
                {"grade": GRADE_NAMES[grade.value], "key": grade.value, "electronic": e, "paper": p, "total": e + p}
            )
    else:
        for cand in rnd.candidates.select_related("person"):
            e, p = electronic.get(str(cand.pk), 0), paper.get(str(cand.pk), 0)
            rows.append(
                {
                    "person_id": cand.person_id,
                    "name": cand.person.name,
                    "unit": cand.description,
                    "electronic": e,
                    "paper": p,
                    "total": e + p,
                    "order": cand.order,
                }
            )
        rows.sort(key=lambda r: (-r["total"], r["order"]))
    for row in rows:
        row["share"] = _share(row["total"], attended)
    return {
        "categories": categories,
        "rows": rows,
        "due": sum(c["due"] for c in categories),
        "attended": attended,
        "electronic": len(ballots),
        "paper": sum(c["paper"] for c in categories),
        "invalid": invalid,
    }


def _apply(rnd: BallotRound, acting_user) -> None:
    """Hand the totals to the step exactly as if the officer had typed them; keep the step's refusal if any."""
    from workflows.principal_selection.services import SelectionRefused, recommendation_record

    results = rnd.results
    if rnd.kind == BallotKind.EVALUATION:
        rnd.applied, rnd.apply_error = True, ""  # read by the inspection form (selectors.evaluation_counts)
        return
    voters = [{"category": c["name"], "due": c["due"], "attended": c["attended"]} for c in results["categories"]]
    votes = {r["person_id"]: r["total"] for r in results["rows"] if r["total"]}
    try:
        with transaction.atomic():
            if rnd.case.state != CaseState.PROPOSED:
                raise SelectionRefused(_("本案已不在民主推荐阶段，计票结果未计入。"), "wrong_step")
            recommendation_record(
                case=rnd.case, acting_user=acting_user, form=rnd.form, held_on=rnd.held_on, voters=voters, votes=votes
            )
    except SelectionRefused as exc:
        rnd.applied, rnd.apply_error = False, "；".join(exc.messages)
    else:
        rnd.applied, rnd.apply_error = True, ""


@transaction.atomic
def round_close(*, rnd: BallotRound, acting_user) -> BallotRound:
    """Close the round, count it, and write the totals into the step.

    The round is locked, so no ballot is cast after the count. The totals (electronic + paper) go to the
    recommendation step through `recommendation_record` — its quorum and validity rules apply unchanged. If the
    step refuses (e.g. no quorum), the round stays closed and counted, `applied` is False and `apply_error` keeps
    the Chinese reason. Refuses "wrong_state", and "over_due" when a category has more ballots than 应到.
    """
    rnd = _locked(rnd)
    if rnd.state != RoundState.OPEN:
        raise _state_refusal(rnd, _("结束"))
    results = count(rnd)
    for cat in results["categories"]:
        if cat["attended"] > cat["due"]:
            raise BallotRefused(
                _("%(name)s应到%(due)d人，电子票与纸质票共%(n)d张，请核对纸质票。")
                % {"name": cat["name"], "due": cat["due"], "n": cat["attended"]},
                "over_due",
            )
    rnd.close()
    rnd.closed_by, rnd.closed_at = acting_user, timezone.now()
    rnd.results = results
    _event(
        rnd,
        acting_user,
        "close",
        due=results["due"],
        attended=results["attended"],
        electronic=results["electronic"],
        paper=results["paper"],
        invalid=results["invalid"],
        results=[{"name": r.get("name") or r["grade"], "votes": r["total"]} for r in results["rows"]],
    )
    _apply(rnd, acting_user)
    rnd.save()
    return rnd


def shuffled(slips: list[dict]) -> list[dict]:
    """Slips in print order: by category, each category's codes in random order."""
    rng = random.SystemRandom()
    out = []
    for name in dict.fromkeys(s["category"] for s in slips):
        group = [s for s in slips if s["category"] == name]
        rng.shuffle(group)
        out += group
    return out
