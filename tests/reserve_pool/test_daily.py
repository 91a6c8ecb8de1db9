"""Dynamic management: each automatic removal and expiry on the right day (the day before: kept; the day of:
removed), the reason recorded, one audit event by the system, idempotent runs, yearly review tasks."""

import datetime as dt
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from cadres import choices as c
from cadres.ethics.models import EthicsGrade, SanctionKind, Violation
from cadres.ethics.services import ethics_assessment_decide, sanction_record
from cadres.ethics.veto import veto_status
from cadres.models import RuleSet, RuleSetItem
from cadres.rules import rule_set_in_force
from reserve_pool import services, triggers
from reserve_pool.choices import EndTrigger, ReserveState, ReviewDecision, ReviewStatus
from reserve_pool.models import ReserveEntry, YearlyReview
from reserve_pool.rules import RESERVE_POOL_PURPOSE, reserve_pool_params

from .conftest import ON, bring_to, make_teacher, nominate

pytestmark = pytest.mark.django_db
D = dt.date
S = ReserveState


def run(day):
    out = StringIO()
    call_command("reserve_pool_daily", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


def state_of(entry):
    return ReserveEntry.objects.get(pk=entry.pk).state


@pytest.fixture
def pooled(officer, teacher):
    return bring_to(nominate(teacher, officer), S.IN_POOL, officer)


# ----------------------------------------------------------------------------- pure trigger functions


def test_age_trigger_fires_on_the_birthday_after_the_limit():
    assert triggers.age_hit(D(1980, 7, 1), D(2026, 6, 30), 45) is None
    hit = triggers.age_hit(D(1980, 7, 1), D(2026, 7, 1), 45)
    assert (hit.code, hit.reason) == (EndTrigger.AGE_LIMIT, "年龄46周岁，超过后备干部年龄上限45周岁")
    assert triggers.age_hit(D(1980, 7, 1), D(2030, 1, 1), None) is None


def test_age_trigger_for_someone_born_on_29_february():
    assert triggers.age_hit(D(1980, 2, 29), D(2026, 2, 28), 45) is None
    assert triggers.age_hit(D(1980, 2, 29), D(2026, 3, 1), 45) is not None


def test_appraisal_of_a_year_counts_from_the_next_first_of_january():
    grades = {2024: c.AppraisalGrade.COMPETENT, 2025: c.AppraisalGrade.BASIC}
    assert triggers.appraisal_hit(grades, D(2025, 12, 31), c.AppraisalGrade.COMPETENT) is None
    hit = triggers.appraisal_hit(grades, D(2026, 1, 1), c.AppraisalGrade.COMPETENT)
    assert (hit.code, hit.reason) == (EndTrigger.APPRAISAL, "2025年度考核为基本合格，低于合格")


def test_appraisal_trigger_reads_only_the_latest_year_and_ignores_unrated():
    assert triggers.appraisal_hit({2023: "incompetent", 2025: "competent"}, D(2026, 5, 1), "competent") is None
    assert triggers.appraisal_hit({2025: c.AppraisalGrade.UNRATED}, D(2026, 5, 1), "competent") is None
    assert triggers.appraisal_hit({2025: "incompetent"}, D(2026, 5, 1), "") is None  # switched off
    assert triggers.appraisal_hit({}, D(2026, 5, 1), "competent") is None


def test_employment_trigger():
    assert triggers.employment_hit(c.EmploymentStatus.ACTIVE) is None
    assert triggers.employment_hit(c.EmploymentStatus.RETIRED).reason == "已不在职（退休）"


def test_expiry_of_an_admission_and_of_a_nomination():
    pool = {"valid_until": D(2029, 3, 1), "nominated_on": D(2026, 1, 5), "nomination_months": 12}
    assert triggers.expiry_hit(state=S.IN_POOL, on=D(2029, 3, 1), **pool) is None
    assert triggers.expiry_hit(state=S.IN_POOL, on=D(2029, 3, 2), **pool).code == EndTrigger.VALIDITY
    assert triggers.expiry_hit(state=S.SHORTLISTED, on=D(2029, 3, 2), **pool) is None
    assert triggers.expiry_hit(state=S.SHORTLISTED, on=D(2029, 3, 2), include_shortlisted=True, **pool) is not None
    pending = {"valid_until": None, "nominated_on": D(2026, 1, 5), "nomination_months": 12}
    assert triggers.expiry_hit(state=S.ASSESSED, on=D(2027, 1, 4), **pending) is None
    hit = triggers.expiry_hit(state=S.ASSESSED, on=D(2027, 1, 5), **pending)
    assert (hit.code, hit.reason) == (EndTrigger.NOMINATION_VALIDITY, "2026年01月05日提名，12个月内未决定入库")
    assert triggers.expiry_hit(state=S.USED, on=D(2040, 1, 1), **pool) is None


def test_removal_hits_respect_the_switches_and_keep_a_fixed_order():
    params = SimpleNamespace(
        remove_on_ethics_veto=True, remove_below_appraisal="competent", remove_over_age=True, remove_on_leaving=True
    )
    facts = {
        "veto": None,
        "appraisals": {2025: "basic"},
        "birth_date": D(1970, 1, 1),
        "employment_status": "left",
        "on": D(2026, 5, 1),
        "max_age": 45,
    }
    assert [h.code for h in triggers.removal_hits(params=params, **facts)] == ["appraisal", "age_limit", "left"]
    params.remove_over_age = params.remove_on_leaving = False
    params.remove_below_appraisal = ""
    assert triggers.removal_hits(params=params, **facts) == []


def test_ethics_trigger_reads_the_veto(officer, teacher):
    assert triggers.ethics_hit(veto_status(teacher, purpose="reserve_entry", on=ON)) is None
    sanction_record(acting_user=officer, person=teacher, kind=SanctionKind.DEMERIT, decided_on=ON, authority="区教育局")
    hit = triggers.ethics_hit(veto_status(teacher, purpose="reserve_entry", on=ON))
    assert hit.reason == "师德一票否决：受记过处理（2026年03月02日决定），影响期至2027年03月01日（含）"


# ----------------------------------------------------------------------------- the daily command


def test_sanction_removes_on_its_start_day(officer, teacher, pooled):
    sanction_record(
        acting_user=officer, person=teacher, kind=SanctionKind.WARNING, decided_on=D(2026, 5, 10), authority="区教育局"
    )
    run(D(2026, 5, 9))
    assert state_of(pooled) == S.IN_POOL
    output = run(D(2026, 5, 10))
    pooled.refresh_from_db()
    assert (pooled.state, pooled.end_trigger, pooled.ended_on) == (S.REMOVED, EndTrigger.ETHICS_VETO, D(2026, 5, 10))
    assert pooled.removal_reason == "师德一票否决：受警告处理（2026年05月10日决定），影响期至2026年11月09日（含）"
    event = AuditEvent.objects.for_object(pooled).last()
    assert event.actor is None and event.action == "reserve_entry_remove"
    assert (event.from_state, event.to_state) == ("in_pool", "removed")
    assert event.payload["automatic"] is True and event.payload["triggers"] == ["ethics_veto"]
    assert "撤销资格：王老师（师德一票否决" in output and "撤销资格 1 人" in output


def test_failed_ethics_assessment_removes_on_its_decision_day(officer, teacher, pooled):
    ethics_assessment_decide(
        acting_user=officer,
        person=teacher,
        year=2026,
        grade=EthicsGrade.FAILED,
        decided_on=D(2026, 6, 1),
        violations=[Violation.PAID_TUTORING],
    )
    run(D(2026, 5, 31))
    assert state_of(pooled) == S.IN_POOL
    run(D(2026, 6, 1))
    pooled.refresh_from_db()
    assert pooled.state == S.REMOVED and pooled.end_trigger == EndTrigger.ETHICS_VETO
    assert pooled.removal_reason.startswith("师德一票否决：2026年度师德考核不合格（2026年06月01日确定）")


def test_appraisal_below_competent_removes_from_the_next_first_of_january(officer, teacher, pooled):
    teacher.appraisals.filter(year__gte=2027).delete()
    teacher.appraisals.filter(year=2026).update(grade=c.AppraisalGrade.BASIC)
    run(D(2026, 12, 31))
    assert state_of(pooled) == S.IN_POOL
    run(D(2027, 1, 1))
    pooled.refresh_from_db()
    assert (pooled.state, pooled.end_trigger, pooled.removal_reason) == (
        S.REMOVED,
        EndTrigger.APPRAISAL,
        "2026年度考核为基本合格，低于合格",
    )


def test_age_limit_removes_on_the_birthday(officer, school, posts):
    person = make_teacher(school, "周老师", birth=D(1980, 7, 1))
    entry = bring_to(nominate(person, officer), S.IN_POOL, officer)
    run(D(2026, 6, 30))
    assert state_of(entry) == S.IN_POOL
    run(D(2026, 7, 1))
    entry.refresh_from_db()
    assert (entry.state, entry.end_trigger, entry.removal_reason) == (
        S.REMOVED,
        EndTrigger.AGE_LIMIT,
        "年龄46周岁，超过后备干部年龄上限45周岁",
    )


def test_leaving_employment_removes_a_pending_nomination_too(officer, teacher):
    entry = bring_to(nominate(teacher, officer), S.UNDER_REVIEW, officer)
    run(D(2026, 4, 1))
    assert state_of(entry) == S.UNDER_REVIEW
    teacher.employment_status = c.EmploymentStatus.LEFT
    teacher.save()
    run(D(2026, 4, 1))
    entry.refresh_from_db()
    assert (entry.state, entry.end_trigger, entry.removal_reason) == (S.REMOVED, EndTrigger.LEFT, "已不在职（离职）")


def test_several_facts_are_all_recorded(officer, school, posts):
    person = make_teacher(school, "吴老师", birth=D(1980, 7, 1))
    entry = bring_to(nominate(person, officer), S.IN_POOL, officer)
    person.employment_status = c.EmploymentStatus.RETIRED
    person.save()
    run(D(2026, 7, 1))
    entry.refresh_from_db()
    assert entry.removal_reason == "年龄46周岁，超过后备干部年龄上限45周岁；已不在职（退休）"
    assert entry.end_trigger == EndTrigger.AGE_LIMIT


def test_admission_expires_the_day_after_its_validity(pooled):
    run(D(2029, 3, 1))
    assert state_of(pooled) == S.IN_POOL
    output = run(D(2029, 3, 2))
    pooled.refresh_from_db()
    assert (pooled.state, pooled.end_trigger, pooled.ended_on) == (S.EXPIRED, EndTrigger.VALIDITY, D(2029, 3, 2))
    event = AuditEvent.objects.for_object(pooled).filter(action="reserve_entry_expire").get()
    assert event.actor is None and event.reason == "入库有效期已于2029年03月01日届满"
    assert "到期：王老师（入库有效期已于2029年03月01日届满）" in output


def test_renewed_entry_does_not_expire(officer, pooled):
    services.reserve_entry_renew(acting_user=officer, entry=pooled, on=D(2029, 2, 1))
    run(D(2029, 3, 2))
    assert state_of(pooled) == S.IN_POOL


def test_nomination_never_admitted_lapses(officer, teacher):
    entry = bring_to(nominate(teacher, officer), S.ASSESSED, officer)
    run(D(2027, 3, 1))
    assert state_of(entry) == S.ASSESSED
    run(D(2027, 3, 2))
    entry.refresh_from_db()
    assert (entry.state, entry.end_trigger) == (S.EXPIRED, EndTrigger.NOMINATION_VALIDITY)


def test_shortlisted_entry_is_left_to_its_inspection(officer, teacher):
    entry = bring_to(nominate(teacher, officer), S.SHORTLISTED, officer)
    run(D(2029, 3, 2))
    assert state_of(entry) == S.SHORTLISTED


def test_a_removal_fact_wins_over_expiry(officer, teacher, pooled):
    teacher.employment_status = c.EmploymentStatus.LEFT
    teacher.save()
    run(D(2029, 3, 2))
    assert state_of(pooled) == S.REMOVED


def test_a_trigger_switched_off_in_the_rule_set_keeps_the_entry(officer, school, posts):
    item = rule_set_in_force(RESERVE_POOL_PURPOSE, ON).items.get(rule_code="reserve_removal_triggers")
    item.params = {**item.params, "age_limit": False}
    item.full_clean()
    item.save()
    entry = bring_to(nominate(make_teacher(school, "周老师", birth=D(1980, 7, 1)), officer), S.IN_POOL, officer)
    run(D(2026, 7, 1))
    assert state_of(entry) == S.IN_POOL


def test_the_age_limit_is_the_reserve_entry_rule_sets(officer, school, posts):
    item = rule_set_in_force("reserve_entry", ON).items.get(rule_code="max_age")
    entry = bring_to(nominate(make_teacher(school, "周老师", birth=D(1980, 7, 1)), officer), S.IN_POOL, officer)
    item.params = {"max_age": 50}
    item.save()
    run(D(2026, 7, 1))
    assert state_of(entry) == S.IN_POOL


def test_running_twice_on_one_day_changes_nothing_the_second_time(officer, teacher, pooled):
    teacher.employment_status = c.EmploymentStatus.LEFT
    teacher.save()
    run(D(2027, 3, 2))
    events = AuditEvent.objects.count()
    output = run(D(2027, 3, 2))
    assert AuditEvent.objects.count() == events
    assert "撤销资格 0 人，到期 0 人，新增年度复核 0 项" in output


# ----------------------------------------------------------------------------- yearly review tasks


def test_yearly_review_task_opens_when_due_and_only_once(officer, pooled):
    run(D(2027, 3, 1))
    assert not YearlyReview.objects.exists()
    output = run(D(2027, 3, 2))
    review = YearlyReview.objects.get()
    assert (review.entry_id, review.year, review.due_on, review.status) == (
        pooled.pk,
        2027,
        D(2027, 3, 2),
        ReviewStatus.PENDING,
    )
    assert "年度复核待办：王老师（2027年度，应于2027-03-02复核）" in output
    event = AuditEvent.objects.for_object(pooled).last()
    assert event.action == "reserve_yearly_review_open" and event.actor is None
    run(D(2027, 3, 3))
    assert YearlyReview.objects.count() == 1


def test_next_review_falls_due_a_cycle_after_the_last_decision(officer, pooled):
    run(D(2027, 3, 2))
    services.reserve_entry_yearly_review(
        acting_user=officer, entry=pooled, decision=ReviewDecision.KEEP, on=D(2027, 3, 20)
    )
    run(D(2028, 3, 19))
    assert YearlyReview.objects.filter(status=ReviewStatus.PENDING).count() == 0
    run(D(2028, 3, 20))
    pending = YearlyReview.objects.get(status=ReviewStatus.PENDING)
    assert (pending.year, pending.due_on) == (2028, D(2028, 3, 20))


def test_review_cycle_comes_from_the_rule_set(officer, pooled):
    item = rule_set_in_force(RESERVE_POOL_PURPOSE, ON).items.get(rule_code="reserve_review_cycle")
    item.params = {"months": 6}
    item.save()
    assert reserve_pool_params(ON).review_months == 6
    run(D(2026, 9, 2))
    assert YearlyReview.objects.filter(due_on=D(2026, 9, 2)).exists()


def test_rule_set_item_parameters_are_validated():
    item = RuleSetItem(
        rule_set=rule_set_in_force(RESERVE_POOL_PURPOSE, ON),
        rule_code="reserve_near_term_share",
        params={"numerator": 2, "denominator": 1},
        position=99,
    )
    with pytest.raises(ValidationError):
        item.clean()


def test_the_command_fails_clearly_without_a_rule_set(officer, pooled):
    RuleSet.objects.filter(purpose=RESERVE_POOL_PURPOSE).update(effective_from=D(2030, 1, 1))
    with pytest.raises(CommandError) as failed:
        run(D(2027, 3, 2))
    assert str(failed.value) == "2027年3月2日没有适用于“reserve_pool”的规则集，请管理员在“规则集”中添加。"
    assert state_of(pooled) == S.IN_POOL


def test_the_daily_run_reads_in_bulk(officer, school, other_school, posts):
    def queries_for_quiet_run():
        with CaptureQueriesContext(connection) as ctx:
            services.reserve_pool_run_daily(on=D(2026, 6, 1))
        return len(ctx.captured_queries)

    for name in ("甲", "乙"):
        bring_to(nominate(make_teacher(school, name), officer, post_kind=c.PostKind.PRINCIPAL), S.IN_POOL, officer)
    few = queries_for_quiet_run()
    for name in ("丙", "丁", "戊", "己"):
        bring_to(nominate(make_teacher(other_school, name), officer), S.UNDER_REVIEW, officer)
    assert queries_for_quiet_run() == few  # nothing to change: the same queries whatever the pool's size
