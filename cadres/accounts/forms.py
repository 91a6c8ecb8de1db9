"""Forms of the users pages: people are picked by name (the person picker), roles by their Chinese names."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Organization, Person
from ..picker import PersonField, bind_user
from ..roles import Role

ACTIVE_CHOICES = [("", _("全部")), ("1", _("启用")), ("0", _("停用"))]


def _units():
    return Organization.objects.order_by("kind", "code")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或用户名"), required=False, max_length=40)
    organization = UnitChoiceField(label=_("单位"), queryset=None, required=False, empty_label=_("全部"))
    role = forms.ChoiceField(label=_("角色"), choices=[("", _("全部")), *Role.choices], required=False)
    active = forms.ChoiceField(label=_("状态"), choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _units()

    def selector_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "query": d["q"].strip() or None,
            "organization": d["organization"],
            "role": d["role"] or None,
            "active": {"1": True, "0": False}.get(d["active"]),
        }


def _roles_field():
    return forms.MultipleChoiceField(
        label=_("角色"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("所选角色无效。")},
    )


class UserCreateForm(forms.Form):
    """The person is picked by name (only people without a login are offered); `user` is the officer."""

    person = PersonField(
        queryset=Person.objects.filter(profile__isnull=True),
        label=_("人员"),
        required=True,
        error_messages={"out_of_scope": _("该人员已有登录账户，或不在您的查看范围内。")},
    )
    organization = UnitChoiceField(
        label=_("所属单位"),
        queryset=None,
        required=False,
        empty_label=_("与人员所在单位相同"),
        help_text=_("留空则为该人员在名册中的单位。"),
    )
    roles = _roles_field()
    username = forms.CharField(
        label=_("用户名"), required=False, max_length=30, help_text=_("留空则按姓名拼音自动生成。")
    )
    password = forms.CharField(
        label=_("初始密码"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("留空则自动生成，创建后只显示一次。"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _units()
        bind_user(self, user)


class UserRolesForm(forms.Form):
    organization = UnitChoiceField(label=_("所属单位"), queryset=None, empty_label=None)
    roles = _roles_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _units()


class UserActiveForm(forms.Form):
    active = forms.TypedChoiceField(
        choices=[("1", _("启用")), ("0", _("停用"))], coerce=lambda v: v == "1", empty_value=None
    )
    reason = forms.CharField(label=_("原因"), required=False, max_length=200)


class PasswordResetForm(forms.Form):
    password = forms.CharField(
        label=_("新密码"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("留空则生成临时密码，只显示一次。"),
    )
