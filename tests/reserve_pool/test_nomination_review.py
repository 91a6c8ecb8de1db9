"""Nomination (who may nominate whom, how), the qualification review and the assessment record."""

import datetime as dt

import pytest

from audit.models import AuditEvent
from cadres import choices as c
from cadres.ethics.models import SanctionKind
from cadres.ethics.services import sanction_record
from cadres.roles import Role
from reserve_pool import services
from reserve_pool.choices import EndTrigger, Horizon, Origin, ReserveKind, ReserveState
from reserve_pool.exceptions import ReservePermissionDenied, ReserveRefused
from reserve_pool.models import ReserveEntry
from tests.factories import (
    AppraisalFactory,
    EducationFactory,
    FamilyMemberFactory,
    PersonFactory,
    TitleFactory,
    UserFactory,
)

from .conftest import ON, PROFILE, REVIEWED, bring_to, make_teacher, nominate

pytestmark = pytest.mark.django_db
D = dt.date


def _snapshot(entry):
    row = ReserveEntry.objects.get(pk=entry.pk)
    return {f.attname: getattr(row, f.attname) for f in ReserveEntry._meta.concrete_fields}


# ----------------------------------------------------------------------------- nomination


def test_school_secretary_nominates_own_teacher_as_school_party_recommendation(school_secretary, teacher, school):
    entry = nominate(teacher, school_secretary, note="教学管理能力突出")
    assert entry.state == ReserveState.NOMINATED
    assert (entry.origin, entry.kind, entry.post_kind) == (Origin.SCHOOL_PARTY, ReserveKind.DEPUTY, "vice_principal")
    assert entry.organization == school and entry.nominating_unit == school
    assert entry.nominated_by == school_secretary and entry.nominated_on == ON
    event = AuditEvent.objects.for_object(entry).get()
    assert (event.action, event.from_state, event.to_state) == ("reserve_entry_nominate", "", "nominated")
    assert event.actor == school_secretary and event.reason == "教学管理能力突出"


def test_secretary_cannot_nominate_another_schools_teacher(school_secretary, other_teacher):
    with pytest.raises(ReservePermissionDenied) as denied:
        nominate(other_teacher, school_secretary)
    assert denied.value.message == "只能提名本校教职工：李老师不在本校。"
    assert not ReserveEntry.objects.exists()


def test_secretary_may_only_use_the_school_party_origin(school_secretary, teacher):
    with pytest.raises(ReservePermissionDenied) as denied:
        nominate(teacher, school_secretary, origin=Origin.BUREAU)
    assert denied.value.message == "学校党组织书记只能以“学校党组织推荐”方式提名。"


def test_secretary_cannot_nominate_for_another_schools_post(school_secretary, teacher, posts):
    with pytest.raises(ReservePermissionDenied) as denied:
        nominate(teacher, school_secretary, target_post=posts.other_vice)
    assert denied.value.message == "学校党组织只能提名本校职位的后备干部。"


def test_bureau_nominates_anyone_for_any_schools_post(officer, other_teacher, posts, school, bureau):
    entry = nominate(other_teacher, officer, post_kind=c.PostKind.PRINCIPAL, target_post=posts.principal)
    assert entry.origin == Origin.BUREAU and entry.kind == ReserveKind.HEAD
    assert entry.organization == school  # the school whose post the reserve is for
    assert entry.nominating_unit == bureau


def test_bureau_cannot_claim_a_school_party_recommendation(officer, teacher):
    with pytest.raises(ReservePermissionDenied) as denied:
        nominate(teacher, officer, origin=Origin.SCHOOL_PARTY)
    assert denied.value.message == "“学校党组织推荐”须由该校党组织书记提出。"


def test_democratic_recommendation_names_its_source(officer, teacher):
    with pytest.raises(ReserveRefused) as refused:
        nominate(teacher, officer, origin=Origin.DEMOCRATIC)
    assert refused.value.code == "source_ref_required"
    entry = nominate(teacher, officer, origin=Origin.DEMOCRATIC, source_ref="民主推荐〔2026〕3号结果")
    assert entry.source_ref == "民主推荐〔2026〕3号结果"


