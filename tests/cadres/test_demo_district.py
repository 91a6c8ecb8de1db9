"""The demo district: deterministic, plausible, consistent data and an idempotent loading command."""

from __future__ import annotations

import collections
import datetime as dt
import io
import re
import time
import types

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from cadres import choices as c
from cadres import facts
from cadres.demo import generator
from cadres.demo.generator import REFERENCE_DATE, DemoSizeError, generate_district
from cadres.demo.loader import DEMO_PASSWORD
from cadres.idcard import parse_id_number
from cadres.models import FamilyMember, Organization, Person, Post, Profile, ResumeEntry, Tenure
from cadres.recusal import may_act_on, recusal_reason
from cadres.roles import Role
from tests.factories import BureauFactory, OrganizationFactory, PersonFactory

SMALL = {"seed": 7, "schools": 6, "people": 200}
SMALL_ARGS = ["--seed", "7", "--schools", "6", "--people", "200"]
PARTY = (c.PoliticalStatus.CPC_MEMBER, c.PoliticalStatus.CPC_PROBATIONARY)


@pytest.fixture(scope="module")
def district():
    return generate_district()


@pytest.fixture(scope="module")
def small():
    return generate_district(**SMALL)


def _age(person) -> int:
    return facts.age_on(person.birth_date, REFERENCE_DATE)


def _resume_like(lines):
    return [
        types.SimpleNamespace(id=i, start_month=r.start_month, end_month=r.end_month, text=r.text, during_id=r.during)
        for i, r in enumerate(lines)
    ]


def _current(person, kind_of_post, district):
    posts = {(p.unit_code, p.name): p for p in district.posts}
    return [t for t in person.tenures if t.end_date is None and posts[(t.unit_code, t.post_name)].kind == kind_of_post]


def _load_small():
    out = io.StringIO()
    call_command("load_demo_district", *SMALL_ARGS, stdout=out)
    return out.getvalue()


# ------------------------------------------------------------------------------- generator, no database


def test_same_seed_gives_identical_district(small):
    assert generate_district(**SMALL) == small
    again = generate_district()
    first = generate_district()
    assert [(p.name, p.id_number, p.birth_date) for p in again.people] == [
        (p.name, p.id_number, p.birth_date) for p in first.people
    ]


def test_another_seed_gives_other_people(small):
    other = generate_district(seed=8, schools=6, people=200)
    assert [p.id_number for p in other.people] != [p.id_number for p in small.people]
    assert [p.name for p in other.people] != [p.name for p in small.people]


def test_generation_never_reads_todays_date(small, monkeypatch):
    class NoToday(dt.date):
        @classmethod
        def today(cls):
            raise AssertionError("the demo must not depend on today's date")

    frozen = types.SimpleNamespace(date=NoToday, timedelta=dt.timedelta)
    monkeypatch.setattr(generator, "dt", frozen)
    assert generate_district(**SMALL) == small


def test_counts_hit_the_targets(district, small):
    assert len(district.people) == 3000 and len(district.schools) == 60
    assert len(small.people) == 200 and len(small.schools) == 6
    sizes = collections.Counter(p.unit_code for p in district.people)
    assert all(sizes[s.code] == s.size for s in district.schools)
    assert sizes[district.bureau.code] == 30
    assert [s.code for s in district.schools[:3]] == ["S0001", "S0002", "S0003"]


def test_sizes_too_small_for_the_schools_are_refused():
    with pytest.raises(DemoSizeError, match="至少需要"):
        generate_district(schools=20, people=100)


def test_all_school_stages_are_present_most_schools_primary_or_junior(district):
    stages = collections.Counter(s.stage for s in district.schools)
    assert set(stages) == set(c.Stage.values)
    assert stages[c.Stage.PRIMARY] == max(stages.values())
    assert stages[c.Stage.PRIMARY] + stages[c.Stage.JUNIOR] >= len(district.schools) / 2
    private = [s for s in district.schools if s.ownership == c.Ownership.PRIVATE]
    assert 2 <= len(private) <= 6
    assert 6 <= len({s.township for s in district.schools}) <= 8
    assert len({s.name for s in district.schools}) == 60
    assert district.schools[0].name == "示范区第一实验小学"


