"""Task views (validate the form → call the service → complete the task when the step is done) and the
pages outside the graph: the teacher's registration page and the judge's scoring page."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from cadres.roles import Role, has_role, is_bureau_user, organization_of, profile_of
from workflows.common.steps import CaseStepView

from . import adjustment, documents, forms, score_import, selectors, services
from .models import Adjustment, Competition, Registration, RegStatus, State


class StepView(CaseStepView):
    """One task page of a competition or an adjustment, on the one step pattern (`workflows.common.steps`)."""

    template_name = "competition/step.html"
    form_class = forms.ConfirmForm
    pass_case = False

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if issubclass(self.get_form_class(), forms.MeetingForm):
            kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        case = self.case
        extra = selectors.case_overview(case) if isinstance(case, Competition) and case.pk else {}
        adj = case if isinstance(case, Adjustment) and case.pk else None
        recorder = ""
        if adj is not None and adj.statement_by_id:
            recorder = adjustment.recorder_name(adj.statement_by)
        return super().get_context_data(
            overview=extra,
            adjustment=adj,
            statement_recorder=recorder,
            **kwargs,
        )


class PlanView(StepView):
    form_class = forms.PlanForm

    def plan_initial(self) -> dict:
        return {}

    def get_form_kwargs(self):
        from . import clock

        return {
            **super().get_form_kwargs(),
            "organization": organization_of(self.request.user),
            "on": clock.today(),
            "plan": self.plan_initial(),
        }

    def get_context_data(self, **kwargs):
        from . import clock
        from .pool import pool_people_by_post

        org = organization_of(self.request.user)
        pool = pool_people_by_post(org, clock.today()) if org else []
        return super().get_context_data(pool=pool, **kwargs)

    def perform(self, form):
        case = self.activation.process
        services.plan_save(
            competition=case,
            acting_user=self.request.user,
            organization=organization_of(self.request.user),
            plan=form.plan(),
        )


class RevisePlanView(PlanView):
    def plan_initial(self) -> dict:
        return self.case.plan or {}

    def perform(self, form):
        services.plan_resubmit(competition=self.case, acting_user=self.request.user, plan=form.plan())


class MeetingStepView(StepView):
    """A school 党组织会议 step: record attendance and votes through `record_meeting`, then its vote record."""

    form_class = forms.MeetingForm
    record_meeting = None  # a services.*_meeting_record function, wrapped in staticmethod

    def meeting_votes(self, form):
        raise ImproperlyConfigured("MeetingStepView subclasses say which votes the form collects")

    def vote_items(self) -> list[tuple[str, str]]:
        return [(services.PLAN_ITEM, _("实施方案"))]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "items": self.vote_items()}

    def perform(self, form):
        d = form.cleaned_data
        meeting = self.record_meeting(
            competition=self.case,
            acting_user=self.request.user,
            held_on=d["held_on"],
            name=d["name"],
            form=d["form"],
            members=d["members"],
            present=d["present"],
            votes=self.meeting_votes(form),
        )
        documents.vote_record(self.case, meeting, acting_user=self.request.user)


class PlanMeetingView(MeetingStepView):
    record_meeting = staticmethod(services.plan_meeting_record)

    def meeting_votes(self, form):
        return form.single_votes()


class FilingView(StepView):
    form_class = forms.FilingForm

    def perform(self, form):
        services.filing_decide(competition=self.case, acting_user=self.request.user, **form.cleaned_data)


class AnnounceView(StepView):
    def perform(self, form):
        case = services.announce(competition=self.case, acting_user=self.request.user)
        documents.announcement(case, acting_user=self.request.user)


class CloseRegistrationView(StepView):
    def get_context_data(self, **kwargs):
        url = self.activation.flow_class.instance.reverse("paper_registration", args=[self.case.pk])
        return super().get_context_data(paper_registration_url=url, **kwargs)

    def perform(self, form):
        case = services.registration_close(competition=self.case, acting_user=self.request.user)
        documents.registration_list(case, acting_user=self.request.user)


class QualificationView(StepView):
    form_class = forms.QualificationForm
    pass_case = True

    def perform(self, form):
        services.qualification_decide(acting_user=self.request.user, **form.cleaned_data)

    def step_complete(self):
        if not services.qualification_complete(self.case):
            return False
        case = services.qualification_finish(competition=self.case, acting_user=self.request.user)
        documents.qualification_results(case, acting_user=self.request.user)
        return True


class ScoringView(StepView):
    form_class = forms.ScoringForm
    pass_case = True

    def perform(self, form):
        d, user, case = form.cleaned_data, self.request.user, self.case
        action = d["action"]
        if action == "assign":
            if not d.get("post") or not d.get("judges"):
                raise ValidationError(_("请选择岗位和评委。"))
            services.judges_assign(competition=case, acting_user=user, post=d["post"], judges=list(d["judges"]))
        elif action == "open":
            services.sitting_open(competition=case, acting_user=user)
        elif action == "paper":
            if not d.get("registration") or not d.get("judge"):
                raise ValidationError(_("请选择竞聘人和评委。"))
            sheet = services.paper_entry(
                registration=d["registration"], acting_user=user, judge=d["judge"], scores=form.score_list()
            )
            if sheet is not None:
                documents.score_sheet(sheet, acting_user=user)
        elif action == "other":
            if not d.get("registration"):
                raise ValidationError(_("请选择竞聘人。"))
            services.other_scores_enter(
                registration=d["registration"],
                acting_user=user,
                evaluation=d.get("evaluation"),
                performance=d.get("performance"),
            )
        else:
            services.sitting_close(competition=case, acting_user=user)

    def step_complete(self):
        return Competition.objects.get(pk=self.case.pk).state == State.SCORED

    def get_context_data(self, **kwargs):
        flow = self.activation.flow_class.instance
        case = self.case
        upload = {
            "import_url": flow.reverse("score_import", args=[case.pk]),
            "template_url": flow.reverse("score_template", args=[case.pk]),
            "open": case.state == State.SITTING_OPEN,
            "form": forms.ScoreImportForm(initial={"next": self.request.get_full_path()}),
        }
        return super().get_context_data(score_import=upload, **kwargs)


class RankingView(StepView):
    def perform(self, form):
        services.ranking_compute(competition=self.case, acting_user=self.request.user)
        documents.score_summary(Competition.objects.get(pk=self.case.pk), acting_user=self.request.user)


class InspectionView(StepView):
    form_class = forms.InspectionForm
    pass_case = True

    def perform(self, form):
        services.inspection_record(acting_user=self.request.user, **form.cleaned_data)

    def step_complete(self):
        if not services.inspection_complete(self.case):
            return False
        services.inspection_finish(competition=self.case, acting_user=self.request.user)
        return True


class DecisionView(MeetingStepView):
    record_meeting = staticmethod(services.decision_meeting_record)

    def vote_items(self):
        regs = self.case.registrations.filter(status=RegStatus.SHORTLISTED).select_related("person", "post")
        return [(str(r.pk), f"{r.person.name}（{r.post.name}）") for r in regs.order_by("post_id", "rank", "pk")]

    def meeting_votes(self, form):
        return form.candidate_votes()

    def get_context_data(self, **kwargs):
        from workflows.teams.previews import competition_decision_impacts

        from . import clock

        kwargs.setdefault("team_impacts", competition_decision_impacts(self.case, on=clock.today()))
        return super().get_context_data(**kwargs)

    def step_complete(self):
        return services.decision_settled(Competition.objects.get(pk=self.case.pk))


class PublicityView(StepView):
    form_class = forms.PublicityForm

    def perform(self, form):
        case = services.publicity_open(competition=self.case, acting_user=self.request.user, **form.cleaned_data)
        documents.public_notice(case, acting_user=self.request.user)


class AppointView(StepView):
    form_class = forms.AppointForm

    def perform(self, form):
        services.appointment_make(competition=self.case, acting_user=self.request.user, **form.cleaned_data)
        documents.appointment_notice(Competition.objects.get(pk=self.case.pk), acting_user=self.request.user)


class ReportView(StepView):
    form_class = forms.ReportForm

    def perform(self, form):
        services.report_file(competition=self.case, acting_user=self.request.user, **form.cleaned_data)


class ProbationView(StepView):
    form_class = forms.ProbationForm
    pass_case = True

    def perform(self, form):
        services.probation_conclude(acting_user=self.request.user, **form.cleaned_data)

    def step_complete(self):
        if not services.probation_complete(self.case):
            return False
        services.probation_finish(competition=self.case, acting_user=self.request.user)
        return True


# --- 能上能下 ---------------------------------------------------------------------------------------------


class ProposalView(StepView):
    form_class = forms.ProposalForm

    def _school(self):
        return None if is_bureau_user(self.request.user) else organization_of(self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organization": self._school()}

    def get_context_data(self, **kwargs):
        from . import clock

        org = self._school()
        suggested = adjustment.candidates_for_adjustment(org, clock.today()) if org else []
        return super().get_context_data(suggested=suggested, **kwargs)

    def perform(self, form):
        adjustment.adjustment_propose(case=self.activation.process, acting_user=self.request.user, **form.cleaned_data)


class StatementView(StepView):
    """本人陈述: the person's own page; for a person without an account, the bureau officer's (代为录入)."""

    form_class = forms.StatementForm

    def get_context_data(self, **kwargs):
        case = self.case
        on_behalf = adjustment.account_of(case.tenure.person) is None if case.tenure_id else False
        return super().get_context_data(statement_on_behalf=on_behalf, **kwargs)

    def perform(self, form):
        adjustment.adjustment_statement(case=self.case, acting_user=self.request.user, **form.cleaned_data)


class AdjustmentDecisionView(StepView):
    form_class = forms.MeetingForm

    def get_form_kwargs(self):
        name = self.case.tenure.person.name
        return {**super().get_form_kwargs(), "items": [(name, _("调整%(name)s的职务") % {"name": name})]}

    def get_context_data(self, **kwargs):
        from workflows.teams.previews import adjustment_decision_impacts

        from . import clock

        kwargs.setdefault("team_impacts", adjustment_decision_impacts(self.case, on=clock.today()))
        return super().get_context_data(**kwargs)

    def perform(self, form):
        d = form.cleaned_data
        case = adjustment.adjustment_decide(
            case=self.case,
            acting_user=self.request.user,
            held_on=d["held_on"],
            name=d["name"],
            form=d["form"],
            members=d["members"],
            present=d["present"],
            votes=form.single_votes(),
        )
        documents.adjustment_decision(case, acting_user=self.request.user)


class AdjustmentReportView(StepView):
    form_class = forms.AdjustmentReportForm

    def perform(self, form):
        adjustment.adjustment_report_file(case=self.case, acting_user=self.request.user, **form.cleaned_data)


class AdjustmentReportReviewView(StepView):
    form_class = forms.AdjustmentReviewForm

    def perform(self, form):
        adjustment.adjustment_report_review(case=self.case, acting_user=self.request.user, **form.cleaned_data)


# --- Pages outside the graph ------------------------------------------------------------------------------


class RegisterPage(TemplateView):
    """A teacher's own registrations: open competitions of their school, register and withdraw."""

    template_name = "competition/register.html"

    def dispatch(self, request, *args, **kwargs):
        profile = profile_of(request.user)
        if not has_role(request.user, Role.TEACHER) or profile is None or not profile.person_id:
            raise PermissionDenied
        self.person = profile.person
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            competitions=selectors.open_for_registration(self.person),
            mine=Registration.objects.filter(person=self.person).select_related("post", "competition"),
            errors=kwargs.pop("errors", []),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            if request.POST.get("action") == "withdraw":
                reg = get_object_or_404(Registration, pk=request.POST.get("registration"), person=self.person)
                services.registration_withdraw(registration=reg, acting_user=request.user)
                messages.success(request, _("已撤回报名。"))
            else:
                case = get_object_or_404(
                    Competition, pk=request.POST.get("competition"), organization_id=self.person.organization_id
                )
                post = get_object_or_404(case.organization.posts, pk=request.POST.get("post"))
                services.registration_submit(competition=case, acting_user=request.user, person=self.person, post=post)
                messages.success(request, _("报名成功。"))
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(errors=exc.messages), status=400)
        return HttpResponseRedirect(request.path)


