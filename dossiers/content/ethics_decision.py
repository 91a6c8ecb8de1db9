"""师德处理决定书: the written decision in a teacher-ethics case (DOMAIN §6, regulations.md §5).

Contents: the teacher, the facts found (and evidence), the procedure (statement and defence heard, hearing),
which of the 11 violation kinds of the 2018 办法 第四条 it is, the basis articles, the sanction with its period
(start and end dates), other measures (取消…资格 for ≥ 24 months), the effects during the period, and the
remedies with their deadlines (复核 within 30 days of receipt; 申诉 within 30 days of the review answer; the
sanction is not suspended meanwhile), issuing authority and date.

Periods: teachers (2018 办法 第三条) 警告 6, 记过 12, 降低岗位等级 or 撤职 24 months; managerial staff (政务处分)
警告 6, 记过 12, 记大过 18, 降级 or 撤职 24; 开除 has no period. A longer period (a new sanction inside a running
one adds up) may be given, at most 48 months. Raises ValueError (Chinese) when a required part is missing,
when neither a sanction nor another measure is given, or when a hearing the teacher asked for was not held
before a sanction of 降低岗位等级 or heavier.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from .appointment_notice import document_number
from .support import Fields, cn_date, cn_month, cn_ordinal, date_pair, period_end

RULES_2018 = "《中小学教师违反职业道德行为处理办法（2018年修订）》"
VIOLATIONS = (
    N_("在教育教学活动中及其他场合有损害党中央权威、违背党的路线方针政策的言行"),
    N_("损害国家利益、社会公共利益，或违背社会公序良俗"),
    N_("通过课堂、论坛、讲座、信息网络及其他渠道发表、转发错误观点，或编造散布虚假信息、不良信息"),
    N_("违反教学纪律，敷衍教学，或擅自从事影响教育教学本职工作的兼职兼薪行为"),
    N_("歧视、侮辱学生，虐待、伤害学生"),
    N_("在教育教学活动中遇突发事件、面临危险时，不顾学生安危，擅离职守，自行逃离"),
    N_("与学生发生不正当关系，有任何形式的猥亵、性骚扰行为"),
    N_("在招生、考试、推优、保送及绩效考核、岗位聘用、职称评聘、评优评奖等工作中徇私舞弊、弄虚作假"),
    N_(
        "索要、收受学生及家长财物或参加由学生及家长付费的宴请、旅游、娱乐休闲等活动，向学生推销图书报刊、"
        "教辅材料、社会保险或利用家长资源谋取私利"
    ),
    N_("组织、参与有偿补课，或为校外培训机构和他人介绍生源、提供相关信息"),
    N_("其他违反职业道德的行为"),
)
TEACHER, MANAGER = "专业技术人员", "管理人员"
PERIODS = {
    TEACHER: {"警告": 6, "记过": 12, "降低岗位等级": 24, "撤职": 24, "开除": None},
    MANAGER: {"警告": 6, "记过": 12, "记大过": 18, "降级": 24, "撤职": 24, "开除": None},
}
HEAVY = {"降低岗位等级", "降级", "撤职", "开除"}  # a requested hearing must be held (2018 办法 第五条)
EFFECTS = {
    "警告": N_("处分期内，年度考核不得确定为优秀等次，不得聘用到高于现聘岗位等级的岗位。"),
    "记过": N_(
        "处分期内，不得聘用到高于现聘岗位等级的岗位，不得参加职称评审；受处分当年度年度考核只写评语，不确定等次。"
    ),
    "记大过": N_("处分期内，不得晋升职务、岗位等级和职称，不得晋升薪酬待遇等级。"),
    "降低岗位等级": N_(
        "降低一个以上岗位等级聘用；处分期内，不得聘用到高于现聘岗位等级的岗位，不得参加职称评审；"
        "受处分当年度及第二年度年度考核只写评语，不确定等次。"
    ),
    "降级": N_("降低职员等级和薪酬待遇等级；处分期内，不得晋升职务、岗位等级和职称。"),
    "撤职": N_("撤销所任职务，降低岗位等级或职员等级；处分期内，不得晋升职务、岗位等级和职称。"),
    "开除": N_("自本决定生效之日起解除人事关系。"),
}
VETO_LINE = N_("处分期内，按照师德一票否决的规定，不得评优评先、申报职称评审、提拔任用，不得列入后备干部人选。")
OTHER_MEASURES = ("批评教育", "诫勉谈话", "责令检查", "通报批评", "取消资格")
DISQUALIFICATIONS = ("评奖评优", "职务晋升", "职称评定", "岗位聘用", "工资晋级", "申报人才计划")
MIN_DISQUALIFICATION_MONTHS = 24
MAX_CUMULATIVE_MONTHS = 48


def _teacher(f: Fields) -> dict:
    t = f.mapping("teacher", "当事教师")
    y, m = t.month("birth", "出生年月")
    teacher = {
        "name": t.text("name", "姓名"),
        "sex": t.sex(),
        "birth_text": cn_month(y, m),
        "unit": t.text("unit", "工作单位"),
        "post": t.text("post", "岗位（职务）"),
        "title": t.text("title", "专业技术职务", required=False),
        "political_status": t.text("political_status", "政治面貌", required=False),
    }
    t.done()
    parts = [teacher["name"], teacher["sex"], _("%(m)s生") % {"m": teacher["birth_text"]}]
    parts += [p for p in (teacher["political_status"], teacher["unit"] + teacher["post"], teacher["title"]) if p]
    teacher["line"] = "，".join(parts) + "。"
    return teacher


def _other_measures(f: Fields, start) -> list[dict]:
    measures = []
    for item in f.items("other_measures", "其他处理", required=False):
        measure = item.choice("measure", "处理方式", OTHER_MEASURES)
        scopes = item.strings("scopes", "取消资格范围", required=measure == "取消资格")
        months = item.integer("months", "期限（月）", required=measure == "取消资格", minimum=1)
        item.done()
        if measure != "取消资格":
            measures.append({"measure": measure, "text": measure})
            continue
        unknown = [s for s in scopes if s not in DISQUALIFICATIONS]
        if unknown:
            raise item.error(
                _("取消资格范围应为%(a)s：%(u)s") % {"a": "、".join(DISQUALIFICATIONS), "u": "、".join(unknown)}
            )
        if months < MIN_DISQUALIFICATION_MONTHS:
            raise item.error(_("取消资格的期限不得少于%(n)d个月") % {"n": MIN_DISQUALIFICATION_MONTHS})
        end = period_end(start, months)
        text = _("取消其在%(s)s方面的资格%(n)d个月（自%(a)s至%(b)s）") % {
            "s": "、".join(scopes),
            "n": months,
            "a": cn_date(start),
            "b": cn_date(end),
        }
        measures.append({"measure": measure, "text": text, "start": date_pair(start), "end": date_pair(end)})
    return measures


def build_ethics_decision(**data) -> dict:
    """Content of the 师德处理决定书."""
    f = Fields(data)
    authority = f.text("authority", "决定机关")
    masthead = f.text("masthead", "发文机关标志", required=False) or _("%(a)s文件") % {"a": authority}
    number = document_number(f, required=False)
    day = f.date("date", "决定日期")
    effective = f.date("effective_on", "生效日期", required=False) or day
    if effective < day:
        raise f.error(_("生效日期不能早于决定日期"))
    decided_by = f.text("decided_by", "研究决定的会议")
    teacher = _teacher(f)
    facts = f.paragraphs("facts", "查明的事实")
    evidence = f.strings("evidence", "证据", required=False)
    violation = f.integer("violation", "违反职业道德行为类型（第四条第几项）", minimum=1, maximum=len(VIOLATIONS))
    staff_kind = f.choice("staff_kind", "人员类别", (TEACHER, MANAGER), default=TEACHER)
    sanction = f.choice("sanction", "处分种类", PERIODS[staff_kind], required=False)
    period_months = f.integer("period_months", "处分期（月）", required=False, minimum=1, maximum=MAX_CUMULATIVE_MONTHS)
    others = _other_measures(f, effective)
    if not sanction and not others:
        raise f.error(_("应至少给出一种处分或其他处理"))

    statement_on = f.date("statement_on", "听取陈述申辩日期")
    hearing_requested = f.boolean("hearing_requested")
    hearing_on = f.date("hearing_on", "听证日期", required=False)
    if hearing_requested and sanction in HEAVY and not hearing_on:
        raise f.error(_("当事教师要求听证，拟给予%(s)s处分的，应当先举行听证") % {"s": sanction})
    for when, label in ((statement_on, _("听取陈述申辩")), (hearing_on, _("听证"))):
        if when and when > day:
            raise f.error(_("%(l)s日期不能晚于决定日期") % {"l": label})

    basis = f.strings("basis", "处理依据", required=False)
    review_body = f.text("review_body", "复核机关", required=False) or authority
    appeal_body = f.text("appeal_body", "申诉机关")
    review_days = f.integer("review_days", "复核申请期限（日）", default=30, minimum=1)
    appeal_days = f.integer("appeal_days", "申诉期限（日）", default=30, minimum=1)
    cc = f.strings("cc", "抄送", required=False)
    f.done()

    default_months = PERIODS[staff_kind].get(sanction) if sanction else None
    if period_months and sanction in ("", "开除"):
        raise f.error(_("只有警告、记过等有期限的处分才有处分期"))
    if period_months and default_months and period_months < default_months:
        raise f.error(_("%(s)s的处分期不得少于%(n)d个月") % {"s": sanction, "n": default_months})
    months = period_months or default_months
    item = cn_ordinal(violation)
    if not basis:
        basis = [_("%(r)s第三条、第四条第（%(i)s）项") % {"r": RULES_2018, "i": item}]
    name = teacher["name"]

    period = None
    if sanction and months:
        end = period_end(effective, months)
        period = {"months": months, "start": date_pair(effective), "end": date_pair(end)}
        sanction_line = _("给予%(n)s同志%(s)s处分，处分期%(m)d个月（自%(a)s至%(b)s）") % {
            "n": name,
            "s": sanction,
            "m": months,
            "a": cn_date(effective),
            "b": cn_date(end),
        }
    elif sanction:
        sanction_line = _("给予%(n)s同志开除处分") % {"n": name}
    else:
        sanction_line = ""
    simple = [m["measure"] for m in others if m["measure"] != "取消资格"]
    decision_parts = [sanction_line] if sanction_line else []
    if simple:
        decision_parts.append(_("对其%(m)s") % {"m": "、".join(simple)})
    decision_parts += [m["text"] for m in others if m["measure"] == "取消资格"]
    decision_line = _("根据%(basis)s的规定，经%(by)s研究，决定%(what)s。") % {
        "basis": "、".join(basis),
        "by": decided_by,
        "what": "；".join(decision_parts),
    }
    procedure = _("%(date)s，本机关听取了%(n)s同志的陈述和申辩，并告知其享有要求听证的权利。") % {
        "date": cn_date(statement_on),
        "n": name,
    }
    if hearing_on:
        procedure += _("应其要求，于%(d)s举行了听证。") % {"d": cn_date(hearing_on)}
    elif hearing_requested:
        procedure += _("其要求听证，本决定不属于应当听证的情形。")
    else:
        procedure += _("其未要求听证。")
    effects = [_(EFFECTS[sanction])] if sanction else []
    if sanction and sanction != "开除":
        effects.append(_(VETO_LINE))
    if sanction:
        title = _("关于给予%(n)s同志%(s)s处分的决定") % {"n": name, "s": sanction}
    else:
        named = [m["measure"] for m in others if m["measure"] != "取消资格"] or [_("取消相关资格")]
        title = _("关于对%(n)s同志%(w)s的决定") % {"n": name, "w": "、".join(named)}
    return {
        "title": title,
        "authority": authority,
        "masthead": masthead,
        "doc_number": number,
        "teacher": teacher,
        "facts": facts,
        "evidence_line": (_("以上事实，有%(e)s等证据证实。") % {"e": "、".join(evidence)}) if evidence else "",
        "procedure": procedure,
        "violation": {"item": violation, "item_text": item, "text": _(VIOLATIONS[violation - 1])},
        "finding_line": _("%(n)s同志的上述行为，属于%(r)s第四条第（%(i)s）项“%(t)s”的情形。")
        % {
            "n": name,
            "r": RULES_2018,
            "i": item,
            "t": _(VIOLATIONS[violation - 1]),
        },
        "basis": basis,
        "staff_kind": staff_kind,
        "sanction": sanction,
        "period": period,
        "other_measures": others,
        "decision_line": decision_line,
        "effects": effects,
        "remedy_lines": [
            _(
                "如对本决定不服，可以自收到本决定书之日起%(d)d日内向%(b)s申请复核；对复核决定不服的，可以自收到复核决定之日起%(a)d日内向%(c)s提出申诉。"
            )
            % {"d": review_days, "b": review_body, "a": appeal_days, "c": appeal_body},
            _("复核、申诉期间，不停止本决定的执行。"),
        ],
        "review_body": review_body,
        "appeal_body": appeal_body,
        "review_days": review_days,
        "appeal_days": appeal_days,
        "date": day.isoformat(),
        "date_text": cn_date(day),
        "effective_on": effective.isoformat(),
        "cc_text": "，".join(cc),
    }
