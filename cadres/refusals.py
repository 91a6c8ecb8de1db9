"""One refusal error for every service: a stable code, parameters and a translatable message.

A service that says no raises a `Refusal` (or one of its named subclasses: `SelectionRefused`,
`EthicsError`, `ReserveError`, `CompetitionRefused`, …). It carries
- `code`: a stable string naming the rule ("future_date", "no_quorum", …) that callers and the API test on;
- `params`: the facts the message names (dates, names, numbers), JSON-safe in the API;
- a message template (usually `gettext_lazy` with `%(name)s` placeholders) rendered with `params` in the
  language active when it is read — so the same refusal reads in Chinese on a page and in English through
  the API with `Accept-Language: en`;
- optional `reasons`: further lines (each candidate's refusal, each missing step), already in words.

`str(refusal)` and `refusal.detail` give the whole sentence in the active language; `refusal.messages`
the lines (detail first, then the reasons). The DRF exception handler (`cadres.api.exceptions`) answers
any refusal with `{"code", "detail", "params", "reasons"}` and HTTP 409 (a subclass may name another
status, as `ReservePermissionDenied` does with 403); `add_refusal_to_form` shows one on a Django form.

Subclasses that were `ValidationError`s before keep being one (`class X(Refusal, ValidationError)`), so
code written against `except ValidationError` and `form.add_error(None, exc)` keeps working: the
`error_list` and `messages` a ValidationError offers are built from the refusal's lines. Decision: the
refusal does not call `ValidationError.__init__` (which would freeze the message in one language); it
offers the same reading interface instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def _render_value(value: Any) -> Any:
    """A parameter as the message prints it in the active language (dates in the language's format)."""
    if isinstance(value, dt.datetime):
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, Promise):
        return str(value)
    return value


def _json_value(value: Any) -> Any:
    """A parameter as the API returns it: dates in ISO form, translatable text in the active language."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


class Refusal(Exception):
    """A rule said no. `code` names the rule; the message says why in the active language."""

    code: str = "refused"
    default_message = _("该操作不符合规定，未予办理。")
    status_code: int = 409

    def __init__(self, message=None, code: str | None = None, params: dict | None = None, *, reasons=None):
        lines = list(message) if isinstance(message, list | tuple) else [message]
        first = lines[0] if lines and lines[0] is not None else self.default_message
        self.template = first
        self.code = code or type(self).code
        self.params = dict(params or {})
        self.reasons = [*lines[1:], *(reasons or [])]
        Exception.__init__(self, first)

    # -- reading

    @property
    def detail(self) -> str:
        """The first line: the template with its parameters, in the active language."""
        text = str(self.template)
        if self.params:
            text = text % {k: _render_value(v) for k, v in self.params.items()}
        return text

    @property
    def message(self) -> str:
        return self.detail

    @property
    def messages(self) -> list[str]:
        """Every line: the detail, then each reason."""
        return [self.detail, *(str(r) for r in self.reasons)]

    def full_text(self) -> str:
        """All lines as one sentence ("讨论决定时不符合条件：张三：…；李四：…")."""
        head, *rest = self.messages
        if not rest:
            return head
        return head + ("" if head.endswith(("：", ":")) else "；") + "；".join(rest)

    def json_params(self) -> dict:
        return {str(k): _json_value(v) for k, v in self.params.items()}

    def as_json(self) -> dict:
        """The body of the API's answer."""
        return {
            "code": self.code,
            "detail": self.full_text(),
            "params": self.json_params(),
            "reasons": [str(r) for r in self.reasons],
        }

    def __str__(self) -> str:
        return self.full_text()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, detail={self.full_text()!r})"

    # -- the reading interface of django.core.exceptions.ValidationError, for the subclasses that are one

    @property
    def error_list(self):
        from django.core.exceptions import ValidationError

        return [ValidationError(line, code=self.code) for line in self.messages]

    def __iter__(self):
        return iter(self.messages)

    def __eq__(self, other):
        return self is other

    def __hash__(self):
        return id(self)


def refuse(message, code: str, **params):
    """Raise a plain `Refusal` (a service without a refusal class of its own)."""
    raise Refusal(message, code, params)


def add_refusal_to_form(form, refusal) -> None:
    """Show a refusal (or any ValidationError) on `form` as non-field errors, one line each."""
    for line in getattr(refusal, "messages", None) or [str(refusal)]:
        form.add_error(None, line)
