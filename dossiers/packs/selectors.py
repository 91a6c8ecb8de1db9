"""Reads for committee packs: who may manage them, which meetings a user sees, what goes into a pack."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet

from cadres.roles import Role, has_role, is_bureau_user, profile_of
from cadres.scoping import organizations_visible_to

from ..kinds import DossierKind
from ..models import DossierDocument
from .models import CommitteeMeeting, PackBuild, PackCase

# The order of a candidate's documents in the pack (a meeting may choose a subset, in this order).
DEFAULT_PACK_KINDS: tuple[str, ...] = (
    DossierKind.APPOINTMENT_FORM,
    DossierKind.INSPECTION_REPORT,
    DossierKind.RECOMMENDATION_TALLY,
    DossierKind.EVALUATION_TALLY,
    DossierKind.COMPETITION_SCORE_SHEET,
    DossierKind.COMPETITION_RANKING,
    DossierKind.RESERVE_PROFILE,
    DossierKind.RECORD_SHEET,
)
# Kinds of which a candidate has one current document: only the most recently rendered series is used.
SINGLE_SERIES_KINDS: frozenset[str] = frozenset({DossierKind.APPOINTMENT_FORM, DossierKind.RESERVE_PROFILE})


def default_pack_kinds() -> tuple[str, ...]:
    """`DOSSIER_PACK_KINDS` in settings, else DEFAULT_PACK_KINDS."""
    return tuple(getattr(settings, "DOSSIER_PACK_KINDS", DEFAULT_PACK_KINDS))


def meeting_kinds(meeting: CommitteeMeeting) -> tuple[str, ...]:
    """The kinds this meeting's pack holds, in pack order (the default order when the meeting chose none)."""
    order = default_pack_kinds()
    chosen = [k for k in (meeting.kinds or []) if k in DossierKind.values]
    if not chosen:
        return order
    ranked = [k for k in order if k in chosen]
    return tuple(ranked + [k for k in chosen if k not in ranked])


def can_manage_packs(user) -> bool:
    """Bureau-level personnel officers (and superusers) prepare, build and download committee packs."""
    return is_bureau_user(user) and (user.is_superuser or has_role(user, Role.PERSONNEL_OFFICER))


def meetings_visible_to(user) -> QuerySet[CommitteeMeeting]:
    if not can_manage_packs(user):
        return CommitteeMeeting.objects.none()
    return CommitteeMeeting.objects.filter(organization__in=organizations_visible_to(user)).select_related(
        "organization"
    )


def builds_visible_to(user) -> QuerySet[PackBuild]:
    """The builds whose progress and manifest a user may see: those of the meetings they manage."""
    return PackBuild.objects.filter(meeting__in=meetings_visible_to(user)).select_related("meeting", "recipient")


def builds_downloadable_by(user) -> QuerySet[PackBuild]:
    """The copies a user may download: their own numbered copy as a listed recipient, and — to print, seal
    and hand out the paper copies — every copy of the meetings a personnel officer manages.

    A copy is watermarked with its recipient's name and number, so nobody else's copy is handed to a
    recipient. Whatever the role, nobody downloads a pack in which they are themselves a candidate
    (`PackCase`): candidates never read the materials of their own case.
    """
    if not getattr(user, "is_authenticated", False):
        return PackBuild.objects.none()
    builds = PackBuild.objects.filter(Q(recipient__user=user) | Q(meeting__in=meetings_visible_to(user)))
    profile = profile_of(user)
    if profile is not None and profile.person_id:
        builds = builds.exclude(meeting__cases__subject_id=profile.person_id)
    return builds.select_related("meeting", "recipient")


def copies_for(user) -> QuerySet[PackBuild]:
    """The finished copies addressed to this user as a recipient, newest first (their 上会材料)."""
    return (
        builds_downloadable_by(user)
        .filter(recipient__user=user, status=PackBuild.Status.DONE)
        .order_by("-meeting__date", "-finished_at", "-id")
    )


@dataclass
class CasePlan:
    """What one candidate contributes to the pack, and the newer versions that are not rendered yet."""

    case: PackCase
    documents: list[DossierDocument] = field(default_factory=list)
    not_ready: list[DossierDocument] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return sum(d.page_count for d in self.documents)


def _in_scope(doc: DossierDocument, case: PackCase) -> bool:
    return not case.process_ref or doc.process_ref in ("", case.process_ref)


def pack_plan(meeting: CommitteeMeeting) -> list[CasePlan]:
    """Each case in order with its current documents: per series the latest *rendered* version, kinds in
    the meeting's order, series of one kind oldest first; SINGLE_SERIES_KINDS keep only their newest series.
    `not_ready` lists series whose newest version is still pending or failed (the pack uses the one before).
    """
    kinds = meeting_kinds(meeting)
    rank = {kind: i for i, kind in enumerate(kinds)}
    cases = list(meeting.cases.select_related("subject", "subject__organization").order_by("order", "id"))
    docs = (
        DossierDocument.objects.filter(subject__in=[c.subject_id for c in cases], kind__in=kinds)
        .only(
            "id",
            "kind",
            "title",
            "subject_id",
            "process_ref",
            "series",
            "version",
            "status",
            "pdf",
            "sha256",
            "page_count",
            "verification_code",
            "rendered_at",
            "created_at",
        )
        .order_by("series", "-version")
    )
    newest: dict[str, DossierDocument] = {}
    latest_rendered: dict[str, DossierDocument] = {}
    for doc in docs:
        newest.setdefault(doc.series, doc)
        if doc.status == DossierDocument.Status.RENDERED:
            latest_rendered.setdefault(doc.series, doc)

    by_subject: dict[int, list[DossierDocument]] = defaultdict(list)
    for doc in latest_rendered.values():
        by_subject[doc.subject_id].append(doc)
    pending_by_subject: dict[int, list[DossierDocument]] = defaultdict(list)
    for doc in newest.values():
        if doc.status != DossierDocument.Status.RENDERED:
            pending_by_subject[doc.subject_id].append(doc)

    plans = []
    for case in cases:
        chosen = sorted(
            (d for d in by_subject.get(case.subject_id, []) if _in_scope(d, case)),
            key=lambda d: (rank[d.kind], d.rendered_at or d.created_at, d.pk),
        )
        kept: list[DossierDocument] = []
        for doc in chosen:
            if doc.kind in SINGLE_SERIES_KINDS:
                kept = [d for d in kept if d.kind != doc.kind]  # a later series of the same kind replaces it
            kept.append(doc)
        kept.sort(key=lambda d: (rank[d.kind], d.rendered_at or d.created_at, d.pk))
        not_ready = [d for d in pending_by_subject.get(case.subject_id, []) if _in_scope(d, case)]
        plans.append(CasePlan(case=case, documents=kept, not_ready=not_ready))
    return plans
