"""The competition's own dossier kinds: 竞聘公告, 报名情况表, 资格审查结果, 干部职务调整决定, and the ranking with
per-post panels and the plan's tie-break. Content against hand-checked examples, each refusal in Chinese, and
one of them rendered to PDF and read back.
"""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
from django.template.loader import render_to_string

from dossiers.content import samples
from dossiers.content.adjustment_decision import build_adjustment_decision
from dossiers.content.competition_announcement import build_competition_announcement
from dossiers.content.competition_qualification import build_competition_qualification
from dossiers.content.competition_ranking import build_competition_ranking
from dossiers.content.competition_registrations import build_competition_registrations
from dossiers.kinds import DossierKind, template_for
from dossiers.rendering import render_pdf

NEW_KINDS = (
    "competition_announcement",
    "competition_registrations",
    "competition_qualification",
    "adjustment_decision",
)


def sample(kind: str) -> dict:
    return samples.sample_input(kind)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_each_new_kind_has_a_sample_a_builder_and_a_template():
    for kind in NEW_KINDS:
        assert kind in samples.KINDS and DossierKind(kind)
        content = samples.build_sample(kind)
        assert content["title"]
        with pytest.raises(ValueError, match="未知字段：typo"):
            samples.builder_for(kind)(**(sample(kind) | {"typo": "x"}))


# --- 竞聘公告 -----------------------------------------------------------------------------------------------


def test_announcement_prints_posts_conditions_window_weights_rules_and_hash():
    content = build_competition_announcement(**sample("competition_announcement"))
    assert content["title"] == "示范区第一实验小学2026年中层干部竞聘上岗公告"
    assert content["title_lines"] == ["示范区第一实验小学", "2026年中层干部竞聘上岗公告"]
    # 总务处副主任 gave no minimum: it is its seats (1); 1 + 1 + 1 seats
    assert [(p["name"], p["seats"], p["min_candidates"]) for p in content["posts"]] == [
        ("教导处主任", 1, 2),
        ("德育处主任", 1, 2),
        ("总务处副主任", 1, 1),
    ]
    assert content["seats"] == 3
    sections = {s["heading"]: s for s in content["sections"]}
    assert [s["number"] for s in content["sections"]] == ["一", "二", "三", "四", "五", "六"]
    assert sections["报名条件"]["paragraphs"][:2] == [
        "（一）本校在职在编教职工。",
        "（二）专业技术职务为一级教师及以上。",
    ]
    assert sections["报名时间和方式"]["paragraphs"][0] == (
        "报名时间：2026年6月1日至2026年6月5日。报名地点：学校行政楼二楼党政办公室。"
    )
    assert sections["成绩计算"]["paragraphs"] == [
        "综合成绩按百分制计算，其中演讲答辩占50%、民主测评占30%、工作业绩占20%，保留两位小数。",
        "演讲答辩评委不少于5人时，去掉一个最高分和一个最低分后取平均分；少于5人时取全部分数的平均分。",
        "综合成绩相同时，依次比较演讲答辩成绩、民主测评成绩、教龄（高者在前），仍相同的按抽签序号（小者在前）排序。",
    ]
    assert "每个岗位按职数1∶1的比例确定考察对象" in sections["竞聘程序"]["paragraphs"][1]
    assert sections["其他事项"]["paragraphs"][0] == "联系人：孙丽；联系电话：0519-86130001。"
    assert content["plan_hash"] == samples.PLAN_HASH
    assert content["date_text"] == "2026年5月25日"


