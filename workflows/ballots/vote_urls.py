"""/vote/: the voter's pages (login-exempt, see LOGIN_EXEMPT_PREFIXES)."""

from django.urls import path

from . import vote

app_name = "ballots_vote"

urlpatterns = [
    path("", vote.entry, name="entry"),
    path("ballot/", vote.ballot, name="ballot"),
    path("done/", vote.done, name="done"),
    path("<str:code>/", vote.from_link, name="code"),
    path("<str:code>/<path:rest>", vote.from_link, name="code_rest"),
]
