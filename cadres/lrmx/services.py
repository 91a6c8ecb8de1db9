"""Importing a person from an .lrmx file and exporting one to it.

`person_import_lrmx` guarantees:
- Who: a personnel officer (any unit they can see: the whole district for bureau staff), a school
  party secretary / principal (their own school only), or a superuser; `acting_user=None` is the system
  (management command without --user). Anyone else, or a unit outside the user's scope, gets
  `PermissionDenied`. The user's right is checked before the file is read.
- Which person: the one with the file's 身份证号, updated in place — refused when that person is in
  another unit (the message names the unit only to a user who may see it). Without a match a new person
  is created in `organization`, refused when the unit already has someone of the same name and birth month
  and the two cannot be told apart by ID number.
- What: the person's fields; 学历学位 (全日制 / 在职, added when not yet recorded); 专业技术职务 (added when it
  differs from the current one; without a written date it is recorded as held from the file's 计算年龄时间,
  or the import date, with a warning); 简历 lines with their （其间：…） children, 奖惩 and 家庭成员 (replaced
  by the file's; family rows are matched by name so links to registry relatives survive); 年度考核 for
  years not recorded yet (never above what ethics records allow); the photo. An element that is empty in
  the file leaves the stored value as it is; "无" for 奖惩 clears the list.
- How: one transaction, `full_clean()` on every row, one audit event (action "lrmx_import") whose payload
  holds the file's SHA-256 and the warnings. Any refusal raises `LrmxError` (Chinese message) and writes
  nothing: no row, no event and no photo file (the file is written last, and removed if its row fails).
  The returned person carries `lrmx_report` (an `LrmxImportReport`: created?, warnings).

`person_export_lrmx` returns the file's bytes (see `writer`) and records one audit event (action
"lrmx_export"): the file carries an ID number and family details.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event

from .. import choices as c
from ..ethics.services import appraisal_cap
from ..facts import format_month
from ..idcard import IdCardError, parse_id_number
from ..models import (
    AnnualAppraisal,
    Education,
    FamilyMember,
    Organization,
    Person,
    ResumeEntry,
    RewardPunishment,
    TitleHistory,
)
from ..roles import Role, has_role
from ..rules.engine import NoRuleSetInForce
from ..scoping import organizations_visible_to, people_visible_to
from . import texts
from .reader import LrmxError, LrmxPerson, read_lrmx, split_party
from .writer import write_person

LRMX_ROLES = (Role.PERSONNEL_OFFICER, Role.SCHOOL_SECRETARY)


@dataclass
class LrmxImportReport:
    created: bool
    warnings: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------------------ scope


def can_use_lrmx(user) -> bool:
    """Personnel officers, school secretaries/principals and superusers import and export .lrmx files."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or has_role(user, *LRMX_ROLES)


def lrmx_organizations(user) -> QuerySet[Organization]:
    """The units `user` may import into: those they can see (one school for a school-level user)."""
    return organizations_visible_to(user) if can_use_lrmx(user) else Organization.objects.none()


def lrmx_people(user) -> QuerySet[Person]:
    """The people `user` may export."""
    return people_visible_to(user) if can_use_lrmx(user) else Person.objects.none()


# ----------------------------------------------------------------------------------------- import


def _validation_messages(exc: ValidationError, model) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    messages = []
    for name, errors in exc.message_dict.items():
        label = "" if name == NON_FIELD_ERRORS else str(model._meta.get_field(name).verbose_name)
        messages.extend(f"{label}：{e}" if label else e for e in errors)
    return messages


def _clean(obj, *, exclude=(), what: str = "") -> None:
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        prefix = f"{what}：" if what else ""
        raise LrmxError([prefix + m for m in _validation_messages(exc, type(obj))], code="invalid") from None


def _find_person(parsed: LrmxPerson, *, acting_user, organization: Organization) -> Person | None:
    """The person the file describes, locked for the update; None when it is a new one."""
    if parsed.id_number:
        try:
            number = parse_id_number(parsed.id_number).number
        except IdCardError as exc:
            raise LrmxError(_("身份证号：%(e)s") % {"e": exc}, code="invalid") from None
        existing = Person.objects.select_for_update().select_related("organization").filter(id_number=number).first()
        if existing is not None:
            if existing.organization_id != organization.pk:
                visible = acting_user is None or people_visible_to(acting_user).filter(pk=existing.pk).exists()
                if not visible:
                    raise LrmxError(
                        _("身份证号为 %(n)s 的人员已在其他单位登记，您无权更新。") % {"n": number}, code="other_unit"
                    )
                raise LrmxError(
                    _("%(name)s（身份证号 %(n)s）已在“%(org)s”登记，不属于“%(target)s”；如已调动，请先在名册中调整。")
                    % {"name": existing.name, "n": number, "org": existing.organization, "target": organization},
                    code="other_unit",
                )
            return existing
    month = parsed.birth_month
    same = Person.objects.filter(organization=organization, name=parsed.name).filter(
        Q(record_birth_month=month)
        | Q(record_birth_month__isnull=True, birth_date__year=month.year, birth_date__month=month.month)
    )
    for other in same:
        if not parsed.id_number or not other.id_number:
            raise LrmxError(
                _(
                    "“%(org)s”已有同名且出生年月相同的人员（%(name)s，%(month)s），无法确定是否为同一人，未导入。"
                    "请在文件或名册中补全身份证号后重新导入。"
                )
                % {"org": organization, "name": other.name, "month": format_month(month)},
                code="duplicate",
            )
    return None


