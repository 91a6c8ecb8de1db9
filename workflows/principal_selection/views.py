"""Task views: validate the form, call the service, complete the task when the step is done.

A step that collects several records (one per candidate, two rounds, two signatures) stays open until
its service says the step is complete; each submission is saved on its own.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView

from cadres.person_search import person_labels
from cadres.picker import bind_user
from cadres.refusals import add_refusal_to_form
from cadres.roles import Role, has_role
from workflows.common.steps import CaseStepView

from . import forms, services


class StepView(CaseStepView):
    """One task page of principal selection: the case summary, the records so far, the form."""

    template_name = "principal_selection/step.html"
    claim_on_save = True  # a partial save takes the task, so a colleague cannot interleave records
    refresh_process = False  # the services save the very case they are given (the activation's process)

    def get_form(self, form_class=None):
        """The form, its person pickers (and those of its row formsets) bound to the user whose scope they check."""
        form = super().get_form(form_class)
        bind_user(form, self.request.user)
        for rows in getattr(form, "formsets", ()):
            bind_user(rows, self.request.user)
        return form

    def get_context_data(self, **kwargs):
        from .selectors import case_overview

        return super().get_context_data(overview=case_overview(self.case), **kwargs)


class ProposeView(StepView):
    form_class = forms.ProposeForm
    pass_case = False

    @property
    def case(self):
        return self.activation.process

    def get_context_data(self, **kwargs):
        return FormView.get_context_data(self, step_title=_("动议"), **kwargs)

    def perform(self, form):
        d = form.cleaned_data
        services.case_propose(
            case=self.activation.process,
            acting_user=self.request.user,
            post=d["post"],
            started_on=d["started_on"],
            method=d["method"],
            posts_to_fill=d["posts_to_fill"],
            scope=d["scope"],
            plan=d["plan"],
            exceptional=d["exceptional"],
            exceptional_reason=d["exceptional_reason"],
            qualification_overrides=form.overrides(),
        )


class ApproveExceptionView(StepView):
    form_class = forms.ApproveExceptionForm
    pass_case = False

    def perform(self, form):
        services.exception_decide(case=self.case, acting_user=self.request.user, **form.cleaned_data)


def _ballots_url(case) -> str:
    """The case's 电子投票 page (workflows.ballots), linked from the recommend and inspect pages."""
    return case.flow_class.instance.reverse("ballots", args=[case.pk])


class RecommendView(StepView):
    """民主推荐 by rows, in two posts: the first shows the tally the service computes (`recommendation_tally`:
    ranks, shares, the meeting quorum) with the figures kept in the form; a second post with `confirm` and
    the same figures saves the round (`recommendation_record`). Changed figures are previewed again."""

    form_class = forms.RecommendForm
    template_name = "principal_selection/recommend.html"
    pass_case = False

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            ballots_url=_ballots_url(self.case),
            ready_to_complete=services.recommendation_complete(self.case),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        # Rounds counted by electronic ballots reach the step without this form: finish the step on request.
        if request.POST.get("action") == "complete":
            if not services.recommendation_complete(self.case):
                messages.error(request, _("谈话调研推荐和会议推荐均已记录后，才能完成民主推荐。"))
                return HttpResponseRedirect(request.get_full_path())
            self.activation.execute()
            messages.success(request, _("“%(step)s”已完成。") % {"step": self.activation.flow_task.task_title})
            return HttpResponseRedirect(self.case.flow_class.instance.reverse("process_detail", args=[self.case.pk]))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        post = self.request.POST
        if post.get("confirm") and post.get("fingerprint") == form.fingerprint():
            return super().form_valid(form)
        try:
            tally = services.recommendation_tally(case=self.case, **form.cleaned_data)
        except (ValidationError, *self.refusal_errors) as exc:
            self.add_refusal(form, exc)
            return self.form_invalid(form)
        if post.get("confirm"):
            form.add_error(None, _("预览后数字有改动，请核对新的计票结果后再确认保存。"))
        lines = person_labels([row["person"] for row in tally["rows"]])
        for row in tally["rows"]:
            row["line"] = lines.get(row["person_id"], row["name"])
        return self.render_to_response(self.get_context_data(form=form, preview=tally, fingerprint=form.fingerprint()))

    def perform(self, form):
        from .documents import recommendation_tally_document

        d = form.cleaned_data
        services.recommendation_record(
            case=self.case,
            acting_user=self.request.user,
            form=d["form"],
            held_on=d["held_on"],
            voters=d["voters"],
            votes=d["votes"],
        )
        if services.recommendation_complete(self.case):
            recommendation_tally_document(self.case, acting_user=self.request.user)

    def step_complete(self):
        return services.recommendation_complete(self.case)


class ShortlistView(StepView):
    form_class = forms.ShortlistForm

    def perform(self, form):
        d = form.cleaned_data
        services.candidates_shortlist(
            case=self.case, acting_user=self.request.user, people=list(d["people"]), team=list(d["team"]), on=d["on"]
        )


