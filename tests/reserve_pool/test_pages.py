"""The pool's pages over HTTP: scope, nomination, every step through its form, refusals with reasons and the
entry unchanged, the Excel export, the 名册 and 小传 through the dossier service."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEvent
from cadres import choices as c
from cadres.roles import Role
from dossiers.kinds import DossierKind
from dossiers.models import DossierDocument
from reserve_pool.choices import Horizon, Origin, ReserveState
from reserve_pool.models import ReserveEntry
from tests.factories import PersonFactory, UserFactory

from .conftest import PROFILE, REVIEWED, bring_to, make_teacher, nominate

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate().isoformat()

LIST = reverse("reserve_pool:entries:index")


def detail(entry):
    return reverse("reserve_pool:entries:detail", args=[entry.pk])


def act(entry, name):
    return reverse("reserve_pool:entries:action", args=[entry.pk, name])


@pytest.fixture
def fake_render():
    with mock.patch("dossiers.rendering.render_pdf", return_value=(b"%PDF-1.7 reserve", 1)) as render:
        yield render


# --- scope -------------------------------------------------------------------------------------------------


def test_a_school_secretary_sees_only_the_entries_of_their_own_schools_people(
    client, officer, school_secretary, other_secretary, teacher, other_teacher
):
    mine = nominate(teacher, school_secretary)
    theirs = nominate(other_teacher, other_secretary)
    client.force_login(school_secretary)
    page = client.get(LIST)
    assert page.status_code == 200
    assert list(page.context["page"]) == [mine]
    assert client.get(detail(theirs)).status_code == 404
    assert client.get(detail(mine)).status_code == 200
    client.force_login(officer)
    assert set(client.get(LIST).context["page"]) == {mine, theirs}


def test_a_teacher_and_an_anonymous_visitor_cannot_open_the_pool(client, school, teacher):
    assert client.get(LIST).status_code == 302  # to the login page
    user = UserFactory(username="t1", roles=[Role.TEACHER], organization=school, organization__person=teacher)
    client.force_login(user)
    for url in (LIST, reverse("reserve_pool:dashboard:index"), reverse("reserve_pool:entries:nominate")):
        assert client.get(url).status_code == 403


def test_a_bureau_member_may_read_but_is_offered_no_step_and_cannot_nominate(client, bureau, officer, teacher):
    entry = nominate(teacher, officer)
    member = UserFactory(username="member", roles=[Role.COMMITTEE_MEMBER], organization=bureau)
    client.force_login(member)
    page = client.get(detail(entry))
    assert page.status_code == 200 and page.context["actions"] == []
    assert client.get(reverse("reserve_pool:entries:nominate")).status_code == 403
    refused = client.post(act(entry, "submit"), {})
    assert refused.status_code == 409
    assert "只有提名单位或教育局组织人事科可以提交审核" in refused.context["action_error"]
    entry.refresh_from_db()
    assert entry.state == ReserveState.NOMINATED


# --- nomination --------------------------------------------------------------------------------------------


def test_a_secretary_nominates_a_teacher_of_their_school_through_the_form(client, school_secretary, teacher, posts):
    client.force_login(school_secretary)
    form = client.get(reverse("reserve_pool:entries:nominate") + f"?person={teacher.pk}")
    assert [v for v, _label in form.context["form"].fields["origin"].choices] == [Origin.SCHOOL_PARTY]
    response = client.post(
        reverse("reserve_pool:entries:nominate"),
        {
            "person": teacher.pk,
            "origin": Origin.SCHOOL_PARTY,
            "post_kind": c.PostKind.VICE_PRINCIPAL,
            "target_post": posts.vice.pk,
            "horizon": Horizon.NEAR_TERM,
            "note": "教学管理能力突出",
        },
    )
    entry = ReserveEntry.objects.get(person=teacher)
    assert response.status_code == 302 and response.url == detail(entry)
    assert (entry.state, entry.origin, entry.target_post, entry.organization) == (
        ReserveState.NOMINATED,
        Origin.SCHOOL_PARTY,
        posts.vice,
        teacher.organization,
    )


def test_a_nomination_the_rules_refuse_shows_every_reason_and_saves_nothing(client, officer, school, posts):
    old = make_teacher(school, "赵老师", birth=dt.date(1970, 1, 1))
    client.force_login(officer)
    response = client.post(
        reverse("reserve_pool:entries:nominate"),
        {"person": old.pk, "origin": Origin.BUREAU, "post_kind": c.PostKind.PRINCIPAL, "horizon": Horizon.LONG_TERM},
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "年龄" in errors and "45" in errors
    assert not ReserveEntry.objects.filter(person=old).exists()


def test_a_secretary_cannot_nominate_another_schools_teacher(client, school_secretary, other_teacher):
    client.force_login(school_secretary)
    response = client.post(
        reverse("reserve_pool:entries:nominate"),
        {
            "person": other_teacher.pk,
            "origin": Origin.SCHOOL_PARTY,
            "post_kind": c.PostKind.VICE_PRINCIPAL,
            "horizon": Horizon.NEAR_TERM,
        },
    )
    assert response.status_code == 200
    assert "person" in response.context["form"].errors  # not even offered: outside the secretary's scope
    assert not ReserveEntry.objects.exists()


# --- the steps ---------------------------------------------------------------------------------------------


def test_the_officer_takes_an_entry_from_nomination_into_the_pool_through_the_pages(client, officer, teacher):
    entry = nominate(teacher, officer)
    client.force_login(officer)
    names = [a.name for a, _form in client.get(detail(entry)).context["actions"]]
    assert names == ["submit", "remove"]

    steps = [
        ("submit", {}, ReserveState.UNDER_REVIEW),
        ("review", {"review-personal_matters_ok": "1", "review-personal_matters_note": ""}, ReserveState.UNDER_REVIEW),
        (
            "assess",
            {"assess-talks_count": "15", "assess-evaluation_summary": "群众公认", "assess-profile_text": PROFILE},
            ReserveState.ASSESSED,
        ),
        (
            "admit",
            {
                "admit-document_number": "教工委〔2026〕9号",
                "admit-on": TODAY,
                "admit-horizon": Horizon.NEAR_TERM,
            },
            ReserveState.IN_POOL,
        ),
    ]
    for name, data, state in steps:
        response = client.post(act(entry, name), data)
        assert response.status_code == 302, (name, response.context and response.context.get("action_error"))
        entry.refresh_from_db()
        assert entry.state == state
    assert entry.review_passed and entry.talks_count == 15 and entry.admission_document == "教工委〔2026〕9号"
    page = client.get(detail(entry))
    assert [a.name for a, _form in page.context["actions"]] == ["renew", "yearly_review", "training", "remove"]
    assert [h["label"] for h in page.context["history"]] == ["提名", "提交审核", "资格审查", "录入考察结果", "决定入库"]
    assert "已决定入库。" in page.content.decode()


def test_a_refused_step_shows_the_reason_keeps_the_input_and_changes_nothing(
    client, officer, school_secretary, teacher
):
    entry = bring_to(nominate(teacher, officer), ReserveState.ASSESSED, officer)
    events = AuditEvent.objects.count()
    client.force_login(school_secretary)
    response = client.post(
        act(entry, "admit"), {"admit-document_number": "X", "admit-on": TODAY, "admit-horizon": "near_term"}
    )
    assert response.status_code == 409
    assert response.context["action_error"] == "后备干部的入库、使用和动态管理由教育局组织人事科决定。"
    entry.refresh_from_db()
    assert entry.state == ReserveState.ASSESSED and AuditEvent.objects.count() == events


def test_invalid_input_is_a_form_error_and_nothing_is_written(client, officer, teacher):
    entry = bring_to(nominate(teacher, officer), REVIEWED, officer)
    client.force_login(officer)
    response = client.post(act(entry, "assess"), {"assess-talks_count": "0", "assess-profile_text": PROFILE})
    assert response.status_code == 400
    form = dict(response.context["actions"])[next(a for a, _f in response.context["actions"] if a.name == "assess")]
    assert "talks_count" in form.errors and "evaluation_summary" in form.errors
    assert form["profile_text"].value() == PROFILE  # what was typed comes back
    entry.refresh_from_db()
    assert entry.state == ReserveState.UNDER_REVIEW and entry.talks_count is None


def test_a_profile_over_500_characters_is_refused_with_the_count(client, officer, teacher):
    entry = bring_to(nominate(teacher, officer), REVIEWED, officer)
    client.force_login(officer)
    response = client.post(
        act(entry, "assess"),
        {"assess-talks_count": "9", "assess-evaluation_summary": "好", "assess-profile_text": "字" * 501},
    )
    assert response.status_code == 409
    assert response.context["action_error"] == "后备干部小传不能超过500字，现有501字。"


def test_admission_beyond_the_quota_is_refused_with_the_numbers(client, officer, teacher, school, posts):
    first = bring_to(nominate(teacher, officer), ReserveState.IN_POOL, officer)
    second = bring_to(nominate(make_teacher(school, "钱老师"), officer), ReserveState.ASSESSED, officer)
    client.force_login(officer)
    response = client.post(
        act(second, "admit"),
        {"admit-document_number": "教工委〔2026〕10号", "admit-on": TODAY, "admit-horizon": "near_term"},
    )
    assert response.status_code == 409
    message = response.context["action_error"]
    assert "副校长" in message and "1" in message
    second.refresh_from_db()
    assert second.state == ReserveState.ASSESSED and first.state == ReserveState.IN_POOL


def test_unknown_steps_are_404(client, officer, teacher):
    entry = nominate(teacher, officer)
    client.force_login(officer)
    assert client.post(act(entry, "explode"), {}).status_code == 404


def test_training_and_yearly_review_through_the_pages(client, officer, school_secretary, teacher, other_teacher):
    entry = bring_to(nominate(teacher, officer), ReserveState.IN_POOL, officer)
    bring_to(nominate(other_teacher, officer), ReserveState.IN_POOL, officer)  # keeps 1/3 near-term after the change
    client.force_login(school_secretary)
    assert [a.name for a, _f in client.get(detail(entry)).context["actions"]] == ["training"]
    response = client.post(
        act(entry, "training"),
        {
            "training-course": "后备干部能力提升班",
            "training-provider": "区教师发展中心",
            "training-start_date": "2026-11-02",
            "training-end_date": "2026-11-06",
            "training-hours": "40",
        },
    )
    assert response.status_code == 302
    assert entry.trainings.get().hours == 40
    client.force_login(officer)
    refused = client.post(act(entry, "yearly_review"), {"yearly_review-decision": "change_horizon"})
    assert refused.status_code == 409 and "须写明理由" in refused.context["action_error"]
    done = client.post(
        act(entry, "yearly_review"),
        {
            "yearly_review-decision": "change_horizon",
            "yearly_review-new_horizon": "long_term",
            "yearly_review-reason": "尚需历练",
        },
    )
    assert done.status_code == 302, done.context and done.context["action_error"]
    entry.refresh_from_db()
    assert entry.horizon == Horizon.LONG_TERM
    assert entry.yearly_reviews.get().decision == "change_horizon"


def test_removal_needs_a_reason_and_ends_the_entry(client, officer, teacher):
    entry = bring_to(nominate(teacher, officer), ReserveState.IN_POOL, officer)
    client.force_login(officer)
    assert client.post(act(entry, "remove"), {"remove-reason": ""}).status_code == 400
    assert client.post(act(entry, "remove"), {"remove-reason": "本人申请退出"}).status_code == 302
    entry.refresh_from_db()
    assert (entry.state, entry.removal_reason) == (ReserveState.REMOVED, "本人申请退出")
    assert client.get(detail(entry)).context["actions"] == []


def test_the_kin_of_the_candidate_is_told_to_recuse_and_cannot_act(client, bureau, teacher, officer):
    from tests.factories import FamilyMemberFactory, PersonFactory

    relative = PersonFactory(organization=bureau, name="王科长")
    FamilyMemberFactory(person=teacher, relative=relative, name=relative.name, relation=c.Relation.SPOUSE)
    kin_officer = UserFactory(
        username="kin", roles=[Role.PERSONNEL_OFFICER], organization=bureau, organization__person=relative
    )
    entry = nominate(teacher, officer)
    client.force_login(kin_officer)
    page = client.get(detail(entry))
    assert page.context["recusal"]
    refused = client.post(act(entry, "submit"), {})
    assert refused.status_code == 409 and "回避" in refused.context["action_error"]
    entry.refresh_from_db()
    assert entry.state == ReserveState.NOMINATED


# --- export and documents ----------------------------------------------------------------------------------


def test_the_excel_export_has_the_filtered_visible_rows(
    client, officer, school_secretary, teacher, other_teacher, school
):
    near = bring_to(nominate(teacher, officer), ReserveState.IN_POOL, officer)
    nominate(other_teacher, officer, horizon=Horizon.LONG_TERM)
    client.force_login(officer)
    response = client.get(reverse("reserve_pool:entries:export") + "?state=pool")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("姓名", "性别", "出生年月", "年龄")
    assert [r[0] for r in rows[1:]] == [near.person.name]
    assert rows[1][9:14] == ("副职后备", f"{school.name}副校长", "近期可提拔使用", "教育局推荐", "在库")
    client.force_login(school_secretary)
    rows = list(load_workbook(io.BytesIO(client.get(reverse("reserve_pool:entries:export")).content)).active.values)
    assert [r[0] for r in rows[1:]] == [teacher.name]  # the other school's nominee is not exported


def test_the_roster_pdf_is_a_dossier_of_the_filtered_list(
    client, officer, teacher, other_teacher, fake_render, django_capture_on_commit_callbacks
):
    bring_to(nominate(teacher, officer), ReserveState.IN_POOL, officer)
    nominate(other_teacher, officer)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reserve_pool:entries:roster"), {"state": "pool"})
    doc = DossierDocument.objects.get(kind=DossierKind.RESERVE_ROSTER)
    assert response.status_code == 302 and response.url == reverse("dossiers:documents:detail", args=[doc.pk])
    assert [r["name"] for r in doc.content["rows"]] == [teacher.name]
    assert doc.content["title"] == "后备干部名册（在库）"
    assert doc.content["scope"] == "状态：在库（含已列为考察对象）"
    assert doc.status == "rendered" and fake_render.called


def test_an_empty_roster_is_refused(client, officer):
    client.force_login(officer)
    response = client.post(reverse("reserve_pool:entries:roster"), {"state": "pool"}, follow=True)
    assert "筛选结果中没有后备干部，不能生成名册。" in response.content.decode()
    assert not DossierDocument.objects.exists()


def test_the_profile_pdf_carries_the_entrys_text_and_needs_one(
    client, officer, teacher, fake_render, django_capture_on_commit_callbacks
):
    entry = nominate(teacher, officer)
    client.force_login(officer)
    assert client.post(reverse("reserve_pool:entries:profile", args=[entry.pk])).status_code == 409
    entry = bring_to(entry, ReserveState.IN_POOL, officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reserve_pool:entries:profile", args=[entry.pk]))
    doc = DossierDocument.objects.get(kind=DossierKind.RESERVE_PROFILE)
    assert response.status_code == 302 and doc.subject == teacher
    assert doc.content["profile"] == [PROFILE]
    assert (doc.content["kind"], doc.content["term"], doc.content["origin"]) == (
        "副职后备",
        "近期可提拔使用",
        "教育局推荐",
    )
    assert doc.content["title_rank"] == "一级教师" and doc.content["admitted_on_text"] == "2026年3月2日"


def test_the_pending_reviews_page_lists_due_reviews_in_scope(
    client, officer, school_secretary, other_secretary, teacher
):
    from reserve_pool.models import YearlyReview

    entry = bring_to(nominate(teacher, officer), ReserveState.IN_POOL, officer)
    YearlyReview.objects.create(entry=entry, year=2026, due_on=dt.date(2026, 11, 30))
    client.force_login(school_secretary)
    assert [r.entry for r in client.get(reverse("reserve_pool:reviews:index")).context["reviews"]] == [entry]
    client.force_login(other_secretary)
    assert list(client.get(reverse("reserve_pool:reviews:index")).context["reviews"]) == []


def test_a_due_yearly_review_waits_on_the_officers_home_page_only(client, officer, school_secretary, teacher):
    from reserve_pool.models import ReserveEntry, YearlyReview

    entry = bring_to(nominate(teacher, officer), ReserveState.IN_POOL, officer)
    YearlyReview.objects.create(entry=entry, year=2026, due_on=dt.date(2026, 11, 30))
    client.force_login(officer)
    waiting = client.get(reverse("home:dashboard:index")).context["waiting"]
    assert [(w["title"], w["due"]) for w in waiting] == [
        (f"{teacher.name} · 2026年度后备干部复核", dt.date(2026, 11, 30))
    ]
    assert waiting[0]["url"] == detail(entry) + "#action-yearly_review"
    for day in range(1, 16):  # more reviews than the home page's rows: the first rows, the true total
        other = ReserveEntry.objects.get(pk=entry.pk)
        other.pk, other.person = None, PersonFactory(organization=teacher.organization)
        other.save()
        YearlyReview.objects.create(entry=other, year=2026, due_on=dt.date(2026, 10, day))
    page = client.get(reverse("home:dashboard:index")).context
    assert len(page["waiting"]) == 10 and page["waiting_total"] == 16
    assert [w["due"].day for w in page["waiting"]] == list(range(1, 11))  # soonest due first
    client.force_login(school_secretary)  # the school sees the review on the pool page but does not decide it
    assert client.get(reverse("home:dashboard:index")).context["waiting"] == []


def test_a_roster_longer_than_the_limit_is_refused_with_the_numbers(
    client, officer, teacher, other_teacher, monkeypatch
):
    from reserve_pool import documents

    nominate(teacher, officer)
    nominate(other_teacher, officer)
    monkeypatch.setattr(documents, "ROSTER_MAX_ROWS", 1)
    client.force_login(officer)
    response = client.post(reverse("reserve_pool:entries:roster"), {}, follow=True)
    assert "筛选结果有2人，名册PDF最多1人：请缩小筛选范围，或导出Excel。" in response.content.decode()
    assert not DossierDocument.objects.exists()
