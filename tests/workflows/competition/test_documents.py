"""Each competition document is built from the case and the registry, with its own kind and template.

Cases are taken through the services (not HTTP): the announcement from the frozen plan, the registration list
and qualification results, the ranking fed from the stored sheets (and agreeing with the stored ranking), the
vote sheet, the 公示 with the person's real education, current post and the school's phone, and the 能上能下
decision.
"""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from cadres import choices as c
from dossiers.kinds import DossierKind
from dossiers.models import DossierDocument
from tests.factories import EducationFactory, TenureFactory
from workflows.competition import adjustment as adj
from workflows.competition import documents as docs
from workflows.competition import services as s
from workflows.competition.flows import AdjustmentFlow
from workflows.competition.models import Adjustment, Competition, Registration
from workflows.meetings import services as meetings

from .conftest import CLOSES, OPENS, announced_case

D = dt.date
SHEET = ["18", "26", "18", "18", "9"]  # 89


def registered(world) -> tuple[Competition, dict[str, Registration]]:
    """alice and bob for the dean post; carol for the dean post, withdrawn, then for moral education."""
    case = announced_case(world)
    world.today.set(OPENS)
    regs = {
        "alice": s.registration_submit(
            competition=case, acting_user=world.alice_user, person=world.alice, post=world.dean
        ),
        "bob": s.registration_submit(competition=case, acting_user=world.bob_user, person=world.bob, post=world.dean),
    }
    dropped = s.registration_submit(competition=case, acting_user=world.carol_user, person=world.carol, post=world.dean)
    s.registration_withdraw(registration=dropped, acting_user=world.carol_user)
    regs["carol"] = s.registration_submit(
        competition=case, acting_user=world.carol_user, person=world.carol, post=world.moral
    )
    world.today.set(CLOSES + dt.timedelta(days=1))
    s.registration_close(competition=case, acting_user=world.secretary)
    return case, regs


def ranked(world) -> tuple[Competition, dict[str, Registration]]:
    """All three qualified; alice and bob score alike on every key but years of teaching (bob: 2004)."""
    case, regs = registered(world)
    for reg in regs.values():
        s.qualification_decide(registration=reg, acting_user=world.secretary, accept=True)
    s.qualification_finish(competition=case, acting_user=world.secretary)
    s.judges_assign(competition=case, acting_user=world.secretary, post=world.dean, judges=world.judge_people)
    s.judges_assign(competition=case, acting_user=world.secretary, post=world.moral, judges=world.judge_people[:3])
    s.sitting_open(competition=case, acting_user=world.secretary)
    for judge, a in zip(world.judges[:5], ["18,26,18,18,9", "17,25,18,17,9", "19,28,19,19,10", "15,22,15,15,8",
                                            "18,27,18,18,9"], strict=True):  # fmt: skip
        for reg in (regs["alice"], regs["bob"]):
            s.sheet_submit(registration=reg, acting_user=judge, scores=a.split(","))
    for judge in world.judges[:3]:
        s.sheet_submit(registration=regs["carol"], acting_user=judge, scores=SHEET)
    for reg, ev, perf in ((regs["alice"], "88", "90"), (regs["bob"], "88", "90"), (regs["carol"], "80", "80")):
        s.other_scores_enter(registration=reg, acting_user=world.secretary, evaluation=ev, performance=perf)
    s.sitting_close(competition=case, acting_user=world.secretary)
    s.ranking_compute(competition=case, acting_user=world.secretary)
    return Competition.objects.get(pk=case.pk), {k: Registration.objects.get(pk=r.pk) for k, r in regs.items()}


