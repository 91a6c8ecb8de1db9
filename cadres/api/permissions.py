"""Who may call which write endpoint of the API. Reads need only a login; their scope is `cadres.scoping`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from ..roles import Role, has_role


class CanImportRoster(BasePermission):
    """Personnel officers and school secretaries (and superusers); the importer limits rows to their scope."""

    message = _("只有组织人事科干部或学校党组织书记/校长可以导入花名册。")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return user.is_superuser or has_role(user, Role.PERSONNEL_OFFICER, Role.SCHOOL_SECRETARY)
