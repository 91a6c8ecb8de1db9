"""Forms of the competition steps: they parse shapes; the services enforce the rules."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cadres import choices as c
from cadres.models import Person, Post, Tenure
from cadres.roles import shown_name
from workflows.meetings.models import Form as MeetingMode

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


def _lines(text: str) -> list[list[str]]:
    return [[p.strip() for p in line.replace("，", ",").split(",")] for line in text.splitlines() if line.strip()]


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.replace("，", ",").replace("\n", ",").split(",") if n.strip()]


PARAM_LABELS = {
    "years": _("年限（年）"),
    "max_age": _("年龄上限（周岁）"),
    "title": _("最低专业技术职务"),
    "level": _("最低学历"),
    "secondary_level": _("中学岗位最低学历"),
    "grade": _("最低考核等次"),
}


def _param_choices(name: str):
    from cadres import choices as c

    if name == "title":
        return list(c.TeacherTitle.choices)
    if name == "level":
        return list(c.EducationLevel.choices)
    if name == "secondary_level":
        return [("", _("不另设")), *c.EducationLevel.choices]
    if name == "grade":
        return [(k, label) for k, label in c.AppraisalGrade.choices if k in c.APPRAISAL_RANK]
    return None


def eligibility_rules() -> list:
    """The person rules of the rule engine a plan may choose (parameter-only and ethics rules are not)."""
    from cadres.rules.base import ParameterRule
    from cadres.rules.registry import rule_classes

    return [
        cls
        for cls in rule_classes().values()
        if cls.__module__ == "cadres.rules.library" and not issubclass(cls, ParameterRule)
    ]


class TieBreakWidget(forms.CheckboxSelectMultiple):
    """The tie-break criteria as a list in their order, each with 上移/下移 and a box to use it."""

    template_name = "competition/widgets/tie_break.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = [v for v in (value or []) if v in dict(self.choices)]
        order = chosen + [k for k, _label in self.choices if k not in chosen]
        labels = dict(self.choices)
        context["rows"] = [{"value": k, "label": labels[k], "checked": k in chosen} for k in order]
        return context


class TieBreakField(forms.MultipleChoiceField):
    """Posted in the order the boxes stand on the page; the draw number closes every ranking anyway."""

    widget = TieBreakWidget

    def __init__(self, **kwargs):
        from .scoring import TIE_KEYS

        super().__init__(choices=[(k, _(v)) for k, v in TIE_KEYS.items()], **kwargs)


class PlanForm(forms.Form):
    """The 实施方案 without ids, codes or JSON: the school's mid-level posts (with their holders) each with a box
    to open it, its way (空缺 / 全员竞聘) and numbers; the tie-break criteria in order; the eligibility rules of
    the rule engine as boxes with typed parameters.

    Decision: the rules of the competition rule set in force are the bureau's basic conditions and are always
    applied (their boxes are ticked and cannot be unticked); the school may change their parameters and add
    any other rule.
    """

    title = forms.CharField(label=_("竞聘名称"), max_length=120)
    opens = forms.DateField(label=_("报名开始"), widget=DATE)
    closes = forms.DateField(label=_("报名截止"), widget=DATE)
    speech = forms.DecimalField(label=_("演讲答辩权重%"), initial=50)
    evaluation = forms.DecimalField(label=_("民主测评权重%"), initial=30)
    performance = forms.DecimalField(label=_("工作业绩权重%"), initial=20)
    trim_min_judges = forms.IntegerField(label=_("评委不少于几人时去掉最高分和最低分"), initial=5, min_value=3)
    tie_break = TieBreakField(
        label=_("同分排序依据（按先后顺序，可上移下移）"), initial=list(DEFAULT_TIE_BREAK), required=False
    )
    inspect_top = forms.IntegerField(label=_("每个职数考察人数"), initial=1, min_value=1)
    quorum = forms.ChoiceField(
        label=_("会议到会比例"),
        choices=[("2/3", _("三分之二")), ("3/4", _("四分之三")), ("4/5", _("五分之四"))],
        initial="2/3",
    )

    def __init__(self, *args, organization=None, on=None, **kwargs):
        from . import clock
        from .plan import LINE_KINDS, MIDDLE_LEVELS, holding_on

        initial_plan = kwargs.pop("plan", None) or {}
        super().__init__(*args, **kwargs)
        on = on or clock.today()
        self.post_rows = []
        lines = {int(p["post"]): p for p in initial_plan.get("posts", [])}
        posts = (
            Post.objects.filter(organization=organization, level__in=MIDDLE_LEVELS).order_by("level", "name", "pk")
            if organization is not None
            else Post.objects.none()
        )
        posts = list(posts)
        held: dict[int, list[str]] = {}
        for tenure in (
            Tenure.objects.filter(holding_on(on), post__in=posts).select_related("person").order_by("start_date")
        ):
            held.setdefault(tenure.post_id, []).append(tenure.person.name)
        for post in posts:
            holders = held.get(post.pk, [])
            line = lines.get(post.pk, {})
            described = _("%(post)s（职数%(n)s，现任：%(holders)s）") % {
                "post": post.name,
                "n": post.headcount,
                "holders": "、".join(holders) or _("空缺"),
            }
            key = f"post_{post.pk}"
            self.fields[f"{key}_on"] = forms.BooleanField(label=described, required=False, initial=bool(line))
            self.fields[f"{key}_kind"] = forms.ChoiceField(
                label=_("%(post)s竞聘方式") % {"post": post.name},
                choices=list(LINE_KINDS.items()),
                required=False,
                initial=line.get("kind") or ("all" if holders else "vacancy"),
            )
            self.fields[f"{key}_seats"] = forms.IntegerField(
                label=_("%(post)s竞聘职数") % {"post": post.name},
                min_value=1,
                required=False,
                initial=line.get("seats", max(post.headcount - len(holders), 1) if not holders else post.headcount),
            )
            self.fields[f"{key}_min"] = forms.IntegerField(
                label=_("%(post)s最少合格人数") % {"post": post.name},
                min_value=1,
                required=False,
                initial=line.get("min_candidates", 2),
            )
            self.post_rows.append((post, key))
        self._add_rules(on, initial_plan.get("eligibility") or {})
        if initial_plan:
            reg = initial_plan.get("registration") or {}
            weights = initial_plan.get("weights") or {}
            for name, value in {
                "title": initial_plan.get("title"),
                "opens": reg.get("opens"),
                "closes": reg.get("closes"),
                "speech": weights.get("speech"),
                "evaluation": weights.get("evaluation"),
                "performance": weights.get("performance"),
                "trim_min_judges": initial_plan.get("trim_min_judges"),
                "tie_break": initial_plan.get("tie_break"),
                "inspect_top": initial_plan.get("inspect_top"),
                "quorum": initial_plan.get("quorum"),
            }.items():
                if value is not None:
                    self.initial[name] = value

    def _add_rules(self, on, chosen: dict) -> None:
        from cadres.rules import NoRuleSetInForce, Purpose, rule_set_in_force

        try:
            in_set = {
                i.rule_code: i.params for i in rule_set_in_force(Purpose.COMPETITION_REGISTRATION, on).items.all()
            }
        except NoRuleSetInForce:
            in_set = {}
        self.rule_rows = []
        for cls in eligibility_rules():
            mandatory = cls.code in in_set
            params = {
                **{k: d for k, (_t, d) in cls.params.items()},
                **in_set.get(cls.code, {}),
                **chosen.get(cls.code, {}),
            }
            key = f"rule_{cls.code}"
            label = _("%(rule)s（局定基本条件，必须适用）") % {"rule": cls.title} if mandatory else cls.title
            self.fields[key] = forms.BooleanField(
                label=label,
                required=False,
                initial=mandatory or cls.code in chosen,
                disabled=mandatory,
            )
            names = []
            for name, (kind, _default) in cls.params.items():
                field_label = _("%(rule)s：%(param)s") % {"rule": cls.title, "param": PARAM_LABELS.get(name, name)}
                choices = _param_choices(name)
                if kind is int:
                    field = forms.IntegerField(label=field_label, min_value=0, required=False, initial=params.get(name))
                elif choices is not None:
                    field = forms.ChoiceField(
                        label=field_label, choices=choices, required=False, initial=params.get(name)
                    )
                else:
                    continue
                self.fields[f"{key}__{name}"] = field
                names.append(name)
            self.rule_rows.append((cls, key, names, mandatory))

    is_plan_form = True  # the step page lays it out in sections (competition/_plan_form.html)
    BASIC = ("title", "opens", "closes", "speech", "evaluation", "performance", "trim_min_judges", "inspect_top")

    def basic_fields(self):
        return [self[name] for name in (*self.BASIC, "quorum")]

    def post_groups(self):
        """For the page: one row per post — its box (labelled with the holders), way, seats and minimum."""
        return [[self[f"{key}_{part}"] for part in ("on", "kind", "seats", "min")] for _post, key in self.post_rows]

    def rule_groups(self):
        """For the page: one row per rule — its box and its parameters."""
        return [[self[key], *[self[f"{key}__{name}"] for name in names]] for _cls, key, names, _m in self.rule_rows]

    def clean(self):
        d = super().clean()
        rows = []
        for post, key in self.post_rows:
            if not d.get(f"{key}_on"):
                continue
            seats = d.get(f"{key}_seats")
            minimum = d.get(f"{key}_min")
            if seats is None or minimum is None:
                self.add_error(f"{key}_seats", _("请填写%(post)s的竞聘职数和最少合格人数。") % {"post": post.name})
                continue
            rows.append(
                {
                    "post": post.pk,
                    "name": post.name,
                    "kind": d.get(f"{key}_kind") or "vacancy",
                    "seats": seats,
                    "min_candidates": minimum,
                }
            )
        if not rows and not self.errors:
            raise ValidationError(_("须至少选择一个竞聘岗位。"))
        d["posts"] = rows
        eligibility = {}
        for cls, key, names, mandatory in self.rule_rows:
            if not (mandatory or d.get(key)):
                continue
            params = {}
            for name in names:
                value = d.get(f"{key}__{name}")
                if value is None or (value == "" and name != "secondary_level"):
                    self.add_error(
                        f"{key}__{name}",
                        _("请填写“%(rule)s”的%(param)s。") % {"rule": cls.title, "param": PARAM_LABELS.get(name, name)},
                    )
                    continue
                params[name] = value
            eligibility[cls.code] = params
        d["eligibility"] = eligibility
        return d

    def plan(self) -> dict:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "posts": d["posts"],
            "registration": {"opens": d["opens"].isoformat(), "closes": d["closes"].isoformat()},
            "weights": {k: str(d[k]) for k in ("speech", "evaluation", "performance")},
            "trim_min_judges": d["trim_min_judges"],
            "tie_break": list(d.get("tie_break") or []),
            "inspect_top": d["inspect_top"],
            "quorum": d["quorum"],
            "eligibility": d["eligibility"],
        }


VOTE_CHOICES = [("", _("请选择")), ("agree", _("同意")), ("disagree", _("不同意")), ("defer", _("缓议"))]


class MeetingForm(forms.Form):
    """A 党组织会议: the members due and those present picked from the registry (never typed), then one vote per
    present member and item. The vote rows appear once the members present are known: the first submission
    with members and attendance shows them and asks for the votes."""

    held_on = forms.DateField(label=_("会议日期"), widget=DATE)
    name = forms.CharField(label=_("会议名称"), max_length=120)
    form = forms.ChoiceField(label=_("研究方式"), choices=MeetingMode.choices, initial=MeetingMode.MEETING)

    def __init__(self, *args, items=None, user=None, **kwargs):
        from cadres.picker import PeopleField

        super().__init__(*args, **kwargs)
        self.items = list(items or [("plan", _("实施方案"))])
        active = Person.objects.filter(employment_status=c.EmploymentStatus.ACTIVE)
        self.fields["members"] = PeopleField(queryset=active, user=user, label=_("应到成员（从人员库中选择）"))
        self.fields["present"] = PeopleField(queryset=active, user=user, label=_("实到成员"), required=False)
        self.present_people = []
        if self.is_bound:
            field = self.fields["present"]
            try:
                raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix("present"))
                self.present_people = list(field.clean(raw) or [])
            except ValidationError:
                self.present_people = []
        from .members import person_label

        for i, person in enumerate(self.present_people):
            for j, (_key, item_label) in enumerate(self.items):
                self.fields[f"vote_{i}_{j}"] = forms.ChoiceField(
                    label=_("%(member)s对“%(item)s”的表决") % {"member": person_label(person), "item": item_label},
                    choices=VOTE_CHOICES,
                    required=False,
                )

    def clean(self):
        d = super().clean()
        missing = [name for name in self.fields if name.startswith("vote_") and not (d.get(name) or "").strip()]
        if self.present_people and missing:
            raise ValidationError(_("请逐一选择每位实到成员的表决意见（同意、不同意或缓议）。"))
        d["members"] = d.get("members") or []
        d["present"] = d.get("present") or []
        return d

    def single_votes(self) -> dict:
        return {p: self.cleaned_data[f"vote_{i}_0"] for i, p in enumerate(self.present_people)}

    def candidate_votes(self) -> dict:
        return {
            p: {key: self.cleaned_data[f"vote_{i}_{j}"] for j, (key, _label) in enumerate(self.items)}
            for i, p in enumerate(self.present_people)
        }


class FilingForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("备案意见"), choices=[("1", _("同意备案")), ("0", _("退回修改"))], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label=_("理由"), max_length=300, required=False)


class PaperRegistrationForm(forms.Form):
    """A registration entered from the candidate's paper form: the candidate (a staff member of the school,
    picked from the registry) and one of the plan's posts."""

    post = forms.TypedChoiceField(label=_("竞聘岗位"), coerce=int)

    def __init__(self, *args, case, **kwargs):
        from cadres.picker import PersonField

        from .plan import plan_lines

        super().__init__(*args, **kwargs)
        self.fields["person"] = PersonField(
            queryset=Person.objects.filter(
                organization_id=case.organization_id, employment_status=c.EmploymentStatus.ACTIVE
            ),
            label=_("报名人（本校在职教职工）"),
        )
        self.order_fields(["person", "post"])
        self.fields["post"].choices = [
            (line.post_id, f"{line.name} · {line.kind_label}") for line in plan_lines(case.rules).values()
        ]


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


