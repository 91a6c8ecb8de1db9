"""The search keys stored on a person: pinyin initials, full pinyin, the name without its first one and two
characters (so that a part of the name is the start of one of the keys), and the ID number's last four characters.

They are stored (not computed per query) so that the person picker can look them up by index
(`cadres.person_search`). `Person.save()` refreshes them; bulk writers (roster import, demo loader, benches)
call `fill_search_keys()` on each instance before `bulk_create`/`bulk_update`.

Decisions:
- Polyphonic characters are read the way pypinyin reads them in context, except for a short list of common
  surnames whose surname reading differs (单 shan, 曾 zeng, 解 xie …): the first character uses that reading.
- ü is written `v` (吕 → lv), the way pinyin input methods type it.
- Characters without a reading (Latin letters, digits, ·) are kept lower-cased in the full pinyin and give their
  first character to the initials; separators (·, spaces) are dropped.
"""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin

# Surname readings that differ from the everyday reading pypinyin picks for a lone character.
SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "区": "ou",
    "查": "zha",
    "乐": "yue",
    "尉": "yu",
    "盖": "ge",
    "覃": "qin",
    "缪": "miao",
    "翟": "zhai",
    "秘": "bi",
    "种": "chong",
    "隗": "wei",
    "万俟": "mo qi",
    "长孙": "zhang sun",
    "尉迟": "yu chi",
    "澹台": "tan tai",
    "宿": "su",
    "繁": "po",
    "员": "yun",
    "祭": "zhai",
    "黑": "he",
    "藏": "zang",
    "召": "shao",
    "重": "chong",
    "折": "she",
}

INITIALS_MAX = 40
PINYIN_MAX = 160
_SEPARATORS = " ·•・.-"


def _syllables(name: str) -> list[str]:
    name = "".join(ch for ch in name.strip() if ch not in _SEPARATORS)
    if not name:
        return []
    for surname in sorted((s for s in SURNAME_READINGS if len(s) > 1), key=len, reverse=True):
        if name.startswith(surname):
            return [*SURNAME_READINGS[surname].split(), *_rest(name[len(surname) :])]
    first = name[0]
    if first in SURNAME_READINGS:
        return [SURNAME_READINGS[first], *_rest(name[1:])]
    return _rest(name)


def _rest(text: str) -> list[str]:
    if not text:
        return []
    # Characters pypinyin does not know come back as they are (lower-cased), never matched by a pinyin query.
    return [part.lower().replace("ü", "v") for part in lazy_pinyin(text, style=Style.NORMAL, errors="default")]


def name_keys(name: str) -> tuple[str, str]:
    """(initials, full pinyin) of a name: 刘旭 → ("lx", "liuxu")."""
    syllables = _syllables(name or "")
    initials = "".join(s[0] for s in syllables if s)[:INITIALS_MAX]
    full = "".join(syllables)[:PINYIN_MAX]
    return initials, full


def id_last4(id_number: str | None) -> str:
    """The last four characters of an ID number, upper-cased (a final x is X); "" without a number."""
    number = (id_number or "").strip().upper()
    return number[-4:] if len(number) >= 4 else ""


def name_tails(name: str) -> tuple[str, str]:
    """The name without its first character, and without its first two: 欧阳娜娜 → ("阳娜娜", "娜娜")."""
    name = (name or "").strip()
    return name[1:], name[2:]


def fill_search_keys(person) -> None:
    """Set the stored keys on an unsaved or changed Person instance (for bulk writes that skip save())."""
    person.name_initials, person.name_pinyin = name_keys(person.name)
    person.name_tail, person.name_tail2 = name_tails(person.name)
    person.id_last4 = id_last4(person.id_number)


SEARCH_KEY_FIELDS = ("name_initials", "name_pinyin", "name_tail", "name_tail2", "id_last4")
