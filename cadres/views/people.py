"""People list and detail: thin views over `cadres.selectors`, scoped to what the user may see.

Scope is never widened by a filter: the unit filter offers only the units the user may see, an unknown
unit is a form error, and an invalid filter form yields no rows at all.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from .. import choices as c
from .. import facts
from ..ethics.veto import veto_overview
from ..files import protected_file_response
from ..kept_sql import KeptPages, kept_query
from ..models import Person, Tenure, TitleHistory
from ..recusal import recusal_reason
from ..reverse_once import ids_url
from ..roles import is_bureau_user, is_teacher_only, profile_of
from ..scoping import organizations_visible_to, people_visible_to, scope_key
from ..selectors import person_detail_queryset, person_list

RECENT_APPRAISAL_YEARS = 5


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或身份证号"), required=False, max_length=40)
    organization = forms.TypedChoiceField(
        label=_("单位"),
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("该单位不在您的查看范围内。")},
    )
    post_kind = forms.ChoiceField(label=_("现任职务"), choices=[("", _("全部")), *c.PostKind.choices], required=False)
    title = forms.ChoiceField(label=_("职称"), choices=[("", _("全部")), *c.TeacherTitle.choices], required=False)
    min_age = forms.IntegerField(label=_("年龄自"), required=False, min_value=0, max_value=100)
    max_age = forms.IntegerField(label=_("年龄至"), required=False, min_value=0, max_value=100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The units in the user's scope as plain (id, name) pairs: the select of every unit is built on each list
        # page, and a unit outside the scope is not a choice (refused with the message above).
        units = organizations_visible_to(user).values_list("pk", "name")
        self.fields["organization"].choices = [("", _("全部")), *units]

    def clean(self):
        data = super().clean()
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            raise forms.ValidationError(_("年龄下限不能大于上限。"), code="age_range")
        return data

    def selector_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "query": d["q"].strip() or None,
            "organization_id": d["organization"],
            "post_kind": d["post_kind"] or None,
            "title": d["title"] or None,
            "min_age": d["min_age"],
            "max_age": d["max_age"],
        }


def people_filters(request) -> tuple[PersonFilterForm, dict | None]:
    """The filter form of a request and its `person_list` arguments; None when the form is invalid (no rows)."""
    form = PersonFilterForm(request.GET or None, user=request.user)
    if not form.is_bound:
        return form, {}
    return form, (form.selector_kwargs() if form.is_valid() else None)


def filtered_people(request, on: dt.date | None = None):
    """The filter form and the scoped, filtered queryset for a request (shared by list and export).

    An invalid form (say, a unit outside the user's scope) gives an empty queryset, never a wider one.
    """
    on = on or timezone.localdate()
    form, filters = people_filters(request)
    if filters is None:
        return form, person_list(user=request.user, on=on).none()
    return form, person_list(user=request.user, on=on, **filters)


ROW_VALUES = ("pk", "name", "organization__short_name", "organization__name", "birth_date", "sex", "political_status")


def _row_values(user, filters: dict, on: dt.date):
    """The list's columns of the people `person_list` gives, with each one's latest title held on `on`."""
    latest = TitleHistory.objects.filter(person_id=OuterRef("pk"), obtained_on__lte=on).order_by("-obtained_on", "-id")
    people = person_list(user=user, on=on, **filters).annotate(latest_title=Subquery(latest.values("title")[:1]))
    return people.values(*ROW_VALUES, "latest_title")


def _current_posts(on: dt.date, *ids):
    current = Tenure.objects.filter(person_id__in=ids, start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )
    return current.order_by("start_date", "pk").values_list("person_id", "post__name")


def list_rows(people: list[dict], on: dt.date) -> list[dict]:
    """One row per person (`ROW_VALUES` and `latest_title`) for the roster table, with one more query for the
    page's current posts, compiled once per page size (plain values: a page of 50 rows spent more time making
    tenure and title objects than reading them, and the template reads a dict faster; issue 13)."""
    ids = [p["pk"] for p in people]
    posts: dict[int, list[str]] = {}
    if ids:
        for person_id, post_name in kept_query(("people-posts", on), lambda *m: _current_posts(on, *m), *ids):
            posts.setdefault(person_id, []).append(post_name)
    return [
        {
            "pk": p["pk"],
            "name": p["name"],
            "unit": p["organization__short_name"] or p["organization__name"],
            "url": ids_url("registry:people:detail", lambda pk: reverse("registry:people:detail", args=[pk]), p["pk"]),
            "age": str(facts.age_on(p["birth_date"], on)),  # text: the template need not localize a number per row
            "posts": posts.get(p["pk"], []),
            "title": c.label_of(c.TeacherTitle, p["latest_title"]) if p["latest_title"] else "",
            "sex": c.label_of(c.Sex, p["sex"]),
            "political_status": c.label_of(c.PoliticalStatus, p["political_status"]),
        }
        for p in people
    ]


class PersonListView(TemplateView):
    template_name = "cadres/person_list.html"
    page_size = 50

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        user = self.request.user
        form, filters = people_filters(self.request)
        if filters is None:
            listing = []
        else:  # the count and each page compiled once per scope, filters and day, and prepared (`KeptPages`)
            key = ("people", scope_key(user), tuple(sorted(filters.items())), today)
            listing = KeptPages(key, lambda: _row_values(user, filters, today))
        page = Paginator(listing, self.page_size).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=form,
            page=page,
            rows=list_rows(list(page.object_list), today),
            query=query.urlencode(),
            filtered=form.is_bound and form.has_changed(),
            no_scope=not is_bureau_user(user) and profile_of(user) is None,
            teacher_only=is_teacher_only(user),
            **kwargs,
        )


def _title_rows(person: Person) -> list[TitleHistory]:
    return sorted(person.titles.all(), key=lambda t: (t.obtained_on, t.id), reverse=True)


def _tenure_rows(tenures: list[Tenure], on: dt.date) -> list[dict]:
    rows = []
    for t in sorted(tenures, key=lambda t: (t.start_date, t.id), reverse=True):
        current = t.start_date <= on and (t.end_date is None or t.end_date >= on)
        length = (
            facts.years_in_post(tenures, t.post_id, on)
            if current
            else facts.span_between(t.start_date, t.end_date or on)
        )
        rows.append({"tenure": t, "current": current, "length": length})
    return rows


def _resume_rows(person: Person) -> list[dict]:
    lines = facts.resume_lines(list(person.resume_entries.all()))
    # 其间 lines (facts.during_line) sit under the text column, as on the printed form.
    return [{"text": line, "during": line.startswith("（其间")} for line in lines]


class PersonDetailView(TemplateView):
    """Everything the 干部任免审批表 prints about one person; a person outside the user's scope is a 404."""

    template_name = "cadres/person_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        person: Person = get_object_or_404(person_detail_queryset(user=user), pk=kwargs["pk"])
        today = timezone.localdate()
        tenures = list(person.tenures.all())
        current = [r for r in _tenure_rows(tenures, today) if r["current"]]
        titles = _title_rows(person)
        educations = list(person.educations.all())
        appraisals = sorted(person.appraisals.all(), key=lambda a: a.year, reverse=True)
        return super().get_context_data(
            person=person,
            birth_month=facts.format_month(person.birth_month),
            age=facts.age_on(person.birth_date, today),  # the same age the list shows and filters on
            work_years=facts.years_of_work(person.work_start_date, today),
            party=facts.party_standing(person.political_status, person.party_join_date, today),
            current_tenures=current,
            current_title=next((t for t in titles if t.obtained_on <= today), None),
            titles=titles,
            education_groups=[
                {"label": kind.label, "rows": [e for e in educations if e.kind == kind]} for kind in c.EducationKind
            ],
            resume_rows=_resume_rows(person),
            tenure_rows=_tenure_rows(tenures, today),
            appraisals=appraisals[:RECENT_APPRAISAL_YEARS],
            appraisal_years=RECENT_APPRAISAL_YEARS,
            rewards=list(person.rewards_punishments.all()),
            family=list(person.family.all()),
            recusal=recusal_reason(user, person),
            veto=veto_overview(person, on=today),
            is_self=getattr(profile_of(user), "person_id", None) == person.pk,
            **kwargs,
        )


class PersonPhotoView(View):
    """The person's photo, inline, to a user who may see the person (404 otherwise, and without a photo).

    The only way a photo leaves the server: MEDIA_ROOT is not served by URL.
    """

    def get(self, request, pk):
        person = get_object_or_404(people_visible_to(request.user).only("pk", "photo"), pk=pk)
        return protected_file_response(person.photo, inline=True)
