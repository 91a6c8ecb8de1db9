"""Admission by the bureau: validity, quotas per school and post category, the near-term share; renewal,
expiry, shortlisting, use and removal."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from cadres import choices as c
from cadres.ethics.models import SanctionKind
from cadres.ethics.services import sanction_record
from cadres.roles import Role
from cadres.rules import rule_set_in_force
from reserve_pool import services
from reserve_pool.choices import EndTrigger, Horizon, ReserveState
from reserve_pool.exceptions import ReserveConflict, ReservePermissionDenied, ReserveRefused
from reserve_pool.models import ReserveEntry
from reserve_pool.rules import RESERVE_POOL_PURPOSE
from tests.factories import FamilyMemberFactory, OrganizationFactory, PersonFactory, PostFactory, UserFactory

from .conftest import ON, bring_to, entry_in, make_teacher, nominate

pytestmark = pytest.mark.django_db
D = dt.date
S = ReserveState


def _snapshot(entry):
    row = ReserveEntry.objects.get(pk=entry.pk)
    return {f.attname: getattr(row, f.attname) for f in ReserveEntry._meta.concrete_fields}


def _assessed(person, officer, **kwargs):
    return bring_to(nominate(person, officer, **kwargs), S.ASSESSED, officer)


def _admit(entry, officer, on=ON, **kwargs):
    return services.reserve_entry_admit(
        acting_user=officer,
        entry=entry,
        document_number=kwargs.pop("document_number", "教工委〔2026〕8号"),
        on=on,
        **kwargs,
    )


def _set_param(code, **params):
    item = rule_set_in_force(RESERVE_POOL_PURPOSE, ON).items.get(rule_code=code)
    item.params = {**item.params, **params}
    item.full_clean()
    item.save()


# ----------------------------------------------------------------------------- admission


def test_admission_records_the_decision_and_the_validity(officer, teacher):
    entry = _admit(_assessed(teacher, officer), officer)
    assert entry.state == S.IN_POOL
    assert (entry.admitted_on, entry.admitted_by, entry.admission_document) == (ON, officer, "教工委〔2026〕8号")
    assert entry.valid_until == D(2029, 3, 1)  # 3 years (rule set), the last valid day
    event = AuditEvent.objects.for_object(entry).get(action="reserve_entry_admit")
    assert (event.from_state, event.to_state, event.reason) == ("assessed", "in_pool", "教工委〔2026〕8号")
    assert event.payload["quota"] == {"seats": 1, "per_post": 1, "limit": 1, "used": 0}


def test_admission_needs_a_document_number(officer, teacher):
    entry = _assessed(teacher, officer)
    before = _snapshot(entry)
    with pytest.raises(ReserveRefused) as refused:
        _admit(entry, officer, document_number=" ")
    assert refused.value.message == "入库须有决定文号。"
    assert _snapshot(entry) == before


def test_only_the_bureau_officer_decides_admission(officer, inspector, school_secretary, teacher):
    entry = _assessed(teacher, officer)
    for user in (inspector, school_secretary):
        with pytest.raises(ReservePermissionDenied) as denied:
            _admit(entry, user)
        assert denied.value.message == "后备干部的入库、使用和动态管理由教育局组织人事科决定。"
    assert ReserveEntry.objects.get(pk=entry.pk).state == S.ASSESSED


def test_a_veto_that_started_after_assessment_refuses_admission(officer, teacher):
    entry = _assessed(teacher, officer)
    sanction_record(
        acting_user=officer,
        person=teacher,
        kind=SanctionKind.ADMONITION,
        decided_on=D(2026, 3, 10),
        authority="区纪工委",
    )
    before = _snapshot(entry)
    with pytest.raises(ReserveRefused) as refused:
        _admit(entry, officer, on=D(2026, 3, 10))
    assert refused.value.code == "ineligible"
    assert refused.value.reasons == [
        "受诫勉谈话处理（2026年03月10日决定），影响期至2026年09月09日（含），期间不得后备干部入库"
    ]
    assert _snapshot(entry) == before


def test_deputy_quota_refuses_with_the_numbers(officer, school, posts):
    first = _admit(_assessed(make_teacher(school, "甲"), officer), officer)
    second = _assessed(make_teacher(school, "乙"), officer)
    before = _snapshot(second)
    with pytest.raises(ReserveRefused) as refused:
        _admit(second, officer)
    assert refused.value.code == "quota_full"
    assert refused.value.message == (
        "该校（第一实验小学）副校长后备已有1人，限额1人（副校长职数1个，每个职位后备不超过1人），不能再增加。"
    )
    assert _snapshot(second) == before
    services.reserve_entry_mark_used(acting_user=officer, entry=first, post=posts.vice, on=D(2026, 9, 1))
    assert _admit(second, officer, on=D(2026, 9, 2)).state == S.IN_POOL  # a used reserve no longer counts


def test_head_quota_is_two_per_post_and_counts_shortlisted(officer, school, posts):
    kinds = {"post_kind": c.PostKind.PRINCIPAL}
    first = _admit(_assessed(make_teacher(school, "甲"), officer, **kinds), officer)
    _admit(_assessed(make_teacher(school, "乙"), officer, **kinds), officer)
    services.reserve_entry_shortlist(acting_user=officer, entry=first, ref="校长选拔〔2026〕1号", on=ON)
    third = _assessed(make_teacher(school, "丙"), officer, **kinds)
    with pytest.raises(ReserveRefused) as refused:
        _admit(third, officer)
    assert refused.value.message == (
        "该校（第一实验小学）校长后备已有2人，限额2人（校长职数1个，每个职位后备不超过2人），不能再增加。"
    )


def test_quota_is_per_school_and_follows_the_headcount(officer, school, other_school, posts):
    _admit(_assessed(make_teacher(school, "甲"), officer), officer)
    assert _admit(_assessed(make_teacher(other_school, "乙"), officer), officer).state == S.IN_POOL
    posts.vice.headcount = 2
    posts.vice.save()
    assert _admit(_assessed(make_teacher(school, "丙"), officer), officer).state == S.IN_POOL


def test_a_school_without_a_registered_post_has_one_seat(officer, bureau):
    new_school = OrganizationFactory(name="新建学校", parent=bureau)
    _admit(_assessed(make_teacher(new_school, "甲"), officer), officer)
    with pytest.raises(ReserveRefused) as refused:
        _admit(_assessed(make_teacher(new_school, "乙"), officer), officer)
    assert "限额1人（副校长职数1个" in refused.value.message


def test_quota_comes_from_the_rule_set(officer, school, posts):
    _set_param("reserve_quota", deputy_per_post=2)
    _admit(_assessed(make_teacher(school, "甲"), officer), officer)
    assert _admit(_assessed(make_teacher(school, "乙"), officer), officer).state == S.IN_POOL


def test_near_term_share_refuses_a_long_term_admission_with_the_numbers(officer, school, other_school, posts):
    PostFactory(organization=school, name="党组织副书记", kind=c.PostKind.DEPUTY_SECRETARY, headcount=1)
    PostFactory(organization=other_school, name="党组织副书记", kind=c.PostKind.DEPUTY_SECRETARY, headcount=1)
    long_term = {"horizon": Horizon.LONG_TERM}
    lonely = _assessed(make_teacher(school, "甲"), officer, **long_term)
    with pytest.raises(ReserveRefused) as refused:
        _admit(lonely, officer)
    assert refused.value.code == "near_term_share"
    assert refused.value.message == (
        "近期可提拔使用的后备干部须不少于全区后备干部的1/3：调整后全区后备干部共1人，其中近期可提拔使用0人，至少须1人。"
    )
    _admit(_assessed(make_teacher(other_school, "乙"), officer), officer)  # near-term
    assert _admit(lonely, officer).state == S.IN_POOL  # 1 of 2 near-term
    deputy_secretary = {"post_kind": c.PostKind.DEPUTY_SECRETARY, **long_term}
    assert _admit(_assessed(make_teacher(school, "丙"), officer, **deputy_secretary), officer).state == S.IN_POOL
    fourth = _assessed(make_teacher(other_school, "丁"), officer, **deputy_secretary)
    with pytest.raises(ReserveRefused) as refused:
        _admit(fourth, officer)
    assert "调整后全区后备干部共4人，其中近期可提拔使用1人，至少须2人。" in refused.value.message
    assert _admit(fourth, officer, horizon=Horizon.NEAR_TERM).horizon == Horizon.NEAR_TERM


# ----------------------------------------------------------------------------- renewal and expiry


def test_renewal_keeps_the_entry_in_the_pool_with_a_new_expiry(officer, teacher):
    entry = _admit(_assessed(teacher, officer), officer)
    services.reserve_entry_renew(
        acting_user=officer, entry=entry, on=D(2028, 12, 1), document_number="教工委〔2028〕5号"
    )
    assert (entry.state, entry.valid_until, entry.renewed_on) == (S.IN_POOL, D(2031, 11, 30), D(2028, 12, 1))
    event = AuditEvent.objects.for_object(entry).get(action="reserve_entry_renew")
    assert (event.from_state, event.to_state) == ("in_pool", "in_pool")
    assert event.payload["valid_until_before"] == "2029-03-01"


def test_renewal_after_the_validity_ran_out_is_refused(officer, teacher):
    entry = _admit(_assessed(teacher, officer), officer)
    before = _snapshot(entry)
    with pytest.raises(ReserveRefused) as refused:
        services.reserve_entry_renew(acting_user=officer, entry=entry, on=D(2029, 3, 2))
    assert (refused.value.code, refused.value.message) == (
        "not_renewable",
        "入库有效期已于2029年03月01日届满，不能续期，请重新提名。",
    )
    assert _snapshot(entry) == before


def test_renewal_that_would_not_extend_is_refused(officer, teacher):
    entry = _admit(_assessed(teacher, officer), officer)
    with pytest.raises(ReserveRefused) as refused:
        services.reserve_entry_renew(acting_user=officer, entry=entry, on=ON)
    assert refused.value.message == "续期后的有效期（至2029年03月01日）不晚于现有效期（至2029年03月01日），无需续期。"


def test_expiry_only_once_due(officer, teacher):
    entry = _admit(_assessed(teacher, officer), officer)
    with pytest.raises(ReserveRefused) as refused:
        services.reserve_entry_expire(acting_user=officer, entry=entry, on=D(2029, 3, 1))
    assert (refused.value.code, refused.value.message) == (
        "not_due",
        "王老师的后备干部记录尚未到期（有效期至2029年03月01日）。",
    )
    services.reserve_entry_expire(acting_user=officer, entry=entry, on=D(2029, 3, 2))
    assert (entry.state, entry.end_trigger, entry.ended_on) == (S.EXPIRED, EndTrigger.VALIDITY, D(2029, 3, 2))
    assert AuditEvent.objects.for_object(entry).last().reason == "入库有效期已于2029年03月01日届满"


# ----------------------------------------------------------------------------- use and removal


def test_shortlisting_names_the_selection_and_checks_the_veto(officer, teacher):
    entry = _admit(_assessed(teacher, officer), officer)
    with pytest.raises(ReserveRefused) as refused:
        services.reserve_entry_shortlist(acting_user=officer, entry=entry, ref="", on=ON)
    assert refused.value.message == "列为考察对象须注明考察事项（如选拔任用案件编号）。"
    services.reserve_entry_shortlist(acting_user=officer, entry=entry, ref="校长选拔〔2026〕4号", on=D(2026, 5, 1))
    assert (entry.state, entry.shortlist_ref, entry.shortlisted_on) == (
        S.SHORTLISTED,
        "校长选拔〔2026〕4号",
        D(2026, 5, 1),
    )
    services.reserve_entry_return_to_pool(acting_user=officer, entry=entry, reason="未被任用")
    assert (entry.state, entry.shortlist_ref, entry.shortlisted_on) == (S.IN_POOL, "", None)
    sanction_record(
        acting_user=officer, person=teacher, kind=SanctionKind.WARNING, decided_on=D(2026, 6, 1), authority="区教育局"
    )
    with pytest.raises(ReserveRefused) as refused:
        services.reserve_entry_shortlist(acting_user=officer, entry=entry, ref="校长选拔〔2026〕5号", on=D(2026, 6, 1))
    assert refused.value.code == "ineligible"
    assert "期间不得后备干部入库" in refused.value.reasons[0]


def test_appointment_marks_the_entry_used(officer, teacher, posts):
    entry = bring_to(nominate(teacher, officer), S.SHORTLISTED, officer)
    services.reserve_entry_mark_used(
        acting_user=officer, entry=entry, on=D(2026, 8, 1), post=posts.vice, document_number="教工委〔2026〕20号"
    )
    assert (entry.state, entry.used_post, entry.used_on, entry.ended_on) == (
        S.USED,
        posts.vice,
        D(2026, 8, 1),
        D(2026, 8, 1),
    )
    assert entry.used_document == "教工委〔2026〕20号"


def test_removal_requires_a_reason_and_records_it(officer, teacher):
    entry = _admit(_assessed(teacher, officer), officer)
    before = _snapshot(entry)
    with pytest.raises(ReserveRefused) as refused:
        services.reserve_entry_remove(acting_user=officer, entry=entry, reason="   ")
    assert (refused.value.code, refused.value.message) == ("reason_required", "撤销资格须写明原因。")
    assert _snapshot(entry) == before
    services.reserve_entry_remove(acting_user=officer, entry=entry, reason="调离教育系统", on=D(2026, 4, 1))
    assert (entry.state, entry.removal_reason, entry.end_trigger, entry.ended_on) == (
        S.REMOVED,
        "调离教育系统",
        EndTrigger.MANUAL,
        D(2026, 4, 1),
    )
    event = AuditEvent.objects.for_object(entry).last()
    assert (event.action, event.from_state, event.to_state, event.reason) == (
        "reserve_entry_remove",
        "in_pool",
        "removed",
        "调离教育系统",
    )


def test_a_stale_instance_gets_the_conflict_message(officer, teacher):
    entry = _assessed(teacher, officer)
    stale = ReserveEntry.objects.get(pk=entry.pk)
    _admit(entry, officer)
    with pytest.raises(ReserveConflict) as conflict:
        services.reserve_entry_remove(acting_user=officer, entry=stale, reason="重复操作")
    assert conflict.value.message == "王老师的后备干部记录已被他人修改（现为“在库”），本次操作未执行，请刷新后重试。"
    assert ReserveEntry.objects.get(pk=entry.pk).state == S.IN_POOL


def test_database_refuses_a_removed_entry_without_reason(officer, teacher):
    with pytest.raises(IntegrityError), transaction.atomic():
        entry_in(S.REMOVED, teacher, officer, removal_reason="")


def test_nobody_admits_their_own_or_their_spouses_entry(bureau, officer, teacher):
    spouse = PersonFactory(organization=bureau, name="王老师爱人")
    FamilyMemberFactory(person=spouse, relation=c.Relation.SPOUSE, name="王老师", relative=teacher)
    spouse_officer = UserFactory(roles=[Role.PERSONNEL_OFFICER], organization=bureau, organization__person=spouse)
    entry = _assessed(teacher, officer)
    before = _snapshot(entry)
    with pytest.raises(ReservePermissionDenied) as denied:
        _admit(entry, spouse_officer)
    assert (denied.value.code, denied.value.message) == ("recused", "与王老师有亲属关系，须回避。")
    assert _snapshot(entry) == before
    own_officer = UserFactory(roles=[Role.PERSONNEL_OFFICER], organization=bureau, organization__person=teacher)
    with pytest.raises(ReservePermissionDenied) as denied:
        _admit(entry, own_officer)
    assert denied.value.message == "本人事项，须回避。"
    assert _snapshot(entry) == before
