"""Ethics records force the year's annual appraisal down and refuse grades above the cap."""

import datetime as dt

import pytest

from cadres.choices import AppraisalGrade
from cadres.ethics.models import EthicsGrade, SanctionKind, Violation
from cadres.ethics.services import EthicsError, annual_appraisal_record, ethics_assessment_decide, sanction_record
from cadres.models import AnnualAppraisal
from tests.factories import AppraisalFactory, PersonFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def teacher(school):
    return PersonFactory(organization=school)


def test_failed_ethics_grade_forces_that_years_appraisal_to_incompetent(teacher, officer):
    AppraisalFactory(person=teacher, year=2025, grade=AppraisalGrade.EXCELLENT)
    ethics_assessment_decide(
        acting_user=officer,
        person=teacher,
        year=2025,
        grade=EthicsGrade.FAILED,
        decided_on=D(2026, 1, 5),
        violations=[Violation.GIFTS],
    )
    assert AnnualAppraisal.objects.get(person=teacher, year=2025).grade == AppraisalGrade.INCOMPETENT


def test_warning_means_no_excellent_that_year(teacher, officer):
    AppraisalFactory(person=teacher, year=2026, grade=AppraisalGrade.EXCELLENT)
    sanction_record(
        acting_user=officer, person=teacher, kind=SanctionKind.WARNING, decided_on=D(2026, 3, 1), authority="区教育局"
    )
    assert AnnualAppraisal.objects.get(person=teacher, year=2026).grade == AppraisalGrade.COMPETENT
    with pytest.raises(EthicsError, match="2026年度考核不能确定为优秀") as exc:
        annual_appraisal_record(acting_user=officer, person=teacher, year=2026, grade=AppraisalGrade.EXCELLENT)
    assert exc.value.code == "appraisal_above_cap"
    assert (
        annual_appraisal_record(acting_user=officer, person=teacher, year=2027, grade=AppraisalGrade.EXCELLENT).grade
        == "excellent"
    )


def test_post_grade_demotion_leaves_two_years_unrated(teacher, officer):
    sanction_record(
        acting_user=officer,
        person=teacher,
        kind=SanctionKind.POST_GRADE_DEMOTION,
        decided_on=D(2026, 3, 1),
        authority="区教育局",
    )
    assert AnnualAppraisal.objects.get(person=teacher, year=2026).grade == AppraisalGrade.UNRATED
    assert AnnualAppraisal.objects.get(person=teacher, year=2027).grade == AppraisalGrade.UNRATED
    with pytest.raises(EthicsError, match="最高为不定等次"):
        annual_appraisal_record(acting_user=officer, person=teacher, year=2027, grade=AppraisalGrade.COMPETENT)
    assert annual_appraisal_record(acting_user=officer, person=teacher, year=2028, grade=AppraisalGrade.COMPETENT)
