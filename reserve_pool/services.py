"""Writes of the reserve pool. Every service is keyword-only, takes `acting_user`, runs in one transaction and
writes one audit event (with the entry's state before and after). `acting_user=None` is the system (the
daily command): only `reserve_entry_remove`, `reserve_entry_expire` and the daily functions accept it.

Each transition service, in this order: locks the entry row and refuses with `ReserveConflict` when the
entry passed in is stale (its state or version differs from the database: someone else acted first);
refuses a transition the state machine does not allow from the current state; checks role and scope
(`reserve_pool.policies`) and recusal (`cadres.recusal`: nobody acts on their own or their kin's entry);
then the rules the step needs (the `reserve_entry` rule set and the ethics veto, quotas, the near-term
share). A refusal raises before anything is written, so the entry stays as it was.

Where the rule sets are checked: nomination, assessment, admission, renewal, shortlisting and every
yearly-review decision but removal refuse a person the `reserve_entry` rule set or the veto refuses
(listing every reason). The qualification review *records* those findings (with the personal-matters
check) and never refuses on them: an entry whose review did not pass cannot be assessed, and the bureau
removes it with a reason.

Concurrency: the row lock (SELECT … FOR UPDATE on PostgreSQL) plus the version check make one of two
concurrent transitions win; the other gets the conflict message. Admission and yearly-review changes also
take one advisory lock for the pool's composition, so two admissions cannot both slip under a quota.

Error codes (ReserveError.code): conflict, wrong_state, not_permitted, recused, ineligible, no_rule_set,
review_not_passed, assessment_incomplete, quota_full, near_term_share, reason_required, already_live,
invalid_input, invalid_target, source_ref_required, profile_too_long, not_due, not_renewable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from cadres.choices import OrgKind, PostKind
from cadres.ethics.purposes import VetoPurpose
from cadres.ethics.veto import blocked_people, veto_status
from cadres.models import AnnualAppraisal, Organization, Person, Post
from cadres.recusal import recusal_reason
from cadres.roles import organization_of
from cadres.rules import NoRuleSetInForce, Purpose, evaluate
from cadres.step_dates import step_date_refusal

from . import policies, selectors, triggers
from .choices import (
    COUNTERPART_POST_KIND,
    LIVE_STATES,
    POOL_STATES,
    TARGET_POST_KINDS,
    EndTrigger,
    Horizon,
    Origin,
    ReserveKind,
    ReserveState,
    ReviewDecision,
    ReviewStatus,
)
from .exceptions import ReserveConflict, ReservePermissionDenied, ReserveRefused
from .models import PROFILE_MAX_CHARS, ReserveEntry, TrainingRecord, YearlyReview, profile_char_count
from .rules import ReservePoolParams, reserve_age_limit, reserve_pool_params

# Any constant works: it names the advisory lock that serialises changes of the pool's composition.
_POOL_LOCK_KEY = 0x_CADF_B001

# ----------------------------------------------------------------------------- helpers


def _today() -> dt.date:
    return timezone.localdate()


def _cn(day: dt.date) -> str:
    return day.strftime("%Y年%m月%d日")


def _state_label(state: str) -> str:
    return str(ReserveState(state).label)


def _lock_pool() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_POOL_LOCK_KEY])
    # SQLite serialises writers on its own.


def _locked(entry: ReserveEntry) -> ReserveEntry:
    """The entry's row, locked; ReserveConflict when `entry` no longer matches it."""
    current = (
        ReserveEntry.objects.select_for_update(of=("self",))
        .select_related("person", "person__organization", "organization", "target_post")
        .get(pk=entry.pk)
    )
    if current.version != entry.version or current.state != entry.state:
        raise ReserveConflict(
            _("%(name)s的后备干部记录已被他人修改（现为“%(state)s”），本次操作未执行，请刷新后重试。")
            % {"name": current.person.name, "state": _state_label(current.state)},
            code="conflict",
        )
    return current


def _transition_label(meta) -> str:
    for transition in meta.transitions.values():
        return str(transition.custom.get("label", transition.name))
    return ""


def _guard(entry: ReserveEntry, name: str, user, *, conditions: bool = True) -> None:
    """State, then role and scope, then recusal, then (unless the caller explains them itself) the
    transition's conditions. ReserveError on failure."""
    meta = getattr(entry, name)._django_fsm
    if not meta.has_transition(entry.state):
        raise ReserveRefused(
            _("%(name)s的后备干部记录现为“%(state)s”，不能%(action)s。")
            % {"name": entry.person.name, "state": _state_label(entry.state), "action": _transition_label(meta)},
            code="wrong_state",
        )
    transition = meta.get_transition(entry.state)
    if user is not None:
        reason = transition.permission.reason(entry, user)
        if reason:
            raise ReservePermissionDenied(reason, code="not_permitted")
        _check_recusal(user, entry.person)
    for condition in transition.conditions if conditions else []:
        if not condition(entry):
            raise ReserveRefused(str(condition.message), code=condition.code)