def test_announcement_normalises_the_hash_and_states_a_wider_inspection_ratio():
    data = sample("competition_announcement") | {"plan_hash": samples.PLAN_HASH.upper(), "inspect_top": 2}
    data.pop("contact")
    content = build_competition_announcement(**data)
    assert content["plan_hash"] == samples.PLAN_HASH
    sections = {s["heading"]: s for s in content["sections"]}
    assert "按职数1∶2的比例" in sections["竞聘程序"]["paragraphs"][1]
    assert sections["其他事项"]["paragraphs"][0] == "联系电话：0519-86130001。"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"weights": {"speech": 50, "evaluation": 30, "performance": 30}}, "各项权重之和应为100%，现为110%"),
        ({"posts": [{"name": "教导处主任", "seats": 2, "min_candidates": 1}]}, "最少合格人数（1）不得少于职数（2）"),
        ({"posts": [{"name": "教导处主任", "seats": 1}, {"name": "教导处主任", "seats": 1}]}, "竞聘岗位重复"),
        ({"closes": "2026-05-30"}, "报名截止日期早于开始日期"),
        ({"plan_hash": "abc123"}, "实施方案哈希应为64位十六进制数"),
        ({"conditions": []}, "缺少“报名条件”"),
        ({"tie_break": ["speech", "pinyin"]}, "未知的同分排序依据：pinyin"),
        ({"phone": ""}, "缺少“联系电话”"),
    ],
)
def test_announcement_refuses_an_inconsistent_plan(change, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        build_competition_announcement(**(sample("competition_announcement") | change))


# --- 竞聘报名情况表 ----------------------------------------------------------------------------------------


def test_registrations_number_rows_per_post_count_withdrawals_and_compute_ages():
    content = build_competition_registrations(**sample("competition_registrations"))
    assert content["title"] == "示范区第一实验小学2026年中层干部竞聘上岗报名情况表"
    dean, moral, general = content["groups"]
    # ages on 5 June 2026: 1988-09-14 → 37; 1985-06-05 → 41 (birthday that day); 1990-03-21 → 36
    assert [(r["number"], r["name"], r["sex"], r["birth"], r["age"]) for r in dean["rows"]] == [
        (1, "孙海涛", "男", "1988.09", 37),
        (2, "王丽君", "女", "1985.06", 41),
        (3, "周文静", "女", "1990.03", 36),
    ]
    assert dean["rows"][0]["registered_text"] == "2026.06.01" and dean["rows"][0]["title"] == "一级教师"
    assert (moral["registered"], moral["withdrawn"], moral["standing"]) == (3, 1, 2)
    assert moral["summary"] == "报名3人，撤回1人，有效报名2人。职数1名。"
    assert [r["withdrawn"] for r in moral["rows"]] == [False, True, False]
    # a birth month only (1986-04) counts from the 1st: 40 on 5 June 2026
    assert general["rows"][0]["age"] == 40 and general["rows"][0]["birth"] == "1986.04"
    assert content["total_line"] == "共3个岗位，报名7人次，撤回1人次，有效报名6人次。"
    assert content["window_line"] == "报名时间：2026年6月1日至2026年6月5日"


def test_registrations_age_turns_on_the_birthday_not_before():
    data = sample("competition_registrations")
    data["posts"] = [{"name": "教导处主任", "rows": [dict(data["posts"][0]["rows"][0], birth="1990-06-06")]}]
    assert build_competition_registrations(**data)["groups"][0]["rows"][0]["age"] == 35
    data["posts"][0]["rows"][0]["birth"] = "1990-06-05"
    assert build_competition_registrations(**data)["groups"][0]["rows"][0]["age"] == 36


def test_a_post_without_registrations_still_prints():
    data = sample("competition_registrations")
    data["posts"].append({"name": "德育处副主任", "seats": 1, "rows": []})
    group = build_competition_registrations(**data)["groups"][-1]
    assert group["rows"] == [] and group["summary"] == "报名0人，撤回0人，有效报名0人。职数1名。"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["posts"][0]["rows"][0].update(birth="2027-01-01"), "出生年月晚于年龄计算日期"),
        (lambda d: d["posts"][0]["rows"][0].update(sex="X"), "竞聘岗位第1项：报名人员第1项：“性别”应为男或女"),
        (lambda d: d["posts"][0]["rows"][0].update(birth="1988-13"), "“出生年月”应为年月"),
        (lambda d: d["posts"][0]["rows"][1].pop("current_post"), "报名人员第2项：缺少“现任职务”"),
        (lambda d: d["posts"][1].update(name="教导处主任"), "竞聘岗位重复"),
        (lambda d: d.update(closes="2026-05-01"), "报名截止日期早于开始日期"),
        (lambda d: d["posts"][0]["rows"][0].update(typo="x"), "未知字段：typo"),
    ],
)
def test_registrations_refuse_bad_rows(mutate, message):
    data = sample("competition_registrations")
    mutate(data)
    with pytest.raises(ValueError, match=re.escape(message)):
        build_competition_registrations(**data)


