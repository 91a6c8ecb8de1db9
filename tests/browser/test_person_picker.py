"""The person picker in a real browser, keyboard only: on the 一票否决 list-check page an officer types pinyin
initials, tells two 刘旭 apart by their labels, moves with ↓, takes one with Enter, removes a chip with
Backspace, closes the list with Escape, and submits; the check is made for exactly the people chosen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cadres import choices as c
from cadres.roles import Role
from tests.browser.conftest import browser_page  # noqa: F401  (the shared Chromium fixture)
from tests.factories import BureauFactory, OrganizationFactory, PersonFactory, PostFactory, TenureFactory, UserFactory
from workflows.veto_checks.models import VetoCheck

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-Cadre-2026"
SCREENSHOT = "/tmp/cadreflow-person-picker.png"


@pytest.fixture
def district():
    bureau = BureauFactory(name="示范区教育局", short_name="区教育局")
    school_a = OrganizationFactory(name="第一实验小学", parent=bureau)
    school_b = OrganizationFactory(name="第二实验中学", parent=bureau, stage=c.Stage.JUNIOR)
    liu_a = PersonFactory(name="刘旭", organization=school_a, birth_date=dt.date(1980, 3, 9))
    liu_b = PersonFactory(name="刘旭", organization=school_b, birth_date=dt.date(1985, 11, 2))
    TenureFactory(person=liu_b, post=PostFactory(organization=school_b, name="副校长"))
    wang = PersonFactory(name="王小明", organization=school_a)
    officer = UserFactory(username="officer", password=PASSWORD, roles=[Role.PERSONNEL_OFFICER], organization=bureau)
    return {"liu_a": liu_a, "liu_b": liu_b, "wang": wang, "officer": officer}


def test_choosing_people_keyboard_only(browser_page, live_server, district):  # noqa: F811
    page, base = browser_page, live_server.url
    pick = reverse("veto_checks:checks:pick")
    page.goto(f"{base}/accounts/login/?next={pick}")
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    box = page.locator("#id_people")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "false"

    box.focus()
    page.keyboard.type("lx")
    options = page.locator("#id_people__listbox [role=option]")
    options.nth(1).wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    labels = options.all_inner_texts()
    assert len(labels) == 2 and labels[0] != labels[1]  # two 刘旭, told apart by unit, post and birth month
    assert any("第二实验中学" in t and "副校长" in t and "1985年11月" in t for t in labels)
    target = next(i for i, t in enumerate(labels) if "第二实验中学" in t)
    first = options.nth(0).get_attribute("id")
    assert box.get_attribute("aria-activedescendant") == first
    for _ in range(target):
        page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == options.nth(target).get_attribute("id")
    page.keyboard.press("Enter")
    chips = page.locator("#pick-submit .cf-picker__chip")
    assert chips.count() == 1 and "第二实验中学" in chips.first.inner_text()
    assert box.input_value() == "" and box.get_attribute("aria-expanded") == "false"

    page.keyboard.type("小明")  # a part of the name, not its start
    options.first.wait_for()
    page.keyboard.press("Enter")
    assert chips.count() == 2 and "王小明" in chips.nth(1).inner_text()
    page.keyboard.press("Backspace")  # the empty box: Backspace removes the last chip
    assert chips.count() == 1

    page.keyboard.type("wxm")
    options.first.wait_for()
    page.keyboard.press("Escape")  # closes the list, chooses nobody
    assert box.get_attribute("aria-expanded") == "false" and chips.count() == 1
    page.keyboard.press("Escape")  # a second Escape clears the text
    assert box.input_value() == ""
    page.keyboard.type("wxm")
    options.first.wait_for()
    page.keyboard.press("Enter")
    assert chips.count() == 2
    page.screenshot(path=SCREENSHOT, full_page=True)

    page.select_option("#id_purpose", index=1)
    page.fill("#id_on", "2026-04-01")
    page.locator("#pick-submit button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check = VetoCheck.objects.get()
    assert {(s["person_id"], s["unit"]) for s in check.standings} == {
        (district["liu_b"].pk, "第二实验中学"),
        (district["wang"].pk, "第一实验小学"),
    }