def _check_recusal(user, person: Person) -> None:
    reason = recusal_reason(user, person)
    if reason:
        raise ReservePermissionDenied(reason, code="recused")


def _validate(entry: ReserveEntry) -> None:
    """`full_clean` without re-assigning the protected state field, then the check constraints. The one live
    entry per person rule is left to the database, where a concurrent nomination surfaces as a conflict."""
    try:
        entry.full_clean(exclude=["state"], validate_constraints=False)
        entry.validate_constraints(exclude={"person"})
    except ValidationError as exc:
        raise ReserveRefused("；".join(exc.messages), code="invalid_input", reasons=exc.messages) from exc


def _save(
    entry: ReserveEntry, *, before: str, user, action: str, reason: str = "", payload: dict | None = None
) -> ReserveEntry:
    entry.version += 1
    _validate(entry)
    entry.save()
    record_event(
        actor=user,
        action=action,
        obj=entry,
        from_state=before,
        to_state=entry.state,
        reason=reason,
        payload={"entry": entry.pk, "person": entry.person_id, "version": entry.version, **(payload or {})},
    )
    return entry


def _finish(original: ReserveEntry, current: ReserveEntry) -> ReserveEntry:
    """Bring the caller's instance up to date (so it can be used for the next action) and return it."""
    if original is not current:
        original.refresh_from_db()
    return current


def _params(on: dt.date) -> ReservePoolParams:
    try:
        return reserve_pool_params(on)
    except NoRuleSetInForce as exc:
        raise ReserveRefused(str(exc), code="no_rule_set") from exc


def _eligibility(person: Person, on: dt.date):
    try:
        result = evaluate(person, purpose=Purpose.RESERVE_ENTRY, on=on)
        veto = veto_status(person, purpose=VetoPurpose.RESERVE_ENTRY, on=on)
    except NoRuleSetInForce as exc:
        raise ReserveRefused(str(exc), code="no_rule_set") from exc
    return result, veto


def _require_eligible(person: Person, on: dt.date, *, action: str) -> None:
    """Refuse (code ineligible) listing every rule-set refusal and every veto record."""
    result, veto = _eligibility(person, on)
    reasons = [r.message for r in result.refusals] + [hit.sentence for hit in veto.hits]
    if reasons:
        raise ReserveRefused(
            _("%(name)s不符合后备干部条件，不能%(action)s：%(reasons)s")
            % {"name": person.name, "action": action, "reasons": "；".join(reasons)},
            code="ineligible",
            reasons=reasons,
        )


def _require_quota(*, organization: Organization, post_kind: str, exclude_pk: int | None, params) -> dict:
    figure = selectors.quota_figure(
        organization=organization, post_kind=post_kind, params=params, exclude_pk=exclude_pk
    )
    if figure.used + 1 > figure.limit:
        raise ReserveRefused(
            _(
                "该校（%(org)s）%(post)s后备已有%(used)d人，限额%(limit)d人"
                "（%(post)s职数%(seats)d个，每个职位后备不超过%(per)d人），不能再增加。"
            )
            % {
                "org": organization.name,
                "post": PostKind(post_kind).label,
                "used": figure.used,
                "limit": figure.limit,
                "seats": figure.seats,
                "per": figure.per_post,
            },
            code="quota_full",
        )
    return figure.as_dict()


def _require_near_term_share(*, exclude_pk: int, horizon: str, params) -> dict:
    share = selectors.near_term_share(exclude_pk=exclude_pk, params=params).with_entry(horizon)
    if not share.met:
        raise ReserveRefused(
            _(
                "近期可提拔使用的后备干部须不少于全区后备干部的%(num)d/%(den)d：调整后全区后备干部共%(total)d人，"
                "其中近期可提拔使用%(near)d人，至少须%(need)d人。"
            )
            % {
                "num": share.numerator,
                "den": share.denominator,
                "total": share.total,
                "near": share.near_term,
                "need": share.required,
            },
            code="near_term_share",
        )
    return share.as_dict()


def _required_text(value: str, message: str, code: str = "invalid_input") -> str:
    value = (value or "").strip()
    if not value:
        raise ReserveRefused(message, code=code)
    return value


def _not_before(on: dt.date, earlier: dt.date | None, message: str) -> None:
    if earlier is not None and on < earlier:
        raise ReserveRefused(message % {"d": _cn(earlier)}, code="invalid_input")


