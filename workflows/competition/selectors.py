"""Reads: scoped lists of competitions, a case overview, the teacher's and the judge's pages."""

from __future__ import annotations

from django.db.models import QuerySet

from cadres.models import Post
from cadres.roles import Role, has_role, is_bureau_user, profile_of

from . import clock
from .models import Adjustment, Competition, RegStatus, State
from .plan import VACANCY, line_kind_label, plan_posts
from .pool import pool_person_ids

FILED_STATES = [s for s in State.values if s != State.DRAFT]  # approved = submitted to the bureau


def competitions_visible_to(user) -> QuerySet[Competition]:
    """A school sees its own competitions; the bureau sees every filed one."""
    qs = Competition.objects.all()
    if is_bureau_user(user):
        return qs.filter(state__in=FILED_STATES)
    profile = profile_of(user)
    if profile is None or not has_role(user, Role.SCHOOL_SECRETARY):
        return qs.none()
    return qs.filter(organization_id=profile.organization_id)


def adjustments_visible_to(user) -> QuerySet[Adjustment]:
    if is_bureau_user(user):
        return Adjustment.objects.all()
    profile = profile_of(user)
    if profile is None:
        return Adjustment.objects.none()
    if has_role(user, Role.SCHOOL_SECRETARY):
        return Adjustment.objects.filter(organization_id=profile.organization_id)
    if profile.person_id:  # the cadre concerned sees their own case (to make the statement)
        return Adjustment.objects.filter(tenure__person_id=profile.person_id)
    return Adjustment.objects.none()


def case_overview(case: Competition) -> dict:
    from .services import quota_flags

    plan = case.rules or case.plan
    posts = []
    kinds = dict(Post.objects.filter(pk__in=plan_posts(plan)).values_list("pk", "kind"))
    for post_id, item in plan_posts(plan).items():
        regs = list(
            case.registrations.filter(post_id=post_id)
            .select_related("person", "entered_by__profile__person")
            .order_by("rank", "number", "pk")
        )
        pool = (
            pool_person_ids(case.organization, kinds.get(post_id, ""), clock.today()) if case.organization_id else set()
        )
        regs.sort(key=lambda r: (r.rank or 10**6, r.person_id not in pool, r.number or 0, r.pk))
        posts.append(
            {
                "name": item.get("name"),
                "seats": item.get("seats"),
                "kind": line_kind_label(item.get("kind") or VACANCY),
                "registrations": regs,
                "pool": pool,
            }
        )
    return {
        "posts": posts,
        "flags": quota_flags(case) if case.frozen_plan else [],
        "plan_hash": case.plan_hash,
        "judges": list(case.judges.select_related("judge", "post")),
    }


def open_for_registration(person) -> list[dict]:
    on = clock.today()
    rows = []
    for case in Competition.objects.filter(organization_id=person.organization_id, state=State.ANNOUNCED):
        reg = case.rules.get("registration", {})
        rows.append(
            {
                "case": case,
                "posts": list(plan_posts(case.rules).values()),
                "opens": reg.get("opens"),
                "closes": reg.get("closes"),
                "today": on,
            }
        )
    return rows


def judge_rows(user) -> list[dict]:
    """Every candidate the judge may score now, with the sheet if already submitted."""
    from .models import JudgeAssignment

    rows = []
    for assignment in JudgeAssignment.objects.filter(
        judge=user, recused=False, competition__state=State.SITTING_OPEN
    ).select_related("competition", "post"):
        case = assignment.competition
        for reg in case.registrations.filter(post=assignment.post, status=RegStatus.QUALIFIED).select_related("person"):
            sheet = reg.sheets.filter(judge=user).first()
            rows.append(
                {
                    "case": case,
                    "post": assignment.post,
                    "registration": reg,
                    "sheet": sheet,
                    "criteria": case.rules.get("criteria", []),
                }
            )
    return rows
