"""The one inbox page (待办/已办) and the home page's 待办: every task a user may act on across the flows, found
and counted by the database; filters, order and paging; nothing dropped; the same number of queries for 5
tasks and for 200."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cadres import choices as c
from cadres.models import Post
from cadres.roles import Role
from tests.factories import OrganizationFactory, PersonFactory, UserFactory
from workflows.common import inbox
from workflows.common.inbox import actionable_tasks, count_by_flow, inbox_rows
from workflows.competition.flows import CompetitionFlow
from workflows.competition.models import Competition
from workflows.principal_selection.flows import PrincipalSelectionFlow
from workflows.principal_selection.models import SelectionCase

pytestmark = pytest.mark.django_db
INBOX = reverse("home:inbox:index")
DONE = reverse("home:inbox:done")
HOME = reverse("home:dashboard:index")


def selection_tasks(school, n, *, due=None, node=None):
    node = node or PrincipalSelectionFlow.recommend
    post, _ = Post.objects.get_or_create(
        organization=school, name="校长", defaults={"kind": c.PostKind.PRINCIPAL, "level": c.PostLevel.SCHOOL_HEAD}
    )
    cases = [
        SelectionCase.objects.create(flow_class=PrincipalSelectionFlow, post=post, started_on=dt.date(2026, 11, 2))
        for _ in range(n)
    ]
    return Task.objects.bulk_create(
        [
            Task(
                process=case,
                flow_task=node,
                flow_task_type="HUMAN",
                status=STATUS.NEW,
                data={"due": (due or dt.date(2026, 12, 20)).isoformat()},
            )
            for case in cases
        ]
    )


def competition_tasks(school, n, title="竞聘"):
    cases = [
        Competition.objects.create(flow_class=CompetitionFlow, organization=school, title=f"{title}{i}")
        for i in range(n)
    ]
    return Task.objects.bulk_create(
        [
            Task(process=case, flow_task=CompetitionFlow.announce, flow_task_type="HUMAN", status=STATUS.NEW, data={})
            for case in cases
        ]
    )


@pytest.fixture
def secretary_b(other_school):
    return UserFactory(roles=[Role.SCHOOL_SECRETARY], organization=other_school)


def test_the_officer_sees_every_selection_task_and_no_school_task(client, officer, school):
    selection_tasks(school, 3)
    competition_tasks(school, 2)
    client.force_login(officer)
    page = client.get(INBOX)
    assert page.status_code == 200
    assert page.context["total"] == 3
    assert {row["step"] for row in page.context["rows"]} == {"民主推荐"}
    assert count_by_flow(officer) == {"principal_selection": 3}


def test_a_school_sees_its_own_tasks_only(client, school_secretary, secretary_b, school, other_school):
    competition_tasks(school, 2, title="甲校竞聘")
    competition_tasks(other_school, 1, title="乙校竞聘")
    client.force_login(school_secretary)
    body = client.get(INBOX).content.decode()
    assert "甲校竞聘0" in body and "乙校竞聘" not in body
    client.force_login(secretary_b)
    assert client.get(INBOX).context["total"] == 1


def test_filters_order_and_paging_give_a_true_total(client, officer, school, bureau):
    far = OrganizationFactory(name="远郊中学", parent=bureau)
    selection_tasks(school, 60, due=dt.date(2026, 12, 30))
    selection_tasks(far, 2, due=dt.date(2026, 12, 10))
    selection_tasks(school, 1, node=PrincipalSelectionFlow.shortlist)
    client.force_login(officer)
    first = client.get(INBOX)
    assert first.context["total"] == 63 and len(first.context["rows"]) == 50
    assert first.context["rows"][0]["school"] == "远郊中学"  # soonest due first
    second = client.get(INBOX, {"page": 2})
    assert len(second.context["rows"]) == 13
    assert client.get(INBOX, {"school": "远郊"}).context["total"] == 2
    assert client.get(INBOX, {"due_before": "2026-12-15"}).context["total"] == 2
    assert client.get(INBOX, {"flow": "principal_selection", "step": "shortlist"}).context["total"] == 1
    assert client.get(INBOX, {"flow": "competition"}).context["total"] == 0
    newest = client.get(INBOX, {"sort": "-created"}).context["rows"][0]
    assert newest["step"] == "确定考察对象"


def test_the_page_costs_the_same_for_5_tasks_and_200(client, officer, school, django_assert_max_num_queries):
    client.force_login(officer)
    selection_tasks(school, 5)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(INBOX).status_code == 200
    selection_tasks(school, 195)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(INBOX).status_code == 200
    with CaptureQueriesContext(connection) as home_few:
        client.get(HOME)
    selection_tasks(school, 300)
    with django_assert_max_num_queries(len(home_few.captured_queries)):
        page = client.get(HOME)
    assert page.context["waiting_total"] == 500  # nothing dropped: the true total
    assert [(r["flow"], r["count"]) for r in page.context["waiting_by_flow"]] == [("principal_selection", 500)]
    assert len(page.context["waiting"]) == 10


def test_a_held_task_is_listed_for_its_holder_only(client, officer, bureau, school):
    other = UserFactory(roles=[Role.PERSONNEL_OFFICER], organization=bureau)
    (task,) = selection_tasks(school, 1)
    task.owner, task.status = other, STATUS.ASSIGNED
    task.save()
    assert not actionable_tasks(officer).exists()
    (row,) = inbox.InboxRows(other)[0:50]
    assert (row["subject"], row["school"], row["owner_id"]) == ("第一实验小学 · 校长", "第一实验小学", other.pk)


def test_the_done_tab_lists_what_the_user_finished(client, officer, school):
    (task,) = selection_tasks(school, 1)
    task.owner, task.status, task.finished = officer, STATUS.DONE, timezone.now()
    task.save()
    client.force_login(officer)
    page = client.get(DONE)
    assert page.context["total"] == 1 and page.context["rows"][0]["step"] == "民主推荐"
    assert client.get(INBOX).context["total"] == 0


def test_the_flow_menus_inbox_leads_to_the_one_inbox(client, officer):
    client.force_login(officer)
    response = client.get(PrincipalSelectionFlow.instance.reverse("inbox"))
    assert response.status_code == 302 and response.url == f"{INBOX}?flow=principal_selection"
    assert client.get(PrincipalSelectionFlow.instance.reverse("archive")).url == DONE


def test_the_flow_menus_counter_counts_up_to_99_plus(client, officer, school):
    def counter():
        page = client.get(PrincipalSelectionFlow.instance.reverse("process_list"))
        return page.context["flow_inbox_count"]

    client.force_login(officer)
    selection_tasks(school, 99)
    assert counter() == "99"
    selection_tasks(school, 1)
    assert counter() == "99+"
    assert inbox.badge_count(actionable_tasks(officer)) == inbox.BADGE_CAP  # the database stops at 100
    assert [inbox.badge_label(n) for n in (0, 99, 100, 12_000)] == ["0", "99", "99+", "99+"]


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_teacher_with_nothing_to_do_sees_an_empty_chinese_list(client, school):
    person = PersonFactory(name="普通教师", organization=school)
    teacher = UserFactory(roles=[Role.TEACHER], organization=school, organization__person=person)
    client.force_login(teacher)
    page = client.get(INBOX)
    assert page.context["total"] == 0
    assert "没有符合条件的待办事项" in page.content.decode()


def test_row_urls_are_the_ones_reverse_gives():
    """`task_url`/`case_url` resolve a pattern once per step; the URL is the one `reverse` gives."""
    for flow_class in inbox.flows():
        assert inbox.case_url(flow_class, 4321) == flow_class.instance.reverse("process_detail", args=[4321])
        for node in inbox.case_tasks(flow_class):
            for name in ("index", "execute", "detail"):
                assert inbox.task_url(node, name, 12, 3456) == node.reverse(name, args=[12, 3456])


def test_the_rows_query_reads_the_task_table_alone(officer, school):
    """The tasks' filter and count join no case table (fourteen LEFT JOINs took PostgreSQL longer to plan than
    to run; issue 13): a listed page's words are subqueries evaluated for its own rows (`InboxRows`)."""
    selection_tasks(school, 3)
    rows = inbox_rows(officer, school="学", due_before=dt.date(2030, 1, 1))
    for query in (rows.query, actionable_tasks(officer).query):  # (subqueries join inside themselves)
        joined = [
            a for a, join in query.alias_map.items() if getattr(join, "join_type", None) and query.alias_refcount[a]
        ]
        assert joined == []
    (first, *_rest) = inbox.with_case_words(rows[:1])
    assert first.school == school.name and first.subject.startswith(school.name)


