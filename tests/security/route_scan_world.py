"""Two schools under one bureau, with school B holding a real object of every kind the URLs take.

Everything of school B is made the way users make it: through the flows' pages (HTTP, as the role that owns
each step) or the apps' services. School B's people carry names that start with 乙密 and unique ID numbers;
the case texts (plan title, adjustment grounds and statement, ethics findings) carry 乙密 markers as well.
`markers(world)` lists every string that must never appear on a page shown to a user of school A.
"""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image
from viewflow.workflow.status import STATUS

from cadres import choices as c
from cadres.ethics.assessments import ethics_year_open
from cadres.models import Person
from cadres.person_search import person_token
from cadres.roles import Role
from dossiers.content.appointment_form import build_appointment_form
from dossiers.kinds import DossierKind
from dossiers.packs.services import CaseSpec, RecipientSpec, meeting_create, pack_build
from dossiers.services import dossier_generate, render_document
from reserve_pool import services as pool
from reserve_pool.choices import Horizon, Origin
from tests.factories import (
    AppraisalFactory,
    BureauFactory,
    EducationFactory,
    FamilyMemberFactory,
    OrganizationFactory,
    PersonFactory,
    PostFactory,
    TenureFactory,
    TitleFactory,
    UserFactory,
)
from tests.workflows.principal_selection.form_data import fingerprint_of, recommend_data
from workflows.ballots import services as ballots
from workflows.ballots.models import BallotKind
from workflows.competition import clock as competition_clock
from workflows.competition.flows import AdjustmentFlow, CompetitionFlow
from workflows.competition.models import Adjustment, Competition, Registration
from workflows.ethics_case.flows import EthicsCaseFlow
from workflows.ethics_case.models import EthicsCase
from workflows.evaluation import services as evaluation
from workflows.evaluation.models import Term
from workflows.exchange import services as exchange
from workflows.principal_selection.flows import PrincipalSelectionFlow
from workflows.principal_selection.models import SelectionCase
from workflows.principal_selection.services import note_add
from workflows.veto_checks.services import veto_check_submit

D = dt.date
MEMBERS = ["m1", "m2", "m3", "m4", "m5", "m6", "m7"]
OPENS, CLOSES = D(2026, 6, 1), D(2026, 6, 5)
ETHICS_REPORTED, ETHICS_INVESTIGATED, ETHICS_STATED, ETHICS_PROPOSED, ETHICS_DECIDED = (
    D(2026, 9, d) for d in (1, 3, 5, 7, 9)
)
#: Texts typed into school B's cases; each must stay inside school B (and the bureau).
PLAN_TITLE = "乙密2026年中层干部竞聘上岗方案"
ADJUSTMENT_GROUNDS = "乙密年度考核不称职免去职务理由"
ADJUSTMENT_STATEMENT = "乙密本人陈述内容"
ETHICS_FINDINGS = "乙密调查查明组织有偿补课"
ETHICS_DEFENCE = "乙密申辩意见"
FAMILY_NAME = "乙密配偶王某"
EVIDENCE_TEXT = "乙密收费转账记录"
ATTACHMENT_TEXT = "乙密推荐谈话记录附件"
MEETING_TITLE = "乙密党委会议上会材料"
REPORT_NAME = "乙密述职述廉报告.txt"
REPORT_TEXT = "乙密述职述廉报告正文"
REPORT_SUMMARY = "乙密述职述廉报告摘要"
TERM_GOALS = "乙密任期目标：三年内建成市级优质学校"
EXCHANGE_TITLE = "乙密2026年秋季交流轮岗方案"
EXCHANGE_REASON = "乙密交流理由"


class Clock:
    """The app's 'today' for the set-up and the scan: both `timezone.localdate()` and the competition clock."""

    def __init__(self, monkeypatch, today: dt.date):
        self.today = today
        original = timezone.localdate

        def localdate(value=None, timezone=None):
            return self.today if value is None else original(value, timezone)

        monkeypatch.setattr("django.utils.timezone.localdate", localdate)
        monkeypatch.setattr(competition_clock, "today", lambda: self.today)


def _ok(response, what: str):
    if response.status_code != 302:
        form = response.context.get("form") if response.context else None
        errors = form.errors if form is not None else response.content[:1500]
        raise AssertionError(f"{what}: {response.status_code} {errors}")
    return response


