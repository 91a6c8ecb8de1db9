"""The pool's structure (charts), targets against actual, the near-term share and quotas; yearly reviews due."""

from __future__ import annotations

from django.utils import timezone
from django.views.generic import TemplateView

from cadres import choices as c
from cadres.scoping import organizations_visible_to

from .. import charts, selectors
from ..forms import EntryFilterForm
from ..models import ReserveEntry
from .access import PoolPageRequired

QUOTA_ROWS = 30  # full quotas listed on the page; the count says how many there are in all


class DashboardView(PoolPageRequired, TemplateView):
    """Structure of the filtered pool; without a state filter, "the pool" (in_pool and shortlisted)."""

    template_name = "reserve_pool/dashboard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        on = timezone.localdate()
        form = EntryFilterForm(self.request.GET or None, user=user)
        if self.request.GET and not form.is_valid():
            entries = ReserveEntry.objects.none()
        else:
            filters = form.filters()
            filters["state"] = filters.get("state") or selectors.POOL
            entries = selectors.entry_list(user=user, **filters)
        structure = selectors.pool_structure(entries, on=on)
        schools = organizations_visible_to(user).filter(kind=c.OrgKind.SCHOOL)
        quotas = selectors.quota_usage(organizations=schools, on=on)
        return super().get_context_data(
            form=form,
            on=on,
            structure=structure,
            charts=charts.structure_charts(structure),
            targets=selectors.structure_against_targets(entries, on=on),
            near_term=selectors.near_term_share(on=on).as_dict(),
            quotas_full=[q for q in quotas if q["remaining"] == 0][:QUOTA_ROWS],
            quotas_full_count=sum(1 for q in quotas if q["remaining"] == 0),
            quota_count=len(quotas),
            **kwargs,
        )


class ReviewListView(PoolPageRequired, TemplateView):
    """Yearly reviews waiting for a decision (opened by the daily command when due)."""

    template_name = "reserve_pool/review_list.html"

    def get_context_data(self, **kwargs):
        reviews = selectors.pending_reviews(user=self.request.user)
        return super().get_context_data(reviews=reviews, today=timezone.localdate(), **kwargs)
