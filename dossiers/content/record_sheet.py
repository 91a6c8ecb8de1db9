"""干部选拔任用工作纪实表: one case's full record, printed from its audit events (DOMAIN §9, regulations.md §8.4).

Each step prints with its time, who acted (and for whom), the state change, the figures (votes, attendance,
dates of letters and replies), the documents (title, version, verification code), the reason, and the first
characters of the event hash so a printed sheet can be matched to the tamper-evident trail. Events are printed
in time order whatever order they come in (equal times keep the given order). Raises ValueError (Chinese)
when a step lacks its time, name or actor.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .support import Fields, cn_date, cn_datetime

HASH_PREFIX = 12


def _pairs(f: Fields, key: str, label: str) -> list[dict]:
    """Figures given as {label: value} or [[label, value], …], kept in the given order."""
    value = f.raw(key)
    if value in (None, {}, []):
        return []
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list | tuple) and all(isinstance(p, list | tuple) and len(p) == 2 for p in value):
        items = [tuple(p) for p in value]
    else:
        raise f.error(_("“%(l)s”应为“名称：数值”的列表") % {"l": label})
    return [{"label": str(k), "value": str(v)} for k, v in items]


def _event(item: Fields, index: int) -> dict:
    at = item.datetime("at", "时间")
    step = item.text("step", "环节")
    actor = item.text("actor", "经办人")
    acting_for = item.text("acting_for", "代表", required=False)
    from_state = item.text("from_state", "原状态", required=False)
    to_state = item.text("to_state", "新状态", required=False)
    reason = item.text("reason", "理由", required=False)
    figures = _pairs(item, "figures", "数据")
    documents = []
    for doc in item.items("documents", "材料", required=False):
        title = doc.text("title", "材料名称")
        version = doc.integer("version", "版本", required=False, minimum=1)
        code = doc.text("code", "验证码", required=False)
        doc.done()
        suffix = []
        if version:
            suffix.append(_("第%(v)d版") % {"v": version})
        if code:
            suffix.append(_("验证码%(c)s") % {"c": code})
        documents.append(title + (f"（{'，'.join(suffix)}）" if suffix else ""))
    digest = item.text("hash", "哈希", required=False)
    item.done()
    transition = ""
    if from_state or to_state:
        transition = f"{from_state or '—'} → {to_state or '—'}"
    return {
        "_sort": (at.replace(tzinfo=None), index),
        "at_text": cn_datetime(at),
        "step": step,
        "actor": actor if not acting_for else _("%(a)s（代%(f)s）") % {"a": actor, "f": acting_for},
        "transition": transition,
        "figures": figures,
        "documents": documents,
        "reason": reason,
        "hash": digest[:HASH_PREFIX],
    }


def build_record_sheet(**data) -> dict:
    """Content of the 纪实表 of one selection case."""
    f = Fields(data)
    case = f.mapping("case", "案件信息")
    title = case.text("title", "事项")
    ref = case.text("ref", "编号")
    unit = case.text("unit", "单位")
    post = case.text("post", "职位")
    method = case.text("method", "选拔方式")
    started_on = case.date("started_on", "启动日期")
    rule_set = case.text("rule_set", "适用规则", required=False)
    case.done()
    events = [_event(item, i) for i, item in enumerate(f.items("events", "纪实记录"))]
    summary = _pairs(f, "summary", "关键数据")
    chain = f.mapping("chain", "审计链校验", required=False)
    chain_line = ""
    if chain.data:
        verified = chain.boolean("verified")
        checked = chain.integer("checked", "校验条数", default=0)
        chain_line = (
            _("审计链校验通过（共校验%(n)d条记录，每条记录含前一条记录的哈希）。") % {"n": checked}
            if verified
            else _("审计链校验未通过，请核查。")
        )
    chain.done()
    prepared_by = f.text("prepared_by", "填表人")
    day = f.date("date", "填表日期")
    f.done()
    events.sort(key=lambda e: e["_sort"])
    for number, event in enumerate(events, 1):
        event["number"] = number
        del event["_sort"]
    return {
        "title": _("干部选拔任用工作纪实表"),
        "case": {
            "title": title,
            "ref": ref,
            "unit": unit,
            "post": post,
            "method": method,
            "started_on_text": cn_date(started_on),
            "rule_set": rule_set,
        },
        "events": events,
        "summary": summary,
        "chain_line": chain_line,
        "prepared_by": prepared_by,
        "date": day.isoformat(),
        "date_text": cn_date(day),
        "confidentiality": _("内部资料 注意保密"),
    }
