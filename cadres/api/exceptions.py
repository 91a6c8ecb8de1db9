"""The one DRF exception handler: any `cadres.refusals.Refusal` becomes 409 `{"code", "detail", "params"}`.

The detail is rendered in the request's language (LocaleMiddleware has activated it from
`Accept-Language`), so an English client reads English and everyone else Chinese. `reasons` carries the
further lines of a refusal with several (each candidate's, each missing step). A refusal subclass may
name another status (`ReservePermissionDenied`: 403). Everything else goes to DRF's own handler.
"""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cadres.refusals import Refusal


def refusal_response(exc: Refusal) -> Response:
    return Response(exc.as_json(), status=exc.status_code)


def exception_handler(exc, context):
    if isinstance(exc, Refusal):
        return refusal_response(exc)
    return drf_exception_handler(exc, context)


class RefusalSerializer(serializers.Serializer):
    """The body of a refusal (for the API schema)."""

    code = serializers.CharField()
    detail = serializers.CharField()
    params = serializers.DictField()
    reasons = serializers.ListField(child=serializers.CharField())