def test_every_id_number_is_valid_unique_and_agrees_with_birth_and_sex(district):
    numbers = [p.id_number for p in district.people]
    assert len(set(numbers)) == len(numbers)
    for person in district.people:
        info = parse_id_number(person.id_number)
        assert info.birth_date == person.birth_date
        assert info.sex == person.sex
        assert info.region.startswith("37")  # Shandong
    assert len({n[14:16] for n in numbers}) > 50  # sequence codes vary


def test_ages_are_working_ages(district):
    for person in district.people:
        assert 23 <= _age(person) <= (59 if person.sex == c.Sex.MALE else 55)


def test_more_women_teach_in_primary_than_in_senior_schools(district):
    def female_share(stage):
        codes = {s.code for s in district.schools if s.stage == stage}
        staff = [p for p in district.people if p.unit_code in codes]
        return sum(p.sex == c.Sex.FEMALE for p in staff) / len(staff)

    assert female_share(c.Stage.KINDERGARTEN) > female_share(c.Stage.PRIMARY) > female_share(c.Stage.SENIOR)
    assert female_share(c.Stage.PRIMARY) > 0.6


def test_about_forty_percent_are_party_members_who_joined_after_eighteen(district):
    members = [p for p in district.people if p.political_status in PARTY]
    assert 0.35 <= len(members) / len(district.people) <= 0.45
    for person in members:
        assert facts.age_on(person.birth_date, person.party_join_date) >= 18
        assert person.party_join_date < REFERENCE_DATE
    assert all(p.party_join_date is None for p in district.people if p.political_status not in PARTY)


def test_work_starts_after_full_time_education(district):
    for person in district.people:
        full_time = [e for e in person.educations if e.kind == c.EducationKind.FULL_TIME]
        assert full_time
        assert max(e.end_date for e in full_time) < person.work_start_date <= REFERENCE_DATE
        for e in person.educations:
            assert e.start_date < e.end_date <= REFERENCE_DATE
    in_service = sum(1 for p in district.people for e in p.educations if e.kind == c.EducationKind.IN_SERVICE)
    assert in_service > 200


def test_titles_rise_in_order_after_work_starts(district):
    for person in district.people:
        ranks = [c.TITLE_RANK[t.title] for t in person.titles]
        assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
        assert all(t.obtained_on > person.work_start_date for t in person.titles)
    top = collections.Counter(p.titles[-1].title for p in district.people if p.titles)
    assert top[c.TeacherTitle.PROFESSOR] < 0.02 * len(district.people)
    assert top[c.TeacherTitle.FIRST] > top[c.TeacherTitle.PROFESSOR]


def test_appraisals_cover_the_last_five_years_mostly_competent(district):
    grades = collections.Counter(g for p in district.people for _y, g in p.appraisals)
    total = sum(grades.values())
    assert 0.12 <= grades[c.AppraisalGrade.EXCELLENT] / total <= 0.2
    assert grades[c.AppraisalGrade.COMPETENT] / total > 0.75
    assert 0 < grades[c.AppraisalGrade.BASIC] + grades[c.AppraisalGrade.INCOMPETENT] < 0.02 * total
    veteran = next(p for p in district.people if p.work_start_date.year < 2015)
    assert [y for y, _g in veteran.appraisals] == [2021, 2022, 2023, 2024, 2025]


def test_resumes_run_from_study_without_gaps_to_one_open_line(district):
    for person in district.people:
        lines = _resume_like(person.resume)
        assert facts.resume_gaps(lines) == []
        mains = [line for line in person.resume if line.during is None]
        assert mains[0].text.endswith("学习")
        assert [line.end_month is None for line in mains] == [False] * (len(mains) - 1) + [True]
        for line in person.resume:
            if line.during is not None:
                parent = person.resume[line.during]
                assert parent.start_month <= line.start_month
                assert parent.end_month is None or line.start_month <= parent.end_month


