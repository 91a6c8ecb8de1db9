"""Pages of the ethics case. Task views are thin: validate the form, call the step's service with the
activation's own process, then `activation.execute()`. The viewflow lists are subclassed only to scope them.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from viewflow.utils import viewprop
from viewflow.workflow import STATUS
from viewflow.workflow.chart import topsort
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.flow import views as flow_views

from audit.services import record_event
from cadres.ethics.models import Sanction
from cadres.ethics.services import EthicsError
from cadres.files import protected_file_response
from cadres.roles import profile_of
from dossiers.selectors import documents_visible_to
from workflows.common.steps import CaseStepView

from . import forms, services
from .actors import may_read_evidence
from .models import EthicsCase, EthicsCaseEvidence
from .selectors import cases_visible_to, deadline_lines, open_tasks

# The case's trail (全程纪实) in words; actions of other apps show under their code.
EVENT_LABELS = {
    "ethics_case_reported": _lazy("报告案件"),
    "ethics_case_investigator_assigned": _lazy("指定调查人员"),
    "ethics_case_investigated": _lazy("调查核实"),
    "ethics_case_statement_submitted": _lazy("陈述申辩"),
    "ethics_case_hearing_held": _lazy("举行听证"),
    "ethics_case_proposed": _lazy("学校提出处理建议"),
    "ethics_case_decided": _lazy("作出处理决定"),
    "ethics_case_decision_issued": _lazy("送达处理决定书"),
    "ethics_case_review_applied": _lazy("申请复核"),
    "ethics_case_review_lapsed": _lazy("复核申请期限届满"),
    "ethics_case_review_answered": _lazy("复核答复"),
    "ethics_case_appeal_applied": _lazy("提出申诉"),
    "ethics_case_appeal_lapsed": _lazy("申诉期限届满"),
    "ethics_case_appeal_extended": _lazy("延长申诉处理期限"),
    "ethics_case_appeal_decided": _lazy("申诉处理"),
    "ethics_case_recusal": _lazy("回避"),
    "ethics_case_evidence_downloaded": _lazy("查阅证据材料"),
}


def case_context(case: EthicsCase, user) -> dict:
    """What every case page shows beside its own content; the evidence only to those who may read it."""
    return {
        "case": case,
        "deadline_lines": deadline_lines(case),
        "evidence": list(case.evidence.all()) if may_read_evidence(user, case) else [],
        "documents": documents_visible_to(user).filter(process_ref=case.ref).order_by("-created_at"),
        "sanctions": Sanction.objects.filter(source_ref=case.ref).order_by("id"),
    }


def _refused(form, exc: EthicsError):
    for message in exc.messages:
        form.add_error(None, message)


# ---------------------------------------------------------------- the steps


class ReportView(FormView):
    """Start: report a case. The activation's process is filled by `ethics_case_report`."""

    form_class = forms.ReportForm
    template_name = "workflows/ethics_case/report.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.ethics_case_report(
                acting_user=self.request.user,
                case=self.request.activation.process,
                teacher=data["teacher"],
                source=data["source"],
                report_text=data["report_text"],
                reported_on=data["reported_on"],
            )
        except EthicsError as exc:
            _refused(form, exc)
            return self.form_invalid(form)
        self.request.activation.execute()
        messages.success(self.request, _("案件已报告，请组织人事科指定调查人员。"))
        return HttpResponseRedirect(self.request.resolver_match.flow_viewset.get_success_url(self.request))