@pytest.mark.parametrize("role", [Role.TEACHER, Role.INSPECTION_TEAM, Role.COMMITTEE_MEMBER])
def test_other_roles_cannot_nominate(role, school, teacher):
    user = UserFactory(roles=[role], organization=school)
    with pytest.raises(ReservePermissionDenied) as denied:
        nominate(teacher, user, origin=Origin.SCHOOL_PARTY)
    assert denied.value.message == "只有教育局组织人事科干部或学校党组织书记可以提名后备干部。"


def test_a_person_has_one_live_entry_at_a_time(officer, teacher):
    first = nominate(teacher, officer)
    with pytest.raises(ReserveRefused) as refused:
        nominate(teacher, officer, post_kind=c.PostKind.PRINCIPAL)
    assert refused.value.code == "already_live"
    assert refused.value.message == "王老师已有后备干部记录（副职后备，已提名），不能重复提名。"
    services.reserve_entry_remove(acting_user=officer, entry=first, reason="改按正职后备提名")
    assert nominate(teacher, officer, post_kind=c.PostKind.PRINCIPAL).kind == ReserveKind.HEAD


def test_nomination_lists_every_rule_set_and_veto_reason(officer, school, posts):
    person = PersonFactory(organization=school, name="赵老师", birth_date=D(1980, 1, 5))
    EducationFactory(person=person, level=c.EducationLevel.JUNIOR_COLLEGE)
    TitleFactory(person=person, title=c.TeacherTitle.SECOND, obtained_on=D(2010, 12, 1))
    sanction_record(
        acting_user=officer, person=person, kind=SanctionKind.DEMERIT, decided_on=D(2026, 1, 10), authority="区教育局"
    )
    with pytest.raises(ReserveRefused) as refused:
        nominate(person, officer)
    assert refused.value.code == "ineligible"
    assert refused.value.reasons == [
        "年龄须不超过45周岁，现46周岁",
        "学历须为大学本科及以上，现为大学专科",
        "专业技术职务须为一级教师及以上，现为二级教师",
        "须2023年度考核为合格及以上，现无该年度考核记录",
        "受记过处理（2026年01月10日决定），影响期至2027年01月09日（含），期间不得后备干部入库",
    ]
    assert refused.value.message.startswith("赵老师不符合后备干部条件，不能提名为后备干部：年龄须不超过45周岁")
    assert not ReserveEntry.objects.exists()


def test_target_category_must_be_a_leadership_post(officer, teacher):
    with pytest.raises(ReserveRefused) as refused:
        nominate(teacher, officer, post_kind=c.PostKind.TEACHER)
    assert refused.value.code == "invalid_target"


def test_kind_must_match_the_post_category(officer, teacher):
    with pytest.raises(ReserveRefused) as refused:
        nominate(teacher, officer, kind=ReserveKind.HEAD)
    assert refused.value.code == "invalid_input"
    assert "副校长后备应为副职后备。" in refused.value.reasons


def test_nobody_nominates_themself(school, posts):
    me = make_teacher(school, "书记本人")
    secretary = UserFactory(roles=[Role.SCHOOL_SECRETARY], organization=school, organization__person=me)
    with pytest.raises(ReservePermissionDenied) as denied:
        nominate(me, secretary, origin=Origin.SCHOOL_PARTY)
    assert (denied.value.code, denied.value.message) == ("recused", "本人事项，须回避。")


# ----------------------------------------------------------------------------- submission and review


def test_nominating_school_submits_its_nomination(school_secretary, other_secretary, teacher):
    entry = nominate(teacher, school_secretary)
    with pytest.raises(ReservePermissionDenied):
        services.reserve_entry_submit_for_review(acting_user=other_secretary, entry=entry)
    services.reserve_entry_submit_for_review(acting_user=school_secretary, entry=entry)
    assert entry.state == ReserveState.UNDER_REVIEW  # the caller's instance is brought up to date


