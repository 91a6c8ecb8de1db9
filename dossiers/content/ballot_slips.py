"""投票凭证（一次性投票码）: the slips an officer prints, cuts apart and hands out, one per voter due.

Guarantees: every slip given is present, once, in the order given (the caller orders them by category); each
carries the round, organization, category, date, its code grouped for reading ("ABCDE FGHJK") and the
address its QR code encodes, `vote_url + code + "/"`, so a voter who scans lands on their own code's page.
The QR image itself is drawn at render time from that address (`ballot_tags.qr_svg`), which keeps the
stored content small and the picture a pure function of it. Raises ValueError (Chinese) when a field is
missing, the address is not an absolute http(s) URL, a code is malformed, or a code appears twice.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from .support import Fields, cn_date

CODE_PATTERN = re.compile(r"^[A-Za-z0-9]{6,32}$")
MAX_SLIPS = 5000  # far above any school's 应到; a bound, so a runaway caller cannot ask for a million pages
SLIPS_PER_PAGE = 10  # 2 × 5 on A4 (see ballot_slips.html)


def group_code(code: str) -> str:
    """The code in groups for reading aloud and typing: fives when the length allows, else fours."""
    size = 5 if len(code) % 5 == 0 else 4
    return " ".join(code[i : i + size] for i in range(0, len(code), size))


def slip_url(vote_url: str, code: str) -> str:
    return f"{vote_url}{code}/"


def _vote_url(f: Fields) -> str:
    url = f.text("vote_url", "投票网址", max_length=200)
    if not re.match(r"^https?://[^\s/?#]+(/[^\s?#]*)?$", url):
        raise f.error(_("“投票网址”应为以 http:// 或 https:// 开头的完整网址：%(url)s") % {"url": url})
    return url if url.endswith("/") else url + "/"


def build_ballot_slips(
    *, title: str, organization: str, kind_label: str, held_on: dt.date | str, vote_url: str, slips: list[dict]
) -> dict:
    """Content of the slips document for one round: one entry per slip, in print order."""
    f = Fields(
        {
            "title": title,
            "organization": organization,
            "kind_label": kind_label,
            "held_on": held_on,
            "vote_url": vote_url,
            "slips": slips,
        }
    )
    round_title = f.text("title", "投票名称", max_length=200)
    org = f.text("organization", "单位")
    label = f.text("kind_label", "投票类别")
    day = f.date("held_on", "投票日期")
    url = _vote_url(f)
    items = f.items("slips", "投票码")
    f.done()
    if len(items) > MAX_SLIPS:
        raise f.error(_("投票码不能超过%(n)d个") % {"n": MAX_SLIPS})
    rows, seen, categories = [], set(), {}
    for n, item in enumerate(items, 1):
        code = item.text("code", "投票码")
        category = item.text("category", "类别", max_length=60)
        item.done()
        if not CODE_PATTERN.match(code):
            raise item.error(_("投票码应为6至32位字母或数字"))
        if code in seen:
            raise item.error(_("投票码重复：%(code)s") % {"code": code})
        seen.add(code)
        categories[category] = categories.get(category, 0) + 1
        rows.append(
            {
                "number": n,
                "code": code,
                "code_text": group_code(code),
                "category": category,
                "url": slip_url(url, code),
            }
        )
    return {
        "title": _("%(title)s投票凭证") % {"title": round_title},
        "round_title": round_title,
        "organization": org,
        "kind_label": label,
        "date": day.isoformat(),
        "date_text": cn_date(day),
        "vote_url": url,
        "instruction": _("扫码或访问 %(url)s 输入投票码；每码仅可使用一次") % {"url": url},
        "slips": rows,
        "categories": [{"category": c, "count": k} for c, k in categories.items()],
        "total": len(rows),
        "per_page": SLIPS_PER_PAGE,
        "cut_note": _("沿虚线裁开，每人一张；投票码相当于选票，请妥善保管，发放后不登记领取人。"),
        "confidentiality": _("机密"),
    }
