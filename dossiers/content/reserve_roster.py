"""后备干部名册: the list of reserve cadres a filter selected (DOMAIN §4), landscape, one row per entry.

Guarantees: rows are numbered in the order given (the caller sorts); ages are whole years at `as_of` as given;
the summary counts rows by kind (正职/副职后备), by horizon (近期/中长期) and women, with the near-term share as a
percentage of the rows; training hours are printed plainly. The title says 在库 only when every row is an
admitted entry (`pool_only`). Raises ValueError (Chinese) on a missing field or an empty list.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from .support import Fields, cn_date, fmt_plain, percent

KINDS = ("正职后备", "副职后备")
TERMS = ("近期可提拔使用", "中长期培养")


def _row(item: Fields, number: int) -> dict:
    row = {
        "number": number,
        "name": item.text("name", "姓名"),
        "sex": item.sex(),
        "birth": item.text("birth", "出生年月"),
        "age": item.integer("age", "年龄", minimum=16, maximum=80),
        "unit": item.text("unit", "工作单位"),
        "current_post": item.text("current_post", "现任职务"),
        "education": item.text("education", "学历", required=False) or "—",
        "title": item.text("title", "职称", required=False) or "—",
        "political_status": item.text("political_status", "政治面貌"),
        "kind": item.choice("kind", "后备类别", KINDS),
        "target": item.text("target", "拟培养方向"),
        "horizon": item.choice("horizon", "使用期限", TERMS),
        "origin": item.text("origin", "推荐方式"),
        "state": item.text("state", "状态"),
    }
    admitted = item.date("admitted_on", "入库日期", required=False)
    valid_until = item.date("valid_until", "有效期至", required=False)
    row["admitted_on"] = f"{admitted:%Y.%m.%d}" if admitted else "—"
    row["valid_until"] = f"{valid_until:%Y.%m.%d}" if valid_until else "—"
    row["training_hours"] = fmt_plain(item.decimal("training_hours", "本年度培训学时", required=False) or Decimal(0))
    item.done()
    return row


def build_reserve_roster(**data) -> dict:
    """Content of one 后备干部名册."""
    f = Fields(data)
    issuer = f.text("issuer", "编制单位")
    scope = f.text("scope", "名册范围", required=False)
    as_of = f.date("as_of", "统计日期")
    day = f.date("date", "编制日期")
    pool_only = f.boolean("pool_only")
    rows = [_row(item, n) for n, item in enumerate(f.items("rows", "后备干部"), start=1)]
    f.done()
    total = len(rows)
    heads = sum(1 for r in rows if r["kind"] == KINDS[0])
    near = sum(1 for r in rows if r["horizon"] == TERMS[0])
    women = sum(1 for r in rows if r["sex"] == "女")
    summary = _(
        "共%(total)d人，其中正职后备%(heads)d人、副职后备%(deputies)d人；近期可提拔使用%(near)d人（占%(share)s%%）、"
        "中长期培养%(long)d人；女性%(women)d人。"
    ) % {
        "total": total,
        "heads": heads,
        "deputies": total - heads,
        "near": near,
        "share": percent(near, total),
        "long": total - near,
        "women": women,
    }
    return {
        "title": _("后备干部名册（在库）") if pool_only else _("后备干部名册"),
        "issuer": issuer,
        "scope": scope,
        "as_of_text": cn_date(as_of),
        "date_text": cn_date(day),
        "rows": rows,
        "summary": summary,
        "confidentiality": _("内部资料 注意保密"),
    }