class PaperRegistrationPage(TemplateView):
    """代为录入纸质报名表: the bureau's personnel officer or the school's secretary enters a candidate's signed
    paper form (the candidate needs no account); the list shows how each registration was entered."""

    template_name = "competition/paper_registration.html"

    def dispatch(self, request, *args, **kwargs):
        self.case = get_object_or_404(selectors.competitions_visible_to(request.user), pk=kwargs["pk"])
        if not services.may_enter_paper_registrations(request.user, self.case):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            case=self.case,
            registrations=self.case.registrations.select_related("person__organization", "post", "entered_by")
            .select_related("entered_by__profile__person")
            .order_by("post_id", "registered_at", "pk"),
            form=kwargs.pop("form", None) or self.make_form(),
            errors=kwargs.pop("errors", []),
            **kwargs,
        )

    def make_form(self, data=None):
        from cadres.picker import bind_user

        form = forms.PaperRegistrationForm(data, case=self.case)
        bind_user(form, self.request.user)
        return form

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        post = get_object_or_404(self.case.organization.posts, pk=form.cleaned_data["post"])
        try:
            services.registration_enter(
                competition=self.case, acting_user=request.user, person=form.cleaned_data["person"], post=post
            )
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(form=form, errors=exc.messages), status=400)
        messages.success(request, _("已代为录入%(name)s的纸质报名表。") % {"name": form.cleaned_data["person"].name})
        return HttpResponseRedirect(request.path)


