"""Writes for committee packs: meetings with their cases and recipients, building a copy, downloading it.

`pack_build` records the request and schedules the assembly after commit — in a Celery task when
`CELERY_BROKER_URL` is set, in-process otherwise, like `dossiers.services`. The assembly reuses the
stored PDF bytes of each document (checked against their SHA-256) and reports its progress on the
PackBuild row, which the progress page polls. A failed assembly is recorded on the build, never raised.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event

from ..models import DossierDocument
from .assembly import PackCover, PackPart, PackSection, assemble_pack, copy_label
from .models import CommitteeMeeting, PackBuild, PackCase, PackRecipient
from .selectors import pack_plan

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CaseSpec:
    """A candidate for the meeting; the list order is the pack order."""

    subject: object  # cadres.Person
    label: str = ""
    process_ref: str = ""


@dataclass(frozen=True)
class RecipientSpec:
    """Who gets a copy: a user, or just a name; copy numbers are assigned in order when left empty."""

    name: str = ""
    user: object | None = None
    copy_number: int | None = None


def _display_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _validate_cases(cases: Sequence[CaseSpec]) -> None:
    if not cases:
        raise ValidationError(_("请至少选择一名上会人选。"), code="no_cases")
    seen = set()
    for spec in cases:
        if spec.subject.pk in seen:
            raise ValidationError(_("%(name)s 重复列入上会人选。") % {"name": spec.subject.name}, code="duplicate_case")
        seen.add(spec.subject.pk)


def _numbered(recipients: Sequence[RecipientSpec]) -> list[tuple[int, str, object | None]]:
    """(copy number, name, user) for each recipient; empty numbers take the next free one."""
    taken = [r.copy_number for r in recipients if r.copy_number]
    if len(taken) != len(set(taken)):
        raise ValidationError(_("份号不能重复。"), code="duplicate_copy_number")
    free = (n for n in range(1, 10_000) if n not in set(taken))
    rows = []
    for spec in recipients:
        name = (spec.name or _display_name(spec.user)).strip()
        if not name:
            raise ValidationError(_("分送对象须选择用户或填写姓名。"), code="recipient_without_name")
        rows.append((spec.copy_number or next(free), name, spec.user))
    return rows


def _replace_cases(meeting: CommitteeMeeting, cases: Sequence[CaseSpec]) -> None:
    meeting.cases.all().delete()
    PackCase.objects.bulk_create(
        PackCase(meeting=meeting, subject=spec.subject, order=i, label=spec.label.strip(), process_ref=spec.process_ref)
        for i, spec in enumerate(cases, start=1)
    )


def _sync_recipients(meeting: CommitteeMeeting, recipients: Sequence[RecipientSpec]) -> None:
    rows = _numbered(recipients)
    existing = {r.copy_number: r for r in meeting.recipients.all()}
    wanted = {number for number, _name, _user in rows}
    for number, recipient in existing.items():
        if number not in wanted:
            if recipient.builds.exists():
                raise ValidationError(
                    _("第%(n)03d份已生成过上会材料，不能删除该分送对象。") % {"n": number}, code="recipient_has_builds"
                )
            recipient.delete()
    for number, name, user in rows:
        recipient = existing.get(number)
        if recipient is None:
            PackRecipient.objects.create(meeting=meeting, copy_number=number, name=name, user=user)
        elif (recipient.name, recipient.user_id) != (name, getattr(user, "pk", None)):
            recipient.name, recipient.user = name, user
            recipient.save(update_fields=["name", "user"])


def _meeting_payload(meeting: CommitteeMeeting) -> dict:
    return {
        "title": meeting.title,
        "date": meeting.date,
        "confidentiality": meeting.confidentiality,
        "kinds": meeting.kinds,
        "cases": [{"subject": c.subject_id, "order": c.order, "label": c.label} for c in meeting.cases.all()],
        "recipients": [{"copy_number": r.copy_number, "name": r.name} for r in meeting.recipients.all()],
    }


@transaction.atomic
def meeting_create(
    *,
    title: str,
    date,
    organization,
    cases: Sequence[CaseSpec],
    recipients: Sequence[RecipientSpec],
    acting_user,
    confidentiality: str = "",
    kinds: Sequence[str] = (),
) -> CommitteeMeeting:
    """Create a meeting with its cases (in the given order) and numbered recipients.

    Raises ValidationError: no_cases, duplicate_case, duplicate_copy_number, recipient_without_name.
    """
    _validate_cases(cases)
    meeting = CommitteeMeeting(
        title=title.strip(),
        date=date,
        organization=organization,
        kinds=list(kinds),
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    if confidentiality:
        meeting.confidentiality = confidentiality.strip()
    meeting.full_clean()
    meeting.save()
    _replace_cases(meeting, cases)
    _sync_recipients(meeting, recipients)
    record_event(actor=acting_user, action="pack_meeting_created", obj=meeting, payload=_meeting_payload(meeting))
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: CommitteeMeeting,
    title: str,
    date,
    cases: Sequence[CaseSpec],
    recipients: Sequence[RecipientSpec],
    acting_user,
    confidentiality: str = "",
    kinds: Sequence[str] = (),
) -> CommitteeMeeting:
    """Change a meeting: cases are replaced (new order), recipients matched by copy number.

    Copies already built keep what they were built from. Raises ValidationError as `meeting_create`, and
    recipient_has_builds when a removed recipient already has a built copy.
    """
    _validate_cases(cases)
    meeting = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.title = title.strip()
    meeting.date = date
    meeting.confidentiality = (confidentiality or meeting.confidentiality).strip()
    meeting.kinds = list(kinds)
    meeting.full_clean()
    meeting.save()
    _replace_cases(meeting, cases)
    _sync_recipients(meeting, recipients)
    record_event(actor=acting_user, action="pack_meeting_updated", obj=meeting, payload=_meeting_payload(meeting))
    return meeting


@transaction.atomic
def pack_build(*, meeting: CommitteeMeeting, recipient: PackRecipient, acting_user) -> PackBuild:
    """Request one recipient's copy; it is assembled after commit (Celery with a broker, else in-process).

    Raises ValidationError: recipient_not_in_meeting, no_cases, case_without_documents.
    """
    if recipient.meeting_id != meeting.pk:
        raise ValidationError(_("该分送对象不属于本次会议。"), code="recipient_not_in_meeting")
    plans = pack_plan(meeting)
    if not plans:
        raise ValidationError(_("本次会议尚无上会人选。"), code="no_cases")
    empty = [plan.case.subject.name for plan in plans if not plan.documents]
    if empty:
        raise ValidationError(
            _("以下人选尚无已生成的材料：%(names)s。请先生成材料，或将其移出本次会议。") % {"names": "、".join(empty)},
            code="case_without_documents",
        )
    build = PackBuild.objects.create(
        meeting=meeting,
        recipient=recipient,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    record_event(
        actor=acting_user,
        action="pack_build_requested",
        obj=build,
        to_state=build.status,
        payload={"meeting": meeting.pk, "copy_number": recipient.copy_number, "recipient": recipient.name},
    )
    transaction.on_commit(lambda: enqueue_pack_build(build.pk))
    return build


def enqueue_pack_build(build_id: int) -> None:
    """Queue the assembly of a committed build (see `dossiers.background` for where it runs)."""
    from ..background import submit

    submit("build_pack", build_id)


class _Progress:
    """Writes the percentage to the build row (outside any transaction, so pollers see it), in 5 % steps."""

    def __init__(self, build_id: int) -> None:
        self.build_id = build_id
        self.last = -1

    def __call__(self, percent: int) -> None:
        percent = max(0, min(99, int(percent)))
        if percent >= self.last + 5:
            PackBuild.objects.filter(pk=self.build_id).update(progress=percent)
            self.last = percent


def _read_stored(doc: DossierDocument) -> bytes:
    with doc.pdf.open("rb") as handle:
        data = handle.read()
    if doc.sha256 and hashlib.sha256(data).hexdigest() != doc.sha256:
        message = _("材料《%(title)s》第%(v)s版的文件与登记的 SHA-256 不一致。")
        raise ValueError(message % {"title": doc.title, "v": doc.version})
    return data


def pack_sections(plans) -> tuple[list[PackSection], list[dict]]:
    """The stored bytes of every planned document (checked against their SHA-256), and a manifest of them."""
    sections, manifest = [], []
    for plan in plans:
        parts = [PackPart(title=doc.title, pdf=_read_stored(doc)) for doc in plan.documents]
        sections.append(PackSection(name=plan.case.subject.name, label=plan.case.label, parts=parts))
        manifest.append(
            {
                "subject": plan.case.subject_id,
                "name": plan.case.subject.name,
                "label": plan.case.label,
                "documents": [
                    {"id": d.pk, "kind": d.kind, "version": d.version, "sha256": d.sha256, "code": d.verification_code}
                    for d in plan.documents
                ],
            }
        )
    return sections, manifest


def pack_build_run(build_id: int) -> PackBuild:
    """Assemble a requested copy from the stored documents; a failure is recorded on the build, not raised."""
    updated = PackBuild.objects.filter(pk=build_id, status=PackBuild.Status.PENDING).update(
        status=PackBuild.Status.RUNNING, progress=1
    )
    build = PackBuild.objects.select_related("meeting", "meeting__organization", "recipient").get(pk=build_id)
    if not updated:  # already running elsewhere, or finished
        return build
    meeting, recipient = build.meeting, build.recipient
    progress = _Progress(build_id)
    try:
        sections, manifest = pack_sections(pack_plan(meeting))
        progress(5)
        cover = PackCover(
            meeting_title=meeting.title,
            meeting_date=meeting.date,
            organization=meeting.organization.name,
            confidentiality=meeting.confidentiality,
            copy_number=recipient.copy_number,
            recipient=recipient.name,
        )
        pack = assemble_pack(cover=cover, sections=sections, progress=lambda p: progress(5 + p * 9 // 10))
    except Exception as exc:  # any read, template or PDF error is recorded on the build
        logger.exception("committee pack build %s failed", build_id)
        with transaction.atomic():
            build.status = PackBuild.Status.FAILED
            build.error = f"{type(exc).__name__}: {exc}"[:2000]
            build.finished_at = timezone.now()
            build.save(update_fields=["status", "error", "finished_at"])
            record_event(actor=None, action="pack_build_failed", obj=build, to_state=build.status, reason=build.error)
        return build

    with transaction.atomic():
        name = f"pack-{meeting.pk}-{recipient.copy_number:03d}-{build.pk}.pdf"
        build.file.save(name, ContentFile(pack.pdf), save=False)
        build.sha256 = pack.sha256
        build.pages = pack.pages
        build.manifest = {
            "recipient": recipient.name,
            "copy_number": recipient.copy_number,
            "cases": manifest,
            "toc": [{"level": e.level, "text": e.text, "page": e.page} for e in pack.toc],
        }
        build.status = PackBuild.Status.DONE
        build.progress = 100
        build.finished_at = timezone.now()
        build.save()
        record_event(
            actor=None,
            action="pack_built",
            obj=build,
            from_state=PackBuild.Status.RUNNING,
            to_state=build.status,
            payload={"sha256": pack.sha256, "pages": pack.pages, "copy": copy_label(recipient.copy_number)},
        )
    return build


@transaction.atomic
def pack_download(*, build: PackBuild, acting_user) -> PackBuild:
    """Record the download in the audit trail; the caller (a view that checked `builds_downloadable_by`)
    sends `build.file` through `cadres.files.protected_file_response`. Raises ValidationError not_ready."""
    if not build.is_done or not build.file:
        raise ValidationError(_("上会材料尚未生成完成。"), code="not_ready")
    record_event(
        actor=acting_user,
        action="pack_downloaded",
        obj=build,
        payload={"sha256": build.sha256, "copy_number": build.recipient.copy_number, "recipient": build.recipient.name},
    )
    return build