def test_every_school_has_a_party_secretary_and_some_posts_are_left_vacant(district):
    posts = {(p.unit_code, p.name): p for p in district.posts}
    held = collections.Counter(
        (t.unit_code, t.post_name) for p in district.people for t in p.tenures if t.end_date is None
    )
    for school in district.schools:
        secretary = next(
            p for p in district.posts if p.unit_code == school.code and p.kind == c.PostKind.PARTY_SECRETARY
        )
        assert held[(school.code, secretary.name)] == 1
    assert all(n <= posts[key].headcount for key, n in held.items())
    cadre_posts = [p for p in district.posts if p.kind not in (c.PostKind.TEACHER, c.PostKind.BUREAU_CADRE)]
    vacant = [p for p in cadre_posts if held[(p.unit_code, p.name)] < p.headcount]
    assert 10 <= len(vacant) <= 0.2 * len(cadre_posts)
    assert any(p.kind == c.PostKind.PRINCIPAL for p in vacant)
    first_school = [p for p in cadre_posts if p.unit_code == "S0001"]
    assert all(held[(p.unit_code, p.name)] == p.headcount for p in first_school)


def test_principals_include_some_near_the_age_limit_and_some_of_ten_years_standing(district):
    principals = [p for p in district.people if _current(p, c.PostKind.PRINCIPAL, district)]
    near_limit = [p for p in principals if _age(p) == 59]
    assert 1 <= len(near_limit) <= 3
    long_serving = []
    for person in principals:
        post_rows = [
            t for t in person.tenures if t.post_name == _current(person, c.PostKind.PRINCIPAL, district)[0].post_name
        ]
        start = min(t.start_date for t in post_rows if t.unit_code == person.unit_code)
        if facts.full_months_between(start, REFERENCE_DATE) >= 120:
            long_serving.append(person)
            assert max(t.term_number for t in post_rows) >= 4
    assert len(long_serving) >= 3


def test_cadre_tenures_carry_document_numbers_terms_and_probation(district):
    document = re.compile(r"^(示教工委|示区委|\S+党字)〔(\d{4})〕\d+号$")
    posts = {(p.unit_code, p.name): p for p in district.posts}
    for person in district.people:
        rows = sorted(person.tenures, key=lambda t: (t.start_date, t.post_name))
        assert rows[0].start_date >= person.work_start_date
        assert any(t.end_date is None for t in rows)
        for t in rows:
            assert t.end_date is None or t.end_date >= t.start_date
            if posts[(t.unit_code, t.post_name)].level == c.PostLevel.STAFF:
                assert t.document_number == "" and t.term_number == 1
                continue
            match = document.match(t.document_number)
            assert match, t.document_number
            assert int(match.group(2)) == t.start_date.year
            if t.term_number > 1:
                assert t.probation_end is None
            if t.probation_end:
                assert t.probation_end == t.start_date.replace(year=t.start_date.year + 1)
    terms = collections.Counter(t.term_number for p in district.people for t in p.tenures)
    assert terms[2] > 100 and terms[4] > 0


def test_couples_on_the_registry_point_at_each_other(district):
    links = [(p.index, f.relative) for p in district.people for f in p.family if f.relative is not None]
    assert 55 <= len(links) <= 70  # about 30 couples, each recorded on both sides
    pairs = set(links)
    assert all((b, a) in pairs for a, b in pairs)
    people = district.people
    assert all(people[a].sex != people[b].sex for a, b in pairs)
    same_school = [(a, b) for a, b in pairs if people[a].unit_code == people[b].unit_code]
    assert len(same_school) >= 6
    emigrated = [f for p in people for f in p.family if f.emigrated]
    assert emigrated


