"""The list (filter, Excel, 名册 PDF), nomination, and one entry's page with its steps and 小传."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from audit.models import AuditEvent
from cadres.recusal import recusal_reason
from cadres.roles import organization_of

from .. import documents, exports, policies, selectors, services
from ..actions import ACTIONS, available_actions
from ..choices import ReserveState
from ..exceptions import ReserveError
from ..forms import EntryFilterForm, NominateForm
from ..models import ReserveEntry
from ..rules import reserve_pool_params
from .access import PoolPageRequired

HISTORY_LABELS = {
    "reserve_entry_nominate": gettext_lazy("提名"),
    "reserve_entry_submit_for_review": gettext_lazy("提交审核"),
    "reserve_entry_review": gettext_lazy("资格审查"),
    "reserve_entry_assess": gettext_lazy("录入考察结果"),
    "reserve_entry_admit": gettext_lazy("决定入库"),
    "reserve_entry_renew": gettext_lazy("续期"),
    "reserve_entry_shortlist": gettext_lazy("列为考察对象"),
    "reserve_entry_return_to_pool": gettext_lazy("退回后备库"),
    "reserve_entry_mark_used": gettext_lazy("标记已使用"),
    "reserve_entry_remove": gettext_lazy("撤销资格"),
    "reserve_entry_expire": gettext_lazy("到期"),
    "reserve_entry_yearly_review": gettext_lazy("年度复核"),
}


def filtered_entries(request):
    """The filter form and the visible entries it selects (none when the form is invalid)."""
    form = EntryFilterForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        return form, ReserveEntry.objects.none()
    return form, selectors.entry_list(user=request.user, **form.filters())


def _issuer(user):
    organization = organization_of(user)
    if organization is None:
        raise PermissionDenied
    return organization


class EntryListView(PoolPageRequired, TemplateView):
    template_name = "reserve_pool/entry_list.html"
    page_size = 50

    def get_context_data(self, **kwargs):
        form, entries = filtered_entries(self.request)
        page = Paginator(entries, self.page_size).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=form,
            page=page,
            query=query.urlencode(),
            may_nominate=policies.is_officer(self.request.user)
            or policies.secretary_school_id(self.request.user) is not None,
            **kwargs,
        )


class EntryExportView(PoolPageRequired, View):
    def get(self, request):
        _form, entries = filtered_entries(request)
        on = timezone.localdate()
        response = HttpResponse(exports.entries_workbook(entries, on=on), content_type=exports.XLSX)
        response["Content-Disposition"] = f'attachment; filename="reserve-entries-{on.isoformat()}.xlsx"'
        return response


class RosterView(PoolPageRequired, View):
    """POST: a new 后备干部名册 version of the current filter; then its document page."""

    def post(self, request):
        form = EntryFilterForm(request.POST, user=request.user)  # bound even when no filter is set: the whole list
        if not form.is_valid():
            messages.error(request, _("筛选条件无效，未生成名册。"))
            return redirect("reserve_pool:entries:index")
        entries = selectors.entry_list(user=request.user, **form.filters())
        on = timezone.localdate()
        try:
            with transaction.atomic():
                doc = documents.roster_document(
                    entries,
                    acting_user=request.user,
                    organization=_issuer(request.user),
                    scope=form.describe() or _("全部"),
                    on=on,
                )
        except ReserveError as exc:
            messages.error(request, str(exc))
            return redirect(f"{reverse('reserve_pool:entries:index')}?{request.POST.urlencode()}")
        messages.success(request, _("已生成后备干部名册（第%(v)d版）。") % {"v": doc.version})
        return redirect("dossiers:documents:detail", pk=doc.pk)


class NominateView(PoolPageRequired, FormView):
    template_name = "reserve_pool/nominate.html"
    form_class = NominateForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (policies.is_officer(user) or policies.secretary_school_id(user) is not None):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        person = self.request.GET.get("person")
        return {"person": person} if person and person.isdigit() else {}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            entry = services.reserve_entry_nominate(
                acting_user=self.request.user,
                person=data["person"],
                origin=data["origin"],
                post_kind=data["post_kind"],
                horizon=data["horizon"],
                target_post=data.get("target_post"),
                organization=data.get("organization"),
                source_ref=data.get("source_ref", ""),
                note=data["note"],
            )
        except ReserveError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("已提名%(name)s为后备干部。") % {"name": entry.person.name})
        return redirect("reserve_pool:entries:detail", pk=entry.pk)


class EntryDetailView(PoolPageRequired, TemplateView):
    """One entry: its facts, quota, training, reviews, history, and the steps the user may take."""

    template_name = "reserve_pool/entry_detail.html"

    def get_entry(self) -> ReserveEntry:
        return get_object_or_404(selectors.entry_detail_queryset(user=self.request.user), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.context_for(self.get_entry()))

    def context_for(self, entry: ReserveEntry, *, bound=None, error: str = "") -> dict:
        user = self.request.user
        on = timezone.localdate()
        actions = [
            (action, bound if bound is not None and bound.prefix == action.name else action.form(entry))
            for action in available_actions(entry, user)
        ]
        states = dict(ReserveState.choices)
        history = [
            {
                "event": e,
                "label": HISTORY_LABELS.get(e.action, e.action),
                "from": states.get(e.from_state, e.from_state),
                "to": states.get(e.to_state, e.to_state),
            }
            for e in AuditEvent.objects.for_object(entry).select_related("actor").order_by("at", "pk")
        ]
        params = reserve_pool_params(on)
        return self.get_context_data(
            entry=entry,
            person=entry.person,
            actions=actions,
            failed_action=bound.prefix if bound is not None else "",
            action_error=error,
            recusal=recusal_reason(user, entry.person),
            review_reasons=selectors.review_reasons(entry),
            quota=selectors.quota_figure(organization=entry.organization, post_kind=entry.post_kind, params=params),
            training=selectors.training_summary(entry, year=on.year),
            history=history,
            may_print_profile=bool(entry.profile_text.strip()),
        )


class EntryActionView(EntryDetailView):
    """POST one step; on a refusal the entry page comes back with the reason and the input kept."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        action = ACTIONS.get(kwargs["action"])
        if action is None:
            raise Http404
        entry = self.get_entry()
        form = action.form_class(request.POST, prefix=action.name)
        if not form.is_valid():
            return self.render_to_response(self.context_for(entry, bound=form, error=_("请更正下列错误。")), status=400)
        try:
            action.perform(entry, request.user, form.cleaned_data)
        except ReserveError as exc:
            return self.render_to_response(self.context_for(entry, bound=form, error=str(exc)), status=409)
        messages.success(request, str(action.done))
        return redirect("reserve_pool:entries:detail", pk=entry.pk)


class ProfileDocumentView(EntryDetailView):
    """POST: a new version of the entry's 后备干部小传, then its document page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        entry = self.get_entry()
        try:
            with transaction.atomic():
                doc = documents.profile_document(entry, acting_user=request.user, on=timezone.localdate())
        except ReserveError as exc:
            return self.render_to_response(self.context_for(entry, error=str(exc)), status=409)
        return redirect("dossiers:documents:detail", pk=doc.pk)
