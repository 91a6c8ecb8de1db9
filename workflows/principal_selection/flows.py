"""校长选拔任用 as a viewflow graph: the nodes are the procedure's steps (DOMAIN §3), nothing else."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from cadres.roles import Role, has_role, is_bureau_user
from workflows.common import publicity
from workflows.common.nodes import CaseJoin, CaseTask

from . import actors, views
from .models import SelectionCase

OFFICER = [Role.PERSONNEL_OFFICER]


def _is_bureau_officer(user) -> bool:
    return is_bureau_user(user) and (user.is_superuser or has_role(user, Role.PERSONNEL_OFFICER))


class PrincipalSelectionFlow(flow.Flow):
    process_class = SelectionCase
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    case_select_related = ("post__organization",)  # read with the task: the case's name (audit, pages) needs them
    process_title = _("校长选拔任用")
    process_description = _("动议、民主推荐、确定考察对象、考察、讨论决定、任前公示、任职、试用期")
    process_summary_template = "{{ process.coerced }}（{{ process.coerced.get_state_display }}）"

    propose = (
        flow.Start(views.ProposeView.as_view())
        .Annotation(title=_("动议"))
        .Available(_is_bureau_officer)
        .Next(this.recommend)
    )
    recommend = (
        CaseTask(views.RecommendView.as_view(), policy=actors.OFFICER)
        .Annotation(title=_("民主推荐"))
        .Next(this.shortlist)
    )
    shortlist = (
        CaseTask(views.ShortlistView.as_view(), policy=actors.OFFICER)
        .Annotation(title=_("确定考察对象"))
        .Next(this.exception_gate)
    )
    exception_gate = (
        flow.If(lambda activation: activation.process.coerced.needs_exception_approval)
        .Annotation(title=_("是否破格或越级"))
        .Then(this.approve_exception)
        .Else(this.inspection)
    )
    approve_exception = (
        CaseTask(views.ApproveExceptionView.as_view(), policy=actors.OFFICER)
        .Annotation(title=_("上级审批破格提拔"))
        .Next(this.exception_granted)
    )
    exception_granted = (
        flow.If(lambda activation: activation.process.coerced.exception_granted)
        .Annotation(title=_("上级是否批准"))
        .Then(this.inspection)
        .Else(this.rejected)
    )
    inspection = (
        flow.Split()
        .Annotation(title=_("考察与凡提四必"))
        .Next(this.inspect)
        .Next(this.dossier_review)
        .Next(this.personal_matters_check)
        .Next(this.discipline_opinion)
        .Next(this.petition_check)
    )
    inspect = (
        CaseTask(views.InspectView.as_view(), policy=actors.INSPECTION_TEAM)
        .Annotation(title=_("考察"))
        .Next(this.checks_done)
    )
    dossier_review = (
        CaseTask(views.DossierReviewView.as_view(), policy=actors.OFFICER)
        .Annotation(title=_("档案必审"))
        .Next(this.checks_done)
    )
    personal_matters_check = (
        CaseTask(views.PersonalMattersView.as_view(), policy=actors.OFFICER)
        .Annotation(title=_("个人有关事项报告必核"))
        .Next(this.checks_done)
    )
    discipline_opinion = (
        CaseTask(views.DisciplineOpinionView.as_view(), policy=actors.DISCIPLINE)
        .Annotation(title=_("纪检监察机关意见必听"))
        .Next(this.checks_done)
    )
    petition_check = (
        CaseTask(views.PetitionCheckView.as_view(), policy=actors.DISCIPLINE)
        .Annotation(title=_("信访举报必查"))
        .Next(this.checks_done)
    )
    checks_done = CaseJoin().Annotation(title=_("考察和四必完成")).Next(this.integrity_signoff)
    integrity_signoff = (
        CaseTask(views.IntegritySignoffView.as_view(), policy=actors.INTEGRITY_SIGNOFF)
        .Annotation(title=_("廉洁自律结论签字"))
        .Next(this.decide)
    )
    decide = (
        CaseTask(views.DecideView.as_view(), policy=actors.RECORDER)
        .Annotation(title=_("讨论决定"))
        .Next(this.decision_gate)
    )
    decision_gate = (
        flow.If(lambda activation: activation.process.coerced.has_appointee)
        .Annotation(title=_("是否决定任用"))
        .Then(this.publicise)
        .Else(this.not_decided)
    )
    publicise = (
        CaseTask(views.PublicizeView.as_view(), policy=actors.OFFICER)
        .Annotation(title=_("任前公示"))
        .Next(this.publicity_wait)
    )
    publicity_wait = flow.Timer(this.publicity_over).Annotation(title=_("公示期")).Next(this.appoint)
    appoint = (
        CaseTask(views.AppointView.as_view(), policy=actors.OFFICER)
        .Annotation(title=_("任职"))
        .Next(this.probation_gate)
    )
    probation_gate = (
        flow.If(lambda activation: activation.process.coerced.needs_probation)
        .Annotation(title=_("是否试用"))
        .Then(this.probation_wait)
        .Else(this.end)
    )
    probation_wait = flow.Timer(this.probation_due).Annotation(title=_("试用期")).Next(this.probation_review)
    probation_review = (
        CaseTask(views.ProbationReviewView.as_view(), policy=actors.OFFICER)
        .Annotation(title=_("试用期满考核"))
        .Next(this.end)
    )
    end = flow.End().Annotation(title=_("结束"))
    rejected = flow.End().Annotation(title=_("上级未批准"))
    not_decided = flow.End().Annotation(title=_("未决定任用"))

    def publicity_over(self, activation):
        """任职 opens on the morning after the 公示's last working day: until then there is no task to appoint
        from, and objections received meanwhile are resolved before the appointment (`appointment_make`)."""
        return publicity.appointment_opens(activation.process.coerced.publicity_end)

    def probation_due(self, activation):
        """The review opens on the morning the probation ends."""
        end = activation.process.coerced.probation_end
        return timezone.make_aware(dt.datetime.combine(end, dt.time(8, 0)))

    def has_view_permission(self, user, obj=None):
        return is_bureau_user(user) and (
            user.is_superuser
            or has_role(
                user,
                Role.PERSONNEL_OFFICER,
                Role.INSPECTION_TEAM,
                Role.DISCIPLINE_INSPECTOR,
                Role.COMMITTEE_MEMBER,
                Role.COMMITTEE_SECRETARY,
            )
        )

    def visible_cases(self, user):
        """The cases whose page `user` may open: every case, for the bureau roles of `has_view_permission`."""
        return SelectionCase.objects.all() if self.has_view_permission(user) else SelectionCase.objects.none()

    def has_manage_permission(self, user, obj=None):
        return _is_bureau_officer(user)
