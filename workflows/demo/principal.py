"""校长选拔任用 demo cases: one case waiting at each human step, each made by running the steps before it
through the flow's own services and tasks, dated in the past (the 公示 of the case waiting at 任职 is over).

Each case fills the principal post of its own school; its candidates are vice principals of other schools
the rule set and the veto accept on the shortlisting day, none of them kin of the inspection team.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from viewflow.workflow.timers import fire_due_timers

from cadres import choices as c
from cadres.models import Person, Post
from workflows.common.recusal import exclusions
from workflows.principal_selection import services as s
from workflows.principal_selection.flows import PrincipalSelectionFlow as FLOW
from workflows.principal_selection.forms import SIGNATURE_CAPACITY
from workflows.principal_selection.models import CheckKind, SelectionCase

from .driver import start, step

VOTERS = [
    {"category": "学校领导班子成员", "due": 5, "attended": 5},
    {"category": "中层干部", "due": 12, "attended": 11},
    {"category": "教师代表", "due": 26, "attended": 23},
]
REPORT = {
    "performance": {
        "morality": "政治立场坚定，师德师风良好。",
        "ability": "教学管理经验丰富，组织协调能力强。",
        "diligence": "勤勉敬业，工作作风扎实。",
        "achievement": "分管工作成效明显，教学质量稳步提升。",
        "integrity": "严格遵守廉洁自律各项规定。",
    },
    "shortcomings": "统筹全局的经验有待进一步积累。",
    "opinion": "考察组认为该同志符合校长任职条件。",
}
EVALUATION = {"excellent": 35, "competent": 6, "basic": 1, "incompetent": 0}

# The human steps, in order; a case is left waiting at each.
STEPS = (
    "recommend",
    "shortlist",
    "approve_exception",
    "inspection",
    "integrity_signoff",
    "decide",
    "publicise",
    "appoint",
    "probation_review",
)


class Dates:
    """The case's days, counted from `base` (about two months ago) so that each step follows the last."""

    def __init__(self, today: dt.date, base_days_ago: int):
        self.today = today
        self.started = today - dt.timedelta(days=base_days_ago)
        self.talk = self.started + dt.timedelta(days=6)
        self.meeting = self.started + dt.timedelta(days=7)
        self.shortlist = self.started + dt.timedelta(days=14)
        self.checks = self.started + dt.timedelta(days=18)
        self.decided = self.started + dt.timedelta(days=28)
        self.publicity = self.started + dt.timedelta(days=30)
        self.appoint = self.started + dt.timedelta(days=45)


def _vice_principals(exclude_org_ids):
    today = timezone.localdate()
    return (
        Person.objects.filter(
            tenures__post__kind=c.PostKind.VICE_PRINCIPAL,
            tenures__start_date__lte=today,
        )
        .filter(Q(tenures__end_date__isnull=True))
        .exclude(organization_id__in=exclude_org_ids)
        .distinct()
        .order_by("-birth_date", "pk")  # the younger first: fewer of them are refused on age (fewer rule runs)
    )


def find_candidates(case, *, on, team, count, taken: dict):
    """`count` vice principals the case may shortlist on `on` and still appoint today (a birthday between
    the two would refuse the later steps), none kin of the team, none of the post's own school; people not
    yet used by another demo case first. `taken` is shared by the cases: "used" (person ids) and the answers
    per (person id, day) already asked."""
    used, asked = taken.setdefault("used", set()), taken.setdefault("asked", {})

    def ok(person) -> bool:
        key = (person.pk, on)
        if key not in asked:
            asked[key] = not (
                s.candidate_refusals(person, case=case, on=timezone.localdate(), promotion=True)
                or s.candidate_refusals(person, case=case, on=on)
                or exclusions(team, [person])
            )
        return asked[key]

    fresh, reused = [], []
    for person in _vice_principals([case.post.organization_id]).iterator():
        if person.pk in used:
            reused.append(person)
        elif ok(person):
            fresh.append(person)
            if len(fresh) == count:
                break
    found = (fresh + [p for p in reused if ok(p)])[:count]
    used.update(p.pk for p in found)
    return found


def principal_posts(count: int):
    """Principal posts of schools other than the first (its secretary is the competition's demo login), one
    per case; a district with fewer schools gives some post two cases."""
    posts = list(
        Post.objects.filter(kind=c.PostKind.PRINCIPAL, name="校长", organization__kind=c.OrgKind.SCHOOL)
        .exclude(organization__code="S0001")
        .select_related("organization")
        .order_by("organization__code")[:count]
    )
    return [posts[i % len(posts)] for i in range(count)]


