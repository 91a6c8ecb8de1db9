"""The form renderer: Django's, except that a plain `<select>` is written in Python.

Django renders every `<option>` of a select through its own template include; a filter bar with a unit list
and a few choice lists cost a list page a quarter of its time (issue 13, `bench/bench_workbench.py`). The HTML
written here is the one `django/forms/widgets/select.html` and `select_option.html` produce (same attributes,
escaping and option groups); any other widget, or a select whose options use another template, goes to the
templates as before.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    """`django/forms/widgets/attrs.html`: ` name="value"`, a bare ` name` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {name}" if value is True else f' {name}="{escape(str(value))}"')
    return "".join(parts)


def render_select(widget: dict) -> str:
    out = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{escape(str(group_name))}">')
        for option in group_choices:
            out.append(
                f'\n  <option value="{escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"  # the option template's own last newline
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class FastSelectRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == SELECT else None
        if widget is not None and all(
            option.get("template_name") == OPTION for _n, options, _i in widget["optgroups"] for option in options
        ):
            return render_select(widget)
        return super().render(template_name, context, request=request)
