"""factory-boy factories for the registry; tests build data through these or through services."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cadres import choices as c
from cadres import models as m
from cadres.idcard import make_id_number

_id_seq = itertools.count(1)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Organization

    code = factory.Sequence(lambda n: f"S{n:04d}")
    name = factory.Sequence(lambda n: f"第{n}实验学校")
    short_name = factory.LazyAttribute(lambda o: o.name)
    kind = c.OrgKind.SCHOOL
    stage = c.Stage.PRIMARY
    township = "城关街道"
    ownership = c.Ownership.PUBLIC


class BureauFactory(OrganizationFactory):
    code = factory.Sequence(lambda n: f"B{n:04d}")
    name = factory.Sequence(lambda n: f"示范区教育局{n}")
    kind = c.OrgKind.BUREAU
    stage = ""


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Post

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"副校长{n}")
    kind = c.PostKind.VICE_PRINCIPAL
    level = c.PostLevel.SCHOOL_DEPUTY
    headcount = 2


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Person

    name = factory.Sequence(lambda n: f"张{n}")
    sex = c.Sex.MALE
    birth_date = dt.date(1980, 5, 17)
    id_number = factory.LazyAttribute(lambda p: make_id_number("110101", p.birth_date, next(_id_seq), p.sex))
    ethnicity = "汉族"
    native_place = "山东济南"
    birthplace = "山东济南"
    political_status = c.PoliticalStatus.CPC_MEMBER
    party_join_date = dt.date(2003, 6, 1)
    work_start_date = dt.date(2002, 8, 1)
    organization = factory.SubFactory(OrganizationFactory)


class EducationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Education

    person = factory.SubFactory(PersonFactory)
    kind = c.EducationKind.FULL_TIME
    level = c.EducationLevel.BACHELOR
    degree = c.Degree.BACHELOR
    institution = "山东师范大学"
    major = "数学与应用数学"
    start_date = dt.date(1998, 9, 1)
    end_date = dt.date(2002, 7, 1)


class TitleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.TitleHistory

    person = factory.SubFactory(PersonFactory)
    title = c.TeacherTitle.FIRST
    obtained_on = dt.date(2012, 12, 1)


class AppraisalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.AnnualAppraisal

    person = factory.SubFactory(PersonFactory)
    year = 2024
    grade = c.AppraisalGrade.COMPETENT


class FamilyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.FamilyMember

    person = factory.SubFactory(PersonFactory)
    relation = c.Relation.SPOUSE
    name = factory.Sequence(lambda n: f"李{n}")
    birth_month = dt.date(1981, 3, 1)
    political_status = c.PoliticalStatus.MASSES
    work_unit_and_post = "某公司职员"


class TenureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Tenure

    person = factory.SubFactory(PersonFactory)
    post = factory.SubFactory(PostFactory)
    start_date = dt.date(2020, 9, 1)
    end_date = None
    document_number = factory.Sequence(lambda n: f"教工委〔2020〕{n}号")


class ResumeEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ResumeEntry

    person = factory.SubFactory(PersonFactory)
    start_month = dt.date(2002, 8, 1)
    end_month = None
    text = "某小学教师"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-Cadre-2026")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for role in extracted:
                self.groups.add(Group.objects.get(name=role))

    @factory.post_generation
    def organization(self, create, extracted, **kwargs):
        """`organization=<Organization>` (and optionally `person=`) gives the user a Profile."""
        if create and extracted is not None:
            m.Profile.objects.create(user=self, organization=extracted, person=kwargs.get("person"))
