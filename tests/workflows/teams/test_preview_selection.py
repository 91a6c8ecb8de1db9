"""The 讨论决定 page of a principal selection shows, per candidate, the team before and after appointing them."""

from __future__ import annotations

import pytest

from tests.workflows.principal_selection import journey as j
from tests.workflows.principal_selection.conftest import FLOW, open_task, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_the_decide_page_previews_each_candidate(client, world):  # noqa: F811
    w = world
    case = j.propose(client, w)
    j.recommend(client, w, case)
    j.ok(j.shortlist(client, w, case))
    j.inspect_and_check(client, w, case)
    j.sign(client, w, case)
    client.force_login(w.secretary)
    task = open_task(case, FLOW.decide)
    response = client.get(FLOW.decide.reverse("execute", args=[case.pk, task.pk]))
    assert response.status_code == 200
    previews = response.context["team_previews"]
    assert [p.name for p in previews] == ["王晓燕", "赵立新"]
    alice, bob = previews
    # 王晓燕 (a vice principal of the school) becomes principal; the old principal leaves
    (school,) = alice.impacts
    assert school.organization_id == w.school.pk
    assert [m.name for m in school.before.members] == ["老校长", "王晓燕", "孙海涛"]
    assert [m.name for m in school.after.members] == ["王晓燕", "孙海涛"]
    assert school.after.vacancies == 1  # her vice-principal seat is left open
    # 赵立新 comes from the other school: both schools' teams change
    assert [i.organization_id for i in bob.impacts] == [bob.impacts[0].organization_id, w.school.pk]
    assert bob.impacts[0].organization_id != w.school.pk
    page = response.content.decode()
    assert "若决定任用王晓燕" in page and "若决定任用赵立新" in page
    assert "班子结构影响预览" in page and "调整前" in page and "调整后" in page
    assert "<del>老校长</del>" in page
    assert "新增问题：校级领导职数空缺" in page
