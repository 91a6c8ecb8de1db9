"""Gates asked at the moment a decisive step acts: the ethics veto and the step's date.

Every decisive step of a selection workflow (讨论决定, 任职, 试用期满, a competition's decision and
appointment, an adjustment decision) asks these as of the step's own date, not the date of an earlier
step: a sanction recorded after shortlisting must still stop the decision and the appointment. The
workflow raises its own refusal error with the returned reasons; nothing here writes.

Which veto purposes each gate asks (`cadres.ethics.purposes.VetoPurpose`):
- principal selection 讨论决定 and 任职: SHORTLISTING (the shortlist's own check, with the rule set), and
  POST_PROMOTION when the post is higher than every post the person holds (`is_promotion`);
- principal selection 试用期满 (confirmation only; a reversion is never refused): POST_PROMOTION;
- competition decision and appointment: COMPETITION_REGISTRATION (the registration's own check, with the
  rule set) and POST_PROMOTION (竞聘上岗 is 岗位聘用);
- competition 试用期满 (confirmation only): POST_PROMOTION;
- adjustment decision: none (a removal or demotion is what a sanction leads to, not what it blocks);
- reserve pool admission: RESERVE_ENTRY (already asked there), use: RESERVE_ENTRY, as its shortlisting.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.ethics.veto import veto_status
from cadres.step_dates import step_date_refusal


def today() -> dt.date:
    """Today's date for the gates (one place, so a test can move it)."""
    return timezone.localdate()


def veto_reasons(person, *, purposes, on: dt.date) -> list[str]:
    """One Chinese sentence per blocking record for any of `purposes` on `on`, each naming the record and
    the last day it blocks ("师德一票否决：受记过处理（…），影响期至…（含），期间不得…"); empty = not blocked."""
    reasons: list[str] = []
    for purpose in purposes:
        veto = veto_status(person, purpose=purpose, on=on)
        if veto.blocked:
            reasons += [_("师德一票否决：%(s)s") % {"s": hit.sentence} for hit in veto.hits]
    return list(dict.fromkeys(reasons))


def date_refusal(day: dt.date, *, step: str, after: dt.date | None = None, after_step: str = "", today=None):
    """Why `day` may not be the date of `step` — after today ("future_date": the registry would show it at
    once) or before `after`, the date of `after_step` ("before_previous_step") — as (Chinese message, code),
    or None. The one rule of `cadres.step_dates`, with the steps' names."""
    return step_date_refusal(
        day,
        what=_("%(step)s日期") % {"step": step},
        today=today or globals()["today"](),
        after=after,
        after_what=_("%(step)s日期") % {"step": after_step},
    )
