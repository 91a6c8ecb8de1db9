"""The 校长选拔任用 case page, task page, case list and menu."""

from __future__ import annotations

import pytest

from cadres.roles import Role
from dossiers.models import DossierDocument
from dossiers.services import render_document
from tests.factories import UserFactory
from tests.workflows.principal_selection import conftest as flow_conftest
from tests.workflows.principal_selection import journey
from workflows.principal_selection.flows import PrincipalSelectionFlow as F
from workflows.principal_selection.services import note_add

from .helpers import chinese, named, queries

pytestmark = pytest.mark.django_db
world = flow_conftest.world  # the flow's own fixture


def case_url(case):
    return F.instance.reverse("process_detail", args=[case.pk])


@pytest.fixture
def recommended(client, world):
    named(world.officer, "李组织")
    case = journey.propose(client, world)
    journey.recommend(client, world, case)
    return case


def test_officer_reads_the_case_in_chinese(client, world, recommended):
    client.force_login(world.officer)
    html = chinese(client.get(case_url(recommended)))
    # the header in plain words
    assert "第一实验小学校长选拔任用" in html and "民主推荐" in html and "2026年3月2日" in html
    # steps done: who by name with unit, and the result as a sentence
    assert "李组织（区教育局）" in html
    assert "动议第一实验小学校长选拔，拟任1名，选拔方式：民主推荐。" in html
    assert "谈话调研推荐（2026年3月9日）：应到17人，实到17人；得票居前：王晓燕12票" in html
    # the open step: who may act (by name), the deadline, and the button for this officer
    task = recommended.task_set.get(flow_task=F.shortlist)
    assert "确定考察对象" in html
    assert F.shortlist.reverse("execute", args=[recommended.pk, task.pk]) in html
    assert "组织人事科干部" in html
    # 全程纪实 and the chart
    assert F.instance.reverse("record", args=[recommended.pk]) in html
    assert F.instance.reverse("process_chart", args=[recommended.pk]) in html


def test_who_may_not_act_sees_no_button(client, world, recommended):
    client.force_login(world.members[0])
    html = chinese(client.get(case_url(recommended)))
    task = recommended.task_set.get(flow_task=F.shortlist)
    assert F.shortlist.reverse("execute", args=[recommended.pk, task.pk]) not in html
    assert F.instance.reverse("record", args=[recommended.pk]) not in html  # 全程纪实 is the officers' page


@pytest.mark.parametrize("who", ["school_user", "other_school"])
def test_school_users_never_open_a_principal_selection(client, world, recommended, who, other_school):
    user = (
        world.school_user
        if who == "school_user"
        else UserFactory(username="other_sec", roles=[Role.SCHOOL_SECRETARY], organization=other_school)
    )
    client.force_login(user)
    assert client.get(case_url(recommended)).status_code in (403, 404)
    assert client.get(F.instance.reverse("case_documents", args=[recommended.pk])).status_code in (403, 404)
    task = recommended.task_set.get(flow_task=F.propose)
    assert client.get(F.propose.reverse("detail", args=[recommended.pk, task.pk])).status_code in (403, 404)


def test_documents_block_shows_generating_then_generated(client, world, recommended):
    doc = DossierDocument.objects.get(process_ref=f"principal_selection:{recommended.pk}")
    assert doc.status == "pending"
    client.force_login(world.officer)
    page = chinese(client.get(case_url(recommended)))
    assert "生成中" in page and "data-pending" in page and "data-poll-url" in page
    fragment = client.get(F.instance.reverse("case_documents", args=[recommended.pk])).content.decode()
    assert "生成中" in fragment and "data-pending" in fragment
    render_document(doc.pk)
    fragment = client.get(F.instance.reverse("case_documents", args=[recommended.pk])).content.decode()
    assert "已生成" in fragment and "data-pending" not in fragment
    assert f"/{doc.pk}/download/" in fragment and "/media/" not in fragment


def test_queries_do_not_grow_with_documents_notes_and_steps(client, world, recommended):
    client.force_login(world.officer)
    url = case_url(recommended)
    few = queries(client, url)
    for i in range(6):
        note_add(case=recommended, acting_user=world.officer, step="民主推荐", text=f"意见{i}", attachment=None)
        DossierDocument.objects.create(
            kind="record_sheet",
            title=f"纪实表{i}",
            organization=world.school,
            process_ref=f"principal_selection:{recommended.pk}",
            series=f"test-{i}",
            version=1,
            template_name="dossiers/record_sheet.html",
        )
    journey.shortlist(client, world, recommended)
    journey.inspect_and_check(client, world, recommended)
    client.force_login(world.officer)
    assert recommended.task_set.filter(status="DONE").count() >= 8
    many = queries(client, url)
    assert many <= few, (few, many)


def test_task_pages_name_the_step_and_lead_back_to_the_case(client, world, recommended):
    client.force_login(world.officer)
    done = recommended.task_set.get(flow_task=F.propose)
    html = chinese(client.get(F.propose.reverse("detail", args=[recommended.pk, done.pk])))
    assert "动议" in html and "李组织（区教育局）" in html and "已完成" in html
    assert "选拔方式：民主推荐" in html and case_url(recommended) in html
    open_task = recommended.task_set.get(flow_task=F.shortlist)
    html = chinese(client.get(F.shortlist.reverse("detail", args=[recommended.pk, open_task.pk])))
    assert "待办理" in html and F.shortlist.reverse("execute", args=[recommended.pk, open_task.pk]) in html


def test_case_list_is_chinese_and_names_the_open_step(client, world, recommended):
    client.force_login(world.officer)
    html = chinese(client.get(F.instance.reverse("process_list")))
    assert "第一实验小学校长选拔任用" in html and "确定考察对象" in html and "共 1 件" in html


def test_menu_links_the_watch_list_and_agenda_for_officers_only(client, world, recommended):
    client.force_login(world.officer)
    html = client.get(case_url(recommended)).content.decode()
    assert F.instance.reverse("watch") in html and F.instance.reverse("agenda") in html
    client.force_login(world.inspectors[0])
    html = client.get(case_url(recommended)).content.decode()
    assert F.instance.reverse("watch") not in html and F.instance.reverse("agenda") not in html
    client.force_login(world.members[0])  # committee members watch the principals, do not make packs
    html = client.get(case_url(recommended)).content.decode()
    assert F.instance.reverse("watch") in html and F.instance.reverse("agenda") not in html


def test_full_record_page_reads_in_chinese(client, world, recommended):
    """全程纪实, linked from the case page: names not user names, check results in words, no raw values."""
    journey.shortlist(client, world, recommended)
    journey.inspect_and_check(client, world, recommended)
    client.force_login(world.officer)
    html = chinese(client.get(F.instance.reverse("record", args=[recommended.pk])))
    assert "查核结果：一致" in html and "李组织" in html
    assert case_url(recommended) in html


def test_case_list_queries_do_not_grow_with_the_cases(client, world, recommended):
    client.force_login(world.officer)
    url = F.instance.reverse("process_list")
    few = queries(client, url)
    for _ in range(4):
        journey.propose(client, world)
    client.force_login(world.officer)
    html = chinese(client.get(url))
    assert "共 5 件" in html
    assert queries(client, url) <= few


def test_board_page_is_chinese(client, world, recommended):
    client.force_login(world.officer)
    chinese(client.get(F.instance.reverse("index")))
