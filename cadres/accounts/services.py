"""Users and roles: who may manage logins, and every change to one, each audited and in one transaction.

Decisions (issue 14):
- Only bureau officers (the personnel_officer role held by a user whose unit is the bureau) and superusers
  manage users. A school secretary, or an officer placed in a school, gets 403.
- These pages never make or edit a superuser: there is no superuser switch at all, and a superuser's login
  is refused as a target (superusers are kept with `createsuperuser` on the server).
- An officer cannot take away their own officer power: not remove their own personnel_officer role, not
  move themselves out of the bureau, not deactivate themselves.
- Unit rules per role: the bureau-level roles (officer, inspection team, discipline, committee member and
  secretary) need the bureau as unit (`cadres.roles.is_bureau_user` grants their view only there); the
  school secretary role needs a school; teacher and judge go with any unit.
- A login always comes from a registry person (the Profile links user, person and unit); one person has at
  most one login. The unit defaults to the person's unit.
- A generated password is shown once (the view keeps it in the session for one page) and never stored in
  clear; the audit row says a password was set or reset, never what it is.
"""

from __future__ import annotations

import re
import secrets
import string

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

from audit.services import record_event

from .. import choices as c
from ..models import Organization, Person, Profile
from ..roles import Role, has_role, organization_of

BUREAU_ROLES = frozenset(
    {
        Role.PERSONNEL_OFFICER,
        Role.INSPECTION_TEAM,
        Role.DISCIPLINE_INSPECTOR,
        Role.COMMITTEE_MEMBER,
        Role.COMMITTEE_SECRETARY,
    }
)
SCHOOL_ROLES = frozenset({Role.SCHOOL_SECRETARY})
USERNAME_RE = re.compile(r"^[a-z][a-z0-9_.-]{2,29}$")
PASSWORD_ALPHABET = string.ascii_letters + string.digits
PASSWORD_LENGTH = 12

# Audit actions (audit.AuditEvent.action).
CREATED = "user_created"
ROLES_CHANGED = "user_roles_changed"
DEACTIVATED = "user_deactivated"
REACTIVATED = "user_reactivated"
PASSWORD_RESET = "user_password_reset"


class UserAdminError(ValidationError):
    """A refused change; the message says why in Chinese and nothing was written."""


