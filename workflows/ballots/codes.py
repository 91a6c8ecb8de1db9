"""One-time voting codes: generation, normalisation of what a voter types, and the keyed hash that is stored.

A code is 10 characters from 31 that cannot be misread for one another (no 0/O, 1/I/L): 31^10 ≈ 8×10^14
possibilities against a few hundred valid codes, with guesses throttled (`throttle`). Only
HMAC-SHA256(code) under a server key (derived from SECRET_KEY) is stored, so the database alone cannot
produce a usable code; the plain codes exist only in the slips document.
"""

from __future__ import annotations

import re
import secrets

from django.utils.crypto import salted_hmac

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 10
_SALT = "cadreflow.ballots.code"
_SEPARATORS = re.compile(r"[\s\-_.·]+")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def new_codes(count: int) -> list[str]:
    """`count` distinct fresh codes."""
    out: set[str] = set()
    while len(out) < count:
        out.add(new_code())
    return list(out)


def normalise(typed: str) -> str | None:
    """Upper-case, separators removed; None unless the result could be a code (right length and alphabet)."""
    text = _SEPARATORS.sub("", (typed or "")[:64]).upper()
    if len(text) != LENGTH or any(ch not in ALPHABET for ch in text):
        return None
    return text


def code_hash(code: str) -> str:
    return salted_hmac(_SALT, code, algorithm="sha256").hexdigest()


def grouped(code: str) -> str:
    """How a code is printed and read aloud: two groups of five."""
    return f"{code[:5]}-{code[5:]}"
