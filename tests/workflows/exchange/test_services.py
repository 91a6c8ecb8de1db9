"""Approval at a meeting and application in one transaction: refused while a move is refused, never half
applied, never ahead of the effective date; the state machine and the documents."""

from __future__ import annotations

import datetime as dt

import pytest
from django_fsm import TransitionNotAllowed

from audit.models import AuditEvent
from cadres import choices as c
from cadres.ethics.services import sanction_record
from cadres.models import Person, Tenure
from dossiers.models import DossierDocument
from tests.factories import FamilyMemberFactory
from workflows.exchange import services
from workflows.exchange.models import ExchangePlan, PlanState

from .conftest import approve, draft, today

pytestmark = pytest.mark.django_db
DOC = "示教工委〔{y}〕12号"


def fresh(plan):
    return ExchangePlan.objects.get(pk=plan.pk)


def events(plan, action):
    return AuditEvent.objects.filter(object_type="exchange.exchangeplan", object_id=str(plan.pk), action=action)


def test_approval_is_refused_while_a_move_is_refused_and_names_it(officer, district):
    d = district
    FamilyMemberFactory(person=d.c, relative=d.p2, relation=c.Relation.COUSIN, name=d.p2.name)
    plan = draft(officer, [(d.a, d.a_tenure, d.posts[2].vice), (d.c, d.c_tenure, d.posts[1].vice)])
    with pytest.raises(services.ExchangeError) as exc:
        approve(officer, plan)
    assert exc.value.code == "moves_refused"
    assert len(exc.value.details) == 1 and "丙副校长" in exc.value.details[0] and "任职回避" in exc.value.details[0]
    assert fresh(plan).state == PlanState.DRAFT
    assert events(plan, "exchange_plan_approve_refused").count() == 1
    assert not DossierDocument.objects.filter(process_ref=plan.process_ref).exists()


def test_approval_records_the_meeting_and_generates_the_plan_dossier(officer, district):
    d = district
    plan = draft(officer, [(d.a, d.a_tenure, d.posts[1].vice)])
    approve(officer, plan)
    plan = fresh(plan)
    assert plan.state == PlanState.APPROVED and plan.meeting_date == today()
    doc = DossierDocument.objects.get(process_ref=plan.process_ref, kind="exchange_plan")
    assert doc.content["moves"][0]["name"] == "甲副校长" and doc.content["confidentiality"] == "机密"
    assert events(plan, "exchange_plan_approve").count() == 1


def test_a_meeting_in_the_future_or_after_the_effective_date_is_refused(officer, district):
    d = district
    plan = draft(officer, [(d.a, d.a_tenure, d.posts[1].vice)], effective=today() - dt.timedelta(days=3))
    with pytest.raises(services.ExchangeError) as exc:
        approve(officer, plan, on=today() + dt.timedelta(days=1))
    assert exc.value.code == "meeting_future"
    with pytest.raises(services.ExchangeError) as exc:
        approve(officer, plan, on=today())
    assert exc.value.code == "effective_before_meeting"


def test_application_moves_everyone_at_once(officer, district):
    d = district
    plan = draft(officer, [(d.a, d.a_tenure, d.posts[1].vice), (d.b, d.b_tenure, d.posts[2].vice)])
    approve(officer, plan)
    services.plan_apply(acting_user=officer, plan=plan, first_document_number=DOC.format(y=today().year))
    plan = fresh(plan)
    assert plan.state == PlanState.APPLIED and plan.applied_on == today()
    day_before = today() - dt.timedelta(days=1)
    assert Tenure.objects.get(pk=d.a_tenure.pk).end_date == day_before
    assert Tenure.objects.get(pk=d.b_tenure.pk).end_date == day_before
    a_new = Tenure.objects.get(person=d.a, end_date__isnull=True)
    b_new = Tenure.objects.get(person=d.b, end_date__isnull=True)
    assert (a_new.post, a_new.start_date, a_new.document_number) == (
        d.posts[1].vice,
        today(),
        f"示教工委〔{today().year}〕12号",
    )
    assert b_new.document_number == f"示教工委〔{today().year}〕13号"
    assert a_new.method == c.AppointmentMethod.TRANSFER and a_new.probation_end is None
    assert Person.objects.get(pk=d.a.pk).organization == d.schools[1]
    notices = DossierDocument.objects.filter(process_ref=plan.process_ref, kind="appointment_notice")
    assert {n.subject_id for n in notices} == {d.a.pk, d.b.pk}
    assert "任命甲副校长同志为第二实验小学副校长" in notices.get(subject=d.a).content["lines"][0]
    assert DossierDocument.objects.filter(process_ref=plan.process_ref, kind="exchange_plan", step="apply").exists()


