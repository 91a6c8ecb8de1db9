"""竞聘成绩汇总及排名: composite scores and ranking of a mid-level competition (DOMAIN §5.3, regulations.md §4).

Rules (all from the school's 实施方案, passed in): with at least `trim_min_judges` judges (default 5, local)
one highest and one lowest speech score are dropped — the first occurrence of each, marked on the sheet — and
the rest averaged; the speech mean is rounded half-up to 2 decimals before weighting so that the trace can be
checked by hand. Composite = Σ score × weight% (weights sum to 100), rounded half-up to 2 decimals. Ranking
per post is deterministic: composite, then speech mean, then democratic evaluation, then performance, all
descending; candidates equal on every key share a rank and are listed by their draw number. Each row carries
its calculation trace. Raises ValueError (Chinese) on a missing score, a score out of range, or weights not
summing to 100.

Optional inputs for a competition whose posts differ (all compatible with the plain form above):
- `posts`: [{"name", "judges", "shortlist"}] — each post's own panel (trimming is then decided per post by the
  size of its panel) and number sent to inspection; candidates are matched to it by `post`, and draw numbers
  need only be unique within a post.
- `tie_break`: the plan's keys in order (speech / evaluation / performance / years_of_teaching / number); the
  draw number is always the last key, so ranks are then unique, and a tied candidate's trace says how the tie
  was broken. Candidates then carry `years_of_teaching` when that key is used.
- `speech_max`: the full mark of a judge's sheet when the plan's criteria do not add up to 100.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from .support import Fields, cn_date, dense_ranks, fmt_decimal, fmt_plain, fmt_points, round_half_up, to_decimal

COMPONENTS = (("speech", "演讲答辩"), ("evaluation", "民主测评"), ("performance", "工作业绩"))
HUNDRED = Decimal(100)
# The tie-break keys a plan may name, with their printed labels (the same codes as the competition workflow).
TIE_LABELS = {
    "speech": "演讲答辩成绩",
    "evaluation": "民主测评成绩",
    "performance": "工作业绩成绩",
    "years_of_teaching": "教龄",
    "number": "抽签序号",
}
PLAIN_TIE_KEYS = ("speech", "evaluation", "performance")


def read_weights(f: Fields) -> dict[str, Decimal]:
    """The `weights` mapping (speech, evaluation, performance in %): each 0–100, summing to 100, speech > 0."""
    w = f.mapping("weights", "成绩权重")
    weights = {key: w.decimal(key, label, maximum=100) for key, label in COMPONENTS}
    w.done()
    if sum(weights.values()) != HUNDRED:
        raise f.error(_("各项权重之和应为100%%，现为%(s)s%%") % {"s": fmt_plain(sum(weights.values()))})
    if weights["speech"] == 0:
        raise f.error(_("演讲答辩权重不能为0"))
    return weights


def read_tie_break(f: Fields) -> tuple[str, ...] | None:
    """The plan's `tie_break` keys with the draw number appended when missing; None when not given."""
    keys = f.strings("tie_break", "同分排序依据", required=False)
    if not keys:
        return None
    unknown = [k for k in keys if k not in TIE_LABELS]
    if unknown:
        raise f.error(_("未知的同分排序依据：%(k)s") % {"k": "、".join(unknown)})
    if len(set(keys)) != len(keys):
        raise f.error(_("同分排序依据重复"))
    return tuple(keys) if "number" in keys else (*keys, "number")


def tie_sentence(keys: tuple[str, ...] | None) -> str:
    """How equal composites are ordered, in words."""
    if keys is None:
        return _("综合成绩相同时，依次比较演讲答辩、民主测评、工作业绩成绩，均相同者名次并列。")
    higher = [TIE_LABELS[k] for k in keys[: keys.index("number")]]
    if not higher:
        return _("综合成绩相同时，按抽签序号（小者在前）排序。")
    return _("综合成绩相同时，依次比较%(keys)s（高者在前），仍相同的按抽签序号（小者在前）排序。") % {
        "keys": "、".join(higher)
    }


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


class _Panel:
    """One post's judges and the rules that follow from them."""

    def __init__(self, post: str, judges: list[str], trim_min: int, shortlist: int | None):
        self.post, self.judges, self.shortlist = post, judges, shortlist
        self.trim = len(judges) >= trim_min


