"""A school secretary, logged in through the real form, sees only their school in a real browser."""

from __future__ import annotations

import datetime as dt

import pytest

from cadres import choices as c
from cadres.roles import Role
from tests.factories import (
    BureauFactory,
    FamilyMemberFactory,
    OrganizationFactory,
    PersonFactory,
    PostFactory,
    ResumeEntryFactory,
    TenureFactory,
    TitleFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-Cadre-2026"
SCREENSHOTS = {
    "people": "/tmp/cadreflow-people.png",
    "not_found": "/tmp/cadreflow-404.png",
    "home": "/tmp/cadreflow-home.png",
    "detail": "/tmp/cadreflow-detail.png",
}


@pytest.fixture
def district():
    bureau = BureauFactory(name="示范区教育局", short_name="区教育局")
    school_a = OrganizationFactory(name="第一实验小学", parent=bureau)
    school_b = OrganizationFactory(name="第二实验中学", parent=bureau, stage=c.Stage.JUNIOR)
    principal = PostFactory(
        organization=school_a, name="校长", kind=c.PostKind.PRINCIPAL, level=c.PostLevel.SCHOOL_HEAD, headcount=1
    )
    PostFactory(organization=school_a, name="副校长", kind=c.PostKind.VICE_PRINCIPAL, headcount=2)
    head = PersonFactory(name="王建国", organization=school_a, birth_date=dt.date(1968, 4, 12))
    TenureFactory(person=head, post=principal, start_date=dt.date(2014, 9, 1))
    TitleFactory(person=head, title=c.TeacherTitle.SENIOR, obtained_on=dt.date(2015, 12, 1))
    ResumeEntryFactory(
        person=head, start_month=dt.date(1990, 7, 1), end_month=dt.date(2014, 9, 1), text="第一实验小学教师"
    )
    ResumeEntryFactory(person=head, start_month=dt.date(2014, 9, 1), end_month=None, text="第一实验小学校长")
    FamilyMemberFactory(person=head, name="张桂兰", work_unit_and_post="区人民医院护士")
    a_people = [head, PersonFactory(name="李秀英", organization=school_a, sex=c.Sex.FEMALE)]
    b_people = [PersonFactory(name="孙志强", organization=school_b), PersonFactory(name="马丽", organization=school_b)]
    secretary = UserFactory(
        username="secretary_a", password=PASSWORD, roles=[Role.SCHOOL_SECRETARY], organization=school_a
    )
    return {"a": a_people, "b": b_people, "secretary": secretary}


def log_in(page, base_url: str, next_path: str, username: str) -> None:
    page.goto(f"{base_url}{next_path}")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}{next_path}")


def test_school_secretary_sees_only_their_school_in_the_browser(browser_page, live_server, district):
    page, base = browser_page, live_server.url
    log_in(page, base, "/registry/people/", "secretary_a")

    rows = page.locator("#people tbody tr[data-person]")
    assert sorted(rows.locator("td:first-child a").all_inner_texts()) == sorted(p.name for p in district["a"])
    body = page.inner_text("body")
    assert "共 2 人" in body
    for outsider in district["b"]:
        assert outsider.name not in body
    page.screenshot(path=SCREENSHOTS["people"], full_page=True)

    response = page.goto(f"{base}/registry/people/{district['b'][0].pk}/")
    assert response.status == 404
    assert "页面不存在" in page.inner_text("body")
    assert district["b"][0].name not in page.inner_text("body")
    page.screenshot(path=SCREENSHOTS["not_found"], full_page=True)

    page.goto(f"{base}/")
    page.wait_for_url(f"{base}/home/dashboard/")
    assert "第一实验小学" in page.inner_text("#greeting")
    alerts = page.inner_text("#alerts")
    assert "王建国" in alerts and "孙志强" not in alerts
    page.screenshot(path=SCREENSHOTS["home"], full_page=True)

    head = district["a"][0]
    response = page.goto(f"{base}/registry/people/{head.pk}/")
    assert response.status == 200
    assert "2014.09--         第一实验小学校长" in page.inner_text("#resume")
    page.screenshot(path=SCREENSHOTS["detail"], full_page=True)


def test_language_switcher_on_the_login_page_changes_the_page_language(browser_page, live_server):
    page, base = browser_page, live_server.url
    page.goto(f"{base}/accounts/login/")
    assert page.get_attribute("html", "lang") == "zh-hans"
    with page.expect_navigation():
        page.select_option(".cf-lang select", "en")
    assert page.get_attribute("html", "lang") == "en"
    assert "/accounts/login/" in page.url
