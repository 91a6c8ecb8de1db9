"""The demo district (示范区) as plain data: a pure function of (seed, number of schools, number of people).

Guarantees:
- Deterministic: the same arguments give the same units, names, ID numbers and dates on any machine and on
  any day. All randomness comes from one `random.Random(seed)` and a `Faker("zh_CN")` seeded with the same
  seed (surnames, weighted by frequency); every date is reckoned from REFERENCE_DATE, never from today.
- Consistent: ID numbers pass GB 11643, are unique, and agree with birth date and sex; ages at the reference
  date are 23–59 (women ≤ 55); party members joined after their 18th birthday; work starts after full-time
  education; titles rise one grade at a time after work starts; 简历 lines run without gaps from study to
  the current, open-ended line; tenures are the district posts of those lines, split into 3-year terms.
- Touches no database: `cadres.demo.loader` writes the result.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from faker import Faker

from cadres import choices as c
from cadres import facts
from cadres.idcard import make_id_number
from cadres.roles import Role

from . import vocabulary as v

REFERENCE_DATE = dt.date(2026, 9, 1)
DEFAULT_SEED = 2026
DEFAULT_SCHOOLS = 60
DEFAULT_PEOPLE = 3000

DISTRICT = "示范区"
BUREAU_CODE = "B0001"
BUREAU_NAME = "示范区教育局"
FIRST_SCHOOL_CODE = "S0001"
TEACHER_POST = "专任教师"
APPRAISAL_YEARS = tuple(range(REFERENCE_DATE.year - 5, REFERENCE_DATE.year))
LAST_TITLE_YEAR = REFERENCE_DATE.year - 1  # titles are conferred in December
TERM_MONTHS = 36
MIN_AGE, MAX_AGE_MALE, MAX_AGE_FEMALE = 23, 59, 55
MIN_SCHOOL_SIZE = 12
MIN_BUREAU_SIZE = 16
COMBINED_HEAD_BELOW = 40  # smaller schools have one person as party secretary and principal (一肩挑)

S, L, K = c.Stage, c.PostLevel, c.PostKind
RANK = {L.STAFF: 0, L.MIDDLE_DEPUTY: 1, L.MIDDLE_HEAD: 2, L.SCHOOL_DEPUTY: 3, L.SCHOOL_HEAD: 4}
MALE, FEMALE = c.Sex.MALE.value, c.Sex.FEMALE.value


class DemoSizeError(ValueError):
    """The requested sizes cannot make a sensible district; the message says why, in Chinese."""


# --------------------------------------------------------------------------------------------------- data


@dataclass
class UnitSpec:
    code: str
    name: str
    short_name: str
    kind: str
    stage: str
    township: str
    ownership: str
    size: int  # staff planned for the unit
    doc_prefix: str = ""  # the school's own prefix for 中层 appointment documents


@dataclass
class PostSpec:
    unit_code: str
    name: str
    kind: str
    level: str
    headcount: int


@dataclass
class EducationSpec:
    kind: str
    level: str
    degree: str
    institution: str
    major: str
    start_date: dt.date
    end_date: dt.date


@dataclass
class TitleSpec:
    title: str
    obtained_on: dt.date
    appointed_on: dt.date | None


@dataclass
class ResumeSpec:
    start_month: dt.date
    end_month: dt.date | None
    text: str
    during: int | None = None  # index, in the same person's list, of the main line this 其间 line belongs to


@dataclass
class FamilySpec:
    relation: str
    name: str
    birth_month: dt.date
    political_status: str
    work_unit_and_post: str
    emigrated: bool = False
    relative: int | None = None  # index into District.people when the relative is on the registry


@dataclass
class TenureSpec:
    unit_code: str
    post_name: str
    start_date: dt.date
    end_date: dt.date | None
    document_number: str
    method: str
    term_number: int
    probation_end: dt.date | None


@dataclass
class RewardSpec:
    kind: str
    date: dt.date
    approver: str
    description: str


@dataclass
class PersonSpec:
    index: int
    unit_code: str
    surname: str
    name: str
    sex: str
    id_number: str
    birth_date: dt.date
    ethnicity: str
    native_place: str
    birthplace: str
    political_status: str
    party_join_date: dt.date | None
    work_start_date: dt.date
    subject: str
    specialty: str
    record_birth_month: dt.date | None = None
    educations: list[EducationSpec] = field(default_factory=list)
    titles: list[TitleSpec] = field(default_factory=list)
    appraisals: list[tuple[int, str]] = field(default_factory=list)
    resume: list[ResumeSpec] = field(default_factory=list)
    family: list[FamilySpec] = field(default_factory=list)
    tenures: list[TenureSpec] = field(default_factory=list)
    rewards: list[RewardSpec] = field(default_factory=list)


@dataclass
class AccountSpec:
    username: str
    role: str  # a cadres.roles.Role value; "" for the superuser
    unit_code: str
    person: int | None  # index into District.people
    superuser: bool = False


@dataclass
class District:
    seed: int
    reference_date: dt.date
    bureau: UnitSpec
    schools: list[UnitSpec]
    posts: list[PostSpec]
    people: list[PersonSpec]
    accounts: list[AccountSpec]

    @property
    def units(self) -> list[UnitSpec]:
        return [self.bureau, *self.schools]

    def counts(self) -> dict[str, int]:
        """Rows per kind, as the loader writes them (the audit event carries these)."""
        people = self.people
        return {
            "units": 1 + len(self.schools),
            "schools": len(self.schools),
            "posts": len(self.posts),
            "people": len(people),
            "educations": sum(len(p.educations) for p in people),
            "titles": sum(len(p.titles) for p in people),
            "appraisals": sum(len(p.appraisals) for p in people),
            "resume_entries": sum(len(p.resume) for p in people),
            "family_members": sum(len(p.family) for p in people),
            "kin_links": sum(1 for p in people for f in p.family if f.relative is not None),
            "tenures": sum(len(p.tenures) for p in people),
            "rewards": sum(len(p.rewards) for p in people),
            "accounts": len(self.accounts),
        }


def generate_district(
    *, seed: int = DEFAULT_SEED, schools: int = DEFAULT_SCHOOLS, people: int = DEFAULT_PEOPLE
) -> District:
    """Build the whole district; raises DemoSizeError when the sizes cannot work."""
    return _Builder(seed, schools, people).build()


@dataclass(frozen=True)
class _Role:
    age: tuple[int, int] | None  # None: the stage's teacher age curve
    male_factor: float  # multiplies the stage's male share
    party: float
    rank: int
    min_title: str | None


ROLES = {
    "teacher": _Role(None, 1.0, 0.33, 0, None),
    "middle_deputy": _Role((27, 45), 1.3, 0.62, 1, c.TeacherTitle.SECOND),
    "middle_head": _Role((30, 52), 1.4, 0.72, 2, c.TeacherTitle.SECOND),
    "deputy": _Role((34, 55), 1.7, 0.88, 3, c.TeacherTitle.FIRST),
    "principal": _Role((39, 57), 2.0, 0.96, 4, c.TeacherTitle.FIRST),
    "secretary": _Role((44, 58), 2.0, 1.0, 4, c.TeacherTitle.FIRST),
    "bureau_head": _Role((50, 57), 1.6, 1.0, 4, None),
    "bureau_deputy": _Role((42, 56), 1.4, 1.0, 3, None),
    "bureau_middle_head": _Role((36, 52), 1.1, 0.92, 2, None),
    "bureau_middle_deputy": _Role((30, 46), 1.0, 0.85, 1, None),
    "bureau_staff": _Role((24, 42), 1.0, 0.6, 0, None),
}
CURRENT_MONTHS = {1: (2, 60), 2: (4, 80), 3: (4, 90), 4: (6, 100)}  # how long the current post has been held


@dataclass(frozen=True)
class _Step:
    """One earlier rung of a career ladder, walked backwards from the current post."""

    where: str  # "school" (same or another school), "any_school" or "bureau"
    rank: int
    lo: int  # months
    hi: int
    p: float
    required: bool = False
    same: float = 0.6  # chance of staying in the same school
    post_name: str = ""  # for "bureau" steps


SCHOOL_LADDERS = {
    4: (
        _Step("school", 3, 24, 84, 1.0, required=True, same=0.5),
        _Step("school", 2, 24, 72, 0.85, same=0.7),
        _Step("school", 1, 12, 48, 0.5, same=1.0),
    ),
    3: (_Step("school", 2, 24, 84, 0.9, same=0.75), _Step("school", 1, 12, 48, 0.6, same=1.0)),
    2: (_Step("school", 1, 12, 60, 0.7, same=1.0),),
    1: (),
}
SCHOOL_PATH_TO_BUREAU = (
    _Step("any_school", 4, 36, 96, 0.8),
    _Step("school", 3, 24, 72, 0.9, same=0.5),
    _Step("school", 2, 24, 60, 0.6, same=1.0),
)


# ------------------------------------------------------------------------------------------------ helpers


def _cn(n: int) -> str:
    """Chinese numeral for 1–99 (第一, 第十二 …)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else digits[tens]
    return f"{head}十{digits[ones] if ones else ''}" if n < 100 else str(n)


def _add_months(d: dt.date, months: int) -> dt.date:
    """`cadres.facts.add_months` on a day no later than the 28th (the demo's dates never need month ends)."""
    return facts.add_months(d.replace(day=min(d.day, 28)), months)


