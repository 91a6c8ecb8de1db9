"""The one step pattern of every flow: form → one service call → `activation.execute()`.

`CaseStepView` is the task page of a `CaseTask` node. A subclass names its form and implements `perform(form)`,
which calls the step's service — the service owns the step's gates (veto and rules as of the step's date),
its audit event and its documents (queued after commit), so the web page, the API and a command get the same
result. A refusal (`ValidationError`, or the flow's refusal errors listed in `refusal_errors`) comes back on
the form with the input kept, and nothing is written: viewflow runs the view inside the flow lock's
transaction. When the service says the step is complete (`step_complete`, default yes), the task is
completed and the user goes back to the case; a step that collects several records (one per candidate, two
signatures) stays open, and with `claim_on_save` a partial save takes the task so that a colleague cannot
interleave records.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView
from viewflow.workflow.status import STATUS

from cadres.refusals import Refusal, add_refusal_to_form


class CaseStepView(FormView):
    pass_case = True  # the form gets `case=`
    claim_on_save = False
    refusal_errors: tuple[type[Exception], ...] = ()
    success_text = ""
    # Re-read the case before completing the task, for flows whose services save a copy they re-read under
    # a row lock (the activation's instance would be stale); False where they save the instance given.
    refresh_process = True

    @property
    def activation(self):
        return self.request.activation

    @property
    def case(self):
        """The activation's process as the flow's case model."""
        cached = getattr(self, "_case", None)
        if cached is not None:
            return cached
        process = self.activation.process
        model = self.activation.flow_class.process_class
        case = process if isinstance(process, model) else model.objects.get(pk=process.pk)
        self._case = case
        return case

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.pass_case:
            kwargs["case"] = self.case
        return kwargs

    def get_form(self, form_class=None):
        from cadres.picker import bind_user

        form = super().get_form(form_class)
        bind_user(form, self.request.user)  # the person pickers search and check within the user's scope
        return form

    def get_context_data(self, **kwargs):
        task = self.activation.task
        return super().get_context_data(case=self.case, task=task, step_title=task.flow_task.task_title, **kwargs)

    def perform(self, form) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def step_complete(self) -> bool:
        return True

    def add_refusal(self, form, exc: Exception) -> None:
        """Put a refusal on the form as non-field errors (each message of a ValidationError)."""
        add_refusal_to_form(form, exc)

    def success_url(self) -> str:
        return self.activation.flow_class.instance.reverse("process_detail", args=[self.activation.process.pk])

    def form_valid(self, form):
        try:
            self.perform(form)
            complete = self.step_complete()
        except (ValidationError, Refusal, *self.refusal_errors) as exc:
            self.add_refusal(form, exc)
            return self.form_invalid(form)
        if complete:
            if self.refresh_process and self.activation.process.pk:
                self.activation.process.refresh_from_db()
            self.activation.execute()
            messages.success(
                self.request,
                self.success_text or _("“%(step)s”已完成。") % {"step": self.activation.flow_task.task_title},
            )
            return HttpResponseRedirect(self.success_url())
        task = self.activation.task
        if self.claim_on_save and task.owner_id == self.request.user.pk:
            type(task)._default_manager.filter(pk=task.pk).update(
                owner=self.request.user, status=STATUS.ASSIGNED, assigned=task.assigned or timezone.now()
            )
        messages.success(self.request, _("已保存。"))
        return HttpResponseRedirect(self.request.get_full_path())