def test_review_records_rule_set_veto_and_personal_matters(officer, teacher):
    entry = bring_to(nominate(teacher, officer), REVIEWED, officer)
    assert entry.state == ReserveState.UNDER_REVIEW
    assert entry.review_passed is True and entry.reviewed_on == ON and entry.reviewed_by == officer
    assert entry.review_rule_set == "后备干部入库条件"
    assert entry.review_refusals == []
    assert entry.review_veto == {"blocked": False, "sentence": "无师德一票否决情形。", "until": None}
    event = AuditEvent.objects.for_object(entry).filter(action="reserve_entry_review").get()
    assert (event.from_state, event.to_state, event.reason) == ("under_review", "under_review", "资格审查通过")


def test_failed_review_is_recorded_and_blocks_assessment_with_every_reason(officer, teacher):
    entry = bring_to(nominate(teacher, officer), ReserveState.UNDER_REVIEW, officer)
    sanction_record(
        acting_user=officer, person=teacher, kind=SanctionKind.WARNING, decided_on=D(2026, 3, 1), authority="区教育局"
    )
    teacher.appraisals.filter(year=2024).update(grade=c.AppraisalGrade.BASIC)
    services.reserve_entry_review(
        acting_user=officer, entry=entry, personal_matters_ok=False, personal_matters_note="漏报房产一处", on=ON
    )
    assert entry.review_passed is False
    assert entry.review_refusals == [
        {"rule": "appraisal_not_below", "message": "须2024年度考核为合格及以上，现为基本合格"}
    ]
    assert entry.review_veto["blocked"] is True and entry.review_veto["until"] == "2026-09-01"
    before = _snapshot(entry)
    with pytest.raises(ReserveRefused) as refused:
        services.reserve_entry_assess(
            acting_user=officer, entry=entry, talks_count=8, evaluation_summary="好", profile_text="小传", on=ON
        )
    assert refused.value.code == "review_not_passed"
    assert refused.value.reasons == [
        "须2024年度考核为合格及以上，现为基本合格",
        "受警告处理（2026年03月01日决定），影响期至2026年08月31日（含），期间不得后备干部入库",
        "个人有关事项报告查核不相符：漏报房产一处",
    ]
    assert _snapshot(entry) == before


def test_personal_matters_mismatch_must_be_explained(officer, teacher):
    entry = bring_to(nominate(teacher, officer), ReserveState.UNDER_REVIEW, officer)
    before = _snapshot(entry)
    with pytest.raises(ReserveRefused) as refused:
        services.reserve_entry_review(acting_user=officer, entry=entry, personal_matters_ok=False, on=ON)
    assert refused.value.code == "reason_required"
    assert _snapshot(entry) == before


def test_review_may_be_repeated_after_the_registry_is_corrected(officer, teacher):
    teacher.appraisals.filter(year=2025).delete()
    entry = bring_to(nominate(teacher, officer, on=D(2025, 12, 1)), REVIEWED, officer)
    assert entry.review_passed is False
    AppraisalFactory(person=teacher, year=2025)
    services.reserve_entry_review(acting_user=officer, entry=entry, personal_matters_ok=True, on=ON)
    assert entry.review_passed is True and entry.review_refusals == []


def test_only_the_bureau_reviews(school_secretary, teacher, officer):
    entry = bring_to(nominate(teacher, school_secretary), ReserveState.UNDER_REVIEW, officer)
    with pytest.raises(ReservePermissionDenied) as denied:
        services.reserve_entry_review(acting_user=school_secretary, entry=entry, personal_matters_ok=True)
    assert denied.value.message == "资格审查由教育局组织人事科进行。"


