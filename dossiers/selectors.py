"""Reads of dossier documents, scoped like the registry."""

from django.db.models import Q, QuerySet

from cadres.scoping import organizations_visible_to, people_visible_to

from .models import DossierDocument


def documents_visible_to(user) -> QuerySet[DossierDocument]:
    """A document is visible when its subject is, or (without a subject) when its unit is."""
    return DossierDocument.objects.filter(
        Q(subject__in=people_visible_to(user))
        | Q(subject__isnull=True, organization__in=organizations_visible_to(user))
    )
