"""Forms of the competition steps: they parse shapes; the services enforce the rules."""

from __future__ import annotations

import json

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cadres.models import Post, Tenure
from cadres.roles import Role

from .models import AdjustmentOutcome, AdjustmentTrigger, Registration, RegStatus
from .scoring import DEFAULT_TIE_BREAK

DATE = forms.DateInput(attrs={"type": "date"})
VOTE_WORDS = {
    "同意": "agree",
    "不同意": "disagree",
    "缓议": "defer",
    "agree": "agree",
    "disagree": "disagree",
    "defer": "defer",
}
MAX_SCORE_FILE_BYTES = 2 * 1024 * 1024
MEETING_FORMS = [("meeting", _("召开党组织会议")), ("circulated", _("传签（书面传阅）"))]


def _lines(text: str) -> list[list[str]]:
    return [[p.strip() for p in line.replace("，", ",").split(",")] for line in text.splitlines() if line.strip()]


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.replace("，", ",").replace("\n", ",").split(",") if n.strip()]


class PlanForm(forms.Form):
    title = forms.CharField(label=_("竞聘名称"), max_length=120)
    posts = forms.CharField(
        label=_("竞聘岗位"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行：岗位编号,竞聘职数,最少合格人数"),
    )
    opens = forms.DateField(label=_("报名开始"), widget=DATE)
    closes = forms.DateField(label=_("报名截止"), widget=DATE)
    speech = forms.DecimalField(label=_("演讲答辩权重%"), initial=50)
    evaluation = forms.DecimalField(label=_("民主测评权重%"), initial=30)
    performance = forms.DecimalField(label=_("工作业绩权重%"), initial=20)
    trim_min_judges = forms.IntegerField(label=_("评委不少于几人时去掉最高分和最低分"), initial=5, min_value=3)
    tie_break = forms.CharField(label=_("同分排序依据"), initial=",".join(DEFAULT_TIE_BREAK))
    inspect_top = forms.IntegerField(label=_("每个职数考察人数"), initial=1, min_value=1)
    quorum = forms.CharField(label=_("会议到会比例"), initial="2/3")
    eligibility = forms.CharField(
        label=_("资格条件参数（JSON）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('如 {"min_title": {"title": "first"}, "max_age": {"max_age": 50}}'),
    )

    def clean_posts(self):
        rows = []
        for parts in _lines(self.cleaned_data["posts"]):
            if len(parts) != 3 or not all(p.isdigit() for p in parts):
                raise ValidationError(_("每行应为：岗位编号,竞聘职数,最少合格人数"))
            post = Post.objects.filter(pk=int(parts[0])).first()
            rows.append(
                {
                    "post": int(parts[0]),
                    "name": post.name if post else "",
                    "seats": int(parts[1]),
                    "min_candidates": int(parts[2]),
                }
            )
        return rows

    def clean_eligibility(self):
        text = self.cleaned_data["eligibility"].strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise ValidationError(_("资格条件参数不是有效的JSON。")) from exc
        if not isinstance(value, dict):
            raise ValidationError(_("资格条件参数应为对象。"))
        return value

    def plan(self) -> dict:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "posts": d["posts"],
            "registration": {"opens": d["opens"].isoformat(), "closes": d["closes"].isoformat()},
            "weights": {k: str(d[k]) for k in ("speech", "evaluation", "performance")},
            "trim_min_judges": d["trim_min_judges"],
            "tie_break": [k.strip() for k in d["tie_break"].split(",") if k.strip()],
            "inspect_top": d["inspect_top"],
            "quorum": d["quorum"],
            "eligibility": d["eligibility"],
        }


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("会议日期"), widget=DATE)
    name = forms.CharField(label=_("会议名称"), max_length=120)
    form = forms.ChoiceField(label=_("研究方式"), choices=MEETING_FORMS, initial="meeting")
    members = forms.CharField(label=_("应到成员（用户名，逗号分隔）"), widget=forms.Textarea(attrs={"rows": 2}))
    present = forms.CharField(label=_("实到成员"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    votes = forms.CharField(
        label=_("表决"), widget=forms.Textarea(attrs={"rows": 4}), help_text=_("每行：成员,同意/不同意/缓议")
    )

    def clean(self):
        d = super().clean()
        d["members"] = _names(d.get("members", ""))
        d["present"] = _names(d.get("present", ""))
        return d

    def single_votes(self) -> dict[str, str]:
        votes = {}
        for parts in _lines(self.cleaned_data["votes"]):
            if len(parts) != 2 or parts[1] not in VOTE_WORDS:
                raise ValidationError(_("表决每行应为：成员,同意/不同意/缓议"))
            votes[parts[0]] = VOTE_WORDS[parts[1]]
        return votes

    def candidate_votes(self) -> dict[str, dict[str, str]]:
        votes: dict[str, dict[str, str]] = {}
        for parts in _lines(self.cleaned_data["votes"]):
            if len(parts) != 3 or parts[2] not in VOTE_WORDS:
                raise ValidationError(_("表决每行应为：成员,报名编号,同意/不同意/缓议"))
            votes.setdefault(parts[0], {})[parts[1]] = VOTE_WORDS[parts[2]]
        return votes


class FilingForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("备案意见"), choices=[("1", _("同意备案")), ("0", _("退回修改"))], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label=_("理由"), max_length=300, required=False)


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("确认"), required=True)


