"""竞聘成绩汇总及排名: composite scores and ranking of a mid-level competition (DOMAIN §5.3, regulations.md §4).

Rules (all from the school's 实施方案, passed in): with at least `trim_min_judges` judges (default 5, local)
one highest and one lowest speech score are dropped — the first occurrence of each, marked on the sheet — and
the rest averaged; the speech mean is rounded half-up to 2 decimals before weighting so that the trace can be
checked by hand. Composite = Σ score × weight% (weights sum to 100), rounded half-up to 2 decimals. Ranking
per post is deterministic: composite, then speech mean, then democratic evaluation, then performance, all
descending; candidates equal on every key share a rank and are listed by their draw number. Each row carries
its calculation trace. Raises ValueError (Chinese) on a missing score, a score out of range, or weights not
summing to 100.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from .support import Fields, cn_date, dense_ranks, fmt_decimal, fmt_plain, fmt_points, round_half_up, to_decimal

COMPONENTS = (("speech", "演讲答辩"), ("evaluation", "民主测评"), ("performance", "工作业绩"))
HUNDRED = Decimal(100)


def _weights(f: Fields) -> dict[str, Decimal]:
    w = f.mapping("weights", "成绩权重")
    weights = {key: w.decimal(key, label, maximum=100) for key, label in COMPONENTS}
    w.done()
    if sum(weights.values()) != HUNDRED:
        raise f.error(_("各项权重之和应为100%%，现为%(s)s%%") % {"s": fmt_plain(sum(weights.values()))})
    if weights["speech"] == 0:
        raise f.error(_("演讲答辩权重不能为0"))
    return weights


def _speech(scores: list[Decimal], judges: list[str], trim: bool) -> tuple[Decimal, list[dict], str]:
    dropped: dict[int, str] = {}
    if trim:
        hi = max(range(len(scores)), key=lambda i: (scores[i], -i))
        lo = min((i for i in range(len(scores)) if i != hi), key=lambda i: (scores[i], i))
        dropped = {hi: "high", lo: "low"}
    kept = [s for i, s in enumerate(scores) if i not in dropped]
    mean = round_half_up(sum(kept, Decimal(0)) / len(kept), 2)
    cells = [{"text": fmt_points(s), "dropped": dropped.get(i, "")} for i, s in enumerate(scores)]
    if trim:
        trace = _("去掉最高分%(h)s（%(hj)s）、最低分%(l)s（%(lj)s），其余%(n)d个分数平均%(m)s") % {
            "h": fmt_points(scores[hi]),
            "hj": judges[hi],
            "l": fmt_points(scores[lo]),
            "lj": judges[lo],
            "n": len(kept),
            "m": fmt_decimal(mean),
        }
    else:
        trace = _("%(n)d个分数平均%(m)s") % {"n": len(kept), "m": fmt_decimal(mean)}
    return mean, cells, trace


def _candidate(item: Fields, judges: list[str], trim: bool, weights: dict[str, Decimal], default_post: str) -> dict:
    name = item.text("name", "姓名")
    number = item.integer("number", "演讲序号", minimum=1)
    post = item.text("post", "竞聘岗位", required=not default_post) or default_post
    current_post = item.text("current_post", "现任岗位", required=False)
    raw = item.raw("speech_scores")
    if not isinstance(raw, list | tuple) or len(raw) != len(judges):
        raise item.error(_("演讲答辩应有%(n)d位评委的分数") % {"n": len(judges)})
    scores = [
        to_decimal(value, _("%(j)s评分") % {"j": judge}, maximum=100, where=item.where)
        for judge, value in zip(judges, raw, strict=True)
    ]
    evaluation = item.decimal("evaluation", "民主测评成绩", maximum=100)
    performance = item.decimal("performance", "工作业绩成绩", maximum=100)
    item.done()
    mean, cells, speech_trace = _speech(scores, judges, trim)
    parts = {"speech": mean, "evaluation": evaluation, "performance": performance}
    composite = round_half_up(sum((parts[k] * weights[k] / HUNDRED for k, _label in COMPONENTS), Decimal(0)), 2)
    formula = " + ".join(f"{fmt_decimal(parts[k])}×{fmt_plain(weights[k])}%" for k, _label in COMPONENTS if weights[k])
    trace = _("演讲答辩：%(speech)s；综合成绩 = %(formula)s = %(c)s") % {
        "speech": speech_trace,
        "formula": formula,
        "c": fmt_decimal(composite),
    }
    return {
        "name": name,
        "number": number,
        "post": post,
        "current_post": current_post,
        "scores": cells,
        "speech": fmt_decimal(mean),
        "evaluation": fmt_decimal(evaluation),
        "performance": fmt_decimal(performance),
        "composite": fmt_decimal(composite),
        "trace": trace,
        "_key": (composite, mean, evaluation, performance),
    }


def build_competition_ranking(**data) -> dict:
    """Content of the 竞聘成绩汇总及排名表 (one table per post)."""
    f = Fields(data)
    competition = f.text("competition", "竞聘名称")
    organization = f.text("organization", "单位")
    default_post = f.text("post", "竞聘岗位", required=False)
    day = f.date("date", "汇总日期")
    judges = f.strings("judges", "评委")
    if len(set(judges)) != len(judges):
        raise f.error(_("评委名称重复"))
    trim_min = f.integer("trim_min_judges", "去高去低的最少评委数", default=5, minimum=3)
    trim = len(judges) >= trim_min
    weights = _weights(f)
    shortlist = f.integer("shortlist", "每岗位进入考察人数", required=False, minimum=1)
    rows = [_candidate(item, judges, trim, weights, default_post) for item in f.items("candidates", "竞聘人")]
    counter = f.text("counter", "统计人", required=False)
    supervisor = f.text("supervisor", "监督人", required=False)
    f.done()
    numbers = [r["number"] for r in rows]
    if len(set(numbers)) != len(numbers):
        raise f.error(_("演讲序号重复"))

    groups = []
    for post in dict.fromkeys(r["post"] for r in rows):
        members = sorted(
            (r for r in rows if r["post"] == post), key=lambda r: (tuple(-k for k in r["_key"]), r["number"])
        )
        for row, rank in zip(members, dense_ranks([r["_key"] for r in members]), strict=True):
            row["rank"] = rank
            row["shortlisted"] = shortlist is not None and rank <= shortlist
            del row["_key"]
        groups.append({"post": post, "rows": members})

    weight_text = " + ".join(
        _("%(label)s×%(w)s%%") % {"label": label, "w": fmt_plain(weights[key])}
        for key, label in COMPONENTS
        if weights[key]
    )
    if trim:
        trim_text = _("评委%(n)d人，去掉一个最高分和一个最低分后取平均分（表中加删除线者为去掉的分数）。") % {
            "n": len(judges)
        }
    else:
        trim_text = _("评委%(n)d人（少于%(m)d人），取全部分数的平均分。") % {"n": len(judges), "m": trim_min}
    return {
        "title": _("%(c)s成绩汇总及排名表") % {"c": competition},
        "competition": competition,
        "organization": organization,
        "date": day.isoformat(),
        "date_text": cn_date(day),
        "judges": judges,
        "trimmed": trim,
        "weights": {key: fmt_plain(weights[key]) for key, _label in COMPONENTS},
        "formula_line": _("综合成绩 = %(w)s，保留两位小数。") % {"w": weight_text},
        "trim_line": trim_text,
        "tie_line": _("综合成绩相同时，依次比较演讲答辩、民主测评、工作业绩成绩，均相同者名次并列。"),
        "shortlist": shortlist,
        "shortlist_line": (_("每个岗位排名前%(n)d位者进入组织考察（表中标“★”）。") % {"n": shortlist})
        if shortlist
        else "",
        "groups": groups,
        "counter": counter,
        "supervisor": supervisor,
    }
