"""The round's two documents: the slips (codes and QR codes, at open) and the tally (at close).

Content is built by h9's builders (`dossiers.content.ballot_slips`, `.ballot_tally`) and generated as versions
of the case's documents, so they appear with the case and follow the kinds' audiences (the slips, which hold
the only copy of the plain codes, go to personnel officers only).
"""

from __future__ import annotations

from django.conf import settings

from dossiers.kinds import DossierKind
from dossiers.services import dossier_generate

from .models import BallotKind, BallotRound


def vote_url(request=None) -> str:
    """The voter page's absolute base URL: CADREFLOW_PUBLIC_URL + /vote/, else built from the request."""
    base = getattr(settings, "CADREFLOW_PUBLIC_URL", "")
    if base:
        return base.rstrip("/") + "/vote/"
    if request is not None:
        return request.build_absolute_uri("/vote/")
    return "/vote/"


def _organization(rnd: BallotRound):
    return rnd.case.post.organization


def _ref(rnd: BallotRound) -> str:
    return f"principal_selection:{rnd.case_id}"


def slips_document(rnd: BallotRound, slips: list[dict], *, acting_user, base_url: str):
    from dossiers.content.ballot_slips import build_ballot_slips

    content = build_ballot_slips(
        title=rnd.title,
        organization=_organization(rnd).name,
        kind_label={"recommendation": "民主推荐", "evaluation": "民主测评"}[rnd.kind],
        held_on=rnd.held_on,
        vote_url=base_url,
        slips=slips,
    )
    return dossier_generate(
        kind=DossierKind.BALLOT_SLIPS,
        content=content,
        acting_user=acting_user,
        organization=_organization(rnd),
        title=f"{rnd.title}投票凭证",
        process_ref=_ref(rnd),
        step=f"ballot_{rnd.pk}",
    )


def tally_document(rnd: BallotRound, *, acting_user):
    from dossiers.content.ballot_tally import build_ballot_tally

    results = rnd.results
    content = build_ballot_tally(
        title=rnd.title,
        organization=_organization(rnd).name,
        kind=rnd.kind,
        held_on=rnd.held_on,
        closed_at=rnd.closed_at,
        seats=rnd.seats,
        categories=[
            {k: c[k] for k in ("name", "due", "electronic", "paper", "invalid")} for c in results["categories"]
        ],
        results=[
            {k: r[k] for k in (("grade",) if rnd.kind == BallotKind.EVALUATION else ("name", "unit"))}
            | {k: r[k] for k in ("electronic", "paper", "total", "share")}
            for r in results["rows"]
        ],
        subject=rnd.candidate.person.name if rnd.candidate_id else "",
    )
    return dossier_generate(
        kind=DossierKind.BALLOT_TALLY,
        content=content,
        acting_user=acting_user,
        organization=_organization(rnd),
        subject=rnd.candidate.person if rnd.candidate_id else None,
        title=f"{rnd.title}计票结果",
        process_ref=_ref(rnd),
        step=f"ballot_{rnd.pk}",
    )
