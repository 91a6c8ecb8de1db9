"""The yearly review (keep, change kind or horizon, remove) and training records with the required hours."""

import datetime as dt
from decimal import Decimal

import pytest

from audit.models import AuditEvent
from cadres import choices as c
from reserve_pool import selectors, services
from reserve_pool.choices import EndTrigger, Horizon, ReserveKind, ReserveState, ReviewDecision, ReviewStatus
from reserve_pool.exceptions import ReservePermissionDenied, ReserveRefused
from reserve_pool.models import ReserveEntry, TrainingRecord, YearlyReview

from .conftest import bring_to, make_teacher, nominate

pytestmark = pytest.mark.django_db
D = dt.date
S = ReserveState
LATER = D(2027, 3, 5)


def _snapshot(entry):
    row = ReserveEntry.objects.get(pk=entry.pk)
    return {f.attname: getattr(row, f.attname) for f in ReserveEntry._meta.concrete_fields}


def _review(entry, user, decision, **kwargs):
    return services.reserve_entry_yearly_review(
        acting_user=user, entry=entry, decision=decision, on=kwargs.pop("on", LATER), **kwargs
    )


@pytest.fixture
def pooled(officer, teacher):
    return bring_to(nominate(teacher, officer), S.IN_POOL, officer)


def test_keep_decides_the_pending_task(officer, pooled):
    services.reserve_pool_open_yearly_reviews(on=D(2027, 3, 2))
    task = YearlyReview.objects.get()
    review = _review(pooled, officer, ReviewDecision.KEEP)
    assert review.pk == task.pk
    assert (review.status, review.decision, review.reviewer, review.decided_on) == (
        ReviewStatus.DECIDED,
        ReviewDecision.KEEP,
        officer,
        LATER,
    )
    assert (review.kind_before, review.kind_after) == (ReserveKind.DEPUTY, ReserveKind.DEPUTY)
    event = AuditEvent.objects.for_object(pooled).last()
    assert (event.action, event.from_state, event.to_state) == ("reserve_entry_yearly_review", "in_pool", "in_pool")
    assert event.payload["decision"] == "keep" and event.payload["review"] == review.pk


def test_keeping_a_person_the_rules_now_refuse_is_refused_with_the_reasons(officer, teacher, pooled):
    teacher.educations.all().delete()
    before = _snapshot(pooled)
    with pytest.raises(ReserveRefused) as refused:
        _review(pooled, officer, ReviewDecision.KEEP)
    assert refused.value.reasons == ["学历须为大学本科及以上，现为无学历记录"]
    assert refused.value.message.startswith("王老师不符合后备干部条件，不能继续保留：")
    assert _snapshot(pooled) == before
    assert not YearlyReview.objects.exists()


def test_change_of_kind_moves_to_the_counterpart_category(officer, pooled, posts):
    review = _review(pooled, officer, ReviewDecision.CHANGE_KIND, new_kind=ReserveKind.HEAD, reason="已具备正职条件")
    pooled.refresh_from_db()
    assert (pooled.kind, pooled.post_kind, pooled.state) == (ReserveKind.HEAD, c.PostKind.PRINCIPAL, S.IN_POOL)
    assert (review.post_kind_before, review.post_kind_after) == (c.PostKind.VICE_PRINCIPAL, c.PostKind.PRINCIPAL)
    assert review.reason == "已具备正职条件"


def test_change_of_kind_respects_the_new_categorys_quota(officer, school, pooled, posts):
    for name in ("甲", "乙"):
        bring_to(nominate(make_teacher(school, name), officer, post_kind=c.PostKind.PRINCIPAL), S.IN_POOL, officer)
    before = _snapshot(pooled)
    with pytest.raises(ReserveRefused) as refused:
        _review(pooled, officer, ReviewDecision.CHANGE_KIND, new_kind=ReserveKind.HEAD, reason="调整")
    assert refused.value.message == (
        "该校（第一实验小学）校长后备已有2人，限额2人（校长职数1个，每个职位后备不超过2人），不能再增加。"
    )
    assert _snapshot(pooled) == before


def test_change_of_kind_needs_a_matching_category(officer, pooled):
    with pytest.raises(ReserveRefused) as refused:
        _review(
            pooled,
            officer,
            ReviewDecision.CHANGE_KIND,
            new_kind=ReserveKind.HEAD,
            new_post_kind=c.PostKind.DEPUTY_SECRETARY,
            reason="调整",
        )
    assert refused.value.code == "invalid_target"