def _panels(f: Fields, trim_min: int, shortlist: int | None) -> tuple[list[str], dict[str, _Panel]]:
    """Top-level judges (may be empty when every listed post has its own) and the per-post panels."""
    listed = f.items("posts", "竞聘岗位", required=False)
    judges = f.strings("judges", "评委", required=not listed)
    _check_judges(f, judges)
    panels: dict[str, _Panel] = {}
    for item in listed:
        name = item.text("name", "岗位名称")
        own = item.strings("judges", "评委", required=not judges) or judges
        _check_judges(item, own)
        post_shortlist = item.integer("shortlist", "进入考察人数", required=False, minimum=1)
        item.done()
        if name in panels:
            raise f.error(_("竞聘岗位重复：%(p)s") % {"p": name})
        panels[name] = _Panel(name, own, trim_min, post_shortlist if post_shortlist is not None else shortlist)
    return judges, panels


def _check_judges(f: Fields, judges: list[str]) -> None:
    if len(set(judges)) != len(judges):
        raise f.error(_("评委名称重复"))


def _candidate(
    item: Fields,
    panels: dict[str, _Panel],
    default: _Panel | None,
    weights: dict[str, Decimal],
    default_post: str,
    keys: tuple[str, ...] | None,
    speech_max: Decimal,
) -> dict:
    name = item.text("name", "姓名")
    number = item.integer("number", "演讲序号", minimum=1)
    post = item.text("post", "竞聘岗位", required=not default_post) or default_post
    panel = panels.get(post) or (None if panels else default)
    if panel is None:
        raise item.error(_("竞聘岗位“%(p)s”不在岗位列表中") % {"p": post})
    current_post = item.text("current_post", "现任岗位", required=False)
    years = item.integer("years_of_teaching", "教龄", required=bool(keys and "years_of_teaching" in keys))
    raw = item.raw("speech_scores")
    judges = panel.judges
    if not isinstance(raw, list | tuple) or len(raw) != len(judges):
        raise item.error(_("演讲答辩应有%(n)d位评委的分数") % {"n": len(judges)})
    scores = [
        to_decimal(value, _("%(j)s评分") % {"j": judge}, maximum=speech_max, where=item.where)
        for judge, value in zip(judges, raw, strict=True)
    ]
    evaluation = item.decimal("evaluation", "民主测评成绩", maximum=100)
    performance = item.decimal("performance", "工作业绩成绩", maximum=100)
    item.done()
    mean, cells, speech_trace = _speech(scores, judges, panel.trim)
    parts = {"speech": mean, "evaluation": evaluation, "performance": performance}
    composite = round_half_up(sum((parts[k] * weights[k] / HUNDRED for k, _label in COMPONENTS), Decimal(0)), 2)
    formula = " + ".join(f"{fmt_decimal(parts[k])}×{fmt_plain(weights[k])}%" for k, _label in COMPONENTS if weights[k])
    trace = _("演讲答辩：%(speech)s；综合成绩 = %(formula)s = %(c)s") % {
        "speech": speech_trace,
        "formula": formula,
        "c": fmt_decimal(composite),
    }
    row = {
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
        "_values": {**parts, "composite": composite, "number": number, "years_of_teaching": years or 0},
    }
    if years is not None:
        row["years_of_teaching"] = years
    return row


def _rank_key(row: dict, keys: tuple[str, ...]) -> tuple:
    v = row["_values"]
    return (-v["composite"], *(v[k] if k == "number" else -v[k] for k in keys))


def _shown(row: dict, key: str) -> str:
    value = row["_values"][key]
    return fmt_decimal(value) if isinstance(value, Decimal) else str(value)


def _explain_ties(members: list[dict], keys: tuple[str, ...]) -> None:
    labels = "、".join(TIE_LABELS[k] for k in keys)
    for row in members:
        tied = [r["name"] for r in members if r is not row and r["composite"] == row["composite"]]
        if tied:
            own = "，".join(f"{TIE_LABELS[k]}{_shown(row, k)}" for k in keys)
            row["trace"] += _("；与%(o)s综合成绩同为%(c)s，依次比较%(k)s（本人：%(own)s），列第%(r)d名") % {
                "o": "、".join(tied),
                "c": row["composite"],
                "k": labels,
                "own": own,
                "r": row["rank"],
            }


