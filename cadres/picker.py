"""The person picker: `PersonField` (one person) and `PeopleField` (several, in the order chosen).

    from cadres.picker import PersonField, PeopleField, bind_user

    class CaseForm(forms.Form):
        subject = PersonField(label=_("人选"))
        members = PeopleField(queryset=Person.objects.filter(...), label=_("考察组"), required=False)

        def __init__(self, *args, user=None, **kwargs):
            super().__init__(*args, **kwargs)
            bind_user(self, user)        # or: self.fields["subject"].user = user

The user types a name, pinyin initials or the ID's last digits; the drop-down (an ARIA combobox, keyboard-only
friendly; static/cadreflow/person_picker.js) asks `GET /registry/people/search/`. The form receives signed
tokens (`cadres.person_search.person_token`), never a database id. `clean()` checks the token's signature, then
that the person is within `queryset` AND within what the bound user may see (`cadres.scoping`); anything else is
a Chinese validation error. `cleaned_data` holds a `Person` (PersonField) or a list of `Person` (PeopleField).

The page must load the widget's script: `{{ form.media }}` (or the formset's) in the template's `extrahead` block,
e.g. `{% block extrahead %}{{ block.super }}{{ form.media }}{% endblock %}`.

`queryset` restricts who may be chosen; the restriction travels to the search endpoint as a signed `scope`
token, so the drop-down offers only those people, and `clean()` enforces it again.

Decisions:
- The field must know the user (`bind_user(form, user)`, `field.user = user` or `PersonField(user=...)`).
  Without one, `clean()` raises ImproperlyConfigured: checking scope is not optional, and a forgotten user
  should fail loudly in the first test, not silently accept anyone.
- `organization` (an Organization or its id) and `active_only` narrow the drop-down only (search-side
  convenience, e.g. "people of this school"); restrictions that must hold go in `queryset`.
- A chosen person keeps their chip when later moved out of scope only until the form is submitted: `clean()`
  then refuses them with a reason.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Person
from .person_search import hits_for_pks, person_token, pk_from_token, scope_token
from .scoping import people_visible_to


def _pk_of(value) -> int | None:
    """A pk from what a form may hold: a Person, a pk (initial), or a token (submitted data)."""
    if value is None or value == "":
        return None
    if isinstance(value, Person):
        return value.pk
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        return pk_from_token(value)
    return None


def _as_list(value) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return list(value)
    if hasattr(value, "__iter__") and not isinstance(value, str | Person):
        return list(value)
    return [value]


class PersonPickerWidget(forms.Widget):
    """A text box with an ARIA combobox and a list of chosen people (chips), each chip holding a hidden token."""

    multiple = False

    class Media:
        js = ("cadreflow/person_picker.js",)

    def __init__(self, attrs=None, multiple: bool = False):
        super().__init__(attrs)
        self.multiple = multiple
        self.queryset = None
        self.organization_id = None
        self.active_only = False

    def use_required_attribute(self, initial):
        return False  # the value lives in hidden inputs; the field's own error says what is missing

    def value_from_datadict(self, data, files, name):
        if self.multiple:
            return [v for v in data.getlist(name) if v] if hasattr(data, "getlist") else _as_list(data.get(name))
        return data.get(name) or None

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def search_url(self) -> str:
        params = {}
        if self.queryset is not None:
            params["scope"] = scope_token(self.queryset)
        if self.organization_id:
            params["org"] = str(self.organization_id)
        if self.active_only:
            params["active"] = "1"
        url = reverse("registry:people:search")
        return f"{url}?{urlencode(params)}" if params else url

    def chosen(self, value) -> list[tuple[str, str]]:
        """(token, label) of each chosen person, in order: one query for all of them, or none when `bind_user`
        gave the widget a batch that has read the labels of every picker of the form (or formset) at once."""
        pks = []
        for item in _as_list(value) if self.multiple else _as_list(value)[:1]:
            pk = _pk_of(item)
            if pk is not None and pk not in pks:
                pks.append(pk)
        batch = getattr(self, "label_batch", None)
        hits = batch.hits(pks) if batch is not None else hits_for_pks(pks)
        return [(hits[pk].token, hits[pk].label) for pk in pks if pk in hits]

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        input_id = attrs.get("id") or f"id_{name}"
        listbox_id = f"{input_id}__listbox"
        chips = format_html_join(
            "",
            '<li class="cf-picker__chip" data-value="{0}"><span class="cf-picker__chip-label">{1}</span>'
            '<button type="button" class="cf-picker__remove" tabindex="-1" aria-label="{2}">×</button>'
            '<input type="hidden" name="{3}" value="{0}"></li>',
            ((token, label, _("移除%(label)s") % {"label": label}, name) for token, label in self.chosen(value)),
        )
        return format_html(
            '<div class="cf-picker{multi}" data-cf-picker data-name="{name}" data-url="{url}" data-multiple="{m}" '
            'data-msg-empty="{empty}" data-msg-hint="{hint}" data-msg-remove="{remove}" data-msg-removed="{removed}" '
            'data-msg-error="{error}" data-msg-count="{count}">'
            '<ul class="cf-picker__chips" aria-label="{chosen_label}">{chips}</ul>'
            '<input type="text" id="{id}" class="cf-picker__input" role="combobox" aria-autocomplete="list" '
            'aria-expanded="false" aria-controls="{listbox}" aria-describedby="{id}__hint" autocomplete="off" '
            'spellcheck="false" placeholder="{placeholder}">'
            '<ul id="{listbox}" class="cf-picker__listbox" role="listbox" aria-label="{results_label}" hidden></ul>'
            '<div id="{id}__hint" class="cf-picker__status" role="status" aria-live="polite"></div>'
            "</div>",
            multi=" cf-picker--multiple" if self.multiple else "",
            name=name,
            url=self.search_url(),
            m="1" if self.multiple else "0",
            empty=_("未找到匹配的人员。"),
            hint=_("输入姓名、拼音首字母或身份证号后四位，用↑↓选择，回车确认。"),
            remove=_("移除%(label)s"),
            removed=_("已移除%(label)s"),
            error=_("查询失败，请稍后重试。"),
            count=_("找到%(n)s人。"),
            chosen_label=_("已选人员"),
            chips=chips,
            id=input_id,
            listbox=listbox_id,
            placeholder=_("姓名、拼音首字母或身份证号后四位"),
            results_label=_("匹配的人员"),
        )


class _PickerMixin:
    default_error_messages = {
        "invalid": gettext_lazy("所选人员无效，请重新选择。"),
        "out_of_scope": gettext_lazy("所选人员不在可选范围内，请重新选择。"),
    }

    def _setup(self, queryset, user, organization, active_only):
        self.user = user
        self.queryset = queryset
        self.widget.organization_id = getattr(organization, "pk", organization)
        self.widget.active_only = active_only

    @property
    def queryset(self):
        return self._queryset

    @queryset.setter
    def queryset(self, value):
        self._queryset = value
        self.widget.queryset = value

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.queryset = self._queryset  # the copied widget must carry the same restriction
        return result

    def _allowed(self):
        if self.user is None:
            raise ImproperlyConfigured(
                f"{type(self).__name__} needs the user to check scope: call cadres.picker.bind_user(form, user)."
            )
        base = Person.objects.all() if self._queryset is None else self._queryset
        return people_visible_to(self.user, base).select_related("organization")

    def _pks(self, values) -> list[int]:
        pks = []
        for value in values:
            pk = pk_from_token(value) if isinstance(value, str) else _pk_of(value)
            if pk is None:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            if pk not in pks:
                pks.append(pk)
        return pks


class PersonField(_PickerMixin, forms.Field):
    """One person, chosen by typing; `cleaned_data` is a `Person` (or None when not required and empty)."""

    widget = PersonPickerWidget
    default_error_messages = {"required": gettext_lazy("请选择人员。")}

    def __init__(self, queryset=None, *, user=None, organization=None, active_only=False, **kwargs):
        super().__init__(**kwargs)
        self._setup(queryset, user, organization, active_only)

    def to_python(self, value):
        return value if value not in ("", [], None) else None

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def clean(self, value):
        value = self.to_python(value)
        self.validate(value)
        if value is None:
            return None
        (pk,) = self._pks([value])
        person = self._allowed().filter(pk=pk).first()
        if person is None:
            raise ValidationError(self.error_messages["out_of_scope"], code="out_of_scope")
        return person

    def has_changed(self, initial, data):
        return _pk_of(initial) != _pk_of(data)


class PeopleField(_PickerMixin, forms.Field):
    """Several people, in the order chosen; `cleaned_data` is a list of `Person` (empty when none)."""

    widget = PersonPickerWidget
    default_error_messages = {"required": gettext_lazy("请至少选择一人。")}

    def __init__(self, queryset=None, *, user=None, organization=None, active_only=False, **kwargs):
        kwargs.setdefault("widget", PersonPickerWidget(multiple=True))
        super().__init__(**kwargs)
        self.widget.multiple = True
        self._setup(queryset, user, organization, active_only)

    def to_python(self, value):
        return [v for v in _as_list(value) if v not in ("", None)]

    def validate(self, value):
        if not value and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def clean(self, value):
        value = self.to_python(value)
        self.validate(value)
        if not value:
            return []
        pks = self._pks(value)
        found = self._allowed().in_bulk(pks)
        if len(found) != len(pks):
            raise ValidationError(self.error_messages["out_of_scope"], code="out_of_scope")
        return [found[pk] for pk in pks]

    def has_changed(self, initial, data):
        return [_pk_of(v) for v in _as_list(initial)] != [_pk_of(v) for v in _as_list(data)]


class _LabelBatch:
    """The chips' labels of every picker in a group of forms, read in one query when the first one renders."""

    def __init__(self, forms_):
        self.forms = forms_
        self.loaded: dict | None = None

    def hits(self, pks: list[int]) -> dict:
        if self.loaded is None:
            wanted = set()
            for form in self.forms:
                for name, field in form.fields.items():
                    if isinstance(field, _PickerMixin):
                        wanted.update(p for p in map(_pk_of, _as_list(form[name].value())) if p is not None)
            self.loaded = hits_for_pks(sorted(wanted))
        missing = [pk for pk in pks if pk not in self.loaded]
        if missing:  # a value set after the batch was read
            self.loaded.update(hits_for_pks(missing))
        return self.loaded


def bind_user(form, user) -> None:
    """Give every picker field of a form, or of every form of a formset, the user whose scope `clean()` checks.

    The pickers of that form (or formset) then also share one read of their chips' labels: the page's query
    count stays the same however many rows the formset has.
    """
    forms_ = list(form.forms) if isinstance(form, forms.BaseFormSet) else [form]
    batch = _LabelBatch(forms_)
    for f in forms_:
        for field in f.fields.values():
            if isinstance(field, _PickerMixin):
                field.user = user
                field.widget.label_batch = batch


__all__ = ["PeopleField", "PersonField", "PersonPickerWidget", "bind_user", "person_token"]