def _not_future(on: dt.date, step: str) -> None:
    """A decisive step may not be dated after today (the pool and the registry would show it at once)."""
    refusal = step_date_refusal(on, what=_("%(step)s日期") % {"step": step}, today=_today())
    if refusal:
        message, code = refusal
        raise ReserveRefused(message, code=code)


def _veto_snapshot(veto) -> dict:
    return {
        "blocked": veto.blocked,
        "sentence": veto.sentence,
        "until": veto.until.isoformat() if veto.until else None,
    }


# ----------------------------------------------------------------------------- nomination and review


@transaction.atomic
def reserve_entry_nominate(
    *,
    acting_user,
    person: Person,
    origin: str,
    post_kind: str,
    horizon: str,
    kind: str | None = None,
    target_post: Post | None = None,
    organization: Organization | None = None,
    source_ref: str = "",
    note: str = "",
    on: dt.date | None = None,
) -> ReserveEntry:
    """Nominate `person` as a reserve for `post_kind` (of `target_post`, or of `organization`, else of the
    person's own school). Kind follows from the post category when not given.

    A school secretary nominates their own school's staff (学校党组织推荐); the bureau nominates anyone
    (教育局推荐, or 民主推荐 naming the recommendation in `source_ref`). Refused when the person already has a
    live entry, or fails the `reserve_entry` rule set or the veto on `on` (every reason listed).
    """
    on = on or _today()
    if origin not in Origin.values:
        raise ReserveRefused(_("推荐方式无效。"), code="invalid_input")
    if horizon not in Horizon.values:
        raise ReserveRefused(_("使用期限须为近期可提拔使用或中长期培养。"), code="invalid_input")
    if post_kind not in TARGET_POST_KINDS:
        raise ReserveRefused(_("该职务类别不能作为后备干部的拟任职务。"), code="invalid_target")
    kind = kind or TARGET_POST_KINDS[post_kind]
    if target_post is not None:
        organization = target_post.organization
    organization = organization or person.organization
    if organization.kind != OrgKind.SCHOOL:
        raise ReserveRefused(_("后备干部须对应学校的职位。"), code="invalid_target")

    refusal = policies.nomination_refusal(acting_user, person=person, origin=origin, organization=organization)
    if refusal:
        raise ReservePermissionDenied(refusal, code="not_permitted")
    _check_recusal(acting_user, person)
    source_ref = (source_ref or "").strip()
    if origin == Origin.DEMOCRATIC and not source_ref:
        raise ReserveRefused(_("民主推荐须注明推荐结果的来源（如推荐结果编号）。"), code="source_ref_required")
    live = ReserveEntry.objects.filter(person=person, state__in=LIVE_STATES).first()
    if live is not None:
        raise ReserveRefused(
            _("%(name)s已有后备干部记录（%(kind)s，%(state)s），不能重复提名。")
            % {"name": person.name, "kind": live.get_kind_display(), "state": live.get_state_display()},
            code="already_live",
        )
    _require_eligible(person, on, action=_("提名为后备干部"))

    entry = ReserveEntry(
        person=person,
        origin=origin,
        source_ref=source_ref,
        kind=kind,
        post_kind=post_kind,
        target_post=target_post,
        organization=organization,
        horizon=horizon,
        nominating_unit=organization_of(acting_user) or organization.parent or organization,
        nominated_by=acting_user,
        nominated_on=on,
        nomination_note=note or "",
    )
    _validate(entry)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:  # a concurrent nomination of the same person won
        raise ReserveConflict(
            _("%(name)s已被同时提名，本次提名未保存。") % {"name": person.name}, code="conflict"
        ) from exc
    record_event(
        actor=acting_user,
        action="reserve_entry_nominate",
        obj=entry,
        from_state="",
        to_state=entry.state,
        reason=note or "",
        payload={
            "entry": entry.pk,
            "person": person.pk,
            "origin": origin,
            "source_ref": source_ref,
            "kind": kind,
            "post_kind": post_kind,
            "horizon": horizon,
            "organization": organization.pk,
            "target_post": target_post.pk if target_post else None,
            "on": on,
        },
    )
    return entry


@transaction.atomic
def reserve_entry_submit_for_review(*, acting_user, entry: ReserveEntry, on: dt.date | None = None) -> ReserveEntry:
    """nominated → under_review, by the nominating school or the bureau."""
    current = _locked(entry)
    before = current.state
    _guard(current, "submit_for_review", acting_user)
    current.submit_for_review()
    _save(
        current,
        before=before,
        user=acting_user,
        action="reserve_entry_submit_for_review",
        payload={"on": on or _today()},
    )
    return _finish(entry, current)