def _set_person_fields(person: Person, parsed: LrmxPerson, *, created: bool, warnings: list[str]) -> None:
    person.name = parsed.name
    person.sex = parsed.sex
    if parsed.id_number:
        info = parse_id_number(parsed.id_number)
        person.id_number = info.number
        person.birth_date = info.birth_date
        same_month = parsed.birth_month == info.birth_date.replace(day=1)
        person.record_birth_month = None if same_month else parsed.birth_month
    else:
        # Only new people are matched without an ID number. Their birth date is known to the month only:
        # the 1st stands for it.
        person.birth_date = parsed.birth_month
        person.record_birth_month = None

    for name in ("ethnicity", "native_place", "birthplace", "health", "specialty"):
        value = getattr(parsed, name)
        if value:
            setattr(person, name, value)
        elif created and name in ("ethnicity", "health"):
            label = Person._meta.get_field(name).verbose_name
            default = Person._meta.get_field(name).default
            warnings.append(_("文件未填写%(f)s，暂记为“%(d)s”，请核实。") % {"f": label, "d": default})

    if parsed.work_start_month:
        person.work_start_date = parsed.work_start_month
    elif created:
        raise LrmxError(_("文件未填写参加工作时间，无法新建人员。"), code="missing")

    if parsed.party_join:
        joined, note = split_party(parsed.party_join)
        status = texts.party_from(joined, note)
        if status is None:
            warnings.append(_("入党时间（政治面貌）“%(t)s”无法识别，未导入。") % {"t": parsed.party_join})
        else:
            person.political_status = status
            person.party_join_date = joined
    elif created:
        person.political_status = c.PoliticalStatus.MASSES


def _degree_level(level: str | None, degree: str) -> str:
    """The 学历 of a record that only gives a 学位: the level that degree goes with, but never above the
    学历 the file states for that kind (an in-service 硕士 degree on a 本科 学历 is not a 研究生 学历)."""
    usual = texts.LEVEL_OF_DEGREE[degree]
    if level and c.EDUCATION_RANK.get(level, 0) < c.EDUCATION_RANK[usual]:
        return level
    return usual


def _educations(parsed: LrmxPerson, warnings: list[str]) -> list[Education]:
    """学历学位 rows: one per kind when one school gives both, else a 学历 row and a 学位 row, each with its
    own school and major (the writer writes them back the same way)."""
    rows = []
    for kind, prefix in ((c.EducationKind.FULL_TIME, "full_time"), (c.EducationKind.IN_SERVICE, "in_service")):
        level_text = getattr(parsed, f"{prefix}_level")
        degree_text = getattr(parsed, f"{prefix}_degree")
        level_school = getattr(parsed, f"{prefix}_level_school")
        degree_school = getattr(parsed, f"{prefix}_degree_school") or level_school
        kind_label = c.EducationKind(kind).label
        degree = texts.parse_degree(degree_text)
        if degree is None:
            warnings.append(_("%(k)s学位“%(t)s”无法识别，未导入。") % {"k": kind_label, "t": degree_text})
            degree = c.Degree.NONE
        level = texts.parse_level(level_text, degree) if level_text else None
        if level_text and level is None:
            warnings.append(_("%(k)s学历“%(t)s”无法识别，未导入。") % {"k": kind_label, "t": level_text})
        wanted = []
        if level and (degree == c.Degree.NONE or texts.split_school(degree_school) == texts.split_school(level_school)):
            wanted.append((level, degree, level_school))
        else:
            if level:
                wanted.append((level, c.Degree.NONE, level_school))
            if degree:
                wanted.append((_degree_level(level, degree), degree, degree_school))
        for row_level, row_degree, school in wanted:
            institution, major = texts.split_school(school)
            if not institution:
                warnings.append(
                    _("%(k)s“%(l)s”未填写毕业院校，未导入。")
                    % {"k": kind_label, "l": c.EducationLevel(row_level).label}
                )
                continue
            rows.append(Education(kind=kind, level=row_level, degree=row_degree, institution=institution, major=major))
    return rows


