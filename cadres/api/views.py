"""Registry API views: read-only and scoped through `cadres.scoping`, plus the roster import.

An object outside the user's scope is simply absent from the queryset, so its detail URL answers 404
(never 403, which would disclose that it exists).
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from ..files import protected_file_response
from ..models import Organization, Person, Post, Tenure, TitleHistory
from ..roles import is_bureau_user
from ..scoping import organizations_visible_to, people_visible_to, posts_visible_to, tenures_visible_to
from ..selectors import person_detail_queryset, person_list
from ..xlsx_guard import request_too_large
from . import filters, serializers
from .permissions import CanImportRoster


class AnyFileRenderer(BaseRenderer):
    """Lets a file download pass content negotiation whatever the client accepts (the body is the file)."""

    media_type = "*/*"
    format = "file"  # a name is needed by the schema generator; the body is never rendered through it

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


@extend_schema_view(
    list=extend_schema(
        summary="人员列表",
        description="当前用户可见的人员；筛选与界面“人员名册”一致（cadres.selectors.person_list）。",
        parameters=[filters.PersonListQuerySerializer],
    ),
    retrieve=extend_schema(
        summary="人员详情",
        description="含学历、职称、考核、奖惩、家庭成员、简历和任职经历。范围外的人员返回 404。",
        parameters=[filters.OnDateQuerySerializer],
    ),
)
class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    filter_backends = []  # filtering goes through person_list, validated by PersonListQuerySerializer

    def _query(self) -> dict:
        """The validated query parameters of this request (a ValidationError becomes a 400)."""
        if not hasattr(self, "_validated_query"):
            if self.action == "list":
                query = filters.PersonListQuerySerializer(data=self.request.query_params)
            else:
                query = filters.OnDateQuerySerializer(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            self._validated_query = query.validated_data
        return self._validated_query

    def get_queryset(self) -> QuerySet[Person]:
        if getattr(self, "swagger_fake_view", False):
            return Person.objects.none()
        user = self.request.user
        if self.action != "list":
            return person_detail_queryset(user=user)
        query = self._query()
        people = person_list(user=user, **filters.PersonListQuerySerializer.selector_kwargs(query))
        if query.get("organization_code"):
            people = people.filter(organization__code=query["organization_code"])
        # Explicit orderings: the models' default ones order by `person`, which joins the person table again.
        return people.prefetch_related(
            Prefetch(
                "tenures", queryset=Tenure.objects.select_related("post__organization").order_by("start_date", "id")
            ),
            Prefetch("titles", queryset=TitleHistory.objects.order_by("obtained_on", "id")),
        )

    def get_serializer_class(self):
        return serializers.PersonListSerializer if self.action == "list" else serializers.PersonDetailSerializer

    @extend_schema(
        summary="人员照片",
        description="范围内人员的照片（图片文件）；范围外或无照片返回 404。",
        responses={(200, "image/*"): OpenApiTypes.BINARY, 404: OpenApiResponse(description="范围外或无照片")},
    )
    @action(detail=True, methods=["get"], renderer_classes=[AnyFileRenderer], url_path="photo")
    def photo(self, request, pk=None):
        """The only API route to a photo: scope first (`people_visible_to`), then `protected_file_response`."""
        person = get_object_or_404(people_visible_to(request.user).only("pk", "photo"), pk=pk)
        return protected_file_response(person.photo, inline=True)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        context["on"] = filters.OnDateQuerySerializer.on_date(self._query())
        context["show_relative_link"] = is_bureau_user(self.request.user)
        return context


@extend_schema_view(
    list=extend_schema(summary="单位列表", description="教育局用户看到全区单位，学校用户只看到本校。"),
    retrieve=extend_schema(summary="单位详情"),
)
class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.OrganizationSerializer
    filterset_class = filters.OrganizationFilter

    def get_queryset(self) -> QuerySet[Organization]:
        if getattr(self, "swagger_fake_view", False):
            return Organization.objects.none()
        return organizations_visible_to(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="职位列表", description="含职数与今天在任人数；只列可见单位的职位。"),
    retrieve=extend_schema(summary="职位详情"),
)
class PostViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.PostSerializer
    filterset_class = filters.PostFilter

    def get_queryset(self) -> QuerySet[Post]:
        if getattr(self, "swagger_fake_view", False):
            return Post.objects.none()
        today = timezone.localdate()
        return (
            posts_visible_to(self.request.user)
            .select_related("organization")
            .annotate(
                current_holders=Count("tenures__person", distinct=True, filter=filters.current_on(today, "tenures__"))
            )
            .order_by("organization__code", "level", "name", "id")  # an aggregate drops Meta.ordering
        )


@extend_schema_view(
    list=extend_schema(summary="任职经历列表", description="只列可见人员的任职经历。"),
    retrieve=extend_schema(summary="任职经历详情"),
)
class TenureViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.TenureSerializer
    filterset_class = filters.TenureFilter

    def get_queryset(self) -> QuerySet[Tenure]:
        if getattr(self, "swagger_fake_view", False):
            return Tenure.objects.none()
        return (
            tenures_visible_to(self.request.user)
            .select_related("person", "post__organization")
            .order_by("person__organization__code", "person__name", "person_id", "start_date", "id")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "on": timezone.localdate()}


def import_roster(file_obj, *, acting_user):
    """Calls the roster importer, imported late so the API loads even where the importer is absent."""
    from ..roster import importer

    return importer.import_roster(file_obj, acting_user=acting_user)


class RosterImportView(APIView):
    """POST a 花名册 workbook as multipart field `file`; 201 with counts, or 400 with every row error.

    The importer writes all rows or none, and answers 403 itself when the user's unit does not fit the
    role (a personnel officer outside the bureau, a school secretary at the bureau).
    """

    permission_classes = [IsAuthenticated, CanImportRoster]
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="导入花名册",
        description=(
            "上传 .xlsx 花名册（字段名 file）。全部行无误才写入；否则不写入任何数据，返回每个错误的行号、列名和原因。"
        ),
        request={"multipart/form-data": serializers.RosterImportRequestSerializer},
        responses={
            201: serializers.RosterImportResultSerializer,
            400: OpenApiResponse(serializers.RosterImportFailureSerializer, description="文件缺失或花名册有误"),
            413: OpenApiResponse(serializers.RosterImportFailureSerializer, description="请求超过 20 MB，未读取"),
        },
    )
    def post(self, request):
        # 20 MB like the page, refused from Content-Length before the body is read (cadres.xlsx_guard)
        too_large = request_too_large(request)
        if too_large:
            errors = [{"row": None, "column": "file", "message": too_large}]
            return self._failure(errors, code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        upload = serializers.RosterImportRequestSerializer(data=request.data)
        if not upload.is_valid():
            errors = [
                {"row": None, "column": field, "message": str(message)}
                for field, messages in upload.errors.items()
                for message in messages
            ]
            return self._failure(errors)
        result = import_roster(upload.validated_data["file"], acting_user=request.user)
        if not result.ok:
            return self._failure([{"row": e.row, "column": e.column, "message": str(e.message)} for e in result.errors])
        body = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        return Response(serializers.RosterImportResultSerializer(body).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _failure(errors: list[dict], code: int = status.HTTP_400_BAD_REQUEST) -> Response:
        body = {"detail": _("花名册未导入，请按错误提示修改后重新上传。"), "errors": errors}
        return Response(serializers.RosterImportFailureSerializer(body).data, status=code)
