"""POST /api/veto/check/: a list of ID numbers checked for 职称评聘, 评优奖励, 职务聘任 or 教师资格定期注册.

Same rules as the page (`cadres.ethics.list_check`): personnel officers check anyone, a school secretary
their own school's people, everybody else gets 403; an ID number outside the caller's scope is reported
exactly like an unknown one. Every call that checks at least one person writes one audit event
(`veto_list_checked`, source "api"). The answer is not stored as a check (the pages keep theirs, with a PDF).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.services import record_event

from ..ethics.list_check import (
    MAX_LIST_ROWS,
    SubmittedRow,
    audit_payload,
    blocked_first,
    check_list,
    check_scope,
    list_purpose_choices,
    normalise_id,
    people_for_ids,
)


class VetoCheckRequestSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(
        choices=list_purpose_choices(),
        help_text=(
            "title_promotion 职称评聘, award 评优奖励, post_promotion 职务聘任, teacher_registration 教师资格定期注册"
        ),
        error_messages={"invalid_choice": _lazy("未知事项：{input}。")},
    )
    on = serializers.DateField(error_messages={"invalid": _lazy("日期须为有效日期，格式为 YYYY-MM-DD。")})
    id_numbers = serializers.ListField(
        child=serializers.CharField(max_length=30),
        min_length=1,
        max_length=MAX_LIST_ROWS,
        help_text="身份证号列表",
    )


class VetoReasonSerializer(serializers.Serializer):
    record_type = serializers.CharField(help_text="ethics_assessment 或 sanction")
    record_id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)
    until = serializers.DateField(allow_null=True, help_text="限制截止日（不含）；长期为 null")
    text = serializers.CharField()


class VetoStandingSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    name = serializers.CharField()
    organization = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["clear", "blocked", "failed"])
    outcome_label = serializers.CharField()
    blocked = serializers.BooleanField()
    until = serializers.DateField(allow_null=True, help_text="一票否决截止日（不含）；长期或未受限为 null")
    failed_years = serializers.ListField(child=serializers.IntegerField())
    reasons = VetoReasonSerializer(many=True)


class VetoNotFoundSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="在 id_numbers 中的序号（从 1 起）")
    message = serializers.CharField()


class VetoCheckResultSerializer(serializers.Serializer):
    purpose = serializers.CharField()
    on = serializers.DateField()
    total = serializers.IntegerField()
    blocked = serializers.IntegerField()
    standings = VetoStandingSerializer(many=True)
    not_found = VetoNotFoundSerializer(many=True)


def _standing(s) -> dict:
    return {
        "person": s.person.pk,
        "name": s.person.name,
        "organization": s.person.organization.name,
        "outcome": s.outcome,
        "outcome_label": s.outcome_label,
        "blocked": s.blocked,
        "until": s.until,
        "failed_years": list(s.failed_years),
        "reasons": [
            {
                "record_type": r.record_type,
                "record_id": r.record_id,
                "kind": r.kind,
                "kind_label": r.kind_label,
                "decided_on": r.decided_on,
                "until": r.until,
                "text": r.text,
            }
            for r in s.reasons
        ],
    }


class VetoListCheckView(APIView):
    @extend_schema(
        summary="名单一票否决校验",
        description="按身份证号逐人校验职称评聘、评优奖励、职务聘任或教师资格定期注册的一票否决情形；受限者在前。",
        request=VetoCheckRequestSerializer,
        responses={
            200: VetoCheckResultSerializer,
            400: OpenApiResponse(description="参数有误"),
            403: OpenApiResponse(description="无权校验名单"),
        },
    )
    def post(self, request):
        scope = check_scope(request.user)
        if scope is None:
            raise PermissionDenied(_("只有组织人事科干部或学校党组织书记/校长可以校验名单。"))
        query = VetoCheckRequestSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        rows = [SubmittedRow(i, "", normalise_id(n)) for i, n in enumerate(data["id_numbers"], start=1)]
        matched = people_for_ids(rows, scope=scope)
        standings = blocked_first(check_list(matched.people, purpose=data["purpose"], on=data["on"]))
        if standings:
            with transaction.atomic():
                record_event(
                    actor=request.user,
                    action="veto_list_checked",
                    object_type="cadres.veto_list_check",
                    payload={
                        **audit_payload(standings, purpose=data["purpose"], on=data["on"], source="api"),
                        "problems": len(matched.problems),
                    },
                )
        body = {
            "purpose": data["purpose"],
            "on": data["on"],
            "total": len(standings),
            "blocked": sum(1 for s in standings if s.blocked),
            "standings": [_standing(s) for s in standings],
            "not_found": [{"index": p.row, "message": p.message} for p in matched.problems],
        }
        return Response(VetoCheckResultSerializer(body).data, status=status.HTTP_200_OK)
