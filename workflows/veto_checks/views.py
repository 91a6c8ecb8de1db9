"""Pages of the list check: the checks made so far, three ways to submit a list, the result and its Excel.

Views stay thin: scope from `cadres.ethics.list_check.check_scope` (403 for users who may not check lists),
a stored check out of the user's reach answers 404, and every write goes through `services.veto_check_submit`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from cadres.ethics.list_check import (
    LIST_PURPOSES,
    ListFileError,
    check_scope,
    people_for_ids,
    read_id_sheet,
    school_teachers,
)
from cadres.excel import workbook_response
from cadres.xlsx_guard import request_too_large

from .exports import check_workbook
from .forms import PICK_LIMIT, CheckForm, PickForm, UploadForm
from .models import VetoCheck
from .services import VetoCheckError, veto_check_submit, visible_checks

PAGE_SIZE = 20


def can_check_lists(user) -> bool:
    return check_scope(user) is not None


class CheckerRequired:
    def dispatch(self, request, *args, **kwargs):
        if not can_check_lists(request.user):
            raise PermissionDenied(_("只有组织人事科干部或学校党组织书记/校长可以校验名单。"))
        return super().dispatch(request, *args, **kwargs)


def _result_url(check: VetoCheck) -> str:
    return reverse("veto_checks:checks:detail", args=[check.pk])


class CheckListView(CheckerRequired, TemplateView):
    template_name = "veto_checks/check_list.html"

    def get_context_data(self, **kwargs):
        page = Paginator(visible_checks(self.request.user), PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(page=page, may_check_school=school_teachers(self.request.user) is not None)


class UploadView(CheckerRequired, TemplateView):
    template_name = "veto_checks/upload.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", UploadForm())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        too_large = request_too_large(request)
        if too_large:
            return self.render_to_response(self.get_context_data(form=UploadForm(), file_error=too_large))
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            rows = read_id_sheet(form.cleaned_data["file"])
        except ListFileError as exc:
            return self.render_to_response(self.get_context_data(form=form, file_error=str(exc)))
        matched = people_for_ids(rows, scope=check_scope(request.user))
        if not matched.people:
            return self.render_to_response(self.get_context_data(form=form, problems=matched.problems))
        check = _submit(request, form, matched.people, VetoCheck.Source.UPLOAD, matched.problems)
        return redirect(_result_url(check)) if check else self.render_to_response(self.get_context_data(form=form))


def _submit(request, form, people, source, problems=()):
    try:
        return veto_check_submit(
            acting_user=request.user,
            purpose=form.cleaned_data["purpose"],
            on=form.cleaned_data["on"],
            people=people,
            source=source,
            problems=list(problems),
        )
    except VetoCheckError as exc:
        form.add_error(None, str(exc))
        return None


class PickView(CheckerRequired, TemplateView):
    """Pick people with the person picker (name, pinyin initials or ID digits), then submit the check."""

    template_name = "veto_checks/pick.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", PickForm(user=self.request.user))
        return super().get_context_data(limit=PICK_LIMIT, **kwargs)

    def post(self, request, *args, **kwargs):
        form = PickForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        check = _submit(request, form, form.cleaned_data["people"], VetoCheck.Source.PICK)
        if check is None:
            return self.render_to_response(self.get_context_data(form=form))
        return redirect(_result_url(check))


class SchoolView(CheckerRequired, TemplateView):
    """A school secretary checks every active member of staff of their school."""

    template_name = "veto_checks/school.html"

    def _teachers(self):
        teachers = school_teachers(self.request.user)
        if teachers is None:
            raise PermissionDenied(_("只有学校党组织书记/校长可以校验本校全体教职工。"))
        return teachers

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", CheckForm())
        return super().get_context_data(count=self._teachers().count(), **kwargs)

    def post(self, request, *args, **kwargs):
        teachers = self._teachers()
        form = CheckForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        check = _submit(request, form, teachers, VetoCheck.Source.SCHOOL)
        if check is None:
            return self.render_to_response(self.get_context_data(form=form))
        return redirect(_result_url(check))


class CheckDetailView(CheckerRequired, TemplateView):
    template_name = "veto_checks/check_detail.html"

    def get_context_data(self, **kwargs):
        check = get_object_or_404(visible_checks(self.request.user), pk=self.kwargs["pk"])
        counts = {}
        for s in check.standings:
            counts[s["outcome_label"]] = counts.get(s["outcome_label"], 0) + 1
        return super().get_context_data(
            check=check,
            purpose_label=LIST_PURPOSES[check.purpose],
            counts=list(counts.items()),  # in the order of the standings: 注册不合格, blocked, clear
            document=check.document,
            **kwargs,
        )


class CheckExcelView(CheckerRequired, View):
    def get(self, request, pk: int):
        check = get_object_or_404(visible_checks(request.user), pk=pk)
        filename = _("一票否决校验结果-%(d)s-%(n)d.xlsx") % {"d": check.on.isoformat(), "n": check.pk}
        return workbook_response(check_workbook(check), filename)
