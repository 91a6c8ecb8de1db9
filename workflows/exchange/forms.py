from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cadres import choices as c
from cadres.picker import PersonField, bind_user
from cadres.recusal import CADRE_LEVELS


class PlanForm(forms.Form):
    title = forms.CharField(label=_("方案名称"), max_length=100)
    effective_date = forms.DateField(
        label=_("生效日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )


class MovePersonForm(forms.Form):
    """Whom to add to the plan: a sitting cadre chosen with the person picker (sent to the move page)."""

    person = PersonField(label=_("交流人选"), active_only=True)

    def __init__(self, *args, user=None, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = queryset
        bind_user(self, user)


class MoveForm(forms.Form):
    from_tenure = forms.TypedChoiceField(label=_("现任职务"), coerce=int)
    to_post = forms.TypedChoiceField(label=_("拟任职位"), coerce=int)
    reason = forms.CharField(label=_("交流原因"), max_length=200, required=False, help_text=_("为空时按到期情况填写"))

    def __init__(self, *args, tenures=(), targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_tenure"].choices = [
            (t.pk, f"{t.post.organization.name} · {t.post.name}（{t.start_date:%Y.%m}起）") for t in tenures
        ]
        self.fields["to_post"].choices = [("", _("请选择"))] + [(t.post.pk, t.label) for t in targets]


LEVEL_CHOICES = [("", _("全部层级"))] + [(v, label) for v, label in c.PostLevel.choices if v in CADRE_LEVELS]


class TargetFilterForm(forms.Form):
    level = forms.ChoiceField(label=_("职务层级"), choices=LEVEL_CHOICES, required=False)
    school = forms.CharField(label=_("学校名称"), max_length=40, required=False)


class DecisionForm(forms.Form):
    meeting_name = forms.CharField(label=_("研究会议"), max_length=100)
    meeting_date = forms.DateField(
        label=_("会议日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    note = forms.CharField(label=_("会议意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ApplyForm(forms.Form):
    first_document_number = forms.CharField(
        label=_("首个任免文号"), max_length=60, help_text=_("如“示教工委〔2026〕12号”，其余人选依次递增")
    )
