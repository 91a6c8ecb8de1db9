"""LRMX pages: upload a file into a unit, download a person's file. Thin over `cadres.lrmx.services`.

Who may use them is `services.can_use_lrmx` (otherwise 403); a unit outside the user's scope is a 403,
a person outside it a 404, as everywhere in the registry. An upload whose request is larger than
`MAX_REQUEST_BYTES` is refused from its Content-Length, before Django reads (and spools) the body; the
CSRF check therefore runs inside the view, after that check, instead of in the middleware.
"""

from __future__ import annotations

import io

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from . import schema
from .reader import LrmxError
from .services import can_use_lrmx, lrmx_organizations, lrmx_people, person_export_lrmx, person_import_lrmx

MB = 1024 * 1024
# The file cap plus room for the multipart envelope and the other form fields.
MAX_REQUEST_BYTES = schema.MAX_FILE_BYTES + 256 * 1024


def _too_large_message(size: int) -> str:
    return _("文件过大：%(size).1f MB，LRMX 文件不得超过 %(limit)d MB（照片不得超过 %(photo)d MB）。") % {
        "size": size / MB,
        "limit": schema.MAX_FILE_BYTES // MB,
        "photo": schema.MAX_PHOTO_BYTES // MB,
    }


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class LrmxImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("LRMX 文件"))
    organization = forms.ModelChoiceField(label=gettext_lazy("导入到单位"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "全国干部任免审批表软件导出的 .lrmx 文件（UTF-8 编码），不超过 %(n)d MB。"
        ) % {"n": -(-schema.MAX_FILE_BYTES // MB)}
        units = lrmx_organizations(user)
        self.fields["organization"].queryset = units
        if len(units) == 1:
            self.fields["organization"].initial = units[0]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((schema.FILE_SUFFIX, ".xml")):
            raise forms.ValidationError(_("请上传 .lrmx 文件。"))
        if upload.size > schema.MAX_FILE_BYTES:
            # Refused without reading it: a photo of many megabytes is the usual cause.
            raise forms.ValidationError(_too_large_message(upload.size))
        return upload


@method_decorator(csrf_exempt, name="dispatch")  # checked in dispatch, after the size: see the module docstring
class LrmxImportView(View):
    """GET: the upload form. POST: import, then the same page with the person and any warnings."""

    template_name = "cadres/lrmx_import.html"

    def dispatch(self, request, *args, **kwargs):
        if not can_use_lrmx(request.user):
            raise PermissionDenied(_("无权导入干部任免审批表。"))
        if request.method == "POST" and _declared_length(request) > MAX_REQUEST_BYTES:
            form = LrmxImportForm(user=request.user)
            form.cleaned_data = {}  # an unbound form has none; add_error needs it to attach the message
            form.add_error("file", _too_large_message(_declared_length(request)))
            return render(request, self.template_name, {"form": form}, status=413)
        return csrf_protect(super().dispatch)(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"form": LrmxImportForm(user=request.user)})

    def post(self, request, *args, **kwargs):
        unit = request.POST.get("organization", "")
        if unit.isdigit() and not lrmx_organizations(request.user).filter(pk=int(unit)).exists():
            raise PermissionDenied(_("您无权向该单位导入人员。"))
        form = LrmxImportForm(request.POST, request.FILES, user=request.user)
        context = {"form": form}
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                person = person_import_lrmx(
                    upload.read(), acting_user=request.user, organization=form.cleaned_data["organization"]
                )
            except LrmxError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
            else:
                context = {
                    "form": LrmxImportForm(user=request.user, initial={"organization": person.organization}),
                    "person": person,
                    "report": person.lrmx_report,
                }
        return render(request, self.template_name, context, status=200 if not form.errors else 400)


class LrmxExportView(View):
    """The person's .lrmx file as a download; recorded in the audit trail."""

    def get(self, request, pk):
        if not can_use_lrmx(request.user):
            raise PermissionDenied(_("无权导出干部任免审批表。"))
        person = get_object_or_404(
            lrmx_people(request.user).prefetch_related(
                "educations",
                "titles",
                "resume_entries",
                "rewards_punishments",
                "appraisals",
                "family",
                "tenures__post__organization",
            ),
            pk=pk,
        )
        data = person_export_lrmx(person, acting_user=request.user)
        filename = _("干部任免审批表-%(name)s%(suffix)s") % {"name": person.name, "suffix": schema.FILE_SUFFIX}
        return FileResponse(
            io.BytesIO(data),
            as_attachment=True,
            filename=filename,
            content_type=f"{schema.CONTENT_TYPE}; charset=utf-8",
        )