@transaction.atomic
def reserve_entry_review(
    *,
    acting_user,
    entry: ReserveEntry,
    personal_matters_ok: bool,
    personal_matters_note: str = "",
    on: dt.date | None = None,
) -> ReserveEntry:
    """The bureau's qualification review (under_review, stays): records the `reserve_entry` rule set's
    refusals, the ethics veto and the personal-matters check (a mismatch must be explained) as of `on`, and
    whether the review passed. May be repeated after the registry is corrected; the last review counts.
    """
    on = on or _today()
    current = _locked(entry)
    before = current.state
    _guard(current, "record_review", acting_user)
    note = (personal_matters_note or "").strip()
    if not personal_matters_ok and not note:
        raise ReserveRefused(_("个人有关事项报告查核不相符的，须说明情况。"), code="reason_required")
    result, veto = _eligibility(current.person, on)
    refusals = [{"rule": r.rule_code, "message": r.message} for r in result.refusals]
    current.record_review(
        on=on,
        by=acting_user,
        rule_set_name=result.rule_set.name,
        refusals=refusals,
        veto=_veto_snapshot(veto),
        personal_matters_ok=bool(personal_matters_ok),
        personal_matters_note=note,
    )
    summary = (
        _("资格审查通过")
        if current.review_passed
        else _("资格审查未通过：%(r)s") % {"r": "；".join(selectors.review_reasons(current))}
    )
    _save(
        current,
        before=before,
        user=acting_user,
        action="reserve_entry_review",
        reason=summary,
        payload={"passed": current.review_passed, "refusals": refusals, "veto": current.review_veto, "on": on},
    )
    return _finish(entry, current)


@transaction.atomic
def reserve_entry_assess(
    *,
    acting_user,
    entry: ReserveEntry,
    talks_count: int,
    evaluation_summary: str,
    profile_text: str,
    on: dt.date | None = None,
) -> ReserveEntry:
    """under_review → assessed, after a passed review: the talks held, the evaluation and the 后备干部小传
    (at most 500 characters, counted as offices count 字数). Re-checks the rule set and the veto on `on`."""
    on = on or _today()
    current = _locked(entry)
    before = current.state
    _guard(current, "assess", acting_user, conditions=False)
    if current.reviewed_on is None:
        raise ReserveRefused(_("尚未进行资格审查，不能录入考察结果。"), code="review_not_passed")
    if not current.review_passed:
        reasons = selectors.review_reasons(current)
        raise ReserveRefused(
            _("资格审查未通过，不能录入考察结果：%(r)s") % {"r": "；".join(reasons)},
            code="review_not_passed",
            reasons=reasons,
        )
    if not isinstance(talks_count, int) or isinstance(talks_count, bool) or talks_count < 1:
        raise ReserveRefused(_("谈话人数须为正整数。"), code="invalid_input")
    evaluation_summary = _required_text(evaluation_summary, _("须填写考察评价。"))
    profile_text = _required_text(profile_text, _("须填写后备干部小传。"))
    count = profile_char_count(profile_text)
    if count > PROFILE_MAX_CHARS:
        raise ReserveRefused(
            _("后备干部小传不能超过%(m)d字，现有%(n)d字。") % {"m": PROFILE_MAX_CHARS, "n": count},
            code="profile_too_long",
        )
    _not_before(on, current.reviewed_on, _("考察日期不能早于资格审查日期（%(d)s）。"))
    _require_eligible(current.person, on, action=_("录入考察结果"))
    current.assess(
        on=on,
        by=acting_user,
        talks_count=talks_count,
        evaluation_summary=evaluation_summary,
        profile_text=profile_text,
    )
    _save(
        current,
        before=before,
        user=acting_user,
        action="reserve_entry_assess",
        payload={"talks_count": talks_count, "profile_chars": count, "on": on},
    )
    return _finish(entry, current)


# ----------------------------------------------------------------------------- admission and renewal


@transaction.atomic
def reserve_entry_admit(
    *,
    acting_user,
    entry: ReserveEntry,
    document_number: str,
    on: dt.date | None = None,
    horizon: str | None = None,
) -> ReserveEntry:
    """assessed → in_pool by the bureau's decision of `on` (document number required); valid for the rule
    set's years. Refused when the person fails the rule set or the veto on `on`, when the school's quota for
    the post category is full, or when a long-term admission would take near-term reserves below the share.
    """
    on = on or _today()
    _lock_pool()
    current = _locked(entry)
    before = current.state
    _guard(current, "admit", acting_user)
    document_number = _required_text(document_number, _("入库须有决定文号。"))
    horizon = horizon or current.horizon
    if horizon not in Horizon.values:
        raise ReserveRefused(_("使用期限须为近期可提拔使用或中长期培养。"), code="invalid_input")
    _not_future(on, _("入库决定"))
    _not_before(on, current.assessed_on, _("入库决定日期不能早于考察日期（%(d)s）。"))
    _require_eligible(current.person, on, action=_("决定入库"))
    params = _params(on)
    quota = _require_quota(
        organization=current.organization, post_kind=current.post_kind, exclude_pk=current.pk, params=params
    )
    share = None
    if horizon == Horizon.LONG_TERM:
        share = _require_near_term_share(exclude_pk=current.pk, horizon=horizon, params=params)
    valid_until = triggers.valid_until_from(on, params.validity_years)
    current.admit(on=on, by=acting_user, document_number=document_number, valid_until=valid_until, horizon=horizon)
    _save(
        current,
        before=before,
        user=acting_user,
        action="reserve_entry_admit",
        reason=document_number,
        payload={
            "on": on,
            "document_number": document_number,
            "valid_until": valid_until,
            "horizon": horizon,
            "quota": {k: quota[k] for k in ("seats", "per_post", "limit", "used")},
            "near_term_share": share,
            "rule_set": params.rule_set_name,
        },
    )
    return _finish(entry, current)


