"""Dossiers of a competition and of a 能上能下 adjustment, all through `dossiers.services.dossier_generate`.

Every document has its own kind, builder and template: 竞聘公告, 报名情况表, 资格审查结果, score sheets, the
成绩汇总及排名, the vote records, 公示, 聘任通知 and the 干部职务调整决定. Each `*_content` function builds the
plain content from the frozen plan, the case and the registry (education, current post, title, political
status; the unit's contact data), and can be tested without rendering; the document functions hand it to
`dossier_generate`, which renders after commit. A builder's ValueError is not caught: the step's transaction
rolls back rather than leave a step done without its document.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

from django.utils import timezone, translation

from cadres import choices as c
from cadres.models import Organization, Person
from cadres.rules import NoRuleSetInForce, Purpose, rule_set_in_force
from cadres.rules.base import ParameterRule, RuleConfigError
from cadres.rules.registry import build_rule
from dossiers.content.adjustment_decision import build_adjustment_decision
from dossiers.content.appointment_notice import build_appointment_notice
from dossiers.content.competition_announcement import build_competition_announcement
from dossiers.content.competition_qualification import build_competition_qualification
from dossiers.content.competition_ranking import build_competition_ranking
from dossiers.content.competition_registrations import build_competition_registrations
from dossiers.content.competition_score_sheet import build_competition_score_sheet
from dossiers.content.public_notice import build_public_notice
from dossiers.content.vote_sheet import build_vote_sheet
from dossiers.kinds import DossierKind
from dossiers.services import dossier_generate
from workflows.meetings import services as meetings

from . import clock
from .models import AdjustmentOutcome, RegStatus
from .plan import DEFAULT_CRITERIA, plan_posts, shortlist_size, window
from .scoring import DEFAULT_TIE_BREAK
from .services import panel, quota_flags

NO_PHONE = "（请向单位办公室咨询）"


def in_chinese(build):
    """Content is stored and printed as built: build it in Chinese whatever the requesting user's language."""

    @functools.wraps(build)
    def wrapper(*args, **kwargs):
        with translation.override("zh-hans"):
            return build(*args, **kwargs)

    return wrapper


def _generate(case, *, kind, content, step, acting_user=None, subject=None):
    return dossier_generate(
        kind=kind,
        content=content,
        acting_user=acting_user,
        organization=case.organization,
        subject=subject,
        title=content.get("title", ""),
        process_ref=f"competition:{case.pk}",
        step=step,
    )


def _competition(case) -> str:
    """The competition's name as the frozen plan gives it (the case title before the freeze)."""
    return case.rules.get("title") or case.title


# --- Facts from the registry ------------------------------------------------------------------------------


def unit_contact(unit: Organization) -> dict:
    """Phone, address and postcode of a unit as a notice prints them; a clear wording where none is recorded."""
    return {
        "phone": unit.contact_phone or NO_PHONE,
        "address": unit.address or unit.name,
        "postcode": unit.postcode,
    }


def _education(person: Person) -> str:
    """The highest 学历 on record (either kind of education), as printed."""
    best = sorted(person.educations.all(), key=lambda e: c.EDUCATION_RANK.get(e.level, 0))
    return best[-1].get_level_display() if best else "—"


def _title(person: Person, on: dt.date) -> str:
    held = [t for t in person.titles.all() if t.obtained_on <= on]
    return max(held, key=lambda t: t.obtained_on).get_title_display() if held else ""


def _current_post(person: Person, school: Organization | None, on: dt.date) -> str:
    """The open tenure's post (without the school's name inside the school); a teacher without one teaches."""
    current = [t for t in person.tenures.all() if t.start_date <= on and (t.end_date is None or t.end_date >= on)]
    if current:
        tenure = max(current, key=lambda t: t.start_date)
        return tenure.post.name if tenure.post.organization_id == getattr(school, "pk", None) else str(tenure.post)
    return f"{person.subject}教师" if person.subject else "教师"


