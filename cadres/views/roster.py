"""Roster pages: upload a 花名册, download the template, export the filtered people list. Thin over cadres.roster."""

from __future__ import annotations

import base64
import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from audit.services import record_event

from ..excel import workbook_response
from ..roster.exporter import export_roster
from ..roster.importer import RosterScope, errors_workbook, import_roster, roster_scope
from ..roster.template import build_template
from ..scoping import organizations_visible_to
from ..xlsx_guard import MAX_UPLOAD_BYTES, request_too_large
from .people import filtered_people

ERRORS_SHOWN = 200


def scope_or_403(user) -> RosterScope:
    scope = roster_scope(user)
    if scope is None:
        raise PermissionDenied(_("无权使用花名册导入导出。"))
    return scope


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("花名册文件"), help_text=gettext_lazy("Excel 工作簿（.xlsx），不超过 20 MB。")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件（.xls 请先用 Excel 另存为 .xlsx）。"))
        if upload.size > MAX_UPLOAD_BYTES:  # the same cap as the API and the importer (cadres.xlsx_guard)
            raise forms.ValidationError(_("文件不能超过 20 MB，请分批导入。"))
        return upload


@method_decorator(csrf_exempt, name="dispatch")  # checked in dispatch, after the size (see the class docstring)
class RosterImportView(View):
    """GET shows the upload form; POST imports, then redirects with the counts or shows every error.

    A request larger than the 20 MB cap (cadres.xlsx_guard) is answered 413 from its Content-Length, before
    Django reads or spools the body; the CSRF check therefore runs here, after that, not in the middleware.
    """

    template_name = "cadres/roster_import.html"

    def dispatch(self, request, *args, **kwargs):
        scope_or_403(request.user)
        too_large = request_too_large(request) if request.method == "POST" else ""
        if too_large:
            form = RosterUploadForm()
            form.cleaned_data = {}  # an unbound form has none; add_error needs it to attach the message
            form.add_error("file", too_large)
            return render(request, self.template_name, {"form": form, "result": None}, status=413)
        return csrf_protect(super().dispatch)(request, *args, **kwargs)

    def _render(self, request, form, result=None):
        context = {"form": form, "result": result}
        if result is not None and not result.ok:
            context["errors_shown"] = result.errors[:ERRORS_SHOWN]
            context["errors_hidden"] = max(len(result.errors) - ERRORS_SHOWN, 0)
            context["errors_xlsx"] = base64.b64encode(errors_workbook(result)).decode()
        return render(request, self.template_name, context)

    def get(self, request, *args, **kwargs):
        return self._render(request, RosterUploadForm())

    def post(self, request, *args, **kwargs):
        form = RosterUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form)
        result = import_roster(form.cleaned_data["file"], acting_user=request.user)
        if not result.ok:
            return self._render(request, RosterUploadForm(), result)
        messages.success(
            request,
            _("导入完成：共 %(rows)d 行，新增 %(created)d 人，更新 %(updated)d 人，%(unchanged)d 人无变化。")
            % {
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
        return redirect(request.path)


class RosterTemplateView(View):
    def get(self, request, *args, **kwargs):
        scope = scope_or_403(request.user)
        organizations = organizations_visible_to(request.user)
        if scope.organization_id is not None:
            organizations = organizations.filter(pk=scope.organization_id)
        return workbook_response(build_template(organizations=organizations), _("花名册导入模板.xlsx"))


class PersonExportView(View):
    """The people list as filtered on screen, within the user's scope, as a roster workbook."""

    def get(self, request, *args, **kwargs):
        scope_or_403(request.user)
        _form, people = filtered_people(request)
        filename = _("花名册-%(date)s.xlsx") % {"date": timezone.localdate().strftime("%Y%m%d")}
        content = export_roster(people)
        # A bulk export of personal data is recorded like any other disclosure.
        record_event(
            actor=request.user,
            action="roster_exported",
            object_type="cadres.roster",
            object_id=hashlib.sha256(content).hexdigest(),
            payload={"filters": request.GET.dict(), "rows": people.count()},
        )
        return workbook_response(content, filename)