# --- 竞聘资格审查结果 --------------------------------------------------------------------------------------


def test_qualification_gives_each_result_with_its_reason_and_flags_short_posts():
    content = build_competition_qualification(**sample("competition_qualification"))
    assert content["title"] == "示范区第一实验小学2026年中层干部竞聘上岗资格审查结果"
    dean, moral, general = content["groups"]
    assert [(r["name"], r["result"], r["reason"]) for r in dean["rows"]] == [
        ("孙海涛", "通过", "符合报名条件。"),
        ("王丽君", "通过", "符合报名条件。"),
        ("周文静", "不通过", "须2025年度考核为合格及以上，现为基本合格。"),  # a full stop added
    ]
    assert (dean["qualified"], dean["refused"], dean["short"]) == (2, 1, False)
    assert dean["line"] == (
        "教导处主任：参加资格审查3人，通过2人，不予通过1人；实施方案要求合格人数不少于2人，符合要求。"
    )
    assert (moral["qualified"], moral["short"]) == (1, True)
    assert moral["line"].endswith("实施方案要求合格人数不少于2人，合格人数不足，须按实施方案研究处理。")
    assert (general["min_candidates"], general["short"]) == (1, False)  # no minimum given: the seats
    assert content["short_posts"] == ["德育处主任"] and content["short_line"] == "合格人数不足的岗位：德育处主任。"
    assert (content["qualified"], content["refused"]) == (4, 2)


def test_qualification_accepts_the_workflow_codes_for_results():
    data = sample("competition_qualification")
    data["posts"][0]["rows"][2]["result"] = "refused"
    data["posts"][0]["rows"][0]["result"] = "accepted"
    rows = build_competition_qualification(**data)["groups"][0]["rows"]
    assert [r["result"] for r in rows] == ["通过", "通过", "不通过"]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["posts"][0]["rows"][2].pop("reason"), "审查对象第3项：不予通过须写明理由"),
        (lambda d: d["posts"][0]["rows"][0].update(result="待定"), "“审查结果”应为通过、不通过"),
        (lambda d: d["posts"][0].update(min_candidates=0), "“最少合格人数”不能小于1"),
        (lambda d: d["posts"][0].update(seats=3), "最少合格人数（2）不得少于职数（3）"),
        (lambda d: d["posts"][0].pop("seats"), "缺少“职数”"),
        (lambda d: d.pop("date"), "缺少“审查日期”"),
    ],
)
def test_qualification_refuses_a_refusal_without_reason_and_bad_minimums(mutate, message):
    data = sample("competition_qualification")
    mutate(data)
    with pytest.raises(ValueError, match=re.escape(message)):
        build_competition_qualification(**data)


# --- 干部职务调整决定 -------------------------------------------------------------------------------------


def test_adjustment_decision_states_person_grounds_statement_meeting_and_demotion():
    content = build_adjustment_decision(**sample("adjustment_decision"))
    assert content["title"] == "关于钱宏伟同志职务调整的决定"
    assert content["masthead"] == "中共示范区第一实验小学支部委员会文件"
    assert content["doc_number"] == "示实小党〔2026〕5号"
    assert content["person_line"] == "钱宏伟，男，1978年4月生，现任总务处主任（2019年9月起任现职）。"
    assert content["trigger_line"].startswith("因2025年度考核不合格，学校党组织依据干部能上能下的有关规定")
    assert content["statement_made"] and content["statement_line"] == (
        "2026年3月10日，钱宏伟同志本人作了陈述，陈述内容如下："
    )
    assert content["meeting_line"] == (
        "2026年3月16日，学校党支部委员会2026年第3次会议对该事项进行了研究。"
        "会议应到7人，实到6人，同意6票、不同意0票、缓议0票。"
    )
    assert content["meeting"]["quorum"] == 5  # ⌈2/3 × 7⌉
    assert content["decision_line"] == "经研究，决定免去钱宏伟同志总务处主任职务，降职任总务处副主任。"
    assert content["effective_line"] == "本决定自2026年3月18日起执行。"
    assert "申请复核或者提出申诉" in content["remedy_line"]
    assert content["outcome_label"] == "降职使用" and content["cc_text"] == "示范区教育局组织人事科"


