"""Forms of the ballot pages: the officer's (create a round, paper counts) and the voter's (code, ballot)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cadres.models import Person
from cadres.picker import PeopleField, PersonField, bind_user
from workflows.principal_selection.forms import RowsFormSet
from workflows.principal_selection.models import ACTIVE_STATUSES, RoundForm

from .models import BallotKind, Grade

DATE = forms.DateInput(attrs={"type": "date"})


class CategoryRowForm(forms.Form):
    name = forms.CharField(label=_("投票人类别"), max_length=40)
    due = forms.IntegerField(label=_("应到人数"), min_value=1, widget=forms.NumberInput(attrs={"data-row": "due"}))


class CategoryRows(RowsFormSet):
    empty_message = _("须至少有一个投票人类别。")

    def key_of(self, data):
        return data["name"].strip()

    def duplicate(self, data):
        return _("投票人类别“%(category)s”重复，请合并为一行。") % {"category": data["name"]}


CategoryFormSet = forms.formset_factory(CategoryRowForm, formset=CategoryRows, extra=2, max_num=30, validate_max=True)


class CategoriesMixin(forms.Form):
    """The voter categories as rows (类别, 应到人数), and the person pickers bound to the officer's scope."""

    rows_prefix = "categories"

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.category_rows = CategoryFormSet(self.data if self.is_bound else None, prefix=self.rows_prefix)
        self.formsets = (self.category_rows,)
        if user is not None:
            bind_user(self, user)

    def clean(self):
        d = super().clean()
        if self.category_rows.is_valid():
            d["categories"] = [{"name": r["name"].strip(), "due": r["due"]} for r in self.category_rows.filled()]
        else:
            for message in self.category_rows.non_form_errors():
                self.add_error(None, message)
            for row in self.category_rows.errors:
                for field, messages in row.items():
                    for message in messages:
                        self.add_error(None, f"{CategoryRowForm.base_fields[field].label}：{message}")
        return d


class RecommendationRoundForm(CategoriesMixin):
    """People to recommend are picked by name from the whole registry the officer sees: the recommendation
    comes before the case has any candidate (the service creates them from the count)."""

    form = forms.ChoiceField(label=_("推荐方式"), choices=RoundForm.choices)
    held_on = forms.DateField(label=_("投票日期"), widget=DATE)
    seats = forms.IntegerField(label=_("应选人数"), min_value=1, max_value=50)
    people = PeopleField(label=_("候选人"))
    field_order = ["form", "held_on", "seats", "people"]


class EvaluationRoundForm(CategoriesMixin):
    """The 民主测评 of one of the case's active candidates, picked among them only (the picker's queryset)."""

    candidate = PersonField(label=_("测评对象"))
    held_on = forms.DateField(label=_("投票日期"), widget=DATE)
    field_order = ["candidate", "held_on"]
    rows_prefix = "evaluation_categories"  # both forms share a page: their rows keep apart

    def __init__(self, *args, case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = Person.objects.filter(
            pk__in=case.candidates.filter(status__in=ACTIVE_STATUSES).values("person_id")
        )

    def clean_candidate(self):
        return self.case.candidates.select_related("person").get(person=self.cleaned_data["candidate"])


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
