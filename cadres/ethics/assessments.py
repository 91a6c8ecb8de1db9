"""The yearly ethics assessment (师德考核): a school opens a year, gathers inputs, decides grades.

Deciding a grade goes through `services.ethics_assessment_decide` (which also caps the annual appraisal).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from audit.services import record_event

from ..choices import EmploymentStatus
from ..models import Organization, Person
from ..roles import Role, has_role, is_bureau_user, organization_of
from .models import EthicsAssessment, EthicsGrade


def can_run_assessment(user, organization: Organization) -> bool:
    """Personnel officers (bureau) for any school; a school's party secretary for their own school."""
    if is_bureau_user(user) and (user.is_superuser or has_role(user, Role.PERSONNEL_OFFICER)):
        return True
    return has_role(user, Role.SCHOOL_SECRETARY) and organization_of(user) == organization


def _require(user, organization):
    if not can_run_assessment(user, organization):
        raise PermissionDenied(_("无权办理该单位的师德考核。"))


@transaction.atomic
def ethics_year_open(*, acting_user, organization: Organization, year: int) -> int:
    """Create an ungraded record for every active member of staff who has none for `year`; return how many."""
    _require(acting_user, organization)
    staff = Person.objects.filter(organization=organization, employment_status=EmploymentStatus.ACTIVE)
    existing = set(EthicsAssessment.objects.filter(person__in=staff, year=year).values_list("person_id", flat=True))
    new = [EthicsAssessment(person=p, year=year) for p in staff if p.pk not in existing]
    EthicsAssessment.objects.bulk_create(new)
    record_event(
        actor=acting_user,
        action="ethics_year_opened",
        obj=organization,
        payload={"year": year, "created": len(new), "already": len(existing)},
    )
    return len(new)


@transaction.atomic
def ethics_inputs_record(
    *, acting_user, assessment: EthicsAssessment, self_review="", peer_review="", student_review="", parent_review=""
) -> EthicsAssessment:
    """Record the four inputs (self, peers, students, parents) for one teacher's year."""
    assessment = (
        EthicsAssessment.objects.select_for_update().select_related("person__organization").get(pk=assessment.pk)
    )
    _require(acting_user, assessment.person.organization)
    assessment.self_review = self_review
    assessment.peer_review = peer_review
    assessment.student_review = student_review
    assessment.parent_review = parent_review
    assessment.save()
    record_event(actor=acting_user, action="ethics_inputs_recorded", obj=assessment, payload={"year": assessment.year})
    return assessment


@dataclass(frozen=True)
class SchoolProgress:
    organization: Organization
    total: int
    graded: int
    failed: int

    @property
    def percent(self) -> int:
        return round(100 * self.graded / self.total) if self.total else 0


def ethics_year_progress(*, organizations, year: int) -> list[SchoolProgress]:
    """Completion per school for the bureau: records opened, graded, and graded 不合格."""
    counts = (
        EthicsAssessment.objects.filter(year=year, person__organization__in=organizations)
        .values("person__organization")
        .annotate(
            total=Count("id"),
            graded=Count("id", filter=~Q(grade="")),
            failed=Count("id", filter=Q(grade=EthicsGrade.FAILED)),
        )
    )
    by_org = {row["person__organization"]: row for row in counts}
    return [
        SchoolProgress(
            org,
            by_org.get(org.pk, {}).get("total", 0),
            by_org.get(org.pk, {}).get("graded", 0),
            by_org.get(org.pk, {}).get("failed", 0),
        )
        for org in organizations.order_by("code")
    ]
