"""Illegal steps are refused with a reason and change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from viewflow.workflow import STATUS

from audit.models import AuditEvent
from cadres import choices as c
from cadres.ethics.models import Sanction
from cadres.roles import Role
from tests.factories import BureauFactory, FamilyMemberFactory, PersonFactory, UserFactory
from workflows.ethics_case import services
from workflows.ethics_case.flows import EthicsCaseFlow
from workflows.ethics_case.models import EthicsCase
from workflows.ethics_case.services import EthicsCaseError

from .conftest import DECIDED, PROPOSED

pytestmark = pytest.mark.django_db


def snapshot(case):
    """Everything a refused step must leave alone: the case row, its records, its tasks and the trail."""
    case = EthicsCase.objects.get(pk=case.pk)
    fields = {f.attname: getattr(case, f.attname) for f in EthicsCase._meta.concrete_fields}
    return (
        fields,
        list(Sanction.objects.order_by("pk").values_list("pk", "kind", "status", "end_date", "ended_on")),
        list(case.task_set.order_by("pk").values_list("pk", "status", "owner_id")),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def decided(driver, district):
    return driver.to_decision(district, district.ma, district.teacher, district.secretary, district.officer)


def test_a_late_review_application_is_refused_with_the_date_it_was_due(driver, district, decided):
    before = snapshot(decided)
    response = driver.post(
        district.teacher, EthicsCaseFlow.apply_review, {"reason": "不服。"}, on=dt.date(2026, 10, 10)
    )
    assert response.status_code == 200
    assert "申请期限已于2026年10月9日届满，不予受理" in response.content.decode()
    assert snapshot(decided) == before
    # in time, the same application goes through
    case = driver.step(district.teacher, EthicsCaseFlow.apply_review, {"reason": "不服。"}, on=dt.date(2026, 10, 9))
    assert case.review_applied_on == dt.date(2026, 10, 9)


@pytest.fixture
def appealed(driver, district, decided):
    d = district
    driver.step(d.teacher, EthicsCaseFlow.apply_review, {"reason": "不服。"}, on=dt.date(2026, 9, 20))
    driver.step(d.officer, EthicsCaseFlow.answer_review, {"result": "keep", "text": "维持。"}, on=dt.date(2026, 9, 30))
    return driver.step(d.teacher, EthicsCaseFlow.apply_appeal, {"reason": "申诉。"}, on=dt.date(2026, 10, 15))


def test_a_second_appeal_is_refused(district, appealed):
    before = snapshot(appealed)
    with pytest.raises(EthicsCaseError) as refused:
        services.ethics_case_appeal_apply(
            acting_user=district.teacher, case=appealed, reason="再次申诉。", on=dt.date(2026, 10, 16)
        )
    assert refused.value.code == "appeal_twice"
    assert "已于2026年10月15日提出申诉，不能重复申诉" in refused.value.messages[0]
    assert snapshot(appealed) == before


def test_an_appeal_can_never_make_the_sanction_heavier(driver, district, appealed):
    before = snapshot(appealed)
    response = driver.post(
        district.committee,
        EthicsCaseFlow.decide_appeal,
        {"result": "lighten", "new_kind": "post_grade_demotion", "text": "加重"},
        on=dt.date(2026, 11, 1),
    )
    assert response.status_code == 200
    assert "申诉不得加重处理：原处理为记过，不能改为降低岗位等级" in response.content.decode()
    assert snapshot(appealed) == before
    assert driver.task(EthicsCaseFlow.decide_appeal).status == STATUS.NEW


def test_a_review_answer_can_never_make_the_sanction_heavier_either(driver, district, decided):
    driver.step(district.teacher, EthicsCaseFlow.apply_review, {"reason": "不服。"}, on=dt.date(2026, 9, 20))
    before = snapshot(decided)
    response = driver.post(
        district.officer,
        EthicsCaseFlow.answer_review,
        {"result": "lighten", "new_kind": "expulsion", "text": "加重"},
        on=dt.date(2026, 9, 30),
    )
    assert "申诉不得加重处理" in response.content.decode()
    assert snapshot(decided) == before


@pytest.mark.parametrize(
    ("asked", "kind", "hearing"),
    [
        (True, "post_grade_demotion", True),
        (True, "removal_from_post", True),
        (True, "expulsion", True),
        (True, "demerit", False),
        (True, "warning", False),
        (False, "post_grade_demotion", False),
        (False, "expulsion", False),
    ],
)
def test_a_hearing_is_held_only_when_asked_for_and_the_notified_sanction_is_demotion_or_heavier(
    driver, district, asked, kind, hearing
):
    d = district
    driver.report(d.secretary, d.ma)
    driver.investigate(d, kind=kind)
    driver.statement(d.teacher, hearing=asked)
    assert (driver.task(EthicsCaseFlow.hearing) is not None) == hearing
    assert (driver.task(EthicsCaseFlow.propose) is not None) == (not hearing)


def test_with_a_hearing_required_nothing_is_decided_before_it_is_held(driver, district):
    d = district
    driver.report(d.secretary, d.ma)
    case = driver.investigate(d, kind="post_grade_demotion")
    case = driver.statement(d.teacher, hearing=True)
    with pytest.raises(EthicsCaseError) as refused:
        services.ethics_case_propose(
            acting_user=d.secretary, case=case, kind="post_grade_demotion", measures=[], reason="x"
        )
    assert refused.value.code == "hearing_required"
    case = driver.step(
        d.officer, EthicsCaseFlow.hearing, {"held_on": STATED_PLUS, "record": "听证笔录"}, on=STATED_PLUS
    )
    assert case.hearing_on == STATED_PLUS
    case = driver.propose(d.secretary, kind="post_grade_demotion")
    case = driver.decide(d.officer, kind="post_grade_demotion")
    assert case.sanction.kind == "post_grade_demotion"


STATED_PLUS = dt.date(2026, 9, 6)


def test_deciding_before_the_teachers_statement_is_refused(driver, district):
    d = district
    driver.report(d.secretary, d.ma)
    case = driver.investigate(d)
    before = snapshot(case)
    with pytest.raises(EthicsCaseError) as refused:
        services.ethics_case_decide(
            acting_user=d.officer, case=case, sanctioned=True, kind="demerit", decided_on=DECIDED
        )
    assert refused.value.code == "statement_required"
    assert "尚未听取当事教师的陈述和申辩" in refused.value.messages[0]
    assert snapshot(case) == before and case.decided_on is None


def test_nothing_heavier_than_what_the_teacher_was_told_can_be_proposed(driver, district):
    d = district
    driver.report(d.secretary, d.ma)
    driver.investigate(d, kind="warning")
    driver.statement(d.teacher)
    response = driver.post(d.secretary, EthicsCaseFlow.propose, {"kind": "demerit", "reason": "加重"}, on=PROPOSED)
    assert "重于事先告知当事教师的“警告”" in response.content.decode()
    assert driver.reload().proposed_on is None


@pytest.fixture
def kin_of_ma(district):
    """A discipline inspector whose spouse is 马建军."""
    person = PersonFactory(name="马妻", organization=district.bureau)
    FamilyMemberFactory(person=district.ma, relation=c.Relation.SPOUSE, name="马妻", relative=person)
    return UserFactory(
        username="kin",
        roles=[Role.DISCIPLINE_INSPECTOR, Role.PERSONNEL_OFFICER],
        organization=district.bureau,
        organization__person=person,
    )


def test_an_investigator_who_is_the_teachers_kin_is_refused_and_the_recusal_recorded(driver, district, kin_of_ma):
    d = district
    case = driver.report(d.secretary, d.ma)
    before = snapshot(case)
    response = driver.post(d.officer, EthicsCaseFlow.assign_investigator, {"investigator": kin_of_ma.pk})
    assert response.status_code == 200
    assert "kin不能担任调查人员：与马建军有亲属关系，须回避。" in response.content.decode()
    fields, sanctions, tasks, events = snapshot(case)
    assert (fields, sanctions, tasks) == before[:3]
    assert events == before[3] + 1
    recusal = AuditEvent.objects.latest("id")
    assert (recusal.action, recusal.actor, recusal.reason) == (
        "ethics_case_recusal",
        d.officer,
        "与马建军有亲属关系，须回避。",
    )
    assert recusal.payload == {"step": "assign_investigator", "excluded_user": kin_of_ma.pk}


def test_an_officer_who_is_the_teachers_kin_is_kept_out_of_the_decision(client, driver, district, kin_of_ma):
    d = district
    driver.report(d.secretary, d.ma)
    driver.investigate(d)
    driver.statement(d.teacher)
    case = driver.propose(d.secretary)
    decide = driver.task(EthicsCaseFlow.decide)
    assert decide.flow_task.can_assign(d.officer, decide) and not decide.flow_task.can_assign(kin_of_ma, decide)
    assert driver.post(kin_of_ma, EthicsCaseFlow.decide, driver.decide_data(), on=DECIDED).status_code == 403

    with pytest.raises(EthicsCaseError) as refused:
        services.ethics_case_decide(
            acting_user=kin_of_ma, case=case, sanctioned=True, kind="demerit", decided_on=DECIDED
        )
    assert refused.value.code == "recused"
    assert AuditEvent.objects.filter(action="ethics_case_recusal", actor=kin_of_ma).count() == 1
    assert EthicsCase.objects.get(pk=case.pk).decided_on is None


def test_a_user_outside_the_cases_scope_is_refused(driver, district):
    d = district
    driver.report(d.secretary, d.ma)
    driver.investigate(d)
    case = driver.statement(d.teacher)
    with pytest.raises(EthicsCaseError) as refused:
        services.ethics_case_propose(acting_user=d.other_secretary, case=case, kind="demerit", measures=[], reason="x")
    assert refused.value.code == "out_of_scope"
    with pytest.raises(EthicsCaseError) as wrong_role:
        services.ethics_case_propose(acting_user=d.teacher, case=case, kind="demerit", measures=[], reason="x")
    assert wrong_role.value.code == "not_allowed"


def test_reports_are_refused_outside_the_reporters_scope_or_without_a_teacher_login(driver, district, clock):
    d = district
    case = EthicsCase(flow_class=EthicsCaseFlow)
    report = {"source": "school_report", "report_text": "反映", "reported_on": dt.date(2026, 9, 1)}
    with pytest.raises(EthicsCaseError) as other_school:
        services.ethics_case_report(acting_user=d.secretary, case=case, teacher=d.zhao, **report)
    assert other_school.value.code == "out_of_scope"
    no_login = PersonFactory(name="无账号", organization=d.school)
    with pytest.raises(EthicsCaseError) as without_login:
        services.ethics_case_report(acting_user=d.secretary, case=case, teacher=no_login, **report)
    assert without_login.value.code == "teacher_without_account"
    with pytest.raises(EthicsCaseError) as source:
        services.ethics_case_report(
            acting_user=d.secretary, case=case, teacher=d.ma, **report | {"source": "bureau_found"}
        )
    assert source.value.code == "source_not_allowed"
    bureau_staff = PersonFactory(name="局机关", organization=BureauFactory())
    with pytest.raises(EthicsCaseError) as not_teacher:
        services.ethics_case_report(acting_user=d.officer, case=case, teacher=bureau_staff, **report)
    assert not_teacher.value.code == "not_a_school_teacher"
    assert not EthicsCase.objects.exists()


def test_a_decision_letter_the_builder_refuses_stops_the_decision(driver, district):
    d = district
    driver.report(d.secretary, d.ma)
    driver.investigate(d)
    driver.statement(d.teacher)
    driver.propose(d.secretary)
    response = driver.post(
        d.officer, EthicsCaseFlow.decide, driver.decide_data() | {"document_number": "第8号"}, on=DECIDED
    )
    assert "处理决定书内容有误" in response.content.decode()
    assert driver.reload().decided_on is None and not Sanction.objects.exists()


def test_the_appeal_decision_period_is_extended_once_and_only_before_it_runs_out(client, district, appealed, clock):
    d = district
    assert appealed.appeal_decision_due == dt.date(2026, 12, 14)
    clock.today = dt.date(2026, 12, 1)
    client.force_login(d.committee)
    url = f"/ethics_case/{appealed.pk}/extend-appeal/"
    assert client.post(url, {"reason": "案情复杂，需补充调查。"}).status_code == 302
    case = EthicsCase.objects.get(pk=appealed.pk)
    assert (case.appeal_extended, case.appeal_decision_due) == (True, dt.date(2027, 1, 13))

    again = client.post(url, {"reason": "再延长"})
    assert "申诉处理期限只能延长一次" in again.content.decode()
    client.force_login(d.officer)
    assert "此环节应由申诉受理机关办理" in client.post(url, {"reason": "越权"}).content.decode()
    assert EthicsCase.objects.get(pk=appealed.pk).appeal_decision_due == dt.date(2027, 1, 13)


def test_an_extension_after_the_period_has_run_out_is_refused(district, appealed):
    with pytest.raises(EthicsCaseError) as refused:
        services.ethics_case_appeal_extend(
            acting_user=district.committee, case=appealed, reason="迟了", on=dt.date(2026, 12, 15)
        )
    assert refused.value.code == "extension_late"
    assert "申诉处理期限已于2026年12月14日届满" in refused.value.messages[0]
