"""师德考核 pages: a school's year (open, inputs, grades) and the bureau's completion per school."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.generic import TemplateView

from .. import choices as c
from ..ethics.assessments import can_run_assessment, ethics_inputs_record, ethics_year_open, ethics_year_progress
from ..ethics.models import EthicsAssessment, EthicsGrade, Violation
from ..ethics.params import ethics_params
from ..ethics.services import EthicsError, ethics_assessment_decide
from ..models import Organization
from ..roles import is_bureau_user, organization_of
from ..scoping import organizations_visible_to, people_visible_to
from .mixins import BureauOrSchoolLeadRequired


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or request.POST.get("year") or timezone.localdate().year)
    except ValueError:
        raise Http404 from None


class EthicsYearView(BureauOrSchoolLeadRequired, TemplateView):
    template_name = "cadres/ethics_year.html"

    def _organization(self) -> Organization | None:
        org_id = self.request.GET.get("organization") or self.request.POST.get("organization")
        if org_id:
            return get_object_or_404(organizations_visible_to(self.request.user), pk=org_id)
        if is_bureau_user(self.request.user):
            return None
        return organization_of(self.request.user)

    def get_context_data(self, **kwargs):
        year = _year(self.request)
        org = self._organization()
        context = {"year": year, "organization": org, "years": range(timezone.localdate().year + 1, 2017, -1)}
        if org is None:
            schools = organizations_visible_to(self.request.user).filter(kind=c.OrgKind.SCHOOL)
            context["progress"] = ethics_year_progress(organizations=schools, year=year)
        else:
            context["records"] = (
                EthicsAssessment.objects.filter(year=year, person__in=people_visible_to(self.request.user))
                .filter(person__organization=org)
                .select_related("person")
                .order_by("person__name")
            )
            context["can_run"] = can_run_assessment(self.request.user, org)
        return super().get_context_data(**context, **kwargs)

    def post(self, request, *args, **kwargs):
        org = self._organization()
        if org is None:
            raise Http404
        year = _year(request)
        created = ethics_year_open(acting_user=request.user, organization=org, year=year)
        messages.success(request, _("已为 %(n)d 名在职人员建立 %(y)d 年度师德考核记录。") % {"n": created, "y": year})
        return redirect(f"{reverse('registry:ethics:index')}?year={year}&organization={org.pk}")


class AssessmentForm(forms.Form):
    self_review = forms.CharField(label=_lazy("个人自评"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    peer_review = forms.CharField(label=_lazy("同事评议"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    student_review = forms.CharField(label=_lazy("学生评议"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    parent_review = forms.CharField(label=_lazy("家长评议"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    grade = forms.ChoiceField(label=_lazy("考核等次"), required=False)
    violations = forms.MultipleChoiceField(
        label=_lazy("查实的违规行为"), choices=Violation.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    decided_on = forms.DateField(
        label=_lazy("确定日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, grades, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = [("", "—")] + [(g, EthicsGrade(g).label) for g in grades]


class EthicsAssessmentEditView(BureauOrSchoolLeadRequired, TemplateView):
    template_name = "cadres/ethics_assessment_edit.html"

    def _assessment(self) -> EthicsAssessment:
        assessment = get_object_or_404(
            EthicsAssessment.objects.select_related("person__organization").filter(
                person__in=people_visible_to(self.request.user)
            ),
            pk=self.kwargs["pk"],
        )
        if not can_run_assessment(self.request.user, assessment.person.organization):
            raise PermissionDenied
        return assessment

    def _form(self, assessment, data=None):
        grades = ethics_params(timezone.localdate()).grades
        initial = {
            "self_review": assessment.self_review,
            "peer_review": assessment.peer_review,
            "student_review": assessment.student_review,
            "parent_review": assessment.parent_review,
            "grade": assessment.grade,
            "violations": assessment.violations,
            "decided_on": assessment.decided_on or timezone.localdate(),
        }
        return AssessmentForm(data, initial=initial, grades=grades)

    def get_context_data(self, **kwargs):
        assessment = self._assessment()
        return super().get_context_data(assessment=assessment, form=kwargs.pop("form", None) or self._form(assessment))

    def post(self, request, *args, **kwargs):
        assessment = self._assessment()
        form = self._form(assessment, request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                ethics_inputs_record(
                    acting_user=request.user,
                    assessment=assessment,
                    self_review=d["self_review"],
                    peer_review=d["peer_review"],
                    student_review=d["student_review"],
                    parent_review=d["parent_review"],
                )
                if d["grade"]:
                    ethics_assessment_decide(
                        acting_user=request.user,
                        person=assessment.person,
                        year=assessment.year,
                        grade=d["grade"],
                        decided_on=d["decided_on"] or timezone.localdate(),
                        violations=d["violations"],
                    )
            except EthicsError as exc:
                form.add_error(None, exc.messages[0])
            else:
                messages.success(request, _("已保存 %(n)s 的师德考核。") % {"n": assessment.person.name})
                url = reverse("registry:ethics:index")
                return redirect(f"{url}?year={assessment.year}&organization={assessment.person.organization_id}")
        return self.render_to_response(self.get_context_data(form=form))
