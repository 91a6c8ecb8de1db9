"""Admin for the registry, scoped like every other view: a school-level staff user sees only its school."""

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from . import models as m
from .images import validate_photo_upload
from .scoping import organizations_visible_to, people_visible_to


class PersonScopedAdmin(admin.ModelAdmin):
    """For models reached through a person: filter by `person_path` to the people the user may see."""

    person_path = "person"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.filter(**{f"{self.person_path}__in": people_visible_to(request.user)})


class EducationInline(admin.TabularInline):
    model = m.Education
    extra = 0


class ResumeInline(admin.TabularInline):
    model = m.ResumeEntry
    extra = 0
    fk_name = "person"


class TitleInline(admin.TabularInline):
    model = m.TitleHistory
    extra = 0


class AppraisalInline(admin.TabularInline):
    """Read-only: a yearly result is written only through `cadres.ethics.services.annual_appraisal_record`
    (the 干部考核 pages), which refuses a grade above the ethics cap; typing it here would bypass the veto."""

    model = m.AnnualAppraisal
    extra = 0
    fields = ("year", "grade")
    readonly_fields = ("year", "grade")
    can_delete = False
    verbose_name_plural = _("年度考核（只读：经“干部考核”办理，按师德等次限制校验后写入）")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RewardInline(admin.TabularInline):
    model = m.RewardPunishment
    extra = 0


class FamilyInline(admin.TabularInline):
    model = m.FamilyMember
    extra = 0
    fk_name = "person"
    raw_id_fields = ("relative",)


class TenureInline(admin.TabularInline):
    model = m.Tenure
    extra = 0
    raw_id_fields = ("post",)


class PersonAdminForm(forms.ModelForm):
    class Meta:
        model = m.Person
        fields = "__all__"  # noqa: DJ007 - the admin edits every field

    def clean_photo(self):
        """A newly uploaded photo must pass `cadres.images` (size, pixels, JPEG/PNG, decodes whole)."""
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile):
            validate_photo_upload(photo)
        return photo


@admin.register(m.Person)
class PersonAdmin(admin.ModelAdmin):
    form = PersonAdminForm
    list_display = ("name", "sex", "birth_date", "organization", "political_status", "employment_status")
    list_filter = ("organization__township", "organization__stage", "sex", "employment_status")
    search_fields = ("name", "id_number")
    raw_id_fields = ("organization",)
    inlines = [EducationInline, ResumeInline, TitleInline, AppraisalInline, RewardInline, FamilyInline, TenureInline]

    def get_queryset(self, request):
        return people_visible_to(request.user, super().get_queryset(request))


@admin.register(m.Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "stage", "township", "ownership", "contact_phone")
    list_filter = ("kind", "stage", "township", "ownership")
    search_fields = ("name", "code")
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "kind", "stage", "township", "ownership", "parent")}),
        (_("联系方式（印在公示、公告上）"), {"fields": ("contact_phone", "address", "postcode")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=organizations_visible_to(request.user))


@admin.register(m.Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("organization", "name", "kind", "level", "headcount")
    list_filter = ("kind", "level")
    search_fields = ("name", "organization__name")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(organization__in=organizations_visible_to(request.user))


@admin.register(m.Tenure)
class TenureAdmin(PersonScopedAdmin):
    list_display = ("person", "post", "start_date", "end_date", "document_number", "method", "term_number")
    raw_id_fields = ("person", "post")


@admin.register(m.Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "person")
    raw_id_fields = ("person",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(organization__in=organizations_visible_to(request.user))


@admin.register(m.CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "note")


class RuleSetItemInline(admin.TabularInline):
    model = m.RuleSetItem
    extra = 0


@admin.register(m.RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ("name", "purpose", "post_level", "effective_from", "effective_to")
    list_filter = ("purpose", "post_level")
    inlines = [RuleSetItemInline]
