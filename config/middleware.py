"""Login required everywhere, except the API (DRF answers 401/403 itself) and the pages marked public."""

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware


class CadreFlowLoginRequiredMiddleware(LoginRequiredMiddleware):
    def process_view(self, request, view_func, view_args, view_kwargs):
        if any(request.path.startswith(prefix) for prefix in settings.LOGIN_EXEMPT_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
