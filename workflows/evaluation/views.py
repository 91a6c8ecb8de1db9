"""Pages of 年度考核 and 任期管理. Thin: read the POST, call one service, show its Chinese refusal or go on.

Scope: `selectors.evaluations_visible_to` / `terms_visible_to` (404 outside); the services decide who may
write. Dates come from the form and are checked by the services (never after today).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from cadres import choices as c
from cadres.files import protected_file_response

from . import clock, selectors, services
from .models import CADRE_GRADE_CHOICES, YearState, grade_label
from .params import RulesMissing, evaluation_params, excellent_rule_text
from .poll import CATEGORY_KEYS, GRADE_KEYS, POLL_CATEGORIES, POLL_GRADES


class PagesRequired:
    """Bureau users and school secretaries (403 otherwise); a missing rule set is said in Chinese, not a 500."""

    def dispatch(self, request, *args, **kwargs):
        if not selectors.may_open_pages(request.user):
            raise PermissionDenied
        try:
            return super().dispatch(request, *args, **kwargs)
        except RulesMissing as exc:
            return render(request, "evaluation/no_rules.html", {"message": "；".join(exc.messages)}, status=503)


def _date(post, name: str, label: str) -> dt.date:
    value = (post.get(name) or "").strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise services.EvaluationError(_("%(l)s不是有效日期，请按“年-月-日”填写。") % {"l": label}) from None


def _refusal(request, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


def _years_choice(request) -> int:
    try:
        return int(request.GET.get("year") or clock.today().year - 1)
    except ValueError:
        return clock.today().year - 1


class YearListView(PagesRequired, TemplateView):
    template_name = "evaluation/year_list.html"

    def get_context_data(self, **kwargs):
        year = _years_choice(self.request)
        user = self.request.user
        years = selectors.evaluations_visible_to(user).filter(year=year).annotate(assessed=Count("assessments"))
        opened = {e.organization_id: e for e in years}
        rows = [
            {"organization": org, "evaluation": opened.get(org.pk), "may_open": services.may_run_unit(user, org)}
            for org in selectors.organizations_in_scope(user)
        ]
        this_year = clock.today().year
        return super().get_context_data(
            year=year, years=list(range(this_year, this_year - 6, -1)), rows=rows, today=clock.today(), **kwargs
        )

    def post(self, request, *args, **kwargs):
        org = get_object_or_404(selectors.organizations_in_scope(request.user), pk=request.POST.get("organization"))
        try:
            year = int(request.POST.get("year", ""))
            evaluation = services.evaluation_year_open(
                acting_user=request.user, organization=org, year=year, opened_on=clock.today()
            )
        except ValueError:
            messages.error(request, _("年度无效。"))
            return redirect(request.path)
        except ValidationError as exc:
            _refusal(request, exc)
            return redirect(f"{request.path}?year={request.POST.get('year', '')}")
        return redirect("evaluation:years:detail", pk=evaluation.pk)


def _grade_options(cap: str) -> list[tuple[str, str, bool]]:
    """(value, label, allowed) for the grade pickers: a grade above the cap is shown but marked."""
    return [(v, label, services.grade_within_cap(v, cap)) for v, label in CADRE_GRADE_CHOICES]


class YearDetailView(PagesRequired, TemplateView):
    template_name = "evaluation/year_detail.html"

    def get_context_data(self, **kwargs):
        evaluation = get_object_or_404(selectors.evaluations_visible_to(self.request.user), pk=self.kwargs["pk"])
        user = self.request.user
        if evaluation.state in (YearState.DRAFT, YearState.PROPOSED):
            assessments = services.refresh_caps(evaluation)  # shown before proposing: each cap and its reason
        else:
            assessments = list(evaluation.assessments.select_related("person"))
        kept = self.request.session.pop(f"evaluation-{evaluation.pk}-grades", {})
        rows = []
        for a in assessments:
            totals = a.poll_totals()
            rows.append(
                {
                    "a": a,
                    "totals": [totals[g] for g in GRADE_KEYS],
                    "cap": grade_label(a.cap_grade),
                    "proposed": grade_label(a.proposed_grade),
                    "picked": kept.get(f"grade-{a.pk}") or a.proposed_grade,
                    "confirmed": grade_label(a.confirmed_grade),
                    "options": _grade_options(a.cap_grade),
                    "cells": [
                        (
                            klabel,
                            [(k, g, glabel, (a.poll_counts or {}).get(k, {}).get(g, 0)) for g, glabel in POLL_GRADES],
                        )
                        for k, klabel in POLL_CATEGORIES
                    ],
                }
            )
        params = evaluation_params(services.year_end(evaluation.year))
        may_run = services.may_run_unit(user, evaluation.organization)
        return super().get_context_data(
            evaluation=evaluation,
            rows=rows,
            categories=POLL_CATEGORIES,
            poll_grades=POLL_GRADES,
            attended=[(k, label, (evaluation.attended or {}).get(k, 0)) for k, label in POLL_CATEGORIES],
            excellent_text=excellent_rule_text(params, len(rows)),
            may_run=may_run,
            is_officer=services.is_officer(user),
            excellent=[r for r in rows if r["a"].confirmed_grade == c.AppraisalGrade.EXCELLENT],
            objections=evaluation.objections.select_related("assessment__person"),
            objected=[r["a"] for r in rows if r["a"].pk in {o.assessment_id for o in evaluation.objections.all()}],
            lower_grades=[(v, label) for v, label in CADRE_GRADE_CHOICES if v not in ("excellent", "unrated")],
            today=clock.today().isoformat(),
            **kwargs,
        )


def _poll_from_post(post, assessments) -> tuple[dict, dict]:
    attended = {k: post.get(f"attended-{k}", "") for k in CATEGORY_KEYS}
    counts = {
        a.pk: {k: {g: post.get(f"poll-{a.pk}-{k}-{g}", "") for g in GRADE_KEYS} for k in CATEGORY_KEYS}
        for a in assessments
    }
    return attended, counts


class YearActionView(PagesRequired, View):
    """POST one step of a year: poll, propose, send_back, confirm, publicise, objection, finalise."""

    def post(self, request, pk, action):
        evaluation = get_object_or_404(selectors.evaluations_visible_to(request.user), pk=pk)
        handler = getattr(self, f"do_{action}", None)
        if handler is None:
            raise Http404
        try:
            handler(request, evaluation)
        except ValidationError as exc:
            _refusal(request, exc)
            # keep the grades the user picked, so a refused proposal is corrected, not typed again
            grades = {k: v for k, v in request.POST.items() if k.startswith("grade-")}
            request.session[f"evaluation-{evaluation.pk}-grades"] = grades
        return redirect("evaluation:years:detail", pk=evaluation.pk)

    def do_poll(self, request, evaluation):
        assessments = list(evaluation.assessments.all())
        attended, counts = _poll_from_post(request.POST, assessments)
        services.evaluation_poll_record(
            acting_user=request.user,
            evaluation=evaluation,
            polled_on=_date(request.POST, "polled_on", _("测评日期")),
            attended=attended,
            counts=counts,
        )
        messages.success(request, _("民主测评票数已保存。"))

    def do_propose(self, request, evaluation):
        grades = {a.pk: request.POST.get(f"grade-{a.pk}", "") for a in evaluation.assessments.all()}
        services.evaluation_propose(
            acting_user=request.user,
            evaluation=evaluation,
            grades=grades,
            proposed_on=_date(request.POST, "proposed_on", _("提出日期")),
        )
        messages.success(request, _("拟定等次已提出。"))

    def do_send_back(self, request, evaluation):
        services.evaluation_send_back(
            acting_user=request.user, evaluation=evaluation, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("已退回学校。"))

    def do_confirm(self, request, evaluation):
        assessments = list(evaluation.assessments.all())
        services.evaluation_confirm(
            acting_user=request.user,
            evaluation=evaluation,
            meeting_on=_date(request.POST, "meeting_on", _("会议日期")),
            meeting_name=request.POST.get("meeting_name", ""),
            grades={a.pk: request.POST.get(f"grade-{a.pk}", "") for a in assessments},
            notes={a.pk: request.POST.get(f"note-{a.pk}", "") for a in assessments},
        )
        messages.success(request, _("会议确定结果已记录。"))

    def do_publicise(self, request, evaluation):
        services.evaluation_publicise(
            acting_user=request.user, evaluation=evaluation, start=_date(request.POST, "start", _("公示开始日期"))
        )
        messages.success(request, _("优秀等次公示已开始。"))

    def do_objection(self, request, evaluation):
        assessment = get_object_or_404(evaluation.assessments, pk=request.POST.get("assessment") or 0)
        services.evaluation_objection_record(
            acting_user=request.user,
            evaluation=evaluation,
            assessment=assessment,
            received_on=_date(request.POST, "received_on", _("收到日期")),
            text=request.POST.get("text", ""),
        )
        messages.success(request, _("公示异议已记录。"))

    def do_finalise(self, request, evaluation):
        upheld = {a.pk: request.POST.get(f"upheld-{a.pk}", "") for a in evaluation.assessments.all()}
        services.evaluation_finalise(
            acting_user=request.user,
            evaluation=evaluation,
            finalised_on=_date(request.POST, "finalised_on", _("办结日期")),
            upheld={pk: g for pk, g in upheld.items() if g},
        )
        messages.success(request, _("考核结果已写入干部年度考核记录。"))


class ReportUploadView(PagesRequired, View):
    def post(self, request, pk, assessment_pk):
        evaluation = get_object_or_404(selectors.evaluations_visible_to(request.user), pk=pk)
        assessment = get_object_or_404(evaluation.assessments, pk=assessment_pk)
        try:
            services.evaluation_report_upload(
                acting_user=request.user,
                assessment=assessment,
                upload=request.FILES.get("report"),
                summary=request.POST.get("summary", ""),
            )
            messages.success(request, _("述职述廉报告已保存。"))
        except ValidationError as exc:
            _refusal(request, exc)
        return redirect("evaluation:years:detail", pk=evaluation.pk)


class ReportDownloadView(PagesRequired, View):
    """The report leaves only to users who see the unit's year (404 otherwise, or when none was uploaded)."""

    def get(self, request, pk, assessment_pk):
        evaluation = get_object_or_404(selectors.evaluations_visible_to(request.user), pk=pk)
        assessment = get_object_or_404(evaluation.assessments, pk=assessment_pk)
        if not assessment.report:
            raise Http404
        return protected_file_response(assessment.report, filename=assessment.report_name or None)