class SchoolCaseMixin:
    """A page of one competition for its own school's secretary (another school gets 404, others 403)."""

    @staticmethod
    def _flow():
        from .flows import CompetitionFlow

        return CompetitionFlow.instance

    def dispatch(self, request, *args, **kwargs):
        from .actors import SCHOOL_STEP

        self.case = get_object_or_404(selectors.competitions_visible_to(request.user), pk=kwargs["pk"])
        if not SCHOOL_STEP.rule_allows(request.user, self.case):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ObjectionPage(SchoolCaseMixin, TemplateView):
    """公示期间反映问题: the school's secretary records each one and its finding (the appointment waits)."""

    template_name = "competition/objections.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            case=self.case,
            objections=self.case.objections.select_related("subject"),
            form=kwargs.pop("form", None) or forms.ObjectionForm(case=self.case),
            resolve_form=forms.ObjectionResolveForm(),
            errors=kwargs.pop("errors", []),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            if request.POST.get("action") == "resolve":
                form = forms.ObjectionResolveForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("请填写核查结论。"))
                objection = get_object_or_404(self.case.objections, pk=form.cleaned_data["objection"])
                services.objection_resolve(
                    objection=objection,
                    acting_user=request.user,
                    upheld=form.cleaned_data["upheld"],
                    finding=form.cleaned_data["finding"],
                )
            else:
                form = forms.ObjectionForm(request.POST, case=self.case)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(form=form), status=400)
                services.objection_record(competition=self.case, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(errors=exc.messages), status=400)
        messages.success(request, _("已保存。"))
        return HttpResponseRedirect(request.path)


