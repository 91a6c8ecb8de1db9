"""The voter's pages at /vote/: no login, a phone-sized Chinese page, one ballot per code.

The code leaves the address bar at once: /vote/<code>/ (the QR code's address) and the typed form only put the
code's keyed hash in the anonymous session and redirect to /vote/ballot/, which never carries the code. So
neither Django's request log (4xx lines name the path) nor a Referer header nor a cache sees a code after the
first hop, and that hop always answers 302. After the ballot is cast the session is flushed (its row deleted):
nothing kept by the server joins the session, the code or the address to the ballot.
Every response carries `Referrer-Policy: same-origin` and `Cache-Control: no-store`: no other site ever
receives a Referer from these pages. (Not `no-referrer`: under it browsers send `Origin: null` with the
pages' own form posts, and Django's CSRF check then refuses every vote.)
"""

from __future__ import annotations

from functools import wraps

from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cadres.lockouts import client_ip

from . import codes, throttle
from .forms import BallotForm, CodeForm
from .models import BallotCode, BallotKind, RoundState
from .services import BallotRefused, ballot_cast

SESSION_KEY = "ballots.code_hash"


def private(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def _entry(request, *, error="", status=200, form=None):
    return render(request, "ballots/vote_entry.html", {"form": form or CodeForm(), "error": error}, status=status)


def _remember(request, code: str | None):
    request.session[SESSION_KEY] = codes.code_hash(code) if code else ""
    request.session.cycle_key()  # a fresh session id per code


@private
@require_http_methods(["GET", "POST"])
def entry(request):
    """Type a code (or arrive from a QR code). A malformed code is not a guess and is not counted."""
    if request.method == "POST":
        form = CodeForm(request.POST)
        code = codes.normalise(form.data.get("code", ""))
        if code is None:
            return _entry(request, error=_("投票码为10位字母和数字，请核对后重新输入。"), form=CodeForm())
        _remember(request, code)
        return redirect("ballots_vote:ballot")
    return _entry(request)


@private
def from_link(request, code, rest=""):
    """Any method, any path below /vote/<code>/: always a redirect, so no 404 or 405 line logs the path."""
    code = codes.normalise(code) if not rest else None
    if code is None:
        return redirect("ballots_vote:entry")
    _remember(request, code)
    return redirect("ballots_vote:ballot")


def _forget(request):
    request.session.pop(SESSION_KEY, None)


@private
@require_http_methods(["GET", "POST"])
def ballot(request):
    """Show the ballot of the remembered code; confirm the marks; cast."""
    code_hash = request.session.get(SESSION_KEY)
    if not code_hash:
        return redirect("ballots_vote:entry")
    address = client_ip(request)
    minutes = throttle.minutes_blocked(address)
    if minutes:
        _forget(request)
        return _entry(request, error=_("输入错误的投票码次数过多，请%(m)d分钟后再试。") % {"m": minutes}, status=429)
    code = BallotCode.objects.select_related("round__candidate__person").filter(code_hash=code_hash).first()
    if code is None:
        throttle.failure_record(address)
        _forget(request)
        return _entry(request, error=_("投票码无效，请核对后重新输入。"))
    if code.spent:
        _forget(request)
        return _entry(request, error=_("该投票码已使用，不能再次投票。"))
    rnd = code.round
    if rnd.state != RoundState.OPEN:
        _forget(request)
        return _entry(request, error=_("投票已结束。") if rnd.state == RoundState.CLOSED else _("投票尚未开始。"))
    context = {"rnd": rnd, "category": code.category.name}
    if request.method == "GET" or request.POST.get("step") == "edit":
        initial = None
        if request.method == "POST":  # back from the confirm page with the marks as they were
            marks = request.POST.getlist("marks")
            initial = {"marks": marks if rnd.kind == BallotKind.RECOMMENDATION else (marks or [None])[0]}
        return render(request, "ballots/vote_ballot.html", {**context, "form": BallotForm(rnd=rnd, initial=initial)})
    form = BallotForm(request.POST, rnd=rnd)
    if not form.is_valid():
        return render(request, "ballots/vote_ballot.html", {**context, "form": form})
    if request.POST.get("step") != "cast":
        return render(
            request,
            "ballots/vote_confirm.html",
            {**context, "form": form, "chosen": form.chosen_labels(), "marks": request.POST.getlist("marks")},
        )
    try:
        ballot_cast(code_hash=code_hash, marks=form.cleaned_data["marks"])
    except BallotRefused as exc:
        _forget(request)
        return _entry(request, error=exc.messages[0])
    request.session.flush()
    return redirect("ballots_vote:done")


@private
@require_http_methods(["GET"])
def done(request):
    return render(request, "ballots/vote_done.html")