def test_demo_accounts_cover_every_role(small):
    roles = collections.Counter(a.role for a in small.accounts)
    assert set(roles) - {""} == set(Role.values)
    assert roles[Role.COMMITTEE_MEMBER] == 9
    linked = [a.person for a in small.accounts if a.person is not None]
    assert len(linked) == len(set(linked)) == 16


# ---------------------------------------------------------------------------------------- database


@pytest.mark.django_db
def test_command_loads_the_district_and_records_one_audit_event(small):
    output = _load_small()
    assert Organization.objects.filter(kind=c.OrgKind.SCHOOL).count() == 6
    assert Organization.objects.get(code="B0001").name == "示范区教育局"
    assert Person.objects.count() == 200
    assert sorted(Person.objects.values_list("id_number", flat=True)) == sorted(p.id_number for p in small.people)
    event = AuditEvent.objects.get(action="demo_district_loaded")
    assert event.object_type == "cadres.demo" and event.object_id == "7" and event.actor is None
    assert event.payload["people"] == 200 and event.payload["accounts"] == 17
    assert Tenure.objects.count() == event.payload["tenures"]
    for needle in ("officer", "组织人事科干部", "示范区教育局", DEMO_PASSWORD, "http://127.0.0.1:8000/", "本机"):
        assert needle in output


@pytest.mark.django_db
def test_loaded_rows_pass_model_validation_and_resumes_have_no_gaps():
    _load_small()
    for person in Person.objects.prefetch_related("resume_entries", "family", "tenures"):
        person.full_clean()
        assert facts.resume_gaps(list(person.resume_entries.all())) == []
    assert ResumeEntry.objects.filter(during__isnull=False).exists()
    for tenure in Tenure.objects.all():
        tenure.full_clean()


@pytest.mark.django_db
def test_every_demo_unit_has_a_phone_an_address_and_a_postcode_for_its_notices():
    _load_small()
    units = list(Organization.objects.order_by("code"))
    for unit in units:
        unit.full_clean()  # the postcode is six digits
        assert unit.contact_phone.startswith("0519-") and unit.address.startswith("示范区") and unit.postcode
    assert len({u.contact_phone for u in units}) == len(units)
    bureau = Organization.objects.get(code="B0001")
    assert (bureau.contact_phone, bureau.address) == ("0519-86120000", "示范区城关街道人民路88号")
    assert Organization.objects.get(code="S0001").contact_phone == "0519-86130001"


@pytest.mark.django_db
def test_every_role_has_a_demo_user_with_a_profile():
    _load_small()
    User = get_user_model()
    for role in Role.values:
        users = User.objects.filter(groups__name=role)
        assert users.exists(), role
        assert all(Profile.objects.filter(user=u).exists() for u in users)
    assert User.objects.filter(groups__name=Role.COMMITTEE_MEMBER).count() == 9
    first_school = Organization.objects.get(code="S0001")
    for username in ("secretary", "teacher", "judge"):
        profile = User.objects.get(username=username).profile
        assert profile.organization == first_school
        assert profile.person.organization == first_school
    secretary = User.objects.get(username="secretary").profile.person
    assert secretary.tenures.filter(end_date__isnull=True, post__kind=c.PostKind.PARTY_SECRETARY).exists()
    teacher = User.objects.get(username="teacher").profile.person
    assert teacher.tenures.filter(end_date__isnull=True, post__kind=c.PostKind.TEACHER).exists()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="member5").check_password(DEMO_PASSWORD)
    assert User.objects.get(username="officer").profile.organization.is_bureau


@pytest.mark.django_db
def test_second_run_creates_nothing_and_still_prints_the_logins():
    _load_small()
    before = (
        Person.objects.count(),
        Tenure.objects.count(),
        get_user_model().objects.count(),
        AuditEvent.objects.count(),
    )
    output = _load_small()
    after = (
        Person.objects.count(),
        Tenure.objects.count(),
        get_user_model().objects.count(),
        AuditEvent.objects.count(),
    )
    assert after == before
    assert "未做任何改动" in output and "member9" in output and DEMO_PASSWORD in output