def _people(ids) -> dict[int, Person]:
    return {
        p.pk: p
        for p in Person.objects.filter(pk__in=ids).prefetch_related(
            "educations", "titles", "tenures__post__organization"
        )
    }


def _local_date(value) -> dt.date:
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


# --- 竞聘公告 ------------------------------------------------------------------------------------------------


def _condition(rule, on: dt.date) -> str:
    """One eligibility rule of the plan in words (with its parameters)."""
    code = rule.code
    if code == "in_active_employment":
        return "本校在职教职工"
    if code == "min_title":
        return f"专业技术职务为{c.TeacherTitle(rule.title).label}及以上"
    if code == "appraisal_not_below":
        grade = c.AppraisalGrade(rule.grade).label
        first, last = on.year - rule.years, on.year - 1
        years = f"{last}年度" if first == last else f"{first}—{last}年度"
        return f"{years}考核{'均' if first != last else ''}为{grade}及以上"
    if code == "max_age":
        return f"年龄不超过{rule.max_age}周岁"
    if code == "min_work_years":
        return f"参加工作满{rule.years}年"
    if code == "min_education":
        text = f"学历为{c.EducationLevel(rule.level).label}及以上"
        if rule.secondary_level:
            text += f"（中学为{c.EducationLevel(rule.secondary_level).label}及以上）"
        return text
    if code == "min_years_as_middle_cadre":
        return f"任中层及以上职务满{rule.years}年"
    if code == "min_years_as_deputy":
        return f"任副职满{rule.years}年"
    if code == "min_years_in_current_post":
        return f"任现职满{rule.years}年"
    return str(rule.title)


def eligibility_conditions(case, on: dt.date) -> list[str]:
    """The conditions to register, in words: the rule set in force on `on` with the plan's parameters, the
    plan's own extra rules, then membership of the school and the ethics veto (as `eligibility.refusals`)."""
    params = case.rules.get("eligibility") or {}
    rules = []
    try:
        items = list(rule_set_in_force(Purpose.COMPETITION_REGISTRATION, on).items.all())
    except NoRuleSetInForce:
        items = []
    for item in items:
        rules.append(build_rule(item.rule_code, {**item.params, **params.get(item.rule_code, {})}))
    in_set = {item.rule_code for item in items}
    for code, rule_params in params.items():
        if code not in in_set:
            try:
                rules.append(build_rule(code, rule_params))
            except RuleConfigError:  # validate_plan refused these before the freeze
                continue
    words = [_condition(rule, on) for rule in rules if not isinstance(rule, ParameterRule)]
    if "本校在职教职工" not in words:
        words.insert(0, "本校教职工")
    words.append("未受师德处理，或师德处理影响期已满")
    return words


@in_chinese
def announcement_content(case) -> dict:
    rules = case.rules
    opens, closes = window(rules)
    posts = [
        {
            "name": item.get("name"),
            "seats": int(item.get("seats", 1)),
            "min_candidates": int(item.get("min_candidates", 1)),
        }
        for item in plan_posts(rules).values()
    ]
    return build_competition_announcement(
        school=case.organization.name,
        competition=_competition(case),
        posts=posts,
        conditions=eligibility_conditions(case, opens),
        opens=opens,
        closes=closes,
        weights=rules.get("weights", {}),
        trim_min_judges=int(rules.get("trim_min_judges", 5)),
        tie_break=list(rules.get("tie_break") or DEFAULT_TIE_BREAK),
        inspect_top=int(rules.get("inspect_top", 1)),
        plan_hash=case.plan_hash,
        phone=unit_contact(case.organization)["phone"],
        issuer=case.organization.name,
        date=clock.today(),
    )


def announcement(case, *, acting_user):
    return _generate(
        case,
        kind=DossierKind.COMPETITION_ANNOUNCEMENT,
        content=announcement_content(case),
        step="announce",
        acting_user=acting_user,
    )


# --- 报名情况表 and 资格审查结果 -------------------------------------------------------------------------------