def test_a_rotation_of_three_full_posts_applies(officer, district):
    d = district
    for post in (p.vice for p in d.posts):
        post.headcount = 1
        post.save()
    moves = [
        (d.a, d.a_tenure, d.posts[1].vice),
        (d.b, d.b_tenure, d.posts[2].vice),
        (d.c, d.c_tenure, d.posts[0].vice),
    ]
    plan = draft(officer, moves)
    approve(officer, plan)
    services.plan_apply(acting_user=officer, plan=plan, first_document_number=DOC.format(y=today().year))
    held = {t.person_id: t.post_id for t in Tenure.objects.filter(end_date__isnull=True, person__in=[d.a, d.b, d.c])}
    assert held == {d.a.pk: d.posts[1].vice.pk, d.b.pk: d.posts[2].vice.pk, d.c.pk: d.posts[0].vice.pk}


def test_a_move_made_invalid_after_approval_refuses_the_whole_plan_and_changes_nothing(officer, district):
    d = district
    plan = draft(officer, [(d.a, d.a_tenure, d.posts[1].vice), (d.b, d.b_tenure, d.posts[2].vice)])
    approve(officer, plan)
    sanction_record(acting_user=officer, person=d.b, kind="demerit", decided_on=today(), authority="区教育局")
    before = list(Tenure.objects.order_by("pk").values_list("pk", "post_id", "start_date", "end_date"))
    with pytest.raises(services.ExchangeError) as exc:
        services.plan_apply(acting_user=officer, plan=plan, first_document_number=DOC.format(y=today().year))
    assert exc.value.code == "moves_refused" and "乙副校长" in exc.value.details[0] and "记过" in exc.value.details[0]
    assert list(Tenure.objects.order_by("pk").values_list("pk", "post_id", "start_date", "end_date")) == before
    assert Person.objects.get(pk=d.a.pk).organization == d.schools[0]
    assert fresh(plan).state == PlanState.APPROVED
    refused = events(plan, "exchange_plan_apply_refused").get()
    assert "乙副校长" in refused.payload["refusals"][0]
    assert not events(plan, "exchange_plan_apply").exists()
    assert not DossierDocument.objects.filter(process_ref=plan.process_ref, kind="appointment_notice").exists()


def test_a_plan_is_not_applied_before_its_effective_date(officer, district):
    d = district
    plan = draft(officer, [(d.a, d.a_tenure, d.posts[1].vice)], effective=today() + dt.timedelta(days=1))
    approve(officer, plan)
    with pytest.raises(services.ExchangeError) as exc:
        services.plan_apply(acting_user=officer, plan=plan, first_document_number=DOC.format(y=today().year))
    assert exc.value.code == "not_yet_effective"
    assert Tenure.objects.get(pk=d.a_tenure.pk).end_date is None
    with pytest.raises(services.ExchangeError) as exc:
        services.plan_apply(
            acting_user=officer,
            plan=plan,
            first_document_number=DOC.format(y=today().year),
            on=today() + dt.timedelta(days=1),
        )
    assert exc.value.code == "future"


