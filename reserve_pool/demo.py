"""A demo reserve pool on top of the demo district, made through the services (so every entry has its audit
trail and obeys the quotas): about forty admitted entries, some in each earlier state, two removed.

Deterministic: candidates are the district's teachers the `reserve_entry` rule set accepts today, taken in
registry order (school code, name) and spread over the schools; a candidate a rule or quota refuses is
skipped. Loading again when the pool has entries writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cadres import choices as c
from cadres.models import Person
from cadres.rules import Purpose, evaluate

from . import services
from .choices import Horizon, Origin, ReserveState
from .exceptions import ReserveError
from .models import ReserveEntry

OFFICER = "officer"
PROFILE = (
    "{name}，{sex}，{born}年生，{education}学历，{title}。{years}年参加工作，现任教于{school}。"
    "该同志政治立场坚定，教育教学实绩突出，在教师中有较好的群众基础；不足是学校全局管理经验尚浅。"
)
# (target state, post kind, horizon) in the order entries are made; repeated over the candidates.
PLAN = [
    (ReserveState.IN_POOL, c.PostKind.MIDDLE_DEPUTY, Horizon.NEAR_TERM),
    (ReserveState.IN_POOL, c.PostKind.MIDDLE_HEAD, Horizon.NEAR_TERM),
    (ReserveState.IN_POOL, c.PostKind.VICE_PRINCIPAL, Horizon.LONG_TERM),
    (ReserveState.IN_POOL, c.PostKind.MIDDLE_DEPUTY, Horizon.LONG_TERM),
    (ReserveState.IN_POOL, c.PostKind.PRINCIPAL, Horizon.NEAR_TERM),
]
EARLIER = [ReserveState.NOMINATED, ReserveState.UNDER_REVIEW, ReserveState.ASSESSED]


@dataclass
class DemoPoolResult:
    created: bool
    counts: dict[str, int] = field(default_factory=dict)


def _candidates(on) -> list[Person]:
    people = (
        Person.objects.filter(organization__kind=c.OrgKind.SCHOOL, employment_status=c.EmploymentStatus.ACTIVE)
        .exclude(tenures__post__level__in=[c.PostLevel.SCHOOL_HEAD, c.PostLevel.SCHOOL_DEPUTY])
        .select_related("organization")
        .order_by("organization__code", "name", "pk")
        .distinct()
    )
    found, schools = [], set()
    for person in people.iterator():
        if person.organization_id in schools:  # one per school first: the pool spreads over the district
            continue
        if evaluate(person, purpose=Purpose.RESERVE_ENTRY, on=on).ok:
            found.append(person)
            schools.add(person.organization_id)
        if len(found) >= 60:
            break
    return found


def _profile(person: Person) -> str:
    title = person.titles.order_by("-obtained_on").first()
    education = person.educations.order_by("-end_date").first()
    return PROFILE.format(
        name=person.name,
        sex=person.get_sex_display(),
        born=person.birth_date.year,
        education=education.get_level_display() if education else "大学本科",
        title=title.get_title_display() if title else "一级教师",
        years=person.work_start_date.year,
        school=person.organization.name,
    )


def _advance(entry: ReserveEntry, target: str, officer, n: int) -> ReserveEntry:
    order = [ReserveState.UNDER_REVIEW, ReserveState.ASSESSED, ReserveState.IN_POOL]
    for state in order[: order.index(target) + 1] if target in order else []:
        if state == ReserveState.UNDER_REVIEW:
            entry = services.reserve_entry_submit_for_review(acting_user=officer, entry=entry)
            entry = services.reserve_entry_review(acting_user=officer, entry=entry, personal_matters_ok=True)
        elif state == ReserveState.ASSESSED:
            entry = services.reserve_entry_assess(
                acting_user=officer,
                entry=entry,
                talks_count=10 + n % 15,
                evaluation_summary="德才表现良好，群众公认度较高，具备培养潜力。",
                profile_text=_profile(entry.person),
            )
        else:
            entry = services.reserve_entry_admit(
                acting_user=officer, entry=entry, document_number=f"示教工委〔{timezone.localdate().year}〕{30 + n}号"
            )
    return entry


def demo_pool_load() -> DemoPoolResult:
    """Make the demo pool unless the pool already has entries (then nothing is written)."""
    if ReserveEntry.objects.exists():
        return DemoPoolResult(created=False, counts=_counts())
    officer = get_user_model().objects.filter(username=OFFICER).first()
    if officer is None:
        return DemoPoolResult(created=False)
    on = timezone.localdate()
    for n, person in enumerate(_candidates(on)):
        if n < 45:
            target, post_kind, horizon = PLAN[n % len(PLAN)]
        else:
            target, post_kind, horizon = EARLIER[n % len(EARLIER)], c.PostKind.MIDDLE_DEPUTY, Horizon.NEAR_TERM
        try:
            with transaction.atomic():
                entry = services.reserve_entry_nominate(
                    acting_user=officer, person=person, origin=Origin.BUREAU, post_kind=post_kind, horizon=horizon
                )
                entry = _advance(entry, target, officer, n)
                if n in (7, 19):
                    services.reserve_entry_remove(acting_user=officer, entry=entry, reason="本人申请退出后备干部队伍")
        except ReserveError:
            continue  # a quota or rule refused this one: the demo just has one fewer
    return DemoPoolResult(created=True, counts=_counts())


def _counts() -> dict[str, int]:
    return {
        str(label): ReserveEntry.objects.filter(state=value).count()
        for value, label in ReserveState.choices
        if ReserveEntry.objects.filter(state=value).exists()
    }