def _registrations_by_post(case, *, exclude=()):
    """(post id, plan item, [(registration, person)] in registration order) for each post of the plan."""
    regs = list(case.registrations.exclude(status__in=exclude).select_related("post").order_by("registered_at", "pk"))
    people = _people({r.person_id for r in regs})
    for post_id, item in plan_posts(case.rules).items():
        yield post_id, item, [(r, people[r.person_id]) for r in regs if r.post_id == post_id]


@in_chinese
def registration_list_content(case) -> dict:
    opens, closes = window(case.rules)
    posts = []
    for _post_id, item, regs in _registrations_by_post(case):
        rows = [
            {
                "name": person.name,
                "sex": person.sex,
                "birth": person.birth_date,
                "current_post": _current_post(person, case.organization, closes),
                "title": _title(person, closes),
                "registered": _local_date(reg.registered_at),
                "status": reg.get_status_display() + ("（纸质报名表代为录入）" if reg.paper_form else ""),
            }
            for reg, person in regs
        ]
        posts.append({"name": item.get("name"), "seats": int(item.get("seats", 1)), "rows": rows})
    return build_competition_registrations(
        school=case.organization.name,
        competition=_competition(case),
        opens=opens,
        closes=closes,
        as_of=closes,
        date=clock.today(),
        posts=posts,
    )


def registration_list(case, *, acting_user):
    return _generate(
        case,
        kind=DossierKind.COMPETITION_REGISTRATIONS,
        content=registration_list_content(case),
        step="registration",
        acting_user=acting_user,
    )


@in_chinese
def qualification_content(case) -> dict:
    on = clock.today()
    minimums = {f["post_id"]: f["required"] for f in quota_flags(case)}
    posts = []
    for post_id, item, regs in _registrations_by_post(case, exclude=[RegStatus.WITHDRAWN]):
        rows = [
            {
                "name": person.name,
                "current_post": _current_post(person, case.organization, on),
                "result": "不通过" if reg.status == RegStatus.REFUSED else "通过",
                "reason": reg.reason,
            }
            for reg, person in regs
            if reg.status != RegStatus.REGISTERED  # not reviewed yet: nothing to print
        ]
        seats = int(item.get("seats", 1))
        posts.append(
            {"name": item.get("name"), "seats": seats, "min_candidates": max(minimums[post_id], seats), "rows": rows}
        )
    return build_competition_qualification(
        school=case.organization.name,
        competition=_competition(case),
        posts=posts,
        date=on,
    )


def qualification_results(case, *, acting_user):
    return _generate(
        case,
        kind=DossierKind.COMPETITION_QUALIFICATION,
        content=qualification_content(case),
        step="qualification",
        acting_user=acting_user,
    )


# --- Scoring -----------------------------------------------------------------------------------------------


@in_chinese
def score_sheet(sheet, *, acting_user):
    reg = sheet.registration
    case = reg.competition
    number = next((a.number for a in case.judges.filter(post=reg.post, judge=sheet.judge)), 1)
    person = _people([reg.person_id])[reg.person_id]
    content = build_competition_score_sheet(
        competition=case.title,
        organization=case.organization.name,
        post=reg.post.name,
        candidate={
            "name": person.name,
            "number": reg.number or 1,
            "current_post": _current_post(person, case.organization, clock.today()),
        },
        judge={"name": f"评委{number}", "number": number},
        criteria=[{"name": s["name"], "max_points": s["max_points"], "score": s["score"]} for s in sheet.scores],
        comment=sheet.comment,
        opened_at=case.sitting_opened_at.isoformat() if case.sitting_opened_at else None,
        locked_at=sheet.submitted_at.isoformat(),
    )
    return _generate(
        case,
        kind=DossierKind.COMPETITION_SCORE_SHEET,
        content=content,
        step=f"sheet:{sheet.pk}",
        subject=reg.person,
        acting_user=acting_user,
    )


def _display_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if getattr(user, "pk", None) else ""


