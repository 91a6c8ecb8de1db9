"""`assert_chinese_page(html)`: a page a Chinese user reads has no English word, raw Python value or username.

Only visible text is checked: the text of elements outside <script>, <style>, <template>, <svg>, <noscript>
and outside Material icon ligatures (`<i class="material-icons">inbox</i>` draws an icon, it is not read),
plus the attributes a user reads (title, placeholder, alt, aria-label, value of buttons). Form field names,
ids, URLs and classes are not text.

Fails on:
- a Latin word (two letters or more) not in `ALLOWED` (CadreFlow, PDF, the language switcher's "English");
- `None`, `True`, `False`, `{}`, `[]`, a `{'key': ...}` dict or `[...]` list written out;
- any of the `usernames` given (a person must be shown by name).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

ALLOWED = {"CadreFlow", "English", "PDF", "A4", "SHA", "ID", "Excel", "XLSX", "CSV", "OK"}
SKIPPED_TAGS = {"script", "style", "template", "svg", "noscript", "head"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
READ_ATTRS = ("title", "placeholder", "alt", "aria-label")
WORD = re.compile(r"[A-Za-z][A-Za-z]+")
RAW = re.compile(r"(?<![\w])(None|True|False)(?![\w])|\{\s*\}|\[\s*\]|\{\s*'[^']*'\s*:|\[\s*'")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, hides its text)
        self.chunks: list[str] = []

    def _hidden(self) -> bool:
        return any(hidden for _tag, hidden in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        hidden = tag in SKIPPED_TAGS or "material-icons" in classes or "material-symbols-outlined" in classes
        if not self._hidden() and not hidden:
            for name in READ_ATTRS:
                if attrs.get(name):
                    self.chunks.append(attrs[name])
            if tag in ("button",) or (tag == "input" and attrs.get("type") in ("submit", "button")):
                if attrs.get("value") and tag == "input":
                    self.chunks.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not self._hidden() and data.strip():
            self.chunks.append(data)


def visible_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return [" ".join(chunk.split()) for chunk in parser.chunks]


def chinese_page_problems(html: str, *, usernames=(), allowed=()) -> list[str]:
    allow = ALLOWED | set(allowed)
    problems = []
    for chunk in visible_text(html):
        for word in WORD.findall(chunk):
            if word not in allow:
                problems.append(f"Latin word {word!r} in {chunk[:120]!r}")
        for match in RAW.finditer(chunk):
            problems.append(f"raw value {match.group(0)!r} in {chunk[:120]!r}")
        for name in usernames:
            if name and re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", chunk):
                problems.append(f"username {name!r} in {chunk[:120]!r}")
    return problems


def assert_chinese_page(html, *, usernames=(), allowed=()) -> None:
    """Fail with every problem found in the page's visible text."""
    if isinstance(html, bytes):
        html = html.decode()
    problems = chinese_page_problems(html, usernames=usernames, allowed=allowed)
    assert not problems, "Not a Chinese page:\n" + "\n".join(problems[:40])