@transaction.atomic
def reserve_entry_renew(
    *, acting_user, entry: ReserveEntry, on: dt.date | None = None, document_number: str = ""
) -> ReserveEntry:
    """in_pool stays in_pool, valid for the rule set's years from `on`. Only before the validity has run out,
    and only for a person the rule set and the veto still accept."""
    on = on or _today()
    current = _locked(entry)
    before = current.state
    _guard(current, "renew", acting_user)
    if current.valid_until and on > current.valid_until:
        raise ReserveRefused(
            _("入库有效期已于%(d)s届满，不能续期，请重新提名。") % {"d": _cn(current.valid_until)}, code="not_renewable"
        )
    _require_eligible(current.person, on, action=_("续期"))
    params = _params(on)
    valid_until = triggers.valid_until_from(on, params.validity_years)
    if current.valid_until and valid_until <= current.valid_until:
        raise ReserveRefused(
            _("续期后的有效期（至%(new)s）不晚于现有效期（至%(old)s），无需续期。")
            % {"new": _cn(valid_until), "old": _cn(current.valid_until)},
            code="not_renewable",
        )
    old = current.valid_until
    current.renew(on=on, valid_until=valid_until)
    _save(
        current,
        before=before,
        user=acting_user,
        action="reserve_entry_renew",
        reason=document_number,
        payload={"on": on, "valid_until_before": old, "valid_until": valid_until, "document_number": document_number},
    )
    return _finish(entry, current)


# ----------------------------------------------------------------------------- use


@transaction.atomic
def reserve_entry_shortlist(*, acting_user, entry: ReserveEntry, ref: str, on: dt.date | None = None) -> ReserveEntry:
    """in_pool → shortlisted (已列为考察对象) for the selection named by `ref`; refused for a person the rule
    set or the veto refuses on `on`."""
    on = on or _today()
    current = _locked(entry)
    before = current.state
    _guard(current, "shortlist", acting_user)
    ref = _required_text(ref, _("列为考察对象须注明考察事项（如选拔任用案件编号）。"))
    _require_eligible(current.person, on, action=_("列为考察对象"))
    current.shortlist(on=on, ref=ref)
    _save(current, before=before, user=acting_user, action="reserve_entry_shortlist", reason=ref, payload={"on": on})
    return _finish(entry, current)


@transaction.atomic
def reserve_entry_return_to_pool(
    *, acting_user, entry: ReserveEntry, reason: str = "", on: dt.date | None = None
) -> ReserveEntry:
    """shortlisted → in_pool when the selection did not appoint the person."""
    current = _locked(entry)
    before = current.state
    _guard(current, "return_to_pool", acting_user)
    ref = current.shortlist_ref
    current.return_to_pool()
    _save(
        current,
        before=before,
        user=acting_user,
        action="reserve_entry_return_to_pool",
        reason=reason or "",
        payload={"shortlist_ref": ref, "on": on or _today()},
    )
    return _finish(entry, current)


@transaction.atomic
def reserve_entry_mark_used(
    *,
    acting_user,
    entry: ReserveEntry,
    on: dt.date | None = None,
    post: Post | None = None,
    document_number: str = "",
) -> ReserveEntry:
    """in_pool | shortlisted → used: the person was appointed (on `on`, to `post`, by `document_number`).

    Asked as of `on`, like the shortlisting: refused ("future_date") after today, ("ineligible") for a
    person the `reserve_entry` rule set or the RESERVE_ENTRY veto refuses (naming record and end date)."""
    on = on or _today()
    current = _locked(entry)
    before = current.state
    _guard(current, "mark_used", acting_user)
    _not_future(on, _("使用"))
    _require_eligible(current.person, on, action=_("使用"))
    current.mark_used(on=on, post=post, document_number=(document_number or "").strip())
    _save(
        current,
        before=before,
        user=acting_user,
        action="reserve_entry_mark_used",
        reason=document_number or "",
        payload={"on": on, "post": post.pk if post else None},
    )
    return _finish(entry, current)


