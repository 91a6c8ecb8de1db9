"""A school with two mid-level posts, eligible teachers, five judges (one a candidate's spouse) and every role."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from unittest import mock

import pytest
from django.utils import timezone
from viewflow.workflow import timers
from viewflow.workflow.status import STATUS

from cadres import choices as c
from cadres.person_search import person_token
from cadres.roles import Role
from tests.factories import AppraisalFactory, FamilyMemberFactory, PersonFactory, PostFactory, TitleFactory, UserFactory
from workflows.competition import clock

D = dt.date
OPENS, CLOSES = D(2026, 6, 1), D(2026, 6, 5)


def teacher(org, name, *, title=c.TeacherTitle.FIRST, grade=c.AppraisalGrade.COMPETENT, work_start=None):
    person = PersonFactory(name=name, organization=org, work_start_date=work_start or D(2008, 8, 1))
    TitleFactory(person=person, title=title, obtained_on=D(2015, 12, 1))
    for year in (2023, 2024, 2025):
        AppraisalFactory(person=person, year=year, grade=grade)
    user = UserFactory(username=f"t_{name}", roles=[Role.TEACHER], organization=org, organization__person=person)
    return person, user


def plan_data(world, **changes) -> dict:
    plan = {
        "title": "2026年中层干部竞聘上岗",
        "posts": [
            {"post": world.dean.pk, "name": "教导处主任", "seats": 1, "min_candidates": 2},
            {"post": world.moral.pk, "name": "德育处主任", "seats": 1, "min_candidates": 2},
        ],
        "registration": {"opens": OPENS.isoformat(), "closes": CLOSES.isoformat()},
        "weights": {"speech": "50", "evaluation": "30", "performance": "20"},
        "trim_min_judges": 5,
        "tie_break": ["speech", "evaluation", "years_of_teaching", "number"],
        "inspect_top": 1,
        "quorum": "2/3",
        "eligibility": {"max_age": {"max_age": 50}},
    }
    plan.update(changes)
    return plan


@pytest.fixture
def today(monkeypatch):
    """`today.set(date)` moves the app's clock."""
    state = SimpleNamespace(value=D(2026, 5, 20))

    def set_(value):
        state.value = value

    monkeypatch.setattr(clock, "today", lambda: state.value)
    state.set = set_
    return state


@pytest.fixture
def world(db, bureau, school, other_school, officer, school_secretary, today):
    dean = PostFactory(
        organization=school, name="教导处主任", kind=c.PostKind.MIDDLE_HEAD, level=c.PostLevel.MIDDLE_HEAD, headcount=1
    )
    moral = PostFactory(
        organization=school, name="德育处主任", kind=c.PostKind.MIDDLE_HEAD, level=c.PostLevel.MIDDLE_HEAD, headcount=1
    )
    deputy = PostFactory(
        organization=school,
        name="教导处副主任",
        kind=c.PostKind.MIDDLE_DEPUTY,
        level=c.PostLevel.MIDDLE_DEPUTY,
        headcount=2,
    )
    alice, alice_user = teacher(school, "王晓燕")
    bob, bob_user = teacher(school, "赵立新", work_start=D(2004, 8, 1))
    carol, carol_user = teacher(school, "孙海涛")
    dave, dave_user = teacher(school, "周文静", title=c.TeacherTitle.SECOND)  # title below 一级
    outsider, outsider_user = teacher(other_school, "钱志刚")
    judges = []
    for i in range(1, 7):
        person = PersonFactory(name=f"评委{i}号", organization=school)
        judges.append(
            UserFactory(username=f"judge{i}", roles=[Role.JUDGE], organization=school, organization__person=person)
        )
    FamilyMemberFactory(person=alice, relation=c.Relation.SPOUSE, relative=judges[5].profile.person)  # judge6 ↔ alice
    other_secretary = UserFactory(username="other_sec", roles=[Role.SCHOOL_SECRETARY], organization=other_school)
    members = [PersonFactory(name=f"委员{i}", organization=school) for i in "甲乙丙丁戊己庚"]
    return SimpleNamespace(
        members=members,
        judge_people=[j.profile.person for j in judges],
        bureau=bureau,
        school=school,
        other_school=other_school,
        dean=dean,
        moral=moral,
        deputy=deputy,
        alice=alice,
        alice_user=alice_user,
        bob=bob,
        bob_user=bob_user,
        carol=carol,
        carol_user=carol_user,
        dave=dave,
        dave_user=dave_user,
        outsider=outsider,
        outsider_user=outsider_user,
        judges=judges,
        officer=officer,
        secretary=school_secretary,
        other_secretary=other_secretary,
        today=today,
    )