def _judges_line(panels: list[_Panel], trim_min: int) -> str:
    def sentence(panel: _Panel) -> str:
        if panel.trim:
            return _("评委%(n)d人，去掉一个最高分和一个最低分后取平均分") % {"n": len(panel.judges)}
        return _("评委%(n)d人（少于%(m)d人），取全部分数的平均分") % {"n": len(panel.judges), "m": trim_min}

    if len({len(p.judges) for p in panels}) <= 1:
        panel = panels[0]
        if panel.trim:
            return _("评委%(n)d人，去掉一个最高分和一个最低分后取平均分（表中加删除线者为去掉的分数）。") % {
                "n": len(panel.judges)
            }
        return _("评委%(n)d人（少于%(m)d人），取全部分数的平均分。") % {"n": len(panel.judges), "m": trim_min}
    line = "；".join(f"{p.post}{sentence(p)}" for p in panels) + "。"
    if any(p.trim for p in panels):
        line += _("表中加删除线者为去掉的分数。")
    return line


def _shortlist_line(panels: list[_Panel]) -> str:
    counts = {p.shortlist for p in panels}
    if counts == {None}:
        return ""
    if len(counts) == 1:
        return _("每个岗位排名前%(n)d位者进入组织考察（表中标“★”）。") % {"n": panels[0].shortlist}
    listed = "、".join(_("%(p)s前%(n)d位") % {"p": p.post, "n": p.shortlist} for p in panels if p.shortlist)
    return _("进入组织考察人选：%(l)s（表中标“★”）。") % {"l": listed}


def build_competition_ranking(**data) -> dict:
    """Content of the 竞聘成绩汇总及排名表 (one table per post)."""
    f = Fields(data)
    competition = f.text("competition", "竞聘名称")
    organization = f.text("organization", "单位")
    default_post = f.text("post", "竞聘岗位", required=False)
    day = f.date("date", "汇总日期")
    trim_min = f.integer("trim_min_judges", "去高去低的最少评委数", default=5, minimum=3)
    shortlist = f.integer("shortlist", "每岗位进入考察人数", required=False, minimum=1)
    judges, panels = _panels(f, trim_min, shortlist)
    weights = read_weights(f)
    keys = read_tie_break(f)
    speech_max = f.decimal("speech_max", "演讲答辩满分", required=False, minimum=1) or HUNDRED
    default = _Panel(default_post, judges, trim_min, shortlist) if judges else None
    rows = [
        _candidate(item, panels, default, weights, default_post, keys, speech_max)
        for item in f.items("candidates", "竞聘人")
    ]
    counter = f.text("counter", "统计人", required=False)
    supervisor = f.text("supervisor", "监督人", required=False)
    f.done()
    # Draw numbers are unique per post when each post has its own panel (each post draws), else overall.
    for post in panels or [None]:
        numbers = [r["number"] for r in rows if post is None or r["post"] == post]
        if len(set(numbers)) != len(numbers):
            raise f.error(_("演讲序号重复"))

    order = list(panels) or list(dict.fromkeys(r["post"] for r in rows))
    groups, used = [], []
    rank_keys = keys or PLAIN_TIE_KEYS
    for post in order:
        panel = panels.get(post) or _Panel(post, judges, trim_min, shortlist)
        used.append(panel)
        members = sorted((r for r in rows if r["post"] == post), key=lambda r: (_rank_key(r, rank_keys), r["number"]))
        for row, rank in zip(members, dense_ranks([_rank_key(r, rank_keys) for r in members]), strict=True):
            row["rank"] = rank
            row["shortlisted"] = panel.shortlist is not None and rank <= panel.shortlist
        if keys:
            _explain_ties(members, keys)
        for row in members:
            del row["_values"]
        groups.append(
            {
                "post": post,
                "judges": panel.judges,
                "trimmed": panel.trim,
                "shortlist": panel.shortlist,
                "rows": members,
            }
        )

    weight_text = " + ".join(
        _("%(label)s×%(w)s%%") % {"label": label, "w": fmt_plain(weights[key])}
        for key, label in COMPONENTS
        if weights[key]
    )
    all_judges = judges or list(dict.fromkeys(j for p in used for j in p.judges))
    return {
        "title": _("%(c)s成绩汇总及排名表") % {"c": competition},
        "competition": competition,
        "organization": organization,
        "date": day.isoformat(),
        "date_text": cn_date(day),
        "judges": all_judges,
        "trimmed": any(p.trim for p in used),
        "weights": {key: fmt_plain(weights[key]) for key, _label in COMPONENTS},
        "formula_line": _("综合成绩 = %(w)s，保留两位小数。") % {"w": weight_text},
        "trim_line": _judges_line(used, trim_min) if used else "",
        "tie_line": tie_sentence(keys),
        "tie_break": list(keys) if keys else [],
        "shortlist": shortlist,
        "shortlist_line": _shortlist_line(used) if used else "",
        "groups": groups,
        "counter": counter,
        "supervisor": supervisor,
    }
