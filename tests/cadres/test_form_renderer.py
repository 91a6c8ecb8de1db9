"""The Python-written <select> is the HTML Django's templates write, for every kind of select."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _

from cadres.form_renderer import FastSelectRenderer

CHOICES = [("", _("全部")), ("a", "甲 & <乙>"), ("b", '"引号"'), (3, 3)]
GROUPED = [("", "—"), (_("城区"), [("1", "一小"), ("2", "二小")]), ("各类", [("x", "幼儿园")])]


class SampleForm(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED)
    many = forms.MultipleChoiceField(choices=CHOICES[1:], required=False)
    disabled = forms.ChoiceField(choices=CHOICES, disabled=True, required=False)
    classy = forms.ChoiceField(
        choices=CHOICES, widget=forms.Select(attrs={"class": "cf-x", "data-note": "a<b", "aria-label": "单位"})
    )


def _pairs(data=None):
    fast = SampleForm(data, renderer=FastSelectRenderer())
    stock = SampleForm(data, renderer=DjangoTemplates())
    return [(str(fast[name]), str(stock[name])) for name in SampleForm.base_fields]


def test_unbound_selects_are_written_as_the_templates_write_them():
    for fast, stock in _pairs():
        assert fast == stock


def test_selected_values_and_errors_are_written_as_the_templates_write_them():
    for fast, stock in _pairs({"plain": "a", "grouped": "2", "many": ["a", "3"], "classy": "nope"}):
        assert fast == stock
    fast = str(SampleForm({"grouped": "2"}, renderer=FastSelectRenderer())["grouped"])
    assert '<option value="2" selected>二小</option>' in fast
    assert '<optgroup label="城区">' in fast


def test_text_is_escaped():
    html = str(SampleForm(renderer=FastSelectRenderer())["classy"])
    assert "甲 &amp; &lt;乙&gt;" in html and "&quot;引号&quot;" in html and 'data-note="a&lt;b"' in html


class InputForm(forms.Form):
    text = forms.CharField(required=False, max_length=40, widget=forms.TextInput(attrs={"placeholder": "姓名 & <号>"}))
    number = forms.IntegerField(required=False, min_value=0, max_value=100)
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    email = forms.EmailField(required=False, disabled=True)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    flag = forms.CharField(required=False, widget=forms.TextInput(attrs={"readonly": True, "data-x": False}))


def test_inputs_are_written_as_the_templates_write_them():
    import datetime as dt

    for data in (
        None,
        {},
        {"text": 'a"b<c>&', "number": "42", "date": "2026-12-07", "hidden": "7", "secret": "pw<1>", "flag": "x"},
        {"number": "not a number", "date": "2026-13-40"},
    ):
        fast, stock = InputForm(data, renderer=FastSelectRenderer()), InputForm(data, renderer=DjangoTemplates())
        for name in InputForm.base_fields:
            assert str(fast[name]) == str(stock[name]), name
    initial = {"date": dt.date(2026, 3, 9), "number": 0, "text": ""}
    fast = InputForm(initial=initial, renderer=FastSelectRenderer())
    stock = InputForm(initial=initial, renderer=DjangoTemplates())
    for name in InputForm.base_fields:
        assert str(fast[name]) == str(stock[name]), name
    assert 'value="2026-03-09"' in str(fast["date"]) and 'placeholder="姓名 &amp; &lt;号&gt;"' in str(fast["text"])


def test_other_widgets_still_go_through_their_templates():
    class Other(forms.Form):
        radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)
        box = forms.BooleanField(required=False)
        notes = forms.CharField(widget=forms.Textarea)

    fast, stock = Other(renderer=FastSelectRenderer()), Other(renderer=DjangoTemplates())
    for name in Other.base_fields:
        assert str(fast[name]) == str(stock[name])


def test_the_project_uses_it(settings):
    from django.forms.renderers import get_default_renderer

    assert settings.FORM_RENDERER == "cadres.form_renderer.FastSelectRenderer"
    assert isinstance(get_default_renderer(), FastSelectRenderer)
