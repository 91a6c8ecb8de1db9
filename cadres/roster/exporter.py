"""Roster (花名册) export: people as a workbook with the template's layout, which re-imports unchanged.

Per person it writes the latest title (by 取得资格时间) and, per education kind, the highest 学历 (the
latest of that 学历 when there are several) — what the 干部任免审批表 prints, and the rows the importer
matches when the file comes back.
"""

from __future__ import annotations

from django.db.models import QuerySet

from ..choices import EDUCATION_RANK
from ..models import Education, Organization, Person, TitleHistory
from .columns import COLUMNS, EDUCATION_GROUPS, PERSON, TITLE
from .template import new_roster_workbook

_CHUNK = 2000


def _education_rank(education: Education):
    return (EDUCATION_RANK.get(education.level, 0), education.end_date is not None, education.end_date, education.pk)


def _title_rank(title: TitleHistory):
    return (title.obtained_on, title.pk)


def _person_values(person: Person) -> dict[tuple[str, str], object]:
    values: dict[tuple[str, str], object] = {
        (PERSON, col.field): getattr(person, col.field) for col in COLUMNS if col.group == PERSON
    }
    values[(PERSON, "organization")] = person.organization.code
    titles = list(person.titles.all())
    if titles:
        latest = max(titles, key=_title_rank)
        values[(TITLE, "title")] = latest.title
        values[(TITLE, "obtained_on")] = latest.obtained_on
    educations = list(person.educations.all())
    for kind in EDUCATION_GROUPS:
        of_kind = [e for e in educations if e.kind == kind]
        if of_kind:
            shown = max(of_kind, key=_education_rank)
            for name in ("level", "degree", "institution", "major"):
                values[(kind, name)] = getattr(shown, name)
    return values


def roster_row(person: Person) -> list:
    """The cells of one person's row, in column order (the person needs its titles and educations)."""
    values = _person_values(person)
    return [col.format(values[col.key]) if values.get(col.key) is not None else None for col in COLUMNS]


def export_roster(queryset: QuerySet[Person]) -> bytes:
    """The people of `queryset` (already scoped by the caller) as a roster .xlsx, in the queryset's order."""
    people = queryset.select_related("organization").prefetch_related("titles", "educations")
    organizations = Organization.objects.filter(pk__in=queryset.values("organization_id"))
    book, roster = new_roster_workbook(organizations)
    for person in people.iterator(chunk_size=_CHUNK):
        roster.append_row(roster_row(person))  # escapes formula-like text (cadres.excel)
    return book.to_bytes()
