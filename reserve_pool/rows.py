"""Rows of the 名册 and of the Excel export, read as plain values in chunks: a province's pool (20,000+ entries)
exports in seconds, with a fixed number of queries per chunk and no model instances.

Each row carries what the 名册 prints: name, sex, 出生年月 and age on `on`, school, current post (the senior post
held on `on`, else "<school>教师"), highest education, title held on `on`, political status, kind, target,
horizon, origin, state, admission and validity dates, and the training hours of `on`'s year.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from types import SimpleNamespace

from cadres import choices as c
from cadres.facts import age_on, format_month
from cadres.models import Education, Tenure, TitleHistory
from dossiers.content.appointment_form import current_post_text

from .choices import Horizon, Origin, ReserveKind, ReserveState
from .selectors import training_hours

CHUNK = 2000  # entries per round of registry reads

ENTRY_FIELDS = (
    "pk",
    "kind",
    "post_kind",
    "horizon",
    "origin",
    "state",
    "admitted_on",
    "valid_until",
    "organization__name",
    "target_post__name",
    "person_id",
    "person__name",
    "person__sex",
    "person__birth_date",
    "person__record_birth_month",
    "person__political_status",
    "person__organization__name",
    "person__organization__kind",
)


class RowLabels:
    """Choice labels read once per list in the active language (not once per row and field)."""

    def __init__(self):
        self.sex = {k: str(v) for k, v in c.Sex.choices}
        self.political = {k: str(v) for k, v in c.PoliticalStatus.choices}
        self.education = {k: str(v) for k, v in c.EducationLevel.choices}
        self.title = {k: str(v) for k, v in c.TeacherTitle.choices}
        self.post_kind = {k: str(v) for k, v in c.PostKind.choices}
        self.kind = {k: str(v) for k, v in ReserveKind.choices}
        self.horizon = {k: str(v) for k, v in Horizon.choices}
        self.origin = {k: str(v) for k, v in Origin.choices}
        self.state = {k: str(v) for k, v in ReserveState.choices}


def _registry(person_ids: list[int], on: dt.date) -> tuple[dict, dict, dict]:
    """Highest education, title held on `on` and tenures held on `on`, per person (three queries)."""
    education: dict[int, str] = {}
    for pid, level in Education.objects.filter(person_id__in=person_ids).order_by().values_list("person_id", "level"):
        if c.EDUCATION_RANK.get(level, 0) >= c.EDUCATION_RANK.get(education.get(pid), -1):
            education[pid] = level
    titles: dict[int, tuple] = {}
    held = TitleHistory.objects.filter(person_id__in=person_ids, obtained_on__lte=on).order_by()
    for pid, title, obtained_on, pk in held.values_list("person_id", "title", "obtained_on", "pk"):
        key = (obtained_on, c.TITLE_RANK.get(title, -1), pk)
        if pid not in titles or key > titles[pid][0]:
            titles[pid] = (key, title)
    tenures: dict[int, list] = defaultdict(list)

    current = Tenure.objects.filter(person_id__in=person_ids, start_date__lte=on).exclude(end_date__lt=on).order_by()
    for pid, pk, start, end, kind, name, org_id, org_name in current.values_list(
        "person_id",
        "pk",
        "start_date",
        "end_date",
        "post__kind",
        "post__name",
        "post__organization_id",
        "post__organization__name",
    ):
        unit = SimpleNamespace(name=org_name)
        post = SimpleNamespace(kind=kind, name=name, organization_id=org_id, organization=unit)
        tenures[pid].append(SimpleNamespace(pk=pk, start_date=start, end_date=end, post=post))
    return education, {pid: t for pid, (_key, t) in titles.items()}, tenures


def roster_rows(entries, *, on: dt.date, labels: RowLabels | None = None) -> Iterator[dict]:
    """Rows for `entries` (a filtered, scoped queryset, in its order) as of `on`."""
    labels = labels or RowLabels()
    hours = training_hours(entries, year=on.year)  # the queryset goes in as a subquery
    values = list(entries.values_list(*ENTRY_FIELDS))
    for start in range(0, len(values), CHUNK):
        chunk = values[start : start + CHUNK]
        education, titles, tenures = _registry(list({v[10] for v in chunk}), on)
        for v in chunk:
            yield _row(v, on=on, labels=labels, education=education, titles=titles, tenures=tenures, hours=hours)


def _row(v, *, on, labels, education, titles, tenures, hours) -> dict:
    (pk, kind, post_kind, horizon, origin, state, admitted_on, valid_until, org_name, target_name) = v[:10]
    (pid, name, sex, birth, record_birth, political, school, school_kind) = v[10:]
    person = SimpleNamespace(organization=SimpleNamespace(name=school, kind=school_kind))
    level, title = education.get(pid), titles.get(pid)
    return {
        "name": name,
        "sex": labels.sex.get(sex, ""),
        "birth": format_month(record_birth or birth.replace(day=1)),
        "age": age_on(birth, on),
        "unit": school,
        "current_post": current_post_text(person, tenures.get(pid, []), on),
        "education": labels.education.get(level, "") if level else "",
        "title": labels.title.get(title, "") if title else "",
        "political_status": labels.political.get(political, ""),
        "kind": labels.kind.get(kind, ""),
        "target": f"{org_name}{target_name or labels.post_kind.get(post_kind, '')}",
        "horizon": labels.horizon.get(horizon, ""),
        "origin": labels.origin.get(origin, ""),
        "state": labels.state.get(state, ""),
        "admitted_on": admitted_on,
        "valid_until": valid_until,
        "training_hours": hours.get(pk) or Decimal(0),
    }
