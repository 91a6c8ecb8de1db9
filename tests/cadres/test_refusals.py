"""The one refusal error (cadres.refusals) and the one DRF exception handler (cadres.api.exceptions)."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _l
from rest_framework.exceptions import NotFound

from cadres.api.exceptions import exception_handler
from cadres.refusals import Refusal, add_refusal_to_form
from reserve_pool.exceptions import ReserveConflict, ReservePermissionDenied, ReserveRefused
from workflows.principal_selection.services import SelectionRefused


def test_a_refusal_renders_its_template_in_the_active_language():
    refusal = Refusal(_l("%(step)s日期"), "demo", {"step": _l("动议")})
    assert (refusal.code, str(refusal)) == ("demo", "动议日期")
    with translation.override("en"):
        assert str(refusal) == "Proposal date"
        assert refusal.as_json() == {
            "code": "demo",
            "detail": "Proposal date",
            "params": {"step": "Proposal"},
            "reasons": [],
        }


def test_dates_are_rendered_per_language_and_iso_in_json():
    refusal = Refusal("截至%(day)s", "demo", {"day": dt.date(2026, 3, 9)})
    assert str(refusal) == "截至2026年3月9日"
    assert refusal.json_params() == {"day": "2026-03-09"}


def test_reasons_are_further_lines():
    refusal = SelectionRefused(["讨论决定时不符合条件：", "甲：受警告处理", "乙：年龄超过45周岁"], "ineligible")
    assert refusal.messages == ["讨论决定时不符合条件：", "甲：受警告处理", "乙：年龄超过45周岁"]
    assert str(refusal) == "讨论决定时不符合条件：甲：受警告处理；乙：年龄超过45周岁"
    assert refusal.as_json()["reasons"] == ["甲：受警告处理", "乙：年龄超过45周岁"]


def test_a_former_validation_error_is_still_one_for_forms_and_callers():
    class Form(forms.Form):
        name = forms.CharField(required=False)

    with pytest.raises(ValidationError) as caught:
        raise SelectionRefused(["不符合：", "甲"], "x")
    form = Form({"name": "a"})
    assert form.is_valid()
    form.add_error(None, caught.value)
    assert form.non_field_errors() == ["不符合：", "甲"]
    other = Form({"name": "a"})
    other.is_valid()
    add_refusal_to_form(other, Refusal("不行", "no"))
    assert other.non_field_errors() == ["不行"]


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (SelectionRefused("不行", "x"), 409),
        (ReserveRefused("不行", code="x"), 409),
        (ReserveConflict("已被他人修改", code="conflict"), 409),
        (ReservePermissionDenied("无权", code="not_permitted"), 403),
    ],
)
def test_the_handler_answers_every_refusal_with_its_code(exc, status):
    response = exception_handler(exc, {})
    assert response.status_code == status
    assert response.data["code"] == exc.code and response.data["detail"] == str(exc)
    assert set(response.data) == {"code", "detail", "params", "reasons"}


def test_the_handler_leaves_other_errors_to_drf():
    assert exception_handler(NotFound(), {}).status_code == 404
    assert exception_handler(ValueError("boom"), {}) is None
