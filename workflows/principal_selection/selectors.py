"""Reads of principal selection: scoped case lists, one case's overview and its record (全程纪实)."""

from __future__ import annotations

from django.db.models import QuerySet
from viewflow.workflow.status import STATUS

from audit.models import AuditEvent
from cadres.roles import is_bureau_user, profile_of, shown_name

from .models import SelectionCase

STEP_LABELS = {
    "propose": "动议",
    "approve_exception": "上级审批破格提拔",
    "recommend.talk": "谈话调研推荐",
    "recommend.meeting": "会议推荐",
    "recommend": "民主推荐",
    "shortlist": "确定考察对象",
    "inspect": "考察",
    "dossier_review": "档案必审",
    "personal_matters_check": "个人有关事项报告必核",
    "discipline_opinion": "纪检监察机关意见必听",
    "petition_check": "信访举报必查",
    "integrity_signoff": "廉洁自律结论签字",
    "inspected": "考察完成",
    "decide": "讨论决定",
    "recused": "回避",
    "publicise": "任前公示",
    "objection": "公示反映问题",
    "objection_resolved": "反映问题核查",
    "appoint": "任职",
    "probation_review": "试用期满考核",
    "note": "意见或附件",
    "reassign": "改派任务",
    "send_back": "退回",
    "cancel": "撤销",
    "close": "终止",
    "ballot_create": "建立电子投票",
    "ballot_discard": "删除电子投票",
    "ballot_open": "开始电子投票",
    "ballot_paper": "录入纸质票",
    "ballot_close": "结束电子投票并计票",
}


FIGURE_LABELS = {
    "post": "职位",
    "headcount": "职数",
    "holders": "现任人数",
    "method": "选拔方式",
    "posts_to_fill": "拟任职数",
    "exceptional": "破格或越级",
    "rule_set": "适用规则",
    "form": "推荐方式",
    "held_on": "日期",
    "due": "应到",
    "attended": "实到",
    "present": "实到",
    "quorum": "法定人数",
    "rounds": "推荐轮次",
    "candidates": "考察对象",
    "posts": "职数",
    "team": "考察组",
    "on": "日期",
    "recommendation_valid_until": "推荐有效期至",
    "candidate": "人选",
    "talks": "个别谈话人数",
    "evaluation": "民主测评",
    "passed": "未发现问题",
    "capacity": "签字身份",
    "meeting": "会议",
    "recused": "回避",
    "reconsideration": "复议",
    "results": "表决结果",
    "start": "公示开始",
    "end": "公示结束",
    "workdays": "工作日数",
    "received_on": "收到日期",
    "result": "核查结果",
    "document_number": "任职文号",
    "notice_date": "任职通知日期",
    "talk_on": "任职谈话日期",
    "talk_by": "谈话人",
    "tenure_start": "任职时间",
    "probation_end": "试用期满",
    "changes": "任免变动",
    "confirmed": "正式任职",
    "approved": "上级批准",
    "approved_on": "批准日期",
    "approver": "批准机关",
    "requested_on": "征求意见日期",
    "replied_on": "回复日期",
    "opinion": "意见",
    "delegated_on": "委托查核日期",
    "handled_on": "处理日期",
    "mismatch": "查核结果",
    "checked_on": "核查日期",
    "finding": "核查结论",
    "received": "线索具体的信访举报（件）",
    "context": "回避事项",
    "user": "回避人员",
    "verified_on": "核定日期",
    "confirmed_birth_month": "认定出生年月",
    "work_start": "参加工作时间",
    "party_join": "入党时间",
    "education": "学历学位",
    "experience": "工作经历",
    "step": "环节",
    "agree": "同意",
    "disagree": "不同意",
    "defer": "缓议",
    "outcome": "结果",
    "name": "",
    "votes": "得票",
    "share": "得票率%",
    "rank": "名次",
    "corrections": "档案认定和更正",
    "qualifications": "任职资格（从严）",
    "excellent": "优秀",
    "competent": "称职",
    "basic": "基本称职",
    "incompetent": "不称职",
    "round": "投票编号",
    "title": "投票名称",
    "kind": "投票类别",
    "seats": "应选人数",
    "categories": "投票人类别",
    "codes": "发放投票码",
    "category": "类别",
    "electronic": "电子票",
    "paper": "纸质票",
    "invalid": "废票",
}
SKIPPED_FIGURES = {"birth_entries", "warning", "user_id", "excluded_user"}
# Coded values written into payloads, in words (the 个人有关事项 check's result).
VALUE_LABELS = {"mismatch": {"none": "一致", "minor": "有出入，已说明", "major": "出入较大"}}


def state_label(code: str) -> str:
    from .models import CaseState

    return str(CaseState(code).label) if code in CaseState.values else code


