"""The veto service: which record blocks which purpose, until when, with a Chinese sentence."""

import datetime as dt

import pytest

from cadres.ethics.models import EthicsGrade, Sanction, SanctionKind, SanctionRegime, Violation
from cadres.ethics.purposes import VetoPurpose
from cadres.ethics.rules import DEFAULT_MATRIX
from cadres.ethics.services import (
    EthicsError,
    ethics_assessment_decide,
    sanction_record,
    sanction_revise_on_appeal,
    sanctions_lift_expired,
)
from cadres.ethics.veto import veto_overview, veto_status
from cadres.models import RuleSetItem
from cadres.rules import rule_set_in_force
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def teacher(school):
    return PersonFactory(organization=school, name="赵老师")


@pytest.fixture
def actor(officer):
    return officer


DECIDED = D(2026, 3, 15)


def warn(teacher, actor, on=DECIDED, **kw):
    return sanction_record(
        acting_user=actor,
        person=teacher,
        kind=kw.pop("kind", SanctionKind.WARNING),
        decided_on=on,
        authority="示范区教育局",
        **kw,
    )


def test_unsanctioned_person_is_not_blocked(teacher):
    result = veto_status(teacher, purpose=VetoPurpose.SHORTLISTING, on=D(2026, 5, 1))
    assert not result.blocked
    assert result.sentence == "无师德一票否决情形。"


def test_warning_blocks_on_the_day_and_through_the_day_before_the_end(teacher, actor):
    sanction = warn(teacher, actor, document_number="示教发〔2026〕3号")
    assert sanction.end_date == D(2026, 9, 15)
    assert not veto_status(teacher, purpose=VetoPurpose.AWARD, on=D(2026, 3, 14)).blocked
    on_day = veto_status(teacher, purpose=VetoPurpose.AWARD, on=D(2026, 3, 15))
    assert on_day.blocked and on_day.until == D(2026, 9, 15)
    assert (
        on_day.sentence
        == "受警告处理（2026年03月15日决定，示教发〔2026〕3号），影响期至2026年09月14日（含），期间不得评优评先"
    )
    assert veto_status(teacher, purpose=VetoPurpose.AWARD, on=D(2026, 9, 14)).blocked
    assert not veto_status(teacher, purpose=VetoPurpose.AWARD, on=D(2026, 9, 15)).blocked


@pytest.mark.parametrize("purpose", VetoPurpose.values)
@pytest.mark.parametrize(
    "kind", [SanctionKind.WARNING, SanctionKind.DEMERIT, SanctionKind.ADMONITION, SanctionKind.CRITICISM]
)
def test_default_matrix_for_each_purpose(teacher, actor, kind, purpose):
    warn(teacher, actor, kind=kind)
    blocked = veto_status(teacher, purpose=purpose, on=D(2026, 4, 1)).blocked
    assert blocked == (purpose in DEFAULT_MATRIX[kind])


def test_warning_does_not_block_title_promotion_but_demerit_does(teacher, actor):
    warn(teacher, actor)
    assert not veto_status(teacher, purpose=VetoPurpose.TITLE_PROMOTION, on=D(2026, 4, 1)).blocked
    warn(teacher, actor, kind=SanctionKind.DEMERIT, on=D(2026, 4, 1))
    assert veto_status(teacher, purpose=VetoPurpose.TITLE_PROMOTION, on=D(2026, 4, 2)).blocked


def test_failed_ethics_assessment_blocks_everything_for_twelve_months(teacher, actor):
    ethics_assessment_decide(
        acting_user=actor,
        person=teacher,
        year=2025,
        grade=EthicsGrade.FAILED,
        decided_on=D(2026, 1, 10),
        violations=[Violation.PAID_TUTORING],
    )
    for purpose in VetoPurpose.values:
        assert veto_status(teacher, purpose=purpose, on=D(2026, 1, 10)).blocked
    result = veto_status(teacher, purpose=VetoPurpose.RESERVE_ENTRY, on=D(2027, 1, 9))
    assert "2025年度师德考核不合格（2026年01月10日确定），2027年01月09日（含）前不得后备干部入库" == result.sentence
    assert not veto_status(teacher, purpose=VetoPurpose.RESERVE_ENTRY, on=D(2027, 1, 10)).blocked


def test_failed_grade_without_violations_is_refused_and_changes_nothing(teacher, actor):
    with pytest.raises(EthicsError, match="须列明查实的违规行为"):
        ethics_assessment_decide(
            acting_user=actor, person=teacher, year=2025, grade=EthicsGrade.FAILED, decided_on=D(2026, 1, 10)
        )
    assert not teacher.ethics_assessments.exists()


def test_grade_outside_the_scheme_is_refused(teacher, actor):
    item = RuleSetItem.objects.get(rule_set=rule_set_in_force("ethics", D(2026, 1, 1)), rule_code="ethics_grades")
    item.params = {"grades": ["competent", "failed"]}
    item.save()
    with pytest.raises(EthicsError, match="不在现行师德考核等次中"):
        ethics_assessment_decide(
            acting_user=actor, person=teacher, year=2025, grade=EthicsGrade.EXCELLENT, decided_on=D(2026, 1, 10)
        )


def test_disqualification_blocks_only_what_it_names_for_at_least_24_months(teacher, actor):
    with pytest.raises(EthicsError, match="不得少于24个月"):
        warn(
            teacher, actor, kind=SanctionKind.DISQUALIFICATION, disqualified_from=["award"], disqualification_months=12
        )
    sanction = warn(teacher, actor, kind=SanctionKind.DISQUALIFICATION, disqualified_from=["award", "title_promotion"])
    assert sanction.end_date == D(2028, 3, 15)
    assert veto_status(teacher, purpose=VetoPurpose.AWARD, on=D(2028, 3, 14)).blocked
    assert not veto_status(teacher, purpose=VetoPurpose.SHORTLISTING, on=D(2026, 4, 1)).blocked


