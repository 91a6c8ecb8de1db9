"""Home page per role: what waits for me, recent cases, alerts."""

from django.views.generic import TemplateView

from cadres.roles import Role, is_bureau_user, organization_of, roles_of


class HomeView(TemplateView):
    template_name = "workflows/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        roles = roles_of(user)
        return super().get_context_data(
            role_labels=[Role(r).label for r in sorted(roles)],
            organization=organization_of(user),
            is_bureau=is_bureau_user(user),
            waiting=[],
            recent_cases=[],
            alerts=[],
            **kwargs,
        )
