"""Case pages beside the task views: the record (全程纪实) and its PDF, notes, objections, case actions,
and the watch list. Bureau business only: every page refuses school-level users."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from cadres.files import protected_file_response
from cadres.roles import Role, has_role, is_bureau_user, shown_name
from workflows.meetings.models import Objection

from . import actions, forms, services
from .models import CaseState, StepNote
from .selectors import (
    STEP_LABELS,
    case_events,
    cases_visible_to,
    event_figures,
    open_tasks,
    state_label,
    team_names,
)
from .watch import watch_list


def _flow():
    from .flows import PrincipalSelectionFlow

    return PrincipalSelectionFlow


class CaseMixin:
    manage_only = False

    def dispatch(self, request, *args, **kwargs):
        flow = _flow().instance
        if not flow.has_view_permission(request.user):
            raise PermissionDenied
        if self.manage_only and request.method == "POST" and not flow.has_manage_permission(request.user):
            raise PermissionDenied
        self.case = get_object_or_404(cases_visible_to(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def back(self):
        return HttpResponseRedirect(self.request.path)


class CaseRecordView(CaseMixin, TemplateView):
    """全程纪实: every audit event of the case in order, the open tasks, notes, objections and actions."""

    template_name = "principal_selection/record.html"
    manage_only = True

    def get_context_data(self, **kwargs):
        all_events = list(case_events(self.case))
        names = team_names(all_events)
        events = [
            {
                "event": e,
                "step": STEP_LABELS.get(e.action.removeprefix("principal_selection."), e.action),
                "actor": shown_name(e.actor),
                "from_state": state_label(e.from_state),
                "to_state": state_label(e.to_state),
                "figures": event_figures(e.payload, names),
            }
            for e in all_events
        ]
        notes = list(self.case.notes.select_related("author__profile__person"))
        tasks = list(open_tasks(self.case).select_related("owner__profile__person"))
        return super().get_context_data(
            case=self.case,
            events=events,
            tasks=[{"task": t, "owner": shown_name(t.owner) if t.owner_id else ""} for t in tasks],
            notes=[{"note": n, "author": shown_name(n.author)} for n in notes],
            objections=self.case.objections.select_related("subject"),
            note_form=forms.NoteForm(),
            objection_form=forms.ObjectionForm(case=self.case, user=self.request.user),
            reason_form=forms.ReasonForm(),
            reassign_form=forms.ReassignForm(case=self.case, user=self.request.user),
            send_back_form=forms.SendBackForm(),
            can_manage=_flow().instance.has_manage_permission(self.request.user),
            process_url=_flow().instance.reverse("process_detail", args=[self.case.pk]),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        handlers = {
            "note": self._note,
            "objection": self._objection,
            "resolve": self._resolve,
            "reassign": self._reassign,
            "send_back": self._send_back,
            "cancel": self._cancel,
            "pdf": self._pdf,
        }
        handler = handlers.get(action)
        if handler is None:
            raise PermissionDenied
        try:
            handler(request)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return self.back()

    def _note(self, request):
        form = forms.NoteForm(request.POST, request.FILES)
        if not form.is_valid():
            raise ValidationError(_("意见格式有误。"))
        d = form.cleaned_data
        services.note_add(
            case=self.case, acting_user=request.user, step=d["step"], text=d["text"], attachment=d["attachment"]
        )

    def _objection(self, request):
        form = forms.ObjectionForm(request.POST, case=self.case, user=request.user)
        if not form.is_valid():
            raise ValidationError([m for errs in form.errors.values() for m in errs])
        services.objection_record(case=self.case, acting_user=request.user, **form.cleaned_data)

    def _resolve(self, request):
        objection = get_object_or_404(Objection, pk=request.POST.get("objection"), process=self.case)
        form = forms.ObjectionResolveForm(request.POST)
        if not form.is_valid():
            raise ValidationError([m for errs in form.errors.values() for m in errs])
        services.objection_resolve(objection=objection, acting_user=request.user, **form.cleaned_data)

    def _reassign(self, request):
        form = forms.ReassignForm(request.POST, case=self.case, user=request.user)
        if not form.is_valid():
            raise ValidationError([m for errs in form.errors.values() for m in errs])
        d = form.cleaned_data
        actions.task_reassign(
            case=self.case, acting_user=request.user, task_id=d["task"], user=d["user"], reason=d["reason"]
        )

    def _send_back(self, request):
        form = forms.SendBackForm(request.POST)
        if not form.is_valid():
            raise ValidationError([m for errs in form.errors.values() for m in errs])
        actions.case_send_back(case=self.case, acting_user=request.user, **form.cleaned_data)

    def _cancel(self, request):
        form = forms.ReasonForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("须写明理由。"))
        actions.case_cancel(case=self.case, acting_user=request.user, reason=form.cleaned_data["reason"])

    def _pdf(self, request):
        from .documents import record_sheet_document

        doc = record_sheet_document(self.case, acting_user=request.user)
        messages.success(request, _("已生成纪实表（第%(v)d版）。") % {"v": doc.version})


class NoteAttachmentView(CaseMixin, View):
    """A note's attachment, under its original name, to whoever may open the case's 全程纪实 page (the same
    `CaseMixin` checks: the flow's view permission, then the case in the user's scope); 404 otherwise."""

    def get(self, request, pk, note_pk):
        note = get_object_or_404(StepNote, pk=note_pk, case=self.case)
        return protected_file_response(note.attachment, filename=note.attachment_download_name)


class WatchListView(TemplateView):
    """Principals due for exchange, probation ending, age limit near, posts vacant or over headcount."""

    template_name = "principal_selection/watch.html"

    def dispatch(self, request, *args, **kwargs):
        if not (
            is_bureau_user(request.user)
            and (request.user.is_superuser or has_role(request.user, Role.PERSONNEL_OFFICER, Role.COMMITTEE_MEMBER))
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(groups=watch_list(user=self.request.user, on=today), today=today, **kwargs)


class AgendaPackView(TemplateView):
    """上会材料: make a committee pack for a decision meeting from the cases waiting for it."""

    template_name = "principal_selection/agenda.html"

    def dispatch(self, request, *args, **kwargs):
        if not _flow().instance.has_manage_permission(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def waiting_cases(self):
        return cases_visible_to(self.request.user).filter(state=CaseState.INSPECTED)

    def get_context_data(self, **kwargs):
        return super().get_context_data(cases=self.waiting_cases(), form=forms.AgendaForm(), **kwargs)

    def post(self, request, *args, **kwargs):
        from dossiers.packs.services import RecipientSpec, meeting_create

        from .documents import agenda_case_specs

        form = forms.AgendaForm(request.POST)
        chosen = self.waiting_cases().filter(pk__in=request.POST.getlist("cases"))
        if not form.is_valid() or not chosen:
            messages.error(request, _("请填写会议名称和日期，并选择上会案件。"))
            return HttpResponseRedirect(request.path)
        members = forms.users_with_role(Role.COMMITTEE_MEMBER)
        try:
            meeting = meeting_create(
                title=form.cleaned_data["title"],
                date=form.cleaned_data["date"],
                organization=chosen[0].post.organization.parent or chosen[0].post.organization,
                cases=agenda_case_specs(chosen),
                recipients=[RecipientSpec(user=u) for u in members],
                acting_user=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(request.path)
        messages.success(
            request, _("已建立上会材料：%(t)s（%(n)d名人选）。") % {"t": meeting.title, "n": meeting.cases.count()}
        )
        return HttpResponseRedirect(request.path)
