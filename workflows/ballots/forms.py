"""Forms of the ballot pages: the officer's (create a round, paper counts) and the voter's (code, ballot)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cadres.models import Person
from workflows.common.rows import comma_rows
from workflows.principal_selection.models import ACTIVE_STATUSES, RoundForm

from .models import BallotKind, Grade

DATE = forms.DateInput(attrs={"type": "date"})


class CategoriesMixin(forms.Form):
    categories = forms.CharField(label=_("投票人类别（每行：类别,应到人数）"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean_categories(self):
        try:
            return [
                {"name": n, "due": int(d)} for n, d in comma_rows(self.cleaned_data["categories"], 2, _("投票人类别"))
            ]
        except ValueError as exc:
            raise ValidationError(_("应到人数须为整数。")) from exc


class RecommendationRoundForm(CategoriesMixin):
    form = forms.ChoiceField(label=_("推荐方式"), choices=RoundForm.choices)
    held_on = forms.DateField(label=_("投票日期"), widget=DATE)
    seats = forms.IntegerField(label=_("应选人数"), min_value=1, max_value=50)
    people = forms.CharField(label=_("候选人（每行一个人员编号）"), widget=forms.Textarea(attrs={"rows": 4}))
    field_order = ["form", "held_on", "seats", "people", "categories"]

    def clean_people(self):
        ids = []
        for line in self.cleaned_data["people"].replace("，", "\n").replace(",", "\n").splitlines():
            if line.strip():
                try:
                    ids.append(int(line.strip()))
                except ValueError as exc:
                    raise ValidationError(_("人员编号须为整数。")) from exc
        found = Person.objects.in_bulk(ids)
        missing = [str(i) for i in ids if i not in found]
        if missing:
            raise ValidationError(_("人员编号不存在：%(ids)s") % {"ids": "、".join(missing)})
        if not ids:
            raise ValidationError(_("须至少列出一名推荐人选。"))
        return [found[i] for i in dict.fromkeys(ids)]


class EvaluationRoundForm(CategoriesMixin):
    candidate = forms.ModelChoiceField(label=_("测评对象"), queryset=None)
    held_on = forms.DateField(label=_("投票日期"), widget=DATE)
    field_order = ["candidate", "held_on", "categories"]

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = case.candidates.filter(status__in=ACTIVE_STATUSES).select_related("person")
        self.fields["candidate"].label_from_instance = lambda cand: cand.person.name


class PaperForm(forms.Form):
    """The paper slips of one category: cast, 废票 (over-marked or unreadable, by the rule set), marks."""

    category = forms.ModelChoiceField(label=_("投票人类别"), queryset=None)
    cast = forms.IntegerField(label=_("纸质票数"), min_value=0)
    invalid = forms.IntegerField(label=_("其中废票"), min_value=0, initial=0, required=False)

    def __init__(self, *args, rnd, **kwargs):
        super().__init__(*args, **kwargs)
        self.rnd = rnd
        self.fields["category"].queryset = rnd.categories.all()
        if rnd.kind == BallotKind.EVALUATION:
            self.mark_fields = {g.value: f"m_{g.value}" for g in Grade}
            labels = dict(Grade.choices)
        else:
            cands = list(rnd.candidates.select_related("person"))
            self.mark_fields = {str(c.pk): f"m_{c.pk}" for c in cands}
            labels = {str(c.pk): f"{c.person.name}（{c.description}）" for c in cands}
        for key, name in self.mark_fields.items():
            self.fields[name] = forms.IntegerField(label=labels[key], min_value=0, initial=0, required=False)

    def marks(self) -> dict:
        """Votes per candidate or grade; an empty field is 0."""
        return {key: self.cleaned_data[name] or 0 for key, name in self.mark_fields.items()}


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("投票码"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "inputmode": "text"}
        ),
    )


class BallotForm(forms.Form):
    """The voter's marks: checkboxes (recommendation, at most `seats`) or one of four grades (evaluation).

    The count is checked here for the page and again in `services.clean_marks` when the ballot is cast."""

    def __init__(self, *args, rnd, **kwargs):
        super().__init__(*args, **kwargs)
        self.rnd = rnd
        if rnd.kind == BallotKind.EVALUATION:
            self.fields["marks"] = forms.ChoiceField(
                label=_("评价等次"),
                choices=Grade.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("请在四个等次中选择一项。")},
            )
        else:
            self.candidates = list(rnd.candidates.select_related("person"))
            self.fields["marks"] = forms.MultipleChoiceField(
                label=_("推荐人选"),
                choices=[(str(c.pk), c.person.name) for c in self.candidates],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                error_messages={"invalid_choice": _("选票上有不在候选名单中的人选。")},
            )

    def clean_marks(self):
        marks = self.cleaned_data["marks"]
        if self.rnd.kind == BallotKind.EVALUATION:
            # A choice field reads the last of several posted values: two grades are refused, not trimmed.
            if hasattr(self.data, "getlist") and len(self.data.getlist("marks")) > 1:
                raise ValidationError(_("请在四个等次中选择一项。"))
            return [marks]
        if len(marks) > self.rnd.seats:
            raise ValidationError(
                _("最多可选%(seats)d人，您选了%(n)d人，请减少后再提交。") % {"seats": self.rnd.seats, "n": len(marks)}
            )
        return [int(m) for m in marks]

    def chosen_labels(self) -> list[str]:
        marks = self.cleaned_data["marks"]
        if self.rnd.kind == BallotKind.EVALUATION:
            return [str(Grade(marks[0]).label)]
        by_id = {c.pk: c for c in self.candidates}
        return [f"{by_id[m].person.name}（{by_id[m].description}）" for m in marks]