def test_the_announcement_prints_the_frozen_plan_and_its_conditions_in_words(world):
    case = announced_case(world, eligibility={"max_age": {"max_age": 50}, "min_title": {"title": "senior"}})
    content = docs.announcement_content(case)
    assert content["title"] == "第一实验小学2026年中层干部竞聘上岗公告"
    assert [(p["name"], p["seats"], p["min_candidates"]) for p in content["posts"]] == [
        ("教导处主任", 1, 2),
        ("德育处主任", 1, 2),
    ]
    # the rule set in force (employment, title, three appraisals) with the plan's stricter title, then its age cap
    assert content["conditions"] == [
        "本校在职教职工",
        "专业技术职务为高级教师及以上",
        "2023—2025年度考核均为合格及以上",
        "年龄不超过50周岁",
        "未受师德处理，或师德处理影响期已满",
    ]
    assert (content["opens"], content["closes"]) == ("2026-06-01", "2026-06-05")
    assert content["weights"] == {"speech": "50", "evaluation": "30", "performance": "20"}
    assert content["tie_break"] == ["speech", "evaluation", "years_of_teaching", "number"]
    assert content["plan_hash"] == case.plan_hash
    assert content["phone"] == "（请向单位办公室咨询）"  # the school recorded no phone
    world.school.contact_phone = "0519-86130001"
    world.school.save()
    case.organization.refresh_from_db()
    assert docs.announcement_content(case)["phone"] == "0519-86130001"

    doc = docs.announcement(case, acting_user=world.secretary)
    assert doc.kind == DossierKind.COMPETITION_ANNOUNCEMENT
    assert doc.template_name == "dossiers/competition_announcement.html"
    assert doc.title == content["title"] and doc.process_ref == f"competition:{case.pk}"


def test_the_registration_list_has_every_registration_with_age_post_title_and_status(world):
    TenureFactory(person=world.alice, post=world.deputy, start_date=D(2021, 9, 1))
    world.bob.subject = "语文"
    world.bob.save()
    case, _regs = registered(world)
    content = docs.registration_list_content(case)
    dean, moral = content["groups"]
    # factory people are born 1980-05-17: 46 on the deadline, 5 June 2026
    assert [(r["number"], r["name"], r["age"], r["current_post"], r["title"], r["status"]) for r in dean["rows"]] == [
        (1, "王晓燕", 46, "教导处副主任", "一级教师", "已报名"),
        (2, "赵立新", 46, "语文教师", "一级教师", "已报名"),
        (3, "孙海涛", 46, "教师", "一级教师", "已撤回"),
    ]
    assert (dean["registered"], dean["withdrawn"], dean["standing"]) == (3, 1, 2)
    assert [r["name"] for r in moral["rows"]] == ["孙海涛"]
    assert content["age_line"] == "年龄按2026年6月5日计算（周岁）。"
    doc = docs.registration_list(case, acting_user=world.secretary)
    assert (doc.kind, doc.template_name) == (
        DossierKind.COMPETITION_REGISTRATIONS,
        "dossiers/competition_registrations.html",
    )


def test_the_qualification_results_give_reasons_and_flag_posts_short_of_the_minimum(world):
    case, regs = registered(world)
    s.qualification_decide(registration=regs["alice"], acting_user=world.secretary, accept=True)
    s.qualification_decide(
        registration=regs["bob"], acting_user=world.secretary, accept=False, reason="2025年度考核结果尚未确定"
    )
    s.qualification_decide(registration=regs["carol"], acting_user=world.secretary, accept=True)
    case = s.qualification_finish(competition=case, acting_user=world.secretary)
    content = docs.qualification_content(case)
    dean, moral = content["groups"]
    assert [(r["name"], r["result"], r["reason"]) for r in dean["rows"]] == [
        ("王晓燕", "通过", "符合报名条件。"),
        ("赵立新", "不通过", "2025年度考核结果尚未确定。"),
    ]  # carol's withdrawn registration is not reviewed
    assert (dean["qualified"], dean["min_candidates"], dean["short"]) == (1, 2, True)
    assert (moral["qualified"], moral["short"]) == (1, True)
    assert content["short_posts"] == ["教导处主任", "德育处主任"]
    doc = docs.qualification_results(case, acting_user=world.secretary)
    assert (doc.kind, doc.template_name) == (
        DossierKind.COMPETITION_QUALIFICATION,
        "dossiers/competition_qualification.html",
    )


