"""The 交流轮岗方案 content: built from the plan (moves, reasons, the checks as of a date, the team before and
after), 机密 for the personnel officer and the committee only."""

from __future__ import annotations

import pytest

from cadres.roles import Role
from dossiers.content.exchange_plan import build_exchange_plan
from dossiers.content.samples import sample_input
from dossiers.kinds import Classification, audience_of
from workflows.exchange import services

from .conftest import draft, today


def test_the_sample_builds_and_counts_moves_and_schools():
    content = build_exchange_plan(**sample_input("exchange_plan"))
    assert [m["number"] for m in content["moves"]] == [1, 2, 3]
    assert content["summary"] == "本方案共交流3人，涉及4所学校；核查未通过0人。"
    assert content["moves"][0]["check_text"] == "各项核查通过"
    assert content["confidentiality"] == "机密"


def test_a_refused_check_is_printed_with_its_reason():
    data = sample_input("exchange_plan")
    data["moves"][2]["checks"][4] = {"label": "任职回避", "passed": False, "messages": ["某某（配偶）任本校校长"]}
    content = build_exchange_plan(**data)
    assert content["refused_count"] == 1 and content["moves"][2]["check_text"] == "某某（配偶）任本校校长"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(moves=[]), "至少需要1项"),
        (lambda d: d["moves"][0].update(to_unit=d["moves"][0]["from_unit"]), "不属于交流"),
        (lambda d: d.update(extra="x"), "未知字段"),
    ],
)
def test_bad_content_is_refused_in_chinese(change, message):
    data = sample_input("exchange_plan")
    change(data)
    with pytest.raises(ValueError, match=message):
        build_exchange_plan(**data)


def test_the_plan_is_secret_to_the_officer_and_the_committee():
    audience = audience_of("exchange_plan")
    assert audience.classification == Classification.SECRET and not audience.addressed
    assert audience.roles == {Role.PERSONNEL_OFFICER, Role.COMMITTEE_MEMBER, Role.COMMITTEE_SECRETARY}


@pytest.mark.django_db
def test_plan_content_carries_moves_reasons_checks_and_the_teams(officer, district):
    d = district
    plan = draft(officer, [(d.a, d.a_tenure, d.posts[1].vice), (d.b, d.b_tenure, d.posts[2].vice)])
    content = services.plan_content(plan, on=today(), issuer="示范区教育局")
    first = content["moves"][0]
    assert (first["name"], first["from_unit"], first["to_unit"], first["to_post"]) == (
        "甲副校长",
        "第一实验小学",
        "第二实验小学",
        "副校长",
    )
    assert first["reason"].startswith("在本校任领导职务已16年")
    assert [c["label"] for c in first["checks"]] == ["现任职务", "拟任职位", "任职资格", "师德一票否决", "任职回避"]
    assert content["refused_count"] == 0 and content["checked_on"] == today().isoformat()
    schools = {s["name"]: s for s in content["schools"]}
    assert set(schools) == {"第一实验小学", "第二实验小学", "第三实验小学"}
    assert any("甲副校长" in line for line in schools["第二实验小学"]["after"])
    assert not any("甲副校长" in line for line in schools["第一实验小学"]["after"])
