"""REST: the cases a user may see (bureau users: all; school-level users: none), one case's steps, and
opening a case (动议) as the flow's start page does.

A refused action answers 409 through the one exception handler (`cadres.api.exceptions`):
`{"code", "detail", "params", "reasons"}` in the request's language, and nothing is written.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from cadres import choices as c
from cadres.api.exceptions import RefusalSerializer
from cadres.models import Post
from cadres.scoping import posts_visible_to

from . import services
from .models import Method, SelectionCase
from .selectors import cases_visible_to


class CaseSerializer(serializers.ModelSerializer):
    post = serializers.CharField(source="post.__str__", read_only=True)
    organization = serializers.CharField(source="post.organization.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = SelectionCase
        fields = [
            "id",
            "post",
            "organization",
            "method",
            "state",
            "state_label",
            "status",
            "started_on",
            "decided_on",
            "publicity_start",
            "publicity_end",
            "probation_end",
        ]


class CaseDetailSerializer(CaseSerializer):
    steps = serializers.SerializerMethodField()
    candidates = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "steps", "candidates"]

    def get_steps(self, case) -> list[dict]:
        return [
            {
                "id": t.pk,
                "step": t.flow_task.name,
                "title": str(t.flow_task.task_title or t.flow_task.name),
                "status": t.status,
                "owner": t.owner.get_username() if t.owner_id else None,
                "created": t.created,
                "finished": t.finished,
            }
            for t in case.task_set.select_related("owner").order_by("id")
        ]

    def get_candidates(self, case) -> list[dict]:
        return [
            {"name": c.person.name, "status": c.status, "from_pool": c.from_pool}
            for c in case.candidates.select_related("person")
        ]


class ProposeSerializer(serializers.Serializer):
    """The 动议 page's fields (the post is chosen among the school-level posts the user may see)."""

    post = serializers.PrimaryKeyRelatedField(queryset=Post.objects.none())
    started_on = serializers.DateField()
    method = serializers.ChoiceField(choices=Method.choices, default=Method.RECOMMENDATION)
    posts_to_fill = serializers.IntegerField(min_value=1, default=1)
    scope = serializers.CharField(required=False, allow_blank=True, default="")
    plan = serializers.CharField(required=False, allow_blank=True, default="")
    exceptional = serializers.BooleanField(required=False, default=False)
    exceptional_reason = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        posts = posts_visible_to(request.user) if request is not None else Post.objects.none()
        self.fields["post"].queryset = posts.filter(level__in=[c.PostLevel.SCHOOL_HEAD, c.PostLevel.SCHOOL_DEPUTY])


def start_case(request, **data) -> SelectionCase:
    """Run the flow's start task (动议) for `request.user`, as the start page does: one transaction."""
    from .flows import PrincipalSelectionFlow

    node = PrincipalSelectionFlow.propose
    activation = node.activation_class.create(node, None, None)
    if not node.can_execute(request.user, activation.task):
        raise PermissionDenied(_("只有教育局组织人事科干部可以动议校长选拔。"))
    with transaction.atomic():
        activation.start(request)
        services.case_propose(case=activation.process, acting_user=request.user, **data)
        activation.execute()
    return activation.process


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SelectionCase.objects.none()
        return cases_visible_to(self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return ProposeSerializer
        return CaseDetailSerializer if self.action == "retrieve" else CaseSerializer

    @extend_schema(
        summary="动议（开启一个校长选拔案件）",
        request=ProposeSerializer,
        responses={201: CaseDetailSerializer, 409: RefusalSerializer},
    )
    def create(self, request, *args, **kwargs):
        from .flows import PrincipalSelectionFlow

        if not PrincipalSelectionFlow.propose.can_execute(request.user):
            raise PermissionDenied(_("只有教育局组织人事科干部可以动议校长选拔。"))
        body = ProposeSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        case = start_case(request, **body.validated_data)
        case = self.get_queryset().get(pk=case.pk)
        return Response(CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)
