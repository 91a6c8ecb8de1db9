"""The district overview's filter: a gap kind, a township, part of a school's name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cadres import choices as c
from cadres.models import Organization

from .structure import ANY_GAP, gap_labels


class OverviewFilterForm(forms.Form):
    gap = forms.ChoiceField(label=_("结构问题"), required=False)
    township = forms.ChoiceField(label=_("所在镇街"), required=False)
    q = forms.CharField(label=_("学校名称"), required=False, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gap"].choices = [("", _("全部学校")), (ANY_GAP, _("有任一问题")), *gap_labels().items()]
        townships = (
            Organization.objects.filter(kind=c.OrgKind.SCHOOL)
            .exclude(township="")
            .values_list("township", flat=True)
            .distinct()
            .order_by("township")
        )
        self.fields["township"].choices = [("", _("全部镇街"))] + [(t, t) for t in townships]
