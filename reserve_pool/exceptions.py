"""Why a reserve-pool action was refused: a Chinese message, a stable code and, for rule refusals, every reason.

All are `cadres.refusals.Refusal`s, answered by the one API exception handler: `ReserveRefused` (the rules,
the state or the input say no; HTTP 409), `ReservePermissionDenied` (role, scope or recusal; HTTP 403),
`ReserveConflict` (someone else changed the entry first; HTTP 409).
"""

from __future__ import annotations

from cadres.refusals import Refusal


class ReserveError(Refusal):
    """The message is the whole sentence; `reasons` are its breakdown (each rule's refusal), not more lines."""

    status_code = 409

    def __init__(self, message, *, code: str, reasons: list[str] | None = None, params: dict | None = None):
        super().__init__(message, code, params)
        self.reasons = [str(r) for r in reasons] if reasons else [self.detail]

    def full_text(self) -> str:
        return self.detail

    @property
    def messages(self) -> list[str]:
        return list(self.reasons)


class ReserveRefused(ReserveError):
    status_code = 409


class ReservePermissionDenied(ReserveError):
    status_code = 403


class ReserveConflict(ReserveError):
    status_code = 409
