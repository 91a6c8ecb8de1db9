"""The app's shell: one viewflow `Site`, one `Application` per area (工作台, 干部信息, and the workflows)."""

from django.utils.translation import gettext_lazy as _
from viewflow.urls import Site

from cadres.urls import RegistryApp
from dossiers.urls import DossiersApp
from reserve_pool.urls import ReservePoolApp
from workflows.competition.urls import AdjustmentApp, CompetitionApp
from workflows.ethics_case.urls import EthicsCaseApp
from workflows.evaluation.urls import EvaluationApp
from workflows.exchange.urls import ExchangeApp
from workflows.notifications.urls import NotificationsApp
from workflows.principal_selection.urls import PrincipalSelectionApp
from workflows.teams.urls import TeamsApp
from workflows.urls import HomeApp
from workflows.veto_checks.urls import VetoCheckApp

site = Site(
    title=_("干部选任工作流"),
    primary_color="#b71c1c",
    secondary_color="#8d6e63",
    viewsets=[
        HomeApp(),
        RegistryApp(),
        DossiersApp(),
        ReservePoolApp(),
        PrincipalSelectionApp(),
        EthicsCaseApp(),
        CompetitionApp(),
        AdjustmentApp(),
        EvaluationApp(),
        VetoCheckApp(),
        TeamsApp(),
        ExchangeApp(),
        NotificationsApp(),
    ],
)
