"""The form renderer: Django's, except that a plain `<select>` and a plain `<input>` are written in Python.

Django renders every `<option>` of a select through its own template include; a filter bar with a unit list
and a few choice lists cost a list page a quarter of its time (issue 13, `bench/bench_workbench.py`), and each
text, number or date box two more template includes. The HTML written here is the one that
`django/forms/widgets/select.html` with `select_option.html`, and `input.html` included by the one-line input
templates (`text.html`, `date.html`, ...), produce once the renderer has stripped it: same attributes,
escaping and option groups. Any other widget, or a select whose options use another template, goes to the
templates as before.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
# Templates that are `{% include "django/forms/widgets/input.html" %}` and a newline, nothing else.
INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("text", "number", "date", "email", "hidden", "search", "tel", "url", "password", "time", "color")
)


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


def _text(value) -> str:
    """`{{ value|stringformat:'s' }}`: the value as text, escaped unless it is already safe."""
    text = str(value)
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)


def render_input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    html = f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"{value}'
    return f"{html}{_attrs(widget['attrs'])}>"  # the renderer strips the templates' newlines


class FastSelectRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUTS and context.get("widget") is not None:
            return render_input(context["widget"])
        widget = context.get("widget") if template_name == SELECT else None
        if widget is not None and all(
            option.get("template_name") == OPTION for _n, options, _i in widget["optgroups"] for option in options
        ):
            return render_select(widget)
        return super().render(template_name, context, request=request)
