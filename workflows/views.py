"""Home page per role: what waits for me, recent cases, alerts (bureau and school secretaries), own record."""

from django.utils import timezone
from django.views.generic import TemplateView

from cadres.roles import Role, is_bureau_user, organization_of, roles_of

from . import selectors
from .common.inbox import count_by_flow, flow_key, flows


class HomeView(TemplateView):
    template_name = "workflows/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        by_flow = count_by_flow(user)  # one grouped count: the inbox per 业务 (and its total), each a link
        waiting, waiting_total = selectors.waiting_items(user=user, counts=by_flow)
        waiting_by_flow = [
            {"title": f.process_title, "count": by_flow[flow_key(f)], "flow": flow_key(f)}
            for f in flows()
            if by_flow.get(flow_key(f))
        ]
        return super().get_context_data(
            role_labels=[Role(r).label for r in Role.values if r in roles_of(user)],
            organization=organization_of(user),
            is_bureau=is_bureau_user(user),
            shows_alerts=selectors.alert_scope(user) is not None,
            waiting=waiting,
            waiting_total=waiting_total,
            waiting_by_flow=waiting_by_flow,
            recent_cases=selectors.recent_cases(user=user),
            alert_groups=selectors.home_alerts(user=user, on=today),
            own_record=selectors.own_record_summary(user=user, on=today),
            today=today,
            **kwargs,
        )
