"""Competition on real posts, through the services: 全员竞聘 lines, the vacancy boundary day, holders released at
the appointment in its transaction, paper registrations, judges and meeting members from the registry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from cadres import choices as c
from cadres.models import Tenure
from cadres.roles import Role
from tests.factories import FamilyMemberFactory, PersonFactory, TenureFactory, UserFactory
from workflows.competition import plan as plan_mod
from workflows.competition import services as s
from workflows.competition.flows import CompetitionFlow
from workflows.competition.models import Competition, Registration, RegStatus, State

from .conftest import CLOSES, OPENS, announced_case, plan_data, teacher

D = dt.date
SHEET = ["18", "26", "18", "18", "9"]
LOW = ["15", "22", "15", "15", "8"]


def all_compete(world, seats=1, minimum=2):
    return [{"post": world.dean.pk, "name": "教导处主任", "kind": "all", "seats": seats, "min_candidates": minimum}]


def save(world, **changes):
    return s.plan_save(
        competition=Competition(flow_class=CompetitionFlow),
        acting_user=world.secretary,
        organization=world.school,
        plan=plan_data(world, **changes),
    )


# --- the vacancy fact ----------------------------------------------------------------------------------------


def test_a_post_is_free_on_the_day_its_holders_removal_takes_effect(world):
    tenure = TenureFactory(person=world.carol, post=world.dean, start_date=D(2020, 9, 1), end_date=D(2026, 5, 21))
    assert plan_mod.vacancies(world.dean, D(2026, 5, 20)) == 0  # the day before: still held
    assert plan_mod.vacancies(world.dean, D(2026, 5, 21)) == 1  # the 免职 day: free
    assert plan_mod.vacancies(world.dean, D(2026, 5, 22)) == 1
    world.today.set(D(2026, 5, 21))
    case = save(world)  # a vacancy line for the dean post is accepted on the 免职 day itself
    assert case.plan["posts"][0]["post"] == world.dean.pk
    tenure.end_date = D(2026, 5, 22)
    tenure.save()
    with pytest.raises(ValidationError, match="空缺0名"):
        save(world)


def test_a_holder_appointed_today_occupies_the_seat_today(world):
    TenureFactory(person=world.carol, post=world.dean, start_date=D(2026, 5, 20))
    assert plan_mod.vacancies(world.dean, D(2026, 5, 19)) == 1
    assert plan_mod.vacancies(world.dean, D(2026, 5, 20)) == 0


# --- plan lines ----------------------------------------------------------------------------------------------


def test_an_occupied_post_may_be_opened_for_all_to_compete(world):
    TenureFactory(person=world.carol, post=world.dean, start_date=D(2020, 9, 1))
    with pytest.raises(ValidationError, match="请选择“全员竞聘”"):
        save(world)
    case = save(world, posts=all_compete(world))
    line = plan_mod.plan_lines(case.plan)[world.dean.pk]
    assert line.reopens_occupied and line.seats == 1 and line.kind_label == "全员竞聘（在任人员一并竞聘）"


@pytest.mark.parametrize(
    ("occupied", "seats", "kind", "message"),
    [
        (False, 1, "all", "目前无人在任，请按空缺岗位竞聘"),
        (True, 2, "all", "全员竞聘2名超出职数"),
        (True, 1, "swap", "竞聘方式只能是空缺岗位或全员竞聘"),
    ],
)
def test_a_plan_line_is_refused_when_it_does_not_fit_the_post(world, occupied, seats, kind, message):
    if occupied:
        TenureFactory(person=world.carol, post=world.dean, start_date=D(2020, 9, 1))
    posts = [{"post": world.dean.pk, "name": "教导处主任", "kind": kind, "seats": seats, "min_candidates": 2}]
    with pytest.raises(ValidationError, match=message):
        save(world, posts=posts)
    assert not Competition.objects.exists()


def test_a_sitting_holder_registers_for_their_own_post_only_when_it_is_reopened(world):
    TenureFactory(person=world.carol, post=world.dean, start_date=D(2020, 9, 1))
    TenureFactory(person=world.bob, post=world.deputy, start_date=D(2021, 9, 1))  # deputy: 2 seats, 1 held
    posts = [
        *all_compete(world),
        {"post": world.deputy.pk, "name": "教导处副主任", "kind": "vacancy", "seats": 1, "min_candidates": 1},
    ]
    case = announced_case(world, posts=posts)
    world.today.set(OPENS)
    reg = s.registration_submit(competition=case, acting_user=world.carol_user, person=world.carol, post=world.dean)
    assert reg.status == RegStatus.REGISTERED and not reg.paper_form and reg.entered_by == world.carol_user
    with pytest.raises(ValidationError, match="赵立新现任教导处副主任，该岗位按空缺岗位竞聘") as exc:
        s.registration_submit(competition=case, acting_user=world.bob_user, person=world.bob, post=world.deputy)
    assert exc.value.code == "holder"
    assert not Registration.objects.filter(person=world.bob).exists()


# --- the appointment releases the holders ------------------------------------------------------------------


def publicised_all_compete(world):
    """Carol holds the dean post; it is reopened; alice (online), carol (online) and bob (paper) stand; alice
    wins and is publicised."""
    holder = TenureFactory(person=world.carol, post=world.dean, start_date=D(2020, 9, 1))
    case = announced_case(world, posts=all_compete(world))
    world.today.set(OPENS)
    alice = s.registration_submit(competition=case, acting_user=world.alice_user, person=world.alice, post=world.dean)
    carol = s.registration_submit(competition=case, acting_user=world.carol_user, person=world.carol, post=world.dean)
    bob = s.registration_enter(competition=case, acting_user=world.secretary, person=world.bob, post=world.dean)
    world.today.set(CLOSES + dt.timedelta(days=1))
    s.registration_close(competition=case, acting_user=world.secretary)
    for reg in (alice, carol, bob):
        s.qualification_decide(registration=reg, acting_user=world.secretary, accept=True)
    s.qualification_finish(competition=case, acting_user=world.secretary)
    s.judges_assign(competition=case, acting_user=world.secretary, post=world.dean, judges=world.judge_people)
    s.sitting_open(competition=case, acting_user=world.secretary)
    for judge in world.judges[:5]:
        s.sheet_submit(registration=alice, acting_user=judge, scores=SHEET)
        s.sheet_submit(registration=carol, acting_user=judge, scores=LOW)
        s.sheet_submit(registration=bob, acting_user=judge, scores=LOW)
    for reg in (alice, carol, bob):
        s.other_scores_enter(registration=reg, acting_user=world.secretary, evaluation="85", performance="85")
    s.sitting_close(competition=case, acting_user=world.secretary)
    s.ranking_compute(competition=case, acting_user=world.secretary)
    s.inspection_record(registration=alice, acting_user=world.secretary, opinion="德才表现良好。")
    s.inspection_finish(competition=case, acting_user=world.secretary)
    world.today.set(D(2026, 6, 10))
    s.decision_meeting_record(
        competition=case,
        acting_user=world.secretary,
        held_on=D(2026, 6, 10),
        name="支委会",
        form="meeting",
        members=world.members,
        present=world.members[:5],
        votes={m: {str(alice.pk): "agree"} for m in world.members[:5]},
    )
    world.today.set(D(2026, 6, 15))
    case = s.publicity_open(competition=case, acting_user=world.secretary, start=D(2026, 6, 15), workdays=5)
    world.today.set(D(2026, 6, 23))
    return case, holder, alice


def test_the_holder_is_released_when_the_winner_is_appointed(world):
    case, holder, alice = publicised_all_compete(world)
    (tenure,) = s.appointment_make(competition=case, acting_user=world.secretary, document_number="实小〔2026〕3号")
    holder.refresh_from_db()
    assert holder.end_date == D(2026, 6, 23)  # released on the day the winner starts
    alice.refresh_from_db()
    assert alice.status == RegStatus.APPOINTED and alice.tenure == tenure
    assert (tenure.person, tenure.start_date, tenure.end_date) == (world.alice, D(2026, 6, 23), None)
    assert plan_mod.vacancies(world.dean, D(2026, 6, 23)) == 0
    assert list(plan_mod.sitting_holders(world.dean, D(2026, 6, 23)).values_list("person__name", flat=True)) == [
        "王晓燕"
    ]
    event = AuditEvent.objects.get(action="competition.appoint")
    assert event.payload["released"] == ["孙海涛（教导处主任）"]


def test_the_release_and_the_appointment_are_one_transaction(world, monkeypatch):
    case, holder, _alice = publicised_all_compete(world)
    original = s._event

    def failing(acting_user, action, *args, **kwargs):
        if action == "appoint":
            raise RuntimeError("audit down")
        return original(acting_user, action, *args, **kwargs)

    monkeypatch.setattr(s, "_event", failing)
    with pytest.raises(RuntimeError):
        s.appointment_make(competition=case, acting_user=world.secretary, document_number="实小〔2026〕3号")
    holder.refresh_from_db()
    assert holder.end_date is None and not Tenure.objects.filter(person=world.alice).exists()
    case.refresh_from_db()
    assert case.state == State.PUBLICISED


def test_a_reopened_post_without_a_winner_keeps_its_holder(world):
    case, holder, alice = publicised_all_compete(world)
    from workflows.meetings.models import Objection

    Objection.objects.create(
        process=case,
        subject=alice.person,
        received_on=D(2026, 6, 16),
        content="反映问题",
        status=Objection.Status.UPHELD,
        finding="属实",
    )
    assert s.appointment_make(competition=case, acting_user=world.secretary, document_number="实小〔2026〕3号") == []
    holder.refresh_from_db()
    assert holder.end_date is None


# --- paper registrations -----------------------------------------------------------------------------------


def test_the_school_secretary_enters_a_paper_form_for_a_teacher_without_an_account(world):
    case = announced_case(world)
    world.today.set(OPENS)
    no_account = PersonFactory(name="李无号", organization=world.school, work_start_date=D(2008, 8, 1))
    from tests.factories import AppraisalFactory, TitleFactory

    TitleFactory(person=no_account, title="first", obtained_on=D(2015, 12, 1))
    for year in (2023, 2024, 2025):
        AppraisalFactory(person=no_account, year=year, grade="competent")
    reg = s.registration_enter(competition=case, acting_user=world.secretary, person=no_account, post=world.dean)
    assert reg.paper_form and reg.entered_by == world.secretary and reg.entered_at is not None
    event = AuditEvent.objects.get(action="competition.register")
    assert event.payload["paper_form"] is True and event.payload["person"] == "李无号"
    # the bureau's officer may enter one too
    reg = s.registration_enter(competition=case, acting_user=world.officer, person=world.bob, post=world.moral)
    assert reg.paper_form and reg.entered_by == world.officer


def test_a_paper_registration_is_refused_like_any_other_and_by_whom(world):
    case = announced_case(world)
    world.today.set(OPENS)
    cases = [
        (world.alice_user, world.bob, "not_permitted"),  # a teacher
        (world.other_secretary, world.bob, "not_permitted"),  # another school's secretary
        (world.secretary, world.dave, "专业技术职务须为一级教师及以上"),
        (world.secretary, world.outsider, "只有本校教职工可以报名"),
    ]
    sister = PersonFactory(name="王晓红", organization=world.school)
    FamilyMemberFactory(person=world.alice, relation=c.Relation.SISTER, relative=sister)
    kin_secretary = UserFactory(
        username="sec_kin", roles=[Role.SCHOOL_SECRETARY], organization=world.school, organization__person=sister
    )
    cases.append((kin_secretary, world.alice, "own_case"))  # alice's sister
    cases.append((kin_secretary, sister, "own_case"))  # herself
    for user, person, code in cases:
        with pytest.raises(ValidationError) as exc:
            s.registration_enter(competition=case, acting_user=user, person=person, post=world.dean)
        assert getattr(exc.value, "code", None) == code or any(code in m for m in exc.value.messages), code
    s.registration_enter(competition=case, acting_user=world.secretary, person=world.bob, post=world.dean)
    with pytest.raises(ValidationError, match="不能重复报名"):
        s.registration_enter(competition=case, acting_user=world.secretary, person=world.bob, post=world.dean)
    world.today.set(CLOSES + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="报名时间为"):
        s.registration_enter(competition=case, acting_user=world.secretary, person=world.carol, post=world.dean)
    assert Registration.objects.count() == 1


# --- judges and members from the registry ------------------------------------------------------------------


def qualified(world):
    case = announced_case(world)
    world.today.set(OPENS)
    for user, person in ((world.alice_user, world.alice), (world.bob_user, world.bob)):
        s.registration_submit(competition=case, acting_user=user, person=person, post=world.dean)
    world.today.set(CLOSES + dt.timedelta(days=1))
    s.registration_close(competition=case, acting_user=world.secretary)
    for reg in case.registrations.all():
        s.qualification_decide(registration=reg, acting_user=world.secretary, accept=True)
    return s.qualification_finish(competition=case, acting_user=world.secretary)


def test_a_judge_without_an_account_or_without_the_judge_role_is_named_and_refused(world):
    case = qualified(world)
    no_account = PersonFactory(name="何无号", organization=world.school)
    teacher_only = world.carol  # has an account, but as a teacher
    with pytest.raises(ValidationError) as exc:
        s.judges_assign(
            competition=case,
            acting_user=world.secretary,
            post=world.dean,
            judges=[*world.judge_people[:3], no_account, teacher_only],
        )
    assert {e.code for e in exc.value.error_list} == {"no_account"}
    assert exc.value.messages == [
        "何无号（第一实验小学）没有系统账号，不能在线评分；请先由教育局为其开通账号并授予评委角色。",
        "孙海涛（第一实验小学）的账号没有评委角色，请先授予评委角色。",
    ]
    assert not case.judges.exists()
    with pytest.raises(ValidationError, match="不接受手工填写的姓名"):
        s.judges_assign(competition=case, acting_user=world.secretary, post=world.dean, judges=["评委1号"])
    rows = s.judges_assign(
        competition=case, acting_user=world.secretary, post=world.dean, judges=world.judge_people[:5]
    )
    assert [r.judge for r in rows] == world.judges[:5]


def test_meeting_members_are_registry_people_never_typed_names(world):
    case = save(world)
    kwargs = dict(competition=case, acting_user=world.secretary, held_on=D(2026, 5, 21), name="支委会", form="meeting")
    with pytest.raises(ValidationError, match="不接受手工填写的姓名"):
        s.plan_meeting_record(members=["m1", "m2"], present=["m1"], votes={"m1": "agree"}, **kwargs)
    outsider = PersonFactory(name="外人", organization=world.school)
    with pytest.raises(ValidationError, match="实到人员不在应到成员中：外人（第一实验小学）"):
        s.plan_meeting_record(members=world.members, present=[*world.members[:5], outsider], votes={}, **kwargs)
    with pytest.raises(ValidationError, match="表决人不在应到成员中"):
        s.plan_meeting_record(members=world.members, present=world.members[:5], votes={outsider: "agree"}, **kwargs)
    twin = PersonFactory(name=world.members[0].name, organization=world.school, birth_date=D(1975, 3, 9))
    members = [*world.members, twin]
    meeting = s.plan_meeting_record(
        members=members, present=members[:6], votes={m: "agree" for m in members[:6]}, **kwargs
    )
    labels = meeting.member_labels
    assert labels[0].startswith("委员甲（第一实验小学，") and labels[-1] == "委员甲（第一实验小学，1975年3月生）"
    assert len(set(labels)) == 8 and meeting.present_labels == labels[:6]
    assert meeting.votes.get(member_label=labels[-1], item="plan").vote == "absent"
    assert teacher  # the conftest helper stays importable for the HTTP tests


def test_on_the_removal_day_the_cadre_is_no_longer_sitting_for_an_adjustment(world):
    from workflows.competition import adjustment as adj
    from workflows.competition.flows import AdjustmentFlow
    from workflows.competition.models import Adjustment

    on = world.today.value
    leaving = TenureFactory(person=world.alice, post=world.dean, start_date=D(2020, 9, 1), end_date=on)
    staying = TenureFactory(person=world.bob, post=world.moral, start_date=D(2020, 9, 1), end_date=on + dt.timedelta(1))
    for person in (world.alice, world.bob):
        person.appraisals.filter(year=2025).update(grade="incompetent")
    assert [x.tenure for x in adj.candidates_for_adjustment(world.school, on)] == [staying]
    with pytest.raises(ValidationError, match="只能对现任中层干部提出调整") as exc:
        adj.adjustment_propose(
            case=Adjustment(flow_class=AdjustmentFlow),
            acting_user=world.secretary,
            tenure=leaving,
            trigger="officer",
            grounds="履职不力",
            proposed_outcome="remove",
        )
    assert exc.value.code == "not_sitting" and not Adjustment.objects.exists()
