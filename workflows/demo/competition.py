"""中层干部竞聘上岗 demo cases, all in the first school (its secretary is the `secretary` login): one case
waiting at each human step, each run through the flow's services and tasks on the days it would have
happened (the competition app's clock is set to each step's day while it runs).

The school is made ready first: middle posts it has set up (科研处主任, 信息中心副主任, 教师发展中心主任 and
副主任) are vacant, and 教务处副主任 gets a second place beside its sitting holder, so the plans open occupied
and vacant posts. The case waiting at 报名 has its window open today, so a teacher login can register; the
case waiting at 修改实施方案 was returned by the bureau; the case waiting at 试用期满考核 appointed its
cadres a year ago, so their probation is over today.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from viewflow.workflow.timers import fire_due_timers

from cadres import choices as c
from cadres.models import Organization, Person, Post
from workflows.competition import clock, eligibility
from workflows.competition import services as s
from workflows.competition.flows import CompetitionFlow as FLOW
from workflows.competition.models import Competition, RegStatus

from .driver import start, step

STEPS = (
    "school_meeting_approval",
    "file_with_bureau",
    "revise_plan",
    "announce",
    "registration",
    "qualification_review",
    "scoring",
    "ranking",
    "inspection",
    "school_decision",
    "publicise",
    "appoint",
    "file_report",
    "probation_review",
)
# The cases that appoint (and so fill their posts) are made last, each on posts of its own.
APPOINTING = ("file_report", "probation_review")
NEW_POSTS = (
    ("科研处主任", c.PostKind.MIDDLE_HEAD, c.PostLevel.MIDDLE_HEAD),
    ("信息中心副主任", c.PostKind.MIDDLE_DEPUTY, c.PostLevel.MIDDLE_DEPUTY),
    ("教师发展中心主任", c.PostKind.MIDDLE_HEAD, c.PostLevel.MIDDLE_HEAD),
    ("教师发展中心副主任", c.PostKind.MIDDLE_DEPUTY, c.PostLevel.MIDDLE_DEPUTY),
)
SHARED_POST = "教务处副主任"
SCORES = {0: [18, 27, 18, 18, 9], 1: [16, 24, 16, 16, 8], 2: [17, 25, 17, 17, 9]}


@contextmanager
def on_day(day: dt.date):
    """The competition app's today while a step of the past runs."""
    before = clock.today
    clock.today = lambda: day
    try:
        yield
    finally:
        clock.today = before


def prepare_school(school: Organization) -> dict[str, Post]:
    """The vacant posts the demo competitions fill (idempotent: created or found)."""
    posts = {}
    for name, kind, level in NEW_POSTS:
        posts[name], _created = Post.objects.get_or_create(
            organization=school, name=name, defaults={"kind": kind, "level": level, "headcount": 1}
        )
    shared = Post.objects.get(organization=school, name=SHARED_POST)
    if shared.headcount < 2:
        shared.headcount = 2
        shared.save(update_fields=["headcount"])
    posts[SHARED_POST] = shared
    return posts


def demo_plan(title: str, posts: dict[str, Post], *, opens: dt.date, closes: dt.date, head: Post, deputy: Post):
    return {
        "title": title,
        "posts": [
            {"post": head.pk, "name": head.name, "seats": 1, "min_candidates": 2},
            {"post": deputy.pk, "name": deputy.name, "seats": 1, "min_candidates": 1},
        ],
        "registration": {"opens": opens.isoformat(), "closes": closes.isoformat()},
        "weights": {"speech": "50", "evaluation": "30", "performance": "20"},
        "trim_min_judges": 5,
        "tie_break": ["speech", "evaluation", "years_of_teaching", "number"],
        "inspect_top": 1,
        "quorum": "2/3",
        "eligibility": {"max_age": {"max_age": 50}},
    }


PLAN_ELIGIBILITY = {"eligibility": {"max_age": {"max_age": 50}}}


def eligible_for_registration(person, school, on: dt.date) -> bool:
    return not eligibility.refusals(person, plan=PLAN_ELIGIBILITY, organization=school, on=on)


