"""The kinds of dossier document (DOMAIN §8), each with its template, 密级 and audience.

Who reads which kind is data here (`AUDIENCES`), enforced in one place, `dossiers.selectors.
documents_visible_to`. The rules, in the order that selector applies them:

1. Scope first: a document about a person is in scope when the person is (`cadres.scoping`); one without a
   subject when its unit is. Superusers read everything.
2. 公开 kinds are read by everyone in scope. 内部 and 机密 kinds only by the roles listed for the kind (within
   their scope: a bureau role reads the district, a school secretary their own school).
3. Whoever generated a version reads it, within their scope: they typed or chose everything it shows (the
   school secretary who records the school's competition vote reads that 机密 vote sheet).
4. Kinds *addressed* to the people of the case (`addressed=True`: the notices and decision letters they are
   served) are read by the subject and by every party of the case, even outside their scope — the appointee
   of another school's post reads their 任职通知.
5. Candidates never read the materials of their own case: a user whose person is the subject of a document,
   or a party of the case named by its `process_ref` (see `dossiers.parties`), does not read it unless the
   kind is 公开 or addressed to them — whatever role they hold, and even if they generated it.

Per kind (roles: PO 组织人事科干部, IT 考察组, DI 纪检监察, CM 党委委员, CS 会议记录人, SS 学校书记/校长):

| kind | 密级 | readers | addressed |
|---|---|---|---|
| 干部任免审批表 | 内部 | PO IT DI CM CS SS | — it carries the 考察/任免意见 |
| 考察材料 | 内部 | PO IT DI CM CS | — the school is interviewed, it does not read the report |
| 推荐票统计表, 民主测评统计表 | 内部 | PO IT DI CM CS SS | — the counts of a vote held at the school |
| 表决票/计票单, 会议纪要摘录 | 机密 | PO CM CS | — the committee's own papers |
| 任前公示, 竞聘公告 | 公开 | everyone in scope | — |
| 任职通知 | 公开 | everyone in scope | yes — 主送 the school / 全体教职工, and the appointee |
| 竞聘评分表, 竞聘成绩汇总及排名 | 内部 | PO DI CM CS SS | — |
| 竞聘报名情况表 | 内部 | PO DI SS | — |
| 竞聘资格审查结果 | 内部 | PO DI SS | yes — every registrant is told the result |
| 干部职务调整决定, 师德处理决定书 | 内部 | PO DI SS | yes — served on the person concerned |
| 后备干部小传, 后备干部名册 | 内部 | PO IT CM CS SS | — a reserve cadre is not told |
| 干部选拔任用工作纪实表 | 内部 | PO DI CM CS | — |
| 年度考核登记表, 任期考核表 | 内部 | PO CM CS | yes — the result is told to the person (考核规定 2023) |
| 年度考核民主测评结果 | 内部 | PO CM CS SS | — the counts of the school's own sitting |
| 班子结构分析 | 内部 | PO CM CS SS | — a school secretary reads their own school's |
| 投票凭证（一次性投票码） | 机密 | PO | — each code is a ballot: only the officer who hands the slips out |
| 电子投票计票结果 | 内部 | PO IT DI CM CS SS | — the same figures as the paper 推荐票/测评统计表 |
| 一票否决校验结果 | 内部 | PO DI SS | — the unit's own check of a list (职称评聘, 评优奖励, 职务聘任, 教师资格注册) |
| 交流轮岗方案 | 机密 | PO CM CS | — a plan of moves is the committee's paper, before and after it is applied |

Teachers and judges read only 公开 kinds of their school, what is addressed to them and what they generated.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from cadres.roles import Role


class DossierKind(models.TextChoices):
    APPOINTMENT_FORM = "appointment_form", _("干部任免审批表")
    INSPECTION_REPORT = "inspection_report", _("考察材料")
    RECOMMENDATION_TALLY = "recommendation_tally", _("推荐票统计表")
    EVALUATION_TALLY = "evaluation_tally", _("民主测评统计表")
    VOTE_SHEET = "vote_sheet", _("表决票/计票单")
    MINUTES_EXTRACT = "minutes_extract", _("会议纪要摘录")
    PUBLIC_NOTICE = "public_notice", _("任前公示")
    APPOINTMENT_NOTICE = "appointment_notice", _("任职通知")
    COMPETITION_SCORE_SHEET = "competition_score_sheet", _("竞聘评分表")
    COMPETITION_RANKING = "competition_ranking", _("竞聘成绩汇总及排名")
    COMPETITION_ANNOUNCEMENT = "competition_announcement", _("竞聘公告")
    COMPETITION_REGISTRATIONS = "competition_registrations", _("竞聘报名情况表")
    COMPETITION_QUALIFICATION = "competition_qualification", _("竞聘资格审查结果")
    ADJUSTMENT_DECISION = "adjustment_decision", _("干部职务调整决定")
    ETHICS_DECISION = "ethics_decision", _("师德处理决定书")
    RESERVE_PROFILE = "reserve_profile", _("后备干部小传")
    RESERVE_ROSTER = "reserve_roster", _("后备干部名册")
    RECORD_SHEET = "record_sheet", _("干部选拔任用工作纪实表")
    ANNUAL_APPRAISAL_FORM = "annual_appraisal_form", _("年度考核登记表")
    APPRAISAL_EVALUATION = "appraisal_evaluation", _("年度考核民主测评结果")
    TERM_REVIEW = "term_review", _("任期考核表")
    TEAM_STRUCTURE = "team_structure", _("班子结构分析")
    BALLOT_SLIPS = "ballot_slips", _("投票凭证（一次性投票码）")
    BALLOT_TALLY = "ballot_tally", _("电子投票计票结果")
    VETO_CHECK = "veto_check", _("一票否决校验结果")
    EXCHANGE_PLAN = "exchange_plan", _("交流轮岗方案")


class Classification(models.TextChoices):
    """密级 of a kind, as printed on the paper and as enforced by the audience."""

    PUBLIC = "public", _("公开")
    INTERNAL = "internal", _("内部")
    SECRET = "secret", _("机密")


@dataclass(frozen=True)
class Audience:
    """Who reads a kind: everyone in scope (公开), else the listed roles; `addressed` adds the case's people."""

    classification: str
    roles: frozenset[str] = frozenset()
    addressed: bool = False

    @property
    def is_public(self) -> bool:
        return self.classification == Classification.PUBLIC

    def read_by(self, roles: set[str] | frozenset[str]) -> bool:
        """True when a holder of these roles reads the kind within their scope (the role rule only)."""
        return self.is_public or bool(self.roles & set(roles))

    @property
    def classification_label(self) -> str:
        return str(Classification(self.classification).label)


