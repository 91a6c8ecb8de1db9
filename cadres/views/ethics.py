"""Veto pages: everyone currently blocked (filterable, exportable) — scoped like every registry view."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.generic import TemplateView

from ..ethics.purposes import VetoPurpose
from ..ethics.veto import blocked_people
from ..excel import XLSX, ExcelBook
from ..scoping import organizations_visible_to, people_visible_to
from .mixins import BureauOrSchoolLeadRequired


class VetoFilterForm(forms.Form):
    organization = forms.ModelChoiceField(label=_lazy("单位"), queryset=None, required=False)
    purpose = forms.ChoiceField(label=_lazy("事项"), choices=[("", "—"), *VetoPurpose.choices], required=False)
    on = forms.DateField(label=_lazy("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_visible_to(user)


def _blocked_rows(request):
    form = VetoFilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    on = data.get("on") or timezone.localdate()
    people = people_visible_to(request.user)
    if data.get("organization"):
        people = people.filter(organization=data["organization"])
    purposes = [data["purpose"]] if data.get("purpose") else None
    return form, on, blocked_people(people, on=on, purposes=purposes)


class VetoListView(BureauOrSchoolLeadRequired, TemplateView):
    template_name = "cadres/veto_list.html"

    def get_context_data(self, **kwargs):
        form, on, rows = _blocked_rows(self.request)
        query = self.request.GET.urlencode()
        return super().get_context_data(form=form, on=on, rows=rows, query=query, **kwargs)


class VetoExportView(BureauOrSchoolLeadRequired, TemplateView):
    def get(self, request, *args, **kwargs):
        _form, on, rows = _blocked_rows(request)
        book = ExcelBook()
        sheet = book.sheet(_("一票否决名单"))
        sheet.set_widths((12, 30, 16, 16, 60))
        sheet.append_row([_("姓名"), _("单位"), _("受限事项"), _("限制至（不含）"), _("原因")])
        for row in rows:
            for purpose, result in row.results.items():
                sheet.append_row(
                    [
                        row.person.name,
                        row.person.organization.name,
                        str(VetoPurpose(purpose).label),
                        result.until.isoformat() if result.until else _("长期"),
                        result.sentence,
                    ]
                )
        response = HttpResponse(book.to_bytes(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="veto-{on.isoformat()}.xlsx"'
        return response