def test_a_removal_is_titled_by_the_post_and_a_missing_statement_is_said():
    data = sample("adjustment_decision") | {"outcome": "免去职务", "new_post": ""}
    del data["statement"], data["statement_on"]
    content = build_adjustment_decision(**data)
    assert content["title"] == "关于免去钱宏伟同志总务处主任职务的决定"
    assert content["decision_line"] == "经研究，决定免去钱宏伟同志总务处主任职务。"
    assert not content["statement_made"] and content["statement_line"] == "钱宏伟同志在规定期限内未作陈述。"


def test_a_meeting_that_keeps_the_cadre_needs_no_majority_and_no_effective_date():
    data = sample("adjustment_decision") | {"outcome": "keep", "new_post": "", "doc_number": ""}
    data["meeting"] = data["meeting"] | {"agree": 3, "disagree": 3}
    del data["effective"]
    content = build_adjustment_decision(**data)
    assert content["title"] == "关于钱宏伟同志不予调整职务的决定"
    assert content["decision_line"] == "经研究，决定对钱宏伟同志不予调整职务，继续担任总务处主任。"
    assert content["effective_line"] == "" and content["remedy_line"] == "" and content["doc_number"] == ""


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["meeting"].update(present=4), "应到7人，实到4人，不足5人，不能研究人事事项"),
        (lambda d: d["meeting"].update(present=8), "实到人数（8）多于应到人数（7）"),
        (lambda d: d["meeting"].update(agree=3, disagree=3), "同意3票，未超过应到会人数7人的半数，不能作出调整决定"),
        (lambda d: d["meeting"].update(agree=5, disagree=2), "表决票数之和（7）多于实到人数（6）"),
        (lambda d: d.update(new_post=""), "降职使用须写明降任的职务"),
        (lambda d: d.update(outcome="remove"), "只有降职使用才有降任职务"),
        (lambda d: d.update(new_post="总务处主任"), "降任职务不能与现任职务相同"),
        (lambda d: d.update(outcome="警告"), "“决定”应为"),
        (lambda d: d.pop("effective"), "缺少“生效日期”"),
        (lambda d: d.update(doc_number="示实小党〔2025〕5号"), "发文字号的年份应与决定日期一致"),
        (lambda d: d.update(doc_number="五号文"), "“发文字号”格式应如"),
        (lambda d: (d.pop("statement"), d.pop("cc")), "有陈述日期而无陈述内容"),
        (lambda d: d["person"].pop("name"), "调整对象：缺少“姓名”"),
    ],
)
def test_adjustment_decision_refuses_what_the_rules_do_not_allow(mutate, message):
    data = sample("adjustment_decision")
    mutate(data)
    with pytest.raises(ValueError, match=re.escape(message)):
        build_adjustment_decision(**data)


# --- 成绩汇总及排名 with the plan's panels and tie-break ------------------------------------------------------


TIE = "与甲综合成绩同为84.50，依次比较演讲答辩成绩、民主测评成绩、教龄、抽签序号（本人：演讲答辩成绩85.00，民主测评成绩80.00，教龄22，抽签序号2），列第1名"  # noqa: E501


