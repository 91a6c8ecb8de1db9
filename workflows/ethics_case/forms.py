"""Forms of the ethics-case steps. They shape input; the rules live in `services` (and refuse with reasons)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres import choices as c
from cadres.ethics.models import SanctionKind, SanctionRegime, Violation
from cadres.roles import is_bureau_user
from cadres.scoping import people_visible_to

from .actors import INVESTIGATOR_ROLES
from .models import DISCIPLINARY_CHOICES, MEASURE_CHOICES, CaseSource, DisqualificationScope, Revision

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(label, *, rows=4, required=True, help_text=""):
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": rows}), required=required, help_text=help_text
    )


def _date(label, **kwargs):
    return forms.DateField(label=label, widget=DATE, initial=lambda: timezone.localdate(), **kwargs)


class CaseForm(forms.Form):
    """A step form: knows the case and the user it is filled for."""

    def __init__(self, *args, case=None, user=None, **kwargs):
        self.case, self.user = case, user
        super().__init__(*args, **kwargs)


class ReportForm(CaseForm):
    teacher = forms.ModelChoiceField(label=_("当事教师"), queryset=None)
    source = forms.ChoiceField(label=_("案件来源"), choices=CaseSource.choices)
    report_text = _text(_("反映的问题"), rows=6)
    reported_on = _date(_("报告日期"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = (
            people_visible_to(self.user)
            .filter(organization__kind=c.OrgKind.SCHOOL, employment_status=c.EmploymentStatus.ACTIVE)
            .select_related("organization")
            .order_by("organization__code", "name")
        )
        self.fields["teacher"].label_from_instance = lambda p: (
            f"{p.name}（{p.organization.short_name or p.organization}）"
        )
        if not is_bureau_user(self.user):
            self.fields["source"].choices = [(k, v) for k, v in CaseSource.choices if k != CaseSource.BUREAU_FOUND]


class AssignInvestigatorForm(CaseForm):
    investigator = forms.ModelChoiceField(
        label=_("调查人员"),
        queryset=None,
        help_text=_("与当事教师有亲属关系的人员须回避，指定时将被拒绝并记录。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(groups__name__in=INVESTIGATOR_ROLES, is_active=True)
        users = users.filter(
            Q(profile__organization__kind=c.OrgKind.BUREAU) | Q(profile__organization=self.case.organization)
        )
        self.fields["investigator"].queryset = users.select_related("profile__organization").distinct()
        self.fields["investigator"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username}（{u.profile.organization.short_name or u.profile.organization}）"
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def _all_kinds():
    return [
        ("", "—"),
        *DISCIPLINARY_CHOICES,
        *MEASURE_CHOICES,
        (SanctionKind.DISQUALIFICATION, SanctionKind.DISQUALIFICATION.label),
    ]


class InvestigateForm(CaseForm):
    findings = _text(_("调查认定的事实"), rows=6)
    violations = forms.MultipleChoiceField(
        label=_("查实的违反职业道德行为（2018年处理办法第四条）"),
        choices=Violation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("一项都未查实的，案件以“未查实”结案。"),
    )
    intended_kind = forms.ChoiceField(label=_("拟处理意见（将告知当事教师）"), choices=(), required=False)
    regime = forms.ChoiceField(label=_("适用规定"), choices=SanctionRegime.choices, initial=SanctionRegime.TEACHER)
    investigated_on = _date(_("调查结束日期"))
    evidence = MultipleFileField(label=_("证据材料"), required=False)
    evidence_note = forms.CharField(label=_("证据说明"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intended_kind"].choices = _all_kinds()


class StatementForm(CaseForm):
    statement = _text(_("陈述"), required=False)
    defence = _text(_("申辩"), required=False)
    hearing_requested = forms.BooleanField(
        label=_("要求举行听证"),
        required=False,
        help_text=_("拟给予降低岗位等级或者更重处分的，应当事教师要求须举行听证。"),
    )
    waived = forms.BooleanField(label=_("放弃陈述和申辩"), required=False)


class HearingForm(CaseForm):
    held_on = _date(_("听证日期"))
    record = _text(_("听证记录"), rows=6)


class SanctionPlanForm(CaseForm):
    """A 处分 and/or other measures, cleaned into `kind` and `measures` as the services take them."""

    kind = forms.ChoiceField(label=_("处分"), required=False)
    measures = forms.MultipleChoiceField(
        label=_("其他处理"), required=False, widget=forms.CheckboxSelectMultiple, choices=MEASURE_CHOICES
    )
    disqualify = forms.BooleanField(label=_("取消相关资格"), required=False)
    scopes = forms.MultipleChoiceField(
        label=_("取消哪些方面的资格"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=DisqualificationScope.choices,
    )
    months = forms.IntegerField(label=_("取消资格期限（月）"), required=False, min_value=1, initial=24)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("不给予处分")), *DISCIPLINARY_CHOICES]

    def clean(self):
        data = super().clean()
        measures = [{"kind": m} for m in data.get("measures") or []]
        if data.get("disqualify"):
            measures.append(
                {
                    "kind": SanctionKind.DISQUALIFICATION,
                    "scopes": data.get("scopes") or [],
                    "months": data.get("months"),
                }
            )
        data["plan_measures"] = measures
        return data


class ProposeForm(SanctionPlanForm):
    reason = _text(_("处理建议理由"))


class DecideForm(SanctionPlanForm):
    field_order = ["sanctioned", "kind", "measures", "disqualify", "scopes", "months"]

    sanctioned = forms.TypedChoiceField(
        label=_("决定"),
        choices=[("1", _("给予处理")), ("0", _("不予处理"))],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    decided_on = _date(_("决定日期"))
    document_number = forms.CharField(
        label=_("决定文号"), required=False, max_length=60, help_text=_("如：示教人〔2026〕8号")
    )
    meeting = forms.CharField(
        label=_("研究决定的会议"), required=False, max_length=100, help_text=_("如：区教育局2026年第18次局务会议")
    )
    facts = _text(_("决定书载明的事实"), rows=6, required=False, help_text=_("每段一行；留空则用调查认定的事实。"))
    appeal_body = forms.CharField(
        label=_("申诉受理机关"), required=False, max_length=100, initial=_("上级教育行政部门")
    )


class ApplyForm(CaseForm):
    reason = _text(_("理由"), rows=6)


class ReviseForm(CaseForm):
    result = forms.ChoiceField(label=_("结论"), choices=Revision.choices, widget=forms.RadioSelect)
    new_kind = forms.ChoiceField(label=_("减轻为"), required=False, help_text=_("只能维持、减轻或撤销，不得加重。"))
    text = _text(_("意见"), rows=5)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_kind"].choices = _all_kinds()


class ExtendForm(CaseForm):
    reason = _text(_("延长理由"), rows=3)
