"""The forms of a list check: what for and on which date, and the list itself (a file, or picked people)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.ethics.list_check import check_scope, list_purpose_choices
from cadres.picker import PeopleField, bind_user

PICK_LIMIT = 500


class CheckForm(forms.Form):
    purpose = forms.ChoiceField(label=_("校验事项"), choices=list_purpose_choices)
    on = forms.DateField(
        label=_("校验日期"),
        initial=dt.date.today,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请填写有效的日期。"), "required": _("请填写校验日期。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].error_messages = {
            "required": _("请选择校验事项。"),
            "invalid_choice": _("请选择校验事项。"),
        }


class UploadForm(CheckForm):
    file = forms.FileField(
        label=_("名单文件（.xlsx，含“姓名”“身份证号”两列）"),
        error_messages={"required": _("请选择要上传的名单文件。")},
    )


class PickForm(CheckForm):
    """People chosen with the person picker, within the people the user may check (`check_scope`)."""

    people = PeopleField(label=_("校验人员"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = check_scope(user)
        bind_user(self, user)

    def clean_people(self):
        people = self.cleaned_data["people"]
        if len(people) > PICK_LIMIT:
            raise forms.ValidationError(_("一次最多选择 %(n)d 人；更多人员请上传名单。") % {"n": PICK_LIMIT})
        return people