def make_case(users, post, *, waiting_at: str, today: dt.date, taken: dict, index: int) -> SelectionCase:
    """A case on `post` run up to (not including) the step `waiting_at`."""
    # The case waiting at 试用期满考核 started well over a year ago: its appointee's probation is over.
    d = Dates(today, base_days_ago=430 if waiting_at == "probation_review" else 70 + 3 * index)
    officer = users["officer"]
    exceptional = waiting_at == "approve_exception"
    stop = STEPS.index(waiting_at)

    def propose(case):
        s.case_propose(
            case=case,
            acting_user=officer,
            post=post,
            started_on=d.started,
            method="recommendation",
            posts_to_fill=1,
            scope=f"全区中小学副校长（{post.organization.name}校长）",
            plan=f"{post.organization.name}校长岗位需配备，按《干部任用条例》程序选拔。",
            exceptional=exceptional,
            exceptional_reason="拟任人选任副校长不满规定年限，工作实绩特别突出，拟破格提拔。" if exceptional else "",
        )

    case = start(FLOW.propose, officer, propose)
    case = SelectionCase.objects.get(pk=case.pk)
    team = [users["inspector"], users["inspector2"]]
    people = find_candidates(case, on=d.shortlist, team=team, count=3, taken=taken)
    if stop <= STEPS.index("recommend"):
        return case

    def recommend(case):
        votes = {p.pk: n for p, n in zip(people, (21, 9, 4), strict=False)}
        s.recommendation_record(case=case, acting_user=officer, form="talk", held_on=d.talk, voters=VOTERS, votes=votes)
        votes = {p.pk: n for p, n in zip(people, (30, 7, 2), strict=False)}
        s.recommendation_record(
            case=case, acting_user=officer, form="meeting", held_on=d.meeting, voters=VOTERS, votes=votes
        )

    step(case, FLOW.recommend, officer, recommend)
    if stop <= STEPS.index("shortlist"):
        return case
    step(
        case,
        FLOW.shortlist,
        officer,
        lambda case: s.candidates_shortlist(
            case=case, acting_user=officer, people=people[:2], team=team, on=d.shortlist
        ),
    )
    if exceptional:
        return case
    if stop <= STEPS.index("inspection"):
        return case
    case = SelectionCase.objects.get(pk=case.pk)
    candidates = list(case.active_candidates)

    def inspect(case):
        for cand in candidates:
            s.inspection_record(
                case=case, acting_user=team[0], candidate=cand, talks=32, evaluation=EVALUATION, report=REPORT
            )

    step(case, FLOW.inspect, team[0], inspect)
    for node, actor, kind in (
        (FLOW.dossier_review, officer, CheckKind.DOSSIER),
        (FLOW.personal_matters_check, officer, CheckKind.PERSONAL_MATTERS),
        (FLOW.discipline_opinion, users["discipline"], CheckKind.DISCIPLINE),
        (FLOW.petition_check, users["discipline"], CheckKind.PETITION),
    ):

        def check(case, actor=actor, kind=kind):
            for cand in candidates:
                s.check_record(case=case, acting_user=actor, candidate=cand, kind=kind, figures=_figures(kind, d))

        step(case, node, actor, check)
    if stop <= STEPS.index("integrity_signoff"):
        return case

    def sign(case):
        for user, role in ((users["member1"], "committee_member"), (users["discipline"], "discipline_inspector")):
            s.integrity_sign(
                case=case, acting_user=user, capacity=SIGNATURE_CAPACITY[role], conclusion="廉洁自律方面未发现问题。"
            )

    step(case, FLOW.integrity_signoff, users["member1"], sign)
    if stop <= STEPS.index("decide"):
        return case
    members = [users[f"member{i}"] for i in range(1, 10)]
    present = members[:8]

    def decide(case):
        votes = {
            m.pk: {cand.pk: ("agree" if i == 0 else "disagree") for i, cand in enumerate(candidates)} for m in present
        }
        s.meeting_record(
            case=case,
            acting_user=users["recorder"],
            held_on=d.decided,
            name=f"{d.decided.year}年第{index + 3}次党工委会议",
            members=members,
            present=present,
            votes=votes,
        )

    step(case, FLOW.decide, users["recorder"], decide)
    if stop <= STEPS.index("publicise"):
        return case
    step(
        case, FLOW.publicise, officer, lambda case: s.publicity_open(case=case, acting_user=officer, start=d.publicity)
    )
    fire_due_timers()  # the 公示 is over: its timer opens 任职
    if stop <= STEPS.index("appoint"):
        return case
    step(
        case,
        FLOW.appoint,
        officer,
        lambda case: s.appointment_make(
            case=case,
            acting_user=officer,
            document_number=f"示教工委〔{d.appoint.year}〕{index + 10}号",
            notice_date=d.appoint,
            talk_on=d.appoint,
            talk_by="党工委书记",
        ),
    )
    fire_due_timers()  # the probation timer is due: its end lies in the past
    return case


def _figures(kind, d: Dates) -> dict:
    on = d.checks.isoformat()
    if kind == CheckKind.DOSSIER:
        return {"verified_on": on, "education": "大学本科 教育学学士", "experience": "长期从事教育教学和学校管理工作"}
    if kind == CheckKind.PERSONAL_MATTERS:
        return {"delegated_on": on, "handled_on": on, "mismatch": "none"}
    if kind == CheckKind.DISCIPLINE:
        return {"requested_on": on, "replied_on": on, "opinion": "未发现违纪违法问题。"}
    return {"checked_on": on, "received": 0, "finding": "考察期间未收到信访举报。"}


def load(users, today: dt.date) -> list[SelectionCase]:
    posts = principal_posts(len(STEPS))
    taken: dict = {}
    return [
        make_case(users, post, waiting_at=waiting_at, today=today, taken=taken, index=i)
        for i, (waiting_at, post) in enumerate(zip(STEPS, posts, strict=True))
    ]