def test_kin_of_the_nominee_may_not_review(bureau, officer, teacher):
    relative = PersonFactory(organization=bureau, name="王科长")
    FamilyMemberFactory(person=teacher, relation=c.Relation.BROTHER, name="王科长", relative=relative)
    kin_officer = UserFactory(roles=[Role.PERSONNEL_OFFICER], organization=bureau, organization__person=relative)
    entry = bring_to(nominate(teacher, officer), ReserveState.UNDER_REVIEW, officer)
    before = _snapshot(entry)
    with pytest.raises(ReservePermissionDenied) as denied:
        services.reserve_entry_review(acting_user=kin_officer, entry=entry, personal_matters_ok=True, on=ON)
    assert (denied.value.code, denied.value.message) == ("recused", "与王老师有亲属关系，须回避。")
    assert _snapshot(entry) == before


# ----------------------------------------------------------------------------- assessment


def _assess(entry, user, **kwargs):
    values = {"talks_count": 10, "evaluation_summary": "表现良好", "profile_text": PROFILE, "on": ON, **kwargs}
    return services.reserve_entry_assess(acting_user=user, entry=entry, **values)


def test_inspection_team_records_the_assessment(officer, inspector, teacher):
    entry = bring_to(nominate(teacher, officer), REVIEWED, officer)
    _assess(entry, inspector, talks_count=15)
    assert entry.state == ReserveState.ASSESSED
    assert (entry.talks_count, entry.assessed_by, entry.profile_text) == (15, inspector, PROFILE)


def test_profile_is_at_most_500_characters_not_counting_blanks(officer, teacher):
    entry = bring_to(nominate(teacher, officer), REVIEWED, officer)
    before = _snapshot(entry)
    with pytest.raises(ReserveRefused) as refused:
        _assess(entry, officer, profile_text="字" * 501)
    assert (refused.value.code, refused.value.message) == ("profile_too_long", "后备干部小传不能超过500字，现有501字。")
    assert _snapshot(entry) == before
    _assess(entry, officer, profile_text="字" * 250 + "\n\n  " + "字" * 250)
    assert entry.state == ReserveState.ASSESSED


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("talks_count", 0, "谈话人数须为正整数。"),
        ("evaluation_summary", "  ", "须填写考察评价。"),
        ("profile_text", "", "须填写后备干部小传。"),
    ],
)
def test_assessment_needs_talks_evaluation_and_profile(officer, teacher, field, value, message):
    entry = bring_to(nominate(teacher, officer), REVIEWED, officer)
    with pytest.raises(ReserveRefused) as refused:
        _assess(entry, officer, **{field: value})
    assert refused.value.message == message
    assert ReserveEntry.objects.get(pk=entry.pk).state == ReserveState.UNDER_REVIEW


def test_unreviewed_entry_cannot_be_assessed(officer, teacher):
    entry = bring_to(nominate(teacher, officer), ReserveState.UNDER_REVIEW, officer)
    with pytest.raises(ReserveRefused) as refused:
        _assess(entry, officer)
    assert (refused.value.code, refused.value.message) == ("review_not_passed", "尚未进行资格审查，不能录入考察结果。")


def test_secretary_cannot_record_an_assessment(officer, school_secretary, teacher):
    entry = bring_to(nominate(teacher, officer), REVIEWED, officer)
    with pytest.raises(ReservePermissionDenied) as denied:
        _assess(entry, school_secretary)
    assert denied.value.message == "考察结果由教育局组织人事科或考察组录入。"


def test_school_withdraws_its_own_nomination_before_submission(school_secretary, officer, teacher):
    entry = nominate(teacher, school_secretary)
    services.reserve_entry_remove(acting_user=school_secretary, entry=entry, reason="本人放弃")
    assert (entry.state, entry.end_trigger, entry.removal_reason) == (
        ReserveState.REMOVED,
        EndTrigger.WITHDRAWN,
        "本人放弃",
    )
    second = bring_to(
        nominate(teacher, school_secretary, horizon=Horizon.LONG_TERM), ReserveState.UNDER_REVIEW, officer
    )
    with pytest.raises(ReservePermissionDenied) as denied:
        services.reserve_entry_remove(acting_user=school_secretary, entry=second, reason="本人放弃")
    assert denied.value.message == "学校只能撤回尚未提交审核的本校提名；撤销资格由教育局组织人事科决定。"
