"""Forms for a committee meeting: its details, the ordered cases, the numbered recipients."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cadres.choices import OrgKind
from cadres.picker import PersonField, bind_user

from ..kinds import DossierKind
from .models import DEFAULT_CONFIDENTIALITY
from .selectors import default_pack_kinds
from .services import CaseSpec, RecipientSpec


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("会议名称"), max_length=120)
    date = forms.DateField(label=_("会议日期"), widget=forms.DateInput(attrs={"type": "date"}))
    confidentiality = forms.CharField(label=_("密级"), max_length=20, initial=DEFAULT_CONFIDENTIALITY)
    kinds = forms.MultipleChoiceField(
        label=_("收录材料（按此顺序）"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(DossierKind.choices)
        self.fields["kinds"].choices = [(k, labels[k]) for k in default_pack_kinds()]
        if not self.is_bound and not self.initial.get("kinds"):
            self.initial["kinds"] = list(default_pack_kinds())


class CaseForm(forms.Form):
    """One case of the meeting: its person, chosen with the person picker among the people the user may see."""

    subject = PersonField(label=_("人选"), required=False)
    label = forms.CharField(label=_("拟任职务"), max_length=120, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bind_user(self, user)

    def clean(self):
        data = super().clean()
        if data.get("label") and not data.get("subject") and not data.get("DELETE"):
            self.add_error("subject", _("请选择人选。"))
        return data


class RecipientForm(forms.Form):
    user = forms.ModelChoiceField(label=_("用户"), queryset=None, required=False)
    name = forms.CharField(label=_("姓名"), max_length=40, required=False)
    copy_number = forms.IntegerField(label=_("份号"), min_value=1, max_value=9999, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bureau_users = get_user_model().objects.filter(is_active=True, profile__organization__kind=OrgKind.BUREAU)
        self.fields["user"].queryset = bureau_users.order_by("username")


CaseFormSet = forms.formset_factory(CaseForm, extra=3, can_order=True, can_delete=True)
RecipientFormSet = forms.formset_factory(RecipientForm, extra=3, can_delete=True)


def case_specs(formset) -> list[CaseSpec]:
    """Filled, not deleted rows in the order the user gave (ORDER, then row position)."""
    rows = []
    for position, form in enumerate(formset.forms):
        data = getattr(form, "cleaned_data", None) or {}
        if not data.get("subject") or data.get("DELETE"):
            continue
        order = data.get("ORDER")
        rows.append((order if order is not None else 10_000, position, data))
    rows.sort(key=lambda row: row[:2])
    return [CaseSpec(subject=d["subject"], label=d.get("label") or "") for _o, _p, d in rows]


def recipient_specs(formset) -> list[RecipientSpec]:
    specs = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if data.get("DELETE") or not (data.get("user") or data.get("name")):
            continue
        specs.append(
            RecipientSpec(name=data.get("name") or "", user=data.get("user"), copy_number=data.get("copy_number"))
        )
    return specs
