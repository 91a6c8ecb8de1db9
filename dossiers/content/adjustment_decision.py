"""干部职务调整决定 (能上能下): the decision removing, demoting or keeping a mid-level cadre (DOMAIN §5).

Prints the person and the post held, what started the case (trigger) and its grounds, the person's statement —
or that none was made — the meeting that decided (name, date, members due and present, votes for), the
outcome (免去职务; 降职使用 with the new post; 不予调整), the effective date and the remedy. Guarantees: the
meeting had a quorum (present ≥ ⌈2/3 × due⌉) and a removal or demotion had more than half of the members
due in favour (the rule of `workflows.common.voting`); a demotion names its new post and nothing else does.
Dates are printed as recorded, not checked against one another: the workflow records the meeting's date as
typed and the statement and decision on the day they are entered, so a check here could refuse a decision the
workflow already took. Raises ValueError (Chinese) otherwise, or on a missing or unknown field.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .appointment_notice import DOC_NUMBER, document_number
from .support import Fields, ceil_fraction, cn_date, cn_month

REMOVE, DEMOTE, KEEP = "remove", "demote", "keep"
OUTCOMES = {
    REMOVE: REMOVE,
    DEMOTE: DEMOTE,
    KEEP: KEEP,
    "免去职务": REMOVE,
    "免职": REMOVE,
    "降职使用": DEMOTE,
    "降职": DEMOTE,
    "不予调整": KEEP,
}
OUTCOME_LABELS = {REMOVE: "免去职务", DEMOTE: "降职使用", KEEP: "不予调整"}


def _sentence(text: str) -> str:
    """A paragraph as printed: closed with a full stop when it has no closing punctuation."""
    return text if text[-1] in "。！？；”.!?" else text + "。"


def _meeting(f: Fields) -> dict:
    m = f.mapping("meeting", "研究会议")
    name = m.text("name", "会议名称")
    day = m.date("date", "会议日期")
    due = m.integer("due", "应到人数", minimum=1)
    present = m.integer("present", "实到人数", minimum=1)
    agree = m.integer("agree", "同意票数")
    disagree = m.integer("disagree", "不同意票数", default=0)
    defer = m.integer("defer", "缓议票数", default=0)
    m.done()
    if present > due:
        raise m.error(_("实到人数（%(p)d）多于应到人数（%(d)d）") % {"p": present, "d": due})
    needed = ceil_fraction(due, 2, 3)
    if present < needed:
        raise m.error(
            _("应到%(d)d人，实到%(p)d人，不足%(n)d人，不能研究人事事项") % {"d": due, "p": present, "n": needed}
        )
    if agree + disagree + defer > present:
        raise m.error(_("表决票数之和（%(v)d）多于实到人数（%(p)d）") % {"v": agree + disagree + defer, "p": present})
    return {
        "name": name,
        "date": day,
        "due": due,
        "present": present,
        "agree": agree,
        "disagree": disagree,
        "defer": defer,
        "quorum": needed,
    }


def build_adjustment_decision(**data) -> dict:
    """Content of the 干部职务调整决定."""
    f = Fields(data)
    issuer = f.text("issuer", "决定单位")
    masthead = f.text("masthead", "发文机关标志", required=False) or _("%(i)s文件") % {"i": issuer}
    number = document_number(f, required=False)
    addressee = f.text("addressee", "主送", required=False)
    person = f.mapping("person", "调整对象")
    name = person.text("name", "姓名")
    sex = person.sex(required=False)
    birth = person.month("birth", "出生年月", required=False)
    person.done()
    current_post = f.text("current_post", "现任职务")
    since = f.month("since", "任现职时间", required=False)
    trigger = f.text("trigger", "启动原因")
    grounds = [_sentence(p) for p in f.paragraphs("grounds", "调整理由")]
    statement = f.paragraphs("statement", "本人陈述", required=False)
    statement_on = f.date("statement_on", "陈述日期", required=False)
    meeting = _meeting(f)
    outcome = OUTCOMES[f.choice("outcome", "决定", OUTCOMES)]
    new_post = f.text("new_post", "降任职务", required=False)
    effective = f.date("effective", "生效日期", required=outcome != KEEP)
    day = f.date("date", "决定日期")
    cc = f.strings("cc", "抄送", required=False)
    f.done()

    if statement_on and not statement:
        raise f.error(_("有陈述日期而无陈述内容"))
    if outcome == DEMOTE and not new_post:
        raise f.error(_("降职使用须写明降任的职务"))
    if outcome != DEMOTE and new_post:
        raise f.error(_("只有降职使用才有降任职务"))
    if new_post and new_post == current_post:
        raise f.error(_("降任职务不能与现任职务相同"))
    if outcome != KEEP and 2 * meeting["agree"] <= meeting["due"]:
        raise f.error(
            _("同意%(a)d票，未超过应到会人数%(d)d人的半数，不能作出调整决定")
            % {"a": meeting["agree"], "d": meeting["due"]}
        )
    if number and int(DOC_NUMBER.match(number).group("year")) != day.year:
        raise f.error(_("发文字号的年份应与决定日期一致"))

    facts = [name]
    if sex:
        facts.append(sex)
    if birth:
        facts.append(_("%(m)s生") % {"m": cn_month(*birth)})
    person_line = "，".join(facts) + "，" + _("现任%(p)s") % {"p": current_post}
    if since:
        person_line += _("（%(m)s起任现职）") % {"m": cn_month(*since)}
    person_line += "。"
    if statement:
        when = cn_date(statement_on) if statement_on else ""
        statement_line = _("%(when)s%(n)s同志本人作了陈述，陈述内容如下：") % {
            "when": when + "，" if when else "",
            "n": name,
        }
    else:
        statement_line = _("%(n)s同志在规定期限内未作陈述。") % {"n": name}
    votes = _("会议应到%(d)d人，实到%(p)d人，同意%(a)d票、不同意%(x)d票、缓议%(f)d票。") % {
        "d": meeting["due"],
        "p": meeting["present"],
        "a": meeting["agree"],
        "x": meeting["disagree"],
        "f": meeting["defer"],
    }
    meeting_line = _("%(date)s，%(m)s对该事项进行了研究。") % {"date": cn_date(meeting["date"]), "m": meeting["name"]}
    if outcome == REMOVE:
        title = _("关于免去%(n)s同志%(p)s职务的决定") % {"n": name, "p": current_post}
        decision = _("经研究，决定免去%(n)s同志%(p)s职务。") % {"n": name, "p": current_post}
    elif outcome == DEMOTE:
        title = _("关于%(n)s同志职务调整的决定") % {"n": name}
        decision = _("经研究，决定免去%(n)s同志%(p)s职务，降职任%(q)s。") % {
            "n": name,
            "p": current_post,
            "q": new_post,
        }
    else:
        title = _("关于%(n)s同志不予调整职务的决定") % {"n": name}
        decision = _("经研究，决定对%(n)s同志不予调整职务，继续担任%(p)s。") % {"n": name, "p": current_post}
    effective_line = (_("本决定自%(d)s起执行。") % {"d": cn_date(effective)}) if effective else ""
    remedy = (
        _("%(n)s同志如对本决定不服，可以按照有关规定申请复核或者提出申诉；复核、申诉期间，不停止本决定的执行。")
        % {"n": name}
        if outcome != KEEP
        else ""
    )
    return {
        "title": title,
        "issuer": issuer,
        "masthead": masthead,
        "doc_number": number,
        "addressee": addressee,
        "name": name,
        "current_post": current_post,
        "person_line": person_line,
        "trigger": trigger,
        "trigger_line": _("因%(t)s，学校党组织依据干部能上能下的有关规定，对%(n)s同志提出职务调整意见。")
        % {"t": trigger, "n": name},
        "grounds": grounds,
        "statement": statement,
        "statement_made": bool(statement),
        "statement_on": statement_on.isoformat() if statement_on else "",
        "statement_line": statement_line,
        "meeting": {**meeting, "date": meeting["date"].isoformat(), "date_text": cn_date(meeting["date"])},
        "meeting_line": meeting_line + votes,
        "outcome": outcome,
        "outcome_label": OUTCOME_LABELS[outcome],
        "new_post": new_post,
        "decision_line": decision,
        "effective": effective.isoformat() if effective else "",
        "effective_line": effective_line,
        "remedy_line": remedy,
        "cc_text": "，".join(cc),
        "date": day.isoformat(),
        "date_text": cn_date(day),
    }