def two_posts(**extra) -> dict:
    """教导处主任 with five judges (trimmed), 德育处主任 with three (not trimmed), as the ranking step stored them."""
    return {
        "competition": "某校2026年中层干部竞聘上岗",
        "organization": "某校",
        "date": "2026-06-13",
        "posts": [
            {"name": "教导处主任", "judges": ["评委1", "评委2", "评委3", "评委4", "评委5"], "shortlist": 1},
            {"name": "德育处主任", "judges": ["评委1", "评委2", "评委3"], "shortlist": 1},
        ],
        "weights": {"speech": 50, "evaluation": 30, "performance": 20},
        "tie_break": ["speech", "evaluation", "years_of_teaching", "number"],
        "candidates": [
            {"name": "甲", "number": 1, "post": "教导处主任", "speech_scores": [90, 85, 80, 95, 70],
             "dropped": {"评委4": "high", "评委5": "low"}, "speech": "85.00", "evaluation": "80.00",
             "performance": "90.00", "composite": "84.50", "rank": 2, "shortlisted": False,
             "trace": ["去掉最高分95.00（评委4）、最低分70.00（评委5）", "第2名"]},
            {"name": "乙", "number": 2, "post": "教导处主任", "speech_scores": [85, 85, 85, 99, 60],
             "dropped": {"评委4": "high", "评委5": "low"}, "speech": "85.00", "evaluation": "80.00",
             "performance": "90.00", "composite": "84.50", "rank": 1, "shortlisted": True,
             "trace": ["去掉最高分99.00（评委4）、最低分60.00（评委5）", TIE]},
            {"name": "丙", "number": 1, "post": "德育处主任", "speech_scores": [88, 86, 81], "dropped": {},
             "speech": "85.00", "evaluation": "90.00", "performance": "80.00", "composite": "85.50", "rank": 1,
             "shortlisted": True, "trace": ["3个分数平均85.00", "第1名"]},
        ],
    } | extra  # fmt: skip


def test_ranking_prints_each_posts_stored_figures_in_the_stored_order():
    content = build_competition_ranking(**two_posts())
    dean, moral = content["groups"]
    assert (dean["judges"], dean["trimmed"], moral["trimmed"]) == (
        ["评委1", "评委2", "评委3", "评委4", "评委5"],
        True,
        False,
    )
    # listed by the stored rank, not by input order; the shortlist mark is the stored one
    assert [(r["name"], r["composite"], r["rank"], r["shortlisted"]) for r in dean["rows"]] == [
        ("乙", "84.50", 1, True),
        ("甲", "84.50", 2, False),
    ]
    assert dean["rows"][0]["trace"] == f"去掉最高分99.00（评委4）、最低分60.00（评委5）；{TIE}。"
    assert [s["dropped"] for s in dean["rows"][1]["scores"]] == ["", "", "", "high", "low"]
    assert [s["text"] for s in dean["rows"][1]["scores"]] == ["90.0", "85.0", "80.0", "95.0", "70.0"]
    assert [(r["name"], r["speech"], r["composite"], r["rank"]) for r in moral["rows"]] == [("丙", "85.00", "85.50", 1)]
    assert content["trim_line"] == (
        "教导处主任评委5人，去掉一个最高分和一个最低分后取平均分；德育处主任评委3人（少于5人），取全部分数的平均分。"
        "表中加删除线者为去掉的分数。"
    )
    assert content["tie_line"] == (
        "综合成绩相同时，依次比较演讲答辩成绩、民主测评成绩、教龄（高者在前），仍相同的按抽签序号（小者在前）排序。"
    )
    assert content["shortlist_line"] == "每个岗位排名前1位者进入组织考察（表中标“★”）。"
    assert content["judges"] == ["评委1", "评委2", "评委3", "评委4", "评委5"]


def test_ranking_recomputes_nothing_it_prints_what_was_stored():
    data = two_posts()
    # figures that no weighting of these scores gives, a swapped rank and no shortlist: printed as given
    data["candidates"][0].update(speech="12.34", composite="99.99", rank=1, shortlisted=True, dropped={})
    data["candidates"][1].update(rank=2, shortlisted=False)
    dean = build_competition_ranking(**data)["groups"][0]
    assert [(r["name"], r["speech"], r["composite"], r["rank"], r["shortlisted"]) for r in dean["rows"]] == [
        ("甲", "12.34", "99.99", 1, True),
        ("乙", "85.00", "84.50", 2, False),
    ]
    assert all(s["dropped"] == "" for s in dean["rows"][0]["scores"])


