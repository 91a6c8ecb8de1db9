"""后备干部名册: numbering, the summary sentence, the title, refusals — and a real PDF of it."""

from __future__ import annotations

import copy

import pytest

from dossiers.content.reserve_roster import build_reserve_roster

ROW = {
    "name": "孙海涛",
    "sex": "男",
    "birth": "1988.09",
    "age": 38,
    "unit": "示范区第一实验小学",
    "current_post": "教导处副主任",
    "education": "大学本科",
    "title": "一级教师",
    "political_status": "中共党员",
    "kind": "副职后备",
    "target": "示范区第一实验小学副校长",
    "horizon": "近期可提拔使用",
    "origin": "学校党组织推荐",
    "state": "在库",
    "admitted_on": "2025-12-20",
    "valid_until": "2028-12-19",
    "training_hours": "40",
}


def data(rows=None, **extra):
    return {
        "issuer": "示范区教育局",
        "scope": "状态：在库",
        "as_of": "2026-12-01",
        "date": "2026-12-01",
        "rows": rows if rows is not None else [ROW],
        "pool_only": True,
        **extra,
    }


def test_rows_are_numbered_and_summarised():
    woman = copy.deepcopy(ROW) | {"name": "李芳", "sex": "女", "kind": "正职后备", "horizon": "中长期培养"}
    third = copy.deepcopy(ROW) | {"name": "周明", "admitted_on": None, "valid_until": None, "training_hours": None}
    content = build_reserve_roster(**data([ROW, woman, third]))
    assert [(r["number"], r["name"]) for r in content["rows"]] == [(1, "孙海涛"), (2, "李芳"), (3, "周明")]
    assert content["summary"] == (
        "共3人，其中正职后备1人、副职后备2人；近期可提拔使用2人（占66.7%）、中长期培养1人；女性1人。"
    )
    assert content["rows"][0]["admitted_on"] == "2025.12.20" and content["rows"][2]["admitted_on"] == "—"
    assert content["rows"][2]["training_hours"] == "0"
    assert content["title"] == "后备干部名册（在库）" and content["as_of_text"] == "2026年12月1日"


def test_a_list_with_nominees_is_not_titled_in_the_pool():
    assert build_reserve_roster(**data(pool_only=False))["title"] == "后备干部名册"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rows": []}, "后备干部"),
        ({"rows": [ROW | {"kind": "校长后备"}]}, "后备类别"),
        ({"rows": [ROW | {"age": 12}]}, "年龄"),
        ({"issuer": ""}, "编制单位"),
        ({"colour": "red"}, "未知字段"),
    ],
)
def test_bad_input_is_refused_in_chinese(change, message):
    with pytest.raises(ValueError, match=message):
        build_reserve_roster(**(data() | change))
