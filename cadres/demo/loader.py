"""Writing the demo district into the database: one transaction, bulk inserts, one audit event.

`demo_district_load` guarantees:
- nothing is written when the demo is already there (an Organization of kind bureau and school S0001 under
  it): the result says `created=False`;
- without `force`, nothing is written into a registry that already holds schools or people
  (DemoLoadError, code "registry_not_empty"); with `force` the demo is added beside them, reusing an
  existing bureau; clashing unit codes, unit names or ID numbers still refuse (code "demo_conflict");
- otherwise every row of `generate_district(...)` is written, the demo logins are created (one per role, a
  superuser `admin`; existing usernames are left untouched) and one audit event `demo_district_loaded`
  records the counts; all of it in one transaction, so a failure leaves the database as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from cadres import choices as c
from cadres.models import (
    AnnualAppraisal,
    Education,
    FamilyMember,
    Organization,
    Person,
    Post,
    Profile,
    ResumeEntry,
    RewardPunishment,
    Tenure,
    TitleHistory,
)
from cadres.name_keys import fill_search_keys
from cadres.roles import Role

from .generator import (
    DEFAULT_PEOPLE,
    DEFAULT_SCHOOLS,
    DEFAULT_SEED,
    FIRST_SCHOOL_CODE,
    District,
    generate_district,
)

DEMO_PASSWORD = "cadreflow-demo"
DEMO_URL = "http://127.0.0.1:8000/"
DEMO_USERNAMES = (
    "officer",
    "inspector",
    "discipline",
    *(f"member{i}" for i in range(1, 10)),
    "recorder",
    "secretary",
    "teacher",
    "judge",
    "admin",
)
BATCH = 1000


class DemoLoadError(Exception):
    """The demo cannot be loaded here; `code` names the reason, the message explains it in Chinese."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


@dataclass
class LoadResult:
    created: bool
    counts: dict[str, int] = field(default_factory=dict)
    skipped_users: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str  # Chinese label
    unit: str
    person: str
    password: str


def demo_bureau() -> Organization | None:
    return Organization.objects.filter(kind=c.OrgKind.BUREAU).order_by("pk").first()


def demo_is_loaded() -> bool:
    bureau = demo_bureau()
    return bureau is not None and Organization.objects.filter(code=FIRST_SCHOOL_CODE, parent=bureau).exists()


@transaction.atomic
def demo_district_load(
    *,
    seed: int = DEFAULT_SEED,
    schools: int = DEFAULT_SCHOOLS,
    people: int = DEFAULT_PEOPLE,
    force: bool = False,
    acting_user=None,
) -> LoadResult:
    """Load the demo district unless it is there already (see the module docstring for the guarantees).

    Raises DemoLoadError ("registry_not_empty", "demo_conflict") and generator.DemoSizeError.
    """
    if demo_is_loaded():
        return LoadResult(created=False)
    has_data = Organization.objects.filter(kind=c.OrgKind.SCHOOL).exists() or Person.objects.exists()
    if has_data and not force:
        raise DemoLoadError(
            _("数据库中已有学校或人员数据，示范数据会与之混在一起，未加载。确需加载请加 --force。"),
            code="registry_not_empty",
        )
    district = generate_district(seed=seed, schools=schools, people=people)
    bureau = demo_bureau()
    _refuse_conflicts(district, reuse_bureau=bureau is not None)

    units = _write_units(district, bureau)
    posts = _write_posts(district, units)
    persons = _write_people(district, units)
    _write_records(district, persons, posts)
    created_users, skipped = _write_accounts(district, units, persons)

    counts = district.counts()
    counts["accounts"] = created_users
    record_event(
        actor=acting_user,
        action="demo_district_loaded",
        object_type="cadres.demo",
        object_id=str(seed),
        payload=counts,
    )
    return LoadResult(created=True, counts=counts, skipped_users=skipped)


