"""Composite score and ranking against hand-computed examples (no database)."""

from decimal import Decimal as D

import pytest

from workflows.competition.scoring import (
    CandidateScores,
    IncompleteScores,
    ScoringError,
    ScoringRules,
    rank_post,
    score_candidate,
)

RULES = ScoringRules.from_plan({"weights": {"speech": 50, "evaluation": 30, "performance": 20}, "trim_min_judges": 5})
FIVE = [f"评委{i}" for i in range(1, 6)]


def cand(name, number, scores, evaluation="80", performance="90", years=10, judges=FIVE):
    return CandidateScores(
        key=name,
        name=name,
        number=number,
        sheets={j: D(str(s)) for j, s in zip(judges, scores, strict=False)},
        evaluation=None if evaluation is None else D(evaluation),
        performance=None if performance is None else D(performance),
        years_of_teaching=years,
    )


def test_five_judges_drop_highest_and_lowest_and_round_half_up():
    # kept 90, 85, 88 → 263 / 3 = 87.666… → 87.67; 87.67×50% + 80×30% + 90×20% = 43.835 + 24 + 18 = 85.835 → 85.84
    result = score_candidate(cand("张三", 1, [90, 85, 88, 70, 95]), FIVE, RULES)
    assert result.speech == D("87.67")
    assert result.composite == D("85.84")
    assert result.dropped == {"评委5": "high", "评委4": "low"}
    text = "\n".join(result.trace)
    assert "去掉最高分95.00（评委5）、最低分70.00（评委4）" in text
    assert "其余3个分数之和263" in text
    assert "87.67×50% + 80.00×30% + 90.00×20% = 43.835 + 24 + 18 = 85.835，四舍五入保留两位小数为85.84" in text


def test_four_judges_are_not_trimmed_and_half_up_not_bankers():
    judges = FIVE[:4]
    # 341 / 4 = 85.25; 42.625 + 25.5 + 16 = 84.125 → 84.13 (banker's rounding would give 84.12)
    result = score_candidate(cand("李四", 1, [80, 90, 85, 86], "85", "80", judges=judges), judges, RULES)
    assert result.speech == D("85.25")
    assert result.composite == D("84.13")
    assert result.dropped == {}
    assert "少于5人，不去高去低" in result.trace[1]


def test_trimming_threshold_comes_from_the_plan():
    rules = ScoringRules.from_plan(
        {"weights": {"speech": 50, "evaluation": 30, "performance": 20}, "trim_min_judges": 7}
    )
    result = score_candidate(cand("张三", 1, [90, 85, 88, 70, 95]), FIVE, rules)
    assert result.dropped == {}
    assert result.speech == D("85.60")


def test_equal_extremes_drop_the_first_occurrence_only():
    result = score_candidate(cand("王五", 1, [90, 90, 80, 80, 85]), FIVE, RULES)
    assert result.dropped == {"评委1": "high", "评委3": "low"}
    assert result.speech == D("85.00")


def test_missing_sheet_blocks_the_whole_post_and_names_what_is_missing():
    complete = cand("张三", 1, [90, 85, 88, 70, 95])
    partial = cand("李四", 2, [90, 85, 88, 70])  # 评委5 has not submitted
    no_eval = cand("王五", 3, [80, 80, 80, 80, 80], evaluation=None)
    with pytest.raises(IncompleteScores) as exc:
        rank_post([complete, partial, no_eval], FIVE, RULES)
    assert exc.value.missing == ["评委5尚未提交李四的评分表", "王五的民主测评成绩未录入"]


def test_ranking_by_composite_then_plan_tie_break_speech_first():
    rules = ScoringRules.from_plan(
        {"weights": {"speech": 50, "evaluation": 50, "performance": 0}, "tie_break": ["speech", "evaluation"]}
    )
    judges = FIVE[:3]
    a = cand("甲", 1, [80, 80, 80], "90", "0", judges=judges)  # 40 + 45 = 85
    b = cand("乙", 2, [90, 90, 90], "80", "0", judges=judges)  # 45 + 40 = 85
    c = cand("丙", 3, [95, 95, 95], "95", "0", judges=judges)  # 95
    ranked = rank_post([a, b, c], judges, rules)
    assert [(r.name, r.rank, str(r.composite)) for r in ranked] == [
        ("丙", 1, "95.00"),
        ("乙", 2, "85.00"),
        ("甲", 3, "85.00"),
    ]
    assert "与甲综合成绩同为85.00，依次比较演讲答辩成绩、民主测评成绩、抽签序号" in ranked[1].trace[-1]


def test_tie_break_order_is_the_plans_not_a_fixed_one():
    rules = ScoringRules.from_plan(
        {"weights": {"speech": 50, "evaluation": 50, "performance": 0}, "tie_break": ["evaluation", "speech"]}
    )
    judges = FIVE[:3]
    a = cand("甲", 1, [80, 80, 80], "90", "0", judges=judges)
    b = cand("乙", 2, [90, 90, 90], "80", "0", judges=judges)
    assert [r.name for r in rank_post([b, a], judges, rules)] == ["甲", "乙"]


def test_years_of_teaching_then_draw_number_settle_complete_ties():
    rules = ScoringRules.from_plan(
        {"weights": {"speech": 50, "evaluation": 30, "performance": 20}, "tie_break": ["speech", "years_of_teaching"]}
    )
    judges = FIVE[:3]
    same = dict(scores=[85, 85, 85], evaluation="80", performance="80", judges=judges)
    senior = cand("赵", 3, years=20, **same)
    junior_a = cand("钱", 2, years=8, **same)
    junior_b = cand("孙", 1, years=8, **same)
    ranked = rank_post([junior_a, senior, junior_b], judges, rules)
    assert [(r.name, r.rank) for r in ranked] == [("赵", 1), ("孙", 2), ("钱", 3)]
    # deterministic: input order does not matter
    assert [r.name for r in rank_post([junior_b, junior_a, senior], judges, rules)] == ["赵", "孙", "钱"]


def test_weights_must_sum_to_100_and_tie_keys_must_be_known():
    with pytest.raises(ScoringError, match="之和应为100"):
        ScoringRules.from_plan({"weights": {"speech": 50, "evaluation": 30, "performance": 10}})
    with pytest.raises(ScoringError, match="未知的同分排序依据"):
        ScoringRules.from_plan(
            {"weights": {"speech": 50, "evaluation": 30, "performance": 20}, "tie_break": ["pinyin"]}
        )


def test_duplicate_draw_numbers_are_refused():
    judges = FIVE[:3]
    with pytest.raises(ScoringError, match="抽签序号重复"):
        rank_post([cand("甲", 1, [80] * 3, judges=judges), cand("乙", 1, [80] * 3, judges=judges)], judges, RULES)