class InspectView(StepView):
    form_class = forms.InspectForm

    def get_context_data(self, **kwargs):
        from workflows.ballots.selectors import evaluation_rounds_of

        return super().get_context_data(
            ballots_url=_ballots_url(self.case), evaluation_rounds=evaluation_rounds_of(self.case), **kwargs
        )

    def perform(self, form):
        d = form.cleaned_data
        services.inspection_record(
            case=self.case,
            acting_user=self.request.user,
            candidate=d["candidate"],
            talks=d["talks"],
            evaluation={k: d[k] for k in ("excellent", "competent", "basic", "incompetent")},
            report=form.report(),
        )

    def step_complete(self):
        return services.inspection_complete(self.case)


class CheckView(StepView):
    """One of the four musts, per candidate; done when every candidate has it."""

    def perform(self, form):
        d = form.cleaned_data
        services.check_record(
            case=self.case,
            acting_user=self.request.user,
            candidate=d["candidate"],
            kind=form.kind,
            figures=form.figures(),
            passed=d.get("passed", True),
        )

    def step_complete(self):
        return services.check_complete(self.case, self.form_class.kind)


class DossierReviewView(CheckView):
    """档案必审: the first submission previews, field by field, where the dossier differs from the registry
    (and whether the ID card contradicts a birth month); the second records the review and proposes each
    difference as a registry correction for an officer to confirm (`cadres.corrections`)."""

    form_class = forms.DossierReviewForm
    template_name = "principal_selection/dossier_review.html"

    def form_valid(self, form):
        if form.cleaned_data.get("previewed") == form.digest():
            return super().form_valid(form)
        from cadres.corrections import id_card_conflict

        person = form.cleaned_data["candidate"].person
        try:
            diffs = services.dossier_differences(person, form.figures())
        except ValidationError as exc:
            add_refusal_to_form(form, exc)
            return self.form_invalid(form)
        data = self.request.POST.copy()
        data["previewed"] = form.digest()
        confirm_form = self.get_form_class()(**{**self.get_form_kwargs(), "data": data})
        bind_user(confirm_form, self.request.user)
        confirm_form.is_valid()
        preview = [{"diff": d, "conflict": id_card_conflict(person, d.field, d.new)} for d in diffs]
        return self.render_to_response(
            self.get_context_data(form=confirm_form, preview=preview, preview_person=person, previewing=True)
        )


class PersonalMattersView(CheckView):
    form_class = forms.PersonalMattersForm


class DisciplineOpinionView(CheckView):
    form_class = forms.DisciplineOpinionForm


class PetitionCheckView(CheckView):
    form_class = forms.PetitionCheckForm


class IntegritySignoffView(StepView):
    form_class = forms.SignoffForm
    pass_case = False
    claim_on_save = False  # two signers, each in their own capacity

    def perform(self, form):
        user = self.request.user
        role = Role.COMMITTEE_MEMBER if has_role(user, Role.COMMITTEE_MEMBER) else Role.DISCIPLINE_INSPECTOR
        services.integrity_sign(
            case=self.case,
            acting_user=user,
            capacity=forms.SIGNATURE_CAPACITY[role],
            conclusion=form.cleaned_data["conclusion"],
        )
        if services.signoff_complete(self.case):
            from .documents import inspection_report_documents

            inspection_report_documents(self.case, acting_user=user)

    def step_complete(self):
        return services.signoff_complete(self.case)


class DecideView(StepView):
    form_class = forms.DecideForm
    template_name = "principal_selection/decide.html"

    def get_context_data(self, **kwargs):
        from workflows.teams.previews import selection_decision_previews

        kwargs.setdefault("team_previews", selection_decision_previews(self.case, on=timezone.localdate()))
        return super().get_context_data(**kwargs)

    def perform(self, form):
        d = form.cleaned_data
        from .documents import meeting_documents

        meeting = services.meeting_record(
            case=self.case,
            acting_user=self.request.user,
            held_on=d["held_on"],
            name=d["name"],
            members=list(d["members"]),
            present=list(d["present"]),
            votes=form.votes(),
            reconsideration_in_favour=d.get("reconsideration_in_favour"),
        )
        meeting_documents(meeting, acting_user=self.request.user)

    def step_complete(self):
        return services.decision_settled(self.case)


class PublicizeView(StepView):
    form_class = forms.PublicizeForm
    pass_case = False

    def perform(self, form):
        from .documents import public_notice_document

        services.publicity_open(case=self.case, acting_user=self.request.user, **form.cleaned_data)
        public_notice_document(self.case, acting_user=self.request.user)


class AppointView(StepView):
    form_class = forms.AppointForm
    pass_case = False

    def perform(self, form):
        from .documents import appointment_documents

        services.appointment_make(case=self.case, acting_user=self.request.user, **form.cleaned_data)
        appointment_documents(self.case, acting_user=self.request.user)


class ProbationReviewView(StepView):
    form_class = forms.ProbationReviewForm
    pass_case = False

    def perform(self, form):
        services.probation_conclude(case=self.case, acting_user=self.request.user, **form.cleaned_data)
