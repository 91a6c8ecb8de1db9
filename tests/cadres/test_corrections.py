"""Registry corrections as proposals (issue 11 item 6): 档案必审 proposes, a personnel officer confirms or rejects
on the 信息更正确认 page, the ID card is the bound for a birth month, everything is audited and scoped."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from cadres.corrections import (
    CorrectionRefused,
    correction_confirm,
    correction_reject,
    corrections_propose,
    differences,
    pending_for,
)
from cadres.models import RegistryCorrection
from cadres.roles import Role
from tests.factories import PersonFactory, UserFactory

D = dt.date
pytestmark = pytest.mark.django_db
URL = "/registry/corrections/"
F = RegistryCorrection.Field


@pytest.fixture
def teacher(school):
    return PersonFactory(
        name="王晓燕",
        organization=school,
        birth_date=D(1984, 3, 9),
        work_start_date=D(2006, 8, 1),
        party_join_date=D(2003, 6, 1),
    )


def _propose(person, user, **fields):
    return corrections_propose(person=person, proposed=fields, acting_user=user, source="档案必审", reason="档案核定")


def test_only_differing_fields_are_proposed_and_the_registry_is_untouched(teacher, officer):
    made = _propose(
        teacher, officer, record_birth_month=D(1984, 3, 20), work_start_date=D(2006, 9, 1), party_join_date=None
    )
    assert [(m.field, m.old_value, m.new_value) for m in made] == [(F.WORK_START, D(2006, 8, 1), D(2006, 9, 1))]
    teacher.refresh_from_db()
    assert teacher.work_start_date == D(2006, 8, 1)
    assert AuditEvent.objects.filter(action="registry_correction.proposed").count() == 1


def test_a_birth_month_against_the_id_card_is_refused_with_nothing_written(teacher, officer):
    with pytest.raises(CorrectionRefused) as refused:
        _propose(teacher, officer, record_birth_month=D(1983, 11, 2), work_start_date=D(2006, 9, 1))
    assert refused.value.code == "contradicts_id_card"
    assert str(refused.value) == (
        "王晓燕的出生年月拟更正为1983.11，与身份证号记载的出生日期（1984年03月09日）不一致，不能更正；请先核实身份证信息。"
    )
    assert not RegistryCorrection.objects.exists()


def test_confirm_applies_and_audits_in_one_step(teacher, officer):
    (work,) = _propose(teacher, officer, work_start_date=D(2006, 9, 1))
    correction_confirm(correction=work, acting_user=officer)
    teacher.refresh_from_db()
    work.refresh_from_db()
    assert teacher.work_start_date == D(2006, 9, 1)
    assert (work.status, work.decided_by) == ("confirmed", officer)
    event = AuditEvent.objects.get(action="registry_correction.confirmed")
    assert event.payload["field"] == "参加工作时间" and event.payload["new"] == "2006-09-01"
    with pytest.raises(CorrectionRefused) as again:
        correction_confirm(correction=work, acting_user=officer)
    assert again.value.code == "decided"


def test_a_stale_proposal_is_refused(teacher, officer):
    (party,) = _propose(teacher, officer, party_join_date=D(2004, 5, 1))
    teacher.party_join_date = D(2003, 7, 1)
    teacher.save()
    with pytest.raises(CorrectionRefused) as refused:
        correction_confirm(correction=party, acting_user=officer)
    assert refused.value.code == "stale"
    teacher.refresh_from_db()
    assert teacher.party_join_date == D(2003, 7, 1)


def test_reject_needs_a_reason_and_keeps_the_record(teacher, officer):
    (work,) = _propose(teacher, officer, work_start_date=D(2006, 9, 1))
    with pytest.raises(CorrectionRefused) as refused:
        correction_reject(correction=work, acting_user=officer, reason=" ")
    assert refused.value.code == "reason_required"
    correction_reject(correction=work, acting_user=officer, reason="档案中有更早的招工表")
    work.refresh_from_db()
    teacher.refresh_from_db()
    assert (work.status, work.decision_reason) == ("rejected", "档案中有更早的招工表")
    assert teacher.work_start_date == D(2006, 8, 1)
    assert AuditEvent.objects.filter(action="registry_correction.rejected").count() == 1


def test_a_newer_proposal_supersedes_the_pending_one(teacher, officer):
    (first,) = _propose(teacher, officer, work_start_date=D(2006, 9, 1))
    (second,) = _propose(teacher, officer, work_start_date=D(2006, 7, 1))
    first.refresh_from_db()
    assert first.status == "superseded"
    assert list(pending_for(officer)) == [second]


def test_who_may_decide(teacher, officer, school_secretary, bureau):
    (work,) = _propose(teacher, officer, work_start_date=D(2006, 9, 1))
    assert not pending_for(school_secretary).exists()
    with pytest.raises(CorrectionRefused) as refused:
        correction_confirm(correction=work, acting_user=school_secretary)
    assert refused.value.code == "not_allowed"
    own = UserFactory(roles=[Role.PERSONNEL_OFFICER], organization=bureau, organization__person=teacher)
    with pytest.raises(CorrectionRefused) as recused:
        correction_confirm(correction=work, acting_user=own)
    assert recused.value.code == "recused"
    teacher.refresh_from_db()
    assert teacher.work_start_date == D(2006, 8, 1)


def test_the_page_lists_confirms_and_rejects(client, teacher, officer, other_school):
    namesake = PersonFactory(name="王晓燕", organization=other_school, birth_date=D(1990, 1, 1))
    (work,) = _propose(teacher, officer, work_start_date=D(2006, 9, 1))
    (party,) = _propose(namesake, officer, party_join_date=D(2012, 7, 1))
    client.force_login(officer)
    page = client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert "第一实验小学" in html and other_school.name in html and "2006.08.01" in html and "2006.09.01" in html
    assert "待确认 2 项" in html
    response = client.post(URL, {"correction": work.pk, "action": "confirm"}, follow=True)
    assert "已确认：王晓燕的参加工作时间更正为2006.09.01。" in response.content.decode()
    teacher.refresh_from_db()
    assert teacher.work_start_date == D(2006, 9, 1)
    response = client.post(URL, {"correction": party.pk, "action": "reject", "reason": ""}, follow=True)
    assert "退回须写明理由。" in response.content.decode()
    client.post(URL, {"correction": party.pk, "action": "reject", "reason": "与入党志愿书不符"})
    party.refresh_from_db()
    assert party.status == "rejected"
    assert "当前没有待确认的信息更正。" in client.get(URL).content.decode()


def test_the_page_is_for_bureau_officers_only(client, teacher, officer, school_secretary):
    (work,) = _propose(teacher, officer, work_start_date=D(2006, 9, 1))
    client.force_login(school_secretary)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"correction": work.pk, "action": "confirm"}).status_code == 403
    work.refresh_from_db()
    assert work.status == "pending"


def test_the_page_lists_in_constant_queries(client, officer, school, django_assert_max_num_queries):
    for i in range(6):
        person = PersonFactory(name=f"教师{i}", organization=school, work_start_date=D(2006, 8, 1))
        _propose(person, officer, work_start_date=D(2006, 9, 1))
    client.force_login(officer)
    with django_assert_max_num_queries(20):
        assert client.get(URL).status_code == 200


def test_differences_compare_the_birth_month(teacher):
    assert differences(teacher, {"record_birth_month": D(1984, 3, 30)}) == []
    (diff,) = differences(teacher, {"record_birth_month": D(1984, 2, 3)})
    assert (diff.label, diff.old, diff.new) == ("出生年月", D(1984, 3, 1), D(1984, 2, 1))
