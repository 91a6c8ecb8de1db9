import datetime as dt

import pytest

from workflows.common import publicity
from workflows.common.publicity import ObjectionState

D = dt.date


@pytest.mark.django_db
def test_national_day_publicity_ends_on_the_swapped_saturday():
    span = publicity.publicity_period(D(2026, 9, 29), 5, minimum=5)
    assert span.end == D(2026, 10, 10)  # 9/29, 9/30, 10/8, 10/9 and the 调休 Saturday 10/10


@pytest.mark.django_db
def test_an_ordinary_week():
    assert publicity.publicity_period(D(2026, 4, 13), 5, minimum=5).end == D(2026, 4, 17)


def test_fewer_working_days_than_the_rule_set_are_refused():
    with pytest.raises(publicity.PublicityError) as exc:
        publicity.publicity_period(D(2026, 4, 13), 4, minimum=5)
    assert exc.value.code == "too_short"


def test_no_appointment_on_or_before_the_end_date():
    with pytest.raises(publicity.PublicityError) as exc:
        publicity.check_appointable(end=D(2026, 10, 10), on=D(2026, 10, 10))
    assert exc.value.code == "not_ended"
    publicity.check_appointable(end=D(2026, 10, 10), on=D(2026, 10, 11))
    assert publicity.earliest_appointment(D(2026, 10, 10)) == D(2026, 10, 11)


def test_objections_must_be_cleared():
    with pytest.raises(publicity.PublicityError) as exc:
        publicity.check_appointable(end=D(2026, 4, 17), on=D(2026, 4, 20), objections=[ObjectionState("pending")])
    assert exc.value.code == "objection_pending"
    with pytest.raises(publicity.PublicityError) as exc:
        publicity.check_appointable(
            end=D(2026, 4, 17), on=D(2026, 4, 20), objections=[ObjectionState("upheld", "反映属实")]
        )
    assert exc.value.code == "objection_upheld" and "反映属实" in str(exc.value)
    publicity.check_appointable(end=D(2026, 4, 17), on=D(2026, 4, 20), objections=[ObjectionState("cleared")])
