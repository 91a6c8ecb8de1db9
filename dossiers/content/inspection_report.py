"""考察材料: the inspection report, in the three parts the 条例 requires (regulations.md §1.4).

Parts: (一) 德、能、勤、绩、廉 performance and strengths; (二) shortcomings; (三) recommendation and evaluation
figures, written as "共X人参加，推荐他的X票，占X%，居第X位" and the 民主测评 counts. The results of the four
checks (凡提四必) follow when given. Guarantees: all five performance aspects and the shortcomings are present
(a report without shortcomings is refused), the team has at least two members, figures are consistent.
Raises ValueError with a Chinese message otherwise.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from .support import Fields, cn_date, cn_month, cn_ordinal, percent, pronoun

METHODS = ("会议推荐", "谈话调研推荐")
ASPECTS = (
    ("morality", "德", N_("政治素质和道德品行")),
    ("ability", "能", N_("履职能力")),
    ("diligence", "勤", N_("工作作风和敬业精神")),
    ("achievement", "绩", N_("工作实绩")),
    ("integrity", "廉", N_("廉洁自律")),
)
CHECKS = ("档案审核", "个人有关事项报告查核", "纪检监察机关意见", "信访举报核查")


def _recommendation(item: Fields, he: str) -> dict:
    method = item.choice("method", "推荐方式", METHODS)
    participants = item.integer("participants", "参加人数", minimum=1)
    valid = item.integer("valid", "有效票", required=False, default=participants)
    votes = item.integer("votes", "得票")
    rank = item.integer("rank", "名次", minimum=1)
    item.done()
    if valid > participants:
        raise item.error(_("有效票（%(v)d）多于参加人数（%(p)d）") % {"v": valid, "p": participants})
    if votes > valid:
        raise item.error(_("得票（%(v)d）多于有效票（%(n)d）") % {"v": votes, "n": valid})
    share = percent(votes, valid)
    sentence = _("%(method)s共%(p)d人参加，推荐%(he)s的%(v)d票，占%(s)s%%，居第%(r)d位。") % {
        "method": method,
        "p": participants,
        "he": he,
        "v": votes,
        "s": share,
        "r": rank,
    }
    return {
        "method": method,
        "participants": participants,
        "votes": votes,
        "share": share,
        "rank": rank,
        "sentence": sentence,
    }


def _evaluation(f: Fields) -> dict:
    participants = f.integer("participants", "参加人数", minimum=1)
    labels = ("优秀", "称职", "基本称职", "不称职")
    keys = ("excellent", "competent", "basic", "incompetent")
    counts = [f.integer(key, label) for key, label in zip(keys, labels, strict=True)]
    f.done()
    if sum(counts) > participants:
        raise f.error(_("测评票合计（%(m)d）多于参加人数（%(p)d）") % {"m": sum(counts), "p": participants})
    favourable = counts[0] + counts[1]
    parts = "、".join(_("“%(g)s”%(n)d票") % {"g": g, "n": n} for g, n in zip(labels, counts, strict=True))
    abstained = participants - sum(counts)
    sentence = _("民主测评共%(p)d人参加，评价%(parts)s%(abst)s，“优秀”和“称职”票占%(s)s%%。") % {
        "p": participants,
        "parts": parts,
        "abst": (_("，弃权%(n)d票") % {"n": abstained}) if abstained else "",
        "s": percent(favourable, participants),
    }
    return {
        "participants": participants,
        "counts": dict(zip(labels, counts, strict=True)),
        "favourable_share": percent(favourable, participants),
        "sentence": sentence,
    }


def build_inspection_report(**data) -> dict:
    """Content of "×××同志考察材料"."""
    f = Fields(data)
    name = f.text("name", "姓名")
    sex = f.sex()
    birth = f.month("birth", "出生年月")
    current_post = f.text("current_post", "现任职务")
    proposed_post = f.text("proposed_post", "拟任职务")
    authorised_by = f.text("authorised_by", "考察组派出机关")
    start = f.date("start", "考察开始日期")
    end = f.date("end", "考察结束日期")
    if end < start:
        raise f.error(_("考察结束日期早于开始日期"))
    talks = f.integer("talks", "个别谈话人数", minimum=1)
    he = pronoun(sex)

    performance = f.mapping("performance", "德能勤绩廉表现")
    aspects = [
        {
            "number": cn_ordinal(i),
            "letter": letter,
            "heading": _(heading),
            "paragraphs": performance.paragraphs(key, _(heading)),
        }
        for i, (key, letter, heading) in enumerate(ASPECTS, 1)
    ]
    specialties = performance.paragraphs("specialties", "主要特长", required=False)
    performance.done()
    shortcomings = f.paragraphs("shortcomings", "主要缺点和不足")
    recommendations = [_recommendation(item, he) for item in f.items("recommendations", "民主推荐情况")]
    evaluation = _evaluation(f.mapping("evaluation", "民主测评情况"))

    checks = []
    for item in f.items("checks", "凡提四必", required=False):
        check = item.choice("item", "事项", CHECKS)
        result = item.text("result", "结果")
        item.done()
        checks.append({"item": check, "result": result})
    opinion = f.paragraphs("opinion", "考察组意见", required=False)

    leader = f.text("team_leader", "考察组组长")
    members = f.strings("team_members", "考察组成员")
    if len({leader, *members}) < 2:
        raise f.error(_("考察组应由两名以上成员组成"))
    day = f.date("date", "成文日期")
    f.done()

    y, m = birth
    span = cn_date(start) if start == end else _("%(a)s至%(b)s") % {"a": cn_date(start), "b": cn_date(end)}
    intro = _(
        "根据%(by)s安排，考察组于%(span)s对%(name)s同志进行了考察。考察采取个别谈话、民主测评、查阅档案和有关资料等方式，"
        "共个别谈话%(talks)d人。%(name)s，%(sex)s，%(birth)s生，现任%(cur)s，拟任%(prop)s。现将考察情况报告如下："
    ) % {
        "by": authorised_by,
        "span": span,
        "name": name,
        "talks": talks,
        "sex": sex,
        "birth": cn_month(y, m),
        "cur": current_post,
        "prop": proposed_post,
    }
    return {
        "title": _("%(name)s同志考察材料") % {"name": name},
        "name": name,
        "sex": sex,
        "birth_text": cn_month(y, m),
        "current_post": current_post,
        "proposed_post": proposed_post,
        "intro": intro,
        "aspects": aspects,
        "specialties": specialties,
        "specialties_number": cn_ordinal(len(ASPECTS) + 1),
        "shortcomings": shortcomings,
        "recommendations": recommendations,
        "evaluation": evaluation,
        "checks": checks,
        "opinion": opinion,
        "talks": talks,
        "team_leader": leader,
        "team_members": [m for m in members if m != leader],
        "date": day.isoformat(),
        "date_text": cn_date(day),
        "confidentiality": _("内部资料 注意保密"),
    }