_PO, _IT, _DI = Role.PERSONNEL_OFFICER, Role.INSPECTION_TEAM, Role.DISCIPLINE_INSPECTOR
_CM, _CS, _SS = Role.COMMITTEE_MEMBER, Role.COMMITTEE_SECRETARY, Role.SCHOOL_SECRETARY


def _internal(*roles: str, addressed: bool = False) -> Audience:
    return Audience(Classification.INTERNAL, frozenset(roles), addressed)


AUDIENCES: dict[str, Audience] = {
    DossierKind.APPOINTMENT_FORM: _internal(_PO, _IT, _DI, _CM, _CS, _SS),
    DossierKind.INSPECTION_REPORT: _internal(_PO, _IT, _DI, _CM, _CS),
    DossierKind.RECOMMENDATION_TALLY: _internal(_PO, _IT, _DI, _CM, _CS, _SS),
    DossierKind.EVALUATION_TALLY: _internal(_PO, _IT, _DI, _CM, _CS, _SS),
    DossierKind.VOTE_SHEET: Audience(Classification.SECRET, frozenset({_PO, _CM, _CS})),
    DossierKind.MINUTES_EXTRACT: Audience(Classification.SECRET, frozenset({_PO, _CM, _CS})),
    DossierKind.PUBLIC_NOTICE: Audience(Classification.PUBLIC),
    DossierKind.APPOINTMENT_NOTICE: Audience(Classification.PUBLIC, addressed=True),
    DossierKind.COMPETITION_SCORE_SHEET: _internal(_PO, _DI, _CM, _CS, _SS),
    DossierKind.COMPETITION_RANKING: _internal(_PO, _DI, _CM, _CS, _SS),
    DossierKind.COMPETITION_ANNOUNCEMENT: Audience(Classification.PUBLIC),
    DossierKind.COMPETITION_REGISTRATIONS: _internal(_PO, _DI, _SS),
    DossierKind.COMPETITION_QUALIFICATION: _internal(_PO, _DI, _SS, addressed=True),
    DossierKind.ADJUSTMENT_DECISION: _internal(_PO, _DI, _SS, addressed=True),
    DossierKind.ETHICS_DECISION: _internal(_PO, _DI, _SS, addressed=True),
    DossierKind.RESERVE_PROFILE: _internal(_PO, _IT, _CM, _CS, _SS),
    DossierKind.RESERVE_ROSTER: _internal(_PO, _IT, _CM, _CS, _SS),
    DossierKind.RECORD_SHEET: _internal(_PO, _DI, _CM, _CS),
    DossierKind.ANNUAL_APPRAISAL_FORM: _internal(_PO, _CM, _CS, addressed=True),
    DossierKind.APPRAISAL_EVALUATION: _internal(_PO, _CM, _CS, _SS),
    DossierKind.TERM_REVIEW: _internal(_PO, _CM, _CS, addressed=True),
    DossierKind.TEAM_STRUCTURE: _internal(_PO, _CM, _CS, _SS),
    DossierKind.BALLOT_SLIPS: Audience(Classification.SECRET, frozenset({_PO})),
    DossierKind.BALLOT_TALLY: _internal(_PO, _IT, _DI, _CM, _CS, _SS),
    DossierKind.VETO_CHECK: _internal(_PO, _DI, _SS),
    DossierKind.EXCHANGE_PLAN: Audience(Classification.SECRET, frozenset({_PO, _CM, _CS})),
}

# An unknown kind (a row written by a newer version) is read by personnel officers only.
_FALLBACK = Audience(Classification.SECRET, frozenset({_PO}))


def audience_of(kind: str) -> Audience:
    return AUDIENCES.get(kind, _FALLBACK)


def kinds_read_by(roles: set[str] | frozenset[str]) -> list[str]:
    """The kinds whose role rule admits a holder of these roles (public kinds included)."""
    return [kind for kind, audience in AUDIENCES.items() if audience.read_by(roles)]


def public_kinds() -> list[str]:
    return [kind for kind, audience in AUDIENCES.items() if audience.is_public]


def addressed_kinds() -> list[str]:
    return [kind for kind, audience in AUDIENCES.items() if audience.addressed]


def kind_choices() -> list[tuple[str, str]]:
    """The model field's choices, read when needed: a new kind needs no migration (and two branches adding
    kinds never collide in dossiers/migrations)."""
    return DossierKind.choices


def template_for(kind: str) -> str:
    return f"dossiers/{kind}.html"
