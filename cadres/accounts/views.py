"""用户与角色 pages: thin views over `cadres.accounts.services` (bureau officers and superusers only).

Decision: the login name (用户名) is shown on these pages and only here, beside the person's name and unit:
it is what the officer hands to the person, the one place a username belongs on a page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from ..roles import Role
from . import forms, services
from .selectors import role_labels, user_list, users_queryset

SHOWN_ONCE = "cf_accounts_password_once"
PAGE_SIZE = 50


def _detail_url(user) -> str:
    return reverse("registry:users:detail", args=[user.pk])


def _remember_password(request, user, password: str, *, created: bool) -> None:
    """Keep the new password for the next page of this user only (it is popped there: shown once)."""
    request.session[SHOWN_ONCE] = {"user": user.pk, "password": password, "created": created}


class ManagerRequired(View):
    def dispatch(self, request, *args, **kwargs):
        if not services.can_manage_users(request.user):
            raise PermissionDenied(_("只有教育局组织人事科干部或系统管理员可以管理用户。"))
        return super().dispatch(request, *args, **kwargs)


def _row(user) -> dict:
    profile = user.profile if hasattr(user, "profile") else None
    person = profile.person if profile else None
    return {
        "user": user,
        "name": person.name if person else (user.first_name or ""),
        "person": person,
        "unit": profile.organization.name if profile else "",
        "roles": role_labels(user),
    }


class UserListView(ManagerRequired):
    template_name = "cadres/accounts/user_list.html"

    def get(self, request):
        form = forms.UserFilterForm(request.GET or None)
        if form.is_bound and not form.is_valid():
            qs = users_queryset().none()
        elif form.is_bound:
            qs = user_list(**form.selector_kwargs())
        else:
            qs = user_list()
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "page": page,
                "rows": [_row(u) for u in page.object_list],
                "query": query.urlencode(),
                "filtered": form.is_bound and form.has_changed(),
            },
        )


class UserCreateView(ManagerRequired):
    template_name = "cadres/accounts/user_create.html"

    def get(self, request):
        return render(request, self.template_name, {"form": forms.UserCreateForm(user=request.user)})

    def post(self, request):
        form = forms.UserCreateForm(request.POST, user=request.user)
        if form.is_valid():
            d = form.cleaned_data
            try:
                user, password = services.user_create(
                    acting_user=request.user,
                    person=d["person"],
                    roles=d["roles"],
                    organization=d["organization"],
                    username=d["username"],
                    password=d["password"],
                )
            except services.UserAdminError as refused:
                for message in refused.messages:
                    form.add_error(None, message)
            else:
                # A typed password is known to the officer already: only a generated one is shown (once).
                _remember_password(request, user, "" if d["password"] else password, created=True)
                messages.success(request, _("已为 %(name)s 创建登录账户。") % {"name": d["person"].name})
                return HttpResponseRedirect(_detail_url(user))
        return render(request, self.template_name, {"form": form})


def _target(pk):
    return get_object_or_404(users_queryset(), pk=pk)


class UserDetailView(ManagerRequired):
    template_name = "cadres/accounts/user_detail.html"

    def get(self, request, pk):
        user = _target(pk)
        row = _row(user)
        once = request.session.pop(SHOWN_ONCE, None)
        if once and once.get("user") != user.pk:
            once = None
        initial = {"roles": [g.name for g in user.cf_roles]}
        if hasattr(user, "profile"):
            initial["organization"] = user.profile.organization_id
        return render(
            request,
            self.template_name,
            {
                "target": user,
                "row": row,
                "editable": not user.is_superuser,
                "is_self": user.pk == request.user.pk,
                "shown_once": once,
                "roles_form": forms.UserRolesForm(initial=initial),
                "password_form": forms.PasswordResetForm(),
                "officer_role": Role.PERSONNEL_OFFICER,
            },
        )


class _ActionView(ManagerRequired):
    """A POST on one user; a refusal comes back as a message on the user's page, nothing written."""

    form_class = None

    def post(self, request, pk):
        user = _target(pk)
        form = self.form_class(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for e in errors:
                    messages.error(request, e)
            return HttpResponseRedirect(_detail_url(user))
        try:
            self.perform(request, user, form.cleaned_data)
        except services.UserAdminError as refused:
            for message in refused.messages:
                messages.error(request, message)
        return HttpResponseRedirect(_detail_url(user))


class UserRolesView(_ActionView):
    form_class = forms.UserRolesForm

    def perform(self, request, user, d):
        services.user_roles_set(acting_user=request.user, user=user, roles=d["roles"], organization=d["organization"])
        messages.success(request, _("角色和单位已保存。"))


class UserActiveView(_ActionView):
    form_class = forms.UserActiveForm

    def perform(self, request, user, d):
        services.user_active_set(acting_user=request.user, user=user, active=d["active"], reason=d["reason"])
        messages.success(request, _("账户已启用。") if d["active"] else _("账户已停用，该用户不能再登录。"))


class UserPasswordView(_ActionView):
    form_class = forms.PasswordResetForm

    def perform(self, request, user, d):
        user, password = services.user_password_reset(acting_user=request.user, user=user, password=d["password"])
        if d["password"]:
            messages.success(request, _("新密码已设置。"))
        else:
            _remember_password(request, user, password, created=False)
