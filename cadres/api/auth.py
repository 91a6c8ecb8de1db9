"""The API's token endpoint: DRF's, throttled, and honest about a locked-out login."""

from __future__ import annotations

from rest_framework import status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.throttling import ScopedRateThrottle

from ..lockouts import client_ip, lockout_message, lockout_minutes_left


class LoginLockedOut(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "login_locked_out"

    def __init__(self, minutes: int):
        super().__init__(lockout_message(minutes))
        self.wait = minutes * 60  # DRF's exception handler turns `wait` into Retry-After


class ObtainAuthTokenView(ObtainAuthToken):
    """POST username and password, get the user's token.

    Throttled per client address (scope "auth_token", settings REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]).
    Failed passwords count towards the login lockout exactly as on the login page (DRF's serializer calls
    authenticate(request=...), which axes watches); a locked-out username/address gets 429 with the Chinese
    lockout message instead of the generic "wrong credentials" 400, even with the right password.
    """

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth_token"

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            # axes marks the request it was handed (DRF's Request) when the login is locked out.
            if getattr(request, "axes_locked_out", False):
                raise LoginLockedOut(lockout_minutes_left(request.data.get("username"), client_ip(request))) from None
            raise
