"""Why a reserve-pool action was refused: a Chinese message, a stable code and, for rule refusals, every reason.

`ReserveRefused` (the rules, the state or the input say no; HTTP 400), `ReservePermissionDenied` (role, scope
or recusal; HTTP 403), `ReserveConflict` (someone else changed the entry first; HTTP 409).
"""

from __future__ import annotations


class ReserveError(Exception):
    status_code = 400

    def __init__(self, message, *, code: str, reasons: list[str] | None = None):
        self.message = str(message)
        self.code = code
        self.reasons = [str(r) for r in reasons] if reasons else [self.message]
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class ReserveRefused(ReserveError):
    status_code = 400


class ReservePermissionDenied(ReserveError):
    status_code = 403


class ReserveConflict(ReserveError):
    status_code = 409
