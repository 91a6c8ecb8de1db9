"""上会材料 pages: meetings, their cases and recipients, building copies, progress, download.

Only bureau-level personnel officers manage them: a school-level user gets 404 (the pages do not exist for
them), a bureau user without the role gets 403. A built copy is downloaded by its listed recipient (their
copies are listed on the 材料 page) or by the officers who print and hand out the copies
(`builds_downloadable_by`); its file, stored under a random name, goes out only through `BuildDownloadView`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from cadres.files import protected_file_response
from cadres.picker import bind_user
from cadres.roles import is_bureau_user, organization_of

from .assembly import copy_label
from .forms import CaseFormSet, MeetingForm, RecipientFormSet, case_specs, recipient_specs
from .models import CommitteeMeeting, PackBuild, PackRecipient
from .selectors import builds_downloadable_by, builds_visible_to, can_manage_packs, meetings_visible_to, pack_plan
from .services import meeting_create, meeting_update, pack_build, pack_download


class OfficerRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_bureau_user(request.user):
            raise Http404
        if not can_manage_packs(request.user):
            raise PermissionDenied(_("仅组织人事科干部可以管理上会材料。"))
        return super().dispatch(request, *args, **kwargs)


def _meeting(request, pk) -> CommitteeMeeting:
    return get_object_or_404(meetings_visible_to(request.user), pk=pk)


def _build_url(build: PackBuild, name: str) -> str:
    return reverse(f"dossiers:packs:{name}", args=[build.pk])


class MeetingListView(OfficerRequiredMixin, TemplateView):
    template_name = "dossiers/pack_meeting_list.html"

    def get_context_data(self, **kwargs):
        meetings = meetings_visible_to(self.request.user).annotate(
            case_count=Count("cases", distinct=True), recipient_count=Count("recipients", distinct=True)
        )[:200]
        return super().get_context_data(meetings=meetings, **kwargs)


class MeetingFormView(OfficerRequiredMixin, TemplateView):
    """Create (no pk) or change a meeting with its ordered cases and recipients."""

    template_name = "dossiers/pack_meeting_form.html"

    def _forms(self, meeting: CommitteeMeeting | None, data=None):
        user = self.request.user
        initial, cases, recipients = {}, [], []
        if meeting is not None:
            initial = {
                "title": meeting.title,
                "date": meeting.date,
                "confidentiality": meeting.confidentiality,
                "kinds": meeting.kinds,
            }
            cases = [
                {"subject": c.subject_id, "label": c.label, "ORDER": c.order}
                for c in meeting.cases.order_by("order", "id")
            ]
            recipients = [
                {"user": r.user_id, "name": r.name, "copy_number": r.copy_number} for r in meeting.recipients.all()
            ]
        case_forms = CaseFormSet(data, prefix="cases", initial=cases, form_kwargs={"user": user})
        bind_user(case_forms, user)  # the rows' pickers read their chosen people in one query
        return (
            MeetingForm(data, initial=initial),
            case_forms,
            RecipientFormSet(data, prefix="recipients", initial=recipients, form_kwargs={"user": user}),
        )

    def _meeting_or_none(self):
        pk = self.kwargs.get("pk")
        return _meeting(self.request, pk) if pk else None

    def get(self, request, *args, **kwargs):
        meeting = self._meeting_or_none()
        form, cases, recipients = self._forms(meeting)
        context = self.get_context_data(meeting=meeting, form=form, cases=cases, recipients=recipients)
        return self.render_to_response(context)

    def post(self, request, *args, **kwargs):
        meeting = self._meeting_or_none()
        form, cases, recipients = self._forms(meeting, request.POST)
        if form.is_valid() and cases.is_valid() and recipients.is_valid():
            d = form.cleaned_data
            common = {
                "title": d["title"],
                "date": d["date"],
                "confidentiality": d["confidentiality"],
                "kinds": d["kinds"],
                "cases": case_specs(cases),
                "recipients": recipient_specs(recipients),
                "acting_user": request.user,
            }
            try:
                if meeting is None:
                    organization = organization_of(request.user) or _bureau_for(request.user)
                    meeting = meeting_create(organization=organization, **common)
                else:
                    meeting = meeting_update(meeting=meeting, **common)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已保存会议。"))
                return redirect("dossiers:packs:detail", meeting.pk)
        context = self.get_context_data(meeting=meeting, form=form, cases=cases, recipients=recipients)
        return self.render_to_response(context)


def _bureau_for(user):
    """A superuser without a profile files meetings under the (first) bureau."""
    from cadres.choices import OrgKind
    from cadres.models import Organization

    bureau = Organization.objects.filter(kind=OrgKind.BUREAU).order_by("pk").first()
    if bureau is None:
        raise ValidationError(_("系统中尚无教育局单位。"))
    return bureau


class MeetingDetailView(OfficerRequiredMixin, TemplateView):
    template_name = "dossiers/pack_meeting_detail.html"

    def get_context_data(self, **kwargs):
        meeting = _meeting(self.request, kwargs["pk"])
        recipients = meeting.recipients.select_related("user").prefetch_related(
            Prefetch("builds", queryset=PackBuild.objects.order_by("-created_at", "-id"), to_attr="recent_builds")
        )
        plans = pack_plan(meeting)
        rows = [
            {"recipient": r, "copy": copy_label(r.copy_number), "build": next(iter(r.recent_builds), None)}
            for r in recipients
        ]
        return super().get_context_data(
            meeting=meeting,
            plans=plans,
            total_pages=sum(p.pages for p in plans),
            recipients=rows,
            **kwargs,
        )


class PackBuildView(OfficerRequiredMixin, View):
    """POST: build one recipient's copy (`recipient`), or every recipient's (`all`)."""

    def post(self, request, pk):
        meeting = _meeting(request, pk)
        if request.POST.get("recipient"):
            recipients = [get_object_or_404(PackRecipient, meeting=meeting, pk=request.POST["recipient"])]
        else:
            recipients = list(meeting.recipients.all())
        builds = []
        try:
            for recipient in recipients:
                builds.append(pack_build(meeting=meeting, recipient=recipient, acting_user=request.user))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("dossiers:packs:detail", meeting.pk)
        if len(builds) == 1:
            return redirect("dossiers:packs:build", builds[0].pk)
        messages.success(request, _("已开始生成 %(n)d 份上会材料。") % {"n": len(builds)})
        return redirect("dossiers:packs:detail", meeting.pk)


def _status(build: PackBuild) -> dict:
    return {
        "id": build.pk,
        "status": build.status,
        "status_display": build.get_status_display(),
        "progress": build.progress,
        "pages": build.pages,
        "error": build.error,
        "download_url": _build_url(build, "download") if build.is_done else None,
    }


class BuildDetailView(OfficerRequiredMixin, TemplateView):
    """The progress bar page; it polls `BuildStatusView` until the copy is done or failed."""

    template_name = "dossiers/pack_build_detail.html"

    def get_context_data(self, **kwargs):
        build = get_object_or_404(builds_visible_to(self.request.user), pk=kwargs["pk"])
        return super().get_context_data(
            build=build,
            status=_status(build),
            status_url=_build_url(build, "build_status"),
            copy=copy_label(build.recipient.copy_number),
            **kwargs,
        )


class BuildStatusView(OfficerRequiredMixin, View):
    def get(self, request, pk):
        build = get_object_or_404(builds_visible_to(request.user), pk=pk)
        return JsonResponse(_status(build))


class BuildDownloadView(View):
    """A copy for its recipient or a managing officer; anyone else: 404 (403 for bureau users who are not
    personnel officers, as on every other pack page — whether the copy exists is not revealed either way)."""

    def get(self, request, pk):
        build = builds_downloadable_by(request.user).filter(pk=pk).first()
        if build is None:
            if is_bureau_user(request.user) and not can_manage_packs(request.user):
                raise PermissionDenied(_("仅分送对象本人和组织人事科干部可以下载上会材料。"))
            raise Http404
        if not build.is_done:
            raise Http404(_("上会材料尚未生成完成。"))
        filename = f"{build.meeting.title}-上会材料-{copy_label(build.recipient.copy_number)}.pdf"
        response = protected_file_response(build.file, filename=filename)  # 404 when the file is missing
        pack_download(build=build, acting_user=request.user)
        return response