def _months_between(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def _month(d: dt.date) -> dt.date:
    return d.replace(day=1)


def _years_after(d: dt.date, years: int) -> dt.date:
    return _add_months(d, 12 * years)


def _age_at(birth: dt.date, at: dt.date) -> int:
    return at.year - birth.year - ((at.month, at.day) < (birth.month, birth.day))


_ABBREVIATIONS = (
    ("示范区", ""), ("第", ""), ("九年一贯制学校", "九校"), ("职业中等专业学校", "职专"), ("职业教育中心", "职教中心"),
    ("特殊教育学校", "特教校"), ("实验", "实"), ("幼儿园", "幼"), ("高级中学", "高中"), ("初级中学", "初中"),
    ("中学", "中"), ("小学", "小"), ("学校", "校"), ("街道", ""), ("镇", ""),
)  # fmt: skip


def _doc_prefix(name: str) -> str:
    for old, new in _ABBREVIATIONS:
        name = name.replace(old, new)
    return name


def _school_name_pool(stage: str) -> list[tuple[str, str | None, str]]:
    """(name, township or None for a district school in the town centre, ownership), most prominent first."""
    pub, priv = c.Ownership.PUBLIC.value, c.Ownership.PRIVATE.value
    villages = [(f"{t}{village}", t) for village in v.VILLAGES for t in v.RURAL_TOWNSHIPS]
    if stage == S.KINDERGARTEN:
        pool = [("示范区实验幼儿园", None, pub)] + [(f"{t}中心幼儿园", t, pub) for t in v.TOWNSHIPS]
        for index, entry in (
            (3, ("示范区启明星幼儿园", None, priv)),
            (6, ("示范区第二实验幼儿园", None, pub)),
            (10, ("示范区机关幼儿园", None, pub)),
            (12, ("示范区小天鹅幼儿园", None, priv)),
        ):
            pool.insert(index, entry)
        return pool + [(f"{place}幼儿园", t, pub) for place, t in villages]
    if stage == S.PRIMARY:
        pool = [("示范区第一实验小学", None, pub), ("示范区第二实验小学", None, pub)]
        pool += [(f"{t}中心小学", t, pub) for t in v.TOWNSHIPS]
        pool.insert(5, ("示范区英才小学", None, priv))
        numbered = [(f"示范区第{_cn(n)}实验小学", None, pub) for n in range(3, 7)]
        for i, (place, t) in enumerate(villages):
            if i % 4 == 1 and numbered:
                pool.append(numbered.pop(0))
            pool.append((f"{place}小学", t, pub))
        return pool
    if stage == S.JUNIOR:
        pool = [("示范区实验中学", None, pub), ("示范区第四中学", None, pub)]
        pool += [(f"{t}初级中学", t, pub) for t in v.RURAL_TOWNSHIPS]
        pool += [("示范区第五中学", None, pub), ("东城中学", "东城街道", pub), ("西城中学", "西城街道", pub)]
        pool += [(f"{t}第二初级中学", t, pub) for t in v.RURAL_TOWNSHIPS]
        return pool + [(f"{place}中学", t, pub) for place, t in villages]
    if stage == S.NINE_YEAR:
        pool = [("示范区实验学校", None, pub), ("示范区博雅学校", None, priv)]
        pool += [(f"{t}九年一贯制学校", t, pub) for t in v.RURAL_TOWNSHIPS]
        return pool + [(f"{place}学校", t, pub) for place, t in villages]
    named = {
        S.SENIOR: ("示范区第一中学", "示范区第三中学", "示范区高级中学", "示范区第六中学", "示范区实验高级中学"),
        S.COMPLETE: ("示范区第二中学", "示范区育才中学", "示范区第七中学"),
        S.VOCATIONAL: ("示范区职业中等专业学校", "示范区职业教育中心", "示范区第二职业中等专业学校"),
        S.SPECIAL: ("示范区特殊教育学校", "示范区启智学校"),
    }[stage]
    return [(n, None, pub) for n in named]


# -------------------------------------------------------------------------------------------------- builder


@dataclass
class _Stint:
    unit: UnitSpec | None  # None: outside the district
    posts: list[PostSpec]
    label: str
    start: dt.date
    end: dt.date | None
    rank: int


class _Builder:
    def __init__(self, seed: int, n_schools: int, n_people: int):
        if n_schools < 1:
            raise DemoSizeError("学校数至少为 1。")
        self.bureau_size = max(MIN_BUREAU_SIZE, round(n_people * 0.01))
        needed = self.bureau_size + n_schools * MIN_SCHOOL_SIZE
        if n_people < needed:
            raise DemoSizeError(f"{n_schools} 所学校至少需要 {needed} 人（含教育局 {self.bureau_size} 人）。")
        self.seed, self.n_schools, self.n_people = seed, n_schools, n_people
        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.people: list[PersonSpec] = []
        self.role_of: list[str] = []
        self.used_ids: set[str] = set()
        self.doc_numbers: dict[tuple[str, int], int] = {}
        self.posts: list[PostSpec] = []
        self.posts_at: dict[str, list[PostSpec]] = {}
        self.holders: dict[tuple[str, str], list[int]] = {}
        self.teachers_at: dict[str, list[int]] = {}
        self._age_weights: dict[tuple[str, str], tuple[list[int], list[float]]] = {}

    # ---- plan

    def build(self) -> District:
        self._plan_units()
        self._plan_bureau_posts()
        for school in self.schools:
            self._plan_school_posts(school)
        self._staff_bureau()
        flags = self._school_flags()
        for school in self.schools:
            self._staff_school(school, flags.get(school.code, {}))
        accounts = self._accounts()
        self._families(accounts)
        self._record_birth_discrepancies(accounts)
        return District(
            seed=self.seed,
            reference_date=REFERENCE_DATE,
            bureau=self.bureau,
            schools=self.schools,
            posts=self.posts,
            people=self.people,
            accounts=accounts,
        )

    def _stage_counts(self) -> dict[str, int]:
        n = self.n_schools
        raw = [(stage, n * share) for stage, share in v.STAGE_SHARES]
        counts = {stage: int(x) for stage, x in raw}
        by_remainder = sorted(raw, key=lambda pair: pair[1] - int(pair[1]), reverse=True)
        for stage, _x in by_remainder[: n - sum(counts.values())]:
            counts[stage] += 1
        must_have = [stage for stage, _share in v.STAGE_SHARES] if n >= len(v.STAGE_SHARES) else [S.PRIMARY]
        for stage in must_have:
            if counts[stage] == 0:
                donor = max(counts, key=lambda s: counts[s])
                counts[donor] -= 1
                counts[stage] = 1
        return counts

    def _plan_units(self) -> None:
        rng = self.rng
        self.bureau = UnitSpec(
            code=BUREAU_CODE,
            name=BUREAU_NAME,
            short_name="区教育局",
            kind=c.OrgKind.BUREAU.value,
            stage="",
            township=v.URBAN_TOWNSHIPS[0],
            ownership=c.Ownership.PUBLIC.value,
            size=self.bureau_size,
        )
        planned: list[tuple[str, str, str, str]] = []  # stage, name, township, ownership
        used: set[str] = set()
        for stage, count in self._stage_counts().items():
            pool = _school_name_pool(stage)
            number = 1
            for i in range(count):
                if i < len(pool):
                    name, township, ownership = pool[i]
                else:
                    while f"示范区第{_cn(number)}{v.FALLBACK_SUFFIX[stage]}" in used:
                        number += 1
                    name, township, ownership = f"示范区第{_cn(number)}{v.FALLBACK_SUFFIX[stage]}", None, "public"
                used.add(name)
                planned.append((stage, name, township or rng.choice(v.URBAN_TOWNSHIPS), ownership))
        flagship = next(p for p in planned if p[0] == S.PRIMARY)
        planned.remove(flagship)
        planned.insert(0, flagship)

        raw_sizes = []
        for i, (stage, _name, _township, ownership) in enumerate(planned):
            mean, spread = v.STAGE_SIZE[stage]
            size = max(10.0, rng.gauss(mean, spread))
            if i == 0:
                size = mean * 1.8
            elif ownership == c.Ownership.PRIVATE:
                size *= 0.8
            raw_sizes.append(size)
        sizes = self._scale_sizes(raw_sizes, self.n_people - self.bureau_size)

        self.schools = []
        for i, ((stage, name, township, ownership), size) in enumerate(zip(planned, sizes, strict=True)):
            short = name.removeprefix(DISTRICT)
            self.schools.append(
                UnitSpec(
                    code=f"S{i + 1:04d}",
                    name=name,
                    short_name=short,
                    kind=c.OrgKind.SCHOOL.value,
                    stage=stage.value,
                    township=township,
                    ownership=ownership,
                    size=size,
                    doc_prefix=_doc_prefix(name),
                )
            )
        self.units_by_code = {u.code: u for u in [self.bureau, *self.schools]}
        self.schools_by_family: dict[str, list[UnitSpec]] = {}
        for school in self.schools:
            self.schools_by_family.setdefault(v.STAGE_FAMILY[school.stage], []).append(school)

    @staticmethod
    def _scale_sizes(raw: list[float], total: int) -> list[int]:
        factor = total / sum(raw)
        sizes = [max(MIN_SCHOOL_SIZE, int(r * factor)) for r in raw]
        order = sorted(range(len(raw)), key=lambda i: raw[i] * factor - int(raw[i] * factor), reverse=True)
        i = 0
        while sum(sizes) < total:
            sizes[order[i % len(order)]] += 1
            i += 1
        while sum(sizes) > total:
            biggest = max(range(len(sizes)), key=lambda j: sizes[j])
            sizes[biggest] -= 1
        return sizes

    def _add_post(self, unit: UnitSpec, name: str, kind: str, level: str, headcount: int) -> PostSpec:
        post = PostSpec(unit.code, name, kind.value if hasattr(kind, "value") else kind, level.value, headcount)
        self.posts.append(post)
        self.posts_at.setdefault(unit.code, []).append(post)
        return post

    def _plan_bureau_posts(self) -> None:
        b = self.bureau
        for name, level, headcount in (
            ("党工委书记", L.SCHOOL_HEAD, 1),
            ("局长", L.SCHOOL_HEAD, 1),
            ("党工委副书记", L.SCHOOL_DEPUTY, 1),
            ("副局长", L.SCHOOL_DEPUTY, 3),
            ("纪工委书记", L.SCHOOL_DEPUTY, 1),
        ):
            self._add_post(b, name, K.BUREAU_CADRE, level, headcount)
        for office in v.BUREAU_OFFICES:
            self._add_post(b, self._office_head(office), K.BUREAU_CADRE, L.MIDDLE_HEAD, 1)
        for office in v.BUREAU_OFFICE_DEPUTIES:
            self._add_post(b, self._office_deputy(office), K.BUREAU_CADRE, L.MIDDLE_DEPUTY, 1)
        clerks = self.bureau_size - 14
        self.clerks_per_office = {o: clerks // len(v.BUREAU_OFFICES) for o in v.BUREAU_OFFICES}
        for office in v.BUREAU_OFFICES[: clerks % len(v.BUREAU_OFFICES)]:
            self.clerks_per_office[office] += 1
        for office in v.BUREAU_OFFICES:
            self._add_post(b, f"{office}科员", K.BUREAU_CADRE, L.STAFF, self.clerks_per_office[office] + 1)

    @staticmethod
    def _office_head(office: str) -> str:
        return f"{office}{v.BUREAU_OFFICE_HEAD.get(office, '科长')}"

    @staticmethod
    def _office_deputy(office: str) -> str:
        return f"{office}副{v.BUREAU_OFFICE_HEAD.get(office, '科长')}"

    def _plan_school_posts(self, school: UnitSpec) -> None:
        size, stage = school.size, school.stage
        head = "园长" if stage == S.KINDERGARTEN else "校长"
        party = "党委" if size >= 150 else "党总支" if size >= 60 else "党支部"
        self._add_post(school, f"{party}书记", K.PARTY_SECRETARY, L.SCHOOL_HEAD, 1)
        self._add_post(school, head, K.PRINCIPAL, L.SCHOOL_HEAD, 1)
        if size >= 150:
            self._add_post(school, f"{party}副书记", K.DEPUTY_SECRETARY, L.SCHOOL_DEPUTY, 1)
        self._add_post(school, f"副{head}", K.VICE_PRINCIPAL, L.SCHOOL_DEPUTY, 3 if size >= 100 else 2)
        for name, level, min_size, headcount in self._middle_posts(stage, size):
            if size >= min_size:
                kind = K.MIDDLE_HEAD if level == L.MIDDLE_HEAD else K.MIDDLE_DEPUTY
                self._add_post(school, name, kind, level, headcount)
        self._add_post(school, TEACHER_POST, K.TEACHER, L.STAFF, -(-size // 10) * 10)

    @staticmethod
    def _middle_posts(stage: str, size: int) -> list[tuple[str, str, int, int]]:
        head, deputy = L.MIDDLE_HEAD, L.MIDDLE_DEPUTY
        if stage == S.KINDERGARTEN:
            return [
                ("保教主任", head, 0, 1),
                ("后勤主任", head, 0, 1),
                ("办公室主任", head, 35, 1),
                ("保教副主任", deputy, 30, 1),
            ]
        if stage == S.VOCATIONAL:
            return [
                ("办公室主任", head, 0, 1), ("教务处主任", head, 0, 1), ("学生处主任", head, 0, 1),
                ("实训处主任", head, 0, 1), ("招生就业处主任", head, 60, 1), ("总务处主任", head, 60, 1),
                ("教务处副主任", deputy, 0, 1), ("学生处副主任", deputy, 60, 1), ("实训处副主任", deputy, 90, 1),
                ("团委书记", deputy, 60, 1),
            ]  # fmt: skip
        if stage == S.SPECIAL:
            return [
                ("办公室主任", head, 0, 1),
                ("教务处主任", head, 0, 1),
                ("康复部主任", head, 0, 1),
                ("教务处副主任", deputy, 20, 1),
            ]
        posts = [
            ("办公室主任", head, 0, 1), ("教务处主任", head, 0, 1), ("德育处主任", head, 0, 1),
            ("总务处主任", head, 40, 1), ("教科室主任", head, 80, 1), ("安全保卫处主任", head, 140, 1),
            ("教务处副主任", deputy, 25, 2 if size >= 140 else 1), ("德育处副主任", deputy, 50, 1),
            ("总务处副主任", deputy, 90, 1), ("办公室副主任", deputy, 120, 1),
        ]  # fmt: skip
        if stage == S.PRIMARY:
            posts.append(("少先队大队辅导员", deputy, 60, 1))
        else:
            posts.append(("团委书记", deputy, 60, 1))
        return posts

    def _school_flags(self) -> dict[str, dict[str, bool]]:
        """Vacant principal posts, principals near the age limit and principals of 10+ years, by school."""
        rng = self.rng
        others = [s for s in self.schools[1:]]
        separate = [s for s in others if s.size >= COMBINED_HEAD_BELOW]
        rng.shuffle(separate)
        rng.shuffle(others)
        flags: dict[str, dict[str, bool]] = {}
        vacant = separate[: max(1, round(self.n_schools / 25))]
        for school in vacant:
            flags.setdefault(school.code, {})["principal_vacant"] = True
        candidates = [s for s in others if s not in vacant]
        n_old = 2 if self.n_schools >= 10 else 1
        n_long = max(1, round(self.n_schools / 15))
        for school in candidates[:n_old]:
            flags.setdefault(school.code, {})["principal_near_limit"] = True
        for school in candidates[n_old : n_old + n_long]:
            flags.setdefault(school.code, {})["principal_long_serving"] = True
        return flags

    # ---- people

    def _new_person(
        self, unit: UnitSpec, role: str, *, sex: str | None = None, age: int | None = None, birth=None
    ) -> PersonSpec:
        rng = self.rng
        spec = ROLES[role]
        if sex is None:
            male_share = min(0.85, (1 - v.FEMALE_SHARE[unit.stage]) * spec.male_factor)
            sex = MALE if rng.random() < male_share else FEMALE
        if birth is None:
            birth = self._birth_for_age(age if age is not None else self._age(unit.stage, sex, spec))
        region, place = self._region()
        birthplace = place if rng.random() < 0.85 else self._region()[1]
        surname = self.fake.last_name()
        name = surname + self._given_name(sex, birth.year)
        subject = "" if unit.kind == c.OrgKind.BUREAU else self._weighted(v.SUBJECTS[unit.stage])
        educations, work_start = self._educations(birth, unit.stage, role, subject)
        status, joined = self._party(birth, educations, work_start, spec.party)
        person = PersonSpec(
            index=len(self.people),
            unit_code=unit.code,
            surname=surname,
            name=name,
            sex=sex,
            id_number=self._id_number(region, birth, sex),
            birth_date=birth,
            ethnicity=self._weighted(v.ETHNICITIES),
            native_place=place,
            birthplace=birthplace,
            political_status=status,
            party_join_date=joined,
            work_start_date=work_start,
            subject=subject,
            specialty="",
            educations=educations,
        )
        self.people.append(person)
        self.role_of.append(role)
        return person

    def _weighted(self, pairs):
        values = [value for value, _w in pairs]
        return self.rng.choices(values, weights=[w for _v, w in pairs])[0]

    def _region(self) -> tuple[str, str]:
        code, place, _w = self.rng.choices(v.REGIONS, weights=[w for _c, _p, w in v.REGIONS])[0]
        return code, place

    def _given_name(self, sex: str, year: int) -> str:
        modern = min(0.95, max(0.03, (year - 1968) / 30))
        if sex == MALE:
            pool = v.GIVEN_MALE_NEW if self.rng.random() < modern else v.GIVEN_MALE_OLD
        else:
            pool = v.GIVEN_FEMALE_NEW if self.rng.random() < modern else v.GIVEN_FEMALE_OLD
        return self.rng.choice(pool)

    def _age(self, stage: str, sex: str, spec: _Role) -> int:
        top = MAX_AGE_FEMALE if sex == FEMALE else MAX_AGE_MALE
        if spec.age is not None:
            lo, hi = spec.age[0], min(spec.age[1], top)
            return round(self.rng.triangular(lo, hi))
        key = (stage, sex)
        if key not in self._age_weights:
            ages = list(range(MIN_AGE, top + 1))
            if stage == S.KINDERGARTEN:
                weights = [2.2 if a < 30 else 1.3 if a < 40 else 0.6 if a < 50 else 0.3 for a in ages]
            else:
                weights = [
                    1.0 if a < 30 else 1.2 if a < 40 else 1.1 if a < 50 else 0.8 if a < 56 else 0.35 for a in ages
                ]
            self._age_weights[key] = (ages, weights)
        ages, weights = self._age_weights[key]
        return self.rng.choices(ages, weights=weights)[0]

    def _birth_for_age(self, age: int) -> dt.date:
        latest = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - age)
        earliest = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - age - 1) + dt.timedelta(days=1)
        return earliest + dt.timedelta(days=self.rng.randint(0, (latest - earliest).days))

    def _id_number(self, region: str, birth: dt.date, sex: str) -> str:
        for _attempt in range(200):
            number = make_id_number(region, birth, self.rng.randrange(100), sex)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number
            region = self._region()[0]
        raise RuntimeError("no free ID number")  # pragma: no cover - needs > 10^4 people born on one day

    # ---- education, party, titles, appraisals

    def _full_time_level(self, year: int, stage: str, role: str) -> str:
        E = c.EducationLevel
        if stage == "":
            table = (
                ((E.JUNIOR_COLLEGE, 0.3), (E.BACHELOR, 0.7)) if year < 1979 else ((E.BACHELOR, 0.75), (E.MASTER, 0.25))
            )
            return self._weighted(table)
        upper = stage in (S.SENIOR, S.COMPLETE, S.VOCATIONAL)
        if year < 1979:
            if stage == S.KINDERGARTEN:
                table = ((E.SECONDARY_VOCATIONAL, 0.6), (E.JUNIOR_COLLEGE, 0.3), (E.BACHELOR, 0.1))
            elif upper:
                table = ((E.JUNIOR_COLLEGE, 0.2), (E.BACHELOR, 0.8))
            elif stage == S.JUNIOR:
                table = ((E.SECONDARY_VOCATIONAL, 0.1), (E.JUNIOR_COLLEGE, 0.45), (E.BACHELOR, 0.45))
            else:
                table = ((E.SECONDARY_VOCATIONAL, 0.45), (E.JUNIOR_COLLEGE, 0.3), (E.BACHELOR, 0.25))
        elif year < 1989:
            if stage == S.KINDERGARTEN:
                table = ((E.SECONDARY_VOCATIONAL, 0.15), (E.JUNIOR_COLLEGE, 0.5), (E.BACHELOR, 0.35))
            elif upper:
                table = ((E.BACHELOR, 0.88), (E.MASTER, 0.12))
            elif stage == S.JUNIOR:
                table = ((E.JUNIOR_COLLEGE, 0.15), (E.BACHELOR, 0.8), (E.MASTER, 0.05))
            else:
                table = ((E.JUNIOR_COLLEGE, 0.3), (E.BACHELOR, 0.68), (E.MASTER, 0.02))
        elif stage == S.KINDERGARTEN:
            table = ((E.JUNIOR_COLLEGE, 0.35), (E.BACHELOR, 0.62), (E.MASTER, 0.03))
        elif upper:
            table = ((E.BACHELOR, 0.7), (E.MASTER, 0.3))
        elif stage == S.JUNIOR:
            table = ((E.BACHELOR, 0.82), (E.MASTER, 0.18))
        else:
            table = ((E.JUNIOR_COLLEGE, 0.08), (E.BACHELOR, 0.82), (E.MASTER, 0.1))
        return self._weighted(table)

    def _major(self, subject: str, stage: str) -> str:
        if not subject:
            return self._weighted(v.BUREAU_MAJORS)
        return v.MAJORS[subject]

    def _university(self, pairs, graduation_year: int) -> str:
        name = self._weighted(pairs)
        if name == "临沂大学" and graduation_year < 2011:
            return "临沂师范学院"
        return name

    def _educations(self, birth: dt.date, stage: str, role: str, subject: str):
        rng, E = self.rng, c.EducationLevel
        level = self._full_time_level(birth.year, stage, role)
        late = 1 if birth.month >= 9 else 0
        repeat = 1 if rng.random() < 0.12 else 0
        while True:
            if level == E.SECONDARY_VOCATIONAL:
                enrol = birth.year + 15 + late + repeat
                graduation = enrol + 3
            else:
                enrol = birth.year + 18 + late + repeat
                graduation = enrol + (3 if level == E.JUNIOR_COLLEGE else 4)
                if level == E.MASTER:
                    master_years = 2 if rng.random() < 0.3 else 3
                    graduation += master_years
            if graduation < REFERENCE_DATE.year or (graduation == REFERENCE_DATE.year and REFERENCE_DATE.month > 8):
                break
            if repeat:
                repeat = 0
            elif level == E.MASTER:
                level = E.BACHELOR
            else:  # pragma: no cover - the youngest staff are 23 with a bachelor's degree
                level = E.JUNIOR_COLLEGE
        major = self._major(subject, stage)
        records: list[EducationSpec] = []
        ft = c.EducationKind.FULL_TIME.value
        if level == E.SECONDARY_VOCATIONAL:
            school = self._weighted(v.KINDERGARTEN_NORMAL_SCHOOLS if stage == S.KINDERGARTEN else v.NORMAL_SCHOOLS)
            ft_major = "幼儿师范" if stage == S.KINDERGARTEN else "普通师范"
            records.append(
                EducationSpec(ft, level, "", school, ft_major, dt.date(enrol, 9, 1), dt.date(graduation, 7, 1))
            )
        elif level == E.JUNIOR_COLLEGE:
            colleges = v.KINDERGARTEN_COLLEGES if stage == S.KINDERGARTEN else v.JUNIOR_COLLEGES
            records.append(
                EducationSpec(
                    ft, level, "", self._weighted(colleges), major, dt.date(enrol, 9, 1), dt.date(graduation, 7, 1)
                )
            )
        else:
            bachelor_end = enrol + 4
            records.append(
                EducationSpec(
                    ft,
                    E.BACHELOR,
                    c.Degree.BACHELOR,
                    self._university(v.UNIVERSITIES, bachelor_end),
                    major,
                    dt.date(enrol, 9, 1),
                    dt.date(bachelor_end, 7, 1),
                )
            )
            if level == E.MASTER:
                master_major = f"学科教学（{subject}）" if subject in v.CORE_SUBJECTS else major
                records.append(
                    EducationSpec(
                        ft,
                        E.MASTER,
                        c.Degree.MASTER,
                        self._weighted(v.GRADUATE_SCHOOLS),
                        master_major,
                        dt.date(bachelor_end, 9, 1),
                        dt.date(graduation, 7, 1),
                    )
                )
        work_start = dt.date(graduation, 8, 1)
        records += self._in_service(level, work_start, stage, role, major)
        return [self._normalise_education(r) for r in records], work_start

    @staticmethod
    def _normalise_education(record: EducationSpec) -> EducationSpec:
        record.level = str(getattr(record.level, "value", record.level))
        record.degree = str(getattr(record.degree, "value", record.degree))
        return record

    def _in_service(self, level: str, work_start: dt.date, stage: str, role: str, major: str) -> list[EducationSpec]:
        """在职 upgrades: 中专 → 大专 → 本科 by correspondence, and some 教育硕士; cadres are pushed to 本科."""
        rng, E = self.rng, c.EducationLevel
        rank = ROLES[role].rank
        must_reach_bachelor = rank >= 2 or role.startswith("bureau")
        records = []
        cursor = work_start
        current = level
        kind = c.EducationKind.IN_SERVICE.value
        steps = []
        if current == E.SECONDARY_VOCATIONAL and (must_reach_bachelor or rng.random() < 0.75):
            steps.append(E.JUNIOR_COLLEGE)
            current = E.JUNIOR_COLLEGE
        if current == E.JUNIOR_COLLEGE and (must_reach_bachelor or rng.random() < 0.8):
            steps.append(E.BACHELOR)
            current = E.BACHELOR
        if current == E.BACHELOR and rng.random() < (0.25 if rank >= 2 else 0.08):
            steps.append(E.MASTER)
        for step in steps:
            start = dt.date(_add_months(cursor, 12 * rng.randint(1, 5)).year, 9, 1)
            end = dt.date(start.year + 3, 7, 1)
            if end > REFERENCE_DATE:
                break
            if step == E.MASTER:
                school, step_major, degree = self._weighted(v.IN_SERVICE_MASTER_SCHOOLS), "教育管理", c.Degree.MASTER
            else:
                school, step_major = self._weighted(v.IN_SERVICE_SCHOOLS), major
                degree = c.Degree.BACHELOR if step == E.BACHELOR and rng.random() < 0.3 else c.Degree.NONE
            records.append(EducationSpec(kind, step, degree, school, step_major, start, end))
            cursor = end
        return records

    def _party(self, birth: dt.date, educations, work_start: dt.date, p: float):
        rng, P = self.rng, c.PoliticalStatus
        age = _age_at(birth, REFERENCE_DATE)
        eighteen = _years_after(birth, 18) + dt.timedelta(days=1)
        if rng.random() < p:
            if age < 30 and rng.random() < 0.12:
                joined = _add_months(REFERENCE_DATE, -rng.randint(1, 11))
                return P.CPC_PROBATIONARY.value, max(joined, eighteen)
            ft_end = max(e.end_date for e in educations if e.kind == c.EducationKind.FULL_TIME)
            at_college = _age_at(birth, ft_end) >= 21 and rng.random() < 0.45
            if at_college:
                earliest = max(eighteen, _add_months(ft_end, -30))
                latest = _add_months(ft_end, -2)
            else:
                earliest = _add_months(work_start, 12)
                latest = min(_add_months(work_start, 12 * 18), _add_months(REFERENCE_DATE, -14))
            if latest <= earliest:
                earliest, latest = max(eighteen, _add_months(ft_end, -30)), _add_months(ft_end, -2)
            if latest > earliest >= eighteen:
                joined = earliest + dt.timedelta(days=rng.randint(0, (latest - earliest).days))
                return P.CPC_MEMBER.value, joined
        roll = rng.random()
        if age <= 28 and roll < 0.55:
            return P.CYL_MEMBER.value, None
        if roll > 0.96:
            return P.DEMOCRATIC_PARTY.value, None
        return P.MASSES.value, None

    def _titles(self, person: PersonSpec, rank: int, stage: str, min_title: str | None, until_year: int):
        """专业技术职务 rising in order; cadres rise faster and reach at least `min_title`."""
        rng, T, E = self.rng, c.TeacherTitle, c.EducationLevel
        y0 = person.work_start_date.year
        ft_levels = {e.level for e in person.educations if e.kind == c.EducationKind.FULL_TIME}
        if E.SECONDARY_VOCATIONAL in ft_levels:
            plan = [(T.THIRD, y0 + 1), (T.SECOND, y0 + 4)]
        elif ft_levels == {E.JUNIOR_COLLEGE}:
            plan = [(T.THIRD, y0 + 1), (T.SECOND, y0 + 3)]
        else:
            plan = [(T.SECOND, y0 + 1)]
        second = plan[-1][1]
        master = E.MASTER in ft_levels
        boost = rank >= 1
        gap1 = rng.randint(2, 4) if master else rng.randint(3, 6) if boost else rng.randint(4, 8)
        if boost or rng.random() < 0.93:
            plan.append((T.FIRST, second + gap1))
            p_senior = {4: 0.88, 3: 0.8, 2: 0.6, 1: 0.35}.get(
                rank, 0.55 if v.STAGE_FAMILY.get(stage) == "secondary" else 0.42
            )
            if rng.random() < p_senior:
                senior = second + gap1 + (rng.randint(4, 8) if boost else rng.randint(5, 11))
                plan.append((T.SENIOR, senior))
                if rng.random() < (0.1 if rank >= 3 else 0.03):
                    plan.append((T.PROFESSOR, senior + rng.randint(8, 13)))
        limit = min(until_year, LAST_TITLE_YEAR)
        held = [(t, y) for t, y in plan if y <= limit]
        if min_title and (not held or c.TITLE_RANK[held[-1][0]] < c.TITLE_RANK[min_title]):
            # a cadre appointed with the minimum title: got it as early as the rules allow
            held = [(t, y) for t, y in held if c.TITLE_RANK[t] < c.TITLE_RANK[min_title]]
            earliest = (held[-1][1] + 3) if held else y0 + 1
            held.append((min_title, min(max(earliest, y0 + 1), limit)))
        titles = []
        for title, year in held:
            obtained = dt.date(year, 12, rng.randint(1, 28))
            appointed = dt.date(year + 1, rng.choice((1, 3, 9)), 1)
            titles.append(
                TitleSpec(
                    str(title.value),
                    obtained,
                    appointed if appointed <= REFERENCE_DATE and rng.random() < 0.85 else None,
                )
            )
        return titles

    def _appraisals(self, person: PersonSpec, rank: int) -> list[tuple[int, str]]:
        G = c.AppraisalGrade
        out = []
        first_year = person.work_start_date.year + 1
        for year in APPRAISAL_YEARS:
            if year < first_year:
                continue
            roll = self.rng.random()
            if roll < (0.25 if rank >= 1 else 0.15):
                grade = G.EXCELLENT
            elif rank >= 1 or roll < 0.987:
                grade = G.COMPETENT
            elif roll < 0.996:
                grade = G.BASIC
            else:
                grade = G.INCOMPETENT
            out.append((year, grade.value))
        return out

    def _rewards(self, person: PersonSpec, rank: int, bureau: bool) -> list[RewardSpec]:
        rng = self.rng
        if rng.random() >= (0.3 if rank >= 1 else 0.12):
            return []
        first = max(person.work_start_date.year + 2, 2008)
        if first > LAST_TITLE_YEAR:
            return []
        titles = ("优秀教育工作者", "优秀共产党员") if rank >= 2 or bureau else ("优秀教师", "优秀班主任", "教学能手")
        years = sorted(
            rng.sample(range(first, LAST_TITLE_YEAR + 1), k=min(rng.randint(1, 2), LAST_TITLE_YEAR + 1 - first))
        )
        rewards = []
        for year in years:
            title = rng.choice(titles)
            if title == "优秀共产党员" and person.party_join_date is None:
                title = "优秀教育工作者"
            approver = (
                "中共示范区教育工作委员会"
                if title == "优秀共产党员"
                else rng.choice(("示范区人民政府", "示范区教育局"))
            )
            day = dt.date(year, 7, 1) if title == "优秀共产党员" else dt.date(year, 9, 10)
            rewards.append(RewardSpec(c.RewardKind.REWARD.value, day, approver, f"{year}年度{DISTRICT}{title}"))
        return rewards

    # ---- careers

    def _day(self, d: dt.date) -> dt.date:
        return d.replace(day=self.rng.randint(1, 28))

    def _other_school(self, unit: UnitSpec | None) -> UnitSpec | None:
        if unit is None or unit.kind == c.OrgKind.BUREAU:
            pool = self.schools
        else:
            pool = [s for s in self.schools_by_family[v.STAGE_FAMILY[unit.stage]] if s.code != unit.code]
            if unit.stage == S.NINE_YEAR:
                pool += [s for s in self.schools_by_family.get("secondary", []) if s.code != unit.code]
        return self.rng.choice(pool) if pool else None

    def _post_of_rank(self, unit: UnitSpec, rank: int) -> PostSpec | None:
        posts = self.posts_at[unit.code]
        if rank == 4:
            wanted = [p for p in posts if p.kind == K.PRINCIPAL]
        elif rank == 3:
            wanted = [p for p in posts if p.kind == K.VICE_PRINCIPAL]
        else:
            level = L.MIDDLE_HEAD if rank == 2 else L.MIDDLE_DEPUTY
            wanted = [p for p in posts if p.level == level]
        return self.rng.choice(wanted) if wanted else None

    def _resolve(self, step: _Step, unit: UnitSpec) -> tuple[UnitSpec, PostSpec] | None:
        if step.where == "bureau":
            post = next(p for p in self.posts_at[BUREAU_CODE] if p.name == step.post_name)
            return self.bureau, post
        school = unit
        if step.where == "any_school" or unit.kind == c.OrgKind.BUREAU or self.rng.random() >= step.same:
            school = self._other_school(unit) or unit
        if school.kind == c.OrgKind.BUREAU:
            return None
        post = self._post_of_rank(school, step.rank)
        if post is None and school is not unit and unit.kind == c.OrgKind.SCHOOL:
            school, post = unit, self._post_of_rank(unit, step.rank)
        return (school, post) if post else None

    @staticmethod
    def _label(unit: UnitSpec, posts: list[PostSpec]) -> str:
        return unit.name + "、".join(p.name for p in posts)

    def _ladder(
        self,
        person: PersonSpec,
        unit: UnitSpec,
        posts: list[PostSpec],
        rank: int,
        months_in_post: int,
        steps: tuple[_Step, ...],
        base: str,
    ) -> list[_Stint]:
        """The current post and the rungs below it, back to the first job; chronological."""
        rng = self.rng
        floor = _add_months(person.work_start_date, 36)
        required = sum(s.lo for s in steps if s.required)
        latest = _add_months(REFERENCE_DATE, -1)
        earliest = _add_months(floor, required)
        start = self._day(_add_months(REFERENCE_DATE, -months_in_post))
        start = min(max(start, self._day(earliest)), self._day(latest))
        if start <= floor:
            start = self._day(_add_months(floor, 1))
        stints = [_Stint(unit, posts, self._label(unit, posts), start, None, rank)]
        cursor = start
        for i, step in enumerate(steps):
            if not step.required and rng.random() >= step.p:
                continue
            reserve = sum(s.lo for s in steps[i + 1 :] if s.required)
            room = _months_between(floor, cursor) - reserve - 1
            if room < step.lo:
                continue
            resolved = self._resolve(step, unit)
            if resolved is None:
                continue
            where, post = resolved
            months = min(rng.randint(step.lo, step.hi), room)
            begin = self._day(_add_months(cursor, -months))
            stints.append(
                _Stint(where, [post], self._label(where, [post]), begin, cursor - dt.timedelta(days=1), step.rank)
            )
            cursor = begin
        oldest_unit = stints[-1].unit
        end = cursor - dt.timedelta(days=1)
        if base == "clerk":
            early = self._clerk_stints(person, person.work_start_date, end)
        else:
            home = oldest_unit if oldest_unit.kind == c.OrgKind.SCHOOL else self._other_school(None)
            early = self._teacher_stints(person, home, person.work_start_date, end)
        return early + stints[::-1]

    def _teacher_stints(self, person: PersonSpec, unit: UnitSpec, start: dt.date, end: dt.date | None) -> list[_Stint]:
        rng = self.rng
        stints = []
        cursor = start
        span = _months_between(start, end or REFERENCE_DATE)
        teacher_post = next(p for p in self.posts_at[unit.code] if p.kind == K.TEACHER)
        if span >= 60 and rng.random() < 0.12:
            months = rng.randint(24, min(96, span - 30))
            split = self._day(_add_months(cursor, months))
            family = v.STAGE_FAMILY.get(unit.stage, "basic")
            label = rng.choice(v.EXTERNAL_SCHOOLS[family]) + "教师"
            stints.append(_Stint(None, [], label, cursor, split - dt.timedelta(days=1), 0))
            cursor, span = split, span - months
        other = self._other_school(unit)
        if span >= 72 and other is not None and rng.random() < 0.15:
            months = rng.randint(24, min(120, span - 36))
            split = self._day(_add_months(cursor, months))
            post = next(p for p in self.posts_at[other.code] if p.kind == K.TEACHER)
            stints.append(_Stint(other, [post], f"{other.name}教师", cursor, split - dt.timedelta(days=1), 0))
            cursor = split
        stints.append(_Stint(unit, [teacher_post], f"{unit.name}教师", cursor, end, 0))
        return stints

    def _clerk_stints(self, person: PersonSpec, start: dt.date, end: dt.date | None, office: str = "") -> list[_Stint]:
        rng = self.rng
        office = office or rng.choice(v.BUREAU_OFFICES)
        stints = []
        cursor = start
        span = _months_between(start, end or REFERENCE_DATE)
        if span >= 48 and rng.random() < 0.3:
            months = rng.randint(24, min(60, span - 18))
            split = self._day(_add_months(cursor, months))
            label = f"{rng.choice(v.RURAL_TOWNSHIPS)}人民政府科员"
            stints.append(_Stint(None, [], label, cursor, split - dt.timedelta(days=1), 0))
            cursor = split
        post = next(p for p in self.posts_at[BUREAU_CODE] if p.name == f"{office}科员")
        stints.append(_Stint(self.bureau, [post], self._label(self.bureau, [post]), cursor, end, 0))
        return stints

    def _document_number(self, unit: UnitSpec, rank: int, year: int) -> str:
        if rank == 0:
            return ""
        if unit.kind == c.OrgKind.BUREAU:
            prefix = "示区委" if rank >= 3 else "示教工委"
        else:
            prefix = "示教工委" if rank >= 3 else f"{unit.doc_prefix}党字"
        key = (prefix, year)
        number = self.doc_numbers.get(key) or self.rng.randint(1, 6)
        self.doc_numbers[key] = number + self.rng.randint(1, 3)
        return f"{prefix}〔{year}〕{number}号"

    def _method(self, stint: _Stint, previous_rank: int | None) -> str:
        M, rng = c.AppointmentMethod, self.rng
        if stint.rank == 0:
            return M.APPOINTED.value if stint.unit.kind == c.OrgKind.BUREAU else M.HIRED.value
        if previous_rank is not None and stint.rank <= previous_rank:
            return M.TRANSFER.value
        if stint.unit.kind == c.OrgKind.BUREAU:
            return M.APPOINTED.value
        if stint.rank == 4:
            return M.OPEN_SELECTION.value if rng.random() < 0.12 else M.APPOINTED.value
        if stint.rank == 3:
            return M.COMPETITIVE.value if rng.random() < 0.2 else M.APPOINTED.value
        return M.COMPETITIVE.value if rng.random() < 0.6 else M.APPOINTED.value

    def _apply_career(self, person: PersonSpec, stints: list[_Stint]) -> None:
        """Tenures (3-year terms for cadre posts) and 简历 lines, study first, from the stints."""
        previous_rank = None
        for stint in stints:
            if stint.unit is None:
                previous_rank = stint.rank
                continue
            method = self._method(stint, previous_rank)
            promoted = previous_rank is not None and stint.rank > previous_rank
            terms = [(stint.start, stint.end)]
            if stint.rank > 0:
                terms, begin = [], stint.start
                horizon = stint.end or REFERENCE_DATE
                while True:
                    renewal = _add_months(begin, TERM_MONTHS)
                    # a term that would last under 6 months before a move is not renewed
                    if renewal <= horizon and (stint.end is None or _months_between(renewal, stint.end) >= 6):
                        terms.append((begin, renewal - dt.timedelta(days=1)))
                        begin = renewal
                    else:
                        terms.append((begin, stint.end))
                        break
            for number, (begin, end) in enumerate(terms, start=1):
                document = self._document_number(stint.unit, stint.rank, begin.year)
                for post in stint.posts:
                    person.tenures.append(
                        TenureSpec(
                            unit_code=stint.unit.code,
                            post_name=post.name,
                            start_date=begin,
                            end_date=end,
                            document_number=document,
                            method=method if number == 1 else c.AppointmentMethod.APPOINTED.value,
                            term_number=number,
                            probation_end=_years_after(begin, 1) if number == 1 and promoted else None,
                        )
                    )
            previous_rank = stint.rank
        person.resume = self._resume(person, stints)

    def _resume(self, person: PersonSpec, stints: list[_Stint]) -> list[ResumeSpec]:
        lines: list[ResumeSpec] = []
        previous_end = None
        for e in person.educations:
            if e.kind != c.EducationKind.FULL_TIME:
                continue
            suffix = "硕士研究生学习" if e.level == c.EducationLevel.MASTER else "学习"
            start = previous_end or _month(e.start_date)
            lines.append(ResumeSpec(start, _month(e.end_date), f"{e.institution}{e.major}专业{suffix}"))
            previous_end = _month(e.end_date)
        first_work = len(lines)
        for stint in stints:
            lines.append(ResumeSpec(_month(stint.start), _month(stint.end) if stint.end else None, stint.label))
        for e in person.educations:
            if e.kind != c.EducationKind.IN_SERVICE:
                continue
            at = _month(e.start_date)
            parent = next(
                i
                for i in range(len(lines) - 1, first_work - 1, -1)
                if lines[i].start_month <= at and (lines[i].end_month is None or at <= lines[i].end_month)
            )
            if e.level == c.EducationLevel.MASTER:
                text = f"在{e.institution}{e.major}专业在职研究生学习，获教育硕士学位"
            else:
                text = f"在{e.institution}{e.major}专业函授学习，获{c.EducationLevel(e.level).label}学历"
            lines.append(ResumeSpec(at, _month(e.end_date), text, during=parent))
        return lines

    def _complete(self, person: PersonSpec, role: str, unit: UnitSpec, stints: list[_Stint]) -> None:
        spec = ROLES[role]
        bureau = unit.kind == c.OrgKind.BUREAU
        left_school = next(
            (s.start.year for s in stints if s.unit is not None and s.unit.kind == c.OrgKind.BUREAU), None
        )
        taught = any(s.unit is not None and s.unit.kind == c.OrgKind.SCHOOL for s in stints) or any(
            s.unit is None and s.label.endswith("教师") for s in stints
        )
        if taught:
            until = left_school if bureau and left_school else LAST_TITLE_YEAR
            person.titles = self._titles(person, spec.rank, unit.stage, spec.min_title if not bureau else None, until)
        person.appraisals = self._appraisals(person, spec.rank)
        person.rewards = self._rewards(person, spec.rank, bureau)
        if bureau:
            office = next((o for o in v.BUREAU_OFFICES if stints[-1].label.startswith(f"{BUREAU_NAME}{o}")), "")
            person.specialty = v.BUREAU_SPECIALTY.get(office, "教育管理")
        elif spec.rank >= 2:
            person.specialty = f"{person.subject}教学，学校管理"
        else:
            person.specialty = f"{person.subject}教学"
        self._apply_career(person, stints)

    # ---- staffing

    def _hold(self, person: PersonSpec, posts: list[PostSpec]) -> None:
        for post in posts:
            self.holders.setdefault((post.unit_code, post.name), []).append(person.index)

    def _staff_bureau(self) -> None:
        rng, b = self.rng, self.bureau
        by_name = {p.name: p for p in self.posts_at[BUREAU_CODE]}

        head = self._new_person(b, "bureau_head")
        steps = (_Step("bureau", 3, 36, 72, 1.0, required=True, post_name="副局长"), *SCHOOL_PATH_TO_BUREAU)
        posts = [by_name["党工委书记"], by_name["局长"]]
        stints = self._ladder(head, b, posts, 4, rng.randint(12, 60), steps, "teacher")
        self._complete(head, "bureau_head", b, stints)
        self._hold(head, posts)

        for name in ("党工委副书记", "副局长", "副局长", "副局长", "纪工委书记"):
            person = self._new_person(b, "bureau_deputy")
            if rng.random() < 0.55:
                steps, base = SCHOOL_PATH_TO_BUREAU, "teacher"
            else:
                office = rng.choice(v.BUREAU_OFFICES)
                steps = (
                    _Step("bureau", 2, 36, 96, 1.0, required=True, post_name=self._office_head(office)),
                    _Step("bureau", 1, 24, 60, 0.7, post_name=self._office_deputy(office))
                    if office in v.BUREAU_OFFICE_DEPUTIES
                    else _Step("bureau", 0, 24, 60, 0.7, post_name=f"{office}科员"),
                )
                base = "clerk"
            stints = self._ladder(person, b, [by_name[name]], 3, rng.randint(6, 90), steps, base)
            self._complete(person, "bureau_deputy", b, stints)
            self._hold(person, [by_name[name]])

        for office in v.BUREAU_OFFICES:
            person = self._new_person(b, "bureau_middle_head")
            post = by_name[self._office_head(office)]
            if rng.random() < 0.5:
                deputy = self._office_deputy(office)
                first = deputy if deputy in by_name else f"{office}科员"
                steps = (_Step("bureau", RANK[by_name[first].level], 24, 72, 0.8, post_name=first),)
                base = "clerk"
            else:
                steps = (_Step("school", 2, 24, 72, 0.8, same=0.0), _Step("school", 1, 12, 48, 0.5, same=1.0))
                base = "teacher"
            stints = self._ladder(person, b, [post], 2, rng.randint(6, 80), steps, base)
            self._complete(person, "bureau_middle_head", b, stints)
            self._hold(person, [post])

        for office in v.BUREAU_OFFICE_DEPUTIES:
            person = self._new_person(b, "bureau_middle_deputy")
            post = by_name[self._office_deputy(office)]
            if rng.random() < 0.65:
                stints = self._ladder(person, b, [post], 1, rng.randint(6, 60), (), "clerk")
            else:
                steps = (_Step("school", 1, 12, 48, 0.7, same=0.0),)
                stints = self._ladder(person, b, [post], 1, rng.randint(6, 60), steps, "teacher")
            self._complete(person, "bureau_middle_deputy", b, stints)
            self._hold(person, [post])

        for office in v.BUREAU_OFFICES:
            for _ in range(self.clerks_per_office[office]):
                person = self._new_person(b, "bureau_staff")
                post = by_name[f"{office}科员"]
                if rng.random() < 0.7:
                    stints = self._clerk_stints(person, person.work_start_date, None, office)
                else:
                    school = self._other_school(None)
                    moved = self._day(_add_months(REFERENCE_DATE, -rng.randint(12, 72)))
                    moved = max(moved, self._day(_add_months(person.work_start_date, 13)))
                    stints = self._teacher_stints(person, school, person.work_start_date, moved - dt.timedelta(days=1))
                    stints.append(_Stint(b, [post], self._label(b, [post]), moved, None, 0))
                self._complete(person, "bureau_staff", b, stints)
                self._hold(person, [post])

    def _staff_school(self, school: UnitSpec, flags: dict[str, bool]) -> None:
        rng = self.rng
        flagship = school.code == FIRST_SCHOOL_CODE
        posts = self.posts_at[school.code]
        secretary = next(p for p in posts if p.kind == K.PARTY_SECRETARY)
        principal = next(p for p in posts if p.kind == K.PRINCIPAL)
        slots: list[tuple[str, list[PostSpec]]] = []
        combined = school.size < COMBINED_HEAD_BELOW and not flagship
        if combined:
            slots.append(("principal", [secretary, principal]))
        else:
            slots.append(("secretary", [secretary]))
            if not flags.get("principal_vacant"):
                slots.append(("principal", [principal]))
        for post in posts:
            if post.level == L.SCHOOL_DEPUTY:
                role = "deputy"
            elif post.level == L.MIDDLE_HEAD:
                role = "middle_head"
            elif post.level == L.MIDDLE_DEPUTY:
                role = "middle_deputy"
            else:
                continue
            vacancy = 0.0 if flagship else 0.08 if role == "deputy" else 0.1
            for _ in range(post.headcount):
                if rng.random() >= vacancy:
                    slots.append((role, [post]))

        for role, held in slots:
            kwargs, months = {}, None
            is_principal = any(p.kind == K.PRINCIPAL for p in held)
            if is_principal and flags.get("principal_near_limit"):
                turns_sixty = _add_months(REFERENCE_DATE.replace(year=REFERENCE_DATE.year - 60), rng.randint(1, 8))
                kwargs = {"sex": MALE, "birth": self._day(turns_sixty)}
            elif is_principal and flags.get("principal_long_serving"):
                kwargs = {"age": rng.randint(50, 57) if rng.random() < 0.7 else rng.randint(50, 55)}
                months = rng.randint(122, 168)
            person = self._new_person(school, role, **kwargs)
            rank = ROLES[role].rank
            months = months or rng.randint(*CURRENT_MONTHS[rank])
            steps = SCHOOL_LADDERS[rank]
            if role == "secretary" and rng.random() < 0.3:
                steps = (_Step("any_school", 4, 36, 96, 1.0), *steps)
            stints = self._ladder(person, school, held, rank, months, steps, "teacher")
            self._complete(person, role, school, stints)
            self._hold(person, held)

        teachers = self.teachers_at.setdefault(school.code, [])
        for _ in range(school.size - len(slots)):
            person = self._new_person(school, "teacher")
            stints = self._teacher_stints(person, school, person.work_start_date, None)
            self._complete(person, "teacher", school, stints)
            teachers.append(person.index)

    # ---- accounts, couples, families

    def _holder(self, unit_code: str, post_name: str, n: int = 0) -> int:
        return self.holders[(unit_code, post_name)][n]

    def _accounts(self) -> list[AccountSpec]:
        R = Role
        b, first = BUREAU_CODE, FIRST_SCHOOL_CODE
        first_posts = self.posts_at[first]
        secretary = next(p for p in first_posts if p.kind == K.PARTY_SECRETARY)
        accounts = [
            AccountSpec("officer", R.PERSONNEL_OFFICER.value, b, self._holder(b, "组织人事科副科长")),
            AccountSpec("inspector", R.INSPECTION_TEAM.value, b, self._holder(b, "组织人事科科员")),
            AccountSpec("discipline", R.DISCIPLINE_INSPECTOR.value, b, self._holder(b, "纪检监察室主任")),
        ]
        for i, (post, n) in enumerate(v.COMMITTEE_POSTS, start=1):
            accounts.append(AccountSpec(f"member{i}", R.COMMITTEE_MEMBER.value, b, self._holder(b, post, n)))
        accounts.append(AccountSpec("recorder", R.COMMITTEE_SECRETARY.value, b, self._holder(b, "办公室副主任")))
        accounts.append(AccountSpec("secretary", R.SCHOOL_SECRETARY.value, first, self._holder(first, secretary.name)))
        accounts.append(AccountSpec("teacher", R.TEACHER.value, first, self._pick_demo_teacher()))
        accounts.append(AccountSpec("judge", R.JUDGE.value, first, None))  # person chosen with the couples
        accounts.append(AccountSpec("admin", "", b, None, superuser=True))
        return accounts

    def _pick_demo_teacher(self) -> int:
        """A teacher of the first school who could enter a mid-level competition: 28–42, 一级 or above."""
        candidates = []
        for index in self.teachers_at[FIRST_SCHOOL_CODE]:
            p = self.people[index]
            top = max((c.TITLE_RANK[t.title] for t in p.titles), default=0)
            if 28 <= _age_at(p.birth_date, REFERENCE_DATE) <= 42 and top >= c.TITLE_RANK[c.TeacherTitle.FIRST]:
                candidates.append(index)
        return (candidates or self.teachers_at[FIRST_SCHOOL_CODE])[0]

    def _age_of(self, index: int) -> int:
        return _age_at(self.people[index].birth_date, REFERENCE_DATE)

    def _can_marry(self, a: int, b: int, taken: set[int], max_gap: int = 6) -> bool:
        pa, pb = self.people[a], self.people[b]
        return (
            a != b
            and a not in taken
            and b not in taken
            and pa.sex != pb.sex
            and min(self._age_of(a), self._age_of(b)) >= 25
            and abs(pa.birth_date.year - pb.birth_date.year) <= max_gap
        )

    def _find_partner(self, a: int, pool: list[int], taken: set[int], max_gap: int = 6) -> int | None:
        matches = [b for b in pool if self._can_marry(a, b, taken, max_gap)]
        return self.rng.choice(matches) if matches else None

    def _couples(self, accounts: list[AccountSpec]) -> list[tuple[int, int]]:
        """≈1 couple per 100 staff on the registry: the judge and a colleague, a committee member and a vice
        principal, a principal and a teacher of the same school, then random pairs (a third in one school)."""
        rng = self.rng
        reserved = {a.person for a in accounts if a.person is not None}
        taken: set[int] = set()
        couples: list[tuple[int, int]] = []

        def marry(a: int, b: int) -> None:
            taken.update((a, b))
            couples.append((a, b) if self.people[a].sex == MALE else (b, a))

        judge = accounts[-2]
        first_teachers = [t for t in self.teachers_at[FIRST_SCHOOL_CODE] if t not in reserved]
        middle_heads = [
            i
            for p in self.posts_at[FIRST_SCHOOL_CODE]
            if p.level == L.MIDDLE_HEAD
            for i in self.holders.get((FIRST_SCHOOL_CODE, p.name), [])
        ]
        for candidate in middle_heads:
            partner = self._find_partner(candidate, first_teachers, taken)
            if partner is not None:
                marry(candidate, partner)
                judge.person = candidate
                break
        if judge.person is None:
            judge.person = middle_heads[0] if middle_heads else first_teachers[-1]
        reserved.add(judge.person)

        vice_principals = [
            i
            for s in self.schools[1:]
            for p in self.posts_at[s.code]
            if p.kind == K.VICE_PRINCIPAL
            for i in self.holders.get((s.code, p.name), [])
        ]
        members = [a.person for a in accounts if a.role == Role.COMMITTEE_MEMBER][1:]
        for member in members:
            partner = self._find_partner(member, vice_principals, taken)
            if partner is not None:
                marry(member, partner)
                break

        principals = [
            self.holders[(s.code, p.name)][0]
            for s in self.schools[1:]
            for p in self.posts_at[s.code]
            if p.kind == K.PRINCIPAL and (s.code, p.name) in self.holders
        ]
        rng.shuffle(principals)
        for principal in principals:
            unit = self.people[principal].unit_code
            partner = self._find_partner(principal, self.teachers_at.get(unit, []), taken | reserved)
            if partner is not None:
                marry(principal, partner)
                break

        target = max(2, round(self.n_people / 100))
        pool = [p.index for p in self.people if p.index not in reserved and self._age_of(p.index) >= 25]
        by_unit: dict[str, list[int]] = {}
        for index in pool:
            by_unit.setdefault(self.people[index].unit_code, []).append(index)
        attempts = 0
        while len(couples) < target and attempts < 60 * target:
            attempts += 1
            a = rng.choice(pool)
            if a in taken:
                continue
            same_school = len(couples) % 3 == 0
            unit = self.people[a].unit_code
            candidates = by_unit[unit] if same_school else rng.sample(pool, k=min(len(pool), 200))
            candidates = [b for b in candidates if same_school or self.people[b].unit_code != unit]
            partner = self._find_partner(a, candidates, taken | reserved, max_gap=5)
            if partner is not None:
                marry(a, partner)
        return couples

    def _family_name(self, sex: str, year: int, surname: str | None = None) -> str:
        return (surname or self.fake.last_name()) + self._given_name(sex, year)

    def _child_entries(self, father_surname: str, mother_birth: dt.date, youngest_parent_age: int) -> list[FamilySpec]:
        rng, P = self.rng, c.PoliticalStatus
        if youngest_parent_age < 26:
            count = 0
        elif youngest_parent_age < 30:
            count = 1 if rng.random() < 0.5 else 0
        else:
            count = self._weighted(((0, 0.05), (1, 0.55), (2, 0.4)))
        children = []
        born = _years_after(mother_birth, rng.randint(24, 32))
        for _ in range(count):
            born = self._day(_add_months(born, rng.randint(0, 11)))
            if born > _add_months(REFERENCE_DATE, -2):
                break
            sex = rng.choice((MALE, FEMALE))
            age = _age_at(born, REFERENCE_DATE)
            if age < 3:
                work, status = "", ""
            elif age < 6:
                work, status = "幼儿园在读", ""
            elif age < 18:
                work, status = "学生", P.CYL_MEMBER.value if age >= 14 and rng.random() < 0.3 else ""
            elif age < 23:
                work = f"{self._weighted(v.UNIVERSITIES)}学生"
                status = P.CYL_MEMBER.value if rng.random() < 0.7 else P.CPC_MEMBER.value
            else:
                work = rng.choice(v.ADULT_CHILD_JOBS)
                status = self._weighted(((P.MASSES.value, 0.6), (P.CYL_MEMBER.value, 0.2), (P.CPC_MEMBER.value, 0.2)))
            children.append(
                FamilySpec(
                    relation=(c.Relation.SON if sex == MALE else c.Relation.DAUGHTER).value,
                    name=father_surname + self._given_name(sex, born.year),
                    birth_month=_month(born),
                    political_status=status,
                    work_unit_and_post=work,
                )
            )
            born = _years_after(born, rng.randint(2, 7))
        return children

    def _parents(self, person: PersonSpec) -> list[FamilySpec]:
        rng, P = self.rng, c.PoliticalStatus
        entries = []
        father_birth = self._day(_years_after(person.birth_date, -rng.randint(23, 32)))
        mother_birth = self._day(_years_after(father_birth, rng.randint(-1, 4)))
        for relation, sex, born, surname in (
            (c.Relation.FATHER, MALE, father_birth, person.surname),
            (c.Relation.MOTHER, FEMALE, mother_birth, None),
        ):
            age = _age_at(born, REFERENCE_DATE)
            if (age > 85 and rng.random() < 0.6) or (age > 75 and rng.random() < 0.2):
                continue
            jobs = v.PARENT_JOBS_OLD if age >= 60 else v.PARENT_JOBS_YOUNG
            party = 0.25 if sex == MALE else 0.1
            entries.append(
                FamilySpec(
                    relation=relation.value,
                    name=self._family_name(sex, born.year, surname),
                    birth_month=_month(born),
                    political_status=P.CPC_MEMBER.value if rng.random() < party else P.MASSES.value,
                    work_unit_and_post=rng.choice(jobs),
                )
            )
        return entries

    def _post_label(self, index: int) -> str:
        person = self.people[index]
        current = [t for t in person.tenures if t.end_date is None]
        unit = self.units_by_code[person.unit_code]
        names = "、".join(dict.fromkeys(t.post_name for t in current if t.post_name != TEACHER_POST))
        return f"{unit.name}{names or '教师'}"

    def _families(self, accounts: list[AccountSpec]) -> None:
        rng, P = self.rng, c.PoliticalStatus
        couples = self._couples(accounts)
        partner_of = {}
        for husband, wife in couples:
            partner_of[husband] = wife
            partner_of[wife] = husband
        shared_children: dict[int, list[FamilySpec]] = {}
        for person in self.people:
            spouse: FamilySpec | None = None
            children: list[FamilySpec] = []
            age = self._age_of(person.index)
            partner = partner_of.get(person.index)
            if partner is not None:
                other = self.people[partner]
                spouse = FamilySpec(
                    relation=c.Relation.SPOUSE.value,
                    name=other.name,
                    birth_month=_month(other.birth_date),
                    political_status=other.political_status,
                    work_unit_and_post=self._post_label(partner),
                    relative=partner,
                )
                key = min(person.index, partner)
                if key not in shared_children:
                    husband, wife = (person, other) if person.sex == MALE else (other, person)
                    young = min(age, self._age_of(partner))
                    shared_children[key] = self._child_entries(husband.surname, wife.birth_date, young)
                children = [FamilySpec(**vars(ch)) for ch in shared_children[key]]
            else:
                married = 0.2 if age < 26 else 0.55 if age < 30 else 0.85 if age < 35 else 0.93
                if rng.random() < married:
                    sex = FEMALE if person.sex == MALE else MALE
                    shift = rng.randint(-4, 1) if person.sex == MALE else rng.randint(-1, 4)
                    born = self._day(_years_after(person.birth_date, -shift))
                    spouse = FamilySpec(
                        relation=c.Relation.SPOUSE.value,
                        name=self._family_name(sex, born.year),
                        birth_month=_month(born),
                        political_status=self._weighted(
                            (
                                (P.MASSES.value, 0.62),
                                (P.CPC_MEMBER.value, 0.3),
                                (P.DEMOCRATIC_PARTY.value, 0.03),
                                (P.CYL_MEMBER.value, 0.05),
                            )
                        ),
                        work_unit_and_post=rng.choice(v.SPOUSE_JOBS),
                    )
                    if person.sex == MALE:
                        surname, mother_birth = person.surname, born
                    else:
                        surname, mother_birth = spouse.name[0], person.birth_date
                    children = self._child_entries(surname, mother_birth, min(age, _age_at(born, REFERENCE_DATE)))
            person.family = ([spouse] if spouse else []) + children + self._parents(person)
        self._one_naked_official(partner_of)

    def _one_naked_official(self, partner_of: dict[int, int]) -> None:
        """One vice principal whose only (adult) children have emigrated: the 裸官 check has a case to find."""
        deputies = [i for i, role in enumerate(self.role_of) if role == "deputy" and i not in partner_of]
        self.rng.shuffle(deputies)
        for index in deputies:
            children = [f for f in self.people[index].family if f.relation in (c.Relation.SON, c.Relation.DAUGHTER)]
            if children and all(_age_at(f.birth_month, REFERENCE_DATE) >= 22 for f in children):
                for child in children:
                    child.emigrated = True
                    child.work_unit_and_post = f"定居{self.rng.choice(('加拿大', '澳大利亚', '新西兰'))}"
                return

    def _record_birth_discrepancies(self, accounts: list[AccountSpec]) -> None:
        """A few files whose 档案 birth month is earlier than the ID card's, for the 三龄两历 check."""
        reserved = {a.person for a in accounts}
        pool = [
            i
            for i, role in enumerate(self.role_of)
            if role == "teacher" and i not in reserved and 40 <= self._age_of(i) <= 50
        ]
        for index in self.rng.sample(pool, k=min(len(pool), max(1, round(self.n_people / 1000)))):
            person = self.people[index]
            person.record_birth_month = _add_months(_month(person.birth_date), -self.rng.randint(3, 14))
