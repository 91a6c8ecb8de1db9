"""Each step's documents, built from the case with the dossier content builders and generated as versions.

Content is plain data (`*_content` functions, tested without rendering); `*_document(s)` hand it to
`dossiers.services.dossier_generate`, which renders after commit.
"""

from __future__ import annotations

from django.utils import timezone

from audit.services import verify_chain
from cadres import choices as c
from cadres.models import Organization
from dossiers.content.appointment_form import build_appointment_form
from dossiers.content.appointment_notice import build_appointment_notice
from dossiers.content.inspection_report import build_inspection_report
from dossiers.content.minutes_extract import build_minutes_extract
from dossiers.content.public_notice import build_public_notice
from dossiers.content.recommendation_tally import build_recommendation_tally
from dossiers.content.record_sheet import build_record_sheet
from dossiers.content.vote_sheet import build_vote_sheet
from dossiers.kinds import DossierKind
from dossiers.models import DossierDocument
from dossiers.services import dossier_generate
from workflows.meetings import services as meetings

from .models import ACTIVE_STATUSES, CandidateStatus, CheckKind, SelectionCase
from .rules import selection_params
from .selectors import STEP_LABELS, case_events, display_name, event_figures, state_label
from .services import round_results

NO_PHONE = "（请向单位办公室咨询）"


def _bureau() -> Organization | None:
    return Organization.objects.filter(kind=c.OrgKind.BUREAU).order_by("code").first()


def _bureau_name() -> str:
    bureau = _bureau()
    return bureau.name if bureau else "教育局"


def _committee() -> str:
    return f"中共{_bureau_name()}委员会"


def _ref(case) -> str:
    return f"principal_selection:{case.pk}"


def _generate(case, kind, content, acting_user, *, step, subject=None, title=""):
    return dossier_generate(
        kind=kind,
        content=content,
        acting_user=acting_user,
        organization=case.post.organization,
        subject=subject,
        title=title,
        process_ref=_ref(case),
        step=step,
    )


def _current_post(person) -> str:
    current = person.tenures.filter(end_date__isnull=True).select_related("post__organization").first()
    return str(current.post) if current else "—"


def recommendation_tally_content(case) -> dict:
    """推荐票统计表: both rounds, with voters by category and each person's votes."""
    ratio = selection_params(case.started_on).attendance_ratio
    rounds = []
    for rnd in case.rounds.prefetch_related("votes__person"):
        rounds.append(
            {
                "method": rnd.get_form_display(),
                "date": rnd.held_on,
                "voters": rnd.voters,
                "candidates": [
                    {"name": v.person.name, "current_post": _current_post(v.person), "votes": v.votes}
                    for v in rnd.votes.all()
                ],
            }
        )
    last = case.rounds.order_by("-held_on").first()
    return build_recommendation_tally(
        organization=case.post.organization.name,
        post=case.post.name,
        posts=case.posts_to_fill,
        attendance_numerator=ratio.numerator,
        attendance_denominator=ratio.denominator,
        rounds=rounds,
        issuer=f"{_bureau_name()}组织人事科",
        date=last.held_on,
    )


def recommendation_tally_document(case, *, acting_user):
    content = recommendation_tally_content(case)
    return _generate(case, DossierKind.RECOMMENDATION_TALLY, content, acting_user, step="recommend")


CHECK_ITEMS = {
    CheckKind.DOSSIER: "档案审核",
    CheckKind.PERSONAL_MATTERS: "个人有关事项报告查核",
    CheckKind.DISCIPLINE: "纪检监察机关意见",
    CheckKind.PETITION: "信访举报核查",
}


def _check_result(check) -> str:
    f = check.figures
    if check.kind == CheckKind.DOSSIER:
        month = f.get("confirmed_birth_month", "")[:7]
        return f"“三龄两历一身份”于{f.get('verified_on', '')}核定，出生年月认定为{month}。"
    if check.kind == CheckKind.PERSONAL_MATTERS:
        verdict = {"none": "一致", "minor": "有出入，已说明", "major": "出入较大"}.get(f.get("mismatch"), "")
        return f"{f.get('delegated_on', '')}委托查核，{f.get('handled_on', '')}处理，查核结果{verdict}。"
    if check.kind == CheckKind.DISCIPLINE:
        return f"{f.get('requested_on', '')}征求意见，{f.get('replied_on', '')}回复：{f.get('opinion', '')}"
    return f.get("finding") or ("未发现影响使用的问题。" if check.passed else "发现问题。")


