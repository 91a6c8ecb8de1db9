"""电子投票计票结果: the count of an electronic 民主推荐 or 民主测评, written when the round is closed.

The counts come from the ballots app as they were stored at close; this builder checks them and lays them
out, it never recounts. Conventions (as on a paper 计票单): per category, `electronic` and `paper` are the
ballots received in each form, `invalid` (废票) is how many of those are invalid, so valid = electronic +
paper − invalid. Per candidate (recommendation) or grade (evaluation), `electronic`, `paper` and `total` are
votes and `share` is the percentage string the caller computed (e.g. "85.7"), printed as given.

Guarantees: categories appear in the order given with their totals; recommendation rows keep the order given
(which must be by total, highest first) and get competition ranks (equal totals share a place).
Raises ValueError (Chinese) when a figure is missing or impossible: more ballots than 应到, more 废票 than
ballots, a total that is not electronic + paper, more votes than valid ballots, rows out of order.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from .support import Fields, cn_date, cn_datetime, dense_ranks, percent

KINDS = {"recommendation": "民主推荐", "evaluation": "民主测评"}


def _share(item: Fields) -> str:
    value = item.raw("share")
    if value in (None, "") or isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise item.error(_("缺少“%(label)s”") % {"label": _("得票率")})
    return str(value)


def _votes(item: Fields, valid: int) -> dict:
    electronic = item.integer("electronic", "电子票")
    paper = item.integer("paper", "纸质票")
    total = item.integer("total", "合计")
    if total != electronic + paper:
        raise item.error(_("合计（%(t)d）不等于电子票与纸质票之和（%(s)d）") % {"t": total, "s": electronic + paper})
    if total > valid:
        raise item.error(_("得票（%(t)d）多于有效票（%(v)d）") % {"t": total, "v": valid})
    return {"electronic": electronic, "paper": paper, "total": total, "share": _share(item)}


def _categories(f: Fields) -> list[dict]:
    rows = []
    for item in f.items("categories", "参加人员类别"):
        name = item.text("name", "类别")
        due = item.integer("due", "应到人数")
        electronic = item.integer("electronic", "电子票")
        paper = item.integer("paper", "纸质票")
        invalid = item.integer("invalid", "废票")
        item.done()
        cast = electronic + paper
        if cast > due:
            raise item.error(_("收回票（%(c)d）多于应到人数（%(d)d）") % {"c": cast, "d": due})
        if invalid > cast:
            raise item.error(_("废票（%(i)d）多于收回票（%(c)d）") % {"i": invalid, "c": cast})
        rows.append(
            {
                "name": name,
                "due": due,
                "electronic": electronic,
                "paper": paper,
                "cast": cast,
                "invalid": invalid,
                "valid": cast - invalid,
                "turnout": percent(cast, due),
            }
        )
    names = [r["name"] for r in rows]
    if len(set(names)) != len(names):
        raise f.error(_("参加人员类别重复"))
    return rows


def _recommendation_rows(f: Fields, valid: int, seats: int) -> list[dict]:
    rows = []
    for item in f.items("results", "推荐结果"):
        name = item.text("name", "姓名")
        unit = item.text("unit", "单位职务", required=False)
        row = {"name": name, "unit": unit, **_votes(item, valid)}
        item.done()
        rows.append(row)
    totals = [r["total"] for r in rows]
    if totals != sorted(totals, reverse=True):
        raise f.error(_("推荐结果应按得票从高到低排列"))
    if sum(totals) > valid * seats:
        raise f.error(_("得票总数多于有效票数与应选人数之积，请核对"))
    for row, rank in zip(rows, dense_ranks(totals), strict=True):
        row["rank"] = rank
    return rows


def _evaluation_rows(f: Fields, valid: int) -> list[dict]:
    rows = []
    for item in f.items("results", "测评结果"):
        grade = item.text("grade", "等次")
        row = {"grade": grade, **_votes(item, valid)}
        item.done()
        rows.append(row)
    grades = [r["grade"] for r in rows]
    if len(set(grades)) != len(grades):
        raise f.error(_("测评等次重复"))
    if sum(r["total"] for r in rows) > valid:
        raise f.error(_("各等次票数之和多于有效票数，请核对"))
    return rows


def build_ballot_tally(
    *,
    title: str,
    organization: str,
    kind: str,
    held_on: dt.date | str,
    closed_at: dt.datetime | str,
    seats: int,
    categories: list[dict],
    results: list[dict],
    subject: str = "",
) -> dict:
    """Content of the 计票结果 of one closed round (recommendation or evaluation)."""
    f = Fields(
        {
            "title": title,
            "organization": organization,
            "kind": kind,
            "held_on": held_on,
            "closed_at": closed_at,
            "seats": seats,
            "categories": categories,
            "results": results,
            "subject": subject,
        }
    )
    round_title = f.text("title", "投票名称", max_length=200)
    org = f.text("organization", "单位")
    kind = f.choice("kind", "投票类别", KINDS)
    day = f.date("held_on", "投票日期")
    closed = f.datetime("closed_at", "结束时间")
    evaluation = kind == "evaluation"
    seats = f.integer("seats", "应选人数", minimum=0 if evaluation else 1)
    person = f.text("subject", "测评对象", required=evaluation)
    rows = _categories(f)
    due = sum(r["due"] for r in rows)
    electronic = sum(r["electronic"] for r in rows)
    paper = sum(r["paper"] for r in rows)
    invalid = sum(r["invalid"] for r in rows)
    cast = electronic + paper
    valid = cast - invalid
    results = _evaluation_rows(f, valid) if evaluation else _recommendation_rows(f, valid, seats)
    f.done()
    heading = _("民主测评（电子投票）计票结果") if evaluation else _("民主推荐（电子投票）计票结果")
    return {
        "title": _("%(title)s（电子投票）计票结果") % {"title": round_title},
        "heading": heading,
        "kind": kind,
        "kind_label": _("民主测评") if evaluation else _("民主推荐"),
        "round_title": round_title,
        "organization": org,
        "subject": person,
        "seats": seats,
        "date": day.isoformat(),
        "date_text": cn_date(day),
        "closed_at": closed.isoformat(),
        "closed_at_text": cn_datetime(closed),
        "categories": rows,
        "totals": {
            "due": due,
            "electronic": electronic,
            "paper": paper,
            "cast": cast,
            "invalid": invalid,
            "valid": valid,
            "turnout": percent(cast, due),
        },
        "summary_line": _(
            "应到%(due)d人，收回选票%(cast)d张（电子票%(e)d张，纸质票%(p)d张），其中废票%(i)d张，有效票%(v)d张。"
        )
        % {"due": due, "cast": cast, "e": electronic, "p": paper, "i": invalid, "v": valid},
        "results": results,
        "anonymity_note": _(
            "电子选票由投票人凭一次性投票码匿名提交：系统只记录投票码已使用，选票上不存投票码、投票人和投票时间，"
            "任何人都无法将选票与投票人对应。纸质票由计票人按张录入，单列为“纸质票”。"
        ),
        "count_note": _("收回票含废票，有效票＝电子票＋纸质票－废票；票数由系统在结束投票时统计，纸质票为录入数。"),
        "confidentiality": _("内部资料 注意保密"),
    }
