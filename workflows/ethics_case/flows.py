"""The 违反职业道德行为处理 procedure as a viewflow graph, step by step as the 2018 处理办法 reads.

report → assign_investigator → investigate → (violation found?) statement → (hearing required?) hearing
→ propose → decide → (sanctioned?) issue_decision → apply_review ⟶ answer_review → (sanction stands?)
apply_appeal ⟶ decide_appeal → end.

The two application windows (apply_review, apply_appeal) are the teacher's tasks; each carries a timer
boundary that fires on the first day after its deadline: nobody applied, so the decision stands and the case
closes (review_lapsed / appeal_lapsed). Timers fire when `manage.py workflow_timers` runs (schedule it, e.g.
every 15 minutes from cron); until it runs, a late application is still refused by the service with the date
it was due. Who acts on each step is `actors.STEP_ACTORS`; what each step writes is `services`.

Lock: `SelectForUpdateLock(nowait=False)` — the process row is locked with SELECT … FOR UPDATE for the
whole step, and a second request on the same case waits for the first to commit, then finds the task done
and is refused. The default `select_for_update_lock` (NOWAIT, five retries with back-off) would instead fail
with FlowLockFailed after about ten seconds under a slow step. On SQLite, which has no row locks, Django
drops FOR UPDATE and SQLite's single writer serialises the steps; the lock class works on both.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import act, flow, lock

from workflows.common.nodes import CaseTask

from . import services, views
from .actors import STEP_ACTORS, may_report
from .models import EthicsCase


class EthicsCaseFlow(flow.Flow):
    """师德违规处理

    《中小学教师违反职业道德行为处理办法（2018年修订）》：报告、调查、陈述申辩与听证、学校建议、
    主管部门决定、处理决定书、复核与申诉。
    """

    process_class = EthicsCase
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    case_select_related = ("teacher", "organization")  # read with the task: recusal, the case's label
    process_summary_template = (
        "{{ process.teacher.name }}（{{ process.organization }}）· {{ process.get_source_display }}"
    )
    process_result_template = (
        "{{ process.teacher.name }}（{{ process.organization }}）· {{ process.get_outcome_display }}"
    )

    report = (
        flow.Start(views.ReportView.as_view())
        .Annotation(title=_("报告案件"))
        .Available(may_report)
        .Next(this.assign_investigator)
    )
    assign_investigator = (
        CaseTask(views.AssignInvestigatorView.as_view(), policy=STEP_ACTORS["assign_investigator"])
        .Annotation(title=_("指定调查人员"))
        .Next(this.investigate)
    )
    investigate = (
        CaseTask(views.InvestigateView.as_view(), policy=STEP_ACTORS["investigate"])
        .Annotation(title=_("调查核实"))
        .Assign(act.process.investigator)
        .Next(this.violation_found)
    )
    violation_found = (
        flow.If(act.process.violation_found).Annotation(title=_("是否查实")).Then(this.statement).Else(this.dismissed)
    )
    statement = (
        CaseTask(views.StatementView.as_view(), policy=STEP_ACTORS["statement"])
        .Annotation(title=_("陈述申辩"))
        .Assign(act.process.teacher_user)
        .Next(this.hearing_required)
    )
    hearing_required = (
        flow.If(act.process.needs_hearing).Annotation(title=_("是否听证")).Then(this.hearing).Else(this.propose)
    )
    hearing = (
        CaseTask(views.HearingView.as_view(), policy=STEP_ACTORS["hearing"])
        .Annotation(title=_("听证"))
        .Next(this.propose)
    )
    propose = (
        CaseTask(views.ProposeView.as_view(), policy=STEP_ACTORS["propose"])
        .Annotation(title=_("学校提出处理建议"))
        .Next(this.decide)
    )
    decide = (
        CaseTask(views.DecideView.as_view(), policy=STEP_ACTORS["decide"])
        .Annotation(title=_("作出处理决定"))
        .Next(this.sanctioned)
    )
    sanctioned = (
        flow.If(act.process.is_sanctioned)
        .Annotation(title=_("是否给予处理"))
        .Then(this.issue_decision)
        .Else(this.dismissed)
    )
    issue_decision = flow.Function(this.issue).Annotation(title=_("送达处理决定书")).Next(this.apply_review)
    apply_review = (
        CaseTask(views.ApplyReviewView.as_view(), policy=STEP_ACTORS["apply_review"])
        .Annotation(title=_("申请复核"))
        .Assign(act.process.teacher_user)
        .OnTimeout(act.process.review_window_closes, this.review_lapsed, title=_("复核期限届满"))
        .Next(this.answer_review)
    )
    review_lapsed = flow.Function(this.close_review_window).Annotation(title=_("未申请复核")).Next(this.end)
    answer_review = (
        CaseTask(views.AnswerReviewView.as_view(), policy=STEP_ACTORS["answer_review"])
        .Annotation(title=_("复核答复"))
        .Next(this.sanction_stands)
    )
    sanction_stands = (
        flow.If(act.process.sanction_stands).Annotation(title=_("处理是否维持")).Then(this.apply_appeal).Else(this.end)
    )
    apply_appeal = (
        CaseTask(views.ApplyAppealView.as_view(), policy=STEP_ACTORS["apply_appeal"])
        .Annotation(title=_("提出申诉"))
        .Assign(act.process.teacher_user)
        .OnTimeout(act.process.appeal_window_closes, this.appeal_lapsed, title=_("申诉期限届满"))
        .Next(this.decide_appeal)
    )
    appeal_lapsed = flow.Function(this.close_appeal_window).Annotation(title=_("未提出申诉")).Next(this.end)
    decide_appeal = (
        CaseTask(views.DecideAppealView.as_view(), policy=STEP_ACTORS["decide_appeal"])
        .Annotation(title=_("申诉处理"))
        .Next(this.end)
    )
    dismissed = flow.End().Annotation(title=_("不予处理"))
    end = flow.End().Annotation(title=_("结案"))

    @property
    def flow_label(self) -> str:
        # Templates resolve as workflows/ethics_case/<name>.html instead of .../ethics_case/flows/ethicscase/.
        return "ethics_case"

    def has_view_permission(self, user, obj=None) -> bool:
        """Any signed-in user may open the area (lists are scoped); a case only within `cases_visible_to`."""
        if not getattr(user, "is_authenticated", False):
            return False
        if obj is None:
            return True
        return self.visible_cases(user).filter(pk=obj.pk).exists()

    def visible_cases(self, user):
        """The cases whose page `user` may open."""
        from .selectors import cases_visible_to

        return cases_visible_to(user)

    # Automatic steps: each hands the activation's own process instance to its service.

    def issue(self, activation):
        services.ethics_case_decision_issue(acting_user=activation.process.decided_by, case=activation.process)

    def close_review_window(self, activation):
        services.ethics_case_review_lapse(case=activation.process)

    def close_appeal_window(self, activation):
        services.ethics_case_appeal_lapse(case=activation.process)