def _refuse_conflicts(district: District, *, reuse_bureau: bool) -> None:
    units = district.schools if reuse_bureau else district.units
    clashes = list(Organization.objects.filter(code__in=[u.code for u in units]).values_list("code", flat=True))
    clashes += Organization.objects.filter(name__in=[u.name for u in units]).values_list("name", flat=True)
    numbers = [p.id_number for p in district.people]
    for start in range(0, len(numbers), 500):
        clashes += Person.objects.filter(id_number__in=numbers[start : start + 500]).values_list("id_number", flat=True)
    if clashes:
        raise DemoLoadError(
            _("示范数据与现有数据冲突（单位代码、单位名称或身份证号重复）：%(items)s")
            % {"items": "、".join(sorted(set(clashes))[:10])},
            code="demo_conflict",
        )


DEMO_AREA_CODE = "0519"
DEMO_POSTCODE = "213100"


def unit_contact(index: int, township: str) -> dict[str, str]:
    """Deterministic phone, address and postcode of the demo unit `index` (0 = the bureau, n = school n).

    Made up from the index alone (no random draw), so adding them changed none of the generated people.
    """
    if index == 0:
        return {
            "contact_phone": f"{DEMO_AREA_CODE}-86120000",
            "address": f"示范区{township}人民路88号",
            "postcode": DEMO_POSTCODE,
        }
    return {
        "contact_phone": f"{DEMO_AREA_CODE}-8613{index:04d}",
        "address": f"示范区{township}学府路{index * 2 + 1}号",
        "postcode": DEMO_POSTCODE,
    }


def _write_units(district: District, bureau: Organization | None) -> dict[str, Organization]:
    if bureau is None:
        b = district.bureau
        bureau = Organization.objects.create(
            code=b.code,
            name=b.name,
            short_name=b.short_name,
            kind=b.kind,
            township=b.township,
            ownership=b.ownership,
            **unit_contact(0, b.township),
        )
    schools = Organization.objects.bulk_create(
        Organization(
            code=s.code,
            name=s.name,
            short_name=s.short_name,
            kind=s.kind,
            stage=s.stage,
            township=s.township,
            ownership=s.ownership,
            parent=bureau,
            **unit_contact(i, s.township),
        )
        for i, s in enumerate(district.schools, start=1)
    )
    return {district.bureau.code: bureau, **{o.code: o for o in schools}}


def _write_posts(district: District, units: dict[str, Organization]) -> dict[tuple[str, str], Post]:
    bureau_code = district.bureau.code
    existing = {p.name: p for p in Post.objects.filter(organization=units[bureau_code])}
    posts = {(bureau_code, name): post for name, post in existing.items()}
    new = [
        Post(organization=units[p.unit_code], name=p.name, kind=p.kind, level=p.level, headcount=p.headcount)
        for p in district.posts
        if (p.unit_code, p.name) not in posts
    ]
    spec_codes = {o.pk: code for code, o in units.items()}
    for post in Post.objects.bulk_create(new, batch_size=BATCH):
        posts[(spec_codes[post.organization_id], post.name)] = post
    return posts


def _write_people(district: District, units: dict[str, Organization]) -> list[Person]:
    persons = [
        Person(
            name=p.name,
            sex=p.sex,
            id_number=p.id_number,
            birth_date=p.birth_date,
            record_birth_month=p.record_birth_month,
            ethnicity=p.ethnicity,
            native_place=p.native_place,
            birthplace=p.birthplace,
            political_status=p.political_status,
            party_join_date=p.party_join_date,
            work_start_date=p.work_start_date,
            specialty=p.specialty,
            subject=p.subject,
            organization=units[p.unit_code],
        )
        for p in district.people
    ]
    for person in persons:  # bulk_create skips Person.save(), which keeps the picker's search keys
        fill_search_keys(person)
    return Person.objects.bulk_create(persons, batch_size=BATCH)


