"""Veto API: one person's status for every purpose, and everyone blocked in the user's scope."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ..ethics.purposes import VetoPurpose
from ..ethics.veto import blocked_people, veto_overview
from ..scoping import people_visible_to
from ..views.mixins import is_bureau_or_school_lead


class VetoQuerySerializer(serializers.Serializer):
    on = serializers.DateField(required=False, error_messages={"invalid": "日期须为有效日期，格式为 YYYY-MM-DD。"})
    purpose = serializers.ChoiceField(
        choices=VetoPurpose.choices, required=False, error_messages={"invalid_choice": "未知事项：{input}。"}
    )


class VetoResultSerializer(serializers.Serializer):
    purpose = serializers.CharField()
    purpose_label = serializers.CharField()
    blocked = serializers.BooleanField()
    until = serializers.DateField(allow_null=True, help_text="限制截止日（不含）；长期为 null")
    sentence = serializers.CharField()


def _result(result) -> dict:
    return {
        "purpose": result.purpose,
        "purpose_label": result.purpose_label,
        "blocked": result.blocked,
        "until": result.until,
        "sentence": result.sentence,
    }


def _query(request) -> dict:
    query = VetoQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


class PersonVetoView(APIView):
    @extend_schema(
        summary="人员一票否决状态",
        parameters=[OpenApiParameter("on", dt.date, description="日期，默认今天")],
        responses=VetoResultSerializer(many=True),
    )
    def get(self, request, pk: int):
        person = get_object_or_404(people_visible_to(request.user), pk=pk)
        on = _query(request).get("on") or timezone.localdate()
        return Response([_result(r) for r in veto_overview(person, on=on).values()])


class BlockedPersonSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    name = serializers.CharField()
    organization = serializers.CharField()
    results = VetoResultSerializer(many=True)


class BlockedListView(APIView):
    @extend_schema(
        summary="一票否决名单",
        parameters=[
            OpenApiParameter("on", dt.date, description="日期，默认今天"),
            OpenApiParameter("purpose", str, enum=VetoPurpose.values, description="只看某一事项"),
        ],
        responses=BlockedPersonSerializer(many=True),
    )
    def get(self, request):
        from rest_framework.exceptions import PermissionDenied

        if not is_bureau_or_school_lead(request.user):
            raise PermissionDenied("无权查看一票否决名单。")
        query = _query(request)
        purposes = [query["purpose"]] if query.get("purpose") else None
        rows = blocked_people(
            people_visible_to(request.user), on=query.get("on") or timezone.localdate(), purposes=purposes
        )
        return Response(
            [
                {
                    "person": row.person.pk,
                    "name": row.person.name,
                    "organization": row.person.organization.name,
                    "results": [_result(r) for r in row.results.values()],
                }
                for row in rows
            ]
        )