def _title(parsed: LrmxPerson, person: Person, warnings: list[str]) -> TitleHistory | None:
    if not parsed.professional_title:
        return None
    code, obtained = texts.parse_title(parsed.professional_title)
    if code is None:
        warnings.append(_("专业技术职务“%(t)s”不是中小学教师职称，未导入。") % {"t": parsed.professional_title})
        return None
    today = timezone.localdate()
    current = (
        person.titles.filter(obtained_on__lte=today).order_by("-obtained_on", "-id").first() if person.pk else None
    )
    if current is not None and current.title == code:
        return None
    if obtained is None:
        obtained = parsed.age_reference_date or today
        warnings.append(
            _("专业技术职务“%(t)s”未注明取得时间，暂记为 %(d)s 取得，请核实。")
            % {"t": parsed.professional_title, "d": f"{obtained:%Y.%m}"}
        )
    return TitleHistory(title=code, obtained_on=obtained)


def _resume(parsed: LrmxPerson, warnings: list[str]) -> list:
    try:
        lines, resume_warnings = texts.parse_resume(parsed.resume)
    except texts.ResumeError as exc:
        raise LrmxError(str(exc), code="invalid") from None
    warnings.extend(resume_warnings)
    return lines


def _family(parsed: LrmxPerson, warnings: list[str]) -> list[FamilyMember]:
    members = []
    for item in parsed.family:
        if not item.name:
            warnings.append(_("家庭成员“%(r)s”未填写姓名，未导入。") % {"r": item.relation})
            continue
        relation = texts.parse_relation(item.relation)
        if relation is None:
            relation = c.Relation.OTHER
            warnings.append(
                _("家庭成员%(n)s的称谓“%(r)s”无法识别，记为“其他社会关系”。") % {"n": item.name, "r": item.relation}
            )
        status = texts.parse_political_status(item.political_status) if item.political_status else ""
        if status is None:
            warnings.append(
                _("家庭成员%(n)s的政治面貌“%(p)s”无法识别，未导入该项。") % {"n": item.name, "p": item.political_status}
            )
            status = ""
        members.append(
            FamilyMember(
                relation=relation,
                name=item.name,
                birth_month=item.birth_month,
                political_status=status,
                work_unit_and_post=item.work_unit_and_post,
            )
        )
    return members


def _save_family(person: Person, members: list[FamilyMember]) -> None:
    """Replace the family with `members`, keeping existing rows (and their links) matched by name."""
    existing: dict[str, list[FamilyMember]] = {}
    for row in person.family.order_by("id"):
        existing.setdefault(row.name, []).append(row)
    kept = set()
    for member in members:
        candidates = existing.get(member.name, [])
        match = next((r for r in candidates if r.relation == member.relation), None) or (
            candidates[0] if candidates else None
        )
        if match is not None:
            candidates.remove(match)
            for name in ("relation", "birth_month", "political_status", "work_unit_and_post"):
                setattr(match, name, getattr(member, name))
            member = match
        member.person = person
        _clean(member, exclude=["relative"], what=_("家庭成员%(n)s") % {"n": member.name})
        member.save()
        kept.add(member.pk)
    person.family.exclude(pk__in=kept).delete()


def _save_resume(person: Person, lines) -> None:
    person.resume_entries.all().delete()
    for line in lines:
        main = ResumeEntry(person=person, start_month=line.start, end_month=line.end, text=line.text)
        _clean(main, what=_("简历"))
        main.save()
        for child in line.during:
            entry = ResumeEntry(
                person=person, start_month=child.start, end_month=child.end, text=child.text, during=main
            )
            _clean(entry, what=_("简历"))
            entry.save()


def _appraisal_cap(person: Person, year: int):
    try:
        return appraisal_cap(person, year)
    except NoRuleSetInForce:  # a year before any ethics rule set: nothing limits it
        return None


def _save_appraisals(person: Person, parsed: LrmxPerson, *, created: bool, warnings: list[str]) -> None:
    grades, appraisal_warnings = texts.parse_appraisals(parsed.appraisals)
    warnings.extend(appraisal_warnings)
    recorded = {} if created else dict(person.appraisals.values_list("year", "grade"))
    for year, grade in sorted(grades.items()):
        label = c.AppraisalGrade(grade).label
        if year in recorded:
            if recorded[year] != grade:
                warnings.append(
                    _("%(y)d年度考核已登记为“%(a)s”，文件中为“%(b)s”，保留已登记的结果。")
                    % {"y": year, "a": c.AppraisalGrade(recorded[year]).label, "b": label}
                )
            continue
        cap = None if created else _appraisal_cap(person, year)
        if cap is not None and c.APPRAISAL_RANK.get(grade, -1) > c.APPRAISAL_RANK.get(cap.grade, -1):
            warnings.append(
                _("%(y)d年度考核不能为“%(g)s”（%(r)s），未导入该年度。") % {"y": year, "g": label, "r": cap.reason}
            )
            continue
        appraisal = AnnualAppraisal(person=person, year=year, grade=grade)
        _clean(appraisal, what=_("年度考核"))
        appraisal.save()


