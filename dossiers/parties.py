"""Who is a party to a case: the people a document's `process_ref` concerns (candidates, the person dealt with).

The audience rule "candidates never read the materials of their own case" needs this, and dossiers must not
import the workflows that own the cases. So the answer is built from two sources, both as SQL subqueries
(no rows are read into Python):

- what the dossiers app knows itself: a person is a party to every case in which they are the subject of
  some document (考察材料, 任免审批表, 评分表, 决定书, 小传 …) or a case of a committee meeting (`PackCase`);
- resolvers named in settings, `DOSSIER_CASE_PARTIES` (dotted paths, like auth's password validators): each
  takes a person id and returns a values queryset of the process refs of the cases that person is a party
  to. The workflows register theirs there (`workflows.dossier_parties`), so a candidate is known as one
  from the moment they are recommended or register, before any document names them.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.utils.module_loading import import_string


def party_resolvers():
    return [import_string(path) for path in getattr(settings, "DOSSIER_CASE_PARTIES", ())]


def party_q(person_id: int) -> Q:
    """Documents whose subject is this person, or whose case this person is a party to."""
    from .models import DossierDocument
    from .packs.models import PackCase

    condition = Q(subject_id=person_id)
    as_subject = DossierDocument.objects.filter(subject_id=person_id).exclude(process_ref="").values("process_ref")
    in_meeting = PackCase.objects.filter(subject_id=person_id).exclude(process_ref="").values("process_ref")
    condition |= Q(process_ref__in=as_subject) | Q(process_ref__in=in_meeting)
    for resolve in party_resolvers():
        condition |= Q(process_ref__in=resolve(person_id))
    return condition
