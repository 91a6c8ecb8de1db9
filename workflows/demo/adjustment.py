"""能上能下 demo cases in the first school: one adjustment waiting at each human step (本人陈述, 党组织会议决定,
报局备案, 局审核). The demo district has no cadre whom an appraisal rule puts forward, so each case is proposed
by the organisation (trigger 组织提出) with written grounds; each cadre concerned gets a login (`cadre1`…) so
that the statement is theirs to make.
"""

from __future__ import annotations

import datetime as dt

from cadres import choices as c
from cadres.models import Organization, Profile, Tenure
from cadres.roles import Role
from workflows.competition import adjustment as a
from workflows.competition.flows import AdjustmentFlow as FLOW
from workflows.competition.models import Adjustment, AdjustmentOutcome, AdjustmentTrigger

from .accounts import ensure_login
from .competition import SHARED_POST, on_day
from .driver import start, step

STEPS = ("statement", "decide", "file_report", "bureau_review")
GROUNDS = "经民主测评和谈话了解，该同志近一年履职不力，分管工作多次出现失误，经提醒谈话后仍无明显改进，不适宜担任现职。"
STATEMENT = "本人对组织的意见表示理解，今后将认真反思，努力改进工作。"


def subjects(school: Organization, count: int) -> list[Tenure]:
    """Sitting middle cadres of the school, none the judge or a shared competition post, none with a login
    other than the one this demo gave them."""
    taken = Profile.objects.exclude(user__username__startswith="cadre").filter(person__isnull=False).values("person_id")
    return list(
        Tenure.objects.filter(
            post__organization=school,
            post__level__in=[c.PostLevel.MIDDLE_HEAD, c.PostLevel.MIDDLE_DEPUTY],
            end_date__isnull=True,
        )
        .exclude(post__name=SHARED_POST)
        .exclude(person_id__in=taken)
        .select_related("person", "post")
        .order_by("post_id", "pk")[:count]
    )


def make_case(users, school, tenure, *, waiting_at: str, today: dt.date, index: int) -> Adjustment:
    stop = STEPS.index(waiting_at)
    secretary = users["secretary"]
    cadre = ensure_login(f"cadre{index + 1}", Role.TEACHER, school, tenure.person)
    base = today - dt.timedelta(days=30 - 2 * index)
    with on_day(base):
        case = start(
            FLOW.propose,
            secretary,
            lambda case: a.adjustment_propose(
                case=case,
                acting_user=secretary,
                tenure=tenure,
                trigger=AdjustmentTrigger.OFFICER,
                grounds=GROUNDS,
                proposed_outcome=AdjustmentOutcome.REMOVE,
            ),
        )
    if stop <= STEPS.index("statement"):
        return case
    with on_day(base + dt.timedelta(days=2)):
        step(
            case,
            FLOW.statement,
            cadre,
            lambda case: a.adjustment_statement(case=case, acting_user=cadre, statement=STATEMENT),
        )
    if stop <= STEPS.index("decide"):
        return case
    members = ["secretary", "校长", "副校长甲", "副校长乙", "工会主席"]
    decided = base + dt.timedelta(days=5)
    with on_day(decided):
        step(
            case,
            FLOW.decide,
            secretary,
            lambda case: a.adjustment_decide(
                case=case,
                acting_user=secretary,
                held_on=decided,
                name="学校党总支委员会会议",
                form="meeting",
                members=members,
                present=members[:4],
                votes={m: "agree" for m in members[:4]},
            ),
        )
    if stop <= STEPS.index("file_report"):
        return case
    with on_day(decided + dt.timedelta(days=2)):
        step(
            case,
            FLOW.file_report,
            secretary,
            lambda case: a.adjustment_report_file(
                case=case,
                acting_user=secretary,
                summary=f"经学校党总支会议研究，免去{tenure.person.name}同志{tenure.post.name}职务。",
            ),
        )
    return case


def load(users, school: Organization, today: dt.date) -> list[Adjustment]:
    tenures = subjects(school, len(STEPS))
    return [
        make_case(users, school, tenure, waiting_at=w, today=today, index=i)
        for i, (w, tenure) in enumerate(zip(STEPS, tenures, strict=True))
    ]
