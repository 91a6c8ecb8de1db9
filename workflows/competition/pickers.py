"""The person picker fields this app uses (cadres.picker), imported in one place."""

from __future__ import annotations

try:
    from cadres.picker import PeopleField, PersonField
except ImportError:  # pragma: no cover - only until the picker branch is merged
    from django import forms

    from cadres.models import Person

    class PersonField(forms.ModelChoiceField):
        def __init__(self, queryset=None, **kwargs):
            super().__init__(queryset=queryset if queryset is not None else Person.objects.all(), **kwargs)

    class PeopleField(forms.ModelMultipleChoiceField):
        def __init__(self, queryset=None, **kwargs):
            super().__init__(queryset=queryset if queryset is not None else Person.objects.all(), **kwargs)

        def clean(self, value):
            people = super().clean(value)
            by_pk = {str(p.pk): p for p in people}
            return [by_pk[str(v)] for v in dict.fromkeys(value or []) if str(v) in by_pk]


__all__ = ["PeopleField", "PersonField"]