def test_the_score_summary_is_a_ranking_document_that_agrees_with_the_stored_ranking(world):
    case, regs = ranked(world)
    content = docs.score_summary_content(case, counter="书记")
    dean, moral = content["groups"]
    # judge6 is alice's spouse: recused, so the dean panel has five judges (trimmed); moral has three (not)
    assert dean["judges"] == ["评委1", "评委2", "评委3", "评委4", "评委5"] and dean["trimmed"]
    assert moral["judges"] == ["评委1", "评委2", "评委3"] and not moral["trimmed"]
    rows = {r["name"]: r for g in content["groups"] for r in g["rows"]}
    for reg in regs.values():
        row = rows[reg.person.name]
        assert (row["speech"], row["evaluation"], row["performance"], row["composite"]) == (
            str(reg.speech),
            str(reg.evaluation),
            str(reg.performance),
            str(reg.composite),
        )
        assert (row["rank"], row["shortlisted"], row["trace"]) == (
            reg.rank,
            reg.shortlisted,
            "；".join(reg.trace) + "。",
        )
    # the ranking step stored the speech score after trimming and which sheets it dropped (alice: 28 and 22)
    assert (str(regs["alice"].speech), regs["alice"].dropped) == ("88.33", {"评委3": "high", "评委4": "low"})
    assert [s["dropped"] for s in dean["rows"][0]["scores"]] == ["", "", "high", "low", ""]
    assert regs["carol"].dropped == {} and regs["bob"].shortlisted and not regs["alice"].shortlisted
    # 89, 86, 95, 75, 90 → (89 + 86 + 90) / 3 = 88.33 → 88.33×50% + 88×30% + 90×20% = 88.57 for both;
    # equal speech and evaluation: bob, who started work in 2004, has more years of teaching
    assert [(r["name"], r["composite"], r["rank"], r["shortlisted"]) for r in dean["rows"]] == [
        ("赵立新", "88.57", 1, True),
        ("王晓燕", "88.57", 2, False),
    ]
    assert (
        "依次比较演讲答辩成绩、民主测评成绩、教龄、抽签序号（本人：演讲答辩成绩88.33，民主测评成绩88.00，教龄21"
        in (dean["rows"][0]["trace"])
    )
    assert content["counter"] == "书记" and content["title"] == "第一实验小学2026年中层干部竞聘上岗成绩汇总及排名表"
    doc = docs.score_summary(case, acting_user=world.secretary)
    assert (doc.kind, doc.template_name) == (DossierKind.COMPETITION_RANKING, "dossiers/competition_ranking.html")


def test_the_score_summary_prints_the_stored_ranking_and_recomputes_nothing(world):
    case, regs = ranked(world)
    # change the stored figures by hand: the sheet follows them, though the scores would rank bob first
    Registration.objects.filter(pk=regs["alice"].pk).update(rank=1, composite="90.00", speech="12.34", shortlisted=True)
    Registration.objects.filter(pk=regs["bob"].pk).update(rank=2, shortlisted=False, dropped={})
    dean = docs.score_summary_content(case)["groups"][0]
    assert [(r["name"], r["rank"], r["composite"], r["speech"], r["shortlisted"]) for r in dean["rows"]] == [
        ("王晓燕", 1, "90.00", "12.34", True),
        ("赵立新", 2, "88.57", "88.33", False),
    ]
    assert all(s["dropped"] == "" for s in dean["rows"][1]["scores"])