def _save_rewards(person: Person, parsed: LrmxPerson, warnings: list[str]) -> None:
    lines, reward_warnings = texts.parse_rewards(parsed.rewards)
    warnings.extend(reward_warnings)
    if lines is None:
        return
    person.rewards_punishments.all().delete()
    for line in lines:
        row = RewardPunishment(
            person=person, kind=line.kind, date=line.date, approver=line.approver, description=line.description
        )
        _clean(row, what=_("奖惩情况"))
        row.save()


def _save_educations(person: Person, rows: list[Education]) -> None:
    have = {(e.kind, e.level, e.degree, e.institution, e.major) for e in person.educations.all()}
    for row in rows:
        key = (row.kind, row.level, row.degree, row.institution, row.major)
        if key in have:
            continue
        row.person = person
        _clean(row, what=_("学历学位"))
        row.save()
        have.add(key)


def _save_photo(person: Person, photo: bytes | None) -> None:
    """Store the photo last of all the import's writes: a file cannot be rolled back with the transaction, so
    nothing may fail after it is written — and if saving the row fails, the new file is removed again."""
    if not photo:
        return
    old = person.photo.name if person.photo else ""
    suffix = "png" if photo.startswith(b"\x89PNG") else "jpg"
    storage = person.photo.storage
    try:
        person.photo.save(f"lrmx-{uuid.uuid4().hex}.{suffix}", ContentFile(photo), save=False)
    except OSError:
        raise LrmxError(_("照片无法保存，未导入任何数据；请稍后重试或联系系统管理员。"), code="storage") from None
    new = person.photo.name
    try:
        person.save(update_fields=["photo"])
    except BaseException:
        storage.delete(new)
        raise
    if old:
        transaction.on_commit(lambda: storage.delete(old))


def _check_scope(acting_user, organization: Organization) -> None:
    if acting_user is None:
        return
    if not can_use_lrmx(acting_user) or not lrmx_organizations(acting_user).filter(pk=organization.pk).exists():
        raise PermissionDenied(_("您无权向“%(org)s”导入人员。") % {"org": organization})


@transaction.atomic
def person_import_lrmx(data: bytes, *, acting_user, organization: Organization) -> Person:
    """Create or update the person an .lrmx file describes (see the module docstring for the guarantees)."""
    _check_scope(acting_user, organization)
    parsed = read_lrmx(data)
    warnings: list[str] = []
    person = _find_person(parsed, acting_user=acting_user, organization=organization)
    created = person is None
    if created:
        person = Person(organization=organization)

    _set_person_fields(person, parsed, created=created, warnings=warnings)
    educations = _educations(parsed, warnings)
    resume = _resume(parsed, warnings) if parsed.resume else None
    family = _family(parsed, warnings)
    _clean(person, exclude=["photo", "organization"])
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise LrmxError(_("该身份证号已被其他人员登记，请刷新后重试。"), code="duplicate") from None

    title = _title(parsed, person, warnings)
    if title is not None:
        title.person = person
        _clean(title, what=_("专业技术职务"))
        title.save()
    _save_educations(person, educations)
    if resume is not None:
        _save_resume(person, resume)
    if parsed.family:
        _save_family(person, family)
    _save_appraisals(person, parsed, created=created, warnings=warnings)
    _save_rewards(person, parsed, warnings)

    record_event(
        actor=acting_user,
        action="lrmx_import",
        obj=person,
        from_state="" if created else "existing",
        to_state="created" if created else "updated",
        payload={
            "sha256": hashlib.sha256(data).hexdigest(),
            "organization": organization.code,
            "created": created,
            "warnings": warnings,
        },
    )
    _save_photo(person, parsed.photo)
    person.lrmx_report = LrmxImportReport(created=created, warnings=warnings)
    return person


# ----------------------------------------------------------------------------------------- export


@transaction.atomic
def person_export_lrmx(person: Person, *, acting_user=None, on: dt.date | None = None, **form) -> bytes:
    """The person as an .lrmx file (form fields: proposed_post, proposed_removal, reason, reporting_unit,
    filled_by). Every export is recorded in the audit trail (`acting_user` None: the system)."""
    data = write_person(person, on=on, **form)
    record_event(
        actor=acting_user,
        action="lrmx_export",
        obj=person,
        payload={"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)},
    )
    return data
