"""The pool's dossiers, through `dossiers.services.dossier_generate`: each entry's 后备干部小传 and the
后备干部名册 of a filtered list.

Content is built from the registry as it stands on the day (`on`): highest education per kind, the title held
that day, the senior post held that day (else "<school>教师"), the last three annual appraisals, the entry's
training records. Printed text stays Chinese whatever the user's language (dossiers print in Chinese).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.utils import translation

from cadres import choices as c
from cadres.models import Organization, Person
from dossiers.content.appointment_form import education_summary
from dossiers.content.reserve_profile import build_reserve_profile
from dossiers.content.reserve_roster import build_reserve_roster
from dossiers.kinds import DossierKind
from dossiers.models import DossierDocument
from dossiers.services import dossier_generate

from .choices import POOL_STATES
from .exceptions import ReserveRefused
from .models import ReserveEntry
from .rows import roster_rows
from .selectors import title_on

ROSTER_MAX_ROWS = 2000  # about 90 landscape pages


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value else ""


def _month(value: dt.date | None) -> str | None:
    return value.strftime("%Y-%m") if value else None


def _current_tenures(person: Person, on: dt.date) -> list:
    """Tenures held on `on`, oldest first (reads `person.tenures.all()`, so a prefetch serves it)."""
    held = [t for t in person.tenures.all() if t.start_date <= on and (t.end_date is None or t.end_date >= on)]
    return sorted(held, key=lambda t: (t.start_date, t.pk))


def _education(person: Person, kind: str) -> dict | None:
    summary = education_summary(list(person.educations.all()), kind)
    if not summary["level"]:
        return None
    return {"level": summary["level"], "degree": summary["degree"], "school": "、".join(summary["schools"])}


def target_text(entry: ReserveEntry) -> str:
    """拟培养方向: the target post, else the unit and the post category."""
    if entry.target_post_id:
        return f"{entry.organization.name}{entry.target_post.name}"
    return f"{entry.organization.name}{_label(c.PostKind, entry.post_kind)}"


def profile_content(entry: ReserveEntry, *, on: dt.date) -> dict:
    """The 后备干部小传 of `entry` on `on`; refused (ReserveRefused) before the assessment wrote the text."""
    if not entry.profile_text.strip():
        raise ReserveRefused(
            translation.gettext("尚未录入后备干部小传（考察时填写），不能生成小传。"), code="no_profile"
        )
    person = entry.person
    tenures = _current_tenures(person, on)
    title = title_on(person, on)
    full_time = _education(person, c.EducationKind.FULL_TIME)
    in_service = _education(person, c.EducationKind.IN_SERVICE)
    data = {
        "name": person.name,
        "sex": person.get_sex_display(),
        "birth": _month(person.birth_month),
        "ethnicity": person.ethnicity or "汉族",
        "native_place": person.native_place or "—",
        "political_status": person.get_political_status_display(),
        "party_join": _month(person.party_join_date),
        "work_start": _month(person.work_start_date),
        "title": _label(c.TeacherTitle, title) if title else "—",
        "full_time_education": full_time or {"level": "—", "school": "—"},
        "in_service_education": in_service,
        "unit": person.organization.name,
        "current_post": "、".join(t.post.name for t in tenures) or "教师",  # the template prints the unit first
        "current_post_since": _month(tenures[0].start_date if tenures else person.work_start_date),
        "kind": entry.get_kind_display(),
        "term": entry.get_horizon_display(),
        "origin": entry.get_origin_display(),
        "target_post": target_text(entry),
        "admitted_on": entry.admitted_on,
        "profile": [p.strip() for p in entry.profile_text.splitlines() if p.strip()],
        "appraisals": [
            {"year": a.year, "grade": a.get_grade_display()} for a in person.appraisals.order_by("-year")[:3]
        ],
        "trainings": [
            {"start": t.start_date, "end": t.end_date, "name": t.course, "organizer": t.provider, "hours": t.hours}
            for t in entry.trainings.all()
        ],
        "as_of": on,
        "date": on,
    }
    for key in ("party_join", "in_service_education"):
        if not data[key]:
            del data[key]
    return build_reserve_profile(**data)


def profile_document(entry: ReserveEntry, *, acting_user, on: dt.date) -> DossierDocument:
    """A new version of the entry's 小传 (rendered after commit)."""
    with translation.override("zh-hans"):
        content = profile_content(entry, on=on)
    return dossier_generate(
        kind=DossierKind.RESERVE_PROFILE,
        content=content,
        acting_user=acting_user,
        organization=entry.organization,
        subject=entry.person,
        title=f"{entry.person.name}后备干部小传",
        process_ref=f"reserve:{entry.pk}",
        step="profile",
    )


def roster_document(entries, *, acting_user, organization: Organization, scope: str, on: dt.date) -> DossierDocument:
    """A new version of the 后备干部名册 of `entries` (a filtered, scoped queryset), issued by `organization`.
    Refused when empty, or longer than `ROSTER_MAX_ROWS` (a PDF of thousands of pages helps nobody: filter, or
    export to Excel)."""
    count = entries.count()
    if not count:
        raise ReserveRefused(translation.gettext("筛选结果中没有后备干部，不能生成名册。"), code="empty")
    if count > ROSTER_MAX_ROWS:
        raise ReserveRefused(
            translation.gettext("筛选结果有%(n)d人，名册PDF最多%(m)d人：请缩小筛选范围，或导出Excel。")
            % {"n": count, "m": ROSTER_MAX_ROWS},
            code="too_many",
        )
    with translation.override("zh-hans"):
        content = build_reserve_roster(
            issuer=organization.name,
            scope=scope,
            as_of=on,
            date=on,
            rows=list(roster_rows(entries, on=on)),
            pool_only=not entries.exclude(state__in=POOL_STATES).exists(),
        )
    return dossier_generate(
        kind=DossierKind.RESERVE_ROSTER,
        content=content,
        acting_user=acting_user,
        organization=organization,
        title=content["title"],
        process_ref="reserve:roster",
        step=f"{on.isoformat()}:{hashlib.sha1(scope.encode()).hexdigest()[:12]}",
    )