class CaseTaskView(CaseStepView):
    """A human step of the ethics case on the one step pattern (`workflows.common.steps`)."""

    template_name = "workflows/ethics_case/task.html"
    refusal_errors = (EthicsError,)
    refresh_process = False  # the services save the very case they are given (the activation's process)
    success_text = _lazy("已办理。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        task = self.request.activation.task
        extra = case_context(self.case, self.request.user)
        extra.pop("case")  # the base puts it in
        return super().get_context_data(title=task.flow_task.task_title, **extra, **kwargs)

    def add_refusal(self, form, exc) -> None:
        if isinstance(exc, EthicsError):
            _refused(form, exc)
        else:
            super().add_refusal(form, exc)

    def success_url(self) -> str:
        return self.request.resolver_match.flow_viewset.get_success_url(self.request)


class AssignInvestigatorView(CaseTaskView):
    form_class = forms.AssignInvestigatorForm

    def perform(self, form):
        data = form.cleaned_data
        services.ethics_case_investigator_assign(
            acting_user=self.request.user, case=self.case, investigator=data["investigator"]
        )


class InvestigateView(CaseTaskView):
    form_class = forms.InvestigateForm

    def perform(self, form):
        data = form.cleaned_data
        services.ethics_case_investigate(
            acting_user=self.request.user,
            case=self.case,
            findings=data["findings"],
            violations=data["violations"],
            intended_kind=data["intended_kind"],
            regime=data["regime"],
            investigated_on=data["investigated_on"],
            evidence=[(f, data["evidence_note"]) for f in data["evidence"]],
        )


class StatementView(CaseTaskView):
    form_class = forms.StatementForm
    template_name = "workflows/ethics_case/statement.html"

    def perform(self, form):
        data = form.cleaned_data
        services.ethics_case_statement_submit(
            acting_user=self.request.user,
            case=self.case,
            statement=data["statement"],
            defence=data["defence"],
            hearing_requested=data["hearing_requested"],
            waived=data["waived"],
        )


class HearingView(CaseTaskView):
    form_class = forms.HearingForm

    def perform(self, form):
        data = form.cleaned_data
        services.ethics_case_hearing_record(
            acting_user=self.request.user, case=self.case, held_on=data["held_on"], record=data["record"]
        )


class ProposeView(CaseTaskView):
    form_class = forms.ProposeForm

    def get_initial(self):
        return {"kind": self.case.intended_kind}

    def perform(self, form):
        data = form.cleaned_data
        services.ethics_case_propose(
            acting_user=self.request.user,
            case=self.case,
            kind=data["kind"],
            measures=data["plan_measures"],
            reason=data["reason"],
        )


class DecideView(CaseTaskView):
    form_class = forms.DecideForm

    def get_initial(self):
        case = self.case
        scopes = [m for m in case.proposed_measures if m["kind"] == "disqualification"]
        return {
            "kind": case.proposed_kind,
            "measures": [m["kind"] for m in case.proposed_measures if m["kind"] != "disqualification"],
            "disqualify": bool(scopes),
            "scopes": scopes[0]["scopes"] if scopes else [],
            "months": scopes[0]["months"] if scopes else 24,
            "facts": case.findings,
        }

    def perform(self, form):
        data = form.cleaned_data
        services.ethics_case_decide(
            acting_user=self.request.user,
            case=self.case,
            sanctioned=data["sanctioned"],
            kind=data["kind"],
            measures=data["plan_measures"],
            decided_on=data["decided_on"],
            document_number=data["document_number"],
            meeting=data["meeting"],
            facts=data["facts"],
            appeal_body=data["appeal_body"],
        )


class ApplyReviewView(CaseTaskView):
    form_class = forms.ApplyForm
    template_name = "workflows/ethics_case/statement.html"

    def perform(self, form):
        data = form.cleaned_data
        services.ethics_case_review_apply(acting_user=self.request.user, case=self.case, reason=data["reason"])


class AnswerReviewView(CaseTaskView):
    form_class = forms.ReviseForm

    def perform(self, form):
        data = form.cleaned_data
        services.ethics_case_review_answer(
            acting_user=self.request.user,
            case=self.case,
            result=data["result"],
            new_kind=data["new_kind"],
            answer=data["text"],
        )


class ApplyAppealView(CaseTaskView):
    form_class = forms.ApplyForm
    template_name = "workflows/ethics_case/statement.html"

    def perform(self, form):
        data = form.cleaned_data
        services.ethics_case_appeal_apply(acting_user=self.request.user, case=self.case, reason=data["reason"])


class DecideAppealView(CaseTaskView):
    form_class = forms.ReviseForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(extend_form=forms.ExtendForm(case=self.case, user=self.request.user), **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        services.ethics_case_appeal_decide(
            acting_user=self.request.user,
            case=self.case,
            result=data["result"],
            new_kind=data["new_kind"],
            decision=data["text"],
        )


class ExtendAppealView(FormView):
    """Extend the appeal decision period once (outside the task: the decision task stays open)."""

    form_class = forms.ExtendForm
    template_name = "workflows/ethics_case/extend.html"

    def dispatch(self, request, *args, **kwargs):
        self.case = get_object_or_404(cases_visible_to(request.user), pk=kwargs["process_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case, "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**case_context(self.case, self.request.user), **kwargs)

    def form_valid(self, form):
        from .flows import EthicsCaseFlow

        error = None
        with EthicsCaseFlow.lock(self.case.pk), transaction.atomic():
            case = EthicsCase.objects.get(pk=self.case.pk)
            try:
                services.ethics_case_appeal_extend(
                    acting_user=self.request.user, case=case, reason=form.cleaned_data["reason"]
                )
            except EthicsError as exc:
                error = exc
        if error is not None:
            _refused(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("申诉处理期限已延长。"))
        return HttpResponseRedirect(self.request.resolver_match.flow_viewset.reverse("process_detail", args=[case.pk]))


class EvidenceDownloadView(View):
    """An evidence file, under its original name, to a user who sees the case and may read its evidence
    (`actors.may_read_evidence`); anyone else gets 404. Each download is on the audit trail."""

    def get(self, request, process_pk, pk):
        case = get_object_or_404(cases_visible_to(request.user), pk=process_pk)
        if not may_read_evidence(request.user, case):
            raise Http404
        item = get_object_or_404(EthicsCaseEvidence, case=case, pk=pk)
        response = protected_file_response(item.file, filename=item.download_name)
        record_event(actor=request.user, action="ethics_case_evidence_downloaded", obj=case, payload={"evidence": pk})
        return response


# ---------------------------------------------------------------- viewflow pages, scoped


def _visible_ids(user):
    return cases_visible_to(user).values("pk")


class CaseTaskListView(flow_views.DashboardTaskListView):
    @viewprop
    def queryset(self):
        return (
            self.model._default_manager.filter(
                process__flow_class=self.flow_class, process_id__in=_visible_ids(self.request.user)
            )
            .select_related("process")
            .order_by("-created")
        )


class CaseColumnMixin:
    """Task lists name the case (teacher and school), not only the step."""

    columns = ("task_id", "task_title", "case_summary", "created")

    def case_summary(self, task):
        return task.process.coerced.brief

    case_summary.short_description = _lazy("案件")


class CaseDashboardView(flow_views.DashboardView):
    """viewflow's kanban of open tasks per step, over the cases the user may see."""

    def get_context_data(self, **kwargs):
        flow_class, user = self.flow_class, self.request.user
        tasks = flow_class.task_class._default_manager.filter(
            process__flow_class=flow_class, process_id__in=_visible_ids(user)
        ).select_related("process")
        sorted_nodes, _edges = topsort(flow_class)
        columns = [
            {
                "node": node,
                "node_ref": get_task_ref(node),
                "tasks": tasks.filter(Q(finished__isnull=True) | Q(status=STATUS.ERROR), flow_task=node)[
                    : self.MAX_ROWS
                ],
            }
            for node in sorted_nodes
            if node.task_type in ["HUMAN", "JOB", "SUBPROCESS"]
        ]
        end_nodes = [node for node in sorted_nodes if node.task_type == "END"]
        context = {
            "columns": columns,
            "start_nodes": [
                {"node": node, "can_execute": node.can_execute(user)} for node in flow_class.instance.get_start_nodes()
            ],
            "end_nodes": end_nodes,
            "finished": tasks.filter(finished__isnull=False, flow_task__in=end_nodes)[: self.MAX_ROWS],
            **kwargs,
        }
        return TemplateView.get_context_data(self, **context)


class MyCasesView(TemplateView):
    """The teacher's own cases: where each stands, the deadlines, and the steps waiting for them."""

    template_name = "workflows/ethics_case/my_cases.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        profile = profile_of(user)
        if profile is None or profile.person_id is None:
            raise PermissionDenied
        cases = cases_visible_to(user).filter(teacher_id=profile.person_id).order_by("-created")
        rows = []
        for case in cases:
            tasks = list(open_tasks(case))
            rows.append(
                {
                    **case_context(case, user),
                    "waiting": [t for t in tasks if t.owner_id == user.pk],
                    "steps": [t.flow_task.task_title for t in tasks],
                }
            )
        return super().get_context_data(rows=rows, today=timezone.localdate(), **kwargs)
