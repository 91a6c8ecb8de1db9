"""Reads of dossier documents: scope and audience in one queryset that every page, download and check uses."""

from django.db.models import Q, QuerySet

from cadres.roles import is_bureau_user, profile_of, roles_of
from cadres.scoping import organizations_visible_to, people_visible_to

from .kinds import addressed_kinds, kinds_read_by, public_kinds
from .models import DossierDocument
from .parties import party_q


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
    return documents.filter(visible)
