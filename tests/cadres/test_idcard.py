"""ID numbers: GB 11643 checksum, encoded birth date and sex, agreement with the person's record."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cadres.idcard import IdCardError, check_char, make_id_number, parse_id_number
from tests.factories import PersonFactory

# A checksum-valid number from the standard's worked example.
KNOWN_VALID = "11010519491231002X"


def test_known_number_parses():
    info = parse_id_number(KNOWN_VALID)
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.sex == "F"
    assert info.region == "110105"


def test_lowercase_x_is_accepted_and_normalised():
    assert parse_id_number(KNOWN_VALID.lower()).number == KNOWN_VALID


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("110105194912310021", "校验位错误：末位应为 X"),
        ("11010519491231002", "须为18位"),
        ("11010519491231002A", "须为18位"),
        ("", "须为18位"),
    ],
)
def test_bad_numbers_are_refused_with_a_reason(number, message):
    with pytest.raises(IdCardError, match=message):
        parse_id_number(number)


def test_impossible_birth_date_is_refused():
    first17 = "11010519490230002"  # 30 February
    with pytest.raises(IdCardError, match="不存在"):
        parse_id_number(first17 + check_char(first17))


def test_made_numbers_are_valid_and_encode_sex():
    for sex in ("M", "F"):
        number = make_id_number("370102", dt.date(1984, 2, 29), 17, sex)
        info = parse_id_number(number)
        assert info.sex == sex and info.birth_date == dt.date(1984, 2, 29)


@pytest.mark.django_db
def test_person_record_must_agree_with_id_number():
    person = PersonFactory.build(
        organization=PersonFactory().organization,
        id_number=make_id_number("370102", dt.date(1984, 2, 29), 3, "F"),
        birth_date=dt.date(1984, 3, 1),
        sex="M",
    )
    with pytest.raises(ValidationError) as exc:
        person.full_clean()
    assert "1984-02-29" in str(exc.value.message_dict["birth_date"])
    assert "女" in str(exc.value.message_dict["sex"])


@pytest.mark.django_db
def test_person_record_with_bad_checksum_is_refused():
    person = PersonFactory.build(organization=PersonFactory().organization, id_number="110105194912310021")
    with pytest.raises(ValidationError) as exc:
        person.full_clean()
    assert "校验位" in str(exc.value.message_dict["id_number"])