def inspection_report_content(case, candidate, *, on) -> dict:
    """×××同志考察材料: the three parts, the recommendation and evaluation figures, the four musts."""
    person = candidate.person
    recommendations = []
    for rnd in case.rounds.all():
        row = next((r for r in round_results(rnd) if r["person_id"] == person.pk), None)
        if row:
            recommendations.append(
                {
                    "method": rnd.get_form_display(),
                    "participants": rnd.attended,
                    "votes": row["votes"],
                    "rank": row["rank"],
                }
            )
    evaluation = {k: int(candidate.evaluation.get(k, 0)) for k in ("excellent", "competent", "basic", "incompetent")}
    team = [display_name(u) for u in case.inspection_team.order_by("username")]
    start = candidate.eligibility.get("on") or case.started_on
    return build_inspection_report(
        name=person.name,
        sex=person.sex,
        birth=person.birth_month,
        current_post=_current_post(person),
        proposed_post=str(case.post),
        authorised_by=_committee(),
        start=start,
        end=max(str(start), on.isoformat()),
        talks=candidate.talks,
        performance=candidate.report["performance"],
        shortcomings=candidate.report["shortcomings"],
        recommendations=recommendations,
        evaluation={"participants": sum(evaluation.values()), **evaluation},
        checks=[{"item": CHECK_ITEMS[ch.kind], "result": _check_result(ch)} for ch in candidate.checks.all()],
        opinion=candidate.report["opinion"],
        team_leader=team[0],
        team_members=team,
        date=on,
    )


def candidate_form_content(case, candidate, *, on) -> dict:
    """The candidate's 任免审批表 with 拟任职务 (and 拟免职务 when a current leader post ends)."""
    current = (
        candidate.person.tenures.filter(end_date__isnull=True)
        .exclude(post__kind=c.PostKind.TEACHER)
        .exclude(post=case.post)
        .select_related("post__organization")
        .first()
    )
    return build_appointment_form(
        candidate.person,
        on=on,
        proposed_post=str(case.post),
        proposed_removal=str(current.post) if current else "",
        reason="经民主推荐、考察，拟提请党委（工委）会议研究。",
        reporting_unit=_committee(),
    )


def inspection_report_documents(case, *, acting_user):
    """After the four musts and both signatures: each candidate's 考察材料 and 任免审批表 (for the meeting)."""
    on = timezone.localdate()
    docs = []
    for cand in case.candidates.filter(status__in=ACTIVE_STATUSES).select_related("person"):
        report = inspection_report_content(case, cand, on=on)
        docs.append(
            _generate(case, DossierKind.INSPECTION_REPORT, report, acting_user, step="inspected", subject=cand.person)
        )
        form = candidate_form_content(case, cand, on=on)
        docs.append(
            _generate(case, DossierKind.APPOINTMENT_FORM, form, acting_user, step="inspected", subject=cand.person)
        )
    return docs


def agenda_case_specs(cases):
    """The committee pack's cases for a decision meeting: each case's candidates in order, with their
    proposed post and the case's process reference (so the pack takes this case's documents only)."""
    from dossiers.packs.services import CaseSpec

    specs = []
    for case in cases:
        for cand in case.candidates.filter(status__in=ACTIVE_STATUSES).select_related("person"):
            specs.append(CaseSpec(subject=cand.person, label=f"拟任{case.post}", process_ref=_ref(case)))
    return specs


def meeting_contents(meeting) -> tuple[dict, dict]:
    """计票单 and 会议纪要（摘录） of one decision meeting, from its stored rows and tally."""
    case = SelectionCase.objects.get(pk=meeting.process_id)
    results = meeting.results()
    sheet_members = meetings.sheet_members(meeting)
    proposed = f"任{case.post}"
    vote_sheet = build_vote_sheet(
        body=_committee(),
        meeting=meeting.name,
        date=meeting.held_on,
        chair=sheet_members[0]["name"] if sheet_members else "—",
        recorder=display_name(meeting.recorded_by),
        candidates=[{"name": r.label, "proposed": proposed, "deferred": r.outcome == "deferred"} for r in results],
        members=sheet_members,
    )
    recused = meetings.recusals(meeting)
    items = []
    for r in results:
        items.append(
            {
                "title": f"研究{case.post}人选（{r.label}）",
                "decision": [
                    f"同意{r.label}同志任{case.post}，按规定进行任前公示。"
                    if r.passed
                    else f"{r.label}同志未获应到会成员半数以上同意。"
                    if r.outcome == "failed"
                    else f"{r.label}同志暂缓表决。"
                ],
                "vote": {"agree": r.agree, "disagree": r.disagree, "defer": r.defer},
                "recused": [v.member_label for v in recused if v.item == r.item],
            }
        )
    present = meeting.present_labels
    minutes = build_minutes_extract(
        body=_committee(),
        meeting=meeting.name,
        date=meeting.held_on,
        place="会议室",
        chair=present[0] if present else "—",
        recorder=display_name(meeting.recorded_by),
        present=present,
        items=items,
        extracted_by=display_name(meeting.recorded_by),
        extract_date=meeting.held_on,
    )
    return vote_sheet, minutes


def meeting_documents(meeting, *, acting_user):
    vote_sheet, minutes = meeting_contents(meeting)
    case = SelectionCase.objects.get(pk=meeting.process_id)
    return [
        _generate(case, DossierKind.VOTE_SHEET, vote_sheet, acting_user, step="decide"),
        _generate(case, DossierKind.MINUTES_EXTRACT, minutes, acting_user, step="decide"),
    ]


