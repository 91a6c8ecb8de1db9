"""The 干部信息 application: people, and the roster import/export."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, AppMenuMixin, Viewset, route

from .accounts import views as accounts
from .accounts.services import can_manage_users
from .corrections import may_decide
from .lockouts import can_manage_lockouts
from .lrmx.urls import LrmxViewset
from .roster.importer import roster_scope
from .views.corrections import CorrectionListView
from .views.ethics import VetoExportView, VetoListView
from .views.ethics_assessment import EthicsAssessmentEditView, EthicsYearView
from .views.lockouts import LockoutListView
from .views.mixins import is_bureau_or_school_lead
from .views.people import PersonDetailView, PersonListView, PersonPhotoView
from .views.person_search import PersonSearchView
from .views.roster import PersonExportView, RosterImportView, RosterTemplateView


class PeopleViewset(AppMenuMixin, Viewset):
    app_name = "people"
    title = _("人员名册")
    icon = "people"
    index_path = path("", PersonListView.as_view(), name="index")
    detail_path = path("<int:pk>/", PersonDetailView.as_view(), name="detail")
    photo_path = path("<int:pk>/photo/", PersonPhotoView.as_view(), name="photo")
    export_path = path("export/", PersonExportView.as_view(), name="export")
    search_path = path("search/", PersonSearchView.as_view(), name="search")


class RosterViewset(AppMenuMixin, Viewset):
    app_name = "roster"
    title = _("名册导入")
    icon = "upload_file"
    index_path = path("", RosterImportView.as_view(), name="index")
    template_path = path("template/", RosterTemplateView.as_view(), name="template")

    def has_view_permission(self, user, obj=None):
        return roster_scope(user) is not None


class EthicsViewset(AppMenuMixin, Viewset):
    """师德考核: a school's year, and the bureau's completion per school."""

    app_name = "ethics"
    title = _("师德考核")
    icon = "fact_check"
    index_path = path("", EthicsYearView.as_view(), name="index")
    edit_path = path("<int:pk>/", EthicsAssessmentEditView.as_view(), name="edit")

    def has_view_permission(self, user, obj=None):
        return is_bureau_or_school_lead(user)


class VetoViewset(AppMenuMixin, Viewset):
    """Everyone currently blocked by the one-vote veto (bureau: the district; schools: their own)."""

    app_name = "veto"
    title = _("一票否决名单")
    icon = "block"
    index_path = path("", VetoListView.as_view(), name="index")
    export_path = path("export/", VetoExportView.as_view(), name="export")

    def has_view_permission(self, user, obj=None):
        return is_bureau_or_school_lead(user)


class LockoutViewset(AppMenuMixin, Viewset):
    """登录锁定: personnel officers see the logins locked now and unlock one (cadres.lockouts)."""

    app_name = "lockouts"
    title = _("登录锁定")
    icon = "lock_clock"
    index_path = path("", LockoutListView.as_view(), name="index")

    def has_view_permission(self, user, obj=None):
        return can_manage_lockouts(user)


class CorrectionViewset(AppMenuMixin, Viewset):
    """信息更正确认: the registry corrections proposed by 档案必审, confirmed or rejected by an officer."""

    app_name = "corrections"
    title = _("信息更正确认")
    icon = "rule"
    index_path = path("", CorrectionListView.as_view(), name="index")

    def has_view_permission(self, user, obj=None):
        return may_decide(user)


class UsersViewset(AppMenuMixin, Viewset):
    """用户与角色: bureau officers and superusers manage logins (cadres.accounts)."""

    app_name = "users"
    title = _("用户与角色")
    icon = "manage_accounts"
    index_path = path("", accounts.UserListView.as_view(), name="index")
    create_path = path("new/", accounts.UserCreateView.as_view(), name="create")
    detail_path = path("<int:pk>/", accounts.UserDetailView.as_view(), name="detail")
    roles_path = path("<int:pk>/roles/", accounts.UserRolesView.as_view(), name="roles")
    active_path = path("<int:pk>/active/", accounts.UserActiveView.as_view(), name="active")
    password_path = path("<int:pk>/password/", accounts.UserPasswordView.as_view(), name="password")

    def has_view_permission(self, user, obj=None):
        return can_manage_users(user)


class RegistryApp(Application):
    title = _("干部信息")
    icon = "badge"
    app_name = "registry"
    people_path = route("people/", PeopleViewset())
    roster_path = route("roster/", RosterViewset())
    ethics_path = route("ethics/", EthicsViewset())
    veto_path = route("veto/", VetoViewset())
    lrmx_path = route("lrmx/", LrmxViewset())
    lockouts_path = route("lockouts/", LockoutViewset())
    corrections_path = route("corrections/", CorrectionViewset())
    users_path = route("users/", UsersViewset())
