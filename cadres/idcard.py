"""Resident ID numbers (GB 11643-1999): checksum, birth date and sex."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_PATTERN = re.compile(r"^\d{17}[\dX]$")


class IdCardError(ValueError):
    """The number is not a valid 18-digit resident ID; the message says why, in the user's language."""


@dataclass(frozen=True)
class IdCardInfo:
    number: str
    region: str
    birth_date: dt.date
    sex: str  # "M" or "F", as cadres.choices.Sex


def check_char(first17: str) -> str:
    """The 18th character that GB 11643's ISO 7064 MOD 11-2 checksum demands."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def parse_id_number(raw: str) -> IdCardInfo:
    """Validate an ID number and return what it encodes; raises IdCardError with the reason."""
    number = (raw or "").strip().upper()
    if not _PATTERN.match(number):
        raise IdCardError(_("身份证号须为18位，前17位为数字，末位为数字或X。"))
    expected = check_char(number[:17])
    if number[17] != expected:
        raise IdCardError(_("身份证号校验位错误：末位应为 %(c)s。") % {"c": expected})
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdCardError(_("身份证号中的出生日期 %(d)s 不存在。") % {"d": number[6:14]}) from None
    if birth.year < 1900:
        raise IdCardError(_("身份证号中的出生日期 %(d)s 不合理。") % {"d": number[6:14]})
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return IdCardInfo(number=number, region=number[:6], birth_date=birth, sex=sex)


def make_id_number(region: str, birth: dt.date, sequence: int, sex: str) -> str:
    """Build a valid ID number (demo data and tests): sequence 0–99, sex fixes the parity of digit 17."""
    parity_digit = (sequence % 5) * 2 + (1 if sex == "M" else 0)
    first17 = f"{region}{birth:%Y%m%d}{sequence % 100:02d}{parity_digit}"
    return first17 + check_char(first17)
