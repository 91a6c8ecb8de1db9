"""能上能下 本人陈述: the task goes to the person concerned whatever their roles; without an account, the bureau's
personnel officer records it for them (代为录入, who and when)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from cadres.roles import Role
from tests.factories import PersonFactory, TenureFactory, UserFactory
from workflows.competition import adjustment as adj
from workflows.competition.flows import AdjustmentFlow
from workflows.inbox import open_tasks

from .conftest import open_task, post_task

D = dt.date
A = AdjustmentFlow


def proposed(client, world, person):
    sitting = TenureFactory(person=person, post=world.dean, start_date=D(2020, 9, 1))
    client.force_login(world.secretary)
    data = {"tenure": sitting.pk, "trigger": "officer", "grounds": "履职不力", "proposed_outcome": "remove"}
    assert client.post(A.propose.reverse("execute"), data).status_code == 302
    from workflows.competition.models import Adjustment

    return Adjustment.objects.get()


def statement_titles(user) -> list[str]:
    return [t["title"] for t in open_tasks(user=user)[0] if t["title"] == "本人陈述"]


def test_a_cadre_whose_login_is_not_a_teacher_is_offered_the_task_and_may_do_it(client, world):
    """Before: the task was offered (inbox) to a cadre whose login held only the judge role, whose task page then
    answered 403. Now the person concerned may open and complete it whatever their roles."""
    cadre = PersonFactory(name="钱主任", organization=world.school)
    login = UserFactory(username="qian", roles=[Role.JUDGE], organization=world.school, organization__person=cadre)
    case = proposed(client, world, cadre)
    assert statement_titles(login) == ["本人陈述"]
    client.force_login(login)
    task = open_task(case, A.statement)
    page = client.get(A.statement.reverse("execute", args=[case.pk, task.pk]))
    assert page.status_code == 200 and "本人陈述" in page.content.decode()
    assert post_task(client, login, case, A.statement, {"statement": "本人服从组织安排。"}).status_code == 302
    case.refresh_from_db()
    assert (case.statement, case.statement_by, case.statement_on_behalf) == ("本人服从组织安排。", login, False)
    # nobody else was offered it
    for other in (world.secretary, world.officer, world.alice_user):
        assert statement_titles(other) == []


def test_without_an_account_the_bureau_officer_records_the_statement_as_such(client, world):
    cadre = PersonFactory(name="李无号", organization=world.school)
    case = proposed(client, world, cadre)
    assert statement_titles(world.officer) == ["本人陈述"]
    assert statement_titles(world.secretary) == []
    client.force_login(world.officer)
    task = open_task(case, A.statement)
    page = client.get(A.statement.reverse("execute", args=[case.pk, task.pk])).content.decode()
    assert "李无号没有系统账号：请根据其本人陈述" in page
    # the school's secretary may not record it, nor may anyone else
    refused = post_task(client, world.secretary, case, A.statement, {"statement": "代写"})
    assert refused.status_code in (403, 404)
    world.today.set(D(2026, 5, 22))
    done = post_task(client, world.officer, case, A.statement, {"statement": "本人口述：接受组织调整。"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.statement_on_behalf and case.statement_by == world.officer and case.statement_on == D(2026, 5, 22)
    assert case.statement_entered_at is not None
    event = AuditEvent.objects.get(action="competition.adjustment_statement")
    assert event.actor == world.officer and event.payload["on_behalf"] is True and event.payload["person"] == "李无号"
    client.force_login(world.secretary)
    decide = client.get(A.decide.reverse("execute", args=[case.pk, open_task(case, A.decide).pk])).content.decode()
    assert "代为录入：组织人事科干部，" in decide


def test_statement_refusals_write_nothing(client, world):
    with_account = proposed(client, world, world.bob)
    with pytest.raises(ValidationError, match="赵立新有系统账号，须由本人陈述") as exc:
        adj.adjustment_statement(case=with_account, acting_user=world.officer, statement="代写")
    assert exc.value.code == "not_self"
    with pytest.raises(ValidationError, match="陈述内容不能为空"):
        adj.adjustment_statement(case=with_account, acting_user=world.bob_user, statement="  ")
    with_account.refresh_from_db()
    assert with_account.statement == "" and with_account.statement_by is None
    adj.adjustment_statement(case=with_account, acting_user=world.bob_user, statement="本人陈述。")
    with pytest.raises(ValidationError, match="本人陈述已经录入"):
        adj.adjustment_statement(case=with_account, acting_user=world.bob_user, statement="再次陈述")


def test_without_an_account_only_a_bureau_personnel_officer_records(world, client):
    cadre = PersonFactory(name="李无号", organization=world.school)
    case = proposed(client, world, cadre)
    bureau_judge = UserFactory(username="bj", roles=[Role.INSPECTION_TEAM], organization=world.bureau)
    for user in (world.secretary, world.alice_user, bureau_judge):
        with pytest.raises(ValidationError) as exc:
            adj.adjustment_statement(case=case, acting_user=user, statement="代写")
        assert exc.value.code == "not_permitted"
    case.refresh_from_db()
    assert case.statement == "" and not AuditEvent.objects.filter(action="competition.adjustment_statement").exists()
