"""The user's notifications: the list (newest first, paged), opening one (marks it read and goes to the task),
marking read, and the e-mail preference. Every page shows only the signed-in user's own notifications."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from . import services

PAGE_SIZE = 30


class NotificationListView(TemplateView):
    template_name = "notifications/list.html"

    def get_context_data(self, **kwargs):
        only_unread = self.request.GET.get("unread") == "1"
        notes = services.notifications_of(self.request.user)
        if only_unread:
            notes = notes.filter(read_at__isnull=True)
        page = Paginator(notes, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page=page,
            only_unread=only_unread,
            query="unread=1" if only_unread else "",
            email_enabled=services.email_enabled(self.request.user),
            **kwargs,
        )


class OpenView(View):
    """Follow a notification's link: it is marked read first."""

    def get(self, request, pk):
        note = services.mark_read(request.user, pk)
        if note is None:
            raise Http404(_("没有这条通知。"))
        if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
            return redirect(note.url)
        return redirect("notifications:index")


class MarkReadView(View):
    def post(self, request, pk):
        if services.mark_read(request.user, pk) is None:
            raise Http404(_("没有这条通知。"))
        return redirect(_back(request))


class MarkAllReadView(View):
    def post(self, request):
        n = services.mark_all_read(request.user)
        messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": n})
        return redirect(_back(request))


class PreferenceView(TemplateView):
    template_name = "notifications/settings.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            email_enabled=services.email_enabled(self.request.user),
            has_email=bool(self.request.user.email),
            **kwargs,
        )

    def post(self, request):
        choice = request.POST.get("email")
        if choice not in {"on", "off"}:
            messages.error(request, _("请选择是否接收邮件通知。"))
            return redirect("notifications:settings")
        services.set_email_enabled(request.user, choice == "on")
        messages.success(request, _("已开启邮件通知。") if choice == "on" else _("已关闭邮件通知，站内通知照常显示。"))
        return redirect("notifications:settings")


def _back(request) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "notifications:index"
