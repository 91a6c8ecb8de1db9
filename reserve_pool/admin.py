"""Admin for the reserve pool: read-only and scoped. Every change goes through `reserve_pool.services` (state
machine, rules, audit); the state field is protected and never editable here. Parameters (quotas, validity,
training hours …) are edited in the `reserve_pool` rule set under 规则集."""

from django.contrib import admin

from .models import ReserveEntry, TrainingRecord, YearlyReview
from .selectors import entries_visible_to


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TrainingInline(admin.TabularInline):
    model = TrainingRecord
    extra = 0
    fields = ("course", "provider", "start_date", "end_date", "hours", "recorded_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class YearlyReviewInline(admin.TabularInline):
    model = YearlyReview
    extra = 0
    fields = ("year", "due_on", "status", "decision", "reason", "reviewer", "decided_on")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReserveEntry)
class ReserveEntryAdmin(ReadOnlyAdmin):
    list_display = ("person", "organization", "kind", "post_kind", "horizon", "state", "valid_until", "origin")
    list_filter = ("state", "kind", "horizon", "origin", "post_kind")
    search_fields = ("person__name", "person__id_number", "organization__name", "admission_document")
    date_hierarchy = "nominated_on"
    inlines = [TrainingInline, YearlyReviewInline]
    list_select_related = ("person", "organization")

    def get_queryset(self, request):
        return entries_visible_to(request.user, super().get_queryset(request))


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ReadOnlyAdmin):
    list_display = ("entry", "course", "provider", "start_date", "end_date", "hours")
    search_fields = ("entry__person__name", "course", "provider")
    list_select_related = ("entry__person",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(entry__in=entries_visible_to(request.user))


@admin.register(YearlyReview)
class YearlyReviewAdmin(ReadOnlyAdmin):
    list_display = ("entry", "year", "due_on", "status", "decision", "decided_on")
    list_filter = ("status", "decision", "year")
    search_fields = ("entry__person__name",)
    list_select_related = ("entry__person",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(entry__in=entries_visible_to(request.user))
