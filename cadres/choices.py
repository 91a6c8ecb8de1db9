"""Controlled vocabularies of the registry, with their order where rules compare them.

Values are stable codes (they go into the database, the API and Excel files); labels are Chinese
source strings translated through Django's i18n.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class OrgKind(models.TextChoices):
    BUREAU = "bureau", _("教育局")
    SCHOOL = "school", _("学校")


class Stage(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("幼儿园")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    NINE_YEAR = "nine_year", _("九年一贯制")
    SENIOR = "senior", _("高中")
    COMPLETE = "complete", _("完全中学")
    VOCATIONAL = "vocational", _("职业学校")
    SPECIAL = "special", _("特殊教育")


SECONDARY_STAGES = {Stage.JUNIOR, Stage.NINE_YEAR, Stage.SENIOR, Stage.COMPLETE, Stage.VOCATIONAL}


class Ownership(models.TextChoices):
    PUBLIC = "public", _("公办")
    PRIVATE = "private", _("民办")


class PostKind(models.TextChoices):
    PARTY_SECRETARY = "party_secretary", _("党组织书记")
    PRINCIPAL = "principal", _("校长")
    DEPUTY_SECRETARY = "deputy_secretary", _("党组织副书记")
    VICE_PRINCIPAL = "vice_principal", _("副校长")
    MIDDLE_HEAD = "middle_head", _("中层正职")
    MIDDLE_DEPUTY = "middle_deputy", _("中层副职")
    BUREAU_CADRE = "bureau_cadre", _("机关干部")
    TEACHER = "teacher", _("专任教师")


class PostLevel(models.TextChoices):
    """Rank of a post; rules compare these ('deputy → head needs 2 years as deputy')."""

    SCHOOL_HEAD = "school_head", _("校级正职")
    SCHOOL_DEPUTY = "school_deputy", _("校级副职")
    MIDDLE_HEAD = "middle_head", _("中层正职")
    MIDDLE_DEPUTY = "middle_deputy", _("中层副职")
    STAFF = "staff", _("一般人员")


DEPUTY_LEVELS = {PostLevel.SCHOOL_DEPUTY}
HEAD_LEVELS = {PostLevel.SCHOOL_HEAD}


class PoliticalStatus(models.TextChoices):
    CPC_MEMBER = "cpc", _("中共党员")
    CPC_PROBATIONARY = "cpc_probationary", _("中共预备党员")
    CYL_MEMBER = "cyl", _("共青团员")
    DEMOCRATIC_PARTY = "democratic_party", _("民主党派")
    NON_PARTISAN = "non_partisan", _("无党派人士")
    MASSES = "masses", _("群众")


class EducationKind(models.TextChoices):
    FULL_TIME = "full_time", _("全日制教育")
    IN_SERVICE = "in_service", _("在职教育")


class EducationLevel(models.TextChoices):
    """学历, ordered from lowest to highest by `EDUCATION_RANK`."""

    HIGH_SCHOOL = "high_school", _("高中")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("中专")
    JUNIOR_COLLEGE = "junior_college", _("大学专科")
    BACHELOR = "bachelor", _("大学本科")
    MASTER = "master", _("硕士研究生")
    DOCTOR = "doctor", _("博士研究生")


EDUCATION_RANK = {
    EducationLevel.HIGH_SCHOOL: 1,
    EducationLevel.SECONDARY_VOCATIONAL: 1,
    EducationLevel.JUNIOR_COLLEGE: 2,
    EducationLevel.BACHELOR: 3,
    EducationLevel.MASTER: 4,
    EducationLevel.DOCTOR: 5,
}


class Degree(models.TextChoices):
    NONE = "", _("无")
    BACHELOR = "bachelor", _("学士")
    MASTER = "master", _("硕士")
    DOCTOR = "doctor", _("博士")


DEGREE_RANK = {Degree.NONE: 0, Degree.BACHELOR: 1, Degree.MASTER: 2, Degree.DOCTOR: 3}


class TeacherTitle(models.TextChoices):
    """专业技术职务 of primary and secondary teachers, ordered by `TITLE_RANK`."""

    UNGRADED = "ungraded", _("未定级")
    THIRD = "third", _("三级教师")
    SECOND = "second", _("二级教师")
    FIRST = "first", _("一级教师")
    SENIOR = "senior", _("高级教师")
    PROFESSOR = "professor", _("正高级教师")


TITLE_RANK = {
    TeacherTitle.UNGRADED: 0,
    TeacherTitle.THIRD: 1,
    TeacherTitle.SECOND: 2,
    TeacherTitle.FIRST: 3,
    TeacherTitle.SENIOR: 4,
    TeacherTitle.PROFESSOR: 5,
}


class AppraisalGrade(models.TextChoices):
    """年度考核 grades, ranked by `APPRAISAL_RANK` (higher is better)."""

    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("合格")
    BASIC = "basic", _("基本合格")
    INCOMPETENT = "incompetent", _("不合格")
    UNRATED = "unrated", _("不定等次")


APPRAISAL_RANK = {
    AppraisalGrade.EXCELLENT: 3,
    AppraisalGrade.COMPETENT: 2,
    AppraisalGrade.BASIC: 1,
    AppraisalGrade.INCOMPETENT: 0,
}


class RewardKind(models.TextChoices):
    REWARD = "reward", _("奖励")
    PUNISHMENT = "punishment", _("惩处")


class Relation(models.TextChoices):
    """称谓 of a family member. All but OTHER are kin who trigger recusal (DOMAIN §7)."""

    SPOUSE = "spouse", _("配偶")
    FATHER = "father", _("父亲")
    MOTHER = "mother", _("母亲")
    SON = "son", _("儿子")
    DAUGHTER = "daughter", _("女儿")
    BROTHER = "brother", _("兄弟")
    SISTER = "sister", _("姐妹")
    GRANDPARENT = "grandparent", _("祖父母/外祖父母")
    GRANDCHILD = "grandchild", _("孙子女/外孙子女")
    UNCLE_AUNT = "uncle_aunt", _("伯叔姑舅姨")
    NEPHEW_NIECE = "nephew_niece", _("侄子女/甥子女")
    COUSIN = "cousin", _("堂兄弟姐妹/表兄弟姐妹")
    FATHER_IN_LAW = "father_in_law", _("岳父/公公")
    MOTHER_IN_LAW = "mother_in_law", _("岳母/婆婆")
    SON_IN_LAW = "son_in_law", _("女婿")
    DAUGHTER_IN_LAW = "daughter_in_law", _("儿媳")
    SIBLING_IN_LAW = "sibling_in_law", _("配偶的兄弟姐妹及其配偶")
    ADOPTIVE = "adoptive", _("养父母/养子女")
    STEP = "step", _("继父母/继子女")
    OTHER = "other", _("其他社会关系")


RECUSAL_RELATIONS = frozenset(r for r in Relation if r != Relation.OTHER)


class AppointmentMethod(models.TextChoices):
    ELECTED = "elected", _("选任")
    APPOINTED = "appointed", _("委任")
    HIRED = "hired", _("聘任")
    COMPETITIVE = "competitive", _("竞争上岗")
    OPEN_SELECTION = "open_selection", _("公开选拔")
    TRANSFER = "transfer", _("调任")


class EmploymentStatus(models.TextChoices):
    ACTIVE = "active", _("在职")
    LEFT = "left", _("离职")
    RETIRED = "retired", _("退休")


def label_of(choices: type[models.Choices], value) -> str:
    """The label of `value` in the active language ("" for an empty or unknown value).

    A list of rows should use this rather than `get_<field>_display()`, which rebuilds the field's choices and
    translates every label of them on each call (a 50-row list spent a fifth of its time there; issue 13).
    """
    try:
        return str(choices(value).label)
    except ValueError:
        return ""