def test_row_times_are_local_minutes_as_the_date_filter_gave_them():
    from django.template import Context, Template

    from workflows.common.casepage import date_text, minute_text

    moment = dt.datetime(2026, 3, 9, 17, 5, tzinfo=dt.UTC)  # 01:05 the next day in Beijing
    filtered = Template('{{ t|date:"Y-m-d H:i" }}').render(Context({"t": moment}))
    assert minute_text(moment) == filtered == "2026-03-10 01:05"
    assert date_text(moment) == "2026年3月10日" and minute_text(None) == ""


def test_case_words_of_several_flows_come_from_one_query(officer, school, django_assert_num_queries):
    (selection,) = selection_tasks(school, 1)
    (competition,) = competition_tasks(school, 1, title="教务处主任竞聘")
    postless = SelectionCase.objects.create(flow_class=PrincipalSelectionFlow, started_on=dt.date(2026, 11, 2))
    with django_assert_num_queries(1):
        words = inbox.case_words(
            {
                PrincipalSelectionFlow: [selection.process_id, postless.pk],
                CompetitionFlow: [competition.process_id],
            }
        )
    assert words[selection.process_id]["subject"] == "第一实验小学 · 校长"
    assert words[competition.process_id] == {"subject": "教务处主任竞聘0", "school": "第一实验小学", "state": "draft"}
    assert words[postless.pk]["subject"] == "" and words[postless.pk]["school"] == ""  # a missing part: no subject


