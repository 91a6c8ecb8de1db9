"""Import into and export from the registry: round trips, what an import builds, updates, refusals, scope."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils import timezone

from audit.models import AuditEvent
from cadres import choices as c
from cadres.ethics.models import EthicsAssessment, EthicsGrade
from cadres.idcard import make_id_number
from cadres.lrmx.reader import LrmxError, read_lrmx
from cadres.lrmx.services import person_export_lrmx, person_import_lrmx
from cadres.models import Person, ResumeEntry
from tests.factories import (
    AppraisalFactory,
    EducationFactory,
    FamilyMemberFactory,
    PersonFactory,
    ResumeEntryFactory,
    TitleFactory,
)

from .samples import ID_NUMBER, build_xml, jpeg_bytes, sample_file, sample_values

D = dt.date
pytestmark = pytest.mark.django_db


def do_import(data, user, unit):
    return person_import_lrmx(data, acting_user=user, organization=unit)


def snapshot(person: Person) -> dict:
    """What the registry keeps of a person that an .lrmx file carries (ids and dates the file lacks left out)."""
    person = Person.objects.get(pk=person.pk)
    mains = {e.pk: e.text for e in person.resume_entries.filter(during__isnull=True)}
    return {
        "person": {
            name: getattr(person, name)
            for name in (
                "name",
                "sex",
                "id_number",
                "birth_date",
                "birth_month",
                "ethnicity",
                "native_place",
                "birthplace",
                "political_status",
                "party_join_date",
                "work_start_date",
                "health",
                "specialty",
                "organization_id",
            )
        },
        "educations": sorted((e.kind, e.level, e.degree, e.institution, e.major) for e in person.educations.all()),
        "resume": [
            (e.start_month, e.end_month, e.text, mains.get(e.during_id)) for e in person.resume_entries.order_by("id")
        ],
        "rewards": [(r.kind, r.date, r.approver, r.description) for r in person.rewards_punishments.order_by("date")],
        "appraisals": sorted(person.appraisals.values_list("year", "grade")),
        "family": [
            (f.relation, f.name, f.birth_month, f.political_status, f.work_unit_and_post)
            for f in person.family.order_by("id")
        ],
        "titles": [t.title for t in person.titles.order_by("obtained_on")],
        "photo": person.photo.open("rb").read() if person.photo else None,
    }


# ------------------------------------------------------------------------------------------ round trips


def test_file_import_export_import_gives_the_same_fields(officer, school):
    original = read_lrmx(sample_file())
    person = do_import(sample_file(), officer, school)
    first_export = person_export_lrmx(person, acting_user=officer)
    assert read_lrmx(first_export).registry_fields() == original.registry_fields()

    again = do_import(first_export, officer, school)
    assert again.pk == person.pk
    assert again.lrmx_report.created is False
    assert again.lrmx_report.warnings == []
    assert read_lrmx(person_export_lrmx(again)).registry_fields() == original.registry_fields()
    assert Person.objects.count() == 1


def test_a_registry_person_exported_and_imported_into_an_empty_registry_keeps_its_fields(officer, school):
    person = PersonFactory(
        name="孙悦",
        sex=c.Sex.FEMALE,
        birth_date=D(1982, 11, 3),
        id_number=make_id_number("320483", D(1982, 11, 3), 7, "F"),
        record_birth_month=D(1982, 10, 1),
        organization=school,
        native_place="江苏常州",
        birthplace="江苏常州",
        political_status=c.PoliticalStatus.CPC_PROBATIONARY,
        party_join_date=D(2025, 7, 1),
        work_start_date=D(2004, 8, 1),
        specialty="小学语文",
    )
    person.photo.save("p.jpg", ContentFile(jpeg_bytes(color=(10, 120, 10))), save=True)
    EducationFactory(person=person, institution="南京师范大学", major="汉语言文学")
    EducationFactory(
        person=person,
        kind=c.EducationKind.IN_SERVICE,
        level=c.EducationLevel.MASTER,
        degree=c.Degree.MASTER,
        institution="苏州大学",
        major="课程与教学论",
    )
    TitleFactory(person=person, title=c.TeacherTitle.FIRST, obtained_on=D(2013, 12, 1))
    study = ResumeEntryFactory(
        person=person, start_month=D(2000, 9, 1), end_month=D(2004, 7, 1), text="南京师范大学学习"
    )
    teacher = ResumeEntryFactory(person=person, start_month=D(2004, 8, 1), end_month=None, text="第一实验小学教师")
    ResumeEntryFactory(
        person=person, start_month=D(2010, 9, 1), end_month=D(2013, 7, 1), text="苏州大学在职研究生学习", during=teacher
    )
    assert study.pk
    person.rewards_punishments.create(
        kind=c.RewardKind.REWARD, date=D(2018, 9, 1), approver="常州市教育局", description="授予“优秀班主任”称号"
    )
    for year, grade in ((2022, "competent"), (2023, "excellent"), (2024, "competent")):
        AppraisalFactory(person=person, year=year, grade=grade)
    FamilyMemberFactory(person=person, relation=c.Relation.SPOUSE, name="周强", birth_month=D(1980, 1, 1))
    FamilyMemberFactory(
        person=person,
        relation=c.Relation.DAUGHTER,
        name="周可",
        birth_month=D(2010, 6, 1),
        political_status="",
        work_unit_and_post="第一实验小学学生",
    )
    FamilyMemberFactory(person=person, relation=c.Relation.BROTHER, name="孙涛", birth_month=D(1985, 2, 1))

    before = snapshot(person)
    exported = person_export_lrmx(person, acting_user=officer)
    Person.objects.filter(pk=person.pk).delete()

    imported = do_import(exported, officer, school)
    assert imported.lrmx_report.created is True
    after = snapshot(imported)
    assert after == before
    assert read_lrmx(person_export_lrmx(imported)).registry_fields() == read_lrmx(exported).registry_fields()
    # The format carries the current title but not when it was obtained: the import says so.
    assert imported.lrmx_report.warnings == [
        f"专业技术职务“一级教师”未注明取得时间，暂记为 {timezone.localdate():%Y.%m} 取得，请核实。"
    ]


def test_an_import_builds_every_registry_record(officer, school):
    person = do_import(sample_file(), officer, school)
    assert (person.name, person.sex, person.id_number, person.birth_date) == ("王建国", "M", ID_NUMBER, D(1975, 3, 12))
    assert person.record_birth_month is None
    assert (person.political_status, person.party_join_date) == (c.PoliticalStatus.CPC_MEMBER, D(1998, 6, 1))
    assert (person.work_start_date, person.organization) == (D(1997, 8, 1), school)
    assert sorted((e.kind, e.level, e.degree, e.institution, e.major) for e in person.educations.all()) == [
        ("full_time", "bachelor", "bachelor", "南京师范大学", "数学与应用数学"),
        ("in_service", "master", "master", "华东师范大学", "教育管理"),
    ]
    entries = list(person.resume_entries.order_by("start_month"))
    assert [e.text for e in entries if e.during_id is None] == [
        "南京师范大学数学与应用数学专业学习",
        "常州市武进区第一实验小学教师",
        "常州市武进区第一实验小学教导主任",
        "常州市武进区第一实验小学副校长",
    ]
    during = ResumeEntry.objects.get(person=person, during__isnull=False)
    assert (during.during.text, during.start_month, during.end_month) == (
        "常州市武进区第一实验小学教导主任",
        D(2012, 9, 1),
        D(2015, 7, 1),
    )
    assert [(r.date, r.approver, r.description) for r in person.rewards_punishments.order_by("date")] == [
        (D(2015, 9, 1), "常州市武进区人民政府", "授予“优秀教育工作者”称号"),
        (D(2019, 12, 1), "常州市教育局", "记三等功"),
    ]
    assert sorted(person.appraisals.values_list("year", "grade")) == [
        (2023, "excellent"),
        (2024, "competent"),
        (2025, "competent"),
    ]
    assert [(f.relation, f.name, f.political_status) for f in person.family.order_by("id")] == [
        ("spouse", "李梅", "cpc"),
        ("son", "王磊", "cyl"),
        ("father", "王德明", "cpc"),
        ("mother", "张秀英", "masses"),
        ("brother", "王建军", "masses"),
    ]
    assert [(t.title, t.obtained_on) for t in person.titles.all()] == [("senior", D(2025, 6, 1))]
    assert person.photo.open("rb").read() == jpeg_bytes()
    assert person.lrmx_report.warnings == ["专业技术职务“高级教师”未注明取得时间，暂记为 2025.06 取得，请核实。"]

    events = AuditEvent.objects.filter(action="lrmx_import")
    assert events.count() == 1
    event = events.get()
    assert (event.object_id, event.actor, event.to_state) == (str(person.pk), officer, "created")
    assert event.payload["organization"] == school.code and len(event.payload["sha256"]) == 64


def test_an_export_is_recorded_in_the_audit_trail(officer, school):
    person = PersonFactory(organization=school)
    data = person_export_lrmx(person, acting_user=officer)
    event = AuditEvent.objects.get(action="lrmx_export")
    assert (event.actor, event.object_id, event.payload["bytes"]) == (officer, str(person.pk), len(data))


# ----------------------------------------------------------------------------------------------- update


def test_an_update_by_id_number_replaces_lists_and_keeps_what_the_file_cannot_say(officer, school):
    person = PersonFactory(
        name="王建国", id_number=ID_NUMBER, birth_date=D(1975, 3, 12), organization=school, health="良好"
    )
    relative = PersonFactory(organization=school, name="李梅")
    FamilyMemberFactory(person=person, relation=c.Relation.SPOUSE, name="李梅", relative=relative, emigrated=False)
    FamilyMemberFactory(person=person, relation=c.Relation.OTHER, name="旧关系")
    ResumeEntryFactory(person=person, text="旧简历")
    EducationFactory(person=person, institution="南京师范大学", major="数学与应用数学", start_date=D(1993, 9, 1))
    AppraisalFactory(person=person, year=2024, grade=c.AppraisalGrade.BASIC)

    updated = do_import(sample_file(JianKangZhuangKuang=""), officer, school)
    assert updated.pk == person.pk and updated.lrmx_report.created is False
    person.refresh_from_db()
    assert person.health == "良好"  # empty in the file: kept
    spouse = person.family.get(name="李梅")
    assert spouse.relative == relative
    assert not person.family.filter(name="旧关系").exists()
    assert not person.resume_entries.filter(text="旧简历").exists()
    full_time = person.educations.get(kind=c.EducationKind.FULL_TIME)
    assert full_time.start_date == D(1993, 9, 1)  # the same record: kept with what the file lacks
    assert dict(person.appraisals.values_list("year", "grade"))[2024] == c.AppraisalGrade.BASIC
    assert "2024年度考核已登记为“基本合格”，文件中为“合格”，保留已登记的结果。" in updated.lrmx_report.warnings
    assert AuditEvent.objects.get(action="lrmx_import").to_state == "updated"


def test_an_update_never_imports_an_appraisal_above_the_ethics_cap(officer, school):
    person = PersonFactory(name="王建国", id_number=ID_NUMBER, birth_date=D(1975, 3, 12), organization=school)
    EthicsAssessment.objects.create(person=person, year=2023, grade=EthicsGrade.FAILED, violations=["1"])
    updated = do_import(sample_file(), officer, school)
    assert not person.appraisals.filter(year=2023).exists()
    assert any(w.startswith("2023年度考核不能为“优秀”") for w in updated.lrmx_report.warnings)


# --------------------------------------------------------------------------------------------- refusals


def test_without_an_id_number_a_namesake_born_the_same_month_is_refused(officer, school):
    PersonFactory(name="王建国", birth_date=D(1975, 3, 20), organization=school)
    with pytest.raises(LrmxError) as info:
        do_import(sample_file(ShenFenZheng=None), officer, school)
    assert info.value.code == "duplicate"
    assert "“第一实验小学”已有同名且出生年月相同的人员（王建国，1975.03）" in str(info.value)
    assert Person.objects.count() == 1


def test_without_an_id_number_a_new_person_is_born_on_the_first_of_the_month(officer, school, other_school):
    PersonFactory(name="王建国", birth_date=D(1975, 3, 20), organization=other_school)
    person = do_import(sample_file(ShenFenZheng=None), officer, school)
    assert (person.id_number, person.birth_date, person.birth_month) == (None, D(1975, 3, 1), D(1975, 3, 1))


def test_a_person_registered_in_another_unit_is_not_moved(officer, school, other_school, school_secretary):
    PersonFactory(name="王建国", id_number=ID_NUMBER, birth_date=D(1975, 3, 12), organization=other_school)
    with pytest.raises(LrmxError, match="已在“第二实验小学”登记，不属于“第一实验小学”"):
        do_import(sample_file(), officer, school)
    with pytest.raises(LrmxError) as info:
        do_import(sample_file(), school_secretary, school)
    assert str(info.value) == f"身份证号为 {ID_NUMBER} 的人员已在其他单位登记，您无权更新。"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"XingBie": "女"}, "性别：性别与身份证号不一致（身份证号显示为男）。"),
        ({"ShenFenZheng": "32048319750312001X"}, "身份证号：身份证号校验位错误"),
        ({"CanJiaGongZuoShiJian": ""}, "文件未填写参加工作时间，无法新建人员。"),
        ({"JianLi": "2001.13--2005.07  某中学教师"}, "年月 2001.13 无效"),
        ({"RuDangShiJian": "中共党员"}, "入党时间：党员须填写入党时间。"),
    ],
)
def test_a_refused_import_writes_nothing(officer, school, overrides, message):
    with pytest.raises(LrmxError) as info:
        do_import(sample_file(**overrides), officer, school)
    assert message in str(info.value)
    assert Person.objects.count() == 0
    assert not AuditEvent.objects.filter(action="lrmx_import").exists()


def test_a_school_secretary_imports_into_their_own_school_only(school_secretary, school, other_school):
    with pytest.raises(PermissionDenied):
        do_import(sample_file(), school_secretary, other_school)
    assert do_import(sample_file(), school_secretary, school).organization == school


def test_a_teacher_may_not_import(teacher, school):
    with pytest.raises(PermissionDenied):
        do_import(sample_file(), teacher, school)


def test_the_system_imports_without_a_user(school):
    person = do_import(sample_file(), None, school)
    assert AuditEvent.objects.get(action="lrmx_import").actor is None
    assert person.pk


def test_unreadable_parts_become_warnings_not_silence(officer, school):
    values = sample_values()
    values.update(ZhuanYeJiShuZhiWu="讲师", NianDuKaoHeJieGuo="近三年表现良好", QuanRiZhiJiaoYu_XueLi="函授")
    person = do_import(build_xml(values, family=[("表舅", "刘某", "196001", "已故", "")]).encode(), officer, school)
    assert person.lrmx_report.warnings == [
        "全日制教育学历“函授”无法识别，未导入。",
        "家庭成员刘某的称谓“表舅”无法识别，记为“其他社会关系”。",
        "家庭成员刘某的政治面貌“已故”无法识别，未导入该项。",
        "专业技术职务“讲师”不是中小学教师职称，未导入。",
        "年度考核结果“近三年表现良好”无法解析，未导入。",
    ]
    assert person.family.get().relation == c.Relation.OTHER
    assert not person.titles.exists() and not person.appraisals.exists()
    assert AuditEvent.objects.get(action="lrmx_import").payload["warnings"] == person.lrmx_report.warnings
