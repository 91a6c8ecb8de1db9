"""Access rules shared by registry views."""

from django.core.exceptions import PermissionDenied

from ..roles import Role, has_role, is_bureau_user


def is_bureau_or_school_lead(user) -> bool:
    """Bureau users and school party secretaries: the people who manage records, not just view their own."""
    return is_bureau_user(user) or has_role(user, Role.SCHOOL_SECRETARY)


class BureauOrSchoolLeadRequired:
    """403 for everybody but bureau users and school party secretaries."""

    def dispatch(self, request, *args, **kwargs):
        if not is_bureau_or_school_lead(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