def test_a_person_standing_for_two_posts_gets_a_line_for_each_in_the_vote_sheet(world):
    case = announced_case(world)
    dean = Registration.objects.create(competition=case, post=world.dean, person=world.alice)
    moral = Registration.objects.create(competition=case, post=world.moral, person=world.alice)
    members = [meetings.Member(m.name, m.name, m) for m in world.members[:5]]
    meeting = meetings.meeting_record(
        process=case,
        purpose=meetings.Purpose.DECISION,
        held_on=D(2026, 6, 12),
        name="支委会",
        members=members,
        present=members,
        items=[
            meetings.Item(str(dean.pk), "王晓燕（教导处主任）", world.alice),
            meetings.Item(str(moral.pk), "王晓燕（德育处主任）", world.alice),
        ],
        votes={m.name: {str(dean.pk): "agree", str(moral.pk): "disagree"} for m in world.members[:5]},
        recorded_by=world.secretary,
    )
    content = docs.vote_record_content(case, meeting)
    assert [(r["name"], r["proposed"]) for r in content["candidates"]] == [
        ("王晓燕（教导处主任）", "任教导处主任"),
        ("王晓燕（德育处主任）", "任德育处主任"),
    ]
    assert [(r["agree"], r["disagree"], r["passed"]) for r in content["candidates"]] == [(5, 0, True), (0, 5, False)]


def decided(world) -> tuple[Competition, dict[str, Registration]]:
    case, regs = ranked(world)
    for key in ("bob", "carol"):
        s.inspection_record(registration=regs[key], acting_user=world.secretary, opinion="德才表现良好。")
    s.inspection_finish(competition=case, acting_user=world.secretary)
    votes = {m: {str(regs["bob"].pk): "agree", str(regs["carol"].pk): "agree"} for m in world.members[:5]}
    world.today.set(D(2026, 6, 12))  # the decision is recorded on the day of its meeting, not before
    s.decision_meeting_record(
        competition=case,
        acting_user=world.secretary,
        held_on=D(2026, 6, 12),
        name="学校党支部委员会会议",
        form="meeting",
        members=world.members,
        present=world.members[:5],
        votes=votes,
    )
    world.today.set(D(2026, 6, 15))
    case = s.publicity_open(competition=case, acting_user=world.secretary, start=D(2026, 6, 15), workdays=5)
    return case, regs


def test_the_public_notice_takes_education_post_and_the_schools_contact_from_the_registry(world):
    EducationFactory(person=world.bob, level=c.EducationLevel.BACHELOR)
    EducationFactory(
        person=world.bob, kind=c.EducationKind.IN_SERVICE, level=c.EducationLevel.MASTER, end_date=D(2012, 7, 1)
    )
    EducationFactory(person=world.carol, level=c.EducationLevel.JUNIOR_COLLEGE)
    TenureFactory(person=world.bob, post=world.deputy, start_date=D(2019, 9, 1))
    world.school.contact_phone, world.school.address, world.school.postcode = (
        "0519-86130001",
        "示范区城关街道学府路3号",
        "213100",
    )
    world.school.save()
    case, _regs = decided(world)
    content = docs.public_notice_content(case)
    bob, carol = content["candidates"]
    assert (bob["name"], bob["education"], bob["current_post"], bob["proposed_post"]) == (
        "赵立新",
        "硕士研究生",  # the highest, from the in-service record
        "教导处副主任",
        "教导处主任",
    )
    assert bob["political_status"] == "中共党员"
    assert "2003年6月加入中国共产党" in bob["sentence"] and "一级教师" in bob["sentence"]
    assert (carol["education"], carol["current_post"]) == ("大学专科", "教师")
    assert (content["phone"], content["address"], content["postcode"]) == (
        "0519-86130001",
        "示范区城关街道学府路3号",
        "213100",
    )
    assert content["contact_unit"] == "第一实验小学" and "经学校党支部委员会会议研究" in content["intro"]
    doc = docs.public_notice(case, acting_user=world.secretary)
    assert (doc.kind, doc.template_name) == (DossierKind.PUBLIC_NOTICE, "dossiers/public_notice.html")


