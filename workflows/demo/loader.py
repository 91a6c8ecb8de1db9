"""`load_demo_cases`: the walkable demo on top of the demo district, in one transaction, once.

Idempotent by a marker: the audit event `demo_cases_loaded` is written with the cases; when it exists the
loader writes nothing (running `make run` twice never duplicates a case or a login). The demo district must
be loaded first (`load_demo_district`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditEvent
from audit.services import record_event
from cadres.demo.generator import FIRST_SCHOOL_CODE
from cadres.demo.loader import demo_bureau, demo_is_loaded
from cadres.models import Organization

from . import adjustment, competition, ethics, principal
from .accounts import ensure_accounts

MARKER = "demo_cases_loaded"


class DemoCasesError(Exception):
    """The demo cases cannot be loaded here (the message says why in Chinese)."""


@dataclass
class CasesResult:
    created: bool
    counts: dict[str, int] = field(default_factory=dict)


def demo_cases_loaded() -> bool:
    return AuditEvent.objects.filter(action=MARKER).exists()


@transaction.atomic
def demo_cases_load(*, today: dt.date | None = None) -> CasesResult:
    if demo_cases_loaded():
        return CasesResult(created=False)
    if not demo_is_loaded():
        raise DemoCasesError(_("尚未加载示范区数据，请先运行 load_demo_district。"))
    today = today or timezone.localdate()
    bureau = demo_bureau()
    school = Organization.objects.get(code=FIRST_SCHOOL_CODE, parent=bureau)

    def teacher_ok(person) -> bool:
        earliest = today - dt.timedelta(days=60)
        return competition.eligible_for_registration(person, school, earliest) and (
            competition.eligible_for_registration(person, school, today)
        )

    users = ensure_accounts(bureau, school, teacher_ok=teacher_ok)
    counts = {
        "principal_selection": len(principal.load(users, today)),
        "competition": len(competition.load(users, school, today)),
        "adjustment": len(adjustment.load(users, school, today)),
        "ethics_case": len(ethics.load(users, school, today)),
    }
    record_event(actor=None, action=MARKER, object_type="workflows.demo", object_id=today.isoformat(), payload=counts)
    return CasesResult(created=True, counts=counts)


# What each login can do in the demo (printed by the command), in the order printed.
LOGIN_DUTIES = (
    (
        "officer",
        gettext_lazy(
            "动议校长选拔；民主推荐、确定考察对象、上级审批破格、档案审核、个人事项核查、任前公示、任职、试用期满考核；竞聘方案报局备案；审核能上能下报告；师德案件指定调查人员、作出处理决定、复核答复；管理用户与角色"
        ),
    ),
    ("inspector", gettext_lazy("考察组成员：校长选拔的考察（与 inspector2 同组）")),
    ("inspector2", gettext_lazy("考察组成员：校长选拔的考察（确定考察对象须两人以上）")),
    ("discipline", gettext_lazy("纪检监察：廉政意见、信访举报核查、廉洁结论签字；师德案件调查核实")),
    ("member1", gettext_lazy("党工委委员：廉洁结论签字、讨论决定时表决；师德申诉处理（member2～member9 同为委员）")),
    ("recorder", gettext_lazy("会议记录人：录入校长选拔讨论决定会议的出席与表决")),
    (
        "secretary",
        gettext_lazy(
            "第一实验小学党组织书记：竞聘上岗各环节（含修改方案、试用期满考核）、能上能下建议与决定、报告师德案件并提出处理建议"
        ),
    ),
    ("teacher", gettext_lazy("教师：在报名中的竞聘里报名（teacher2、teacher3 同）")),
    ("judge", gettext_lazy("评委：为评分进行中的竞聘打分（judge2、judge3 同）")),
    ("cadre1", gettext_lazy("中层干部：在自己的能上能下调整中作本人陈述")),
    ("ethics3", gettext_lazy("教师：在自己的师德案件中陈述申辩")),
    ("ethics7", gettext_lazy("教师：对处理决定申请复核")),
    ("ethics9", gettext_lazy("教师：对复核决定提出申诉")),
    ("admin", gettext_lazy("系统管理员：全部功能")),
)