def test_ranking_checks_sheet_scores_against_the_plans_full_mark():
    data = two_posts(speech_max="120")
    data["candidates"][2].update(speech_scores=[110, 100, 90], speech="100.00")
    assert build_competition_ranking(**data)["groups"][1]["rows"][0]["speech"] == "100.00"
    with pytest.raises(ValueError, match="评委1评分”不能大于100"):
        build_competition_ranking(**two_posts(candidates=data["candidates"]))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["candidates"][2].update(post="总务处主任"), "竞聘岗位“总务处主任”不在岗位列表中"),
        (lambda d: d["candidates"][2]["speech_scores"].append(80), "演讲答辩应有3位评委的分数"),
        (lambda d: d["candidates"][1].update(number=1), "演讲序号重复"),
        (lambda d: d["candidates"][0].pop("rank"), "缺少“名次”"),
        (lambda d: d["candidates"][0].pop("composite"), "缺少“综合成绩”"),
        (lambda d: d["candidates"][0].pop("trace"), "缺少“计算过程”"),
        (lambda d: d["candidates"][2].update(dropped={"评委5": "high"}), "去掉的评分所属评委“评委5”不在本岗位评委中"),
        (lambda d: d["candidates"][0].update(dropped={"评委4": "top"}), "去掉的评分应标为最高分或最低分"),
        (lambda d: d.update(tie_break=["speech", "speech"]), "同分排序依据重复"),
        (lambda d: d.update(tie_break=["age"]), "未知的同分排序依据：age"),
        (lambda d: d["posts"][1].update(judges=["评委1", "评委1"]), "评委名称重复"),
        (lambda d: d["posts"].append({"name": "教导处主任", "judges": ["评委1"]}), "竞聘岗位重复：教导处主任"),
        (lambda d: d["posts"][0].pop("judges"), "竞聘岗位第1项：缺少“评委”"),
    ],
)
def test_ranking_with_panels_refuses_inconsistent_input(mutate, message):
    data = two_posts()
    mutate(data)
    with pytest.raises(ValueError, match=re.escape(message)):
        build_competition_ranking(**data)


# --- printed ----------------------------------------------------------------------------------------------


def _pdf_text(kind: str, content: dict) -> tuple[str, int, list[tuple[float, float]]]:
    pdf, pages = render_pdf(
        template_for(kind), {"content": content, "document": samples.sample_document(kind, content)}
    )
    assert pdf.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = squash("".join(page.extract_text() or "" for page in doc.pages))
        sizes = [(float(p.width), float(p.height)) for p in doc.pages]
    return text, pages, sizes


def test_the_qualification_results_print_each_reason_and_the_short_post_on_a4():
    content = build_competition_qualification(**sample("competition_qualification"))
    text, pages, sizes = _pdf_text("competition_qualification", content)
    assert pages == 1 and all(abs(w - 595.3) < 1 and abs(h - 841.9) < 1 for w, h in sizes)
    for field in ("示范区第一实验小学", "2026年中层干部竞聘上岗资格审查结果", "周文静", "不通过",
                  "【合格人数不足】德育处主任", "符合报名条件。", "示范区第一实验小学2026年6月9日"):  # fmt: skip
        assert squash(field) in text, field
    assert "第1页共1页" in text and "验证码SAMPLE" in text


def test_the_ranking_prints_each_posts_own_judge_columns():
    content = build_competition_ranking(**two_posts())
    text, _pages, _sizes = _pdf_text("competition_ranking", content)
    assert "竞聘岗位：教导处主任" in text and "竞聘岗位：德育处主任" in text and "列第1名" in text
    html = render_to_string(
        template_for("competition_ranking"),
        {"content": content, "document": samples.sample_document("competition_ranking", content)},
    )
    headers = re.findall(r'colspan="(\d+)">演讲答辩评委评分', html)
    assert headers == ["5", "3"]
