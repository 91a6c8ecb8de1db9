"""登录锁定: the lockout answer a locked-out login gets, and the officers' page of locked logins. Thin over
cadres.lockouts."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from ..lockouts import (
    UnlockRefused,
    can_manage_lockouts,
    client_ip,
    locked_logins,
    lockout_message,
    lockout_minutes_left,
    login_unlock,
)


def lockout_response(request, original_response=None, credentials=None):
    """settings.AXES_LOCKOUT_CALLABLE: 429 with the Chinese lockout message and Retry-After.

    JSON under /api/ (scripts read `detail`, as in every DRF error), the lockout page everywhere else.
    """
    username = (credentials or {}).get("username") or request.POST.get("username")
    minutes = lockout_minutes_left(username, client_ip(request))
    message = lockout_message(minutes)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "registration/lockout.html", {"message": message}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


class UnlockForm(forms.Form):
    username = forms.CharField(max_length=255)
    ip_address = forms.GenericIPAddressField(required=False)


class LockoutListView(View):
    """GET lists the logins locked now (in the officer's scope); POST unlocks one username at one address."""

    template_name = "cadres/lockouts.html"

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_lockouts(request.user):
            raise PermissionDenied(_("只有组织人事科干部可以查看和解除登录锁定。"))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"rows": locked_logins(request.user)})

    def post(self, request):
        form = UnlockForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("解锁请求无效：请从列表中选择要解锁的账户。"))
            return redirect(request.path)
        username, ip_address = form.cleaned_data["username"], form.cleaned_data["ip_address"] or None
        try:
            login_unlock(acting_user=request.user, username=username, ip_address=ip_address)
        except UnlockRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request, _("已解除 %(u)s（%(ip)s）的登录锁定。") % {"u": username, "ip": ip_address or "—"}
            )
        return redirect(request.path)
