"""The 校长选拔任用 application: viewflow's flow pages plus the record, PDF and watch-list pages."""

from django.urls import path

from workflows.ballots.views import BallotListView, BallotRoundView
from workflows.common.app import CaseFlowApp

from .flows import PrincipalSelectionFlow
from .pages import AgendaPackView, CaseRecordView, NoteAttachmentView, WatchListView


class PrincipalSelectionApp(CaseFlowApp):
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
