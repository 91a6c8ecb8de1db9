"""Admin: the step deadlines (edited here, like the rule sets) and, read-only, the mail outbox."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.fields import import_task_by_ref

from . import deadlines
from .models import Delivery, DeliveryStatus, StepDeadline


def _step_label(obj) -> tuple[str, str]:
    try:
        node = import_task_by_ref(f"{obj.flow}.{obj.node}")
    except Exception:  # a step that no longer exists in the flow's code
        node = None
    if node is None:
        return "—", "—"
    return deadlines.flow_title(node.flow_class), str(node.task_title)


class StepDeadlineForm(forms.ModelForm):
    step = forms.ChoiceField(label=_("流程环节"), choices=())

    class Meta:
        model = StepDeadline
        fields = ["workdays"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        taken = set(StepDeadline.objects.values_list("flow", "node"))
        if self.instance.pk:
            self.fields.pop("step")
        else:
            self.fields["step"].choices = [
                (value, label) for value, label in deadlines.step_choices() if tuple(value.rsplit(".", 1)) not in taken
            ]

    def save(self, commit=True):
        if "step" in self.cleaned_data:
            self.instance.flow, self.instance.node = self.cleaned_data["step"].rsplit(".", 1)
        return super().save(commit=commit)


@admin.register(StepDeadline)
class StepDeadlineAdmin(admin.ModelAdmin):
    form = StepDeadlineForm
    list_display = ["flow_title", "step_title", "workdays"]
    list_editable = ["workdays"]
    list_display_links = ["step_title"]
    list_per_page = 100

    @admin.display(description=_("流程"))
    def flow_title(self, obj):
        return _step_label(obj)[0]

    @admin.display(description=_("环节"))
    def step_title(self, obj):
        return _step_label(obj)[1]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["subject", "to_email", "kind", "status", "attempts", "sent_at", "created"]
    list_filter = ["status", "kind"]
    search_fields = ["to_email", "subject"]
    readonly_fields = [
        "task",
        "recipient",
        "kind",
        "to_email",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
        "created",
    ]
    actions = ["requeue"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("重新发送"))
    def requeue(self, request, queryset):
        n = queryset.exclude(status=DeliveryStatus.SENT).update(
            status=DeliveryStatus.PENDING, next_attempt_at=None, attempts=0, claim=""
        )
        self.message_user(request, _("已将 %(n)d 封邮件重新排队发送。") % {"n": n})
