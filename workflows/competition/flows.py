"""中层干部竞聘上岗 and 能上能下 as viewflow graphs: nodes are the procedure's steps (DOMAIN §5)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from cadres.roles import Role, has_role, is_bureau_user
from workflows.common import publicity
from workflows.common.nodes import CaseTask

from . import actors, services, views
from .models import Adjustment, Competition
from .selectors import adjustments_visible_to, competitions_visible_to

SCHOOL = [Role.SCHOOL_SECRETARY]
OFFICER = [Role.PERSONNEL_OFFICER]


def _school_secretary(user) -> bool:
    return user.is_authenticated and has_role(user, Role.SCHOOL_SECRETARY) and not is_bureau_user(user)


def _fresh(activation) -> Competition:
    return Competition.objects.get(pk=activation.process.pk)


class CompetitionFlow(flow.Flow):
    process_class = Competition
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = _("中层干部竞聘上岗")
    process_description = _("实施方案、报名、资格审查、演讲答辩评分、排名、考察、决定、公示、聘任")
    process_summary_template = "{{ process.coerced }}（{{ process.coerced.get_state_display }}）"

    plan = (
        flow.Start(views.PlanView.as_view())
        .Annotation(title=_("制定实施方案"))
        .Available(_school_secretary)
        .Next(this.school_meeting_approval)
    )
    revise_plan = (
        CaseTask(views.RevisePlanView.as_view(), policy=actors.SCHOOL_STEP)
        .Annotation(title=_("修改实施方案"))
        .Next(this.school_meeting_approval)
    )
    school_meeting_approval = (
        CaseTask(views.PlanMeetingView.as_view(), policy=actors.SCHOOL_STEP)
        .Annotation(title=_("党组织会议审议方案"))
        .Next(this.approval_gate)
    )
    approval_gate = (
        flow.If(lambda a: _fresh(a).meeting_approved)
        .Annotation(title=_("会议是否通过"))
        .Then(this.file_with_bureau)
        .Else(this.revise_plan)
    )
    file_with_bureau = (
        CaseTask(views.FilingView.as_view(), policy=actors.BUREAU_STEP)
        .Annotation(title=_("报局备案"))
        .Next(this.filing_gate)
    )
    filing_gate = (
        flow.If(lambda a: _fresh(a).filing_ok)
        .Annotation(title=_("局是否同意"))
        .Then(this.freeze)
        .Else(this.revise_plan)
    )
    freeze = flow.Function(this.freeze_plan).Annotation(title=_("方案定稿")).Next(this.announce)
    announce = (
        CaseTask(views.AnnounceView.as_view(), policy=actors.SCHOOL_STEP)
        .Annotation(title=_("发布公告"))
        .Next(this.registration)
    )
    registration = (
        CaseTask(views.CloseRegistrationView.as_view(), policy=actors.SCHOOL_STEP)
        .Annotation(title=_("报名（截止后结束）"))
        .Next(this.qualification_review)
    )
    qualification_review = (
        CaseTask(views.QualificationView.as_view(), policy=actors.SCHOOL_STEP)
        .Annotation(title=_("资格审查"))
        .Next(this.scoring)
    )
    scoring = (
        CaseTask(views.ScoringView.as_view(), policy=actors.SCHOOL_STEP)
        .Annotation(title=_("演讲答辩评分"))
        .Next(this.ranking)
    )
    ranking = (
        CaseTask(views.RankingView.as_view(), policy=actors.SCHOOL_STEP)
        .Annotation(title=_("综合成绩排名"))
        .Next(this.inspection)
    )
    inspection = (
        CaseTask(views.InspectionView.as_view(), policy=actors.SCHOOL_STEP)
        .Annotation(title=_("组织考察"))
        .Next(this.school_decision)
    )
    school_decision = (
        CaseTask(views.DecisionView.as_view(), policy=actors.SCHOOL_STEP)
        .Annotation(title=_("党组织会议讨论决定"))
        .Next(this.decision_gate)
    )
    decision_gate = (
        flow.If(lambda a: _fresh(a).has_appointee)
        .Annotation(title=_("是否决定聘任"))
        .Then(this.publicise)
        .Else(this.file_report)
    )
    publicise = (
        CaseTask(views.PublicityView.as_view(), policy=actors.SCHOOL_STEP)
        .Annotation(title=_("任前公示"))
        .Next(this.publicity_wait)
    )
    publicity_wait = flow.Timer(this.publicity_over).Annotation(title=_("公示期")).Next(this.appoint)
    appoint = (
        CaseTask(views.AppointView.as_view(), policy=actors.SCHOOL_STEP)
        .Annotation(title=_("聘任"))
        .Next(this.file_report)
    )
    file_report = (
        CaseTask(views.ReportView.as_view(), policy=actors.SCHOOL_STEP)
        .Annotation(title=_("结果报局备案"))
        .Next(this.probation_gate)
    )
    probation_gate = (
        flow.If(lambda a: _fresh(a).registrations.filter(status="appointed").exists())
        .Annotation(title=_("是否有试用人员"))
        .Then(this.probation_review)
        .Else(this.end)
    )
    probation_review = (
        CaseTask(views.ProbationView.as_view(), policy=actors.SCHOOL_STEP)
        .Annotation(title=_("试用期满考核"))
        .Next(this.end)
    )
    end = flow.End().Annotation(title=_("结束"))

    def publicity_over(self, activation):
        """聘任 opens on the morning after the 公示's last working day: until then there is no task to appoint
        from; objections received meanwhile are resolved before the appointment (`services.appointment_make`)."""
        return publicity.appointment_opens(_fresh(activation).publicity_end)

    def freeze_plan(self, activation):
        services.plan_freeze(competition=activation.process)
        activation.process.refresh_from_db()

    def has_view_permission(self, user, obj=None):
        """The area: the bureau, school secretaries, teachers and judges (their own pages register/, judge/).

        A case (its detail and task pages) only within `competitions_visible_to`: never another school's.
        """
        if not (
            user.is_authenticated
            and (is_bureau_user(user) or has_role(user, Role.SCHOOL_SECRETARY, Role.TEACHER, Role.JUDGE))
        ):
            return False
        return obj is None or self.visible_cases(user).filter(pk=obj.pk).exists()

    def visible_cases(self, user):
        """The cases whose page `user` may open (the flows' one question, asked of many cases at once)."""
        return competitions_visible_to(user)

    def has_manage_permission(self, user, obj=None):
        return user.is_authenticated and user.is_superuser


def _may_propose(user) -> bool:
    return _school_secretary(user) or (
        user.is_authenticated and is_bureau_user(user) and has_role(user, Role.PERSONNEL_OFFICER)
    )


class AdjustmentFlow(flow.Flow):
    process_class = Adjustment
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = _("干部能上能下调整")
    process_description = _("提出调整建议、本人陈述、党组织会议决定、免职或降职、报局备案")
    process_summary_template = "{{ process.coerced }}"

    def has_view_permission(self, user, obj=None):
        """The area: the bureau, school secretaries, teachers, and the cadre concerned whatever their roles (the
        本人陈述 task is theirs: before, a cadre whose login held no teacher role was offered it and refused);
        a case only within `adjustments_visible_to` (the bureau, the case's school secretary, the cadre
        concerned), never another school's."""
        if not user.is_authenticated:
            return False
        if obj is not None:
            return self.visible_cases(user).filter(pk=obj.pk).exists()
        return (
            is_bureau_user(user)
            or has_role(user, Role.SCHOOL_SECRETARY, Role.TEACHER)
            or adjustments_visible_to(user).exists()
        )

    def visible_cases(self, user):
        """The cases whose page `user` may open."""
        return adjustments_visible_to(user) if user.is_authenticated else Adjustment.objects.none()

    propose = (
        flow.Start(views.ProposalView.as_view())
        .Annotation(title=_("提出调整建议"))
        .Available(_may_propose)
        .Next(this.statement)
    )
    statement = (
        CaseTask(views.StatementView.as_view(), policy=actors.ADJUSTMENT_STATEMENT)
        .Annotation(title=_("本人陈述"))
        .Next(this.decide)
    )
    decide = (
        CaseTask(views.AdjustmentDecisionView.as_view(), policy=actors.ADJUSTMENT_SCHOOL_STEP)
        .Annotation(title=_("党组织会议决定"))
        .Next(this.file_report)
    )
    file_report = (
        CaseTask(views.AdjustmentReportView.as_view(), policy=actors.ADJUSTMENT_SCHOOL_STEP)
        .Annotation(title=_("调整情况报局备案"))
        .Next(this.bureau_review)
    )
    bureau_review = (
        CaseTask(views.AdjustmentReportReviewView.as_view(), policy=actors.ADJUSTMENT_BUREAU_STEP)
        .Annotation(title=_("局审核调整情况报告"))
        .Next(this.report_gate)
    )
    report_gate = (
        flow.If(lambda a: Adjustment.objects.get(pk=a.process.pk).report_acknowledged)
        .Annotation(title=_("局是否确认"))
        .Then(this.end)
        .Else(this.file_report)
    )
    end = flow.End().Annotation(title=_("结束"))

    def has_manage_permission(self, user, obj=None):
        return user.is_authenticated and user.is_superuser