def _open_task(case, node):
    return case.task_set.filter(flow_task=node).exclude(status__in=[STATUS.DONE, STATUS.CANCELED]).get()


def _step(client, user, case, node, data, what: str):
    client.force_login(user)
    task = _open_task(case, node)
    return _ok(client.post(node.reverse("execute", args=[case.pk, task.pk]), data), what)


def _teacher(org, name, **kwargs) -> Person:
    """A teacher eligible for the competition, the reserve pool and (with a deputy tenure) the principal post."""
    person = PersonFactory(name=name, organization=org, **kwargs)
    EducationFactory(person=person)
    TitleFactory(person=person, title=c.TeacherTitle.SENIOR, obtained_on=D(2015, 12, 1))
    for year in range(2018, 2030):
        AppraisalFactory(person=person, year=year, grade=c.AppraisalGrade.COMPETENT)
    return person


def _login(person, role, username):
    return UserFactory(username=username, roles=[role], organization=person.organization, organization__person=person)


def build_world(monkeypatch) -> SimpleNamespace:
    """School A's three users, the bureau's staff, and school B with one of everything (see the module doc)."""
    clock = Clock(monkeypatch, D(2026, 3, 1))
    client = Client()
    bureau = BureauFactory(name="扫描区教育局", short_name="扫描区教育局")
    school_a = OrganizationFactory(name="扫描甲校", parent=bureau)
    school_b = OrganizationFactory(name="扫描乙校", parent=bureau)

    # --- the bureau's staff (they drive school B's cases) ---
    officer = UserFactory(username="scan_officer", roles=[Role.PERSONNEL_OFFICER], organization=bureau)
    inspectors = [
        UserFactory(
            username=f"scan_inspector{i}",
            roles=[Role.INSPECTION_TEAM],
            organization=bureau,
            organization__person=PersonFactory(name=f"考察员{i}", organization=bureau),
        )
        for i in (1, 2)
    ]
    discipline = UserFactory(username="scan_discipline", roles=[Role.DISCIPLINE_INSPECTOR], organization=bureau)

    # --- school A: the users who scan ---
    a_person = _teacher(school_a, "甲校教师甲一")
    a_judge_person = _teacher(school_a, "甲校评委甲二")
    a_secretary = UserFactory(username="scan_a_secretary", roles=[Role.SCHOOL_SECRETARY], organization=school_a)
    a_teacher = _login(a_person, Role.TEACHER, "scan_a_teacher")
    a_judge = _login(a_judge_person, Role.JUDGE, "scan_a_judge")
    a_post = PostFactory(organization=school_a, name="甲校副校长", headcount=2)
    TenureFactory(person=a_person, post=a_post, start_date=D(2019, 9, 1))
    # a colleague in school A: the secretary sees them, the teacher and the judge (own record only) do not
    a_colleague = _teacher(school_a, "甲密同事丙三")
    TenureFactory(person=a_colleague, post=a_post, start_date=D(2019, 9, 1))
    pool.reserve_entry_nominate(
        acting_user=a_secretary,
        person=a_colleague,
        origin=Origin.SCHOOL_PARTY,
        post_kind=c.PostKind.PRINCIPAL,
        horizon=Horizon.NEAR_TERM,
        on=D(2026, 3, 1),
    )
    ethics_year_open(acting_user=a_secretary, organization=school_a, year=2026)

    # --- school B: posts, people, tenures ---
    b_secretary = UserFactory(username="scan_b_secretary", roles=[Role.SCHOOL_SECRETARY], organization=school_b)
    principal = PostFactory(
        organization=school_b, name="乙校校长", kind=c.PostKind.PRINCIPAL, level=c.PostLevel.SCHOOL_HEAD, headcount=1
    )
    deputy = PostFactory(organization=school_b, name="乙校副校长", headcount=3)
    dean, moral = (
        PostFactory(
            organization=school_b, name=name, kind=c.PostKind.MIDDLE_HEAD, level=c.PostLevel.MIDDLE_HEAD, headcount=2
        )
        for name in ("乙校教导处主任", "乙校德育处主任")
    )
    middle_deputy = PostFactory(
        organization=school_b,
        name="乙校教导处副主任",
        kind=c.PostKind.MIDDLE_DEPUTY,
        level=c.PostLevel.MIDDLE_DEPUTY,
        headcount=2,
    )
    old_principal = _teacher(school_b, "乙密老校长", birth_date=D(1967, 1, 5))
    TenureFactory(person=old_principal, post=principal, start_date=D(2014, 9, 1))
    vice = [_teacher(school_b, f"乙密副校长{n}", birth_date=D(1984, 3, 9)) for n in "一二三"]
    for person in vice:
        TenureFactory(person=person, post=deputy, start_date=D(2019, 9, 1))
    FamilyMemberFactory(person=vice[0], name=FAMILY_NAME)
    runners = [_teacher(school_b, f"乙密竞聘者{n}", birth_date=D(1985, 5, 1)) for n in "一二三"]
    runner_users = [_login(p, Role.TEACHER, f"scan_b_runner{i}") for i, p in enumerate(runners)]
    dean_holder = _teacher(school_b, "乙密中层干部甲")
    dean_holder_user = _login(dean_holder, Role.TEACHER, "scan_b_dean")
    dean_tenure = TenureFactory(person=dean_holder, post=dean, start_date=D(2020, 9, 1))
    moral_holder = _teacher(school_b, "乙密中层干部乙")
    moral_holder_user = _login(moral_holder, Role.TEACHER, "scan_b_moral")
    moral_tenure = TenureFactory(person=moral_holder, post=moral, start_date=D(2020, 9, 1))
    for person in (dean_holder, moral_holder):
        person.appraisals.filter(year=2025).update(grade=c.AppraisalGrade.INCOMPETENT)
    ethics_teachers = [_teacher(school_b, f"乙密违规教师{n}") for n in "一二"]
    ethics_users = [_login(p, Role.TEACHER, f"scan_b_ethics{i}") for i, p in enumerate(ethics_teachers)]
    b_judges = [
        _login(PersonFactory(name=f"乙密评委{i}", organization=school_b), Role.JUDGE, f"scan_b_judge{i}")
        for i in range(1, 6)
    ]

    # --- dossiers: 任免审批表 of two people of school B ---
    for person in (vice[0], old_principal):
        doc = dossier_generate(
            kind=DossierKind.APPOINTMENT_FORM,
            content=build_appointment_form(person, on=D(2026, 3, 1), filled_by="扫描区教育局"),
            acting_user=officer,
            organization=person.organization,
            subject=person,
            title=f"{person.name}任免审批表",
        )
    render_document(doc.pk)  # one rendered PDF (old_principal's): a file behind the download URL

    # --- reserve pool: one entry admitted (with its 小传), one nominated by the school ---
    admitted = pool.reserve_entry_nominate(
        acting_user=officer,
        person=vice[1],
        origin=Origin.BUREAU,
        post_kind=c.PostKind.PRINCIPAL,
        horizon=Horizon.NEAR_TERM,
        on=D(2026, 3, 1),
    )
    admitted = pool.reserve_entry_submit_for_review(acting_user=officer, entry=admitted)
    admitted = pool.reserve_entry_review(
        acting_user=officer, entry=admitted, personal_matters_ok=True, on=D(2026, 3, 1)
    )
    admitted = pool.reserve_entry_assess(
        acting_user=officer,
        entry=admitted,
        talks_count=12,
        evaluation_summary="乙密考察评价德才表现良好",
        profile_text="乙密小传：任教以来教学实绩突出，管理能力较强。",
        on=D(2026, 3, 1),
    )
    admitted = pool.reserve_entry_admit(
        acting_user=officer, entry=admitted, document_number="乙密〔2026〕8号", on=D(2026, 3, 1)
    )
    nominated = pool.reserve_entry_nominate(
        acting_user=b_secretary,
        person=vice[2],
        origin=Origin.SCHOOL_PARTY,
        post_kind=c.PostKind.VICE_PRINCIPAL,
        horizon=Horizon.NEAR_TERM,
        on=D(2026, 3, 1),
    )

    # --- 师德考核: school B's year ---
    ethics_year_open(acting_user=b_secretary, organization=school_b, year=2026)

    # --- principal selection for school B's principal post, up to the inspection ---
    clock.today = D(2026, 3, 25)  # every step's date below is in the past (the steps refuse future dates)
    client.force_login(officer)
    _ok(
        client.post(
            PrincipalSelectionFlow.propose.reverse("execute"),
            {
                "post": principal.pk,
                "started_on": "2026-03-02",
                "method": "recommendation",
                "posts_to_fill": 1,
                "scope": "全区小学副校长",
                "plan": "乙密原校长到龄退出，按程序选拔。",
            },
        ),
        "principal selection: propose",
    )
    selection = SelectionCase.objects.latest("pk")
    votes = list(zip(vice, (20, 4, 2), strict=True))
    voters = [("学校领导班子成员", 5, 5), ("中层干部", 12, 11), ("教师代表", 26, 23)]
    for form, held_on in (("talk", "2026-03-09"), ("meeting", "2026-03-10")):
        data = recommend_data(form, held_on, voters, votes)
        task = _open_task(selection, PrincipalSelectionFlow.recommend)
        preview = client.post(PrincipalSelectionFlow.recommend.reverse("execute", args=[selection.pk, task.pk]), data)
        data |= {"confirm": "1", "fingerprint": fingerprint_of(preview)}  # the preview, then the confirmed save
        _step(
            client,
            officer,
            selection,
            PrincipalSelectionFlow.recommend,
            data,
            f"principal selection: recommend ({form})",
        )
    _step(
        client,
        officer,
        selection,
        PrincipalSelectionFlow.shortlist,
        {
            "people": [person_token(vice[0].pk), person_token(vice[1].pk)],
            "team": [person_token(u.profile.person_id) for u in inspectors],
            "on": "2026-03-20",
        },
        "principal selection: shortlist",
    )

    note_add(
        case=selection,
        acting_user=officer,
        step="recommend",
        text="乙密推荐情况说明",
        attachment=SimpleUploadedFile("谈话记录.txt", ATTACHMENT_TEXT.encode(), "text/plain"),
    )
    # a photo of school B's principal (served only by the scoped photo views)
    photo = io.BytesIO()
    Image.new("RGB", (4, 6), "white").save(photo, "PNG")
    old_principal.photo.save("photo.png", ContentFile(photo.getvalue()))

    # --- committee meeting with a pack build for school B's candidate ---
    meeting = meeting_create(
        title=MEETING_TITLE,
        date=D(2026, 4, 10),
        organization=bureau,
        cases=[CaseSpec(subject=old_principal, label="乙密拟任校长人选")],
        recipients=[RecipientSpec(user=officer)],
        acting_user=officer,
    )
    build = pack_build(meeting=meeting, recipient=meeting.recipients.first(), acting_user=officer)

    # --- 中层竞聘: plan → meeting → filing → announcement → registration → qualification → the sitting ---
    clock.today = D(2026, 5, 20)
    client.force_login(b_secretary)
    plan = {
        "title": PLAN_TITLE,
        "posts": f"{dean.pk},1,2\n{moral.pk},1,2",
        "opens": OPENS.isoformat(),
        "closes": CLOSES.isoformat(),
        "speech": "50",
        "evaluation": "30",
        "performance": "20",
        "trim_min_judges": "5",
        "tie_break": "speech,evaluation,years_of_teaching,number",
        "inspect_top": "1",
        "quorum": "2/3",
        "eligibility": '{"max_age": {"max_age": 50}}',
    }
    _ok(client.post(CompetitionFlow.plan.reverse("execute"), plan), "competition: plan")
    competition = Competition.objects.get(organization=school_b)
    meeting_form = {
        "held_on": "2026-05-21",
        "name": "学校党支部委员会会议",
        "form": "meeting",
        "members": ",".join(MEMBERS),
        "present": ",".join(MEMBERS[:6]),
        "votes": "\n".join(f"{m},同意" for m in MEMBERS[:6]),
    }
    F = CompetitionFlow
    _step(client, b_secretary, competition, F.school_meeting_approval, meeting_form, "competition: meeting")
    _step(client, officer, competition, F.file_with_bureau, {"accepted": "1", "reason": ""}, "competition: filing")
    _step(client, b_secretary, competition, F.announce, {"confirm": "on"}, "competition: announce")
    clock.today = OPENS
    for user, post in zip(runner_users, (dean, dean, moral), strict=True):
        client.force_login(user)
        _ok(
            client.post(F.instance.reverse("register"), {"competition": competition.pk, "post": post.pk}),
            "competition: register",
        )
    clock.today = CLOSES + dt.timedelta(days=1)
    _step(client, b_secretary, competition, F.registration, {"confirm": "on"}, "competition: close registration")
    for reg in Registration.objects.filter(competition=competition):
        _step(
            client,
            b_secretary,
            competition,
            F.qualification_review,
            {"registration": reg.pk, "accept": "1", "reason": ""},
            "competition: qualification",
        )
    for post in (dean, moral):
        _step(
            client,
            b_secretary,
            competition,
            F.scoring,
            {"action": "assign", "post": post.pk, "judges": [j.pk for j in b_judges]},
            "competition: judges",
        )
    _step(client, b_secretary, competition, F.scoring, {"action": "open"}, "competition: open the sitting")

    # --- 能上能下: one case waiting for the statement, one decided and reported to the bureau ---
    A = AdjustmentFlow
    adjustments = []
    for tenure in (dean_tenure, moral_tenure):
        client.force_login(b_secretary)
        _ok(
            client.post(
                A.propose.reverse("execute"),
                {
                    "tenure": tenure.pk,
                    "trigger": "appraisal_failed",
                    "grounds": ADJUSTMENT_GROUNDS,
                    "proposed_outcome": "demote",
                    "proposed_post": middle_deputy.pk,
                },
            ),
            "adjustment: propose",
        )
        adjustments.append(Adjustment.objects.filter(tenure=tenure).get())
    decided = adjustments[1]
    _step(client, moral_holder_user, decided, A.statement, {"statement": ADJUSTMENT_STATEMENT}, "adjustment: statement")
    _step(
        client,
        b_secretary,
        decided,
        A.decide,
        {
            "held_on": clock.today.isoformat(),  # after the statement, not in the future
            "name": "学校党支部委员会会议",
            "form": "meeting",
            "members": ",".join(MEMBERS),
            "present": ",".join(MEMBERS[:5]),
            "votes": "\n".join(f"{m},同意" for m in MEMBERS[:5]),
        },
        "adjustment: decide",
    )
    _step(client, b_secretary, decided, A.file_report, {"summary": "乙密调整情况报告"}, "adjustment: report")

    # --- 师德案件: one decided (sanction, decision letter), one waiting for the teacher's statement ---
    E = EthicsCaseFlow
    ethics_cases = []
    for teacher, _teacher_user in zip(ethics_teachers, ethics_users, strict=True):
        clock.today = ETHICS_REPORTED
        client.force_login(b_secretary)
        _ok(
            client.post(
                E.report.reverse("execute"),
                {
                    "teacher": teacher.pk,
                    "source": "school_report",
                    "report_text": "乙密家长反映该教师组织有偿补课。",
                    "reported_on": ETHICS_REPORTED,
                },
            ),
            "ethics: report",
        )
        case = EthicsCase.objects.filter(teacher=teacher).latest("pk")
        _step(client, officer, case, E.assign_investigator, {"investigator": discipline.pk}, "ethics: investigator")
        clock.today = ETHICS_INVESTIGATED
        _step(
            client,
            discipline,
            case,
            E.investigate,
            {
                "findings": ETHICS_FINDINGS,
                "violations": ["v10"],
                "intended_kind": "demerit",
                "regime": "teacher",
                "investigated_on": ETHICS_INVESTIGATED,
                "evidence_note": "乙密收费记录",
                "evidence": SimpleUploadedFile("乙密收费记录.txt", EVIDENCE_TEXT.encode(), "text/plain"),
            },
            "ethics: investigate",
        )
        ethics_cases.append(case)
    decided_case = ethics_cases[0]
    clock.today = ETHICS_STATED
    _step(
        client,
        ethics_users[0],
        decided_case,
        E.statement,
        {"statement": "乙密我承认组织了补课。", "defence": ETHICS_DEFENCE},
        "ethics: statement",
    )
    clock.today = ETHICS_PROPOSED
    _step(
        client,
        b_secretary,
        decided_case,
        E.propose,
        {"kind": "demerit", "measures": ["circulated_criticism"], "reason": "乙密情节较重。"},
        "ethics: propose",
    )
    clock.today = ETHICS_DECIDED
    _step(
        client,
        officer,
        decided_case,
        E.decide,
        {
            "sanctioned": "1",
            "kind": "demerit",
            "measures": ["circulated_criticism"],
            "decided_on": ETHICS_DECIDED,
            "document_number": "乙密〔2026〕9号",
            "meeting": "区教育局2026年第18次局务会议",
            "facts": "",
            "appeal_body": "常州市教育局",
        },
        "ethics: decide",
    )
    clock.today = D(2026, 9, 20)

    # --- 干部考核: school B's 2025 year (a 述职述廉 report uploaded), the running terms of its leaders ---
    evaluation_year = evaluation.evaluation_year_open(
        acting_user=b_secretary, organization=school_b, year=2025, opened_on=clock.today
    )
    report_of = evaluation_year.assessments.get(person=vice[0])
    evaluation.evaluation_report_upload(
        acting_user=b_secretary,
        assessment=report_of,
        upload=SimpleUploadedFile(REPORT_NAME, REPORT_TEXT.encode(), "text/plain"),
        summary=REPORT_SUMMARY,
    )
    evaluation.terms_open_for_current_leaders(acting_user=b_secretary, on=clock.today, organization=school_b)
    term = Term.objects.filter(organization=school_b).order_by("pk").first()
    evaluation.term_goals_record(acting_user=b_secretary, term=term, goals=TERM_GOALS, recorded_on=clock.today)

    # --- 交流轮岗: the bureau's draft plan moving one of school B's vice-principals to school A ---
    exchange_plan = exchange.plan_create(acting_user=officer, title=EXCHANGE_TITLE, effective_date=clock.today)
    exchange.move_add(
        acting_user=officer,
        plan=exchange_plan,
        person=vice[2],
        from_tenure=vice[2].tenures.get(post=deputy),
        to_post=a_post,
        reason=EXCHANGE_REASON,
    )

    # --- 一票否决校验: school B's secretary checks school B's people (one sanctioned) ---
    veto_check = veto_check_submit(
        acting_user=b_secretary,
        purpose="award",
        on=clock.today,
        people=[*ethics_teachers, vice[0]],
        source="pick",
    )

    # --- 电子投票: the 民主测评 of school B's first candidate (a draft round of the bureau's officer) ---
    ballot = ballots.round_create(
        case=selection,
        acting_user=officer,
        kind=BallotKind.EVALUATION,
        held_on=D(2026, 3, 25),
        categories=[{"name": "乙校教职工代表", "due": 3}],
        candidate=selection.candidates.get(person=vice[0]),
    )

    return SimpleNamespace(
        clock=clock,
        bureau=bureau,
        school_a=school_a,
        school_b=school_b,
        officer=officer,
        a_secretary=a_secretary,
        a_teacher=a_teacher,
        a_judge=a_judge,
        a_colleague=a_colleague,
        b_secretary=b_secretary,
        b_teacher=ethics_users[1],
        b_judge=b_judges[0],
        b_dean_user=dean_holder_user,
        principal=principal,
        entries=[admitted, nominated],
        meeting=meeting,
        build=build,
        selection=selection,
        competition=competition,
        adjustments=adjustments,
        ethics_cases=ethics_cases,
        evaluation_year=evaluation_year,
        term=term,
        exchange_plan=exchange_plan,
        veto_check=veto_check,
        ballot=ballot,
    )


