"""Dossiers of a competition, all through `dossiers.services.dossier_generate`.

Kinds with a layout in the dossier app use its builder (score sheet, vote sheet, 公示, appointment notice
and the adjustment decision as a 任免通知). The announcement, registration list, qualification results and
the score summary with traces have no dedicated kind: they are built here as plain tables and printed with
this app's `competition/print/table.html` under the nearest kind.
"""

from __future__ import annotations

from dossiers.content.appointment_notice import build_appointment_notice
from dossiers.content.competition_score_sheet import build_competition_score_sheet
from dossiers.content.public_notice import build_public_notice
from dossiers.content.vote_sheet import build_vote_sheet
from dossiers.kinds import DossierKind
from dossiers.services import dossier_generate

from . import clock
from .models import RegStatus
from .plan import plan_posts, window
from .scoring import TIE_KEYS
from .services import panel

TABLE_TEMPLATE = "competition/print/table.html"
VOTE_LABELS = {"agree": "同意", "disagree": "不同意", "defer": "缓议"}


def _generate(case, *, kind, content, step, acting_user=None, subject=None, template=None, organization=None):
    doc = dossier_generate(
        kind=kind,
        content=content,
        acting_user=acting_user,
        organization=organization or case.organization,
        subject=subject,
        title=content.get("title", ""),
        process_ref=f"competition:{case.pk}",
        step=step,
    )
    if template:
        doc.template_name = template
        doc.save(update_fields=["template_name"])
    return doc


def _table_doc(case, *, kind, step, title, lines, tables, acting_user):
    content = {
        "title": title,
        "lines": lines,
        "tables": tables,
        "signature": [case.organization.name, clock.today().isoformat()],
    }
    return _generate(case, kind=kind, content=content, step=step, acting_user=acting_user, template=TABLE_TEMPLATE)


def announcement(case, *, acting_user):
    opens, closes = window(case.rules)
    rows = [[p.get("name"), p.get("seats"), p.get("min_candidates")] for p in plan_posts(case.rules).values()]
    w = case.rules.get("weights", {})
    lines = [
        f"报名时间：{opens:%Y年%m月%d日}至{closes:%Y年%m月%d日}。",
        f"综合成绩 = 演讲答辩×{w.get('speech')}% + 民主测评×{w.get('evaluation')}% + 工作业绩×{w.get('performance')}%；"
        f"评委不少于{case.rules.get('trim_min_judges', 5)}人时去掉一个最高分和一个最低分。",
        f"实施方案定稿哈希：{case.plan_hash}",
    ]
    tables = [{"caption": "竞聘岗位", "headers": ["岗位", "职数", "最少合格人数"], "rows": rows}]
    return _table_doc(
        case,
        kind=DossierKind.PUBLIC_NOTICE,
        step="announce",
        title=f"{case.title}公告",
        lines=lines,
        tables=tables,
        acting_user=acting_user,
    )


def registration_list(case, *, acting_user):
    rows = [
        [r.post.name, r.person.name, r.get_status_display(), r.registered_at.date().isoformat()]
        for r in case.registrations.select_related("post", "person").order_by("post_id", "registered_at")
    ]
    return _table_doc(
        case,
        kind=DossierKind.RECORD_SHEET,
        step="registration",
        title=f"{case.title}报名名单",
        lines=[],
        tables=[{"headers": ["岗位", "姓名", "状态", "报名日期"], "rows": rows}],
        acting_user=acting_user,
    )


def qualification_results(case, *, acting_user):
    from .services import quota_flags

    rows = [
        [r.post.name, r.person.name, r.get_status_display(), r.reason]
        for r in case.registrations.exclude(status=RegStatus.WITHDRAWN).select_related("post", "person")
    ]
    lines = [
        f"{f['post']}：合格{f['qualified']}人，方案要求不少于{f['required']}人" + ("（不足）" if f["short"] else "")
        for f in quota_flags(case)
    ]
    return _table_doc(
        case,
        kind=DossierKind.RECORD_SHEET,
        step="qualification",
        title=f"{case.title}资格审查结果",
        lines=lines,
        tables=[{"headers": ["岗位", "姓名", "结果", "理由"], "rows": rows}],
        acting_user=acting_user,
    )