# ----------------------------------------------------------------------------- ending


@transaction.atomic
def reserve_entry_remove(
    *,
    acting_user,
    entry: ReserveEntry,
    reason: str,
    on: dt.date | None = None,
    trigger: str | None = None,
    hits: list | None = None,
) -> ReserveEntry:
    """Any live state → removed (撤销资格), reason required. The bureau removes; a school withdraws its own
    nomination before submission (recorded as 撤回提名). `acting_user=None` is the daily command's automatic
    removal, with its `trigger` and `hits`."""
    on = on or _today()
    current = _locked(entry)
    before = current.state
    _guard(current, "remove", acting_user)
    reason = _required_text(reason, _("撤销资格须写明原因。"), code="reason_required")
    if trigger is None:
        trigger = EndTrigger.MANUAL if policies.is_officer(acting_user) else EndTrigger.WITHDRAWN
    current.remove(on=on, reason=reason, trigger=trigger)
    _save(
        current,
        before=before,
        user=acting_user,
        action="reserve_entry_remove",
        reason=reason,
        payload={
            "on": on,
            "trigger": trigger,
            "automatic": acting_user is None,
            "triggers": [hit.code for hit in hits or []],
        },
    )
    return _finish(entry, current)


@transaction.atomic
def reserve_entry_expire(
    *, acting_user, entry: ReserveEntry, on: dt.date | None = None, trigger: str | None = None, reason: str = ""
) -> ReserveEntry:
    """Any live state → expired, once due: an admission past `valid_until`, a nomination past the rule set's
    nomination validity. The daily command does this (`acting_user=None`); the bureau may too."""
    on = on or _today()
    current = _locked(entry)
    before = current.state
    _guard(current, "expire", acting_user)
    params = _params(on)
    hit = triggers.expiry_hit(
        state=current.state,
        valid_until=current.valid_until,
        nominated_on=current.nominated_on,
        on=on,
        nomination_months=params.nomination_months,
        include_shortlisted=True,
    )
    if hit is None:
        last_day = current.valid_until or (
            triggers.nomination_lapses_on(current.nominated_on, params.nomination_months) - dt.timedelta(days=1)
        )
        raise ReserveRefused(
            _("%(name)s的后备干部记录尚未到期（有效期至%(d)s）。") % {"name": current.person.name, "d": _cn(last_day)},
            code="not_due",
        )
    current.expire(on=on, trigger=trigger or hit.code)
    _save(
        current,
        before=before,
        user=acting_user,
        action="reserve_entry_expire",
        reason=reason or hit.reason,
        payload={"on": on, "trigger": trigger or hit.code, "automatic": acting_user is None},
    )
    return _finish(entry, current)


# ----------------------------------------------------------------------------- yearly review