class QualificationForm(forms.Form):
    registration = forms.ModelChoiceField(label=_("报名"), queryset=Registration.objects.none())
    accept = forms.TypedChoiceField(
        label=_("审查意见"), choices=[("1", _("通过")), ("0", _("不通过"))], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label=_("理由"), max_length=500, required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = case.registrations.filter(
            status__in=[RegStatus.REGISTERED, RegStatus.QUALIFIED, RegStatus.REFUSED]
        ).select_related("person", "post")


class ScoringForm(forms.Form):
    ACTIONS = [
        ("assign", _("设置评委")),
        ("open", _("开始评分")),
        ("paper", _("录入纸质评分表")),
        ("other", _("录入民主测评和工作业绩")),
        ("close", _("结束评分")),
    ]
    action = forms.ChoiceField(label=_("操作"), choices=ACTIONS)
    post = forms.ModelChoiceField(label=_("岗位"), queryset=Post.objects.none(), required=False)
    judges = forms.ModelMultipleChoiceField(
        label=_("评委"), queryset=get_user_model().objects.filter(groups__name=Role.JUDGE), required=False
    )
    registration = forms.ModelChoiceField(label=_("竞聘人"), queryset=Registration.objects.none(), required=False)
    judge = forms.ModelChoiceField(
        label=_("纸质表的评委"), queryset=get_user_model().objects.filter(groups__name=Role.JUDGE), required=False
    )
    scores = forms.CharField(label=_("分项得分（逗号分隔）"), required=False)
    evaluation = forms.DecimalField(label=_("民主测评成绩"), required=False)
    performance = forms.DecimalField(label=_("工作业绩成绩"), required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        post_ids = [int(p["post"]) for p in case.rules.get("posts", [])]
        self.fields["post"].queryset = Post.objects.filter(pk__in=post_ids)
        self.fields["registration"].queryset = case.registrations.filter(status=RegStatus.QUALIFIED)

    def score_list(self) -> list[str]:
        return _names(self.cleaned_data.get("scores") or "")


class SheetForm(forms.Form):
    registration = forms.IntegerField(widget=forms.HiddenInput)
    scores = forms.CharField(label=_("分项得分（逗号分隔）"))
    comment = forms.CharField(label=_("评语"), max_length=300, required=False)


class InspectionForm(forms.Form):
    registration = forms.ModelChoiceField(label=_("考察对象"), queryset=Registration.objects.none())
    opinion = forms.CharField(label=_("考察意见"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = case.registrations.filter(status=RegStatus.SHORTLISTED)


class PublicityForm(forms.Form):
    start = forms.DateField(label=_("公示开始日期"), widget=DATE)
    workdays = forms.IntegerField(label=_("公示工作日数"), min_value=1, initial=5)


class AppointForm(forms.Form):
    document_number = forms.CharField(label=_("聘任文号"), max_length=60)


class ReportForm(forms.Form):
    summary = forms.CharField(label=_("报备说明"), widget=forms.Textarea(attrs={"rows": 3}))


class ProbationForm(forms.Form):
    registration = forms.ModelChoiceField(label=_("聘任人员"), queryset=Registration.objects.none())
    confirmed = forms.TypedChoiceField(
        label=_("考核结果"),
        choices=[("1", _("胜任，正式聘任")), ("0", _("不胜任，免去试任职务"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=_("考核意见"), max_length=300)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = case.registrations.filter(
            status=RegStatus.APPOINTED, probation_result=""
        ).select_related("person", "post")


class ObjectionForm(forms.Form):
    registration = forms.ModelChoiceField(label=_("公示对象"), queryset=Registration.objects.none())
    received_on = forms.DateField(label=_("收到日期"), widget=DATE)
    summary = forms.CharField(label=_("反映问题"), max_length=300)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = case.registrations.filter(status=RegStatus.DECIDED)


class ObjectionResolveForm(forms.Form):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    upheld = forms.TypedChoiceField(
        label=_("核查结论"), choices=[("0", _("不影响聘任")), ("1", _("反映属实"))], coerce=lambda v: v == "1"
    )
    finding = forms.CharField(label=_("核查情况"), max_length=300)


class ProposalForm(forms.Form):
    tenure = forms.ModelChoiceField(label=_("现任职务"), queryset=Tenure.objects.none())
    trigger = forms.ChoiceField(label=_("启动原因"), choices=AdjustmentTrigger.choices)
    grounds = forms.CharField(label=_("调整理由"), widget=forms.Textarea(attrs={"rows": 3}))
    proposed_outcome = forms.ChoiceField(
        label=_("拟调整方式"),
        choices=[(AdjustmentOutcome.REMOVE, _("免去职务")), (AdjustmentOutcome.DEMOTE, _("降职使用"))],
    )
    proposed_post = forms.ModelChoiceField(label=_("拟任较低职务"), queryset=Post.objects.none(), required=False)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        from .plan import MIDDLE_LEVELS

        tenures = Tenure.objects.filter(end_date__isnull=True, post__level__in=MIDDLE_LEVELS)
        posts = Post.objects.all()
        if organization is not None:  # a school proposes for its own cadres; the bureau for any school
            tenures, posts = tenures.filter(post__organization=organization), posts.filter(organization=organization)
        self.fields["tenure"].queryset = tenures.select_related("person", "post")
        self.fields["proposed_post"].queryset = posts


class StatementForm(forms.Form):
    statement = forms.CharField(label=_("本人陈述"), widget=forms.Textarea(attrs={"rows": 5}))


class AdjustmentReportForm(forms.Form):
    summary = forms.CharField(
        label=_("调整情况报告"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("写明调整对象、启动原因、本人陈述、会议决定及执行情况。"),
        error_messages={"required": _("须填写调整情况报告。")},
    )


class AdjustmentReviewForm(forms.Form):
    acknowledged = forms.TypedChoiceField(
        label=_("审核意见"), choices=[("1", _("确认备案")), ("0", _("退回重报"))], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label=_("退回理由"), max_length=300, required=False)


class ScoreImportForm(forms.Form):
    file = forms.FileField(
        label=_("成绩文件"), help_text=_("Excel 工作簿（.xlsx），列为：序号、姓名、岗位、民主测评成绩、工作业绩成绩。")
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_SCORE_FILE_BYTES:
            raise ValidationError(_("文件不能超过2 MB。"))
        return upload
