"""Reading, checking and formatting the plain inputs of the dossier content builders.

Guarantees: every builder input goes through `Fields`, so a missing or malformed field raises `ValueError`
with a Chinese message naming the field (and the list item it sits in); unknown keys are refused, so a typo
in a caller never silently drops a value. Figures are computed with `Decimal` and rounded half-up, the way
a person checks them by hand. Outputs are JSON-native (str, int, bool, list, dict) because the content is
stored with the document version and re-rendered from there.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from cadres import facts

CN_DIGITS = "零一二三四五六七八九"
SEX_LABELS = {"M": "男", "F": "女", "男": "男", "女": "女", "male": "男", "female": "女"}


def cn_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (section numbers up to 99)."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens] + "十")
    return head + (CN_DIGITS[ones] if ones else "")


def cn_date(value: dt.date) -> str:
    return _("%(y)d年%(m)d月%(d)d日") % {"y": value.year, "m": value.month, "d": value.day}


def cn_month(year: int, month: int) -> str:
    return _("%(y)d年%(m)d月") % {"y": year, "m": month}


def dot_month(year: int, month: int) -> str:
    return f"{year}.{month:02d}"


def cn_datetime(value: dt.datetime) -> str:
    return f"{cn_date(value)} {value.hour:02d}:{value.minute:02d}"


# Month arithmetic has one home (`cadres.facts`); documents print the periods the services stored and count
# any other with the same functions, so a letter's last day is the day before the veto lifts.
add_months = facts.add_months
period_end = facts.last_day_of_period


def full_years_from_month(year: int, month: int, at: dt.date) -> int:
    """周岁 counted from the 1st of the birth month (the 任免审批表 convention, regulations.md §6.4)."""
    years = at.year - year - (at.month < month)
    return max(years, 0)


def round_half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt_decimal(value: Decimal, places: int = 2) -> str:
    return f"{round_half_up(value, places):.{places}f}"


def fmt_points(value: Decimal) -> str:
    """A score as judges write it: one decimal place, two when the score needs them (18.5, 18.0, 18.25)."""
    return fmt_decimal(value, 1 if round_half_up(value, 1) == value else 2)


def fmt_plain(value: Decimal) -> str:
    """A number without trailing zeros (50 → "50", 12.5 → "12.5"), for weights and hours."""
    text = format(value.normalize(), "f")
    return text


def percent(part: int | Decimal, whole: int | Decimal, places: int = 1) -> str:
    """`part / whole` as a percentage string without the sign ("85.7"); "—" when `whole` is 0."""
    if not whole:
        return "—"
    return fmt_decimal(Decimal(part) * 100 / Decimal(whole), places)


def dense_ranks(keys: list) -> list[int]:
    """Competition ranks for keys already sorted best first: equal keys share a rank (1, 2, 2, 4)."""
    ranks: list[int] = []
    for i, key in enumerate(keys):
        ranks.append(ranks[-1] if i and key == keys[i - 1] else i + 1)
    return ranks


def ceil_fraction(n: int, numerator: int, denominator: int) -> int:
    """⌈n × numerator / denominator⌉ in exact integer arithmetic."""
    return -(-n * numerator // denominator)


def pronoun(sex: str) -> str:
    return "她" if sex == "女" else "他"


def label_of(choices, value: str) -> str:
    """The Chinese label of a stored code (e.g. `PoliticalStatus`), or the value itself when it is free text."""
    for code, label in getattr(choices, "choices", []):
        if value == code:
            return str(label)
    return value


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)
_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月$"),
)


class Fields:
    """One mapping of builder input, read field by field; `done()` refuses keys nobody read."""

    def __init__(self, data: Mapping | None, where: str = ""):
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise ValueError(self._msg(where, _("应为一组字段")))
        self.data = data
        self.where = where
        self.read: set[str] = set()

    @staticmethod
    def _msg(where: str, message: str) -> str:
        return f"{where}：{message}" if where else message

    def error(self, message: str) -> ValueError:
        return ValueError(self._msg(self.where, message))

    def _get(self, key: str):
        self.read.add(key)
        value = self.data.get(key)
        if isinstance(value, str):
            value = value.strip()
        return value

    def raw(self, key: str):
        """The value as given (marked as read), for shapes the typed readers do not cover."""
        return self._get(key)

    def has(self, key: str) -> bool:
        value = self.data.get(key)
        return value not in (None, "", [], {})

    def _missing(self, label: str) -> ValueError:
        return self.error(_("缺少“%(label)s”") % {"label": label})

    def text(self, key: str, label: str, *, required: bool = True, max_length: int | None = None) -> str:
        value = self._get(key)
        if value in (None, ""):
            if required:
                raise self._missing(label)
            return ""
        if not isinstance(value, str | int):
            raise self.error(_("“%(label)s”应为文字") % {"label": label})
        value = str(value)
        if max_length is not None and len(value) > max_length:
            raise self.error(_("“%(label)s”不能超过%(n)d个字") % {"label": label, "n": max_length})
        return value

    def choice(self, key: str, label: str, allowed: Iterable[str], *, required: bool = True, default=None) -> str:
        value = self.text(key, label, required=required and default is None)
        if not value:
            return default or ""
        allowed = list(allowed)
        if value not in allowed:
            raise self.error(
                _("“%(label)s”应为%(allowed)s之一，收到“%(value)s”")
                % {"label": label, "allowed": "、".join(allowed), "value": value}
            )
        return value

    def sex(self, key: str = "sex", label: str = "性别", *, required: bool = True) -> str:
        value = self.text(key, label, required=required)
        if not value:
            return ""
        if value not in SEX_LABELS:
            raise self.error(_("“%(label)s”应为男或女") % {"label": label})
        return SEX_LABELS[value]

    def boolean(self, key: str, *, default: bool = False) -> bool:
        value = self._get(key)
        return default if value is None else bool(value)

    def integer(
        self,
        key: str,
        label: str,
        *,
        required: bool = True,
        minimum: int | None = 0,
        maximum: int | None = None,
        default: int | None = None,
    ) -> int | None:
        value = self._get(key)
        if value in (None, ""):
            if required and default is None:
                raise self._missing(label)
            return default
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise self.error(_("“%(label)s”应为整数") % {"label": label})
        try:
            number = int(value)
        except ValueError:
            raise self.error(_("“%(label)s”应为整数") % {"label": label}) from None
        if minimum is not None and number < minimum:
            raise self.error(_("“%(label)s”不能小于%(n)d") % {"label": label, "n": minimum})
        if maximum is not None and number > maximum:
            raise self.error(_("“%(label)s”不能大于%(n)d") % {"label": label, "n": maximum})
        return number

    def decimal(
        self,
        key: str,
        label: str,
        *,
        required: bool = True,
        minimum: Decimal | int | None = 0,
        maximum: Decimal | int | None = None,
    ) -> Decimal | None:
        value = self._get(key)
        if value in (None, ""):
            if required:
                raise self._missing(label)
            return None
        return to_decimal(value, label, minimum=minimum, maximum=maximum, where=self.where)

    def date(self, key: str, label: str, *, required: bool = True) -> dt.date | None:
        value = self._get(key)
        if value in (None, ""):
            if required:
                raise self._missing(label)
            return None
        return to_date(value, label, where=self.where)

    def datetime(self, key: str, label: str, *, required: bool = True) -> dt.datetime | None:
        value = self._get(key)
        if value in (None, ""):
            if required:
                raise self._missing(label)
            return None
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value)
            except ValueError:
                pass
        if isinstance(value, dt.datetime):
            # Printed in the district's local time (settings.TIME_ZONE), whatever zone the caller stored.
            return timezone.localtime(value) if timezone.is_aware(value) else value
        raise self.error(_("“%(label)s”不是有效的时间：%(value)s") % {"label": label, "value": value})

    def month(self, key: str, label: str, *, required: bool = True) -> tuple[int, int] | None:
        value = self._get(key)
        if value in (None, ""):
            if required:
                raise self._missing(label)
            return None
        if isinstance(value, dt.date):
            return value.year, value.month
        text = str(value)
        for pattern in _MONTH_PATTERNS + _DATE_PATTERNS:
            match = pattern.match(text)
            if match and 1 <= int(match.group(2)) <= 12:
                return int(match.group(1)), int(match.group(2))
        raise self.error(_("“%(label)s”应为年月，如1982-05：%(value)s") % {"label": label, "value": text})

    def items(self, key: str, label: str, *, required: bool = True, min_items: int = 1) -> list[Fields]:
        """A list of mappings, each wrapped as `Fields` whose errors say "<label>第n项"."""
        value = self._get(key)
        if value in (None, "", []):
            if required:
                raise self.error(_("“%(label)s”至少需要%(n)d项") % {"label": label, "n": min_items})
            return []
        if not isinstance(value, list | tuple):
            raise self.error(_("“%(label)s”应为列表") % {"label": label})
        if len(value) < min_items:
            raise self.error(_("“%(label)s”至少需要%(n)d项") % {"label": label, "n": min_items})
        prefix = f"{self.where}：" if self.where else ""
        return [
            Fields(item, _("%(prefix)s%(label)s第%(n)d项") % {"prefix": prefix, "label": label, "n": i})
            for i, item in enumerate(value, 1)
        ]

    def mapping(self, key: str, label: str, *, required: bool = True) -> Fields:
        value = self._get(key)
        if value in (None, {}) and required:
            raise self._missing(label)
        prefix = f"{self.where}：" if self.where else ""
        return Fields(value or {}, f"{prefix}{label}")

    def strings(self, key: str, label: str, *, required: bool = True) -> list[str]:
        value = self._get(key)
        return self._string_list([value] if isinstance(value, str) else value, label, required)

    def paragraphs(self, key: str, label: str, *, required: bool = True) -> list[str]:
        """Text given as one string (each line a paragraph) or as a list of paragraphs."""
        value = self._get(key)
        return self._string_list(value.splitlines() if isinstance(value, str) else value, label, required)

    def _string_list(self, value, label: str, required: bool) -> list[str]:
        if value in (None, []):
            if required:
                raise self._missing(label)
            return []
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise self.error(_("“%(label)s”应为文字列表") % {"label": label})
        cleaned = [v.strip() for v in value if v.strip()]
        if required and not cleaned:
            raise self._missing(label)
        return cleaned

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.read)
        if unknown:
            raise self.error(_("未知字段：%(keys)s") % {"keys": "、".join(unknown)})


def to_date(value, label: str, *, where: str = "") -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                break
    raise ValueError(Fields._msg(where, _("“%(label)s”不是有效的日期：%(value)s") % {"label": label, "value": text}))


def to_decimal(value, label: str, *, minimum=0, maximum=None, where: str = "") -> Decimal:
    if isinstance(value, bool):
        raise ValueError(Fields._msg(where, _("“%(label)s”应为数字") % {"label": label}))
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(Fields._msg(where, _("“%(label)s”应为数字") % {"label": label})) from None
    if not number.is_finite():
        raise ValueError(Fields._msg(where, _("“%(label)s”应为数字") % {"label": label}))
    if minimum is not None and number < Decimal(minimum):
        raise ValueError(Fields._msg(where, _("“%(label)s”不能小于%(n)s") % {"label": label, "n": minimum}))
    if maximum is not None and number > Decimal(maximum):
        raise ValueError(Fields._msg(where, _("“%(label)s”不能大于%(n)s") % {"label": label, "n": maximum}))
    return number


def date_pair(day: dt.date) -> dict:
    """A date as stored in content: ISO for machines, Chinese for print."""
    return {"iso": day.isoformat(), "text": cn_date(day)}


def char_count(text: str) -> int:
    """字数 as offices count it: every character except whitespace (punctuation counts)."""
    return sum(1 for ch in text if not ch.isspace())
