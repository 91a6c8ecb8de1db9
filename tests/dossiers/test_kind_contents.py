"""Content builders of the dossier kinds: figures against hand-computed examples, and refusals in Chinese.

Pure functions: no database, no rendering.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from cadres.ethics.periods import period_end as veto_period_end
from dossiers.content import samples
from dossiers.content.appointment_notice import build_appointment_notice
from dossiers.content.competition_ranking import build_competition_ranking
from dossiers.content.competition_score_sheet import build_competition_score_sheet
from dossiers.content.ethics_decision import build_ethics_decision
from dossiers.content.evaluation_tally import build_evaluation_tally
from dossiers.content.inspection_report import build_inspection_report
from dossiers.content.minutes_extract import build_minutes_extract
from dossiers.content.public_notice import build_public_notice
from dossiers.content.recommendation_tally import build_recommendation_tally
from dossiers.content.record_sheet import build_record_sheet
from dossiers.content.reserve_profile import build_reserve_profile
from dossiers.content.support import add_months, cn_date, dense_ranks, percent, period_end
from dossiers.content.vote_sheet import build_vote_sheet
from dossiers.kinds import DossierKind


def sample(kind: str) -> dict:
    return samples.sample_input(kind)


# --- shared helpers ----------------------------------------------------------------------------------


def test_chinese_dates_percentages_and_shared_ranks_are_computed_as_by_hand():
    assert cn_date(dt.date(2026, 10, 9)) == "2026年10月9日"
    assert percent(36, 42) == "85.7"
    assert percent(1, 8) == "12.5"
    assert percent(1, 0) == "—"
    assert dense_ranks([10, 8, 8, 5]) == [1, 2, 2, 4]
    assert period_end(dt.date(2026, 10, 9), 12) == dt.date(2027, 10, 8)
    # 31 August + 6 months has no 31 February: the period ends on its last day, 28 February.
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)  # one home: cadres.facts
    assert period_end(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 27)


def test_every_kind_but_the_appointment_form_has_a_sample_and_each_builds_to_json():
    assert set(samples.KINDS) == {k.value for k in DossierKind} - {DossierKind.APPOINTMENT_FORM}
    for kind in samples.KINDS:
        content = samples.build_sample(kind)
        assert content["title"]
        assert json.loads(json.dumps(content, ensure_ascii=False)) == content


def test_a_misspelt_field_is_refused_instead_of_silently_dropped():
    data = sample("public_notice") | {"phon": "123"}
    with pytest.raises(ValueError, match="未知字段：phon"):
        build_public_notice(**data)


# --- 考察材料 -------------------------------------------------------------------------------------------


def test_inspection_report_writes_the_recommendation_and_evaluation_sentences():
    content = build_inspection_report(**sample("inspection_report"))
    assert content["title"] == "王晓燕同志考察材料"
    meeting, talks = content["recommendations"]
    assert meeting["sentence"] == "会议推荐共42人参加，推荐她的36票，占85.7%，居第1位。"
    assert talks["sentence"] == "谈话调研推荐共28人参加，推荐她的23票，占82.1%，居第1位。"
    # 35 + 6 of 42 = 97.6 %
    assert content["evaluation"]["favourable_share"] == "97.6"
    assert "“优秀”35票、“称职”6票、“基本称职”1票、“不称职”0票" in content["evaluation"]["sentence"]
    assert [a["letter"] for a in content["aspects"]] == ["德", "能", "勤", "绩", "廉"]
    assert content["team_members"] == ["刘芳", "周明"]  # the leader is printed once, as leader


def test_inspection_report_uses_his_for_a_man_and_counts_abstentions():
    data = sample("inspection_report") | {"sex": "M"}
    data["evaluation"] = {"participants": 40, "excellent": 20, "competent": 15, "basic": 2, "incompetent": 1}
    content = build_inspection_report(**data)
    assert "推荐他的36票" in content["recommendations"][0]["sentence"]
    assert "弃权2票" in content["evaluation"]["sentence"]
    assert content["evaluation"]["favourable_share"] == "87.5"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"shortcomings": []}, "主要缺点和不足"),
        ({"team_members": ["陈建国"]}, "考察组应由两名以上成员组成"),
        ({"end": "2026-09-01"}, "考察结束日期早于开始日期"),
    ],
)
def test_inspection_report_refuses_a_report_missing_a_required_part(change, message):
    with pytest.raises(ValueError, match=message):
        build_inspection_report(**(sample("inspection_report") | change))


def test_inspection_report_refuses_more_votes_than_participants_and_a_missing_aspect():
    data = sample("inspection_report")
    data["recommendations"][0]["votes"] = 43
    with pytest.raises(ValueError, match="民主推荐情况第1项：得票（43）多于有效票（42）"):
        build_inspection_report(**data)
    data = sample("inspection_report")
    del data["performance"]["integrity"]
    with pytest.raises(ValueError, match="缺少“廉洁自律”"):
        build_inspection_report(**data)


# --- 推荐票统计表 ---------------------------------------------------------------------------------------


def test_recommendation_tally_sums_categories_and_ranks_equal_votes_together():
    data = sample("recommendation_tally")
    content = build_recommendation_tally(**data)
    talks, meeting = content["rounds"]
    assert (meeting["due"], meeting["attended"]) == (47, 42)
    # ⌈2/3 × 47⌉ = 32
    assert meeting["attendance_needed"] == 32 and meeting["attendance_ok"]
    assert [(c["name"], c["votes"], c["share"], c["rank"]) for c in meeting["candidates"]] == [
        ("王晓燕", 36, "85.7", 1),
        ("赵立新", 5, "11.9", 2),
        ("孙海涛", 1, "2.4", 3),
    ]
    assert meeting["candidates"][0]["by_category"] == [4, 10, 20, 2]
    assert talks["attendance_needed"] == 0 and talks["attendance_line"] == "应谈话29人，实谈话28人。"

    data["rounds"][0]["candidates"] = [
        {"name": "甲", "votes": 10},
        {"name": "乙", "votes": 8},
        {"name": "丙", "votes": 8},
        {"name": "丁", "votes": 2},
    ]
    ranked = build_recommendation_tally(**data)["rounds"][0]["candidates"]
    assert [(c["name"], c["rank"]) for c in ranked] == [("甲", 1), ("乙", 2), ("丙", 2), ("丁", 4)]


def test_recommendation_meeting_below_two_thirds_attendance_is_marked_invalid():
    data = sample("recommendation_tally")
    meeting = data["rounds"][1]
    meeting["voters"][2]["attended"] = 12  # 5 + 11 + 12 + 3 = 31 < 32
    meeting["ballots"] = {"issued": 31, "returned": 31, "valid": 31}
    for c in meeting["candidates"]:
        c["votes_by_category"]["教师代表"] = min(c["votes_by_category"]["教师代表"], 9)
    content = build_recommendation_tally(**data)
    assert content["rounds"][1]["attendance_ok"] is False
    assert "实到人数不少于32人，不符合规定，推荐无效" in content["rounds"][1]["attendance_line"]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["rounds"][1]["voters"][0].update(attended=6), "实参加人数（6）不能多于应参加人数（5）"),
        (lambda d: d["rounds"][0]["candidates"][0].update(votes=29), "得票（29）多于有效票（28）"),
        (
            lambda d: d["rounds"][1]["candidates"][0].update(votes=35),
            "得票合计（35）与分类得票之和（36）不符",
        ),
        (lambda d: d["rounds"][1].pop("method"), "缺少“推荐方式”"),
        (lambda d: d["rounds"][1].update(method="网络推荐"), "应为谈话调研推荐、会议推荐之一"),
    ],
)
def test_recommendation_tally_refuses_impossible_figures(mutate, message):
    data = sample("recommendation_tally")
    mutate(data)
    with pytest.raises(ValueError, match=message):
        build_recommendation_tally(**data)


# --- 民主测评统计表 -------------------------------------------------------------------------------------


def test_evaluation_tally_counts_abstentions_and_applies_the_given_threshold_strictly():
    data = sample("evaluation_tally")
    data["subjects"] = [
        {"name": "甲", "excellent": 20, "competent": 8, "basic": 10, "incompetent": 2},  # 28/42 = exactly 2/3
        {"name": "乙", "excellent": 30, "competent": 9, "basic": 1, "incompetent": 0},
    ]
    content = build_evaluation_tally(**data)
    first, second = content["subjects"]
    assert content["participants"] == 42 and content["due"] == 47
    assert first["favourable"] == 28 and first["favourable_share"] == "66.7"
    assert first["meets_threshold"] is False  # the rule needs more than 2/3
    assert second["abstained"] == 2 and second["meets_threshold"] is True
    assert [c["share"] for c in second["cells"]] == ["71.4", "21.4", "2.4", "0.0"]


def test_evaluation_tally_without_threshold_prints_no_verdict_and_refuses_too_many_ballots():
    data = sample("evaluation_tally")
    del data["favourable_numerator"], data["favourable_denominator"]
    content = build_evaluation_tally(**data)
    assert content["has_threshold"] is False and content["subjects"][0]["meets_threshold"] is None
    data["subjects"][0]["basic"] = 5  # 35 + 6 + 5 = 46 > 42
    with pytest.raises(ValueError, match="测评票合计（46）多于参加测评人数（42）"):
        build_evaluation_tally(**data)


# --- 表决票/计票单 -------------------------------------------------------------------------------------


def committee(present: int, agree: int, *, members: int = 9, head_first: bool = True) -> dict:
    rows = []
    for i in range(members):
        row = {"name": f"委员{i + 1}", "role": "委员", "present": i < present, "is_head": head_first and i == 0}
        if row["present"]:
            row["votes"] = {"甲": "同意" if i < agree else "不同意"}
        rows.append(row)
    return {
        "body": "中共示范区教育工作委员会",
        "meeting": "第9次委员会会议",
        "date": "2026-09-28",
        "chair": "委员1",
        "recorder": "刘芳",
        "candidates": [{"name": "甲", "proposed": "任某校校长"}],
        "members": rows,
    }


def test_nine_members_six_present_five_yes_passes_with_the_line_printed():
    content = build_vote_sheet(**committee(present=6, agree=5))
    row = content["candidates"][0]
    assert (content["due"], content["present"], content["quorum_needed"]) == (9, 6, 6)
    assert row["pass_needed"] == 5 and row["passed"]
    assert row["summary"] == "应到9人 实到6人 同意5票 通过"


def test_yes_votes_count_against_members_due_not_members_present():
    row = build_vote_sheet(**committee(present=6, agree=4))["candidates"][0]
    assert row["summary"] == "应到9人 实到6人 同意4票 未通过"  # 4 of 6 present is a majority, of 9 due it is not


def test_below_quorum_no_vote_passes():
    content = build_vote_sheet(**committee(present=5, agree=5))
    assert content["quorum_met"] is False
    assert content["candidates"][0]["result"] == "到会人数不足，不得表决"
    assert not content["candidates"][0]["passed"]


def test_the_head_is_printed_last_and_recused_members_do_not_vote():
    data = committee(present=9, agree=9)
    data["members"][3]["recused_for"] = ["甲"]
    del data["members"][3]["votes"]
    content = build_vote_sheet(**data)
    assert content["members"][-1]["name"] == "委员1"
    row = content["candidates"][0]
    assert row["agree"] == 8 and row["recused"] == ["委员4"] and row["eligible"] == 8
    assert content["members"][2]["cells"] == ["回避"]


def test_whether_recused_members_leave_the_denominator_is_a_printed_choice():
    data = committee(present=10, agree=5, members=10)
    data["members"][9]["recused_for"] = ["甲"]
    del data["members"][9]["votes"]
    kept = build_vote_sheet(**data)
    assert kept["candidates"][0]["due"] == 10 and kept["candidates"][0]["pass_needed"] == 6
    assert not kept["candidates"][0]["passed"]
    assert kept["denominator_rule"] == "回避成员不参加表决，仍计入应到会人数。"
    left = build_vote_sheet(**(data | {"recused_leave_denominator": True}))
    assert left["candidates"][0]["due"] == 9 and left["candidates"][0]["pass_needed"] == 5
    assert left["candidates"][0]["passed"]


def test_secret_ballot_takes_totals_and_refuses_more_ballots_than_voters():
    data = committee(present=7, agree=7)
    for m in data["members"]:
        m.pop("votes", None)
    data["method"] = "无记名投票"
    data["candidates"][0]["totals"] = {"agree": 6, "disagree": 1}
    row = build_vote_sheet(**data)["candidates"][0]
    assert row["summary"] == "应到9人 实到7人 同意6票 通过"
    data["candidates"][0]["totals"] = {"agree": 6, "disagree": 2}
    with pytest.raises(ValueError, match="票数合计（8）多于有表决权的到会成员（7）"):
        build_vote_sheet(**data)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["members"][1]["votes"].clear(), "应到会成员第2项：未对甲表态"),
        (lambda d: d["members"][8].update(votes={"甲": "同意"}), "缺席成员不能表态"),
        (lambda d: d["members"][1]["votes"].update({"甲": "弃权"}), "表态应为同意、不同意或缓议"),
        (lambda d: d["members"][1].update(recused_for=["甲"]), "已回避，不能对甲表态"),
    ],
)
def test_vote_sheet_refuses_inconsistent_votes(mutate, message):
    data = committee(present=8, agree=8)
    mutate(data)
    with pytest.raises(ValueError, match=message):
        build_vote_sheet(**data)


def test_a_deferred_candidate_is_not_voted_on():
    data = committee(present=9, agree=9)
    data["candidates"].append({"name": "乙", "proposed": "任某校副校长", "deferred": True})
    content = build_vote_sheet(**data)
    assert content["candidates"][1]["result"] == "暂缓表决"
    assert content["members"][0]["cells"] == ["同意", "—"]


# --- 会议纪要摘录 ---------------------------------------------------------------------------------------


def test_minutes_extract_checks_two_thirds_attendance_for_personnel_items():
    content = build_minutes_extract(**sample("minutes_extract"))
    assert (content["due"], content["quorum_needed"], content["quorum_met"]) == (9, 6, True)
    assert content["items"][0]["heading"] == "一、研究示范区第一实验小学校长人选"
    assert content["items"][1]["recusal_line"] == "冯晓明按规定回避。"
    assert content["items"][1]["vote_line"] == "表决结果：同意5票，不同意0票，缓议1票。"
    data = sample("minutes_extract")
    data["present"] = data["present"][:5]
    data["absent"] += [{"name": n, "reason": "出差"} for n in ["甲", "乙"]]
    thin = build_minutes_extract(**data)
    assert thin["quorum_met"] is False and "干部任免事项不得讨论决定" in thin["attendance_line"]


def test_minutes_extract_refuses_someone_both_present_and_absent():
    data = sample("minutes_extract")
    data["absent"].append({"name": "李卫东", "reason": "公出"})
    with pytest.raises(ValueError, match="同一人不能既出席又缺席：李卫东"):
        build_minutes_extract(**data)


# --- 任前公示 -------------------------------------------------------------------------------------------


def test_public_notice_writes_each_candidate_and_the_period():
    content = build_public_notice(**sample("public_notice"))
    assert content["candidates"][0]["sentence"] == (
        "王晓燕，女，1982年5月生，汉族，江苏常州人，2004年6月加入中国共产党，2004年8月参加工作，大学本科学历，"
        "理学学士，高级教师，现任示范区第一实验小学副校长，拟任示范区第一实验小学校长。"
    )
    assert content["period_line"] == "公示时间：2026年9月30日至2026年10月12日（不少于5个工作日）。"
    assert "区教育工委组织人事科" in content["report_line"]


def test_public_notice_accepts_registry_codes_for_status_and_education():
    data = sample("public_notice")
    data["candidates"][0] |= {"political_status": "masses", "education": "master"}
    del data["candidates"][0]["party_join"]
    candidate = build_public_notice(**data)["candidates"][0]
    assert candidate["political_status"] == "群众"
    assert "，群众，" in candidate["sentence"] and "硕士研究生学历" in candidate["sentence"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"workdays": 4}, "公示期只有4个工作日，不得少于5个工作日"),
        ({"end": "2026-09-29"}, "公示结束日期早于开始日期"),
        ({"workdays": 20}, "公示工作日数（20）多于公示期内的天数"),
        ({"phone": ""}, "缺少“联系电话”"),
        ({"date": "2026-10-01"}, "发布日期不能晚于公示开始日期"),
    ],
)
def test_public_notice_refuses_a_short_or_inconsistent_period(change, message):
    with pytest.raises(ValueError, match=message):
        build_public_notice(**(sample("public_notice") | change))


# --- 任职通知 -------------------------------------------------------------------------------------------


def test_appointment_notice_probation_runs_one_year_from_the_notice_date():
    content = build_appointment_notice(**sample("appointment_notice"))
    assert content["doc_number"] == "示教工委〔2026〕12号"
    assert content["title"] == "关于王晓燕等同志职务任免的通知"
    assert (
        content["lines"][0]
        == "任命王晓燕同志为示范区第一实验小学校长（试用期一年，自2026年10月14日至2027年10月13日）；"
    )
    assert content["lines"][1] == "免去王晓燕同志的示范区第一实验小学副校长职务；"
    assert content["lines"][-1].endswith("职务。")
    assert content["probations"][0]["end"]["iso"] == "2027-10-13"
    assert content["tenure_line"] == "任职时间自2026年9月28日起计算。"


def test_appointment_notice_normalises_the_document_number_and_handles_29_february():
    data = sample("appointment_notice") | {"date": "2028-02-29", "doc_number": "示教工委[2028]3号"}
    content = build_appointment_notice(**data)
    assert content["doc_number"] == "示教工委〔2028〕3号"
    assert content["probations"][0]["end"]["iso"] == "2029-02-27"  # the day before 2029-02-28
    data["doc_number"] = {"prefix": "示教工委", "year": 2028, "number": 4}
    assert build_appointment_notice(**data)["doc_number"] == "示教工委〔2028〕4号"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"doc_number": "示教工委2026年12号"}, "格式应如“示教工委〔2026〕12号”"),
        ({"doc_number": "示教工委〔2025〕12号"}, "发文字号的年份应与成文日期一致"),
        ({"decided_on": "2026-10-20"}, "决定日期不能晚于通知日期"),
        ({"appointments": [{"name": "王晓燕"}]}, "任免事项第1项：应至少填写任命职务或免去职务"),
    ],
)
def test_appointment_notice_refuses_malformed_input(change, message):
    with pytest.raises(ValueError, match=message):
        build_appointment_notice(**(sample("appointment_notice") | change))


# --- 竞聘评分表 -----------------------------------------------------------------------------------------


def test_score_sheet_totals_exactly_and_shows_the_lock_time():
    content = build_competition_score_sheet(**sample("competition_score_sheet"))
    assert content["total"] == "88.0" and content["total_max"] == "100"
    assert [c["score"] for c in content["criteria"]] == ["17.5", "26.0", "18.0", "17.5", "9.0"]
    assert content["lock_line"] == "本表已于2026年6月12日 15:42提交并锁定，不得更改。"


def test_score_sheet_prints_an_aware_time_in_the_district_time_zone():
    data = sample("competition_score_sheet") | {"opened_at": "", "locked_at": "2026-06-12T07:42:00+00:00"}
    assert build_competition_score_sheet(**data)["locked_at_text"] == "2026年6月12日 15:42"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["criteria"][4].update(score=10.5), "“得分”不能大于10"),
        (lambda d: d["criteria"][0].update(score=-1), "“得分”不能小于0"),
        (lambda d: d["criteria"][0].update(score=17.125), "得分最多保留两位小数"),
        (lambda d: d.update(locked_at="2026-06-12T14:00:00"), "提交时间早于评分开始时间"),
        (lambda d: d["judge"].pop("name"), "评委：缺少“姓名”"),
    ],
)
def test_score_sheet_refuses_out_of_range_scores_and_early_locks(mutate, message):
    data = sample("competition_score_sheet")
    mutate(data)
    with pytest.raises(ValueError, match=message):
        build_competition_score_sheet(**data)


# --- 竞聘成绩汇总及排名 ---------------------------------------------------------------------------------


def contest(candidates: list[dict], judges: int = 5, **extra) -> dict:
    return {
        "competition": "某校中层竞聘",
        "organization": "某校",
        "post": "教导处主任",
        "date": "2026-06-13",
        "judges": [f"评委{i}" for i in range(1, judges + 1)],
        "weights": {"speech": 50, "evaluation": 30, "performance": 20},
        "candidates": candidates,
        **extra,
    }


def stored(name: str, number: int, rank: int, composite: str, **extra) -> dict:
    """A candidate as the ranking step stored it (five judges, the 4th and 5th scores dropped)."""
    return {
        "name": name,
        "number": number,
        "speech_scores": [90, 85, 80, 95, 70],
        "dropped": {"评委4": "high", "评委5": "low"},
        "speech": "85.00",
        "evaluation": "90.00",
        "performance": "80.00",
        "composite": composite,
        "rank": rank,
        "trace": ["去掉最高分95.00（评委4）、最低分70.00（评委5）", f"第{rank}名"],
    } | extra


def test_ranking_prints_the_stored_figures_and_trace():
    content = build_competition_ranking(**contest([stored("甲", 1, 1, "85.50", shortlisted=True)], shortlist=1))
    row = content["groups"][0]["rows"][0]
    assert (row["speech"], row["evaluation"], row["performance"], row["composite"]) == (
        "85.00",
        "90.00",
        "80.00",
        "85.50",
    )
    assert (row["rank"], row["shortlisted"]) == (1, True)
    assert [s["dropped"] for s in row["scores"]] == ["", "", "", "high", "low"]
    assert row["trace"] == "去掉最高分95.00（评委4）、最低分70.00（评委5）；第1名。"
    assert content["formula_line"] == "综合成绩 = 演讲答辩×50% + 民主测评×30% + 工作业绩×20%，保留两位小数。"


def test_ranking_lists_rows_by_the_stored_rank_then_draw_number():
    rows = build_competition_ranking(
        **contest([stored("甲", 3, 2, "82.00"), stored("乙", 1, 2, "82.00"), stored("丙", 2, 1, "82.00")])
    )["groups"][0]["rows"]
    assert [(r["name"], r["rank"]) for r in rows] == [("丙", 1), ("乙", 2), ("甲", 2)]
    assert not any(r["shortlisted"] for r in rows)  # not stored: no mark


def test_ranking_ranks_each_post_separately():
    content = build_competition_ranking(**samples.sample_input("competition_ranking"))
    assert [g["post"] for g in content["groups"]] == ["教导处主任", "德育处主任", "总务处副主任"]
    assert all([r["rank"] for r in g["rows"]] == [1, 2, 3] for g in content["groups"])


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["weights"].update(performance=25), "各项权重之和应为100%，现为105%"),
        (lambda d: d["candidates"][0]["speech_scores"].pop(), "演讲答辩应有7位评委的分数"),
        (lambda d: d["candidates"][0]["speech_scores"].__setitem__(0, 101), "评委1评分”不能大于100"),
        (lambda d: d["candidates"][1].update(number=1), "演讲序号重复"),
        (lambda d: d["candidates"][0].pop("evaluation"), "缺少“民主测评成绩”"),
    ],
)
def test_ranking_refuses_bad_weights_and_scores(mutate, message):
    data = samples.sample_input("competition_ranking")
    mutate(data)
    with pytest.raises(ValueError, match=message):
        build_competition_ranking(**data)


# --- 师德处理决定书 -------------------------------------------------------------------------------------


def test_ethics_decision_states_kind_basis_period_and_remedies():
    content = build_ethics_decision(**sample("ethics_decision"))
    assert content["title"] == "关于给予马建军同志记过处分的决定"
    assert content["violation"]["item_text"] == "十"
    assert "第四条第（十）项“组织、参与有偿补课" in content["finding_line"]
    assert content["period"] == {
        "months": 12,
        "start": {"iso": "2026-10-09", "text": "2026年10月9日"},
        "end": {"iso": "2027-10-08", "text": "2027年10月8日"},
    }
    assert content["other_measures"][1]["end"]["iso"] == "2028-10-08"  # 取消资格 24 months
    assert "对其通报批评" in content["decision_line"]
    assert content["remedy_lines"][0] == (
        "如对本决定不服，可以自收到本决定书之日起30日内向示范区教育局申请复核；"
        "对复核决定不服的，可以自收到复核决定之日起30日内向常州市教育局提出申诉。"
    )
    assert content["remedy_lines"][1] == "复核、申诉期间，不停止本决定的执行。"


def test_ethics_periods_follow_the_staff_kind_and_may_add_up_to_48_months():
    data = sample("ethics_decision") | {"staff_kind": "管理人员", "sanction": "记大过", "date": "2027-08-31"}
    # The letter's last day is the day before the veto lifts (cadres.ethics.periods.period_end, exclusive).
    assert build_ethics_decision(**data)["period"]["end"]["iso"] == "2029-02-27"  # 18 months
    assert veto_period_end(dt.date(2027, 8, 31), 18) == dt.date(2029, 2, 28)
    data = sample("ethics_decision") | {"sanction": "警告", "date": "2027-08-31"}
    assert build_ethics_decision(**data)["period"]["end"]["iso"] == "2028-02-28"  # 6 months, leap year
    assert veto_period_end(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)
    data = sample("ethics_decision") | {"period_months": 30}
    assert build_ethics_decision(**data)["period"]["months"] == 30
    data = sample("ethics_decision") | {"sanction": "开除"}
    content = build_ethics_decision(**data)
    assert content["period"] is None and "给予马建军同志开除处分" in content["decision_line"]


def test_an_ethics_decision_with_only_other_measures_is_titled_by_them():
    data = sample("ethics_decision") | {"sanction": "", "other_measures": [{"measure": "诫勉谈话"}]}
    content = build_ethics_decision(**data)
    assert content["title"] == "关于对马建军同志诫勉谈话的决定"
    assert content["effects"] == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sanction": "", "other_measures": []}, "应至少给出一种处分或其他处理"),
        ({"violation": 12}, "不能大于11"),
        ({"sanction": "记大过"}, "应为警告、记过、降低岗位等级、撤职、开除之一"),
        ({"sanction": "降低岗位等级", "hearing_requested": True}, "应当先举行听证"),
        ({"period_months": 6}, "记过的处分期不得少于12个月"),
        ({"period_months": 49}, "不能大于48"),
        ({"sanction": "开除", "period_months": 24}, "只有警告、记过等有期限的处分才有处分期"),
        ({"other_measures": [{"measure": "取消资格", "scopes": ["评奖评优"], "months": 12}]}, "不得少于24个月"),
        ({"other_measures": [{"measure": "取消资格", "scopes": ["出国"], "months": 24}]}, "取消资格范围应为"),
        ({"appeal_body": ""}, "缺少“申诉机关”"),
    ],
)
def test_ethics_decision_refuses_incomplete_or_unlawful_decisions(change, message):
    with pytest.raises(ValueError, match=message):
        build_ethics_decision(**(sample("ethics_decision") | change))


def test_a_held_hearing_is_recorded_in_the_procedure():
    data = sample("ethics_decision") | {
        "sanction": "降低岗位等级",
        "hearing_requested": True,
        "hearing_on": "2026-09-25",
    }
    content = build_ethics_decision(**data)
    assert "应其要求，于2026年9月25日举行了听证。" in content["procedure"]
    assert content["period"]["months"] == 24


# --- 后备干部小传 ---------------------------------------------------------------------------------------


def test_reserve_profile_counts_characters_age_and_training_hours():
    content = build_reserve_profile(**sample("reserve_profile"))
    assert content["age"] == 38  # born 1988-09, counted at 2026-10-01
    assert content["training_hours"] == "100"
    assert content["profile_chars"] == sum(1 for p in content["profile"] for ch in p if not ch.isspace())
    assert content["appraisal_text"] == "2023年合格；2024年优秀；2025年合格"
    assert content["photo"].startswith("data:image/png;base64,")
    younger = build_reserve_profile(**(sample("reserve_profile") | {"as_of": "2026-08-31"}))
    assert younger["age"] == 37


def test_reserve_profile_refuses_more_than_500_characters():
    data = sample("reserve_profile") | {"profile": "字" * 500}
    assert build_reserve_profile(**data)["profile_chars"] == 500
    data["profile"] = ["字" * 300, "字" * 201]
    with pytest.raises(ValueError, match="小传不能超过500字，现有501字"):
        build_reserve_profile(**data)


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        ("https://example.com/a.jpg", "照片应为JPEG或PNG格式的data URI"),
        ("data:image/png;base64,!!!!", "照片应为JPEG或PNG格式的data URI"),
        ("data:image/jpeg;base64,iVBORw0KGgo=", "照片内容与声明的格式不符"),
        ("data:image/png;base64,abc", "不是有效的base64编码"),
    ],
)
def test_reserve_profile_accepts_only_a_real_jpeg_or_png_data_uri(photo, message):
    with pytest.raises(ValueError, match=message):
        build_reserve_profile(**(sample("reserve_profile") | {"photo": photo}))


def test_reserve_profile_refuses_an_unknown_pool_kind():
    with pytest.raises(ValueError, match="应为正职后备、副职后备之一"):
        build_reserve_profile(**(sample("reserve_profile") | {"kind": "储备"}))


# --- 纪实表 ---------------------------------------------------------------------------------------------


def test_record_sheet_prints_events_in_time_order_with_figures_documents_and_hash():
    data = sample("record_sheet")
    data["events"] = list(reversed(data["events"]))
    content = build_record_sheet(**data)
    steps = [e["step"] for e in content["events"]]
    assert steps[0] == "动议" and steps[-1] == "任职"
    assert [e["number"] for e in content["events"]] == list(range(1, 10))
    first = content["events"][0]
    assert first["at_text"] == "2026年8月20日 09:30"
    assert first["hash"] == "5d0c2a8f0b1e"
    assert first["documents"] == ["工作方案（第1版，验证码7KQ2MX9PRT）"]
    assert first["figures"][0] == {"label": "职数", "value": "1"}
    assert content["events"][3]["actor"] == "刘芳（代区教育工委）"
    assert content["events"][2]["transition"] == "推荐中 → 已推荐"
    assert content["chain_line"].startswith("审计链校验通过（共校验9条记录")


def test_record_sheet_refuses_a_step_without_actor_or_time():
    data = sample("record_sheet")
    del data["events"][2]["actor"]
    with pytest.raises(ValueError, match="纪实记录第3项：缺少“经办人”"):
        build_record_sheet(**data)
    data = sample("record_sheet")
    data["events"][0]["at"] = "昨天"
    with pytest.raises(ValueError, match="“时间”不是有效的时间"):
        build_record_sheet(**data)


def test_builders_do_not_change_their_input():
    for kind in samples.KINDS:
        data = samples.sample_input(kind)
        before = copy.deepcopy(data)
        samples.builder_for(kind)(**data)
        assert data == before, kind
