#!/usr/bin/env python
"""Refresh the English catalogue: extract strings, apply known translations, report gaps, compile.

    .venv/bin/python scripts/update_translations.py            # the whole pipeline (what `make messages` runs)
    .venv/bin/python scripts/update_translations.py --no-extract   # apply and compile only
    .venv/bin/python scripts/update_translations.py --missing-json /tmp/missing.json   # also dump the gaps
    .venv/bin/python scripts/update_translations.py --prune        # forget translations of removed msgids

Source strings are Chinese; ``locale/en/translations.json`` (msgid → English; a two-item list for plural
entries) is the translator's dictionary and wins over whatever the .po holds. Translations typed straight
into the .po (non-fuzzy) are kept and copied into the dictionary, so either place can be edited.
Guarantees after a run: every msgid found in the dictionary has its msgstr set and no fuzzy flag; entries not
in it are listed (a msgmerge guess stays fuzzy, so it is never compiled); both catalogues (en and the
hand-kept zh_Hans one, which is never re-extracted) are compiled to .mo. Exit status 1 when msgids are missing
or a translation drops or adds a placeholder, so CI can gate on it.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PO_PATH = BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
DICT_PATH = BASE_DIR / "locale" / "en" / "translations.json"
IGNORES = [".venv", "staticfiles", "node_modules", "bench/results", "tests"]
HEADER = {
    "Project-Id-Version": "CadreFlow",
    "Language-Team": "English",
    "Language": "en",
    "Last-Translator": "CadreFlow personnel office",
}
PLACEHOLDER_RE = re.compile(r"%%|%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[a-z]|%[sd]|\{\{[^}]*\}\}|\{\d*\}")


@dataclass
class Entry:
    """One catalogue entry; msgid/msgstr strings are unescaped, comments kept verbatim."""

    comments: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    previous: list[str] = field(default_factory=list)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=lambda: [""])
    obsolete: bool = False

    @property
    def key(self) -> str:
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid

    @property
    def translated(self) -> bool:
        return all(self.msgstr) and "fuzzy" not in self.flags


def _unescape(quoted: str) -> str:
    body = quoted.strip()
    if not (body.startswith('"') and body.endswith('"')):
        raise ValueError(f"not a PO string: {quoted!r}")
    escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), "\\" + m.group(1)), body[1:-1])


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def parse_po(text: str) -> list[Entry]:
    """Parse a gettext catalogue (the subset msgmerge writes: no obsolete-entry translation)."""
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", text.strip("\n")):
        entry = Entry()
        current: tuple[str, int] | None = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry.obsolete = True
                entry.comments.append(line)
            elif line.startswith("#,"):
                entry.flags += [f.strip() for f in line[2:].split(",") if f.strip()]
            elif line.startswith("#|"):
                entry.previous.append(line)
            elif line.startswith("#"):
                entry.comments.append(line)
            elif line.startswith("msgctxt "):
                entry.msgctxt, current = _unescape(line[8:]), ("msgctxt", 0)
            elif line.startswith("msgid_plural "):
                entry.msgid_plural, current = _unescape(line[13:]), ("msgid_plural", 0)
            elif line.startswith("msgid "):
                entry.msgid, current = _unescape(line[6:]), ("msgid", 0)
            elif line.startswith("msgstr["):
                index = int(line[7 : line.index("]")])
                while len(entry.msgstr) <= index:
                    entry.msgstr.append("")
                entry.msgstr[index] = _unescape(line[line.index("]") + 1 :])
                current = ("msgstr", index)
            elif line.startswith("msgstr "):
                entry.msgstr[0], current = _unescape(line[7:]), ("msgstr", 0)
            elif line.startswith('"') and current:
                name, index = current
                if name == "msgstr":
                    entry.msgstr[index] += _unescape(line)
                else:
                    setattr(entry, name, getattr(entry, name) + _unescape(line))
            elif line.strip():
                raise ValueError(f"unexpected PO line: {line!r}")
        entries.append(entry)
    return entries


def _field(name: str, value: str) -> list[str]:
    if "\n" not in value.rstrip("\n") and len(value) < 70:
        return [f'{name} "{_escape(value)}"']
    parts = re.findall(r"[^\n]*\n|[^\n]+", value)
    return [f'{name} ""'] + [f'"{_escape(p)}"' for p in parts]


def format_po(entries: list[Entry]) -> str:
    blocks = []
    for e in entries:
        if e.obsolete:
            blocks.append("\n".join(e.comments))
            continue
        lines = list(e.comments)
        if e.flags:
            lines.append("#, " + ", ".join(e.flags))
        lines += e.previous
        if e.msgctxt is not None:
            lines += _field("msgctxt", e.msgctxt)
        lines += _field("msgid", e.msgid)
        if e.msgid_plural is not None:
            lines += _field("msgid_plural", e.msgid_plural)
            for i, s in enumerate(e.msgstr):
                lines += _field(f"msgstr[{i}]", s)
        else:
            lines += _field("msgstr", e.msgstr[0])
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def placeholders(text: str) -> list[str]:
    """Placeholders that must survive translation, normalised (``{{ a }}`` == ``{{a}}``)."""
    return sorted(re.sub(r"\s+", "", p) for p in PLACEHOLDER_RE.findall(text))


def _edge_space(source: str, target: str) -> str:
    """Give the translation the leading/trailing whitespace of its source.

    Where the source has none, spaces the translator put at an edge stay: an English fragment that is
    concatenated with a number or a name in a template needs them, the Chinese one does not.
    """
    lead = source[: len(source) - len(source.lstrip())] or target[: len(target) - len(target.lstrip(" "))]
    trail = source[len(source.rstrip()) :] or target[len(target.rstrip(" ")) :]
    return lead + target.strip() + trail


def _set_header(entry: Entry) -> None:
    lines = [ln for ln in entry.msgstr[0].split("\n") if ln]
    created = next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("POT-Creation-Date:")), "")
    header = {**HEADER, "PO-Revision-Date": created} if created else HEADER
    seen = set()
    for i, line in enumerate(lines):
        name = line.split(":", 1)[0]
        if name in header:
            lines[i] = f"{name}: {header[name]}"
            seen.add(name)
    lines += [f"{k}: {v}" for k, v in header.items() if k not in seen]
    entry.msgstr[0] = "\n".join(lines) + "\n"
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    entry.comments = [
        "# English translation of CadreFlow. Source strings are Chinese.",
        "# Edit locale/en/translations.json and run scripts/update_translations.py.",
    ]


def apply(entries: list[Entry], known: dict[str, str | list[str]]) -> tuple[list[str], list[str], int]:
    """Fill msgstrs from ``known``; harvest hand-made .po translations into it. Returns (missing, bad, harvested)."""
    missing, bad, harvested = [], [], 0
    for e in entries:
        if e.obsolete:
            continue
        if e.msgid == "":
            _set_header(e)
            continue
        wanted = known.get(e.key)
        if wanted is None and e.translated:
            known[e.key] = list(e.msgstr) if e.msgid_plural is not None else e.msgstr[0]
            harvested += 1
            wanted = known[e.key]
        if wanted is None:
            missing.append(e.key)
            continue
        if e.msgid_plural is not None:
            forms = wanted if isinstance(wanted, list) else [wanted, wanted]
            sources = [e.msgid] + [e.msgid_plural] * (len(forms) - 1)
            e.msgstr = [_edge_space(src, f) for src, f in zip(sources, forms, strict=True)]
        else:
            e.msgstr = [_edge_space(e.msgid, wanted if isinstance(wanted, str) else wanted[0])]
        e.flags = [f for f in e.flags if f != "fuzzy"]
        e.previous = []
        sources = [e.msgid] if e.msgid_plural is None else [e.msgid, e.msgid_plural]
        if any(placeholders(s) != placeholders(sources[min(i, len(sources) - 1)]) for i, s in enumerate(e.msgstr)):
            bad.append(e.key)
    return missing, bad, harvested


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], cwd=BASE_DIR, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-extract", action="store_true", help="skip makemessages")
    parser.add_argument("--no-compile", action="store_true", help="skip compilemessages")
    parser.add_argument("--missing-json", type=Path, help="write the untranslated msgids (with references) here")
    parser.add_argument("--prune", action="store_true", help="drop dictionary entries no msgid uses any more")
    args = parser.parse_args(argv)

    needed = [] if args.no_extract else ["xgettext", "msgmerge"]
    needed += [] if args.no_compile else ["msgfmt"]
    if absent := [tool for tool in needed if shutil.which(tool) is None]:
        print(f"GNU gettext is missing ({', '.join(absent)}): apt-get install -y gettext", file=sys.stderr)
        return 2
    if not args.no_extract:
        ignores = [f"--ignore={p}" for p in IGNORES]
        _manage("makemessages", "-l", "en", "--no-obsolete", *ignores)
    known = json.loads(DICT_PATH.read_text(encoding="utf-8")) if DICT_PATH.exists() else {}
    entries = parse_po(PO_PATH.read_text(encoding="utf-8"))
    missing, bad, harvested = apply(entries, known)
    live = {e.key for e in entries if e.msgid and not e.obsolete}
    unused = set(known) - live
    if args.prune:
        for key in unused:
            del known[key]
    PO_PATH.write_text(format_po(entries), encoding="utf-8")
    DICT_PATH.write_text(json.dumps(dict(sorted(known.items())), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    print(
        f"msgids: {len(live)}; translated: {len(live) - len(missing)}; missing: {len(missing)}; "
        f"placeholder mismatches: {len(bad)}; harvested from .po: {harvested}; "
        f"dictionary entries not used: {len(unused)}{' (pruned)' if args.prune else ''}"
    )
    by_key = {e.key: e for e in entries}
    for key in missing:
        print(f"  MISSING  {key!r}  ({' '.join(c[3:] for c in by_key[key].comments if c.startswith('#:'))})")
    for key in bad:
        print(f"  PLACEHOLDERS DIFFER  {key!r}")
    if args.missing_json:
        refs = {k: " ".join(c[3:] for c in by_key[k].comments if c.startswith("#:")) for k in missing}
        args.missing_json.write_text(json.dumps(refs, ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.no_compile:
        _manage("compilemessages", "-l", "en", "-l", "zh_Hans", f"--ignore={IGNORES[0]}")
    return 1 if missing or bad else 0


if __name__ == "__main__":
    sys.exit(main())