def can_manage_users(user) -> bool:
    """Superusers, and personnel officers whose unit is the bureau."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    org = organization_of(user)
    return bool(org and org.is_bureau and has_role(user, Role.PERSONNEL_OFFICER))


def _require_manager(acting_user) -> None:
    if not can_manage_users(acting_user):
        raise UserAdminError(_("只有教育局组织人事科干部或系统管理员可以管理用户。"), code="not_allowed")


def _require_editable(acting_user, user) -> None:
    if user.is_superuser:
        raise UserAdminError(_("系统管理员账户不能在此修改。"), code="superuser")


def role_label(code: str) -> str:
    return str(dict(Role.choices).get(code, code))


def check_roles_for_unit(roles, organization: Organization) -> None:
    """Refuse a role the unit cannot hold (see the module docstring)."""
    problems = []
    for role in sorted(roles):
        if role in BUREAU_ROLES and not organization.is_bureau:
            problems.append(_("“%(role)s”只能授予教育局的用户。") % {"role": role_label(role)})
        if role in SCHOOL_ROLES and organization.kind != c.OrgKind.SCHOOL:
            problems.append(_("“%(role)s”只能授予学校的用户。") % {"role": role_label(role)})
    if problems:
        raise UserAdminError(problems, code="role_unit")


def _unknown_roles(roles) -> None:
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise UserAdminError(_("角色无效。"), code="unknown_role")


def suggest_username(person: Person) -> str:
    """Pinyin of the name (lower case, ASCII), then a number if it is taken: 刘旭 → liuxu, liuxu2, …"""
    base = "".join(lazy_pinyin(person.name, errors="ignore")).lower()
    base = re.sub(r"[^a-z0-9]", "", base)[:24] or "user"
    if not base[0].isalpha():
        base = "u" + base
    base = base.ljust(3, "0")
    User = get_user_model()
    taken = set(User.objects.filter(username__iregex=rf"^{re.escape(base)}[0-9]*$").values_list("username", flat=True))
    taken = {t.lower() for t in taken}
    if base not in taken:
        return base
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


def generate_password() -> str:
    """A random 12-character password with at least one upper, one lower case letter and one digit."""
    while True:
        pw = "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(PASSWORD_LENGTH))
        if any(ch.isdigit() for ch in pw) and any(ch.islower() for ch in pw) and any(ch.isupper() for ch in pw):
            return pw


def _check_username(username: str) -> None:
    if not USERNAME_RE.match(username):
        raise UserAdminError(
            _("用户名须以小写字母开头，由 3～30 个小写字母、数字、点、下划线或连字符组成。"), code="username_format"
        )
    if get_user_model().objects.filter(username__iexact=username).exists():
        raise UserAdminError(_("用户名“%(u)s”已被使用。") % {"u": username}, code="username_taken")


def _check_password(password: str, user) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise UserAdminError(exc.messages, code="weak_password") from exc


def _set_groups(user, roles) -> None:
    user.groups.remove(*Group.objects.filter(name__in=Role.values).exclude(name__in=roles))
    user.groups.add(*Group.objects.filter(name__in=roles))


@transaction.atomic
def user_create(
    *,
    acting_user,
    person: Person,
    roles=(),
    organization: Organization | None = None,
    username: str = "",
    password: str = "",
):
    """Create the login of a registry person. Returns (user, password): the password typed or generated."""
    _require_manager(acting_user)
    roles = sorted(set(roles))
    _unknown_roles(roles)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if Profile.objects.filter(person=person).exists():
        existing = Profile.objects.select_related("user").get(person=person).user
        raise UserAdminError(
            _("%(name)s 已有登录账户（%(u)s），不能重复创建。") % {"name": person.name, "u": existing.username},
            code="person_has_user",
        )
    organization = organization or person.organization
    check_roles_for_unit(roles, organization)
    username = (username or "").strip().lower() or suggest_username(person)
    _check_username(username)
    User = get_user_model()
    user = User(username=username, first_name=person.name, is_active=True)
    password = password or generate_password()
    _check_password(password, user)
    user.set_password(password)
    user.save()
    Profile.objects.create(user=user, organization=organization, person=person)
    _set_groups(user, roles)
    record_event(
        actor=acting_user,
        action=CREATED,
        obj=user,
        reason=_("由人员名册创建登录账户"),
        payload={
            "person_id": person.pk,
            "person": person.name,
            "organization_id": organization.pk,
            "organization": organization.name,
            "roles": roles,
        },
    )
    return user, password


@transaction.atomic
def user_roles_set(*, acting_user, user, roles, organization: Organization):
    """Give the user exactly `roles` and the unit `organization`; audited with before and after."""
    _require_manager(acting_user)
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    _require_editable(acting_user, user)
    roles = sorted(set(roles))
    _unknown_roles(roles)
    profile = Profile.objects.select_related("organization").filter(user=user).first()
    if profile is None:
        raise UserAdminError(_("该账户没有单位档案，不能在此修改。"), code="no_profile")
    before_roles = sorted(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
    if user.pk == acting_user.pk and not acting_user.is_superuser:
        if Role.PERSONNEL_OFFICER not in roles:
            raise UserAdminError(_("不能取消自己的组织人事科干部角色，请由其他干部办理。"), code="own_officer_role")
        if not organization.is_bureau:
            raise UserAdminError(_("不能把自己调出教育局，请由其他干部办理。"), code="own_unit")
    check_roles_for_unit(roles, organization)
    before_org = profile.organization
    if before_roles == roles and before_org.pk == organization.pk:
        raise UserAdminError(_("角色和单位均未改变。"), code="unchanged")
    profile.organization = organization
    profile.save(update_fields=["organization"])
    _set_groups(user, roles)
    record_event(
        actor=acting_user,
        action=ROLES_CHANGED,
        obj=user,
        payload={
            "roles_before": before_roles,
            "roles_after": roles,
            "organization_before": before_org.name,
            "organization_after": organization.name,
        },
    )
    return user


@transaction.atomic
def user_active_set(*, acting_user, user, active: bool, reason: str = ""):
    """Deactivate (cannot log in any more, open sessions end on their next request) or reactivate a login."""
    _require_manager(acting_user)
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    _require_editable(acting_user, user)
    if not active and user.pk == acting_user.pk:
        raise UserAdminError(_("不能停用自己的账户。"), code="own_account")
    if user.is_active == active:
        raise UserAdminError(_("该账户已是启用状态。") if active else _("该账户已是停用状态。"), code="unchanged")
    user.is_active = active
    user.save(update_fields=["is_active"])
    record_event(
        actor=acting_user,
        action=REACTIVATED if active else DEACTIVATED,
        obj=user,
        from_state="inactive" if active else "active",
        to_state="active" if active else "inactive",
        reason=reason,
    )
    return user


@transaction.atomic
def user_password_reset(*, acting_user, user, password: str = ""):
    """Set a new password (typed, or generated when empty). Returns (user, password) to be shown once."""
    _require_manager(acting_user)
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    _require_editable(acting_user, user)
    generated = not password
    password = password or generate_password()
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record_event(actor=acting_user, action=PASSWORD_RESET, obj=user, payload={"generated": generated})
    return user, password