def test_counts_per_flow_are_the_actionable_tasks_counted(school_secretary, officer, school, other_school):
    """`count_by_node` (a UNION ALL of one count per policy) counts what `actionable_tasks` (one OR) holds."""
    from collections import Counter

    selection_tasks(school, 3)
    selection_tasks(school, 2, node=PrincipalSelectionFlow.shortlist)
    competition_tasks(school, 2)
    competition_tasks(other_school, 1)
    for user in (officer, school_secretary):
        grouped = Counter(inbox.flow_key(t.flow_task.flow_class) for t in actionable_tasks(user))
        assert count_by_flow(user) == dict(grouped) and grouped
        by_node = Counter(t.flow_task for t in actionable_tasks(user))
        assert inbox.count_by_node(user) == dict(by_node)
    assert count_by_flow(officer) == {"principal_selection": 5}


def test_the_listing_carries_each_rows_case_words(officer, school_secretary, school):
    selection_tasks(school, 2)
    competition_tasks(school, 1, title="甲校竞聘")
    rows = inbox.InboxRows(officer)
    assert rows.count() == 2
    assert [(r["subject"], r["school"]) for r in rows[0:50]] == [("第一实验小学 · 校长", "第一实验小学")] * 2
    (row,) = inbox.InboxRows(school_secretary)[0:50]
    assert (row["subject"], row["school"], str(row["flow_task"].task_title)) == (
        "甲校竞聘0",
        "第一实验小学",
        "发布公告",
    )


def test_the_listings_total_is_the_filtered_count(officer, school, bureau):
    far = OrganizationFactory(name="远郊中学", parent=bureau)
    selection_tasks(school, 4, due=dt.date(2026, 12, 30))
    selection_tasks(far, 2, due=dt.date(2026, 12, 10), node=PrincipalSelectionFlow.shortlist)
    for filters in (
        {},
        {"flow": "principal_selection"},
        {"flow": "principal_selection", "step": "shortlist"},
        {"flow": "principal_selection", "step": "no_such_step"},
        {"flow": "competition"},
        {"step": "shortlist"},  # a step without its flow is no filter
        {"school": "远郊"},
        {"due_before": dt.date(2026, 12, 15)},
    ):
        listing = inbox.InboxRows(officer, **filters)
        assert listing.count() == inbox_rows(officer, **filters).count(), filters
        assert len(listing[0:50]) == listing.count(), filters
