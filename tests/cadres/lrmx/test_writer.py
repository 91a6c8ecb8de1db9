"""Writing .lrmx bytes: the schema's element order, UTF-8, CRLF lines, JPEG photo, and the registry mapping."""

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from django.core.files.base import ContentFile

from cadres import choices as c
from cadres.lrmx import schema
from cadres.lrmx.reader import read_lrmx
from cadres.lrmx.writer import lrmx_from_person, render_lrmx, write_person
from tests.factories import (
    AppraisalFactory,
    EducationFactory,
    FamilyMemberFactory,
    PersonFactory,
    PostFactory,
    TenureFactory,
    TitleFactory,
)

from .samples import jpeg_bytes, png_bytes, sample_file

D = dt.date


@pytest.fixture
def sample():
    return read_lrmx(sample_file())


def test_elements_are_written_in_the_schema_order(sample):
    root = ET.fromstring(render_lrmx(sample))
    assert root.tag == "Person"
    assert [child.tag for child in root] == [e.tag for e in schema.PERSON_ELEMENTS]
    items = root.find("JiaTingChengYuan").findall("Item")
    assert len(items) == 5
    assert [child.tag for child in items[0]] == [e.tag for e in schema.FAMILY_ELEMENTS]


def test_the_file_is_utf8_xml_with_crlf_resume_lines_and_yyyymm_dates(sample):
    data = render_lrmx(sample)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    text = data.decode("utf-8")
    assert "<ChuShengNianYue>197503</ChuShengNianYue>" in text
    assert "<JiSuanNianLingShiJian>20250601</JiSuanNianLingShiJian>" in text
    assert "<ChuShengRiQi>197705</ChuShengRiQi>" in text
    assert "<Version>3.2.1.16</Version>" in text
    resume = text[text.index("<JianLi>") : text.index("</JianLi>")]
    assert resume.count("\r\n") == 4 and "\n" not in resume.replace("\r\n", "")
    assert "<NiRenZhiWu>常州市武进区第一实验小学校长</NiRenZhiWu>" in text


def test_reading_what_was_written_gives_the_same_person(sample):
    assert read_lrmx(render_lrmx(sample)) == sample


def test_a_png_photo_is_written_as_jpeg(sample):
    written = read_lrmx(render_lrmx(replace(sample, photo=png_bytes())))
    assert written.photo.startswith(b"\xff\xd8\xff")


def test_characters_xml_forbids_are_dropped(sample):
    written = read_lrmx(render_lrmx(replace(sample, specialty="数学\x0b教学\x00")))
    assert written.specialty == "数学教学"


@pytest.mark.django_db
def test_a_registry_person_maps_to_the_form_conventions():
    school = PostFactory(organization__name="第一实验小学", name="副校长").organization
    person = PersonFactory(
        name="赵敏", sex=c.Sex.FEMALE, birth_date=D(1980, 5, 17), organization=school, party_join_date=D(2003, 6, 1)
    )
    TenureFactory(person=person, post=school.posts.get(), start_date=D(2020, 9, 1))
    EducationFactory(person=person, level=c.EducationLevel.JUNIOR_COLLEGE, degree="", institution="常州师范专科学校")
    EducationFactory(person=person, level=c.EducationLevel.BACHELOR, degree=c.Degree.BACHELOR, end_date=D(2002, 7, 1))
    EducationFactory(
        person=person,
        kind=c.EducationKind.IN_SERVICE,
        level=c.EducationLevel.MASTER,
        degree="",
        institution="南京师范大学",
        major="教育管理",
    )
    EducationFactory(
        person=person,
        kind=c.EducationKind.IN_SERVICE,
        level=c.EducationLevel.BACHELOR,
        degree=c.Degree.MASTER,
        institution="华东师范大学",
        major="教育学",
    )
    TitleFactory(person=person, title=c.TeacherTitle.SECOND, obtained_on=D(2008, 12, 1))
    TitleFactory(person=person, title=c.TeacherTitle.FIRST, obtained_on=D(2014, 12, 1))
    TitleFactory(person=person, title=c.TeacherTitle.SENIOR, obtained_on=D(2030, 12, 1))  # not yet at the date
    for year, grade in ((2020, "excellent"), (2021, "competent"), (2022, "competent"), (2023, "excellent")):
        AppraisalFactory(person=person, year=year, grade=grade)
    FamilyMemberFactory(person=person, relation=c.Relation.SPOUSE, name="钱军", birth_month=D(1979, 1, 1))
    FamilyMemberFactory(person=person, relation=c.Relation.FATHER_IN_LAW, name="钱父", birth_month=D(1950, 1, 1))
    FamilyMemberFactory(person=person, relation=c.Relation.SISTER, name="赵丽", birth_month=D(1983, 1, 1))

    lrmx = lrmx_from_person(person, on=D(2025, 6, 1), proposed_post="第一实验小学校长")
    assert (lrmx.sex, lrmx.birth_month, lrmx.party_join) == ("F", D(1980, 5, 1), "200306")
    assert (lrmx.full_time_level, lrmx.full_time_degree) == ("大学本科", "学士")
    assert (lrmx.full_time_level_school, lrmx.full_time_degree_school) == ("山东师范大学数学与应用数学专业", "")
    assert (lrmx.in_service_level, lrmx.in_service_degree) == ("硕士研究生", "硕士")
    assert (lrmx.in_service_level_school, lrmx.in_service_degree_school) == (
        "南京师范大学教育管理专业",
        "华东师范大学教育学专业",
    )
    assert lrmx.professional_title == "一级教师"
    assert lrmx.current_post == "第一实验小学副校长"
    assert lrmx.appraisals == "2021年、2022年年度考核为合格，2023年度考核为优秀"
    assert lrmx.rewards == "无"
    assert [(m.relation, m.name) for m in lrmx.family] == [("丈夫", "钱军"), ("公公", "钱父"), ("妹妹", "赵丽")]
    assert (lrmx.proposed_post, lrmx.age_reference_date, lrmx.version) == (
        "第一实验小学校长",
        D(2025, 6, 1),
        "3.2.1.16",
    )
    assert lrmx.photo is None


@pytest.mark.django_db
def test_a_stored_png_photo_is_exported_as_jpeg():
    person = PersonFactory()
    person.photo.save("p.png", ContentFile(png_bytes()), save=True)
    exported = read_lrmx(write_person(person))
    assert exported.photo.startswith(b"\xff\xd8\xff")


@pytest.mark.django_db
def test_a_stored_jpeg_photo_is_exported_unchanged():
    person = PersonFactory()
    person.photo.save("p.jpg", ContentFile(jpeg_bytes()), save=True)
    assert read_lrmx(write_person(person)).photo == jpeg_bytes()