def adjustment_start_url() -> str:
    try:
        return reverse("adjustment:propose:execute")
    except NoReverseMatch:
        return ""


class AdjustmentListView(PagesRequired, TemplateView):
    template_name = "evaluation/adjustment_list.html"

    def get_context_data(self, **kwargs):
        year = _years_choice(self.request)
        this_year = clock.today().year
        return super().get_context_data(
            year=year,
            years=list(range(this_year, this_year - 6, -1)),
            listed=selectors.adjustment_list(self.request.user, year=year),
            start_url=adjustment_start_url(),
            **kwargs,
        )


class TermListView(PagesRequired, TemplateView):
    template_name = "evaluation/term_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            ending=selectors.terms_ending(user, on=clock.today()),
            counts=selectors.term_counts_by_school(user, on=clock.today()),
            is_officer=services.is_officer(user),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            made = services.terms_open_for_current_leaders(acting_user=request.user, on=clock.today())
            messages.success(request, _("已为%(n)d名现任校级领导建立任期。") % {"n": made})
        except ValidationError as exc:
            _refusal(request, exc)
        return redirect("evaluation:terms:index")


class TermDetailView(PagesRequired, TemplateView):
    template_name = "evaluation/term_detail.html"

    def get_context_data(self, **kwargs):
        term = get_object_or_404(selectors.terms_visible_to(self.request.user), pk=self.kwargs["pk"])
        return super().get_context_data(
            term=term,
            categories=POLL_CATEGORIES,
            poll_grades=POLL_GRADES,
            grades=[(v, label) for v, label in CADRE_GRADE_CHOICES if v != c.AppraisalGrade.UNRATED],
            grade=grade_label(term.review_grade),
            may_run=services.may_run_unit(self.request.user, term.organization),
            is_officer=services.is_officer(self.request.user),
            today=clock.today().isoformat(),
            **kwargs,
        )

    def post(self, request, pk):
        term = get_object_or_404(selectors.terms_visible_to(request.user), pk=pk)
        try:
            if request.POST.get("action") == "goals":
                services.term_goals_record(
                    acting_user=request.user,
                    term=term,
                    goals=request.POST.get("goals", ""),
                    recorded_on=_date(request.POST, "recorded_on", _("目标确定日期")),
                )
                messages.success(request, _("任期目标已保存。"))
            else:
                attended = {k: request.POST.get(f"attended-{k}", "") for k in CATEGORY_KEYS}
                counts = {k: {g: request.POST.get(f"poll-{k}-{g}", "") for g in GRADE_KEYS} for k in CATEGORY_KEYS}
                services.term_review_record(
                    acting_user=request.user,
                    term=term,
                    attended=attended,
                    counts=counts,
                    grade=request.POST.get("grade", ""),
                    reviewed_on=_date(request.POST, "reviewed_on", _("任期考核日期")),
                )
                messages.success(request, _("任期考核已记录。"))
        except ValidationError as exc:
            _refusal(request, exc)
        return redirect("evaluation:terms:detail", pk=term.pk)
