"""Who sees which case: a school sees only its own, a teacher only their own, the bureau everything."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PersonFactory, UserFactory
from workflows.ethics_case.flows import EthicsCaseFlow
from workflows.ethics_case.models import EthicsCaseEvidence

from .conftest import REPORTED

pytestmark = pytest.mark.django_db

LIST_PAGES = ["index", "process_list", "task_list", "inbox", "queue", "archive"]


@pytest.fixture
def case(driver, district):
    driver.report(district.secretary, district.ma)
    driver.investigate(district)
    return driver.case


def page(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(f"ethics_case:{name}", args=args), follow=True)


def test_every_page_of_the_area_opens_for_the_bureau(client, district, case):
    for name in LIST_PAGES:
        response = page(client, district.officer, name)
        assert response.status_code == 200, name
    assert page(client, district.officer, "chart").status_code == 200
    detail = page(client, district.officer, "process_detail", case.pk)
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "马建军" in body and "指定调查人员" in body and "收费记录" in body and "全程纪实" in body
    assert page(client, district.officer, "process_chart", case.pk).status_code == 200


def test_another_schools_user_never_sees_the_case(client, district, case):
    other = district.other_secretary
    assert page(client, other, "process_detail", case.pk).status_code == 404
    assert page(client, other, "process_chart", case.pk).status_code == 404
    evidence = EthicsCaseEvidence.objects.get(case=case)
    assert page(client, other, "evidence", case.pk, evidence.pk).status_code == 404
    for name in LIST_PAGES:
        body = page(client, other, name).content.decode()
        assert "马建军" not in body, name
    statement = driver_task(case, EthicsCaseFlow.statement)
    assert client.get(statement.reverse("detail")).status_code == 403


def driver_task(case, node):
    return case.task_set.filter(flow_task=node).latest("pk")


def test_own_school_sees_the_case_and_its_evidence(client, district, case):
    secretary = district.secretary
    assert page(client, secretary, "process_detail", case.pk).status_code == 200
    assert "马建军" in page(client, secretary, "process_list").content.decode()
    evidence = EthicsCaseEvidence.objects.get(case=case)
    download = page(client, secretary, "evidence", case.pk, evidence.pk)
    assert download.status_code == 200 and b"".join(download.streaming_content) == "收费转账记录".encode()


def test_a_teacher_sees_only_their_own_case(client, district, case, driver, school):
    colleague = PersonFactory(name="钱同事", organization=school)
    UserFactory(username="qian", roles=["teacher"], organization=school, organization__person=colleague)
    driver.report(district.officer, colleague, source="bureau_found", on=REPORTED)
    colleague_case = driver.case

    ma = district.teacher
    assert page(client, ma, "process_detail", case.pk).status_code == 200
    assert page(client, ma, "process_detail", colleague_case.pk).status_code == 404
    body = page(client, ma, "process_list").content.decode()
    assert "马建军" in body and "钱同事" not in body
    mine = page(client, ma, "mine").content.decode()
    assert "陈述申辩" in mine and "钱同事" not in mine


def test_a_teacher_cannot_act_on_another_teachers_case(client, district, case):
    statement = driver_task(case, EthicsCaseFlow.statement)
    client.force_login(district.other_teacher)
    response = client.post(statement.reverse("execute"), {"statement": "冒名陈述"})
    assert response.status_code == 403
    assert client.get(reverse("ethics_case:process_detail", args=[case.pk])).status_code == 404
    case.refresh_from_db()
    assert case.statement_on is None and case.statement == ""


def test_the_queue_offers_a_step_only_to_who_may_do_it(client, district, driver, case):
    driver.statement(district.teacher)
    # propose is the school's step: its secretary sees it, the other school's and the bureau's users do not
    assert "马建军" in page(client, district.secretary, "queue").content.decode()
    assert "马建军" not in page(client, district.other_secretary, "queue").content.decode()
    assert "马建军" not in page(client, district.officer, "queue").content.decode()
    task = driver_task(case, EthicsCaseFlow.propose)
    client.force_login(district.other_secretary)
    assert client.post(task.reverse("execute"), {"kind": "demerit", "reason": "越权"}).status_code == 403


def test_the_scope_check_in_hand_agrees_with_the_list(district, case):
    """`case_visible` (a step's check on the case in hand, no query) says what `cases_visible_to` lists."""
    from django.contrib.auth import get_user_model

    from workflows.ethics_case.selectors import case_visible, cases_visible_to

    users = list(get_user_model().objects.all())
    assert len(users) >= 5
    answers = {user.username: case_visible(user, case) for user in users}
    assert answers == {user.username: cases_visible_to(user).filter(pk=case.pk).exists() for user in users}
    assert answers[district.officer.username] and not answers[district.other_secretary.username]
