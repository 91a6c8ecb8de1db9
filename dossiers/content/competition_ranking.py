"""竞聘成绩汇总及排名: the ranking sheet of a mid-level competition (DOMAIN §5.3, regulations.md §4).

The ranking is computed once, by the competition workflow's scoring step, and stored on each registration;
this sheet only prints those stored figures: each judge's sheet total (the dropped highest and lowest marked
as stored), the speech score after trimming, democratic evaluation, performance, composite, rank, the
shortlist mark and the stored calculation trace. Nothing is trimmed, weighted or ranked here: the plan's
weights, trimming threshold and tie-break keys are only put into words. Raises ValueError (Chinese) on a
missing or malformed value.

Inputs: `judges` (or per post, `posts`: [{"name", "judges", "shortlist"}] — each post's own panel and number
sent to inspection), `weights`, `trim_min_judges`, `tie_break` and `speech_max` (the full mark of a judge's
sheet, default 100) from the plan; per candidate `name`, `number`, `post`, `current_post`, `speech_scores`
(one per judge of the post's panel), `dropped` ({judge: "high" / "low"}), `speech`, `evaluation`,
`performance`, `composite`, `rank`, `shortlisted` and `trace` (the stored sentences).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from .support import Fields, cn_date, fmt_decimal, fmt_plain, fmt_points, to_decimal

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
DROPPED = ("high", "low")


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


class _Panel:
    """One post's judges and shortlist; `trim`: whether its stored scores mark dropped ones (set from the rows)."""

    def __init__(self, post: str, judges: list[str], shortlist: int | None):
        self.post, self.judges, self.shortlist = post, judges, shortlist
        self.trim = False


def _panels(f: Fields, shortlist: int | None) -> tuple[list[str], dict[str, _Panel]]:
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
        panels[name] = _Panel(name, own, post_shortlist if post_shortlist is not None else shortlist)
    return judges, panels


def _check_judges(f: Fields, judges: list[str]) -> None:
    if len(set(judges)) != len(judges):
        raise f.error(_("评委名称重复"))


def _dropped(item: Fields, judges: list[str]) -> dict[str, str]:
    """The stored {judge: "high" / "low"} marks of the dropped speech scores (empty when none were dropped)."""
    marks = item.raw("dropped") or {}
    if not isinstance(marks, dict):
        raise item.error(_("“去掉的评分”应为评委与最高分/最低分的对应"))
    for judge, mark in marks.items():
        if judge not in judges:
            raise item.error(_("去掉的评分所属评委“%(j)s”不在本岗位评委中") % {"j": judge})
        if mark not in DROPPED:
            raise item.error(_("去掉的评分应标为最高分或最低分"))
    return dict(marks)


def _candidate(
    item: Fields, panels: dict[str, _Panel], default: _Panel | None, default_post: str, speech_max: Decimal
) -> dict:
    """One candidate's stored figures, formatted for the sheet."""
    name = item.text("name", "姓名")
    number = item.integer("number", "演讲序号", minimum=1)
    post = item.text("post", "竞聘岗位", required=not default_post) or default_post
    panel = panels.get(post) or (None if panels else default)
    if panel is None:
        raise item.error(_("竞聘岗位“%(p)s”不在岗位列表中") % {"p": post})
    current_post = item.text("current_post", "现任岗位", required=False)
    raw = item.raw("speech_scores")
    judges = panel.judges
    if not isinstance(raw, list | tuple) or len(raw) != len(judges):
        raise item.error(_("演讲答辩应有%(n)d位评委的分数") % {"n": len(judges)})
    scores = [
        to_decimal(value, _("%(j)s评分") % {"j": judge}, maximum=speech_max, where=item.where)
        for judge, value in zip(judges, raw, strict=True)
    ]
    dropped = _dropped(item, judges)
    row = {
        "name": name,
        "number": number,
        "post": post,
        "current_post": current_post,
        "scores": [{"text": fmt_points(s), "dropped": dropped.get(j, "")} for j, s in zip(judges, scores, strict=True)],
        "speech": fmt_decimal(item.decimal("speech", "演讲答辩成绩", maximum=speech_max)),
        "evaluation": fmt_decimal(item.decimal("evaluation", "民主测评成绩", maximum=100)),
        "performance": fmt_decimal(item.decimal("performance", "工作业绩成绩", maximum=100)),
        "composite": fmt_decimal(item.decimal("composite", "综合成绩")),
        "rank": item.integer("rank", "名次", minimum=1),
        "shortlisted": item.boolean("shortlisted"),
        "trace": "；".join(item.strings("trace", "计算过程")) + "。",
    }
    item.done()
    return row


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
    judges, panels = _panels(f, shortlist)
    weights = read_weights(f)
    keys = read_tie_break(f)
    speech_max = f.decimal("speech_max", "演讲答辩满分", required=False, minimum=1) or HUNDRED
    default = _Panel(default_post, judges, shortlist) if judges else None
    rows = [_candidate(item, panels, default, default_post, speech_max) for item in f.items("candidates", "竞聘人")]
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
    for post in order:
        panel = panels.get(post) or _Panel(post, judges, shortlist)
        used.append(panel)
        # In the stored order: rank, then draw number (ranks are unique when the plan ends on the draw number).
        members = sorted((r for r in rows if r["post"] == post), key=lambda r: (r["rank"], r["number"]))
        panel.trim = any(s["dropped"] for r in members for s in r["scores"])
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