@in_chinese
def score_summary_content(case, *, counter: str = "") -> dict:
    """The ranking table printed from the figures the ranking step stored (nothing is recomputed here)."""
    rules = case.rules
    on = clock.today()
    posts, candidates = [], []
    for post_id, item in plan_posts(rules).items():
        regs = list(
            case.registrations.filter(post_id=post_id, rank__isnull=False)
            .select_related("person")
            .prefetch_related("sheets")
            .order_by("rank", "number", "pk")
        )
        if not regs:
            continue
        judges = panel(case, post_id)
        name = item.get("name")
        posts.append({"name": name, "judges": [a.label for a in judges], "shortlist": shortlist_size(rules, item)})
        people = _people([r.person_id for r in regs])
        for reg in regs:
            totals = {s.judge_id: s.total for s in reg.sheets.all()}
            person = people[reg.person_id]
            candidates.append(
                {
                    "name": person.name,
                    "number": reg.number,
                    "post": name,
                    "current_post": _current_post(person, case.organization, on),
                    "speech_scores": [str(totals[a.judge_id]) for a in judges],
                    "dropped": reg.dropped,
                    "speech": reg.speech,
                    "evaluation": reg.evaluation,
                    "performance": reg.performance,
                    "composite": reg.composite,
                    "rank": reg.rank,
                    "shortlisted": reg.shortlisted,
                    "trace": reg.trace,
                }
            )
    criteria = rules.get("criteria") or DEFAULT_CRITERIA
    return build_competition_ranking(
        competition=case.organization.name + _competition(case).removeprefix(case.organization.name),
        organization=case.organization.name,
        date=on,
        posts=posts,
        trim_min_judges=int(rules.get("trim_min_judges", 5)),
        weights=rules.get("weights", {}),
        tie_break=list(rules.get("tie_break") or DEFAULT_TIE_BREAK),
        speech_max=str(sum(Decimal(str(crit["max_points"])) for crit in criteria)),
        candidates=candidates,
        counter=counter,
    )


def score_summary(case, *, acting_user):
    """The 成绩汇总及排名 document; none when nobody was ranked (every registration refused or withdrawn)."""
    if not case.registrations.filter(rank__isnull=False).exists():
        return None
    return _generate(
        case,
        kind=DossierKind.COMPETITION_RANKING,
        content=score_summary_content(case, counter=_display_name(acting_user)),
        step="ranking",
        acting_user=acting_user,
    )


# --- Meetings, 公示, appointment ----------------------------------------------------------------------------


@in_chinese
def vote_record_content(case, meeting: meetings.Meeting) -> dict:
    """The vote sheet of a school meeting from its stored rows: the plan, or each candidate (one line per
    registration; a person standing for two posts is told apart by the post in the stored label)."""
    results = meeting.results()
    regs = {str(r.pk): r for r in case.registrations.filter(pk__in=[r.item for r in results if r.item.isdigit()])}
    candidates = [
        {"name": r.label, "proposed": f"任{regs[r.item].post.name}" if r.item in regs else "通过"} for r in results
    ]
    members = meetings.sheet_members(meeting, role="委员")
    present = meeting.present_labels
    return build_vote_sheet(
        body=case.organization.name + "党组织",
        meeting=meeting.name,
        date=meeting.held_on.isoformat(),
        method="举手表决",
        chair=present[0] if present else "—",
        recorder=_display_name(meeting.recorded_by),
        candidates=candidates,
        members=members,
    )


def vote_record(case, meeting, *, acting_user):
    return _generate(
        case,
        kind=DossierKind.VOTE_SHEET,
        content=vote_record_content(case, meeting),
        step=f"meeting:{meeting.pk}",
        acting_user=acting_user,
    )


def _notice_line(reg, person: Person, school: Organization, on: dt.date) -> dict:
    """One candidate of the 公示 from the registry: education, title, political status, current post."""
    return {
        "name": person.name,
        "sex": person.sex,
        "birth": person.birth_month,
        "ethnicity": person.ethnicity,
        "native_place": person.native_place,
        "political_status": person.get_political_status_display(),
        "party_join": person.party_join_date,
        "work_start": person.work_start_date,
        "education": _education(person),
        "title": _title(person, on),
        "current_post": _current_post(person, school, on),
        "proposed_post": reg.post.name,
    }