def own_record_markers(world, user) -> dict[str, str]:
    """School A's people other than `user`'s own record: what a teacher or judge of school A must not see."""
    own = user.profile.person_id
    return {
        secret: f"{what} (school A, not the user's own record)"
        for person in Person.objects.filter(organization=world.school_a).exclude(pk=own)
        for secret, what in ((person.name, f"name of {person.name}"), (person.id_number, f"ID of {person.name}"))
        if secret
    }


def markers(world) -> dict[str, str]:
    """Every secret of school B that a page for school A's users must not contain, with what it is."""
    found = {}
    for person in Person.objects.filter(organization=world.school_b):
        found[person.name] = f"name of {person.name}"
        if person.id_number:
            found[person.id_number] = f"ID number of {person.name}"
    for text in (
        PLAN_TITLE,
        ADJUSTMENT_GROUNDS,
        ADJUSTMENT_STATEMENT,
        ETHICS_FINDINGS,
        ETHICS_DEFENCE,
        FAMILY_NAME,
        MEETING_TITLE,
        EVIDENCE_TEXT,
        ATTACHMENT_TEXT,
        REPORT_NAME,
        REPORT_TEXT,
        REPORT_SUMMARY,
        TERM_GOALS,
        EXCHANGE_TITLE,
        EXCHANGE_REASON,
    ):
        found[text] = "case text of school B"
    return found