class ScoreImportPage(SchoolCaseMixin, TemplateView):
    """Upload the 民主测评 and 工作业绩 scores of the qualified candidates as a workbook (all rows or none)."""

    template_name = "competition/score_import.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            case=self.case,
            candidates=score_import.candidates(self.case),
            template_url=self._flow().reverse("score_template", args=[self.case.pk]),
            form=kwargs.pop("form", None) or forms.ScoreImportForm(),
            errors=kwargs.pop("errors", []),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = forms.ScoreImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            rows = score_import.other_scores_import(
                competition=self.case, acting_user=request.user, file=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(errors=exc.messages), status=400)
        messages.success(request, _("已导入%(n)s名竞聘人的民主测评和工作业绩成绩。") % {"n": len(rows)})
        target = form.cleaned_data.get("next") or ""
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = request.path
        return HttpResponseRedirect(target)


class ScoreTemplateView(SchoolCaseMixin, View):
    """The score workbook to fill in, prefilled with the case's qualified candidates."""

    def get(self, request, *args, **kwargs):
        filename = _("民主测评和工作业绩成绩-%(title)s.xlsx") % {"title": self.case.title or self.case.pk}
        return FileResponse(
            io.BytesIO(score_import.score_template(self.case)),
            as_attachment=True,
            filename=filename,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


class JudgePage(TemplateView):
    """A judge's sheets: candidates of the posts they are assigned to, while the sitting is open."""

    template_name = "competition/judge.html"

    def dispatch(self, request, *args, **kwargs):
        if not has_role(request.user, Role.JUDGE):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rows=selectors.judge_rows(self.request.user), errors=kwargs.pop("errors", []), **kwargs
        )

    def post(self, request, *args, **kwargs):
        data = request.POST.copy()
        if data.getlist("score") and not data.get("scores"):
            data["scores"] = ",".join(data.getlist("score"))
        form = forms.SheetForm(data)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(errors=[_("评分表填写不完整。")]), status=400)
        reg = get_object_or_404(Registration, pk=form.cleaned_data["registration"], status=RegStatus.QUALIFIED)
        try:
            sheet = services.sheet_submit(
                registration=reg,
                acting_user=request.user,
                scores=forms._names(form.cleaned_data["scores"]),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(errors=exc.messages), status=400)
        documents.score_sheet(sheet, acting_user=request.user)
        messages.success(request, _("评分表已提交并锁定。"))
        return HttpResponseRedirect(request.path)


__all__ = ["Adjustment"]
