"""Pages of 班子结构研判: the district overview of gaps (bureau), a school's team (bureau; a school's
secretary for their own school) and the 班子结构分析 document. Views read through `structure`; the one
write goes through `services`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView, View

from . import access, services, structure
from .forms import OverviewFilterForm

PAGE_SIZE = 50


class IndexView(View):
    """The menu entry: the overview for the bureau, the own school's team for a school secretary."""

    def get(self, request, *args, **kwargs):
        if access.own_school_id(request.user) is not None:
            return redirect("teams:school", pk=access.own_school_id(request.user))
        access.require_bureau(request.user)
        return redirect("teams:overview")


class OverviewView(TemplateView):
    """Schools with their gaps, filtered and paginated in the database; counts per gap kind at the top."""

    template_name = "teams/overview.html"

    def get(self, request, *args, **kwargs):
        access.require_bureau(request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        on = timezone.localdate()
        form = OverviewFilterForm(self.request.GET or None)
        counts = structure.gap_counts(on=on)
        filters = {}
        valid = not self.request.GET or form.is_valid()
        if self.request.GET and valid:
            d = form.cleaned_data
            filters = {"gap": d.get("gap") or None, "township": d.get("township") or None, "name": d.get("q") or None}
        number = _page_number(self.request.GET.get("page"))
        rows, total = [], 0
        if valid:
            rows, total = structure.district_page(on=on, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE, **filters)
            if not rows and total:  # past the last page: show the last one
                number = -(-total // PAGE_SIZE)
                rows, total = structure.district_page(
                    on=on, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE, **filters
                )
        page = Page(rows, number, Paginator(range(total), PAGE_SIZE))
        labels = structure.gap_labels()
        query = urlencode([(k, v) for k, v in self.request.GET.items() if k != "page" and v])
        return super().get_context_data(
            on=on,
            form=form,
            page=page,
            rows=[{"school": r, "gaps": [labels[g] for g in r.gaps]} for r in rows],
            query=query,
            counts=[{"code": code, "label": labels[code], "n": counts[code]} for code in structure.Gap.ORDER],
            total=counts["total"],
            any_gap=counts[structure.ANY_GAP],
            **kwargs,
        )


def _page_number(raw) -> int:
    try:
        return max(int(raw), 1)
    except (TypeError, ValueError):
        return 1


class TeamView(TemplateView):
    """One school's team: members, mid-level cadres, posts and vacancies, reserves, gaps."""

    template_name = "teams/team.html"

    def get_context_data(self, **kwargs):
        school = access.school_for(self.request.user, self.kwargs["pk"])
        on = timezone.localdate()
        return super().get_context_data(
            school=school,
            on=on,
            summary=structure.team_summary(school.pk, on=on),
            is_bureau=access.own_school_id(self.request.user) is None,
            may_generate=access.may_generate_document(self.request.user),
            young_age=structure.YOUNG_AGE,
            term_warning_months=structure.TERM_WARNING_MONTHS,
            **kwargs,
        )


class TeamDossierView(View):
    """POST: a new version of the school's 班子结构分析, then its document page (rendered after commit)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        school = access.school_for(request.user, kwargs["pk"])
        if not access.may_generate_document(request.user):
            raise Http404
        doc = services.team_structure_document(organization=school, acting_user=request.user, on=timezone.localdate())
        return redirect("dossiers:documents:detail", pk=doc.pk)
