"""Dossier documents: versions, download, generation of the 干部任免审批表, retry, and verification.

Every view reads through `documents_visible_to` (scope *and* the kind's audience, see `dossiers.kinds`) or
`people_visible_to`, so a document the user may not read is a 404, whatever the URL says. Who may act:
- generate a 任免审批表: personnel officers (anyone they can see), school secretaries (their own school);
- retry a failed rendering: personnel officers;
- list, open, download and verify: whoever `documents_visible_to` admits. The stored PDF (random name, never
  served by URL) goes out only through `DocumentDownloadView`, by `cadres.files.protected_file_response`.

The verify page requires login (the site-wide middleware), on purpose: the documents are internal personnel
materials, and an open endpoint would let anyone probe which codes or files exist and learn titles and dates
of appointments under discussion. Holders of a printed copy are staff with an account. For the same reason
a code or file that matches a document the user may not read answers exactly like one that matches nothing.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from audit.services import record_event
from cadres.files import protected_file_response
from cadres.roles import Role, has_role, organization_of, profile_of
from cadres.selectors import person_detail_queryset

from ..content.appointment_form import build_appointment_form
from ..kinds import DossierKind
from ..models import DossierDocument
from ..packs.selectors import copies_for
from ..selectors import documents_visible_to
from ..services import dossier_generate, find_by_code, find_by_pdf, render_document

MAX_VERIFY_UPLOAD = 50 * 1024 * 1024


def can_generate_dossiers(user) -> bool:
    """Personnel officers and school secretaries (their scope limits whom); superusers too."""
    return bool(user.is_superuser or has_role(user, Role.PERSONNEL_OFFICER, Role.SCHOOL_SECRETARY))


def can_retry_dossiers(user) -> bool:
    return bool(user.is_superuser or has_role(user, Role.PERSONNEL_OFFICER))


def default_filled_by(user) -> str:
    profile = profile_of(user)
    if profile is not None and profile.person_id:
        return profile.person.name
    return user.get_full_name() or user.get_username()


class AppointmentFormRequest(forms.Form):
    """What the officer chooses when generating a 任免审批表; everything else comes from the registry."""

    on = forms.DateField(
        label=gettext_lazy("计算年龄时间"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    proposed_post = forms.CharField(label=gettext_lazy("拟任职务"), max_length=120, required=False)
    proposed_removal = forms.CharField(label=gettext_lazy("拟免职务"), max_length=120, required=False)
    reason = forms.CharField(label=gettext_lazy("任免理由"), max_length=300, required=False)
    reporting_unit = forms.CharField(label=gettext_lazy("呈报单位"), max_length=100, required=False)
    filled_by = forms.CharField(label=gettext_lazy("填表人"), max_length=40, required=False)

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    @classmethod
    def initial_for(cls, user) -> dict:
        org = organization_of(user)
        return {
            "on": timezone.localdate(),
            "reporting_unit": org.name if org else "",
            "filled_by": default_filled_by(user),
        }

    def clean_on(self):
        on = self.cleaned_data["on"]
        if self.person is not None and on < self.person.birth_date:
            raise forms.ValidationError(_("计算年龄时间不能早于出生日期。"), code="before_birth")
        if on > timezone.localdate() + dt.timedelta(days=3 * 366):
            raise forms.ValidationError(_("计算年龄时间不能晚于三年以后。"), code="too_late")
        return on


class DocumentListView(TemplateView):
    template_name = "dossiers/document_list.html"

    def get_context_data(self, **kwargs):
        docs = documents_visible_to(self.request.user).select_related("subject", "organization")[:200]
        copies = copies_for(self.request.user)[:50]
        return super().get_context_data(documents=docs, pack_copies=copies, **kwargs)


class DocumentDetailView(TemplateView):
    """One version: status, code, SHA-256, download, and the other versions of its series."""

    template_name = "dossiers/document_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        visible = documents_visible_to(user).select_related("subject", "organization", "created_by")
        doc = get_object_or_404(visible, pk=kwargs["pk"])
        versions = visible.filter(series=doc.series).order_by("-version")
        return super().get_context_data(
            doc=doc,
            versions=versions,
            can_retry=can_retry_dossiers(user) and not doc.is_rendered,
            **kwargs,
        )


class DocumentDownloadView(View):
    """The stored PDF, byte for byte; each download is written to the audit trail."""

    def get(self, request, pk):
        doc = get_object_or_404(documents_visible_to(request.user), pk=pk)
        if not doc.is_rendered or not doc.pdf:
            raise Http404
        response = protected_file_response(doc.pdf, filename=f"{doc.title}-v{doc.version}.pdf")
        record_event(actor=request.user, action="dossier_downloaded", obj=doc, payload={"version": doc.version})
        return response


class DocumentRetryView(View):
    """Render a failed (or stuck pending) version again, now, for a personnel officer."""

    def post(self, request, pk):
        if not can_retry_dossiers(request.user):
            raise PermissionDenied
        doc = get_object_or_404(documents_visible_to(request.user), pk=pk)
        if doc.is_rendered:
            messages.info(request, _("该版本已生成，无需重试。"))
            return redirect("dossiers:documents:detail", pk=doc.pk)
        record_event(actor=request.user, action="dossier_retry_requested", obj=doc, from_state=doc.status)
        doc = render_document(doc.pk)
        if doc.is_rendered:
            messages.success(request, _("已重新生成。"))
        else:
            messages.error(request, _("重新生成仍然失败：%(error)s") % {"error": doc.last_error})
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("dossiers:documents:detail", args=[doc.pk])
        return redirect(back)


class AppointmentFormGenerateView(View):
    """POST: build the person's 任免审批表 at the chosen date and make the next version of it."""

    template_name = "dossiers/document_generate.html"

    def post(self, request, person_pk):
        if not can_generate_dossiers(request.user):
            raise PermissionDenied
        person = get_object_or_404(person_detail_queryset(user=request.user), pk=person_pk)
        form = AppointmentFormRequest(request.POST, person=person)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "person": person}, status=422)
        options = form.cleaned_data
        content = build_appointment_form(
            person,
            on=options["on"],
            proposed_post=options["proposed_post"],
            proposed_removal=options["proposed_removal"],
            reason=options["reason"],
            reporting_unit=options["reporting_unit"],
            filled_by=options["filled_by"],
        )
        with transaction.atomic():  # rendering starts after this block commits
            doc = dossier_generate(
                kind=DossierKind.APPOINTMENT_FORM,
                content=content,
                acting_user=request.user,
                organization=person.organization,
                subject=person,
                title=str(DossierKind.APPOINTMENT_FORM.label),
            )
        doc.refresh_from_db()
        if doc.status == DossierDocument.Status.FAILED:
            messages.error(request, _("生成失败，已记录，可稍后重试。"))
        return redirect("dossiers:documents:detail", pk=doc.pk)


class VerifyForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("验证码"), max_length=32, required=False)
    pdf = forms.FileField(label=gettext_lazy("或上传PDF文件"), required=False)

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        if upload and upload.size > MAX_VERIFY_UPLOAD:
            raise forms.ValidationError(_("文件过大（上限 50 MB）。"), code="too_large")
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("code", "").strip() and not data.get("pdf") and not self.errors:
            raise forms.ValidationError(_("请输入验证码或上传PDF文件。"), code="empty")
        return data


def verification_result(user, doc: DossierDocument | None, *, method: str) -> dict:
    """What the verify page may say about a match. A document the user may not read (scope or audience) is
    reported exactly as no match: its existence, kind and dates are themselves internal."""
    if doc is None or not documents_visible_to(user).filter(pk=doc.pk).exists():
        return {"matched": False, "method": method}
    newer = DossierDocument.objects.filter(
        series=doc.series, version__gt=doc.version, status=DossierDocument.Status.RENDERED
    ).exists()
    return {
        "matched": True,
        "method": method,
        "title": doc.title,
        "kind": doc.get_kind_display(),
        "version": doc.version,
        "rendered_at": doc.rendered_at,
        "page_count": doc.page_count,
        "sha256": doc.sha256,
        "subject_name": doc.subject.name if doc.subject_id else "",
        "detail_pk": doc.pk,
        "superseded": newer,
    }


class VerifyView(View):
    """Does a code, or an uploaded PDF, match a stored version? GET ?code=…, or POST a file."""

    template_name = "dossiers/verify.html"

    def get(self, request):
        result = None
        form = VerifyForm(request.GET or None)
        if request.GET.get("code") and form.is_valid():
            code = form.cleaned_data["code"]
            result = verification_result(request.user, find_by_code(code), method="code")
            result["code"] = code.strip().upper()
        return render(request, self.template_name, {"form": form, "result": result})

    def post(self, request):
        form = VerifyForm(request.POST, request.FILES)
        result = None
        if form.is_valid():
            upload = form.cleaned_data.get("pdf")
            if upload:
                result = verification_result(request.user, find_by_pdf(upload.read()), method="pdf")
                result["filename"] = upload.name
            else:
                code = form.cleaned_data["code"]
                result = verification_result(request.user, find_by_code(code), method="code")
                result["code"] = code.strip().upper()
        return render(request, self.template_name, {"form": form, "result": result})
