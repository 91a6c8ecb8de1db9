"""The 师德处理决定书 content of a case: the case data mapped onto `build_ethics_decision`.

Always built in Chinese (the letter is an official document, whatever the user's interface language).
Raises ValueError (Chinese message) when the builder refuses the data, e.g. a malformed document number.
"""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from cadres.choices import PoliticalStatus, TeacherTitle
from cadres.ethics.models import SanctionKind, SanctionRegime, Violation
from cadres.ethics.params import ethics_params
from cadres.models import Tenure, TitleHistory
from dossiers.content.ethics_decision import build_ethics_decision

from .models import DisqualificationScope, EthicsCase

# The builder names sanctions and measures by their Chinese words.
SANCTION_WORDS = {
    SanctionKind.WARNING: "警告",
    SanctionKind.DEMERIT: "记过",
    SanctionKind.MAJOR_DEMERIT: "记大过",
    SanctionKind.DEMOTION: "降级",
    SanctionKind.POST_GRADE_DEMOTION: "降低岗位等级",
    SanctionKind.REMOVAL_FROM_POST: "撤职",
    SanctionKind.EXPULSION: "开除",
}
MEASURE_WORDS = {
    SanctionKind.CRITICISM: "批评教育",
    SanctionKind.ADMONITION: "诫勉谈话",
    SanctionKind.ORDERED_REVIEW: "责令检查",
    SanctionKind.CIRCULATED_CRITICISM: "通报批评",
    SanctionKind.DISQUALIFICATION: "取消资格",
}
SCOPE_WORDS = {
    DisqualificationScope.AWARDS: "评奖评优",
    DisqualificationScope.PROMOTION: "职务晋升",
    DisqualificationScope.TITLE: "职称评定",
    DisqualificationScope.POST_HIRING: "岗位聘用",
}


def _teacher(case: EthicsCase, on: dt.date) -> dict:
    person = case.teacher
    current = Tenure.objects.filter(person=person, start_date__lte=on).filter(end_date__isnull=True)
    posts = [t.post.name for t in current.select_related("post")]
    post = "、".join(posts) or (f"{person.subject}教师" if person.subject else "教师")
    title = TitleHistory.objects.filter(person=person, obtained_on__lte=on).order_by("-obtained_on", "-id").first()
    return {
        "name": person.name,
        "sex": person.sex,
        "birth": person.birth_month.strftime("%Y-%m"),
        "unit": case.organization.name,
        "post": post,
        "title": str(TeacherTitle(title.title).label) if title else "",
        "political_status": str(PoliticalStatus(person.political_status).label) if person.political_status else "",
    }


def _measures(measures: list[dict]) -> list[dict]:
    items = []
    for m in measures:
        if m["kind"] == SanctionKind.DISQUALIFICATION:
            items.append(
                {
                    "measure": MEASURE_WORDS[m["kind"]],
                    "scopes": [SCOPE_WORDS[s] for s in m.get("scopes", [])],
                    "months": m.get("months"),
                }
            )
        else:
            items.append({"measure": MEASURE_WORDS[m["kind"]]})
    return items


def decision_letter_content(
    case: EthicsCase,
    *,
    kind: str,
    measures: list[dict],
    decided_on: dt.date,
    document_number: str,
    meeting: str,
    facts: str,
    appeal_body: str,
) -> dict:
    """The letter deciding `kind` (a 处分, or "") with `measures` on `decided_on` in `case`.

    The decision's own fields are passed in, so a step can check the letter before it writes anything.
    """
    params = ethics_params(decided_on)
    rules = params.deadlines
    with translation.override("zh-hans"):
        paragraphs = [p.strip() for p in (facts or case.findings).splitlines() if p.strip()]
        data = {
            "authority": case.authority.name,
            "doc_number": document_number,
            "date": decided_on.isoformat(),
            "decided_by": meeting,
            "teacher": _teacher(case, decided_on),
            "facts": paragraphs,
            "evidence": [str(e) for e in case.evidence.all()],
            "violation": Violation.values.index(case.violations[0]) + 1,
            "staff_kind": "管理人员" if case.regime == SanctionRegime.MANAGERIAL else "专业技术人员",
            "statement_on": case.statement_on.isoformat(),
            "hearing_requested": case.hearing_requested,
            "hearing_on": case.hearing_on.isoformat() if case.hearing_on else None,
            "review_body": case.bureau.name,
            "appeal_body": appeal_body,
            "review_days": rules["review_apply_days"],
            "appeal_days": rules["appeal_apply_days"],
            "other_measures": _measures(measures),
        }
        if kind:
            data["sanction"] = SANCTION_WORDS[kind]
            # the period of the rule set in force: the one `sanction_record` stores on the Sanction
            months = params.periods.get(case.regime, {}).get(kind)
            if months:
                data["period_months"] = months
        return build_ethics_decision(**data)