def _write_records(district: District, persons: list[Person], posts: dict[tuple[str, str], Post]) -> None:
    educations, titles, appraisals, rewards, family, tenures, mains = [], [], [], [], [], [], []
    during: list[tuple[int, int, object]] = []  # (person index, main line index, spec)
    for spec, person in zip(district.people, persons, strict=True):
        educations += [
            Education(
                person=person,
                kind=e.kind,
                level=e.level,
                degree=e.degree,
                institution=e.institution,
                major=e.major,
                start_date=e.start_date,
                end_date=e.end_date,
            )
            for e in spec.educations
        ]
        titles += [
            TitleHistory(person=person, title=t.title, obtained_on=t.obtained_on, appointed_on=t.appointed_on)
            for t in spec.titles
        ]
        appraisals += [AnnualAppraisal(person=person, year=year, grade=grade) for year, grade in spec.appraisals]
        rewards += [
            RewardPunishment(person=person, kind=r.kind, date=r.date, approver=r.approver, description=r.description)
            for r in spec.rewards
        ]
        family += [
            FamilyMember(
                person=person,
                relation=f.relation,
                name=f.name,
                birth_month=f.birth_month,
                political_status=f.political_status,
                work_unit_and_post=f.work_unit_and_post,
                emigrated=f.emigrated,
                relative=persons[f.relative] if f.relative is not None else None,
            )
            for f in spec.family
        ]
        tenures += [
            Tenure(
                person=person,
                post=posts[(t.unit_code, t.post_name)],
                start_date=t.start_date,
                end_date=t.end_date,
                document_number=t.document_number,
                method=t.method,
                term_number=t.term_number,
                probation_end=t.probation_end,
            )
            for t in spec.tenures
        ]
        for i, line in enumerate(spec.resume):
            if line.during is None:
                mains.append(((spec.index, i), ResumeEntry(person=person, **_resume_fields(line))))
            else:
                during.append((spec.index, line.during, line))
    for model, rows in (
        (Education, educations),
        (TitleHistory, titles),
        (AnnualAppraisal, appraisals),
        (RewardPunishment, rewards),
        (FamilyMember, family),
        (Tenure, tenures),
    ):
        model.objects.bulk_create(rows, batch_size=BATCH)
    ResumeEntry.objects.bulk_create([entry for _key, entry in mains], batch_size=BATCH)
    main_by_key = dict(mains)
    ResumeEntry.objects.bulk_create(
        [
            ResumeEntry(person=persons[index], during=main_by_key[(index, parent)], **_resume_fields(line))
            for index, parent, line in during
        ],
        batch_size=BATCH,
    )


def _resume_fields(line) -> dict:
    return {"start_month": line.start_month, "end_month": line.end_month, "text": line.text}


def _write_accounts(district: District, units: dict[str, Organization], persons: list[Person]) -> tuple[int, list[str]]:
    """One login per account spec, all with the demo password (hashed once: a local demo, not production)."""
    User = get_user_model()
    taken = set(
        User.objects.filter(username__in=[a.username for a in district.accounts]).values_list("username", flat=True)
    )
    encoded = make_password(DEMO_PASSWORD)
    created = 0
    for account in district.accounts:
        if account.username in taken:
            continue
        person = persons[account.person] if account.person is not None else None
        user = User.objects.create(
            username=account.username,
            password=encoded,
            first_name=person.name if person else "",
            is_staff=account.superuser,
            is_superuser=account.superuser,
        )
        if account.role:
            user.groups.add(Group.objects.get(name=account.role))
        Profile.objects.create(user=user, organization=units[account.unit_code], person=person)
        created += 1
    return created, sorted(taken)


def demo_logins() -> list[DemoLogin]:
    """The demo logins present in the database, in the order the command prints them."""
    User = get_user_model()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=DEMO_USERNAMES)
        .select_related("profile__organization", "profile__person")
        .prefetch_related("groups")
    }
    labels = dict(Role.choices)
    rows = []
    for username in DEMO_USERNAMES:
        user = users.get(username)
        if user is None:
            continue
        profile = getattr(user, "profile", None)
        roles = [str(labels[g.name]) for g in user.groups.all() if g.name in labels]
        if user.is_superuser:
            roles.insert(0, _("系统管理员"))
        rows.append(
            DemoLogin(
                username=username,
                role="、".join(roles),
                unit=profile.organization.name if profile else "",
                person=profile.person.name if profile and profile.person else "",
                password=DEMO_PASSWORD,
            )
        )
    return rows