def _education(person) -> str:
    best = sorted(person.educations.all(), key=lambda e: c.EDUCATION_RANK.get(e.level, 0))
    return best[-1].get_level_display() if best else "—"


def public_notice_content(case) -> dict:
    rows = []
    for cand in case.candidates.filter(status=CandidateStatus.DECIDED).select_related("person"):
        p = cand.person
        current = p.tenures.filter(end_date__isnull=True).select_related("post").first()
        rows.append(
            {
                "name": p.name,
                "sex": p.sex,
                "birth": p.birth_month,
                "political_status": p.get_political_status_display(),
                "party_join": p.party_join_date,
                "work_start": p.work_start_date,
                "education": _education(p),
                "current_post": str(current.post) if current else "—",
                "proposed_post": str(case.post),
            }
        )
    bureau = _bureau()
    # Objections go to the bureau's personnel office: its phone, address and postcode from the registry.
    return build_public_notice(
        issuer=f"{_committee()}组织人事科",
        decided_by=_committee(),
        candidates=rows,
        start=case.publicity_start,
        end=case.publicity_end,
        workdays=case.publicity_workdays,
        contact_unit=f"{_bureau_name()}组织人事科",
        phone=(bureau.contact_phone if bureau else "") or NO_PHONE,
        address=(bureau.address if bureau else "") or _bureau_name(),
        postcode=bureau.postcode if bureau else "",
        date=case.publicity_start,
    )


def public_notice_document(case, *, acting_user):
    return _generate(case, DossierKind.PUBLIC_NOTICE, public_notice_content(case), acting_user, step="publicise")


def appointment_notice_content(case) -> dict:
    rows = []
    for cand in case.candidates.filter(status=CandidateStatus.APPOINTED).select_related(
        "person", "former_tenure__post", "new_tenure"
    ):
        row = {
            "name": cand.person.name,
            "appoint": str(case.post),
            "probation": bool(cand.new_tenure and cand.new_tenure.probation_end),
        }
        if cand.former_tenure:
            row["remove"] = str(cand.former_tenure.post)
        rows.append(row)
    return build_appointment_notice(
        issuer=_committee(),
        doc_number=case.document_number,
        addressee=case.post.organization.name,
        decided_by=_committee(),
        decided_on=case.decided_on,
        date=case.notice_date,
        appointments=rows,
    )


def appointment_documents(case, *, acting_user):
    docs = [
        _generate(case, DossierKind.APPOINTMENT_NOTICE, appointment_notice_content(case), acting_user, step="appoint")
    ]
    for cand in case.candidates.filter(status=CandidateStatus.APPOINTED).select_related("person", "former_tenure"):
        content = build_appointment_form(
            cand.person,
            on=case.decided_on,
            proposed_post=str(case.post),
            proposed_removal=str(cand.former_tenure.post) if cand.former_tenure else "",
            reason="经民主推荐、考察，党委（工委）会议研究决定。",
            reporting_unit=_committee(),
        )
        docs.append(
            _generate(case, DossierKind.APPOINTMENT_FORM, content, acting_user, step="appoint", subject=cand.person)
        )
    return docs


def record_sheet_content(case, *, prepared_by: str) -> dict:
    """The 纪实表: every audit event of the case in order, with its figures and documents."""
    events = list(case_events(case))
    docs_by_step: dict[str, list] = {}
    for doc in DossierDocument.objects.filter(process_ref=_ref(case)).order_by("id"):
        docs_by_step.setdefault(doc.step, []).append(
            {"title": doc.title, "version": doc.version, "code": doc.verification_code}
        )
    last_of_step = {}
    for event in events:
        last_of_step[event.action.removeprefix("principal_selection.")] = event.pk
    rows = []
    for event in events:
        action = event.action.removeprefix("principal_selection.")
        row = {
            "at": event.at,
            "step": STEP_LABELS.get(action, action),
            "actor": display_name(event.actor) if event.actor else "系统",
            "from_state": state_label(event.from_state) if event.from_state != event.to_state else "",
            "to_state": state_label(event.to_state),
            "reason": event.reason,
            "figures": [list(pair) for pair in event_figures(event.payload)],
            "hash": event.hash,
        }
        if last_of_step.get(action) == event.pk and docs_by_step.get(action):
            row["documents"] = docs_by_step[action]
        rows.append(row)
    report = verify_chain()
    return build_record_sheet(
        case={
            "title": str(case),
            "ref": f"XZ-{case.pk}",
            "unit": case.post.organization.name,
            "post": case.post.name,
            "method": case.get_method_display(),
            "started_on": case.started_on,
        },
        events=rows,
        chain={"verified": report.ok, "checked": report.checked},
        prepared_by=prepared_by,
        date=timezone.localdate(),
    )


def record_sheet_document(case, *, acting_user):
    content = record_sheet_content(case, prepared_by=display_name(acting_user))
    return _generate(case, DossierKind.RECORD_SHEET, content, acting_user, step="record")
