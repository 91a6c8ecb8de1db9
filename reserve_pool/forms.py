"""Forms of the pool's pages. They only shape input; the services in `reserve_pool.services` decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres import choices as c
from cadres.models import Organization, Person, Post
from cadres.roles import is_bureau_user
from cadres.scoping import organizations_visible_to, people_visible_to

from . import policies, selectors
from .choices import TARGET_POST_KINDS, Horizon, Origin, ReserveKind, ReserveState, ReviewDecision
from .models import PROFILE_MAX_CHARS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> accepts
ANY = [("", _("全部"))]
TARGET_POST_KIND_CHOICES = [(k.value, k.label) for k in c.PostKind if k in TARGET_POST_KINDS]


def _townships(user) -> list[tuple[str, str]]:
    names = (
        organizations_visible_to(user)
        .exclude(township="")
        .order_by("township")
        .values_list("township", flat=True)
        .distinct()
    )
    return [(n, n) for n in names]


class EntryFilterForm(forms.Form):
    """The filter of the list, its Excel export, the 名册 and the dashboard (one set of parameters)."""

    name = forms.CharField(label=_("姓名"), required=False)
    state = forms.ChoiceField(label=_("状态"), required=False)
    kind = forms.ChoiceField(label=_("后备类别"), choices=[*ANY, *ReserveKind.choices], required=False)
    horizon = forms.ChoiceField(label=_("使用期限"), choices=[*ANY, *Horizon.choices], required=False)
    post_kind = forms.ChoiceField(label=_("拟任职务类别"), choices=[*ANY, *TARGET_POST_KIND_CHOICES], required=False)
    school = forms.ModelChoiceField(
        label=_("所在学校"), queryset=Organization.objects.none(), required=False, empty_label=_("全部")
    )
    township = forms.ChoiceField(label=_("镇街"), required=False)

    POOL = selectors.POOL

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [*ANY, (self.POOL, _("在库（含已列为考察对象）")), *ReserveState.choices]
        self.fields["school"].queryset = organizations_visible_to(user).filter(kind=c.OrgKind.SCHOOL)
        self.fields["township"].choices = [*ANY, *_townships(user)]
        if not is_bureau_user(user):  # a school sees its own people only: no school or township to choose
            del self.fields["school"], self.fields["township"]

    def filters(self) -> dict:
        """Keyword arguments for `selectors.entry_list` (empty when the form is invalid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "name": data.get("name") or None,
            "state": data.get("state") or None,
            "kind": data.get("kind") or None,
            "horizon": data.get("horizon") or None,
            "post_kind": data.get("post_kind") or None,
            "organization_id": data["school"].pk if data.get("school") else None,
            "township": data.get("township") or None,
        }

    def describe(self) -> str:
        """The filter in words, for the 名册's subtitle ("全部" when nothing is chosen)."""
        if not self.is_valid():
            return ""
        parts = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if not value:
                continue
            if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                value = dict(field.choices).get(value, value)
            parts.append(f"{field.label}：{value}")
        return "；".join(str(p) for p in parts)


class NominateForm(forms.Form):
    person = forms.ModelChoiceField(label=_("被提名人"), queryset=Person.objects.none())
    origin = forms.ChoiceField(label=_("推荐方式"), choices=Origin.choices)
    source_ref = forms.CharField(label=_("推荐来源"), required=False, help_text=_("民主推荐须注明推荐结果编号"))
    post_kind = forms.ChoiceField(label=_("拟任职务类别"), choices=TARGET_POST_KIND_CHOICES)
    organization = forms.ModelChoiceField(
        label=_("后备单位"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("为空时为被提名人所在学校"),
    )
    target_post = forms.ModelChoiceField(label=_("拟任职位"), queryset=Post.objects.none(), required=False)
    horizon = forms.ChoiceField(label=_("使用期限"), choices=Horizon.choices)
    note = forms.CharField(label=_("推荐理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        people = people_visible_to(user).filter(employment_status=c.EmploymentStatus.ACTIVE)
        self.fields["person"].queryset = people.select_related("organization").order_by("organization__code", "name")
        self.fields["person"].label_from_instance = lambda p: (
            f"{p.name}（{p.organization.short_name or p.organization}）"
        )
        schools = organizations_visible_to(user).filter(kind=c.OrgKind.SCHOOL)
        self.fields["organization"].queryset = schools
        self.fields["target_post"].queryset = (
            Post.objects.filter(organization__in=schools, kind__in=list(TARGET_POST_KINDS))
            .select_related("organization")
            .order_by("organization__code", "name")
        )
        self.fields["target_post"].label_from_instance = lambda p: (
            f"{p.organization.short_name or p.organization}{p.name}"
        )
        if policies.secretary_school_id(user) is not None:
            self.fields["origin"].choices = [(Origin.SCHOOL_PARTY.value, Origin.SCHOOL_PARTY.label)]
            del self.fields["organization"], self.fields["source_ref"]
        else:
            self.fields["origin"].choices = [(o.value, o.label) for o in Origin if o != Origin.SCHOOL_PARTY]


class SubmitForm(forms.Form):
    """提交审核: nothing to fill in."""


class ReviewForm(forms.Form):
    personal_matters_ok = forms.TypedChoiceField(
        label=_("个人有关事项报告查核"),
        choices=[("1", _("相符")), ("0", _("不相符"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    personal_matters_note = forms.CharField(
        label=_("查核说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text=_("不相符的须说明")
    )


class AssessForm(forms.Form):
    talks_count = forms.IntegerField(label=_("谈话人数"), min_value=1)
    evaluation_summary = forms.CharField(label=_("考察评价"), widget=forms.Textarea(attrs={"rows": 4}))
    profile_text = forms.CharField(
        label=_("后备干部小传"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("不超过%(n)d字；每段一行") % {"n": PROFILE_MAX_CHARS},
    )


class AdmitForm(forms.Form):
    document_number = forms.CharField(label=_("入库决定文号"), max_length=60)
    on = forms.DateField(label=_("决定日期"), widget=DATE, initial=timezone.localdate)
    horizon = forms.ChoiceField(label=_("使用期限"), choices=Horizon.choices)


class RenewForm(forms.Form):
    document_number = forms.CharField(label=_("续期文号"), max_length=60, required=False)


class RemoveForm(forms.Form):
    reason = forms.CharField(label=_("撤销资格原因"), widget=forms.Textarea(attrs={"rows": 2}))


class YearlyReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("复核结论"), choices=ReviewDecision.choices)
    new_kind = forms.ChoiceField(label=_("调整后后备类别"), choices=[("", "—"), *ReserveKind.choices], required=False)
    new_post_kind = forms.ChoiceField(
        label=_("调整后拟任职务类别"),
        choices=[("", _("对应类别")), *TARGET_POST_KIND_CHOICES],
        required=False,
    )
    new_horizon = forms.ChoiceField(label=_("调整后使用期限"), choices=[("", "—"), *Horizon.choices], required=False)
    reason = forms.CharField(
        label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text=_("调整或撤销须写明")
    )


class TrainingForm(forms.Form):
    course = forms.CharField(label=_("培训项目"), max_length=100)
    provider = forms.CharField(label=_("主办单位"), max_length=100)
    start_date = forms.DateField(label=_("开始日期"), widget=DATE)
    end_date = forms.DateField(label=_("结束日期"), widget=DATE)
    hours = forms.DecimalField(label=_("学时"), min_value=0.5, max_digits=6, decimal_places=1)