def test_the_public_notice_of_a_school_without_contact_data_says_whom_to_ask(world):
    case, _regs = decided(world)
    content = docs.public_notice_content(case)
    assert content["phone"] == "（请向单位办公室咨询）"
    assert content["address"] == "第一实验小学" and content["postcode"] == ""
    assert all(cand["education"] == "—" for cand in content["candidates"])  # no education on record


def adjustment_case(world, *, outcome="demote", statement=True) -> Adjustment:
    sitting = TenureFactory(person=world.bob, post=world.dean, start_date=D(2020, 9, 1))
    world.bob.appraisals.filter(year=2025).update(grade="incompetent")
    case = Adjustment.objects.create(flow_class=AdjustmentFlow)
    adj.adjustment_propose(
        case=case,
        acting_user=world.secretary,
        tenure=sitting,
        trigger="appraisal_failed",
        grounds="2025年度考核不合格",
        proposed_outcome=outcome,
        proposed_post=world.deputy if outcome == "demote" else None,
    )
    if statement:
        adj.adjustment_statement(case=case, acting_user=world.bob_user, statement="本人接受组织决定。")
    return adj.adjustment_decide(
        case=case,
        acting_user=world.secretary,
        held_on=D(2026, 5, 20),
        name="学校党支部委员会会议",
        form="meeting",
        members=world.members,
        present=world.members[:5],
        votes={m: "agree" for m in world.members[:5]},
    )


def test_the_adjustment_decision_records_grounds_statement_meeting_and_the_new_post(world):
    case = adjustment_case(world)
    content = docs.adjustment_decision_content(case)
    assert content["title"] == "关于赵立新同志职务调整的决定"
    assert content["person_line"] == "赵立新，男，1980年5月生，现任教导处主任（2020年9月起任现职）。"
    assert content["trigger"] == "年度考核不合格" and content["grounds"] == ["2025年度考核不合格。"]
    assert content["statement"] == ["本人接受组织决定。"]
    assert content["statement_line"] == "2026年5月20日，赵立新同志本人作了陈述，陈述内容如下："
    assert content["meeting_line"] == (
        "2026年5月20日，学校党支部委员会会议对该事项进行了研究。会议应到7人，实到5人，同意5票、不同意0票、缓议0票。"
    )
    assert content["decision_line"] == "经研究，决定免去赵立新同志教导处主任职务，降职任教导处副主任。"
    assert content["effective_line"] == "本决定自2026年5月20日起执行。"
    doc = docs.adjustment_decision(case, acting_user=world.secretary)
    assert (doc.kind, doc.template_name) == (DossierKind.ADJUSTMENT_DECISION, "dossiers/adjustment_decision.html")
    assert doc.subject == world.bob and doc.process_ref == f"adjustment:{case.pk}"


def test_a_removal_without_a_statement_says_none_was_made(world):
    content = docs.adjustment_decision_content(adjustment_case(world, outcome="remove", statement=False))
    assert content["title"] == "关于免去赵立新同志教导处主任职务的决定"
    assert content["statement_line"] == "赵立新同志在规定期限内未作陈述。" and content["new_post"] == ""


def test_documents_are_built_in_chinese_whatever_the_users_language(world):
    case = announced_case(world)
    with translation.override("en"):
        content = docs.announcement_content(case)
    assert content["sections"][0]["heading"] == "竞聘岗位及职数"
    assert "专业技术职务为一级教师及以上" in content["conditions"]


def test_no_competition_document_swaps_its_template(world):
    case, _regs = registered(world)
    docs.announcement(case, acting_user=world.secretary)
    docs.registration_list(case, acting_user=world.secretary)
    assert all(
        d.template_name == f"dossiers/{d.kind}.html"
        for d in DossierDocument.objects.filter(process_ref=f"competition:{case.pk}")
    )


def test_no_ranking_document_when_nobody_was_ranked(world):
    case, _regs = registered(world)
    assert docs.score_summary(case, acting_user=world.secretary) is None
    assert not DossierDocument.objects.filter(kind=DossierKind.COMPETITION_RANKING).exists()