@transaction.atomic
def reserve_entry_yearly_review(
    *,
    acting_user,
    entry: ReserveEntry,
    decision: str,
    reason: str = "",
    new_kind: str | None = None,
    new_post_kind: str | None = None,
    new_horizon: str | None = None,
    on: dt.date | None = None,
) -> YearlyReview:
    """Decide the pending yearly review of an admitted entry (or an ad-hoc one): keep it, change its kind
    (to `new_post_kind`, by default the counterpart category) or horizon, or remove it. Changes and removal
    need a reason. Keeping or changing re-checks the rule set and the veto; a change of kind checks the new
    category's quota, a move to long-term the near-term share. One audit event for the whole decision.
    """
    on = on or _today()
    if decision not in ReviewDecision.values:
        raise ReserveRefused(_("复核结论无效。"), code="invalid_input")
    if decision in (ReviewDecision.CHANGE_KIND, ReviewDecision.CHANGE_HORIZON):
        _lock_pool()
    current = _locked(entry)
    before = current.state
    if current.state not in POOL_STATES:
        raise ReserveRefused(
            _("年度复核只适用于在库的后备干部（%(name)s现为“%(state)s”）。")
            % {"name": current.person.name, "state": _state_label(current.state)},
            code="wrong_state",
        )
    _guard(current, "remove" if decision == ReviewDecision.REMOVE else "amend", acting_user)
    reason = (reason or "").strip()
    if decision != ReviewDecision.KEEP and not reason:
        raise ReserveRefused(_("调整或撤销资格须写明理由。"), code="reason_required")

    kind, post_kind, horizon, target_post = current.kind, current.post_kind, current.horizon, current.target_post
    payload: dict = {}
    if decision == ReviewDecision.CHANGE_KIND:
        if new_kind not in ReserveKind.values or new_kind == current.kind:
            raise ReserveRefused(_("调整后备类别须选择与现类别不同的类别。"), code="invalid_input")
        post_kind = new_post_kind or COUNTERPART_POST_KIND[current.post_kind]
        if TARGET_POST_KINDS.get(post_kind) != new_kind:
            raise ReserveRefused(_("拟任职务类别与调整后的后备类别不一致。"), code="invalid_target")
        kind = new_kind
        if target_post is not None and target_post.kind != post_kind:
            target_post = None
    elif decision == ReviewDecision.CHANGE_HORIZON:
        if new_horizon not in Horizon.values or new_horizon == current.horizon:
            raise ReserveRefused(_("调整使用期限须选择与现期限不同的期限。"), code="invalid_input")
        horizon = new_horizon

    if decision != ReviewDecision.REMOVE:
        _require_eligible(current.person, on, action=ReviewDecision(decision).label)
        params = _params(on)
        if decision == ReviewDecision.CHANGE_KIND:
            payload["quota"] = _require_quota(
                organization=current.organization, post_kind=post_kind, exclude_pk=current.pk, params=params
            )
        if decision == ReviewDecision.CHANGE_HORIZON and horizon == Horizon.LONG_TERM:
            payload["near_term_share"] = _require_near_term_share(exclude_pk=current.pk, horizon=horizon, params=params)

    review = YearlyReview.objects.select_for_update().filter(entry=current, status=ReviewStatus.PENDING).first()
    if review is None:
        if YearlyReview.objects.filter(entry=current, due_on=on).exists():
            raise ReserveRefused(_("该后备干部今日已完成复核。"), code="wrong_state")
        review = YearlyReview(entry=current, year=on.year, due_on=on)
    review.kind_before, review.post_kind_before, review.horizon_before = (
        current.kind,
        current.post_kind,
        current.horizon,
    )

    if decision == ReviewDecision.REMOVE:
        current.remove(on=on, reason=reason, trigger=EndTrigger.YEARLY_REVIEW)
    else:
        current.amend(kind=kind, post_kind=post_kind, horizon=horizon)
        current.target_post = target_post
    current.version += 1
    _validate(current)
    current.save()

    review.status = ReviewStatus.DECIDED
    review.decision = decision
    review.reason = reason
    review.kind_after, review.post_kind_after, review.horizon_after = current.kind, current.post_kind, current.horizon
    review.reviewer = acting_user
    review.decided_on = on
    review.save()
    record_event(
        actor=acting_user,
        action="reserve_entry_yearly_review",
        obj=current,
        from_state=before,
        to_state=current.state,
        reason=reason,
        payload={
            "entry": current.pk,
            "person": current.person_id,
            "version": current.version,
            "review": review.pk,
            "year": review.year,
            "decision": decision,
            "kind": [review.kind_before, review.kind_after],
            "post_kind": [review.post_kind_before, review.post_kind_after],
            "horizon": [review.horizon_before, review.horizon_after],
            "on": on,
            **payload,
        },
    )
    _finish(entry, current)
    return review


# ----------------------------------------------------------------------------- training


@transaction.atomic
def training_record_add(
    *,
    acting_user,
    entry: ReserveEntry,
    course: str,
    provider: str,
    start_date: dt.date,
    end_date: dt.date,
    hours,
) -> TrainingRecord:
    """Record a course an admitted reserve attended (the bureau, or the reserve's own school secretary)."""
    current = ReserveEntry.objects.select_for_update(of=("self",)).select_related("person").get(pk=entry.pk)
    if current.state not in POOL_STATES:
        raise ReserveRefused(
            _("只有在库的后备干部可以登记培训（%(name)s现为“%(state)s”）。")
            % {"name": current.person.name, "state": _state_label(current.state)},
            code="wrong_state",
        )
    refusal = policies.training_refusal(current, acting_user)
    if refusal:
        raise ReservePermissionDenied(refusal, code="not_permitted")
    _check_recusal(acting_user, current.person)
    course = _required_text(course, _("须填写培训项目。"))
    provider = _required_text(provider, _("须填写主办单位。"))
    if end_date < start_date:
        raise ReserveRefused(_("培训结束日期不能早于开始日期。"), code="invalid_input")
    try:
        hours = Decimal(str(hours))
    except InvalidOperation as exc:
        raise ReserveRefused(_("学时须为数字。"), code="invalid_input") from exc
    if not hours.is_finite() or hours <= 0:
        raise ReserveRefused(_("学时须大于0。"), code="invalid_input")
    record = TrainingRecord(
        entry=current,
        course=course,
        provider=provider,
        start_date=start_date,
        end_date=end_date,
        hours=hours,
        recorded_by=acting_user,
    )
    try:
        record.full_clean()
    except ValidationError as exc:
        raise ReserveRefused("；".join(exc.messages), code="invalid_input", reasons=exc.messages) from exc
    record.save()
    record_event(
        actor=acting_user,
        action="reserve_training_add",
        obj=record,
        from_state=current.state,
        to_state=current.state,
        payload={"entry": current.pk, "person": current.person_id, "hours": hours, "end_date": end_date},
    )
    return record


