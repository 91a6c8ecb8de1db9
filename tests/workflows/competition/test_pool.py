"""Reserve-pool members first: real in-pool entries (through the reserve-pool services) on the plan and candidate
pages; a vetoed or no longer eligible member is not put first, another school's members are not listed."""

from __future__ import annotations

import datetime as dt

from cadres import choices as c
from cadres.ethics.models import Sanction
from cadres.roles import Role
from reserve_pool import services as rs
from reserve_pool.choices import Horizon, Origin, ReserveState
from tests.factories import AppraisalFactory, EducationFactory, PersonFactory, TitleFactory, UserFactory
from workflows.competition.flows import CompetitionFlow
from workflows.competition.models import Competition
from workflows.competition.pool import pool_person_ids

from .conftest import CLOSES, OPENS, open_task, post_task
from .test_journey import meeting_form, plan_form, register

D = dt.date
F = CompetitionFlow
ADMITTED = D(2026, 3, 2)
BORN = D(1986, 6, 15)
LISTED = CLOSES + dt.timedelta(days=1)  # 2026-06-06


def pool_member(world, organization, name, *, birth=BORN):
    """A teacher admitted to the pool as a 中层正职 reserve of `organization`, through every reserve-pool step."""
    person = PersonFactory(name=name, organization=organization, birth_date=birth)
    EducationFactory(person=person, level=c.EducationLevel.BACHELOR)
    TitleFactory(person=person, title=c.TeacherTitle.FIRST, obtained_on=D(2015, 12, 1))
    for year in range(2019, 2026):
        AppraisalFactory(person=person, year=year, grade=c.AppraisalGrade.COMPETENT)
    officer = world.officer
    entry = rs.reserve_entry_nominate(
        acting_user=officer,
        person=person,
        origin=Origin.BUREAU,
        post_kind=c.PostKind.MIDDLE_HEAD,
        horizon=Horizon.NEAR_TERM,
        organization=organization,
        on=ADMITTED,
    )
    entry = rs.reserve_entry_submit_for_review(acting_user=officer, entry=entry, on=ADMITTED)
    entry = rs.reserve_entry_review(acting_user=officer, entry=entry, personal_matters_ok=True, on=ADMITTED)
    entry = rs.reserve_entry_assess(
        acting_user=officer,
        entry=entry,
        talks_count=10,
        evaluation_summary="德才表现良好，群众公认。",
        profile_text=f"{name}，本科学历，一级教师，教学实绩突出。",
        on=ADMITTED,
    )
    entry = rs.reserve_entry_admit(acting_user=officer, entry=entry, document_number="教工委〔2026〕8号", on=ADMITTED)
    assert entry.state == ReserveState.IN_POOL
    user = UserFactory(
        username=f"t_{name}", roles=[Role.TEACHER], organization=organization, organization__person=person
    )
    return person, user


def dean_rows(page: str) -> str:
    start = page.index("<h3>教导处主任")
    return page[start : page.index("</table>", start)]


def test_eligible_pool_members_of_the_school_are_listed_first(client, world):
    ready, ready_user = pool_member(world, world.school, "后备甲")
    _aged, aged_user = pool_member(world, world.school, "后备超龄", birth=D(1980, 4, 1))  # 45 at admission, 46 in June
    vetoed, vetoed_user = pool_member(world, world.school, "后备受处分")
    outsider, _outsider_user = pool_member(world, world.other_school, "外校后备")
    Sanction.objects.create(
        person=vetoed,
        kind="warning",
        decided_on=LISTED,
        authority="区教育局",
        start_date=LISTED,
        end_date=D(2026, 12, 6),
        period_months=6,
    )

    # the school's plan, approved and filed, then announced
    client.force_login(world.secretary)
    assert client.post(F.plan.reverse("execute"), plan_form(world)).status_code == 302
    case = Competition.objects.get()
    post_task(client, world.secretary, case, F.school_meeting_approval, meeting_form(world, ["agree"] * 5, present=5))
    post_task(client, world.officer, case, F.file_with_bureau, {"accepted": "1", "reason": ""})
    post_task(client, world.secretary, case, F.announce, {"confirm": "on"})
    world.today.set(OPENS)
    for user in (world.alice_user, world.bob_user, aged_user, vetoed_user, ready_user):
        assert register(client, user, case, world.dean).status_code == 302
    world.today.set(LISTED)
    assert post_task(client, world.secretary, case, F.registration, {"confirm": "on"}).status_code == 302

    # on the listing day only 后备甲 is an eligible, unvetoed member of this school's pool
    assert pool_person_ids(world.school, c.PostKind.MIDDLE_HEAD, LISTED) == {ready.pk}
    assert pool_person_ids(world.other_school, c.PostKind.MIDDLE_HEAD, LISTED) == {outsider.pk}

    client.force_login(world.secretary)
    plan_page = client.get(F.plan.reverse("execute")).content.decode()
    assert "<li>教导处主任（职数1）：后备甲" in plan_page
    for name in ("后备超龄", "后备受处分", "外校后备"):
        assert name not in plan_page

    task = open_task(case, F.qualification_review)
    rows = dean_rows(client.get(F.qualification_review.reverse("execute", args=[case.pk, task.pk])).content.decode())
    order = sorted(("后备甲", "王晓燕", "赵立新", "后备超龄", "后备受处分"), key=rows.index)
    assert order == ["后备甲", "王晓燕", "赵立新", "后备超龄", "后备受处分"]  # then registration order
    assert "后备甲（后备干部）" in rows
    assert "后备超龄（后备干部）" not in rows and "后备受处分（后备干部）" not in rows