def test_change_of_horizon_to_long_term_checks_the_near_term_share(officer, school, other_school, pooled):
    before = _snapshot(pooled)
    with pytest.raises(ReserveRefused) as refused:
        _review(pooled, officer, ReviewDecision.CHANGE_HORIZON, new_horizon=Horizon.LONG_TERM, reason="需继续培养")
    assert refused.value.message.endswith("调整后全区后备干部共1人，其中近期可提拔使用0人，至少须1人。")
    assert _snapshot(pooled) == before
    bring_to(nominate(make_teacher(other_school, "乙"), officer), S.IN_POOL, officer)
    _review(pooled, officer, ReviewDecision.CHANGE_HORIZON, new_horizon=Horizon.LONG_TERM, reason="需继续培养")
    assert ReserveEntry.objects.get(pk=pooled.pk).horizon == Horizon.LONG_TERM


def test_removal_at_the_yearly_review(officer, pooled):
    review = _review(pooled, officer, ReviewDecision.REMOVE, reason="年度考察表现一般")
    pooled.refresh_from_db()
    assert (pooled.state, pooled.end_trigger, pooled.removal_reason) == (
        S.REMOVED,
        EndTrigger.YEARLY_REVIEW,
        "年度考察表现一般",
    )
    assert review.decision == ReviewDecision.REMOVE
    events = AuditEvent.objects.for_object(pooled).filter(action__startswith="reserve_entry_yearly")
    assert [(e.from_state, e.to_state) for e in events] == [("in_pool", "removed")]


@pytest.mark.parametrize(
    ("decision", "extra"),
    [
        (ReviewDecision.REMOVE, {}),
        (ReviewDecision.CHANGE_HORIZON, {"new_horizon": Horizon.LONG_TERM}),
        (ReviewDecision.CHANGE_KIND, {"new_kind": ReserveKind.HEAD}),
    ],
)
def test_changes_and_removal_need_a_reason(officer, pooled, decision, extra):
    with pytest.raises(ReserveRefused) as refused:
        _review(pooled, officer, decision, **extra)
    assert (refused.value.code, refused.value.message) == ("reason_required", "调整或撤销资格须写明理由。")


def test_yearly_review_is_for_admitted_entries_and_the_bureau(officer, school_secretary, teacher, pooled):
    with pytest.raises(ReservePermissionDenied):
        _review(pooled, school_secretary, ReviewDecision.KEEP)
    other = nominate(make_teacher(pooled.organization, "新提名"), officer)
    with pytest.raises(ReserveRefused) as refused:
        _review(other, officer, ReviewDecision.KEEP)
    assert refused.value.message == "年度复核只适用于在库的后备干部（新提名现为“已提名”）。"


# ----------------------------------------------------------------------------- training


def _train(entry, user, **kwargs):
    values = {
        "course": "区中小学后备干部培训班",
        "provider": "区教师发展中心",
        "start_date": D(2026, 7, 6),
        "end_date": D(2026, 7, 10),
        "hours": 32,
        **kwargs,
    }
    return services.training_record_add(acting_user=user, entry=entry, **values)


def test_training_hours_against_the_rule_sets_requirement(officer, school_secretary, pooled):
    _train(pooled, officer)
    _train(
        pooled,
        school_secretary,
        course="校本管理实务",
        provider="本校",
        hours="6.5",
        start_date=D(2026, 10, 9),
        end_date=D(2026, 10, 9),
    )
    _train(pooled, officer, course="跨年课程", start_date=D(2026, 12, 28), end_date=D(2027, 1, 3), hours=20)
    summary = selectors.training_summary(pooled, year=2026)
    assert summary == {
        "year": 2026,
        "required_hours": Decimal("40"),
        "completed_hours": Decimal("38.5"),
        "shortfall_hours": Decimal("1.5"),
        "met": False,
    }
    assert selectors.training_hours([pooled.pk], year=2027) == {pooled.pk: Decimal("20.0")}
    event = AuditEvent.objects.filter(action="reserve_training_add").first()
    assert (event.from_state, event.to_state, event.object_type) == (
        "in_pool",
        "in_pool",
        "reserve_pool.trainingrecord",
    )


def test_other_schools_secretary_cannot_record_training(other_secretary, pooled):
    with pytest.raises(ReservePermissionDenied) as denied:
        _train(pooled, other_secretary)
    assert denied.value.message == "只有教育局组织人事科或本校党组织书记可以登记后备干部培训。"
    assert not TrainingRecord.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"end_date": D(2026, 7, 1)}, "培训结束日期不能早于开始日期。"),
        ({"hours": 0}, "学时须大于0。"),
        ({"hours": "四十"}, "学时须为数字。"),
        ({"course": ""}, "须填写培训项目。"),
    ],
)
def test_training_input_is_checked(officer, pooled, kwargs, message):
    with pytest.raises(ReserveRefused) as refused:
        _train(pooled, officer, **kwargs)
    assert refused.value.message == message
    assert not TrainingRecord.objects.exists()


def test_training_belongs_to_admitted_entries(officer, teacher):
    entry = nominate(teacher, officer)
    with pytest.raises(ReserveRefused) as refused:
        _train(entry, officer)
    assert refused.value.message == "只有在库的后备干部可以登记培训（王老师现为“已提名”）。"
