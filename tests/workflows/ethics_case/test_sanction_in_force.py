"""The sanction is not suspended by review or appeal; only their decision lightens or ends it."""

from __future__ import annotations

import datetime as dt

import pytest

from cadres.ethics.veto import veto_status
from workflows.ethics_case.flows import EthicsCaseFlow

from .conftest import DECIDED

pytestmark = pytest.mark.django_db


def blocked(person, day, purpose="award") -> bool:
    return veto_status(person, purpose=purpose, on=day).blocked


def test_the_sanction_blocks_throughout_review_and_appeal_until_the_appeal_annuls_it(driver, district):
    d = district
    driver.to_decision(d, d.ma, d.teacher, d.secretary, d.officer)
    assert not blocked(d.ma, DECIDED - dt.timedelta(days=1))
    assert blocked(d.ma, DECIDED)

    driver.step(d.teacher, EthicsCaseFlow.apply_review, {"reason": "不服。"}, on=dt.date(2026, 9, 20))
    assert blocked(d.ma, dt.date(2026, 9, 25))  # review pending
    driver.step(d.officer, EthicsCaseFlow.answer_review, {"result": "keep", "text": "维持。"}, on=dt.date(2026, 9, 30))
    driver.step(d.teacher, EthicsCaseFlow.apply_appeal, {"reason": "申诉。"}, on=dt.date(2026, 10, 15))
    status = veto_status(d.ma, purpose="post_promotion", on=dt.date(2026, 10, 20))  # appeal pending
    assert status.blocked and "记过" in status.sentence and "示教人〔2026〕8号" in status.sentence

    driver.step(
        d.committee, EthicsCaseFlow.decide_appeal, {"result": "annul", "text": "撤销。"}, on=dt.date(2026, 11, 1)
    )
    assert blocked(d.ma, dt.date(2026, 10, 31))  # annulment is not retroactive
    assert not blocked(d.ma, dt.date(2026, 11, 1))
    assert not blocked(d.ma, dt.date(2026, 11, 1), purpose="title_promotion")  # the disqualification went too


def test_a_review_that_lightens_the_sanction_shortens_the_block_from_the_original_decision(driver, district):
    d = district
    driver.to_decision(d, d.ma, d.teacher, d.secretary, d.officer)
    driver.step(d.teacher, EthicsCaseFlow.apply_review, {"reason": "不服。"}, on=dt.date(2026, 9, 20))
    case = driver.step(
        d.officer,
        EthicsCaseFlow.answer_review,
        {"result": "lighten", "new_kind": "warning", "text": "改为警告。"},
        on=dt.date(2026, 9, 30),
    )
    assert (case.sanction.kind, case.sanction.start_date, case.sanction.end_date) == (
        "warning",
        DECIDED,
        dt.date(2027, 3, 9),
    )
    assert blocked(d.ma, dt.date(2027, 3, 8), purpose="post_promotion")
    assert not blocked(d.ma, dt.date(2027, 3, 9), purpose="post_promotion")