def school_meeting_members(school: Organization) -> list[Person]:
    """The school's 党组织 members for the meetings: its sitting leaders, picked from the registry as the meeting
    page does (at most five)."""
    return list(
        Person.objects.filter(
            tenures__post__organization=school,
            tenures__post__level__in=[c.PostLevel.SCHOOL_HEAD, c.PostLevel.SCHOOL_DEPUTY],
            tenures__end_date__isnull=True,
        )
        .distinct()
        .order_by("pk")[:5]
    )


def make_case(users, school, posts, *, waiting_at: str, today: dt.date, index: int) -> Competition:
    stop = STEPS.index(waiting_at)
    secretary, officer = users["secretary"], users["officer"]
    base = today - dt.timedelta(days=400 if waiting_at == "probation_review" else 60 - index)
    opens, closes = base + dt.timedelta(days=4), base + dt.timedelta(days=8)
    if waiting_at in ("announce", "registration"):
        opens, closes = today - dt.timedelta(days=2), today + dt.timedelta(days=10)
    head, deputy = posts["科研处主任"], posts[SHARED_POST]
    if waiting_at == "file_report":
        deputy = posts["信息中心副主任"]
    if waiting_at == "probation_review":
        head, deputy = posts["教师发展中心主任"], posts["教师发展中心副主任"]
    plan = demo_plan(
        f"{today.year}年中层干部竞聘上岗（第{index + 1}批）",
        posts,
        opens=opens,
        closes=closes,
        head=head,
        deputy=deputy,
    )
    members = school_meeting_members(school)
    day = {k: base + dt.timedelta(days=n) for k, n in (("plan", 0), ("meeting", 1), ("filing", 2), ("announce", 3))}
    day.update({k: closes + dt.timedelta(days=n) for k, n in (("close", 1), ("qualify", 2), ("score", 3))})
    day.update({k: closes + dt.timedelta(days=n) for k, n in (("rank", 4), ("inspect", 5), ("decide", 6))})
    day.update({"publicity": closes + dt.timedelta(days=8), "appoint": closes + dt.timedelta(days=22)})
    with on_day(day["plan"]):
        case = start(
            FLOW.plan,
            secretary,
            lambda case: s.plan_save(competition=case, acting_user=secretary, organization=school, plan=plan),
        )
    if stop <= STEPS.index("school_meeting_approval"):
        return case
    present = members[: max(len(members) - 1, 2)] if len(members) > 2 else members
    with on_day(day["meeting"]):
        step(
            case,
            FLOW.school_meeting_approval,
            secretary,
            lambda case: s.plan_meeting_record(
                competition=case,
                acting_user=secretary,
                held_on=day["meeting"],
                name="学校党总支委员会会议",
                form="meeting",
                members=members,
                present=present,
                votes={m: "agree" for m in present},
            ),
        )
    if stop <= STEPS.index("file_with_bureau"):
        return case
    returned = waiting_at == "revise_plan"
    with on_day(day["filing"]):
        step(
            case,
            FLOW.file_with_bureau,
            officer,
            lambda case: s.filing_decide(
                competition=case,
                acting_user=officer,
                accepted=not returned,
                reason="评委人数不足五人，请补充评委后重新报备。" if returned else "",
            ),
        )
    if returned:
        return case
    if stop <= STEPS.index("announce"):
        return case
    with on_day(day["announce"]):
        step(case, FLOW.announce, secretary, lambda case: s.announce(competition=case, acting_user=secretary))
    registrants = [(users["teacher"], head), (users["teacher2"], head), (users["teacher3"], deputy)]
    register_on = today if waiting_at == "registration" else opens
    with on_day(register_on):
        for user, post in registrants[: 1 if waiting_at == "registration" else 3]:
            s.registration_submit(
                competition=Competition.objects.get(pk=case.pk), acting_user=user, person=user.profile.person, post=post
            )
    if stop <= STEPS.index("registration"):
        return case
    with on_day(day["close"]):
        step(
            case,
            FLOW.registration,
            secretary,
            lambda case: s.registration_close(competition=case, acting_user=secretary),
        )
    if stop <= STEPS.index("qualification_review"):
        return case

    def qualify(case):
        for reg in case.registrations.all():
            s.qualification_decide(registration=reg, acting_user=secretary, accept=True)
        s.qualification_finish(competition=case, acting_user=secretary)

    with on_day(day["qualify"]):
        step(case, FLOW.qualification_review, secretary, qualify)
    judges = [users[name].profile.person for name in ("judge", "judge2", "judge3")]
    with on_day(day["score"]):
        case = Competition.objects.get(pk=case.pk)
        for post in (head, deputy):
            s.judges_assign(competition=case, acting_user=secretary, post=post, judges=judges)
        judges = [users[name] for name in ("judge", "judge2", "judge3")]  # their logins mark the sheets
        s.sitting_open(competition=case, acting_user=secretary)
        if stop <= STEPS.index("scoring"):
            return case

        def score(case):
            regs = list(case.registrations.filter(status=RegStatus.QUALIFIED).order_by("pk"))
            for n, reg in enumerate(regs):
                for judge in judges:
                    s.sheet_submit(registration=reg, acting_user=judge, scores=SCORES[n % 3])
                s.other_scores_enter(
                    registration=reg, acting_user=secretary, evaluation=88 - 3 * n, performance=90 - 2 * n
                )
            s.sitting_close(competition=case, acting_user=secretary)

        step(case, FLOW.scoring, secretary, score)
    if stop <= STEPS.index("ranking"):
        return case
    with on_day(day["rank"]):
        step(case, FLOW.ranking, secretary, lambda case: s.ranking_compute(competition=case, acting_user=secretary))
    if stop <= STEPS.index("inspection"):
        return case

    def inspect(case):
        for reg in case.registrations.filter(status=RegStatus.SHORTLISTED):
            s.inspection_record(registration=reg, acting_user=secretary, opinion="德才表现良好，群众认可度高。")
        s.inspection_finish(competition=case, acting_user=secretary)

    with on_day(day["inspect"]):
        step(case, FLOW.inspection, secretary, inspect)
    if stop <= STEPS.index("school_decision"):
        return case

    def decide(case):
        regs = list(case.registrations.filter(status=RegStatus.SHORTLISTED))
        s.decision_meeting_record(
            competition=case,
            acting_user=secretary,
            held_on=day["decide"],
            name="学校党总支委员会会议",
            form="meeting",
            members=members,
            present=present,
            votes={m: {str(reg.pk): "agree" for reg in regs} for m in present},
        )

    with on_day(day["decide"]):
        step(case, FLOW.school_decision, secretary, decide)
    if stop <= STEPS.index("publicise"):
        return case
    with on_day(day["publicity"]):
        step(
            case,
            FLOW.publicise,
            secretary,
            lambda case: s.publicity_open(competition=case, acting_user=secretary, start=day["publicity"], workdays=5),
        )
    fire_due_timers()  # the 公示 is over: its timer opens 聘任
    if stop <= STEPS.index("appoint"):
        return case
    with on_day(day["appoint"]):
        step(
            case,
            FLOW.appoint,
            secretary,
            lambda case: s.appointment_make(
                competition=case, acting_user=secretary, document_number=f"实小〔{day['appoint'].year}〕{index}号"
            ),
        )
    if stop <= STEPS.index("file_report"):
        return case
    with on_day(day["appoint"] + dt.timedelta(days=2)):
        step(
            case,
            FLOW.file_report,
            secretary,
            lambda case: s.report_file(
                competition=case, acting_user=secretary, summary="经竞聘上岗，聘任中层干部2人，已按程序公示。"
            ),
        )
    return case


def load(users, school: Organization, today: dt.date) -> list[Competition]:
    posts = prepare_school(school)
    order = sorted(enumerate(STEPS), key=lambda pair: pair[1] in APPOINTING)
    return [make_case(users, school, posts, waiting_at=w, today=today, index=i) for i, w in order]
