"""Reads of dossier documents: scope and audience in one queryset that every page, download and check uses."""

from django.db.models import Q, QuerySet

from cadres.kept_sql import kept_filter
from cadres.roles import is_bureau_user, profile_of, roles_of, sees_only_own_record
from cadres.scoping import organizations_visible_to, people_visible_to

from .kinds import addressed_kinds, kinds_read_by, public_kinds
from .models import DossierDocument
from .parties import party_q


def _audience_key(user) -> tuple:
    """Every fact `_visible_q` reads from the user (`cadres.kept_sql`)."""
    profile = profile_of(user)
    return (
        user.pk,
        is_bureau_user(user),
        sees_only_own_record(user),
        frozenset(roles_of(user)),
        profile.organization_id if profile is not None else None,
        profile.person_id if profile is not None else None,
    )


def documents_visible_to(user) -> QuerySet[DossierDocument]:
    """The documents this user may list, open, download and verify — the rules of `dossiers.kinds`.

    In the database, one query: scope (subject visible, or without a subject the unit visible), then the
    kind's audience (公开; a listed role; or the user generated it), then the case rule — the subject and the
    parties of a case read its materials only when the kind is 公开 or addressed to them, and read what is
    addressed to them even outside their scope. Anonymous users read nothing; superusers everything.
    """
    documents = DossierDocument.objects.all()
    if not getattr(user, "is_authenticated", False):
        return documents.none()
    if user.is_superuser:
        return documents
    return kept_filter(DossierDocument, ("audience", _audience_key(user)), lambda: _visible_q(user))


def _visible_q(user) -> Q:
    if is_bureau_user(user):
        in_scope = Q()  # the district: no subquery over every person
    else:
        in_scope = Q(subject__in=people_visible_to(user)) | Q(
            subject__isnull=True, organization__in=organizations_visible_to(user)
        )
    audience = Q(kind__in=kinds_read_by(roles_of(user))) | Q(created_by=user)
    visible = in_scope & audience
    profile = profile_of(user)
    person_id = profile.person_id if profile is not None else None
    if person_id:
        party = party_q(person_id)
        open_to_parties = Q(kind__in=public_kinds() + addressed_kinds())
        visible = (visible & (open_to_parties | ~party)) | (Q(kind__in=addressed_kinds()) & party)
    return visible
