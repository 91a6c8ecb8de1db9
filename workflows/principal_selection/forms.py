"""Forms of the selection steps: they parse and check shapes; the services enforce the rules."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy as _

from cadres import choices as c
from cadres.models import Person, Post
from cadres.roles import Role
from workflows.common.rows import comma_rows

from .models import CandidateStatus, CheckKind, IntegritySignature, MemberVote, Method, RoundForm

DATE = forms.DateInput(attrs={"type": "date"})


def users_with_role(role):
    return get_user_model().objects.filter(groups__name=role, is_active=True).order_by("username")


class ProposeForm(forms.Form):
    post = forms.ModelChoiceField(
        label=_("拟任职位"),
        queryset=Post.objects.filter(level__in=[c.PostLevel.SCHOOL_HEAD, c.PostLevel.SCHOOL_DEPUTY]).select_related(
            "organization"
        ),
    )
    started_on = forms.DateField(label=_("动议日期"), widget=DATE, initial=dt.date.today)
    method = forms.ChoiceField(label=_("选拔方式"), choices=Method.choices)
    posts_to_fill = forms.IntegerField(label=_("拟任职数"), min_value=1, initial=1)
    scope = forms.CharField(label=_("推荐范围"), max_length=200, required=False)
    plan = forms.CharField(label=_("工作方案"), widget=forms.Textarea, required=False)
    exceptional = forms.BooleanField(label=_("破格或越级提拔"), required=False)
    exceptional_reason = forms.CharField(label=_("破格理由"), max_length=300, required=False)
    max_age = forms.IntegerField(label=_("年龄上限（可从严）"), required=False, min_value=18)
    min_title = forms.ChoiceField(
        label=_("职称要求（可从严）"), choices=[("", "—"), *c.TeacherTitle.choices], required=False
    )

    def overrides(self) -> dict:
        d, out = self.cleaned_data, {}
        if d.get("max_age"):
            out["max_age"] = {"max_age": d["max_age"]}
        if d.get("min_title"):
            out["min_title"] = {"title": d["min_title"]}
        return out


class ApproveExceptionForm(forms.Form):
    approved = forms.TypedChoiceField(
        label=_("上级意见"), choices=[("1", _("同意")), ("0", _("不同意"))], coerce=lambda v: v == "1"
    )
    approved_on = forms.DateField(label=_("批复日期"), widget=DATE)
    approver = forms.CharField(label=_("批准机关"), max_length=100)
    reason = forms.CharField(label=_("说明"), max_length=300, required=False)


class RecommendForm(forms.Form):
    form = forms.ChoiceField(label=_("推荐方式"), choices=RoundForm.choices)
    held_on = forms.DateField(label=_("推荐日期"), widget=DATE)
    voters = forms.CharField(label=_("参加人员（每行：类别,应到,实到）"), widget=forms.Textarea(attrs={"rows": 4}))
    votes = forms.CharField(label=_("得票（每行：人员编号,票数）"), widget=forms.Textarea(attrs={"rows": 4}))

    def clean_voters(self):
        try:
            return [
                {"category": cat, "due": int(due), "attended": int(att)}
                for cat, due, att in comma_rows(self.cleaned_data["voters"], 3, _("参加人员"))
            ]
        except ValueError as exc:
            raise ValidationError(_("应到、实到须为整数。")) from exc

    def clean_votes(self):
        try:
            return {int(pid): int(n) for pid, n in comma_rows(self.cleaned_data["votes"], 2, _("得票"))}
        except ValueError as exc:
            raise ValidationError(_("人员编号和票数须为整数。")) from exc


class ShortlistForm(forms.Form):
    people = forms.ModelMultipleChoiceField(label=_("考察对象"), queryset=Person.objects.all())
    team = forms.ModelMultipleChoiceField(label=_("考察组"), queryset=users_with_role(Role.INSPECTION_TEAM))
    on = forms.DateField(label=_("确定日期"), widget=DATE)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = users_with_role(Role.INSPECTION_TEAM)


class CandidateForm(forms.Form):
    candidate = forms.ModelChoiceField(label=_("考察对象"), queryset=None)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = case.candidates.filter(
            status__in=[CandidateStatus.SHORTLISTED, CandidateStatus.DEFERRED, CandidateStatus.DECIDED]
        ).select_related("person")
        self.fields["candidate"].label_from_instance = lambda cand: cand.person.name


class InspectForm(CandidateForm):
    """When the candidate's 民主测评 was an electronic ballot, its closed count is used and the four figures
    may be left empty (typed figures are ignored); while that ballot is not closed the inspection waits."""

    talks = forms.IntegerField(label=_("个别谈话人数"), min_value=0)
    excellent = forms.IntegerField(label=_("优秀"), min_value=0, required=False)
    competent = forms.IntegerField(label=_("称职"), min_value=0, required=False)
    basic = forms.IntegerField(label=_("基本称职"), min_value=0, required=False)
    incompetent = forms.IntegerField(label=_("不称职"), min_value=0, required=False)
    morality = forms.CharField(label=_("政治素质和道德品行（德）"), widget=forms.Textarea(attrs={"rows": 2}))
    ability = forms.CharField(label=_("履职能力（能）"), widget=forms.Textarea(attrs={"rows": 2}))
    diligence = forms.CharField(label=_("工作作风和敬业精神（勤）"), widget=forms.Textarea(attrs={"rows": 2}))
    achievement = forms.CharField(label=_("工作实绩（绩）"), widget=forms.Textarea(attrs={"rows": 2}))
    integrity = forms.CharField(label=_("廉洁自律（廉）"), widget=forms.Textarea(attrs={"rows": 2}))
    shortcomings = forms.CharField(label=_("主要缺点和不足"), widget=forms.Textarea(attrs={"rows": 2}))
    opinion = forms.CharField(label=_("考察组意见"), widget=forms.Textarea(attrs={"rows": 2}))

    ASPECTS = ("morality", "ability", "diligence", "achievement", "integrity")
    GRADES = ("excellent", "competent", "basic", "incompetent")

    def clean(self):
        from workflows.ballots.models import RoundState
        from workflows.ballots.selectors import evaluation_round

        d = super().clean()
        candidate = d.get("candidate")
        rnd = evaluation_round(candidate) if candidate is not None else None
        if rnd is not None and rnd.state != RoundState.CLOSED:
            raise ValidationError(
                _("%(name)s的民主测评电子投票尚未结束，结束后再记录考察。") % {"name": candidate.person.name}
            )
        if rnd is not None:
            d.update({r["key"]: r["total"] for r in rnd.results["rows"]})
        else:
            for key in self.GRADES:
                if d.get(key) is None and key not in self.errors:
                    self.add_error(key, self.fields[key].error_messages["required"])
        return d

    def evaluation(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.GRADES}

    def report(self) -> dict:
        d = self.cleaned_data
        return {
            "performance": {k: d[k] for k in self.ASPECTS},
            "shortcomings": d["shortcomings"],
            "opinion": d["opinion"],
        }


class DossierReviewForm(CandidateForm):
    kind = CheckKind.DOSSIER
    birth_entries = forms.CharField(
        label=_("出生日期记载（每行：出生日期,材料形成日期,本人填写1/0）"), widget=forms.Textarea(attrs={"rows": 3})
    )
    work_start = forms.DateField(label=_("参加工作时间"), widget=DATE)
    party_join = forms.DateField(label=_("入党时间"), widget=DATE, required=False)
    education = forms.CharField(label=_("学历学位"), max_length=100)
    experience = forms.CharField(label=_("工作经历"), max_length=300)
    verified_on = forms.DateField(label=_("核定日期"), widget=DATE)
    passed = forms.BooleanField(label=_("档案记载清楚，前后一致"), required=False)
    # Set by the preview to a digest of what it showed: a submission records only what was previewed; a
    # changed one is previewed again.
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    def digest(self) -> str:
        d = self.cleaned_data
        seen = json.dumps([d["candidate"].pk, self.figures()], cls=DjangoJSONEncoder, sort_keys=True)
        return hashlib.sha256(seen.encode()).hexdigest()[:32]

    def clean_birth_entries(self):
        try:
            return [
                {
                    "date": dt.date.fromisoformat(d),
                    "material_date": dt.date.fromisoformat(m),
                    "self_filled": own in ("1", "是"),
                }
                for d, m, own in comma_rows(self.cleaned_data["birth_entries"], 3, _("出生日期记载"))
            ]
        except ValueError as exc:
            raise ValidationError(_("日期格式应为YYYY-MM-DD。")) from exc

    def figures(self):
        d = self.cleaned_data
        return {
            "birth_entries": d["birth_entries"],
            "work_start": d["work_start"],
            "party_join": d["party_join"],
            "education": d["education"],
            "experience": d["experience"],
            "verified_on": d["verified_on"],
        }


class PersonalMattersForm(CandidateForm):
    kind = CheckKind.PERSONAL_MATTERS
    delegated_on = forms.DateField(label=_("委托查核日期"), widget=DATE)
    handled_on = forms.DateField(label=_("处理日期"), widget=DATE)
    mismatch = forms.ChoiceField(
        label=_("查核结果"),
        choices=[("none", _("一致")), ("minor", _("有出入，已说明")), ("major", _("出入较大"))],
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def figures(self):
        d = self.cleaned_data
        return {k: d[k] for k in ("delegated_on", "handled_on", "mismatch", "note")}


class DisciplineOpinionForm(CandidateForm):
    kind = CheckKind.DISCIPLINE
    requested_on = forms.DateField(label=_("征求意见日期"), widget=DATE)
    replied_on = forms.DateField(label=_("回复日期"), widget=DATE)
    opinion = forms.CharField(label=_("回复意见"), widget=forms.Textarea(attrs={"rows": 3}))
    passed = forms.BooleanField(label=_("未发现影响使用的问题"), required=False)

    def clean(self):
        d = super().clean()
        if d.get("requested_on") and d.get("replied_on") and d["replied_on"] < d["requested_on"]:
            raise ValidationError(_("回复日期不能早于征求意见日期。"))
        return d

    def figures(self):
        d = self.cleaned_data
        return {k: d[k] for k in ("requested_on", "replied_on", "opinion")}


class PetitionCheckForm(CandidateForm):
    kind = CheckKind.PETITION
    checked_on = forms.DateField(label=_("核查日期"), widget=DATE)
    received = forms.IntegerField(label=_("收到线索具体的信访举报（件）"), min_value=0)
    finding = forms.CharField(label=_("核查结论"), widget=forms.Textarea(attrs={"rows": 3}))
    passed = forms.BooleanField(label=_("未发现影响使用的问题"), required=False)

    def figures(self):
        d = self.cleaned_data
        return {k: d[k] for k in ("checked_on", "received", "finding")}


class SignoffForm(forms.Form):
    conclusion = forms.CharField(label=_("廉洁自律结论性意见"), widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(forms.Form):
    held_on = forms.DateField(label=_("会议日期"), widget=DATE)
    name = forms.CharField(label=_("会议名称"), max_length=100)
    members = forms.ModelMultipleChoiceField(label=_("应到会成员"), queryset=None)
    present = forms.ModelMultipleChoiceField(label=_("实到成员"), queryset=None, required=False)
    reconsideration_in_favour = forms.IntegerField(label=_("同意复议人数"), min_value=0, required=False)

    VOTE_CHOICES = [
        ("", "—"),
        *[(v, label) for v, label in MemberVote.Vote.choices if v in ("agree", "disagree", "defer")],
    ]

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        committee = users_with_role(Role.COMMITTEE_MEMBER)
        self.fields["members"].queryset = committee
        self.fields["present"].queryset = committee
        self.candidates = list(
            case.candidates.filter(
                status__in=[
                    CandidateStatus.SHORTLISTED,
                    CandidateStatus.DEFERRED,
                    CandidateStatus.DECIDED,
                    CandidateStatus.NOT_PASSED,
                ]
            ).select_related("person")
        )
        self.committee = list(committee)
        for member in self.committee:
            for cand in self.candidates:
                self.fields[f"vote_{member.pk}_{cand.pk}"] = forms.ChoiceField(
                    label=f"{member.get_username()} → {cand.person.name}", choices=self.VOTE_CHOICES, required=False
                )

    def votes(self) -> dict:
        out = {}
        for member in self.committee:
            for cand in self.candidates:
                value = self.cleaned_data.get(f"vote_{member.pk}_{cand.pk}")
                if value:
                    out.setdefault(member.pk, {})[cand.pk] = value
        return out


class PublicizeForm(forms.Form):
    start = forms.DateField(label=_("公示开始日期"), widget=DATE)
    workdays = forms.IntegerField(label=_("公示工作日数"), min_value=1, required=False)


class ObjectionForm(CandidateForm):
    received_on = forms.DateField(label=_("收到日期"), widget=DATE)
    content = forms.CharField(label=_("反映内容"), widget=forms.Textarea(attrs={"rows": 3}))


class ObjectionResolveForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("核查结果"), choices=[("0", _("不影响任用")), ("1", _("属实，终止任用"))], coerce=lambda v: v == "1"
    )
    finding = forms.CharField(label=_("核查结论"), max_length=300)


class AppointForm(forms.Form):
    document_number = forms.CharField(label=_("任职文号"), max_length=60)
    notice_date = forms.DateField(label=_("任职通知日期"), widget=DATE)
    talk_on = forms.DateField(label=_("任职谈话日期"), widget=DATE)
    talk_by = forms.CharField(label=_("谈话人"), max_length=60)


class ProbationReviewForm(forms.Form):
    confirmed = forms.TypedChoiceField(
        label=_("考核结论"),
        choices=[("1", _("胜任，正式任职")), ("0", _("不胜任，免去试任职务"))],
        coerce=lambda v: v == "1",
    )
    on = forms.DateField(label=_("考核日期"), widget=DATE)
    reason = forms.CharField(label=_("理由"), max_length=300, required=False)


class NoteForm(forms.Form):
    step = forms.CharField(label=_("环节"), max_length=40, required=False)
    text = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    attachment = forms.FileField(label=_("附件"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=300)


class ReassignForm(forms.Form):
    task = forms.IntegerField(label=_("任务编号"))
    user = forms.ModelChoiceField(label=_("改派给"), queryset=get_user_model().objects.filter(is_active=True))
    reason = forms.CharField(label=_("理由"), max_length=300)


class SendBackForm(forms.Form):
    target = forms.ChoiceField(
        label=_("退回至"), choices=[("recommend", _("民主推荐")), ("shortlist", _("确定考察对象"))]
    )
    reason = forms.CharField(label=_("理由"), max_length=300)


SIGNATURE_CAPACITY = {
    Role.COMMITTEE_MEMBER: IntegritySignature.Capacity.PARTY_SECRETARY,
    Role.DISCIPLINE_INSPECTOR: IntegritySignature.Capacity.DISCIPLINE_SECRETARY,
}


class AgendaForm(forms.Form):
    title = forms.CharField(label=_("会议名称"), max_length=100)
    date = forms.DateField(label=_("会议日期"), widget=DATE)