def score_sheet(sheet, *, acting_user):
    reg = sheet.registration
    case = reg.competition
    number = next((a.number for a in case.judges.filter(post=reg.post, judge=sheet.judge)), 1)
    content = build_competition_score_sheet(
        competition=case.title,
        organization=case.organization.name,
        post=reg.post.name,
        candidate={"name": reg.person.name, "number": reg.number or 1},
        judge={"name": f"评委{number}", "number": number},
        criteria=[{"name": s["name"], "max_points": s["max_points"], "score": s["score"]} for s in sheet.scores],
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


def score_summary(case, *, acting_user):
    tables = []
    for post_id, item in plan_posts(case.rules).items():
        regs = case.registrations.filter(post_id=post_id, rank__isnull=False).select_related("person").order_by("rank")
        judges = [a.label for a in panel(case, post_id)]
        rows = [[r.rank, r.number, r.person.name, str(r.composite), r.get_status_display()] for r in regs]
        notes = [f"{r.person.name}：" + "；".join(r.trace) for r in regs]
        tables.append(
            {
                "caption": f"{item.get('name')}（评委：{'、'.join(judges)}）",
                "headers": ["名次", "序号", "姓名", "综合成绩", "状态"],
                "rows": rows,
                "notes": notes,
            }
        )
    lines = [
        f"依据实施方案定稿（哈希 {case.plan_hash[:16]}…）计算；"
        f"同分排序：{'、'.join(TIE_KEYS.get(k, k) for k in case.rules.get('tie_break', []))}，最后按抽签序号。"
    ]
    return _table_doc(
        case,
        kind=DossierKind.COMPETITION_RANKING,
        step="ranking",
        title=f"{case.title}成绩汇总及排名",
        lines=lines,
        tables=tables,
        acting_user=acting_user,
    )


def vote_record(case, meeting, *, acting_user):
    names = {}
    for key in {k for v in meeting.votes.values() for k in v}:
        reg = case.registrations.filter(pk=key).select_related("person", "post").first() if key.isdigit() else None
        names[key] = (reg.person.name, f"任{reg.post.name}") if reg else (key, "通过")
    candidates = [{"name": n, "current_post": "", "proposed": p} for n, p in names.values()]
    members = []
    for m in meeting.members:
        entry = {"name": m, "role": "委员", "present": m in meeting.present}
        recused_for = [names[k][0] for k, who in meeting.recused.items() if m in who and k in names]
        if recused_for:
            entry["recused_for"], entry["recusal_reason"] = recused_for, "亲属回避"
        if m in meeting.present:
            entry["votes"] = {names[k][0]: VOTE_LABELS[v] for k, v in meeting.votes.get(m, {}).items()}
        members.append(entry)
    try:
        content = build_vote_sheet(
            body=case.organization.name + "党组织",
            meeting=meeting.name,
            date=meeting.held_on.isoformat(),
            method="举手表决",
            chair=meeting.present[0] if meeting.present else "—",
            recorder=meeting.recorded_by.get_full_name() or meeting.recorded_by.get_username(),
            candidates=candidates,
            members=members,
        )
    except ValueError:
        content = {"title": f"{meeting.name}表决记录", "lines": [str(meeting.tally)], "tables": [], "signature": []}
        return _generate(
            case,
            kind=DossierKind.VOTE_SHEET,
            content=content,
            step=f"meeting:{meeting.pk}",
            template=TABLE_TEMPLATE,
            acting_user=acting_user,
        )
    return _generate(
        case, kind=DossierKind.VOTE_SHEET, content=content, step=f"meeting:{meeting.pk}", acting_user=acting_user
    )


def _person_line(reg):
    p = reg.person
    return {
        "name": p.name,
        "sex": p.get_sex_display(),
        "birth": p.birth_date.strftime("%Y-%m"),
        "political_status": p.political_status,
        "education": "大学本科",
        "current_post": "教师",
        "proposed_post": reg.post.name,
    }


def public_notice(case, *, acting_user):
    regs = case.registrations.filter(status=RegStatus.DECIDED).select_related("person", "post")
    content = build_public_notice(
        issuer=case.organization.name,
        decided_by=f"{case.organization.name}党组织会议",
        candidates=[_person_line(r) for r in regs],
        start=case.publicity_start.isoformat(),
        end=case.publicity_end.isoformat(),
        workdays=case.publicity_workdays,
        contact_unit=case.organization.name,
        phone="见学校公告栏",
        address=case.organization.name,
        date=case.publicity_start.isoformat(),
    )
    return _generate(case, kind=DossierKind.PUBLIC_NOTICE, content=content, step="publicity", acting_user=acting_user)


def appointment_notice(case, *, acting_user):
    regs = case.registrations.filter(status=RegStatus.APPOINTED).select_related("person", "post")
    decided = case.meetings.filter(purpose="decision").last()
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


def adjustment_decision(case, *, acting_user):
    person, post = case.tenure.person, case.tenure.post
    lines = [
        f"调整理由：{case.grounds}",
        f"本人陈述：{case.statement or '（未陈述）'}",
        f"决定：{case.get_outcome_display()}"
        + (f"，改任{case.proposed_post.name}" if case.outcome == "demote" else ""),
    ]
    content = {
        "title": f"关于{person.name}同志职务调整的决定",
        "lines": lines,
        "tables": [
            {
                "headers": ["姓名", "原任职务", "决定", "决定日期"],
                "rows": [[person.name, post.name, case.get_outcome_display(), str(case.decided_on)]],
            }
        ],
        "signature": [case.organization.name, str(case.decided_on)],
    }
    doc = dossier_generate(
        kind=DossierKind.APPOINTMENT_NOTICE,
        content=content,
        acting_user=acting_user,
        organization=case.organization,
        subject=person,
        title=content["title"],
        process_ref=f"adjustment:{case.pk}",
        step="decision",
    )
    doc.template_name = TABLE_TEMPLATE
    doc.save(update_fields=["template_name"])
    return doc
