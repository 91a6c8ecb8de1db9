"""HTTP steps reused from the principal-selection tests, and e-mail addresses for everybody."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Value
from django.db.models.functions import Concat

from tests.workflows.principal_selection.journey import ok, propose, recommend, shortlist  # noqa: F401
from workflows.principal_selection.flows import PrincipalSelectionFlow as PS  # noqa: F401


def give_emails() -> None:
    get_user_model().objects.filter(email="").update(email=Concat("username", Value("@example.org")))