@in_chinese
def public_notice_content(case) -> dict:
    school = case.organization
    regs = list(case.registrations.filter(status=RegStatus.DECIDED).select_related("post").order_by("post_id", "rank"))
    people = _people([r.person_id for r in regs])
    decided = case.meetings.filter(purpose=meetings.Purpose.DECISION).last()
    contact = unit_contact(school)
    return build_public_notice(
        title=f"{school.name}中层干部任前公示",
        issuer=school.name,
        decided_by=decided.name if decided else f"{school.name}党组织会议",
        candidates=[_notice_line(r, people[r.person_id], school, case.publicity_start) for r in regs],
        start=case.publicity_start,
        end=case.publicity_end,
        workdays=case.publicity_workdays,
        contact_unit=school.name,
        phone=contact["phone"],
        address=contact["address"],
        postcode=contact["postcode"],
        date=case.publicity_start,
    )


def public_notice(case, *, acting_user):
    return _generate(
        case,
        kind=DossierKind.PUBLIC_NOTICE,
        content=public_notice_content(case),
        step="publicity",
        acting_user=acting_user,
    )


@in_chinese
def appointment_notice(case, *, acting_user):
    """The 聘任通知; none when an upheld objection left nobody to appoint."""
    regs = list(case.registrations.filter(status=RegStatus.APPOINTED).select_related("person", "post"))
    if not regs:
        return None
    decided = case.meetings.filter(purpose=meetings.Purpose.DECISION).last()
    content = build_appointment_notice(
        issuer=case.organization.name,
        doc_number=case.document_number,
        addressee="全体教职工",
        decided_by=decided.name if decided else "党组织会议",
        decided_on=(decided.held_on if decided else case.appointed_on).isoformat(),
        date=case.appointed_on.isoformat(),
        appointments=[{"name": r.person.name, "appoint": r.post.name, "probation": True} for r in regs],
    )
    return _generate(
        case, kind=DossierKind.APPOINTMENT_NOTICE, content=content, step="appoint", acting_user=acting_user
    )


# --- 能上能下 -------------------------------------------------------------------------------------------------


@in_chinese
def adjustment_decision_content(case) -> dict:
    """The decision of an adjustment case from its proposal, statement, meeting and outcome."""
    tenure = case.tenure
    person, post = tenure.person, tenure.post
    meeting = case.meetings.filter(purpose=meetings.Purpose.ADJUSTMENT).last()
    counts = meeting.results()[0] if meeting else None
    demoted = case.outcome == AdjustmentOutcome.DEMOTE
    return build_adjustment_decision(
        issuer=case.organization.name,
        doc_number=getattr(case, "document_number", ""),
        person={"name": person.name, "sex": person.sex, "birth": person.birth_month},
        current_post=post.name,
        since=tenure.start_date,
        trigger=case.get_trigger_display() or "组织提出",
        grounds=case.grounds,
        statement=case.statement,
        statement_on=case.statement_on,
        meeting={
            "name": meeting.name,
            "date": meeting.held_on,
            "due": meeting.due,
            "present": meeting.present,
            "agree": counts.agree,
            "disagree": counts.disagree,
            "defer": counts.defer,
        }
        if meeting
        else None,
        outcome=case.outcome,
        new_post=case.proposed_post.name if demoted and case.proposed_post_id else "",
        effective=case.decided_on if case.outcome != AdjustmentOutcome.KEEP else None,
        date=case.decided_on,
    )


def adjustment_decision(case, *, acting_user):
    content = adjustment_decision_content(case)
    return dossier_generate(
        kind=DossierKind.ADJUSTMENT_DECISION,
        content=content,
        acting_user=acting_user,
        organization=case.organization,
        subject=case.tenure.person,
        title=content["title"],
        process_ref=f"adjustment:{case.pk}",
        step="decision",
    )