class PostNameChoiceField(forms.ModelChoiceField):
    """One of the plan's posts (all of one school), shown by its name."""

    def label_from_instance(self, obj):
        return obj.name


class JudgeChoiceField(forms.ModelChoiceField):
    """A judge already on one of the case's panels, shown by name and unit."""

    def label_from_instance(self, obj):

        profile = getattr(obj, "profile", None)
        person = getattr(profile, "person", None) if profile else None
        if person is not None:
            from .members import person_label

            return person_label(person)
        return shown_name(obj)


class ScoringForm(forms.Form):
    ACTIONS = [
        ("assign", _("设置评委")),
        ("open", _("开始评分")),
        ("paper", _("录入纸质评分表")),
        ("other", _("录入民主测评和工作业绩")),
        ("close", _("结束评分")),
    ]
    action = forms.ChoiceField(label=_("操作"), choices=ACTIONS)
    post = PostNameChoiceField(label=_("岗位"), queryset=Post.objects.none(), required=False)
    registration = forms.ModelChoiceField(label=_("竞聘人"), queryset=Registration.objects.none(), required=False)
    judge = JudgeChoiceField(label=_("纸质表的评委"), queryset=get_user_model().objects.none(), required=False)
    scores = forms.CharField(label=_("分项得分（逗号分隔）"), required=False)
    evaluation = forms.DecimalField(label=_("民主测评成绩"), required=False)
    performance = forms.DecimalField(label=_("工作业绩成绩"), required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        post_ids = [int(p["post"]) for p in case.rules.get("posts", [])]
        self.fields["post"].queryset = Post.objects.filter(pk__in=post_ids)
        self.fields["registration"].queryset = case.registrations.filter(status=RegStatus.QUALIFIED).select_related(
            "person", "post"
        )
        from cadres.picker import PeopleField

        self.fields["judges"] = PeopleField(
            label=_("评委（从人员库中选择，须有评委账号）"),
            queryset=Person.objects.filter(employment_status=c.EmploymentStatus.ACTIVE),
            required=False,
        )
        self.order_fields(["action", "post", "judges"])
        self.fields["judge"].queryset = (
            get_user_model()
            .objects.filter(pk__in=case.judges.filter(recused=False).values("judge"))
            .select_related("profile__person__organization")
        )

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
