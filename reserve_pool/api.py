"""REST API of the reserve pool: scoped reads and three actions (nominate, admit, remove) that call the same
services as the pages.

Scope is `reserve_pool.selectors.entries_visible_to`: an entry outside it answers 404. A refused action
answers through the one exception handler (`cadres.api.exceptions`) in the request's language: 409 (rules,
state, input; or someone changed the entry first — send the `version` you read to detect a stale page) or 403
(role, scope, recusal) — body `{"code": …, "detail": …, "params": {…}, "reasons": […]}`.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cadres import choices as c
from cadres.api.exceptions import RefusalSerializer
from cadres.api.filters import IdFilter
from cadres.api.serializers import OrganizationRefSerializer, PersonRefSerializer, PostRefSerializer
from cadres.roles import is_bureau_user
from cadres.scoping import people_visible_to, posts_visible_to

from . import selectors, services
from .choices import Horizon, Origin, ReserveKind, ReserveState
from .models import ReserveEntry, TrainingRecord, YearlyReview

_INVALID_CHOICE = {"invalid_choice": gettext_lazy("“%(value)s”不是有效的选项。")}
_DRF_INVALID_CHOICE = {"invalid_choice": gettext_lazy("“{input}”不是有效的选项。")}


# ----------------------------------------------------------------------------- filters


class ReserveEntryFilter(filters.FilterSet):
    state = filters.ChoiceFilter(
        label=gettext_lazy("状态"), choices=ReserveState.choices, error_messages=_INVALID_CHOICE
    )
    kind = filters.ChoiceFilter(
        label=gettext_lazy("后备类别"), choices=ReserveKind.choices, error_messages=_INVALID_CHOICE
    )
    horizon = filters.ChoiceFilter(
        label=gettext_lazy("使用期限"), choices=Horizon.choices, error_messages=_INVALID_CHOICE
    )
    post_kind = filters.ChoiceFilter(
        label=gettext_lazy("拟任职务类别"), choices=c.PostKind.choices, error_messages=_INVALID_CHOICE
    )
    organization = IdFilter(
        field_name="person__organization_id",
        label=gettext_lazy("人员所在单位ID"),
        invalid_message=gettext_lazy("单位ID必须是正整数。"),
    )
    target_organization = IdFilter(
        field_name="organization_id",
        label=gettext_lazy("后备单位ID（拟任职位所在单位）"),
        invalid_message=gettext_lazy("单位ID必须是正整数。"),
    )

    class Meta:
        model = ReserveEntry
        fields = ["state", "kind", "horizon", "post_kind", "organization", "target_organization"]


# ----------------------------------------------------------------------------- serializers


class TrainingRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrainingRecord
        fields = ["id", "course", "provider", "start_date", "end_date", "hours"]
        read_only_fields = fields


class YearlyReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = YearlyReview
        fields = [
            "id",
            "year",
            "due_on",
            "status",
            "decision",
            "reason",
            "kind_before",
            "kind_after",
            "horizon_before",
            "horizon_after",
            "decided_on",
        ]
        read_only_fields = fields


class ReserveEntrySerializer(serializers.ModelSerializer):
    """An entry with its review, assessment, admission and end; the personal-matters note (个人有关事项) only
    for bureau-level users."""

    person = PersonRefSerializer(read_only=True)
    person_organization = OrganizationRefSerializer(source="person.organization", read_only=True)
    organization = OrganizationRefSerializer(read_only=True, help_text=gettext_lazy("后备单位（拟任职位所在单位）"))
    target_post = PostRefSerializer(read_only=True, allow_null=True)
    nominating_unit = OrganizationRefSerializer(read_only=True)
    nominated_by = serializers.CharField(source="nominated_by.username", read_only=True)
    personal_matters_note = serializers.CharField(
        read_only=True, required=False, help_text=gettext_lazy("个人有关事项查核说明（仅教育局用户可见）")
    )
    available_actions = serializers.SerializerMethodField(
        help_text=gettext_lazy("当前用户此时可执行的状态变更（提交时仍检查回避和规则）")
    )

    class Meta:
        model = ReserveEntry
        fields = [
            "id",
            "person",
            "person_organization",
            "state",
            "version",
            "origin",
            "source_ref",
            "kind",
            "post_kind",
            "target_post",
            "organization",
            "horizon",
            "nominating_unit",
            "nominated_by",
            "nominated_on",
            "nomination_note",
            "reviewed_on",
            "review_passed",
            "review_rule_set",
            "review_refusals",
            "review_veto",
            "personal_matters_ok",
            "personal_matters_note",
            "assessed_on",
            "talks_count",
            "evaluation_summary",
            "profile_text",
            "admitted_on",
            "admission_document",
            "valid_until",
            "renewed_on",
            "shortlisted_on",
            "shortlist_ref",
            "used_on",
            "used_document",
            "ended_on",
            "end_trigger",
            "removal_reason",
            "created_at",
            "updated_at",
            "available_actions",
        ]
        read_only_fields = fields

    def get_available_actions(self, entry: ReserveEntry) -> list[str]:
        """Transitions the state and the user's role allow now (recusal and the rules are checked on acting;
        expiry is left to the daily command)."""
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return []
        return sorted(t.name for t in entry.get_available_user_state_transitions(user) if t.name != "expire")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("bureau_view"):
            data.pop("personal_matters_note", None)
        return data


class ReserveEntryDetailSerializer(ReserveEntrySerializer):
    trainings = TrainingRecordSerializer(many=True, read_only=True)
    yearly_reviews = YearlyReviewSerializer(many=True, read_only=True)

    class Meta(ReserveEntrySerializer.Meta):
        fields = [*ReserveEntrySerializer.Meta.fields, "trainings", "yearly_reviews"]
        read_only_fields = fields


def _not_future(value):
    if value and value > timezone.localdate():
        raise serializers.ValidationError(_("日期不能晚于今天。"))
    return value


class NominateRequestSerializer(serializers.Serializer):
    person = serializers.IntegerField(min_value=1, help_text=gettext_lazy("人员ID"))
    origin = serializers.ChoiceField(choices=Origin.choices, error_messages=_DRF_INVALID_CHOICE)
    post_kind = serializers.ChoiceField(choices=c.PostKind.choices, error_messages=_DRF_INVALID_CHOICE)
    horizon = serializers.ChoiceField(choices=Horizon.choices, error_messages=_DRF_INVALID_CHOICE)
    kind = serializers.ChoiceField(choices=ReserveKind.choices, required=False, error_messages=_DRF_INVALID_CHOICE)
    target_post = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text=gettext_lazy("职位ID")
    )
    source_ref = serializers.CharField(required=False, allow_blank=True, max_length=80)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def validate_person(self, value):
        person = people_visible_to(self.context["request"].user).filter(pk=value).first()
        if person is None:
            raise serializers.ValidationError(_("人员不存在或不在您的管理范围内。"))
        return person

    def validate_target_post(self, value):
        if value is None:
            return None
        post = posts_visible_to(self.context["request"].user).filter(pk=value).first()
        if post is None:
            raise serializers.ValidationError(_("职位不存在或不在您的管理范围内。"))
        return post


class AdmitRequestSerializer(serializers.Serializer):
    document_number = serializers.CharField(max_length=60, help_text=gettext_lazy("入库决定文号"))
    on = serializers.DateField(required=False, validators=[_not_future], help_text=gettext_lazy("决定日期，默认今天"))
    horizon = serializers.ChoiceField(choices=Horizon.choices, required=False, error_messages=_DRF_INVALID_CHOICE)
    version = serializers.IntegerField(required=False, min_value=0, help_text=gettext_lazy("读取时的版本号"))


class RemoveRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text=gettext_lazy("撤销资格原因"))
    on = serializers.DateField(required=False, validators=[_not_future], help_text=gettext_lazy("撤销日期，默认今天"))
    version = serializers.IntegerField(required=False, min_value=0, help_text=gettext_lazy("读取时的版本号"))


_ERRORS = {
    400: OpenApiResponse(description="输入有误（逐项说明）"),
    403: OpenApiResponse(RefusalSerializer, description="角色、管理范围或回避不允许"),
    409: OpenApiResponse(RefusalSerializer, description="不符合规则、状态不允许，或记录已被他人修改"),
}


# ----------------------------------------------------------------------------- views


@extend_schema_view(
    list=extend_schema(summary="后备干部列表", description="当前用户可见的后备干部记录（学校只看到本校人员）。"),
    retrieve=extend_schema(summary="后备干部详情", description="含培训记录和年度复核。范围外的记录返回 404。"),
)
class ReserveEntryViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_class = ReserveEntryFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReserveEntry.objects.none()
        user = self.request.user
        if self.action in ("list",):
            return selectors.entry_list(user=user).select_related("nominated_by")
        return selectors.entry_detail_queryset(user=user).select_related("nominated_by")

    def get_serializer_class(self):
        return ReserveEntrySerializer if self.action == "list" else ReserveEntryDetailSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["bureau_view"] = is_bureau_user(self.request.user)
        return context

    def _detail(self, entry: ReserveEntry, code=status.HTTP_200_OK) -> Response:
        entry = self.get_queryset().get(pk=entry.pk)
        return Response(ReserveEntryDetailSerializer(entry, context=self.get_serializer_context()).data, status=code)

    def _entry_at(self, version) -> ReserveEntry:
        entry = self.get_object()
        if version is not None:
            entry.version = version  # the service compares it with the row: a stale page gets 409
        return entry

    @extend_schema(
        summary="提名后备干部",
        request=NominateRequestSerializer,
        responses={201: ReserveEntryDetailSerializer, **_ERRORS},
    )
    @action(detail=False, methods=["post"])
    def nominate(self, request):
        body = NominateRequestSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        entry = services.reserve_entry_nominate(
            acting_user=request.user,
            person=data["person"],
            origin=data["origin"],
            post_kind=data["post_kind"],
            horizon=data["horizon"],
            kind=data.get("kind"),
            target_post=data.get("target_post"),
            source_ref=data.get("source_ref", ""),
            note=data.get("note", ""),
        )
        return self._detail(entry, status.HTTP_201_CREATED)

    @extend_schema(
        summary="决定入库", request=AdmitRequestSerializer, responses={200: ReserveEntryDetailSerializer, **_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def admit(self, request, pk=None):
        body = AdmitRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        entry = services.reserve_entry_admit(
            acting_user=request.user,
            entry=self._entry_at(data.get("version")),
            document_number=data["document_number"],
            on=data.get("on"),
            horizon=data.get("horizon"),
        )
        return self._detail(entry)

    @extend_schema(
        summary="撤销资格", request=RemoveRequestSerializer, responses={200: ReserveEntryDetailSerializer, **_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        body = RemoveRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        entry = services.reserve_entry_remove(
            acting_user=request.user,
            entry=self._entry_at(data.get("version")),
            reason=data["reason"],
            on=data.get("on"),
        )
        return self._detail(entry)