def _figure_text(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        parts = []
        for item in value:
            if isinstance(item, dict):
                parts.append("，".join(f"{FIGURE_LABELS.get(k, k)}{v}" for k, v in item.items()))
            else:
                parts.append(str(item))
        return "；".join(parts)
    if isinstance(value, dict):
        return "，".join(f"{FIGURE_LABELS.get(k, k)}{v}" for k, v in value.items())
    return str(value)


def event_figures(payload: dict, names: dict | None = None) -> list[tuple[str, str]]:
    """An event's figures as (Chinese label, text) pairs, in their recorded order. Coded values are put in
    words (`VALUE_LABELS`); the inspection team, recorded as user names, is shown by `names` (username →
    display name, see `team_names`), never as user names."""
    out = []
    for key, value in (payload or {}).items():
        if key in SKIPPED_FIGURES or value in (None, "", [], {}):
            continue
        if key in VALUE_LABELS:
            value = VALUE_LABELS[key].get(value, value)
        if key == "team" and isinstance(value, list):
            value = [(names or {}).get(v, "工作人员") for v in value]
        out.append((FIGURE_LABELS.get(key, key), _figure_text(value)))
    return out


def team_names(events) -> dict[str, str]:
    """Display names of the user names recorded in the events' "team" figures, in one query."""
    from django.contrib.auth import get_user_model

    usernames = {u for e in events for u in ((e.payload or {}).get("team") or []) if isinstance(u, str)}
    if not usernames:
        return {}
    users = get_user_model().objects.filter(username__in=usernames).select_related("profile__person")
    return {u.get_username(): shown_name(u) for u in users}


def display_name(user) -> str:
    if user is None:
        return "系统"
    profile = profile_of(user)
    if profile is not None and profile.person_id:
        return profile.person.name
    return user.get_full_name() or user.get_username()


def cases_visible_to(user) -> QuerySet[SelectionCase]:
    """Bureau business: bureau users see every case, school-level users none."""
    qs = SelectionCase.objects.select_related("post__organization", "officer").order_by("-created")
    return qs if is_bureau_user(user) else qs.none()


def case_events(case) -> QuerySet[AuditEvent]:
    """The case's audit events in order (the steps, recusals, documents of the case)."""
    return (
        AuditEvent.objects.filter(object_type=case._meta.label_lower, object_id=str(case.pk))
        .select_related("actor__profile__person")
        .order_by("id")
    )


def open_tasks(case):
    return case.task_set.exclude(status__in=[STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED]).order_by("id")


def case_overview(case) -> dict:
    """What a task page shows above its form: post, holders, candidates, rounds, checks."""
    post = case.post
    holders = []
    if post is not None:
        holders = [t.person.name for t in post.tenures.filter(end_date__isnull=True).select_related("person")]
    return {
        "post": post,
        "headcount": post.headcount if post else None,
        "holders": holders,
        "candidates": list(case.candidates.select_related("person__organization")) if case.pk else [],
        "rounds": list(case.rounds.all()) if case.pk else [],
    }


def tasks_for(user, *, on=None):
    """Open selection tasks the user may act on now, soonest due first: dicts for the home page and reminders."""
    import datetime as dt

    from django.utils import timezone

    from .flows import PrincipalSelectionFlow

    if not PrincipalSelectionFlow.instance.has_view_permission(user):
        return []
    on = on or timezone.localdate()
    rows = []
    tasks = (
        PrincipalSelectionFlow.task_class.objects.filter(
            process__flow_class=PrincipalSelectionFlow, flow_task_type="HUMAN"
        )
        .exclude(status__in=[STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED])
        .select_related("process")
        .order_by("id")
    )
    for task in tasks:
        node = task.flow_task
        if task.owner_id not in (None, user.pk) or not node.may_act(user, task.process):
            continue
        due = dt.date.fromisoformat(task.data["due"]) if (task.data or {}).get("due") else None
        rows.append(
            {
                "title": str(node.task_title),
                "url": node.reverse("execute", args=[task.process_id, task.pk]),
                "due": due,
                "overdue": bool(due and due < on),
                "case": str(task.process.coerced),
            }
        )
    return sorted(rows, key=lambda r: (r["due"] is None, r["due"] or on))


def overdue_tasks(*, on):
    """Every open human task past its due date, for the daily reminder."""
    import datetime as dt

    from .flows import PrincipalSelectionFlow

    out = []
    tasks = (
        PrincipalSelectionFlow.task_class.objects.filter(
            process__flow_class=PrincipalSelectionFlow, flow_task_type="HUMAN"
        )
        .exclude(status__in=[STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED])
        .select_related("process", "owner")
    )
    for task in tasks.order_by("id"):
        due = (task.data or {}).get("due")
        if due and dt.date.fromisoformat(due) < on:
            out.append(
                {
                    "task": task,
                    "step": str(task.flow_task.task_title),
                    "due": due,
                    "case": str(task.process.coerced),
                    "owner": task.owner.get_username() if task.owner else "",
                }
            )
    return out