def test_a_malformed_document_number_is_refused(officer, district):
    d = district
    plan = draft(officer, [(d.a, d.a_tenure, d.posts[1].vice)])
    approve(officer, plan)
    for bad in ("第12号", DOC.format(y=today().year - 1)):
        with pytest.raises(services.ExchangeError) as exc:
            services.plan_apply(acting_user=officer, plan=plan, first_document_number=bad)
        assert exc.value.code == "document_number"


def test_returned_plans_are_reopened_as_drafts_and_moves_are_frozen_outside_drafts(officer, district):
    d = district
    plan = draft(officer, [(d.a, d.a_tenure, d.posts[1].vice)])
    with pytest.raises(services.ExchangeError) as exc:
        services.plan_return(acting_user=officer, plan=plan, meeting_name="会议", meeting_date=today(), note="")
    assert exc.value.code == "note"
    services.plan_return(acting_user=officer, plan=plan, meeting_name="会议", meeting_date=today(), note="再斟酌")
    assert fresh(plan).state == PlanState.RETURNED
    with pytest.raises(services.ExchangeError) as exc:
        services.move_add(acting_user=officer, plan=plan, person=d.b, from_tenure=d.b_tenure, to_post=d.posts[2].vice)
    assert exc.value.code == "wrong_state"
    services.plan_reopen(acting_user=officer, plan=plan)
    assert fresh(plan).state == PlanState.DRAFT
    with pytest.raises(services.ExchangeError) as exc:
        services.plan_apply(acting_user=officer, plan=plan, first_document_number=DOC.format(y=today().year))
    assert exc.value.code == "wrong_state"


def test_the_state_is_protected_and_transitions_are_table_driven():
    plan = ExchangePlan(title="t", effective_date=dt.date(2026, 9, 1))
    with pytest.raises(AttributeError):
        plan.state = PlanState.APPLIED
    with pytest.raises(TransitionNotAllowed):
        plan.mark_applied(on=dt.date(2026, 9, 1))
    with pytest.raises(TransitionNotAllowed):
        plan.reopen()
    plan.approve(meeting_name="m", meeting_date=dt.date(2026, 8, 1))
    with pytest.raises(TransitionNotAllowed):
        plan.return_for_revision(meeting_name="m", meeting_date=dt.date(2026, 8, 1), note="n")
    plan.mark_applied(on=dt.date(2026, 9, 1))
    assert plan.state == PlanState.APPLIED


def test_only_the_personnel_officer_writes(committee_member, district):
    d = district
    with pytest.raises(services.ExchangeError) as exc:
        services.plan_create(acting_user=committee_member, title="x", effective_date=today())
    assert exc.value.code == "not_officer"
    assert d  # the district exists; nothing was written
    assert not ExchangePlan.objects.exists()


def test_a_move_must_leave_a_current_cadre_post_for_another_school(officer, district):
    d = district
    plan = draft(officer, [])
    with pytest.raises(services.ExchangeError) as exc:
        services.move_add(acting_user=officer, plan=plan, person=d.a, from_tenure=d.b_tenure, to_post=d.posts[1].vice)
    assert exc.value.code == "not_current"
    with pytest.raises(services.ExchangeError) as exc:
        services.move_add(
            acting_user=officer, plan=plan, person=d.a, from_tenure=d.a_tenure, to_post=d.posts[0].principal
        )
    assert exc.value.code == "target"
    services.move_add(acting_user=officer, plan=plan, person=d.a, from_tenure=d.a_tenure, to_post=d.posts[1].vice)
    with pytest.raises(services.ExchangeError) as exc:
        services.move_add(acting_user=officer, plan=plan, person=d.a, from_tenure=d.a_tenure, to_post=d.posts[2].vice)
    assert exc.value.code == "already_in_plan"
    assert plan.moves.get().reason.startswith("在本校任领导职务已")