def meeting_data(world, votes, *, present=5, held_on="2026-05-21", form="meeting", name="学校党支部委员会会议"):
    """A meeting of the world's members as posted (see `meeting_post`)."""
    return meeting_post(world.members, votes, present=present, held_on=held_on, form=form, name=name)


def announced_case(world, **changes):
    """A competition through the services up to its announcement: plan (with `changes`), meeting, filing, freeze."""
    from workflows.competition import services as s
    from workflows.competition.flows import CompetitionFlow
    from workflows.competition.models import Competition

    case = s.plan_save(
        competition=Competition(flow_class=CompetitionFlow),
        acting_user=world.secretary,
        organization=world.school,
        plan=plan_data(world, **changes),
    )
    s.plan_meeting_record(
        competition=case,
        acting_user=world.secretary,
        held_on=D(2026, 5, 21),
        name="支委会",
        form="meeting",
        members=world.members,
        present=world.members[:5],
        votes={m: "agree" for m in world.members[:5]},
    )
    s.filing_decide(competition=case, acting_user=world.officer, accepted=True)
    s.plan_freeze(competition=case)
    return s.announce(competition=case, acting_user=world.secretary)


def open_task(case, node):
    return case.task_set.filter(flow_task=node).exclude(status__in=[STATUS.DONE, STATUS.CANCELED]).get()


def fire_timers(on: dt.date) -> int:
    """Run the timer dispatcher (`manage.py workflow_timers`) as it runs at noon on `on`; the number fired."""
    moment = timezone.make_aware(dt.datetime.combine(on, dt.time(12, 0)))
    with mock.patch.object(timers, "timezone", SimpleNamespace(now=lambda: moment)):
        return timers.fire_due_timers()


def post_task(client, user, case, node, data):
    client.force_login(user)
    task = open_task(case, node)
    return client.post(node.reverse("execute", args=[case.pk, task.pk]), data)


@pytest.fixture(autouse=True)
def _urls_loaded():
    """Flow nodes reverse their URLs only once the URLconf has been built."""
    from django.urls import get_resolver

    assert get_resolver().url_patterns


def plan_post(organization, on, *, lines, rules=None, **extra) -> dict:
    """The plan page of `organization` as a browser would post it on `on`: every field at its shown value,
    the posts ticked in `lines` ([(post, kind, seats, min_candidates)]), the optional rules in `rules`
    ({code: params}) ticked with their parameters, then `extra` fields."""
    from workflows.competition.forms import PlanForm

    form = PlanForm(organization=organization, on=on)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name.startswith("post_") and name.endswith("_on"):
            continue
        if name.startswith("rule_") and "__" not in name and not form.fields[name].disabled:
            continue
        if value in (None, False, ""):
            continue
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    for post, kind, seats, minimum in lines:
        key = f"post_{post.pk}"
        data.update({f"{key}_on": "on", f"{key}_kind": kind, f"{key}_seats": seats, f"{key}_min": minimum})
    for code, params in (rules or {}).items():
        data[f"rule_{code}"] = "on"
        data.update({f"rule_{code}__{k}": v for k, v in params.items()})
    data.update(extra)
    return data


def meeting_post(members, votes, *, present, held_on, form="meeting", name="学校党支部委员会会议") -> dict:
    """A meeting form as posted: `members` (registry people) picked, the first `present` of them present, then
    one vote row per present member (`votes[i]` a vote, or a list of votes, one per item in the page's order)."""
    data = {
        "held_on": held_on,
        "name": name,
        "form": form,
        "members": [person_token(m.pk) for m in members],
        "present": [person_token(m.pk) for m in members[:present]],
    }
    for i, vote in enumerate(votes):
        for j, v in enumerate(vote if isinstance(vote, list) else [vote]):
            data[f"vote_{i}_{j}"] = v
    return data


def plan_form_data(world, lines=None, rules=None, **extra) -> dict:
    """The world's plan page posted: by default the dean and moral posts as vacancies (1 seat, 2 minimum) and
    the max_age rule at 50."""
    if lines is None:
        lines = [(world.dean, "vacancy", 1, 2), (world.moral, "vacancy", 1, 2)]
    return plan_post(
        world.school,
        world.today.value,
        lines=lines,
        rules=rules if rules is not None else {"max_age": {"max_age": 50}},
        **{
            "title": "2026年中层干部竞聘上岗",
            "opens": OPENS.isoformat(),
            "closes": CLOSES.isoformat(),
            "tie_break": ["speech", "evaluation", "years_of_teaching", "number"],
            **extra,
        },
    )
