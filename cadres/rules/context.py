"""Everything the rules read about one person, loaded in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..models import AnnualAppraisal, Education, FamilyMember, Person, Tenure, TitleHistory


@dataclass
class PersonContext:
    person: Person
    tenures: list[Tenure] = field(default_factory=list)
    titles: list[TitleHistory] = field(default_factory=list)
    educations: list[Education] = field(default_factory=list)
    appraisals: dict[int, str] = field(default_factory=dict)
    family: list[FamilyMember] = field(default_factory=list)

    @classmethod
    def load(cls, person: Person) -> PersonContext:
        return cls(
            person=person,
            tenures=list(Tenure.objects.filter(person=person).select_related("post", "post__organization")),
            titles=list(TitleHistory.objects.filter(person=person).order_by("obtained_on")),
            educations=list(Education.objects.filter(person=person)),
            appraisals=dict(AnnualAppraisal.objects.filter(person=person).values_list("year", "grade")),
            family=list(FamilyMember.objects.filter(person=person)),
        )

    def title_on(self, on: dt.date) -> str | None:
        held = [t for t in self.titles if t.obtained_on <= on]
        return held[-1].title if held else None

    def post_levels(self) -> dict[int, str]:
        return {t.post_id: t.post.level for t in self.tenures}

    def current_tenures(self, on: dt.date) -> list[Tenure]:
        return [t for t in self.tenures if t.start_date <= on and (t.end_date is None or t.end_date >= on)]