@pytest.mark.django_db
def test_linked_couples_may_not_act_on_each_other():
    _load_small()
    links = FamilyMember.objects.filter(relative__isnull=False, relation=c.Relation.SPOUSE)
    assert links.count() >= 4
    judge = get_user_model().objects.get(username="judge")
    spouse = links.get(person=judge.profile.person).relative
    assert spouse.organization == judge.profile.organization
    assert not may_act_on(judge, spouse)
    assert "有亲属关系" in recusal_reason(judge, spouse)
    member = next(
        u
        for u in get_user_model().objects.filter(groups__name=Role.COMMITTEE_MEMBER)
        if links.filter(person=u.profile.person).exists()
    )
    assert not may_act_on(member, links.get(person=member.profile.person).relative)
    stranger = (
        Person.objects.exclude(pk__in=[spouse.pk, judge.profile.person_id])
        .exclude(family__relative__isnull=False)
        .first()
    )
    assert may_act_on(judge, stranger)


@pytest.mark.django_db
def test_posts_carry_kinds_and_levels_and_bureau_posts_are_bureau_cadre():
    _load_small()
    bureau = Organization.objects.get(code="B0001")
    assert set(Post.objects.filter(organization=bureau).values_list("kind", flat=True)) == {c.PostKind.BUREAU_CADRE}
    school_kinds = set(Post.objects.exclude(organization=bureau).values_list("kind", flat=True))
    assert {c.PostKind.PARTY_SECRETARY, c.PostKind.PRINCIPAL, c.PostKind.VICE_PRINCIPAL} <= school_kinds
    assert {c.PostKind.MIDDLE_HEAD, c.PostKind.MIDDLE_DEPUTY, c.PostKind.TEACHER} <= school_kinds
    teacher_post = Post.objects.get(organization__code="S0001", kind=c.PostKind.TEACHER)
    assert teacher_post.headcount >= 40


@pytest.mark.django_db
def test_a_registry_with_other_data_needs_force_and_keeps_its_bureau():
    bureau = BureauFactory(code="B0099", name="原有教育局")
    PersonFactory(organization=OrganizationFactory(code="X0001", name="原有学校", parent=bureau))
    with pytest.raises(CommandError, match="--force"):
        _load_small()
    assert Person.objects.count() == 1
    call_command("load_demo_district", *SMALL_ARGS, "--force", stdout=io.StringIO())
    assert Organization.objects.filter(kind=c.OrgKind.BUREAU).count() == 1
    assert set(Organization.objects.filter(code__startswith="S").values_list("parent", flat=True)) == {bureau.pk}
    assert Person.objects.count() == 201
    assert get_user_model().objects.get(username="officer").profile.organization == bureau


@pytest.mark.django_db
def test_sizes_that_cannot_work_fail_with_a_chinese_message_and_write_nothing():
    with pytest.raises(CommandError, match="至少需要"):
        call_command("load_demo_district", "--schools", "30", "--people", "100", stdout=io.StringIO())
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_default_district_loads_well_under_a_minute():
    started = time.perf_counter()
    call_command("load_demo_district", stdout=io.StringIO())
    elapsed = time.perf_counter() - started
    assert Person.objects.count() == 3000
    assert Organization.objects.filter(kind=c.OrgKind.SCHOOL).count() == 60
    assert FamilyMember.objects.filter(relative__isnull=False).count() == 60
    assert elapsed < 60


@pytest.mark.django_db
def test_the_printed_address_is_the_server_s_when_given():
    """`make run HOST=…` passes its address: the logins are printed with the address the server answers on."""
    _load_small()
    out = io.StringIO()
    call_command("load_demo_district", "--address", "127.0.0.1:8010", stdout=out)
    assert "http://127.0.0.1:8010/" in out.getvalue() and "127.0.0.1:8000" not in out.getvalue()
