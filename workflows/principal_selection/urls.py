"""The 校长选拔任用 application: viewflow's flow pages plus the record, PDF and watch-list pages."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from cadres.roles import Role, has_role, is_bureau_user
from workflows.ballots.views import BallotListView, BallotRoundView
from workflows.common.app import CaseFlowApp
from workflows.common.casepage import CasePagesMixin, use_task_detail

from . import casepage
from .flows import PrincipalSelectionFlow
from .pages import AgendaPackView, CaseRecordView, NoteAttachmentView, WatchListView

casepage.install(PrincipalSelectionFlow)
use_task_detail(PrincipalSelectionFlow)


def _officer(user) -> bool:
    return PrincipalSelectionFlow.instance.has_manage_permission(user)


def _watcher(user) -> bool:
    return is_bureau_user(user) and (user.is_superuser or has_role(user, Role.PERSONNEL_OFFICER, Role.COMMITTEE_MEMBER))


class PrincipalSelectionApp(CasePagesMixin, CaseFlowApp):
    # 全程纪实 is per case (linked from each case page); the watch list and the meeting agenda are menu pages.
    menu_links = (
        ("watch", _("校长队伍预警"), "visibility", _watcher),
        ("agenda", _("上会材料"), "event_note", _officer),
    )
    record_path = path("<int:pk>/record/", CaseRecordView.as_view(), name="record")
    note_attachment_path = path(
        "<int:pk>/notes/<int:note_pk>/attachment/", NoteAttachmentView.as_view(), name="note_attachment"
    )
    watch_path = path("watch/", WatchListView.as_view(), name="watch")
    agenda_path = path("agenda/", AgendaPackView.as_view(), name="agenda")
    ballots_path = path("<int:pk>/ballots/", BallotListView.as_view(), name="ballots")
    ballot_path = path("<int:pk>/ballots/<int:round_pk>/", BallotRoundView.as_view(), name="ballot")

    def __init__(self, **kwargs):
        super().__init__(PrincipalSelectionFlow, icon="how_to_reg", **kwargs)
