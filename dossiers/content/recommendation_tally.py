"""推荐票统计表: the figures of 谈话调研推荐 and 会议推荐 (DOMAIN §3.2, regulations.md §1.2).

Guarantees: per round, voters by category with due/attended totals; 会议推荐 attendance checked against the
threshold (default ≥ 2/3 of those due, local); per candidate the votes (by category when given), the share
of valid ballots and a rank where equal votes share a place. Raises ValueError (Chinese) when a figure is
missing or impossible (attended > due, votes > valid ballots, more votes in total than ballots × posts).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .support import Fields, ceil_fraction, cn_date, dense_ranks, percent

METHODS = ("谈话调研推荐", "会议推荐")
MEETING = "会议推荐"


def _voters(f: Fields) -> list[dict]:
    rows = []
    for item in f.items("voters", "参加人员类别"):
        category = item.text("category", "类别")
        due = item.integer("due", "应参加人数")
        attended = item.integer("attended", "实参加人数")
        item.done()
        if attended > due:
            raise item.error(_("实参加人数（%(a)d）不能多于应参加人数（%(d)d）") % {"a": attended, "d": due})
        rows.append({"category": category, "due": due, "attended": attended, "rate": percent(attended, due)})
    names = [r["category"] for r in rows]
    if len(set(names)) != len(names):
        raise f.error(_("参加人员类别重复"))
    return rows


def _candidates(f: Fields, categories: list[dict], valid: int, posts: int) -> list[dict]:
    by_category = {c["category"]: c["attended"] for c in categories}
    rows = []
    for item in f.items("candidates", "被推荐人"):
        name = item.text("name", "姓名")
        post = item.text("current_post", "现任职务", required=False)
        split = item.mapping("votes_by_category", "分类得票", required=False)
        votes = item.integer("votes", "得票", required=not split.data)
        item.done()
        cells = []
        if split.data:
            unknown = set(split.data) - set(by_category)
            if unknown:
                raise item.error(_("分类得票中有未列出的类别：%(c)s") % {"c": "、".join(sorted(unknown))})
            for category, attended in by_category.items():
                n = split.integer(category, category, default=0)
                if n > attended:
                    raise item.error(
                        _("“%(c)s”得票（%(n)d）多于该类实参加人数（%(a)d）") % {"c": category, "n": n, "a": attended}
                    )
                cells.append(n)
            split.done()
            if votes is not None and votes != sum(cells):
                raise item.error(_("得票合计（%(v)d）与分类得票之和（%(s)d）不符") % {"v": votes, "s": sum(cells)})
            votes = sum(cells)
        if votes > valid:
            raise item.error(_("得票（%(v)d）多于有效票（%(n)d）") % {"v": votes, "n": valid})
        rows.append({"name": name, "current_post": post, "votes": votes, "by_category": cells})
    if sum(r["votes"] for r in rows) > valid * posts:
        raise f.error(_("得票总数多于有效票数与职数之积，请核对"))
    rows.sort(key=lambda r: -r["votes"])  # stable: equal votes keep the order given
    for row, rank in zip(rows, dense_ranks([r["votes"] for r in rows]), strict=True):
        row["rank"] = rank
        row["share"] = percent(row["votes"], valid)
    return rows


def _round(f: Fields, posts: int, threshold: tuple[int, int]) -> dict:
    method = f.choice("method", "推荐方式", METHODS)
    day = f.date("date", "推荐日期")
    place = f.text("place", "地点", required=False)
    voters = _voters(f)
    due = sum(v["due"] for v in voters)
    attended = sum(v["attended"] for v in voters)
    ballots = f.mapping("ballots", "票数", required=False)
    issued = ballots.integer("issued", "发出票数", default=attended)
    returned = ballots.integer("returned", "收回票数", default=issued)
    valid = ballots.integer("valid", "有效票数", default=returned)
    ballots.done()
    if not valid <= returned <= issued:
        raise f.error(_("票数应满足：有效票 ≤ 收回票 ≤ 发出票"))
    if issued > attended:
        raise f.error(_("发出票数（%(i)d）多于实参加人数（%(a)d）") % {"i": issued, "a": attended})
    candidates = _candidates(f, voters, valid, posts)
    f.done()
    needed = ceil_fraction(due, *threshold) if method == MEETING else 0
    attendance_ok = attended >= needed
    if method == MEETING:
        attendance_line = _(
            "应到%(due)d人，实到%(att)d人，到会率%(rate)s%%；按规定实到人数不少于%(needed)d人，%(verdict)s。"
        ) % {
            "due": due,
            "att": attended,
            "rate": percent(attended, due),
            "needed": needed,
            "verdict": _("符合规定") if attendance_ok else _("不符合规定，推荐无效"),
        }
    else:
        attendance_line = _("应谈话%(due)d人，实谈话%(att)d人。") % {"due": due, "att": attended}
    return {
        "method": method,
        "date": day.isoformat(),
        "date_text": cn_date(day),
        "place": place,
        "voters": voters,
        "categories": [v["category"] for v in voters],
        "split_by_category": any(c["by_category"] for c in candidates),
        "due": due,
        "attended": attended,
        "attendance_rate": percent(attended, due),
        "attendance_needed": needed,
        "attendance_ok": attendance_ok,
        "attendance_line": attendance_line,
        "ballots": {"issued": issued, "returned": returned, "valid": valid},
        "ballots_line": _("发出推荐票%(i)d张，收回%(r)d张，其中有效票%(v)d张。")
        % {"i": issued, "r": returned, "v": valid},
        "candidates": candidates,
    }


def build_recommendation_tally(**data) -> dict:
    """Content of the 推荐票统计表 for one post; `rounds` holds one entry per recommendation form."""
    f = Fields(data)
    organization = f.text("organization", "推荐单位")
    post = f.text("post", "推荐职位")
    posts = f.integer("posts", "职数", default=1, minimum=1)
    numerator = f.integer("attendance_numerator", "到会比例分子", default=2, minimum=1)
    denominator = f.integer("attendance_denominator", "到会比例分母", default=3, minimum=1)
    if numerator > denominator:
        raise f.error(_("到会比例不能大于1"))
    rounds = [_round(item, posts, (numerator, denominator)) for item in f.items("rounds", "推荐环节")]
    counter = f.text("counter", "计票人", required=False)
    scrutineer = f.text("scrutineer", "监票人", required=False)
    issuer = f.text("issuer", "统计单位", required=False)
    day = f.date("date", "统计日期")
    f.done()
    return {
        "title": _("%(org)s%(post)s民主推荐票统计表") % {"org": organization, "post": post},
        "organization": organization,
        "post": post,
        "posts": posts,
        "rounds": rounds,
        "counter": counter,
        "scrutineer": scrutineer,
        "issuer": issuer,
        "date": day.isoformat(),
        "date_text": cn_date(day),
        "note": _("推荐结果作为选拔任用的重要参考，在一年内有效；不简单以推荐票取人。"),
        "confidentiality": _("内部资料 注意保密"),
    }
