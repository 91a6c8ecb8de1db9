"""信息更正确认: the bureau's personnel officers confirm or reject the registry corrections that steps proposed.

Thin over `cadres.corrections`: GET lists the pending proposals in the officer's scope (person named with
unit, old → new, source, reason); POST confirms one or rejects it with a reason.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from ..corrections import CorrectionRefused, correction_confirm, correction_reject, may_decide, pending_for


class DecisionForm(forms.Form):
    correction = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[("confirm", _("确认")), ("reject", _("退回"))])
    reason = forms.CharField(required=False, max_length=500)


class CorrectionListView(View):
    template_name = "cadres/corrections.html"

    def dispatch(self, request, *args, **kwargs):
        if not may_decide(request.user):
            raise PermissionDenied(_("只有教育局组织人事科干部可以确认或退回信息更正。"))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        rows = pending_for(request.user)
        return render(request, self.template_name, {"rows": rows, "count": rows.count()})

    def post(self, request):
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请求无效：请从列表中选择要处理的更正建议。"))
            return redirect(request.path)
        correction = pending_for(request.user).filter(pk=form.cleaned_data["correction"]).first()
        if correction is None:
            messages.error(request, _("该更正建议不存在、已处理或不在您的管理范围内。"))
            return redirect(request.path)
        try:
            if form.cleaned_data["action"] == "confirm":
                correction_confirm(correction=correction, acting_user=request.user)
                messages.success(
                    request,
                    _("已确认：%(name)s的%(field)s更正为%(new)s。")
                    % {
                        "name": correction.person.name,
                        "field": correction.get_field_display(),
                        "new": correction.new_value.strftime("%Y.%m.%d"),
                    },
                )
            else:
                correction_reject(correction=correction, acting_user=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("已退回%(name)s的更正建议。") % {"name": correction.person.name})
        except CorrectionRefused as refused:
            messages.error(request, str(refused))
        return redirect(request.path)
