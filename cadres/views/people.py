"""People list and detail: thin views over `cadres.selectors`, scoped to what the user may see."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from .. import choices as c
from .. import facts
from ..models import Person
from ..recusal import recusal_reason
from ..scoping import organizations_visible_to
from ..selectors import current_post_names, person_detail_queryset, person_list


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或身份证号"), required=False)
    organization = forms.ModelChoiceField(label=_("单位"), queryset=None, required=False)
    post_kind = forms.ChoiceField(label=_("现任职务"), choices=[("", "—"), *c.PostKind.choices], required=False)
    title = forms.ChoiceField(label=_("职称"), choices=[("", "—"), *c.TeacherTitle.choices], required=False)
    min_age = forms.IntegerField(label=_("最小年龄"), required=False, min_value=0, max_value=100)
    max_age = forms.IntegerField(label=_("最大年龄"), required=False, min_value=0, max_value=100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_visible_to(user)

    def selector_kwargs(self) -> dict:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {
            "query": d["q"] or None,
            "organization_id": d["organization"].pk if d["organization"] else None,
            "post_kind": d["post_kind"] or None,
            "title": d["title"] or None,
            "min_age": d["min_age"],
            "max_age": d["max_age"],
        }


def filtered_people(request):
    """The filter form and the scoped, filtered queryset for a request (shared by list and export)."""
    form = PersonFilterForm(request.GET or None, user=request.user)
    return form, person_list(user=request.user, **form.selector_kwargs())


class PersonListView(TemplateView):
    template_name = "cadres/person_list.html"
    page_size = 50

    def get_context_data(self, **kwargs):
        from django.core.paginator import Paginator

        form, qs = filtered_people(self.request)
        page = Paginator(qs, self.page_size).get_page(self.request.GET.get("page"))
        today = dt.date.today()
        rows = [{"person": p, "age": facts.age_on(p.birth_date, today)} for p in page.object_list]
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(form=form, page=page, rows=rows, query=query.urlencode(), **kwargs)


class PersonDetailView(TemplateView):
    template_name = "cadres/person_detail.html"

    def get_context_data(self, **kwargs):
        person: Person = get_object_or_404(person_detail_queryset(user=self.request.user), pk=kwargs["pk"])
        today = dt.date.today()
        tenures = list(person.tenures.all())
        return super().get_context_data(
            person=person,
            age=facts.age_on(person.birth_date, today),
            work_years=facts.years_of_work(person.work_start_date, today),
            party=facts.party_standing(person.political_status, person.party_join_date, today),
            current_posts=current_post_names(person, today),
            resume_lines=facts.resume_lines(list(person.resume_entries.all())),
            tenures=tenures,
            recusal=recusal_reason(self.request.user, person),
            **kwargs,
        )
