"""The login backend: Django's `ModelBackend`, whose user comes with the facts every page reads.

Every page names the user in the top bar (their registry person), scopes what they see by their unit and asks
their profile several times; read one by one, that was three more queries on each request. `get_user` (run
by the session middleware on every request) reads the user with their profile, unit and person in one query.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class ProfileModelBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("profile__organization", "profile__person").get(
                pk=user_id
            )
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
