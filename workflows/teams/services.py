"""Writes of the teams area: the 班子结构分析 document of a school (one transaction, audited by
`dossier_generate`, rendered after commit)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import translation

from cadres.models import Organization
from cadres.roles import organization_of
from dossiers.content.team_structure import build_team_structure
from dossiers.kinds import DossierKind
from dossiers.models import DossierDocument
from dossiers.services import dossier_generate

from .structure import team_summary


@transaction.atomic
def team_structure_document(*, organization: Organization, acting_user, on: dt.date) -> DossierDocument:
    """A new version of the school's 班子结构分析 as its team stands on `on` (the figures of the team page)."""
    with translation.override("zh-hans"):
        summary = team_summary(organization.pk, on=on)
        issuer = (organization_of(acting_user) or organization).name
        content = build_team_structure(**summary.as_content(), issuer=issuer, date=on)
    return dossier_generate(
        kind=DossierKind.TEAM_STRUCTURE,
        content=content,
        acting_user=acting_user,
        organization=organization,
        title=content["title"],
        process_ref=f"teams:{organization.pk}",
        step=on.isoformat(),
    )
