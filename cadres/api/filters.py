"""Query parameters of the registry API, validated strictly: a bad value is a 400 with a Chinese message.

People are filtered by `cadres.selectors.person_list` (the same semantics as the UI), so their parameters
are a plain serializer handed to that selector. Units, posts and tenures use django-filter FilterSets.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import choices as c
from ..models import Organization, Post, Tenure

MAX_AGE = 150
MAX_ID = 2**63 - 1  # larger ids would overflow the database integer, not just miss
_ID_ERRORS = ("invalid", "min_value", "max_value")


# Messages are whole source strings (no interpolation at import time) so the active language applies.
# DRF fields use {placeholders}; Django form fields (django-filter) use %(placeholders)s.


def _drf_int_errors(invalid, too_small, too_large) -> dict:
    return {"invalid": invalid, "min_value": too_small, "max_value": too_large, "max_string_length": invalid}


class OnDateQuerySerializer(serializers.Serializer):
    """`?on=YYYY-MM-DD`: the date at which age, current posts and current title are read (default today)."""

    on = serializers.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text=_("计算年龄、现任职务和现职称所依据的日期（YYYY-MM-DD），默认为今天。"),
        error_messages={"invalid": _("日期须为有效日期，格式为 YYYY-MM-DD。")},
    )

    @staticmethod
    def on_date(validated: dict) -> dt.date:
        return validated.get("on") or timezone.localdate()


class PersonListQuerySerializer(OnDateQuerySerializer):
    """Filters of the people list; each maps onto an argument of `cadres.selectors.person_list`."""

    organization = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("单位ID"),
        error_messages=dict.fromkeys((*_ID_ERRORS, "max_string_length"), _("单位ID必须是正整数。")),
    )
    organization_code = serializers.CharField(
        required=False,
        max_length=32,
        help_text=_("单位代码"),
        error_messages={"max_length": _("单位代码不能超过{max_length}个字符。")},
    )
    post_kind = serializers.ChoiceField(
        choices=c.PostKind.choices,
        required=False,
        help_text=_("现任职务类别"),
        error_messages={"invalid_choice": _("“{input}”不是有效的职务类别。")},
    )
    title = serializers.ChoiceField(
        choices=c.TeacherTitle.choices,
        required=False,
        help_text=_("现职称"),
        error_messages={"invalid_choice": _("“{input}”不是有效的职称。")},
    )
    min_age = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_AGE,
        help_text=_("最小年龄（周岁，含）"),
        error_messages=_drf_int_errors(
            _("最小年龄必须是整数。"), _("最小年龄不能小于{min_value}。"), _("最小年龄不能大于{max_value}。")
        ),
    )
    max_age = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_AGE,
        help_text=_("最大年龄（周岁，含）"),
        error_messages=_drf_int_errors(
            _("最大年龄必须是整数。"), _("最大年龄不能小于{min_value}。"), _("最大年龄不能大于{max_value}。")
        ),
    )
    q = serializers.CharField(
        required=False,
        max_length=40,
        help_text=_("姓名（包含）或身份证号（开头）"),
        error_messages={"max_length": _("查询内容不能超过{max_length}个字符。")},
    )

    def validate(self, attrs):
        low, high = attrs.get("min_age"), attrs.get("max_age")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"min_age": [_("最小年龄不能大于最大年龄。")]})
        return attrs

    @staticmethod
    def selector_kwargs(validated: dict) -> dict:
        """Arguments for `person_list` (all but `user`)."""
        return {
            "organization_id": validated.get("organization"),
            "post_kind": validated.get("post_kind"),
            "title": validated.get("title"),
            "min_age": validated.get("min_age"),
            "max_age": validated.get("max_age"),
            "query": validated.get("q"),
            "on": OnDateQuerySerializer.on_date(validated),
        }


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.Filter):
    """An exact match on a numeric id; anything but a positive integer is a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, invalid_message, **kwargs):
        kwargs.update(min_value=1, max_value=MAX_ID, error_messages=dict.fromkeys(_ID_ERRORS, invalid_message))
        super().__init__(*args, **kwargs)


_INVALID_CHOICE = {"invalid_choice": _("“%(value)s”不是有效的选项。")}


def current_on(on: dt.date, prefix: str = "") -> Q:
    """Tenures in force on `on`: started by then and not ended before it."""
    return Q(**{f"{prefix}start_date__lte": on}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})
    )


class OrganizationFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(label=_("单位类别"), choices=c.OrgKind.choices, error_messages=_INVALID_CHOICE)
    stage = filters.ChoiceFilter(label=_("学段"), choices=c.Stage.choices, error_messages=_INVALID_CHOICE)
    code = filters.CharFilter(label=_("单位代码"))

    class Meta:
        model = Organization
        fields = ["kind", "stage", "code"]


class PostFilter(filters.FilterSet):
    organization = IdFilter(
        field_name="organization_id",
        label=_("单位ID"),
        invalid_message=_("单位ID必须是正整数。"),
    )
    kind = filters.ChoiceFilter(label=_("职务类别"), choices=c.PostKind.choices, error_messages=_INVALID_CHOICE)
    level = filters.ChoiceFilter(label=_("职务层级"), choices=c.PostLevel.choices, error_messages=_INVALID_CHOICE)

    class Meta:
        model = Post
        fields = ["organization", "kind", "level"]


class TenureFilter(filters.FilterSet):
    person = IdFilter(
        field_name="person_id",
        label=_("人员ID"),
        invalid_message=_("人员ID必须是正整数。"),
    )
    post = IdFilter(
        field_name="post_id",
        label=_("职位ID"),
        invalid_message=_("职位ID必须是正整数。"),
    )
    current = filters.ChoiceFilter(
        label=_("是否现任"),
        choices=[("true", _("是")), ("false", _("否"))],
        method="filter_current",
        error_messages={"invalid_choice": _("current 只能是 true 或 false。")},
        help_text=_("true：今天在任；false：今天不在任（已免职或尚未到任）"),
    )

    class Meta:
        model = Tenure
        fields = ["person", "post", "current"]

    def filter_current(self, queryset: QuerySet[Tenure], name: str, value: str) -> QuerySet[Tenure]:
        in_force = current_on(timezone.localdate())
        return queryset.filter(in_force) if value == "true" else queryset.exclude(in_force)