def test_managerial_regime_uses_the_political_sanction_periods(teacher, actor):
    sanction = warn(teacher, actor, kind=SanctionKind.MAJOR_DEMERIT, regime=SanctionRegime.MANAGERIAL)
    assert sanction.period_months == 18 and sanction.end_date == D(2027, 9, 15)
    with pytest.raises(EthicsError, match="没有“记大过”"):
        warn(teacher, actor, kind=SanctionKind.MAJOR_DEMERIT, regime=SanctionRegime.TEACHER)


def test_second_sanction_extends_and_is_capped(teacher, actor):
    warn(teacher, actor, kind=SanctionKind.POST_GRADE_DEMOTION, on=D(2026, 1, 1))  # until 2028-01-01
    second = warn(teacher, actor, kind=SanctionKind.POST_GRADE_DEMOTION, on=D(2026, 7, 1))
    assert second.end_date == D(2030, 1, 1)  # 18 remaining + 24 = 42 months
    third = warn(teacher, actor, kind=SanctionKind.POST_GRADE_DEMOTION, on=D(2026, 8, 1))
    assert third.end_date == D(2030, 8, 1)  # capped: 48 months from 2026-08-01
    assert veto_status(teacher, purpose=VetoPurpose.SHORTLISTING, on=D(2030, 7, 31)).until == D(2030, 8, 1)


def test_expulsion_blocks_without_end(teacher, actor):
    warn(teacher, actor, kind=SanctionKind.EXPULSION)
    result = veto_status(teacher, purpose=VetoPurpose.TEACHER_REGISTRATION, on=D(2040, 1, 1))
    assert result.blocked and result.until is None and "影响期至长期" in result.sentence


def test_appeal_can_lighten_or_annul_but_never_make_heavier(teacher, actor):
    demerit = warn(teacher, actor, kind=SanctionKind.DEMERIT)
    with pytest.raises(EthicsError, match="申诉不得加重处理"):
        sanction_revise_on_appeal(
            acting_user=actor,
            sanction=demerit,
            decided_on=D(2026, 6, 1),
            reason="x",
            new_kind=SanctionKind.POST_GRADE_DEMOTION,
        )
    demerit.refresh_from_db()
    assert demerit.status == Sanction.Status.IN_FORCE
    lighter = sanction_revise_on_appeal(
        acting_user=actor, sanction=demerit, decided_on=D(2026, 6, 1), reason="情节较轻", new_kind=SanctionKind.WARNING
    )
    assert lighter.end_date == D(2026, 9, 15) and lighter.replaces_id == demerit.pk
    assert veto_status(
        teacher, purpose=VetoPurpose.TITLE_PROMOTION, on=D(2026, 5, 31)
    ).blocked  # in force until the appeal
    assert not veto_status(teacher, purpose=VetoPurpose.TITLE_PROMOTION, on=D(2026, 6, 1)).blocked
    annulled = sanction_revise_on_appeal(
        acting_user=actor, sanction=lighter, decided_on=D(2026, 7, 1), reason="事实不清", annul=True
    )
    assert annulled.status == Sanction.Status.ANNULLED
    assert not veto_status(teacher, purpose=VetoPurpose.AWARD, on=D(2026, 7, 1)).blocked


def test_sanctions_lift_themselves_on_their_end_date_with_an_audit_event(teacher, actor):
    from audit.models import AuditEvent

    sanction = warn(teacher, actor)
    assert sanctions_lift_expired(on=D(2026, 9, 14)) == []
    lifted = sanctions_lift_expired(on=D(2026, 9, 15))
    assert [s.pk for s in lifted] == [sanction.pk]
    sanction.refresh_from_db()
    assert sanction.status == Sanction.Status.LIFTED and sanction.ended_on == D(2026, 9, 15)
    assert AuditEvent.objects.filter(action="sanction_lifted", object_id=str(sanction.pk)).exists()


def test_overview_covers_every_purpose(teacher, actor):
    warn(teacher, actor)
    overview = veto_overview(teacher, on=D(2026, 4, 1))
    assert set(overview) == set(VetoPurpose.values)
    assert overview["award"].blocked and not overview["title_promotion"].blocked


def test_unknown_purpose_is_a_programming_error(teacher):
    with pytest.raises(ValueError):
        veto_status(teacher, purpose="lottery", on=D(2026, 1, 1))


def test_matrix_is_taken_from_the_rule_set_in_force(teacher, actor):
    warn(teacher, actor)
    item = RuleSetItem.objects.get(rule_set=rule_set_in_force("ethics", D(2026, 1, 1)), rule_code="veto_matrix")
    item.params = {"matrix": {**DEFAULT_MATRIX, "warning": []}, "ethics_failed_months": 12}
    item.save()
    assert not veto_status(teacher, purpose=VetoPurpose.AWARD, on=D(2026, 4, 1)).blocked


def test_record_for_another_user_type_has_no_effect_on_others(teacher, actor, school):
    other = PersonFactory(organization=school)
    warn(teacher, actor)
    assert not veto_status(other, purpose=VetoPurpose.AWARD, on=D(2026, 4, 1)).blocked
    assert UserFactory()  # a user with no records exists independently


def test_daily_command_lifts_expired_sanctions(teacher, actor, capsys):
    from django.core.management import call_command

    warn(teacher, actor)
    call_command("lift_expired_sanctions", "--date", "2026-09-15")
    assert "共解除 1 项处分" in capsys.readouterr().out
