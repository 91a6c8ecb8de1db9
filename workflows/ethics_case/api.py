"""REST API of the ethics case: read the cases one may see; report a case; the teacher's statement, review
application and appeal. Every action calls the same step service as the web page, inside the flow.

- A case outside the user's scope is absent: 404.
- A refused action answers 409 through the one exception handler (`cadres.api.exceptions`) with
  {"code": <rule code>, "detail": <reason in the request's language>, "params": {…}} and changes nothing.
- A step run through the API is run as viewflow runs a task view: under the flow lock, the open task of that
  step is started, the service writes the activation's own process, then the task completes and the flow
  moves on. With no open task of that step the service is still asked first, so the answer names the real
  reason (late, already applied…), and only then "not at this step".
"""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from cadres.api.exceptions import RefusalSerializer
from cadres.ethics.services import EthicsError
from cadres.models import Person
from cadres.scoping import people_visible_to

from . import services
from .flows import EthicsCaseFlow
from .models import CaseSource, EthicsCase
from .selectors import cases_visible_to, open_task, open_tasks

# ---------------------------------------------------------------- serializers


class EthicsSanctionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    status = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)


class EthicsCaseSerializer(serializers.ModelSerializer):
    teacher_name = serializers.CharField(source="teacher.name", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    open_steps = serializers.SerializerMethodField()
    sanction = EthicsSanctionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = EthicsCase
        fields = [
            "id",
            "status",
            "teacher",
            "teacher_name",
            "organization",
            "organization_name",
            "authority_name",
            "source",
            "reported_on",
            "violations",
            "intended_kind",
            "statement_on",
            "hearing_requested",
            "hearing_on",
            "proposed_kind",
            "decided_kind",
            "decided_measures",
            "decided_on",
            "document_number",
            "sanction",
            "review_due",
            "review_applied_on",
            "review_answer_due",
            "review_answered_on",
            "review_result",
            "appeal_due",
            "appeal_applied_on",
            "appeal_decision_due",
            "appeal_extended",
            "appeal_decided_on",
            "appeal_result",
            "outcome",
            "closed_on",
            "open_steps",
        ]
        read_only_fields = fields

    def get_open_steps(self, case) -> list[dict]:
        return [{"step": t.flow_task.name, "title": str(t.flow_task.task_title)} for t in open_tasks(case)]


class EthicsCaseReportSerializer(serializers.Serializer):
    teacher = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    source = serializers.ChoiceField(choices=CaseSource.choices)
    report_text = serializers.CharField()
    reported_on = serializers.DateField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["teacher"].queryset = people_visible_to(request.user)


class EthicsStatementSerializer(serializers.Serializer):
    statement = serializers.CharField(required=False, allow_blank=True, default="")
    defence = serializers.CharField(required=False, allow_blank=True, default="")
    hearing_requested = serializers.BooleanField(required=False, default=False)
    waived = serializers.BooleanField(required=False, default=False)


class EthicsApplicationSerializer(serializers.Serializer):
    reason = serializers.CharField()


# ---------------------------------------------------------------- running steps


def start_case(request, **data) -> EthicsCase:
    """Run the flow's start task for `request.user`: report the case, then let the flow move on."""
    node = EthicsCaseFlow.report
    activation = node.activation_class.create(node, None, None)
    if not node.can_execute(request.user, activation.task):
        raise PermissionDenied(_("只有教育局组织人事科干部或学校党组织书记/校长可以报告案件。"))
    with transaction.atomic():
        activation.start(request)
        services.ethics_case_report(acting_user=request.user, case=activation.process, **data)
        activation.execute()
    return activation.process


def run_step(request, case_id: int, node, service, **data) -> EthicsCase:
    """Run `node`'s open task of the case for `request.user` through `service` (see the module docstring)."""
    error = None
    with EthicsCaseFlow.lock(case_id), transaction.atomic():
        try:
            task = open_task(case_id, node)
            if task is None:
                case = EthicsCase.objects.get(pk=case_id)
                with transaction.atomic():  # a savepoint: ask the service for its reason, keep nothing
                    service(acting_user=request.user, case=case, **data)
                    raise services.EthicsCaseError(
                        _("案件当前不在“%(s)s”环节。") % {"s": node.task_title}, code="step_not_open"
                    )
            if not node.can_execute(request.user, task):
                raise PermissionDenied(_("该环节不由您办理。"))
            activation = node.activation_class(task)
            activation.start(request)
            service(acting_user=request.user, case=activation.process, **data)
            activation.execute()
            case = activation.process
        except EthicsError as exc:
            error = exc
    if error is not None:
        raise error
    return case


# ---------------------------------------------------------------- the endpoints


@extend_schema_view(
    list=extend_schema(
        summary="师德违规案件列表", description="当前用户可见的案件（教育局全部；学校本校；教师本人）。"
    ),
    retrieve=extend_schema(summary="案件详情", description="含各期限与当前环节。范围外的案件返回 404。"),
)
class EthicsCaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = EthicsCaseSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return EthicsCase.objects.none()
        return cases_visible_to(self.request.user).select_related("sanction").order_by("-created", "-pk")

    def _respond(self, case: EthicsCase, code=status.HTTP_200_OK) -> Response:
        case = self.get_queryset().get(pk=case.pk)
        return Response(EthicsCaseSerializer(case, context=self.get_serializer_context()).data, status=code)

    def _step(self, pk, node, service, **data) -> Response:
        get_object_or_404(self.get_queryset(), pk=pk)
        case = run_step(self.request, int(pk), node, service, **data)
        return self._respond(case)

    @extend_schema(
        summary="报告案件",
        request=EthicsCaseReportSerializer,
        responses={201: EthicsCaseSerializer, 409: RefusalSerializer},
    )
    def create(self, request):
        data = EthicsCaseReportSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        case = start_case(
            request,
            teacher=values["teacher"],
            source=values["source"],
            report_text=values["report_text"],
            reported_on=values.get("reported_on") or timezone.localdate(),
        )
        return self._respond(case, status.HTTP_201_CREATED)

    @extend_schema(
        summary="提交陈述申辩（当事教师）",
        request=EthicsStatementSerializer,
        responses={200: EthicsCaseSerializer, 409: RefusalSerializer},
    )
    @action(detail=True, methods=["post"])
    def statement(self, request, pk=None):
        data = EthicsStatementSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._step(pk, EthicsCaseFlow.statement, services.ethics_case_statement_submit, **data.validated_data)

    @extend_schema(
        summary="申请复核（当事教师）",
        request=EthicsApplicationSerializer,
        responses={200: EthicsCaseSerializer, 409: RefusalSerializer},
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        data = EthicsApplicationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._step(pk, EthicsCaseFlow.apply_review, services.ethics_case_review_apply, **data.validated_data)

    @extend_schema(
        summary="提出申诉（当事教师）",
        request=EthicsApplicationSerializer,
        responses={200: EthicsCaseSerializer, 409: RefusalSerializer},
    )
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        data = EthicsApplicationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._step(pk, EthicsCaseFlow.apply_appeal, services.ethics_case_appeal_apply, **data.validated_data)
