"""The 干部任免审批表 content, built from the registry without rendering (regulations.md §6.1, §6.4)."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from PIL import Image

from cadres import choices as c
from cadres.models import Organization, Post, RewardPunishment
from dossiers.content.appointment_form import (
    FIELD_ORDER,
    PHOTO_MAX_SIZE,
    appraisal_sentence,
    build_appointment_form,
    reward_sentence,
)
from tests.factories import (
    AppraisalFactory,
    BureauFactory,
    EducationFactory,
    FamilyMemberFactory,
    OrganizationFactory,
    PersonFactory,
    PostFactory,
    ResumeEntryFactory,
    TenureFactory,
    TitleFactory,
)

D = dt.date
ON = D(2025, 11, 24)


def first_school():
    return Organization.objects.filter(name="示范区第一中学").first() or OrganizationFactory(
        name="示范区第一中学", short_name="一中", stage=c.Stage.COMPLETE
    )


def make_cadre(**overrides):
    """A deputy head of 示范区第一中学 with a full record, as the national form would print it."""
    school = overrides.pop("organization", None) or first_school()
    fields = {
        "name": "王建国",
        "sex": c.Sex.MALE,
        "birth_date": D(1975, 3, 12),
        "organization": school,
        "ethnicity": "汉族",
        "native_place": "江苏常州",
        "birthplace": "江苏武进",
        "political_status": c.PoliticalStatus.CPC_MEMBER,
        "party_join_date": D(1998, 6, 1),
        "work_start_date": D(1996, 8, 1),
        "health": "健康",
        "specialty": "数学教学与学校管理",
    }
    fields.update(overrides)
    person = PersonFactory(**fields)
    EducationFactory(
        person=person, level=c.EducationLevel.BACHELOR, degree=c.Degree.BACHELOR,
        institution="南京师范大学数学系", major="数学教育", end_date=D(1996, 7, 1),
    )  # fmt: skip
    TitleFactory(person=person, title=c.TeacherTitle.SENIOR, obtained_on=D(2012, 12, 1))
    deputy, _ = Post.objects.get_or_create(
        organization=school, name="副校长",
        defaults={"kind": c.PostKind.VICE_PRINCIPAL, "level": c.PostLevel.SCHOOL_DEPUTY, "headcount": 2},
    )  # fmt: skip
    TenureFactory(person=person, post=deputy, start_date=D(2018, 9, 1))
    teacher = ResumeEntryFactory(
        person=person, start_month=D(1996, 8, 1), end_month=D(2018, 9, 1), text="示范区第一中学教师、教务处主任"
    )
    ResumeEntryFactory(person=person, start_month=D(2018, 9, 1), end_month=None, text="示范区第一中学副校长")
    ResumeEntryFactory(person=person, start_month=D(1992, 9, 1), end_month=D(1996, 7, 1), text="南京师范大学学习")
    ResumeEntryFactory(
        person=person, start_month=D(2005, 9, 1), end_month=D(2008, 6, 1),
        text="在华东师范大学教育管理专业在职研究生学习，获教育学硕士学位", during=teacher,
    )  # fmt: skip
    RewardPunishment.objects.create(
        person=person, kind=c.RewardKind.REWARD, date=D(2015, 9, 10), approver="示范区人民政府",
        description="授予示范区优秀教育工作者称号",
    )  # fmt: skip
    for year in (2022, 2023, 2024):
        AppraisalFactory(person=person, year=year, grade=c.AppraisalGrade.COMPETENT)
    FamilyMemberFactory(
        person=person, relation=c.Relation.SPOUSE, name="陈丽", birth_month=D(1977, 5, 1),
        political_status=c.PoliticalStatus.CPC_MEMBER, work_unit_and_post="示范区人民医院护士长",
    )  # fmt: skip
    return person


def build(person, **kwargs):
    kwargs.setdefault("on", ON)
    return build_appointment_form(person, **kwargs)


pytestmark = pytest.mark.django_db


# ---- shape and order -------------------------------------------------------------------------------------------


def test_keys_follow_the_national_form_order_and_the_data_is_plain_json():
    content = build(make_cadre())
    assert list(content)[: len(FIELD_ORDER)] == [key for key, _label in FIELD_ORDER]
    assert [label for _key, label in FIELD_ORDER][:3] == ["姓名", "性别", "出生年月"]
    assert json.loads(json.dumps(content, ensure_ascii=False)) == content


def test_every_basic_field_prints_as_the_form_writes_it():
    content = build(
        make_cadre(),
        proposed_post=" 示范区第一中学校长 ",
        proposed_removal="示范区第一中学副校长",
        reason="工作需要",
        reporting_unit="中共示范区教育工作委员会",
        filled_by="刘敏",
    )
    assert content["title"] == "干部任免审批表"
    assert content["name"] == "王建国"
    assert content["sex"] == "男"
    assert content["birth_month"] == "1975.03"
    assert content["age"] == 50
    assert content["age_text"] == "(50岁)"
    assert (content["ethnicity"], content["native_place"], content["birthplace"]) == ("汉族", "江苏常州", "江苏武进")
    assert content["party_join"] == "1998.06"
    assert content["work_start"] == "1996.08"
    assert content["health"] == "健康"
    assert content["professional_title"] == "高级教师"
    assert content["specialty"] == "数学教学与学校管理"
    assert content["current_post"] == "示范区第一中学副校长"
    assert content["proposed_post"] == "示范区第一中学校长"
    assert content["proposed_removal"] == "示范区第一中学副校长"
    assert content["reason"] == "工作需要"
    assert content["reporting_unit"] == "中共示范区教育工作委员会"
    assert content["age_date"] == "2025.11.24"
    assert content["on"] == "2025-11-24"
    assert content["filled_by"] == "刘敏"
    assert content["photo"] == ""


# ---- 出生年月 and age ----------------------------------------------------------------------------------------------


def test_printed_month_is_the_archive_month_while_age_counts_from_the_id_card_date():
    person = make_cadre(birth_date=D(1975, 3, 12), record_birth_month=D(1974, 12, 1))
    content = build(person, on=D(2025, 3, 12))
    assert content["birth_month"] == "1974.12"
    assert content["age"] == 50


@pytest.mark.parametrize(
    ("on", "age"),
    [(D(2025, 11, 23), 49), (D(2025, 11, 24), 50), (D(2025, 11, 25), 50)],
)
def test_age_increases_on_the_birthday_itself(on, age):
    content = build(make_cadre(birth_date=D(1975, 11, 24)), on=on)
    assert content["age"] == age
    assert content["age_text"] == f"({age}岁)"


@pytest.mark.parametrize(
    ("on", "age"),
    [(D(2025, 2, 28), 40), (D(2025, 3, 1), 41), (D(2024, 2, 28), 39), (D(2024, 2, 29), 40)],
)
def test_someone_born_on_29_february_turns_a_year_older_on_1_march_in_common_years(on, age):
    content = build(make_cadre(birth_date=D(1984, 2, 29)), on=on)
    assert content["birth_month"] == "1984.02"
    assert content["age"] == age


# ---- 入党时间 -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "join", "printed"),
    [
        (c.PoliticalStatus.MASSES, None, "群众"),
        (c.PoliticalStatus.DEMOCRATIC_PARTY, None, "民主党派"),
        (c.PoliticalStatus.CYL_MEMBER, None, "共青团员"),
        (c.PoliticalStatus.NON_PARTISAN, None, "无党派人士"),
        (c.PoliticalStatus.CPC_PROBATIONARY, D(2025, 7, 1), "2025.07"),
    ],
)
def test_party_field_prints_the_join_month_for_members_and_the_status_for_others(status, join, printed):
    content = build(make_cadre(political_status=status, party_join_date=join))
    assert content["party_join"] == printed


# ---- 专业技术职务 ---------------------------------------------------------------------------------------------------


def test_title_is_the_latest_obtained_by_the_form_date():
    person = make_cadre()
    TitleFactory(person=person, title=c.TeacherTitle.PROFESSOR, obtained_on=D(2026, 1, 1))
    assert build(person)["professional_title"] == "高级教师"
    assert build(person, on=D(2026, 1, 1))["professional_title"] == "正高级教师"
    assert build(person, on=D(2010, 1, 1))["professional_title"] == ""


# ---- 学历学位 ------------------------------------------------------------------------------------------------------


def test_full_time_education_is_the_highest_and_in_service_is_empty_without_records():
    person = make_cadre()
    EducationFactory(
        person=person, level=c.EducationLevel.JUNIOR_COLLEGE, degree="",
        institution="常州师范专科学校", major="数学", end_date=D(1993, 7, 1),
    )  # fmt: skip
    content = build(person)
    assert content["full_time_education"] == {
        "level": "大学本科",
        "degree": "学士",
        "level_school": "南京师范大学数学系数学教育专业",
        "degree_school": "南京师范大学数学系数学教育专业",
        "schools": ["南京师范大学数学系数学教育专业"],
    }
    assert content["in_service_education"] == {
        "level": "",
        "degree": "",
        "level_school": "",
        "degree_school": "",
        "schools": [],
    }


def test_in_service_degree_and_level_come_from_their_own_highest_records():
    person = make_cadre()
    EducationFactory(
        person=person, kind=c.EducationKind.IN_SERVICE, level=c.EducationLevel.BACHELOR, degree="",
        institution="江苏教育学院", major="数学教育专业", end_date=D(2001, 7, 1),
    )  # fmt: skip
    EducationFactory(
        person=person, kind=c.EducationKind.IN_SERVICE, level=c.EducationLevel.BACHELOR, degree=c.Degree.MASTER,
        institution="华东师范大学", major="教育管理", end_date=D(2008, 6, 1),
    )  # fmt: skip
    EducationFactory(
        person=person,
        kind=c.EducationKind.IN_SERVICE,
        level=c.EducationLevel.DOCTOR,
        degree=c.Degree.DOCTOR,
        institution="北京师范大学",
        major="教育学",
        end_date=D(2027, 6, 1),
    )  # fmt: skip (not finished at the form date)
    edu = build(person)["in_service_education"]
    assert edu["level"] == "大学本科"
    assert edu["degree"] == "硕士"
    assert edu["degree_school"] == "华东师范大学教育管理专业"
    # The 本科 学历 was obtained at 江苏教育学院; the 2008 record holds a degree on that 学历 (同等学力申硕), so
    # each prints with its own school — as the LRMX export writes them (cadres.facts.education_records).
    assert edu["level_school"] == "江苏教育学院数学教育专业"
    assert edu["schools"] == ["江苏教育学院数学教育专业", "华东师范大学教育管理专业"]


def test_a_degree_from_another_school_prints_as_a_second_school_line():
    person = make_cadre()
    EducationFactory(
        person=person, kind=c.EducationKind.IN_SERVICE, level=c.EducationLevel.BACHELOR, degree="",
        institution="江苏教育学院", major="", end_date=D(2001, 7, 1),
    )  # fmt: skip
    EducationFactory(
        person=person, kind=c.EducationKind.IN_SERVICE, level=c.EducationLevel.HIGH_SCHOOL, degree=c.Degree.MASTER,
        institution="华东师范大学", major="教育管理", end_date=D(2008, 6, 1),
    )  # fmt: skip
    edu = build(person)["in_service_education"]
    assert edu["schools"] == ["江苏教育学院", "华东师范大学教育管理专业"]


# ---- 现任职务 ------------------------------------------------------------------------------------------------------


def test_current_posts_put_the_senior_post_first_and_share_the_unit_name():
    school = OrganizationFactory(name="示范区第二中学")
    person = make_cadre(organization=school)
    person.tenures.all().delete()
    principal = PostFactory(organization=school, name="校长", kind=c.PostKind.PRINCIPAL, level=c.PostLevel.SCHOOL_HEAD)
    secretary = PostFactory(
        organization=school, name="党总支书记", kind=c.PostKind.PARTY_SECRETARY, level=c.PostLevel.SCHOOL_HEAD
    )
    deputy = Post.objects.get(organization=school, name="副校长")
    TenureFactory(person=person, post=deputy, start_date=D(2015, 9, 1), end_date=D(2019, 8, 31))
    TenureFactory(person=person, post=principal, start_date=D(2019, 9, 1))
    TenureFactory(person=person, post=secretary, start_date=D(2021, 9, 1))
    assert build(person)["current_post"] == "示范区第二中学党总支书记、校长"
    assert build(person, on=D(2020, 1, 1))["current_post"] == "示范区第二中学校长"
    assert build(person, on=D(2016, 1, 1))["current_post"] == "示范区第二中学副校长"


def test_posts_in_two_units_are_separated_and_without_posts_a_school_member_is_a_teacher():
    person = make_cadre()
    bureau = BureauFactory(name="示范区教育局")
    TenureFactory(person=person, post=PostFactory(organization=bureau, name="兼职督学"), start_date=D(2020, 1, 1))
    assert build(person)["current_post"] == "示范区第一中学副校长；示范区教育局兼职督学"
    assert build(person, on=D(2017, 1, 1))["current_post"] == "示范区第一中学教师"
    official = PersonFactory(organization=bureau)
    assert build(official)["current_post"] == "示范区教育局"


# ---- 简历 ---------------------------------------------------------------------------------------------------------


def test_resume_lines_are_in_time_order_with_the_open_end_as_seven_spaces_and_the_during_line_inside():
    assert build(make_cadre())["resume"] == [
        "1992.09--1996.07  南京师范大学学习",
        "1996.08--2018.09  示范区第一中学教师、教务处主任",
        "（其间：2005.09--2008.06 在华东师范大学教育管理专业在职研究生学习，获教育学硕士学位）",
        "2018.09--         示范区第一中学副校长",
    ]


def test_resume_lines_starting_after_the_form_date_are_left_out():
    lines = build(make_cadre(), on=D(2000, 1, 1))["resume"]
    assert lines == ["1992.09--1996.07  南京师范大学学习", "1996.08--2018.09  示范区第一中学教师、教务处主任"]


# ---- 奖惩情况 ------------------------------------------------------------------------------------------------------


def test_rewards_print_as_dated_sentences_in_date_order():
    person = make_cadre()
    RewardPunishment.objects.create(
        person=person, kind=c.RewardKind.PUNISHMENT, date=D(2010, 3, 5), approver="", description="受到通报批评"
    )
    RewardPunishment.objects.create(
        person=person, kind=c.RewardKind.REWARD, date=D(2026, 1, 5), approver="市政府", description="未来的奖励"
    )
    assert build(person)["rewards"] == [
        "2010年03月，受到通报批评。",
        "2015年09月，经示范区人民政府批准，授予示范区优秀教育工作者称号。",
    ]


@pytest.mark.parametrize(
    ("kind", "description", "sentence"),
    [
        (c.RewardKind.REWARD, "授予示范区优秀教师称号", "授予示范区优秀教师称号"),
        (c.RewardKind.REWARD, "2012年度示范区优秀教育工作者", "授予2012年度示范区优秀教育工作者称号"),
        (c.RewardKind.REWARD, "被评为市级骨干教师。", "被评为市级骨干教师"),
        (c.RewardKind.REWARD, "市级课题一等奖", "授予市级课题一等奖"),
        (c.RewardKind.PUNISHMENT, "警告", "给予警告处分"),
        (c.RewardKind.PUNISHMENT, "记过处分", "给予记过处分"),
        (c.RewardKind.PUNISHMENT, "给予降低岗位等级处分", "给予降低岗位等级处分"),
        (c.RewardKind.PUNISHMENT, "诫勉谈话", "诫勉谈话"),
    ],
)
def test_a_reward_or_sanction_gets_the_verb_the_form_uses(kind, description, sentence):
    assert reward_sentence(kind, description) == sentence


def test_no_rewards_print_as_none():
    person = make_cadre()
    person.rewards_punishments.all().delete()
    assert build(person)["rewards"] == ["无"]


# ---- 年度考核结果 ---------------------------------------------------------------------------------------------------


def _grades(**by_year):
    return [SimpleNamespace(year=int(y[1:]), grade=g) for y, g in by_year.items()]


E, C, B, U = (
    c.AppraisalGrade.EXCELLENT,
    c.AppraisalGrade.COMPETENT,
    c.AppraisalGrade.BASIC,
    c.AppraisalGrade.INCOMPETENT,
)


@pytest.mark.parametrize(
    ("grades", "sentence"),
    [
        (_grades(y2022=C, y2023=C, y2024=C), "2022年、2023年、2024年年度考核均为合格"),
        (_grades(y2022=E, y2023=C, y2024=C), "2022年度考核为优秀，2023年、2024年年度考核为合格"),
        (_grades(y2022=C, y2023=C, y2024=E), "2022年、2023年年度考核为合格，2024年度考核为优秀"),
        (_grades(y2022=C, y2023=E, y2024=C), "2022年度考核为合格，2023年度考核为优秀，2024年度考核为合格"),
        (_grades(y2022=B, y2023=U, y2024=C), "2022年度考核为基本合格，2023年度考核为不合格，2024年度考核为合格"),
        (_grades(y2023=E, y2024=E), "2023年、2024年年度考核均为优秀"),
        (_grades(y2024=C), "2024年度考核为合格"),
        (_grades(y2020=E, y2021=E, y2025=E), "无"),  # outside the three years before 2025
        ([], "无"),
    ],
)
def test_appraisal_sentence_covers_the_three_years_before_the_form_year(grades, sentence):
    assert appraisal_sentence(grades, ON) == sentence


def test_appraisal_sentence_comes_from_the_registry():
    person = make_cadre()
    AppraisalFactory(person=person, year=2025, grade=c.AppraisalGrade.EXCELLENT)
    assert build(person)["appraisal"] == "2022年、2023年、2024年年度考核均为合格"
    assert build(person, on=D(2026, 1, 15))["appraisal"] == "2023年、2024年年度考核为合格，2025年度考核为优秀"


# ---- 家庭主要成员及重要社会关系 -------------------------------------------------------------------------------


def test_family_rows_list_spouse_children_parents_in_laws_siblings_then_others():
    person = make_cadre()
    for relation, name, born in [
        (c.Relation.OTHER, "赵六", D(1970, 1, 1)),
        (c.Relation.SISTER, "王芳", D(1978, 1, 1)),
        (c.Relation.MOTHER_IN_LAW, "李母", D(1952, 1, 1)),
        (c.Relation.MOTHER, "张桂英", D(1950, 8, 1)),
        (c.Relation.DAUGHTER, "王小雨", D(2008, 1, 1)),
        (c.Relation.FATHER, "王德福", D(1948, 2, 1)),
        (c.Relation.SON, "王子涵", D(2003, 10, 1)),
        (c.Relation.BROTHER, "王建军", D(1972, 6, 1)),
    ]:
        FamilyMemberFactory(person=person, relation=relation, name=name, birth_month=born)
    names = [row["name"] for row in build(person)["family"]]
    assert names == ["陈丽", "王子涵", "王小雨", "王德福", "张桂英", "李母", "王建军", "王芳", "赵六"]


def test_family_rows_carry_both_birth_month_and_age_at_the_form_date():
    person = make_cadre()
    FamilyMemberFactory(person=person, relation=c.Relation.FATHER, name="王德福", birth_month=D(1948, 11, 1))
    FamilyMemberFactory(person=person, relation=c.Relation.OTHER, name="无生日", birth_month=None, political_status="")
    rows = build(person)["family"]
    assert rows[0] == {
        "relation": "配偶",
        "name": "陈丽",
        "birth_month": "1977.05",
        "age": 48,
        "political_status": "中共党员",
        "work_unit_and_post": "示范区人民医院护士长",
    }
    assert (rows[1]["birth_month"], rows[1]["age"]) == ("1948.11", 77)  # counted from the 1st of the month
    assert (rows[2]["birth_month"], rows[2]["age"], rows[2]["political_status"]) == ("", None, "")


def test_in_laws_are_named_from_the_persons_side():
    husband = make_cadre()
    wife = make_cadre(name="李秀英", sex=c.Sex.FEMALE, birth_date=D(1980, 5, 17))
    for person in (husband, wife):
        FamilyMemberFactory(person=person, relation=c.Relation.FATHER_IN_LAW, name="老周")
        FamilyMemberFactory(person=person, relation=c.Relation.MOTHER_IN_LAW, name="老吴")
    assert [r["relation"] for r in build(husband)["family"]][1:] == ["岳父", "岳母"]
    assert [r["relation"] for r in build(wife)["family"]][1:] == ["公公", "婆婆"]


def test_family_age_or_birth_month_is_chosen_by_argument_or_setting():
    person = make_cadre()
    assert build(person)["family_age"] is True
    assert build(person, family_age=False)["family_age"] is False
    with override_settings(DOSSIER_FAMILY_AGE=False):
        assert build(person)["family_age"] is False
        assert build(person, family_age=True)["family_age"] is True


# ---- photo -------------------------------------------------------------------------------------------------------


def _image_bytes(size, fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 190, 210)).save(buffer, format=fmt)
    return buffer.getvalue()


def test_a_large_photo_is_downscaled_into_a_jpeg_data_uri():
    person = make_cadre()
    person.photo.save("big.png", ContentFile(_image_bytes((1880, 2300))), save=True)
    uri = build(person)["photo"]
    assert uri.startswith("data:image/jpeg;base64,")
    with Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))) as image:
        assert image.format == "JPEG"
        assert image.width <= PHOTO_MAX_SIZE[0] and image.height <= PHOTO_MAX_SIZE[1]
        assert image.size == (376, 460)


def test_a_small_photo_keeps_its_size_and_an_unreadable_one_leaves_the_box_empty():
    person = make_cadre()
    person.photo.save("small.jpg", ContentFile(_image_bytes((120, 150), "JPEG")), save=True)
    with Image.open(io.BytesIO(base64.b64decode(build(person)["photo"].split(",", 1)[1]))) as image:
        assert image.size == (120, 150)
    person.photo.save("broken.jpg", ContentFile(b"not an image"), save=True)
    assert build(person)["photo"] == ""
