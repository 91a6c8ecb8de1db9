"""Read serializers of the registry API. Choice fields carry their stable codes (see `cadres.choices`).

Derived facts (age, current posts, current title) are read at the date in the context key `on`; they are
computed from prefetched rows, so serializing a page costs no query per person.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import choices as c
from .. import facts
from ..models import (
    AnnualAppraisal,
    Education,
    FamilyMember,
    Organization,
    Person,
    Post,
    RewardPunishment,
    Tenure,
    TitleHistory,
)


def _on(serializer: serializers.Serializer) -> dt.date:
    return serializer.context["on"]


def in_force(tenure: Tenure, on: dt.date) -> bool:
    return tenure.start_date <= on and (tenure.end_date is None or tenure.end_date >= on)


class OrganizationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name"]
        read_only_fields = fields


class PostRefSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer(read_only=True)

    class Meta:
        model = Post
        fields = ["id", "name", "kind", "level", "organization"]
        read_only_fields = fields


class PersonRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "name"]
        read_only_fields = fields


class CurrentPostSerializer(serializers.ModelSerializer):
    """A post the person holds at the date asked about (one tenure in force)."""

    tenure = serializers.IntegerField(source="id", read_only=True)
    post = PostRefSerializer(read_only=True)

    class Meta:
        model = Tenure
        fields = ["tenure", "post", "start_date", "term_number"]
        read_only_fields = fields


class CurrentTitleSerializer(serializers.ModelSerializer):
    class Meta:
        model = TitleHistory
        fields = ["title", "obtained_on", "appointed_on"]
        read_only_fields = fields


class PersonListSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer(read_only=True)
    birth_month = serializers.DateField(
        read_only=True, help_text=_("出生年月：档案认定的年月，否则取身份证出生日期所在月")
    )
    age = serializers.SerializerMethodField(help_text=_("周岁年龄（在 on 日期，默认今天）"))
    current_posts = serializers.SerializerMethodField()
    current_title = serializers.SerializerMethodField()
    photo = serializers.SerializerMethodField(help_text=_("照片的下载地址（按查看范围提供）；无照片为 null"))

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "sex",
            "id_number",
            "birth_date",
            "record_birth_month",
            "birth_month",
            "age",
            "ethnicity",
            "native_place",
            "birthplace",
            "political_status",
            "party_join_date",
            "work_start_date",
            "health",
            "specialty",
            "subject",
            "organization",
            "employment_status",
            "photo",
            "current_posts",
            "current_title",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_photo(self, person: Person) -> str | None:
        """The API's scoped photo route, never the stored file's /media/ URL (which is not served)."""
        if not person.photo:
            return None
        url = reverse("api-person-photo", args=[person.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    def get_age(self, person: Person) -> int:
        return facts.age_on(person.birth_date, _on(self))

    @extend_schema_field(CurrentPostSerializer(many=True))
    def get_current_posts(self, person: Person):
        on = _on(self)
        current = sorted((t for t in person.tenures.all() if in_force(t, on)), key=lambda t: (t.start_date, t.pk))
        return CurrentPostSerializer(current, many=True, context=self.context).data

    @extend_schema_field(CurrentTitleSerializer(allow_null=True))
    def get_current_title(self, person: Person):
        """The latest title obtained on or before the date (the rank breaks a tie on the same day)."""
        on = _on(self)
        held = [t for t in person.titles.all() if t.obtained_on <= on]
        if not held:
            return None
        latest = max(held, key=lambda t: (t.obtained_on, c.TITLE_RANK.get(t.title, -1), t.pk))
        return CurrentTitleSerializer(latest, context=self.context).data


class EducationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Education
        fields = ["id", "kind", "level", "degree", "institution", "major", "start_date", "end_date"]
        read_only_fields = fields


class TitleSerializer(serializers.ModelSerializer):
    class Meta:
        model = TitleHistory
        fields = ["id", "title", "obtained_on", "appointed_on"]
        read_only_fields = fields


class AppraisalSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnnualAppraisal
        fields = ["year", "grade"]
        read_only_fields = fields


class RewardPunishmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RewardPunishment
        fields = ["kind", "date", "approver", "description"]
        read_only_fields = fields


class FamilyMemberSerializer(serializers.ModelSerializer):
    """A family row as the form prints it. `relative` (the registry id of a relative who is staff too) is
    present only for bureau-level users, who run recusal; school users see the printed columns only."""

    relative = serializers.IntegerField(
        source="relative_id",
        required=False,  # not always present, so the schema must not list it as required
        allow_null=True,
        help_text=_("在册亲属的人员ID（仅教育局用户可见）"),
    )

    class Meta:
        model = FamilyMember
        fields = ["relation", "name", "birth_month", "political_status", "work_unit_and_post", "relative"]
        read_only_fields = ["relation", "name", "birth_month", "political_status", "work_unit_and_post"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("show_relative_link"):
            data.pop("relative", None)
        return data


class TenureInPersonSerializer(serializers.ModelSerializer):
    post = PostRefSerializer(read_only=True)

    class Meta:
        model = Tenure
        fields = [
            "id",
            "post",
            "start_date",
            "end_date",
            "document_number",
            "method",
            "term_number",
            "probation_end",
        ]
        read_only_fields = fields


class PersonDetailSerializer(PersonListSerializer):
    educations = EducationSerializer(many=True, read_only=True)
    titles = TitleSerializer(many=True, read_only=True)
    appraisals = AppraisalSerializer(many=True, read_only=True)
    rewards_punishments = RewardPunishmentSerializer(many=True, read_only=True)
    family = FamilyMemberSerializer(many=True, read_only=True)
    resume_lines = serializers.SerializerMethodField(help_text=_("简历行：YYYY.MM--YYYY.MM  单位职务"))
    tenures = serializers.SerializerMethodField()

    class Meta(PersonListSerializer.Meta):
        fields = [
            *PersonListSerializer.Meta.fields,
            "educations",
            "titles",
            "appraisals",
            "rewards_punishments",
            "family",
            "resume_lines",
            "tenures",
        ]
        read_only_fields = fields

    def get_resume_lines(self, person: Person) -> list[str]:
        return facts.resume_lines(list(person.resume_entries.all()))

    @extend_schema_field(TenureInPersonSerializer(many=True))
    def get_tenures(self, person: Person):
        ordered = sorted(person.tenures.all(), key=lambda t: (t.start_date, t.pk))
        return TenureInPersonSerializer(ordered, many=True, context=self.context).data


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "stage",
            "township",
            "ownership",
            "parent",
            "contact_phone",
            "address",
            "postcode",
        ]
        read_only_fields = fields


class PostSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer(read_only=True)
    current_holders = serializers.IntegerField(read_only=True, help_text=_("今天在任的人数"))
    vacancies = serializers.SerializerMethodField(help_text=_("空缺职数（职数减在任人数，不小于0）"))

    class Meta:
        model = Post
        fields = ["id", "organization", "name", "kind", "level", "headcount", "current_holders", "vacancies"]
        read_only_fields = fields

    def get_vacancies(self, post: Post) -> int:
        return max(post.headcount - post.current_holders, 0)


class TenureSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(read_only=True)
    post = PostRefSerializer(read_only=True)
    is_current = serializers.SerializerMethodField(help_text=_("今天是否在任"))

    class Meta:
        model = Tenure
        fields = [
            "id",
            "person",
            "post",
            "start_date",
            "end_date",
            "document_number",
            "method",
            "term_number",
            "probation_end",
            "is_current",
        ]
        read_only_fields = fields

    def get_is_current(self, tenure: Tenure) -> bool:
        return in_force(tenure, _on(self))


class RosterImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_("花名册 Excel 文件（.xlsx），列见 cadres/roster/columns.py"),
        error_messages={
            "required": _("请上传花名册文件（字段名 file）。"),
            "invalid": _("上传的内容不是文件。"),
            "empty": _("上传的文件是空的。"),
            "no_name": _("无法识别上传文件的文件名。"),
        },
    )


class RosterImportErrorItemSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text=_("Excel 行号"))
    column = serializers.CharField(allow_null=True, allow_blank=True, help_text=_("列名"))
    message = serializers.CharField()


class RosterImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text=_("新增人数"))
    updated = serializers.IntegerField(help_text=_("更新人数"))
    unchanged = serializers.IntegerField(help_text=_("无变化人数"))


class RosterImportFailureSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = RosterImportErrorItemSerializer(many=True)