# ----------------------------------------------------------------------------- the daily run


@dataclass
class DailyReport:
    on: dt.date
    removed: list[tuple[ReserveEntry, list[triggers.TriggerHit]]] = field(default_factory=list)
    expired: list[tuple[ReserveEntry, triggers.TriggerHit]] = field(default_factory=list)
    reviews_opened: list[YearlyReview] = field(default_factory=list)
    skipped: list[tuple[ReserveEntry, str]] = field(default_factory=list)


def reserve_pool_open_yearly_reviews(*, on: dt.date) -> list[YearlyReview]:
    """Open a pending yearly review for every admitted entry due on `on` (the rule set's cycle after its
    admission or its last decided review) that has none pending. Idempotent; one audit event per review."""
    params = _params(on)
    entries = (
        ReserveEntry.objects.filter(state__in=POOL_STATES)
        .exclude(yearly_reviews__status=ReviewStatus.PENDING)
        .annotate(last_review=Max("yearly_reviews__decided_on"))
        .select_related("person")
        .order_by("id")
    )
    opened = []
    for entry in entries:
        due_on = triggers.review_due_on(entry.last_review or entry.admitted_on, params.review_months)
        if on < due_on:
            continue
        with transaction.atomic():
            review, created = YearlyReview.objects.get_or_create(
                entry=entry, due_on=due_on, defaults={"year": due_on.year}
            )
            if not created:
                continue
            record_event(
                actor=None,
                action="reserve_yearly_review_open",
                obj=entry,
                from_state=entry.state,
                to_state=entry.state,
                reason=_("%(y)d年度复核待办（应于%(d)s复核）") % {"y": review.year, "d": _cn(due_on)},
                payload={"entry": entry.pk, "review": review.pk, "due_on": due_on},
            )
            opened.append(review)
    return opened


def reserve_pool_run_daily(*, on: dt.date) -> DailyReport:
    """Apply on `on` every automatic removal (ethics veto, appraisal below the threshold, age limit, no longer
    in employment — each as the rule set enables), then expiry, then open due yearly reviews.

    Each entry is handled in its own transaction with its own audit event; an entry changed meanwhile is
    skipped (reported) and picked up by the next run. Running twice on one day changes nothing the second
    time. Reads the veto and the appraisals for all live entries in bulk.
    """
    report = DailyReport(on=on)
    params = _params(on)
    try:
        max_age = reserve_age_limit(on)
    except NoRuleSetInForce as exc:
        raise ReserveRefused(str(exc), code="no_rule_set") from exc
    live = list(ReserveEntry.objects.filter(state__in=LIVE_STATES).select_related("person").order_by("id"))
    person_ids = {entry.person_id for entry in live}
    vetoes = {}
    if params.remove_on_ethics_veto and live:
        vetoes = {
            row.person.pk: row.results[VetoPurpose.RESERVE_ENTRY]
            for row in blocked_people(
                Person.objects.filter(pk__in=person_ids), on=on, purposes=[VetoPurpose.RESERVE_ENTRY]
            )
        }
    appraisals: dict[int, dict[int, str]] = {}
    for person_id, year, grade in AnnualAppraisal.objects.filter(
        person_id__in=person_ids, year__lt=on.year
    ).values_list("person_id", "year", "grade"):
        appraisals.setdefault(person_id, {})[year] = grade

    for entry in live:
        person = entry.person
        hits = triggers.removal_hits(
            veto=vetoes.get(person.pk),
            appraisals=appraisals.get(person.pk, {}),
            birth_date=person.birth_date,
            employment_status=person.employment_status,
            on=on,
            params=params,
            max_age=max_age,
        )
        try:
            if hits:
                reserve_entry_remove(
                    acting_user=None,
                    entry=entry,
                    reason="；".join(hit.reason for hit in hits),
                    on=on,
                    trigger=hits[0].code,
                    hits=hits,
                )
                report.removed.append((entry, hits))
                continue
            hit = triggers.expiry_hit(
                state=entry.state,
                valid_until=entry.valid_until,
                nominated_on=entry.nominated_on,
                on=on,
                nomination_months=params.nomination_months,
            )
            if hit is not None:
                reserve_entry_expire(acting_user=None, entry=entry, on=on, trigger=hit.code, reason=hit.reason)
                report.expired.append((entry, hit))
        except ReserveConflict as exc:
            report.skipped.append((entry, exc.message))
    report.reviews_opened = reserve_pool_open_yearly_reviews(on=on)
    return report
