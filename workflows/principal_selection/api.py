"""REST: the cases a user may see (bureau users: all; school-level users: none) and one case's steps."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from .models import SelectionCase
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


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        return cases_visible_to(self.request.user)

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseSerializer
