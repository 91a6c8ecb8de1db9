"""Electronic ballots under load (issue 15): one meeting's 300 voters on their phones within five minutes.

On a throw-away PostgreSQL database (`test_<name>` on the server named by DATABASE_URL, created and dropped;
the named database itself is not touched) the bench builds a district, a principal selection at the
recommendation step and one 会议推荐 round with `--voters` codes in three categories (150 + 100 + 50 for 300),
through the ballots services, and opens it. It then starts gunicorn (the project's own start-up, as the tests
do: `tests/support/gunicorn.py`, gthread workers, DEBUG off) on 127.0.0.1 and lets every voter walk the whole
journey over HTTP, each with a connection and cookies of their own, exactly as a phone does:

  code    GET  /vote/<code>/      (the QR code's address) → 302 to /vote/ballot/
  ballot  GET  /vote/ballot/      the ballot page
  mark    POST /vote/ballot/      the marks → the confirmation page
  cast    POST /vote/ballot/      step=cast → 302 to /vote/done/
  done    GET  /vote/done/

Arrivals are a Poisson process over `--window` seconds (default: all 300 start within 5 minutes), with a
think time between steps (`--think`, default 1–4 s). `--fast` instead sends them as fast as `--concurrency`
clients (default 20) can, without thinking. On top, `--duplicates` codes (default 20) are also walked by a
second phone at the same moment, and both phones submit their cast at once (a barrier): exactly one ballot
may result, the other phone must be told the code is spent.

Then, in-process: the stored ballots are checked (one per code, per category as many as 应到, no more), the
round is closed through `round_close` (timed: counting the ballots and writing the totals into the step),
its totals are compared with what the phones submitted, and the slips and tally PDFs are built and rendered
once (timed). Only 127.0.0.1 is asked, with a bounded number of requests (5 per phone) and a timeout on each.
Exits non-zero when anything is wrong: an error, a lost or extra ballot, a duplicate let through, a wrong total.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cf_bench_ballots .venv/bin/python bench/bench_ballots.py
    ... bench/bench_ballots.py --fast                       # as fast as 20 clients go
    ... bench/bench_ballots.py --voters 60 --window 30      # a quick run
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import re
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit

from benchsetup import setup_django, throwaway_database

KINDS = ("code", "ballot", "mark", "cast", "done")
CANDIDATES = ["王晓燕", "赵立新", "孙海涛", "李芳", "周明"]
SPENT = "该投票码已使用"
IDLE_REUSE_S = 1.0


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voters", type=int, default=300, help="codes issued and phones voting (default 300)")
    parser.add_argument("--window", type=float, default=300, help="seconds over which phones arrive (default 300)")
    parser.add_argument("--think", default="1,4", help="min,max seconds a voter spends on a page (default 1,4)")
    parser.add_argument("--fast", action="store_true", help="no schedule, no thinking: --concurrency clients")
    parser.add_argument("--concurrency", type=int, default=20, help="clients at once with --fast (default 20)")
    parser.add_argument("--duplicates", type=int, default=20, help="codes also cast by a 2nd phone at once")
    parser.add_argument("--seats", type=int, default=2, help="应选人数 of the round (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker (default 8)")
    parser.add_argument("--timeout", type=float, default=30, help="seconds a request may take (default 30)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    args.think_min, args.think_max = (float(x) for x in args.think.split(","))
    if args.fast:
        args.think_min = args.think_max = 0.0
    if not 1 <= args.voters <= 2000 or not 0 <= args.duplicates <= args.voters:
        parser.error("--voters 1..2000, --duplicates 0..voters")
    return args


def categories_for(voters: int) -> list[dict]:
    """150 + 100 + 50 for 300: half, a third and the rest."""
    first, second = voters // 2, voters // 3
    names = ["教职工代表", "中层干部", "学校领导班子成员"]
    dues = [first, second, voters - first - second]
    return [{"name": n, "due": d} for n, d in zip(names, dues, strict=True) if d]


# ---- the round, through the services -----------------------------------------------------------------------


def build_round(args):
    import config.urls  # noqa: F401  (the site's URLs, so flow nodes reverse their own)
    from cadres import choices as c
    from cadres.roles import Role
    from tests.factories import BureauFactory, OrganizationFactory, PersonFactory, PostFactory, UserFactory
    from workflows.ballots import services
    from workflows.ballots.models import BallotKind
    from workflows.principal_selection import services as selection
    from workflows.principal_selection.flows import PrincipalSelectionFlow
    from workflows.principal_selection.models import SelectionCase

    bureau = BureauFactory(name="示范区教育局", short_name="区教育局")
    school = OrganizationFactory(name="示范区第一实验小学", parent=bureau)
    post = PostFactory(
        organization=school, name="校长", kind=c.PostKind.PRINCIPAL, level=c.PostLevel.SCHOOL_HEAD, headcount=1
    )
    officer = UserFactory(username="officer", roles=[Role.PERSONNEL_OFFICER], organization=bureau)
    people = [PersonFactory(name=name, organization=school) for name in CANDIDATES]
    today = dt.date.today()
    case = selection.case_propose(
        case=SelectionCase(flow_class=PrincipalSelectionFlow), acting_user=officer, post=post, started_on=today
    )
    rnd = services.round_create(
        case=case,
        acting_user=officer,
        kind=BallotKind.RECOMMENDATION,
        form="meeting",
        held_on=today,
        seats=args.seats,
        people=people,
        categories=categories_for(args.voters),
    )
    started = time.perf_counter()
    rnd, slips = services.round_open(rnd=rnd, acting_user=officer)
    open_s = time.perf_counter() - started
    return rnd, officer, slips, open_s


# ---- one phone ---------------------------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {k: [] for k in KINDS}
        self.errors: list[str] = []

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.times[kind].append(seconds)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


class Phone:
    """One voter's browser: its own keep-alive connection and cookie jar; each request timed by kind."""

    def __init__(self, base_url: str, stats: Stats, timeout: float):
        parts = urlsplit(base_url)
        assert parts.hostname == "127.0.0.1"  # the bench asks nothing but the local server it started
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        self.cookies: dict[str, str] = {}
        self.stats = stats
        self.last_used = 0.0

    def request(self, kind: str, method: str, path: str, fields: list[tuple[str, str]] | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if time.monotonic() - self.last_used > IDLE_REUSE_S:
            # gunicorn closes a keep-alive connection idle for 2 s; a browser then opens a new one, so do we
            # (before sending: a POST is never sent twice)
            self.conn.close()
        started = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        self.stats.add(kind, time.perf_counter() - started)
        self.last_used = time.monotonic()
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            if value in ("", '""') or "Max-Age=0" in header:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return response.status, response.getheader("Location") or "", text

    def close(self):
        self.conn.close()


def _token(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    return match.group(1) if match else ""


def journey(phone: Phone, code: str, marks: list[str], think, barrier: threading.Barrier | None) -> str:
    """Walk the voter's pages; "cast", "spent" (told the code was used) or "error"."""
    status, location, _page = phone.request("code", "GET", f"/vote/{code}/")
    if status != 302 or not location.endswith("/vote/ballot/"):
        return f"error: code page {status} {location}"
    status, _loc, page = phone.request("ballot", "GET", "/vote/ballot/")
    if status != 200 or 'id="ballot-form"' not in page:
        return f"error: ballot page {status}: {page[:200]}"
    think()
    fields = [("csrfmiddlewaretoken", _token(page)), ("step", "confirm")] + [("marks", m) for m in marks]
    status, _loc, page = phone.request("mark", "POST", "/vote/ballot/", fields)
    if status != 200 or "请确认您的选择" not in page:
        return f"error: confirmation {status}: {page[:200]}"
    think()
    if barrier is not None:
        barrier.wait(timeout=120)
    fields = [("csrfmiddlewaretoken", _token(page)), ("step", "cast")] + [("marks", m) for m in marks]
    status, location, page = phone.request("cast", "POST", "/vote/ballot/", fields)
    if status == 302 and location.endswith("/vote/done/"):
        status, _loc, page = phone.request("done", "GET", "/vote/done/")
        return "cast" if status == 200 else f"error: done page {status}"
    if status == 200 and SPENT in page:
        return "spent"
    return f"error: cast {status} {location}: {page[:200]}"


# ---- the crowd ---------------------------------------------------------------------------------------------


def plan_phones(args, slips: list[dict], candidate_ids: list[int]) -> list[dict]:
    """Every code once, and `duplicates` codes twice (a pair with a shared barrier and the same arrival)."""
    rng = random.Random(args.seed)
    if args.fast:
        arrivals = [0.0] * len(slips)
    else:  # Poisson arrivals conditioned on their number: uniform times in the window, sorted
        arrivals = sorted(rng.uniform(0, args.window) for _ in slips)
    order = list(range(len(slips)))
    rng.shuffle(order)
    doubled = set(order[: args.duplicates])
    phones = []
    for arrival, index in zip(arrivals, order, strict=True):
        slip = slips[index]
        barrier = threading.Barrier(2) if index in doubled else None
        for _twin in range(2 if barrier else 1):
            n = rng.choice([0] + [k for k in range(1, args.seats + 1) for _ in range(3)])  # mostly mark, some abstain
            marks = [str(pk) for pk in rng.sample(candidate_ids, n)]
            phones.append(
                {
                    "code": slip["code"],
                    "category": slip["category"],
                    "marks": marks,
                    "arrival": arrival,
                    "barrier": barrier,
                    "seed": rng.random(),
                }
            )
    return phones


def run_phone(base_url: str, args, stats: Stats, phone: dict, start: float) -> str:
    rng = random.Random(phone["seed"])
    delay = start + phone["arrival"] - time.monotonic()
    if delay > 0:
        time.sleep(delay)

    def think():
        if args.think_max > 0:
            time.sleep(rng.uniform(args.think_min, args.think_max))

    client = Phone(base_url, stats, args.timeout)
    try:
        outcome = journey(client, phone["code"], phone["marks"], think, phone["barrier"])
    except Exception as exc:  # a timeout, a reset connection, a broken barrier: all count as errors
        outcome = f"error: {type(exc).__name__}: {exc}"
        if phone["barrier"] is not None:
            phone["barrier"].abort()
    finally:
        client.close()
    if outcome.startswith("error"):
        stats.error(f"{phone['code']}: {outcome}")
    return outcome


def warm_up(base_url: str, args) -> None:
    """A server that has been up for a while: every worker thread has answered the voter's entry page once."""
    stats = Stats()

    def one(_i):
        phone = Phone(base_url, stats, args.timeout)
        try:
            phone.request("code", "GET", "/vote/")
        finally:
            phone.close()

    with ThreadPoolExecutor(max_workers=args.workers * args.threads) as pool:
        list(pool.map(one, range(4 * args.workers * args.threads)))


def crowd(base_url: str, args, phones: list[dict], stats: Stats) -> tuple[list[str], float]:
    start = time.monotonic() + 1.0
    if args.fast:
        # twins are next to each other in the queue, so a pair never waits for a slot the other holds
        queue = sorted(range(len(phones)), key=lambda i: (phones[i]["barrier"] is None, id(phones[i]["barrier"])))
        outcomes = [""] * len(phones)

        def one(i: int):
            outcomes[i] = run_phone(base_url, args, stats, phones[i], start)

        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            list(pool.map(one, queue))
        return outcomes, time.monotonic() - start
    outcomes: list[str] = [""] * len(phones)

    def runner(i: int):
        outcomes[i] = run_phone(base_url, args, stats, phones[i], start)

    threads = [threading.Thread(target=runner, args=(i,), daemon=True) for i in range(len(phones))]
    for thread in threads:
        thread.start()
    deadline = start + args.window + 4 * (args.think_max + args.timeout) + 60
    for thread in threads:
        thread.join(max(deadline - time.monotonic(), 0.1))
    return [o or "error: still running at the deadline" for o in outcomes], time.monotonic() - start


# ---- checks and report -------------------------------------------------------------------------------------


def ms(values: list[float], q: float) -> str:
    if not values:
        return "—"
    if q >= 1:
        return f"{max(values) * 1000:.0f}"
    if len(values) == 1:
        return f"{values[0] * 1000:.0f}"
    return f"{statistics.quantiles(values, n=100, method='inclusive')[int(q * 100) - 1] * 1000:.0f}"


def check_and_close(rnd, officer, phones, outcomes, args) -> tuple[list[str], dict]:
    from workflows.ballots.models import Ballot, BallotCode
    from workflows.ballots.services import round_close

    problems = []
    per_code = Counter(p["code"] for p, o in zip(phones, outcomes, strict=True) if o == "cast")
    spent_told = sum(o == "spent" for o in outcomes)
    if any(n != 1 for n in per_code.values()) or len(per_code) != args.voters:
        problems.append(f"phones told 'cast': {sum(per_code.values())} for {len(per_code)} codes (want one each)")
    if spent_told != args.duplicates:
        problems.append(f"second phones told the code was spent: {spent_told} (want {args.duplicates})")
    stored = Ballot.objects.filter(round=rnd).count()
    if stored != args.voters:
        problems.append(f"ballots stored: {stored} (want {args.voters})")
    spent = BallotCode.objects.filter(round=rnd, spent=True).count()
    if spent != args.voters:
        problems.append(f"codes spent: {spent} (want {args.voters})")

    expected = Counter()
    for phone, outcome in zip(phones, outcomes, strict=True):
        if outcome == "cast":
            expected.update(int(m) for m in phone["marks"])
    started = time.perf_counter()
    rnd = round_close(rnd=rnd, acting_user=officer)
    close_s = time.perf_counter() - started
    results = rnd.results
    due = {c["name"]: c["due"] for c in categories_for(args.voters)}
    for category in results["categories"]:
        if category["electronic"] != due[category["name"]]:
            problems.append(f"turnout of {category['name']}: {category['electronic']} (want {due[category['name']]})")
    by_candidate = {r["name"]: r["total"] for r in results["rows"]}
    from workflows.ballots.models import BallotCandidate

    names = dict(BallotCandidate.objects.filter(round=rnd).values_list("pk", "person__name"))
    for pk, name in names.items():
        if by_candidate.get(name, 0) != expected.get(pk, 0):
            problems.append(f"{name}: counted {by_candidate.get(name, 0)}, phones marked {expected.get(pk, 0)}")
    return problems, {"close_s": close_s, "round": rnd, "turnout": results["categories"]}


def documents(rnd, slips, results_round) -> dict:
    """Build and render the slips and the tally once, as the officer's pages would (timed, not stored)."""
    from dossiers.content.ballot_slips import build_ballot_slips
    from dossiers.content.ballot_tally import build_ballot_tally
    from dossiers.rendering import render_pdf

    out = {}
    started = time.perf_counter()
    content = build_ballot_slips(
        title=rnd.title,
        organization=rnd.case.post.organization.name,
        kind_label="民主推荐",
        held_on=rnd.held_on,
        vote_url="http://127.0.0.1/vote/",
        slips=slips,
    )
    document = {"title": content["title"], "kind": "投票凭证", "version": 1, "verification_code": "BENCH"}
    _pdf, pages = render_pdf("dossiers/ballot_slips.html", {"content": content, "document": document})
    out["slips"] = (pages, time.perf_counter() - started)
    r = results_round.results
    started = time.perf_counter()
    content = build_ballot_tally(
        title=rnd.title,
        organization=rnd.case.post.organization.name,
        kind=rnd.kind,
        held_on=rnd.held_on,
        closed_at=results_round.closed_at,
        seats=rnd.seats,
        categories=[{k: c[k] for k in ("name", "due", "electronic", "paper", "invalid")} for c in r["categories"]],
        results=[{k: row[k] for k in ("name", "unit", "electronic", "paper", "total", "share")} for row in r["rows"]],
    )
    _pdf, pages = render_pdf("dossiers/ballot_tally.html", {"content": content, "document": document})
    out["tally"] = (pages, time.perf_counter() - started)
    return out


def _run(args) -> int:
    from django.db import connection

    from tests.support.gunicorn import gunicorn_server

    rnd, officer, slips, open_s = build_round(args)
    candidate_ids = list(rnd.candidates.values_list("pk", flat=True))
    phones = plan_phones(args, slips, candidate_ids)
    stats = Stats()
    mode = f"fast, {args.concurrency} clients" if args.fast else f"Poisson arrivals over {args.window:.0f} s"
    print(f"round open: {len(slips)} codes in {open_s * 1000:.0f} ms; {len(phones)} phones ({mode})", flush=True)
    connection.close()  # the server's workers and this process share the database; keep no idle transaction
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.dev", "DJANGO_DEBUG": "0"}
    with gunicorn_server(workers=args.workers, threads=args.threads, env=env) as (base_url, _process):
        print(f"gunicorn {args.workers} workers × {args.threads} threads at {base_url}", flush=True)
        warm_up(base_url, args)
        outcomes, wall = crowd(base_url, args, phones, stats)
    problems, closed = check_and_close(rnd, officer, phones, outcomes, args)
    problems += stats.errors[:20]
    docs = documents(rnd, slips, closed["round"])

    requests = sum(len(v) for v in stats.times.values())
    print()
    print("| request | count | p50 ms | p95 ms | max ms |\n|---|---:|---:|---:|---:|")
    for kind in KINDS:
        values = stats.times[kind]
        print(f"| {kind} | {len(values)} | {ms(values, 0.5)} | {ms(values, 0.95)} | {ms(values, 1)} |")
    print()
    outcome_counts = Counter(o if not o.startswith("error") else "error" for o in outcomes)
    print(f"voting phase: {wall:.1f} s, {requests} requests ({requests / wall:.1f}/s)")
    print(
        f"phones: {len(phones)}; cast {outcome_counts['cast']}, told 'spent' {outcome_counts['spent']}, "
        f"errors {outcome_counts['error']}"
    )
    print(f"ballots stored: {closed['round'].ballots.count()} for {args.voters} codes")
    print("turnout: " + ", ".join(f"{c['name']} {c['electronic']}/{c['due']}" for c in closed["turnout"]))
    print(f"close (count {args.voters} ballots, write the step): {closed['close_s'] * 1000:.0f} ms")
    print(f"slips PDF: {docs['slips'][0]} pages in {docs['slips'][1]:.1f} s; tally PDF: {docs['tally'][1]:.2f} s")
    if problems:
        print("\nPROBLEMS:\n  " + "\n  ".join(problems))
        return 1
    print("\nOK: no errors, one ballot per code, every duplicate refused, totals as marked")
    return 0


def main() -> None:
    args = _parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        # SQLite serialises every writer: there is nothing to measure. Not a failure of `make bench`.
        print("bench_ballots needs PostgreSQL (DATABASE_URL=postgres://…); not run")
        return
    with throwaway_database(setup_django("ballots")):
        code = _run(args)
    sys.exit(code)


if __name__ == "__main__":
    main()
