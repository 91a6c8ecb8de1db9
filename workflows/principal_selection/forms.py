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
from cadres.person_search import person_label, person_labels
from cadres.picker import PeopleField, PersonField, bind_user
from cadres.roles import Role
from workflows.common.rows import comma_rows
from workflows.meetings.models import Vote

from .models import CandidateStatus, CheckKind, IntegritySignature, Method, RoundForm

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


USUAL_CATEGORIES = ("学校领导班子成员", "中层干部", "教师代表")


class RowsFormSet(forms.BaseFormSet):
    """Rows the user adds and removes: any row left empty is ignored (a removed row is emptied by the page's
    script), at least one filled row is required, and `key_of(row)` may not repeat (`duplicate` names it)."""

    empty_message = _("请至少填写一行。")

    def get_form_kwargs(self, index):
        return {"empty_permitted": True, "use_required_attribute": False}

    def key_of(self, data):  # pragma: no cover - interface
        raise NotImplementedError

    def duplicate(self, data) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def filled(self) -> list[dict]:
        return [f.cleaned_data for f in self.forms if f.cleaned_data]

    def clean(self):
        if any(self.errors):
            return
        rows, seen = self.filled(), set()
        if not rows:
            raise ValidationError(self.empty_message)
        for data in rows:
            key = self.key_of(data)
            if key in seen:
                raise ValidationError(self.duplicate(data))
            seen.add(key)


class VoterRowForm(forms.Form):
    """A category row counts once a figure is typed: the pre-filled category names alone are no row."""

    category = forms.CharField(label=_("参加人员类别"), max_length=40)
    due = forms.IntegerField(label=_("应到"), min_value=0, widget=forms.NumberInput(attrs={"data-row": "due"}))
    attended = forms.IntegerField(
        label=_("实到"), min_value=0, widget=forms.NumberInput(attrs={"data-row": "attended"})
    )

    def has_changed(self):
        return any(str(self[name].data or "").strip() for name in ("due", "attended"))


class VoterRows(RowsFormSet):
    empty_message = _("请至少填写一类参加人员的应到、实到人数。")

    def key_of(self, data):
        return data["category"].strip()

    def duplicate(self, data):
        return _("参加人员类别“%(category)s”重复，请合并为一行。") % {"category": data["category"]}


class VoteRowForm(forms.Form):
    person = PersonField(label=_("人选"))
    votes = forms.IntegerField(label=_("得票"), min_value=0, widget=forms.NumberInput(attrs={"data-row": "votes"}))


class VoteRows(RowsFormSet):
    empty_message = _("请至少填写一名人选的得票。")

    def key_of(self, data):
        return data["person"].pk

    def duplicate(self, data):
        return _("%(person)s重复列出，每名人选只填一行。") % {"person": person_label(data["person"])}


VoterFormSet = forms.formset_factory(VoterRowForm, formset=VoterRows, extra=0, max_num=30, validate_max=True)
VoteFormSet = forms.formset_factory(VoteRowForm, formset=VoteRows, extra=3, max_num=100, validate_max=True)


