"""A URL with ids in it, its pattern resolved once per process: a list of 50 rows needs one `reverse`, not 50.

`ids_url(key, build, *ids)` gives what `build(*ids)` gives (`build` calls `reverse`); the first call for a `key`
resolves the pattern with marker ids and keeps the text around them. `key` names the URL (its view name, or a
node and a view name); the URL must take exactly these ids, as integers, and nothing else that changes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

_MARKS = (918273645, 546372819, 192837465)
_parts: dict[Hashable, tuple[str, ...]] = {}


def _split(url: str, count: int) -> tuple[str, ...]:
    parts, rest = [], url
    for mark in _MARKS[:count]:
        head, rest = rest.split(str(mark), 1)
        parts.append(head)
    return (*parts, rest)


def ids_url(key: Hashable, build: Callable[..., str], *ids: int) -> str:
    parts = _parts.get(key)
    if parts is None:
        parts = _parts[key] = _split(build(*_MARKS[: len(ids)]), len(ids))
    out = [parts[0]]
    for value, text in zip(ids, parts[1:], strict=True):
        out += [str(int(value)), text]
    return "".join(out)