class RecommendForm(forms.Form):
    """One recommendation round: who attended, by voter category (one row each), and the votes, one row per
    person recommended (chosen with the person picker, never by id).

    The rows are checked for shape here (whole numbers, none negative, no person or category twice); what
    the figures must satisfy (实到 ≤ 应到, a count ≤ 实到, the meeting quorum) is the service's
    (`services.recommendation_tally`), asked before saving to preview the tally and again when saving.
    Decision: the three usual voter categories are offered pre-filled; a category left without figures is
    ignored, so a round with other categories just types them in further rows.
    """

    form = forms.ChoiceField(label=_("推荐方式"), choices=RoundForm.choices)
    held_on = forms.DateField(label=_("推荐日期"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        data = self.data if self.is_bound else None
        self.voter_rows = VoterFormSet(
            data, prefix="voters", initial=None if self.is_bound else [{"category": c} for c in USUAL_CATEGORIES]
        )
        self.vote_rows = VoteFormSet(data, prefix="votes")
        self.formsets = (self.voter_rows, self.vote_rows)

    def clean(self):
        d = super().clean()
        voters_ok, votes_ok = self.voter_rows.is_valid(), self.vote_rows.is_valid()
        for rows in (self.voter_rows, self.vote_rows):
            for message in rows.non_form_errors():
                self.add_error(None, message)
        if voters_ok and votes_ok:
            d["voters"] = [
                {"category": r["category"].strip(), "due": r["due"], "attended": r["attended"]}
                for r in self.voter_rows.filled()
            ]
            d["votes"] = {r["person"].pk: r["votes"] for r in self.vote_rows.filled()}
        elif not self.non_field_errors():
            self.add_error(None, _("请按提示改正标出的行。"))
        return d

    def fingerprint(self) -> str:
        """What the preview showed, so a confirmation of changed figures previews them again."""
        d = self.cleaned_data
        text = json.dumps(
            [d["form"], d["held_on"].isoformat(), d["voters"], sorted(d["votes"].items())], ensure_ascii=False
        )
        return hashlib.sha256(text.encode()).hexdigest()


def accounts_of(people, role: str, *, field_label) -> list:
    """The active user account of each registry person, who must hold `role`; refuses (in Chinese, naming
    each person with their unit) a person without an account or without the role. One query."""
    users = {
        u.profile.person_id: u
        for u in get_user_model()
        .objects.filter(profile__person__in=people, is_active=True)
        .select_related("profile")
        .prefetch_related("groups")
    }
    problems = []
    for person in people:
        user = users.get(person.pk)
        if user is None:
            problems.append(
                _("%(person)s没有可用的系统账号，不能列入%(field)s，请先为其开通账号。")
                % {"person": person_label(person), "field": field_label}
            )
        elif role not in {g.name for g in user.groups.all()}:
            problems.append(
                _("%(person)s的账号没有“%(role)s”角色，不能列入%(field)s。")
                % {"person": person_label(person), "role": Role(role).label, "field": field_label}
            )
    if problems:
        raise ValidationError(problems)
    return [users[p.pk] for p in people]


class ShortlistForm(forms.Form):
    """考察对象 and 考察组 are picked from the registry by name. Team members act in the system, so each
    picked person is mapped to their account, which must hold the 考察组成员 role (`accounts_of`). Whether a
    person may be a target (recommended or in the reserve pool, eligible, not vetoed) is the service's to say,
    so the picker offers the whole registry and the service names every refusal."""

    people = PeopleField(label=_("考察对象"))
    team = PeopleField(label=_("考察组"))
    on = forms.DateField(label=_("确定日期"), widget=DATE)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_team(self):
        return accounts_of(self.cleaned_data["team"], Role.INSPECTION_TEAM, field_label=_("考察组"))


class CandidateForm(forms.Form):
    """A record about one of the case's candidates, picked by name among them only (the picker's queryset is
    the case's candidates at or after 确定考察对象); `cleaned_data["candidate"]` is the `Candidate`."""

    candidate = PersonField(label=_("考察对象"))
    CANDIDATE_STATUSES = (CandidateStatus.SHORTLISTED, CandidateStatus.DEFERRED, CandidateStatus.DECIDED)

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["candidate"].queryset = Person.objects.filter(
            pk__in=case.candidates.filter(status__in=self.CANDIDATE_STATUSES).values("person_id")
        )
        if user is not None:
            bind_user(self, user)

    def clean_candidate(self):
        person = self.cleaned_data["candidate"]
        return self.case.candidates.select_related("person").get(person=person)


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


def account_line(user, lines: dict | None = None) -> str:
    """A user by the registry person they are (the picker's label), else their full name; a login name only
    when the account has nothing else to show. `lines`: labels already read (`person_labels`)."""
    person_id = getattr(getattr(user, "profile", None), "person_id", None)
    if person_id is not None:
        lines = lines if lines is not None else person_labels([user.profile.person])
        return lines.get(person_id) or user.profile.person.name
    return user.get_full_name() or user.get_username()


class DecideForm(forms.Form):
    """The meeting by rows: one row per committee member (the users holding the 党委（工委）委员 role — a
    small, known list, so every member is listed rather than picked), with 应到 and 实到 ticks and the
    member's vote on each candidate. Members are shown by name and unit, never by login name."""

    held_on = forms.DateField(label=_("会议日期"), widget=DATE)
    name = forms.CharField(label=_("会议名称"), max_length=100)
    members = forms.ModelMultipleChoiceField(label=_("应到会成员"), queryset=None, widget=forms.CheckboxSelectMultiple)
    present = forms.ModelMultipleChoiceField(
        label=_("实到成员"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    reconsideration_in_favour = forms.IntegerField(label=_("同意复议人数"), min_value=0, required=False)

    VOTE_CHOICES = [
        ("", "—"),
        *[(v, label) for v, label in Vote.choices if v in ("agree", "disagree", "defer")],
    ]

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        committee = users_with_role(Role.COMMITTEE_MEMBER).select_related("profile__person")
        self.committee = list(committee)
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
        self.lines = person_labels(
            [c.person for c in self.candidates]
            + [m.profile.person for m in self.committee if getattr(m, "profile", None) and m.profile.person_id]
        )
        for name in ("members", "present"):
            self.fields[name].queryset = committee
            self.fields[name].label_from_instance = lambda user: account_line(user, self.lines)
        for member in self.committee:
            for cand in self.candidates:
                label = f"{account_line(member, self.lines)} → {self.lines.get(cand.person_id, cand.person.name)}"
                self.fields[f"vote_{member.pk}_{cand.pk}"] = forms.ChoiceField(
                    label=label,
                    choices=self.VOTE_CHOICES,
                    required=False,
                    widget=forms.Select(attrs={"aria-label": label}),
                )

    def rows(self) -> list[dict]:
        """Per member: the label, the 应到 and 实到 ticks and the vote fields in candidate order."""
        ticks = {name: {str(w.data["value"]): w for w in self[name].subwidgets} for name in ("members", "present")}
        return [
            {
                "label": account_line(member, self.lines),
                "member": ticks["members"].get(str(member.pk)),
                "present": ticks["present"].get(str(member.pk)),
                "votes": [self[f"vote_{member.pk}_{cand.pk}"] for cand in self.candidates],
            }
            for member in self.committee
        ]

    def candidate_lines(self) -> list[str]:
        return [self.lines.get(cand.person_id, cand.person.name) for cand in self.candidates]

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
    """改派: the task is one of the case's open steps (named by step and holder, never by number); the new
    holder is picked from the registry by name and mapped to their account. Whether that account may act
    on the step (role, scope, recusal) is `actions.task_reassign`'s to say."""

    task = forms.TypedChoiceField(label=_("环节"), coerce=int, choices=())
    user = PersonField(label=_("改派给"))
    reason = forms.CharField(label=_("理由"), max_length=300)

    def __init__(self, *args, case, user=None, **kwargs):
        from .selectors import display_name, open_tasks

        super().__init__(*args, **kwargs)
        tasks = open_tasks(case).filter(flow_task_type="HUMAN").select_related("owner")
        self.fields["task"].choices = [
            (t.pk, f"{t.flow_task.task_title}（{display_name(t.owner) if t.owner_id else _('未签收')}）") for t in tasks
        ]
        if user is not None:
            bind_user(self, user)

    def clean_user(self):
        person = self.cleaned_data["user"]
        account = get_user_model().objects.filter(profile__person=person, is_active=True).first()
        if account is None:
            raise ValidationError(
                _("%(person)s没有可用的系统账号，不能改派给其办理。") % {"person": person_label(person)}
            )
        return account


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
