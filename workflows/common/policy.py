"""Who may act on a task: one policy object per task node, asked three ways from one set of facts.

A `TaskPolicy` is a `Rule` (role, scope) plus, usually, the `Recusal` of the case's subjects (回避: nobody acts
on their own case or a kin's). Every rule answers the same question three ways:

- `allows(user, case)`: may this user act on this case — the task page's check (`CaseTask.can_execute`);
- `cases_q(facts, model)`: the cases on which this user may act, as a `Q` over the case model — the inbox,
  computed by the database for any number of tasks (`workflows.common.inbox`); `None` means "no case at all";
- `users_q(case)`: the users who may act on this case, as a `Q` over `User` — notifications and the case
  page's "who may act" (`actors_of`).

`tasks_q(facts, model)` says what `cases_q` says as a `Q` over the task table, in the form PostgreSQL answers
fastest for thousands of open tasks: a rule that allows every case adds nothing, a rule that allows few cases
is `process_id IN (those cases)`, and one that allows all but a few (recusal, "not a private school") is
`NOT process_id IN (the few)`. The inbox filters the partial task index with it and never joins a case table
row by row (issue 13: the officer's count went from 25 ms to 8 ms at 100,000 tasks).

`tests/workflows/common/test_policy.py` asks all three for a grid of users × cases of every flow and
requires them to agree, so the inbox never offers what the task page refuses, and nobody is told of a task
they cannot open.

A task held by someone (`task.owner`) is theirs alone, and only while the policy still holds for them; that
part is the node's (`workflows.common.nodes.CaseTask`), not the policy's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Exists, Expression, F, OuterRef, Q, Subquery
from django.db.models.constants import LOOKUP_SEP
from viewflow.workflow.status import STATUS

from cadres.choices import RECUSAL_RELATIONS, OrgKind
from cadres.models import FamilyMember
from cadres.recusal import own_kin_ids
from cadres.roles import Role, is_bureau_user, profile_of, roles_of

NOTHING = Q(pk__in=[])
OPEN = (STATUS.NEW, STATUS.ASSIGNED)


class UserFacts:
    """What the rules need to know about one user, read once per request."""

    def __init__(self, user):
        self.user = user
        self.pk = user.pk
        self.active = bool(getattr(user, "is_authenticated", False) and user.is_active)
        self.is_superuser = bool(getattr(user, "is_superuser", False))
        self.roles = frozenset(roles_of(user)) if self.active else frozenset()
        profile = profile_of(user) if self.active else None
        self.org_id = profile.organization_id if profile else None
        self.person_id = profile.person_id if profile else None
        self.bureau_user = self.active and is_bureau_user(user)

    def holds(self, roles) -> bool:
        return bool(self.roles & set(roles))

    @cached_property
    def recused_person_ids(self) -> frozenset[int]:
        """The registry people this user must stay away from: themself and their kin."""
        if self.person_id is None:
            return frozenset()
        return frozenset({self.person_id, *own_kin_ids(self.user)})


def facts_of(user) -> UserFacts:
    """The user's facts, read once per request: kept on the user object (as `roles_of` keeps the roles) and
    read again when the roles are (whoever resets `user._cadreflow_roles` gets fresh facts too)."""
    kept = getattr(user, "_cadreflow_facts", None)
    if kept is not None and kept[0] is getattr(user, "_cadreflow_roles", None):
        return kept[1]
    facts = UserFacts(user)
    if facts.active:
        user._cadreflow_facts = (getattr(user, "_cadreflow_roles", None), facts)
    return facts


def _users(**lookups) -> Q:
    """Users matching `lookups`, as a `pk__in` subquery (no duplicate rows from multi-valued joins)."""
    return Q(pk__in=get_user_model().objects.filter(**lookups).values("pk"))


class Among(Expression):
    """`column` is one of the values `subquery` gives, for a rule whose few values live in another table (the
    district's private schools). On PostgreSQL it is `column = ANY(ARRAY(subquery))`: the small subquery runs
    once and the column's index finds the rows, where `IN (subquery)` had PostgreSQL hash every case of the
    flow on every inbox statement (about 1 ms of the officer's count and of their first rows; issue 13).
    Elsewhere it is `column IN (subquery)`. Like `IN`, a NULL column is among nothing."""

    conditional = True

    def __init__(self, column: str, subquery):
        super().__init__(output_field=BooleanField())
        self.column, self.subquery = F(column), Subquery(subquery)

    def get_source_expressions(self):
        return [self.column, self.subquery]

    def set_source_expressions(self, exprs):
        self.column, self.subquery = exprs

    def _parts(self, compiler):
        column, column_params = compiler.compile(self.column)
        values, values_params = compiler.compile(self.subquery)  # "(SELECT ...)"
        return column, values, (*column_params, *values_params)

    def as_sql(self, compiler, connection):
        column, values, params = self._parts(compiler)
        return f"{column} IN {values}", params

    def as_postgresql(self, compiler, connection):
        column, values, params = self._parts(compiler)
        return f"{column} = ANY(ARRAY{values})", params


def _in_cases(model, cases: Q) -> Q:
    """Tasks of the cases of `model` matching `cases` (every case: no condition at all)."""
    if not cases:
        return Q()
    return Q(process_id__in=model.objects.filter(cases).order_by().values("pk"))


def _not_in_cases(model, cases: Q) -> Q:
    """Tasks of no case of `model` matching `cases` (the few cases a rule leaves out)."""
    return ~Q(process_id__in=model.objects.filter(cases).order_by().values("pk"))


def _value(case, path: str):
    """`case.<a>.<b>` for the ORM path "a__b" (None along the way stays None)."""
    value = case
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part)
    return value


class Rule:
    """One fact about who may act; subclasses answer it three ways (see the module docstring)."""

    def allows(self, user, facts: UserFacts, case) -> bool:
        raise NotImplementedError

    def cases_q(self, facts: UserFacts, model) -> Q | None:
        raise NotImplementedError

    def users_q(self, case) -> Q:
        raise NotImplementedError

    def tasks_q(self, facts: UserFacts, model) -> Q | None:
        """`cases_q` over the task table; a rule allowing few cases names them (`process_id IN`)."""
        cases = self.cases_q(facts, model)
        return None if cases is None else _in_cases(model, cases)


@dataclass(frozen=True)
class BureauRole(Rule):
    """A bureau user holding one of `roles`; with `superusers=True` a superuser passes without the role."""

    roles: tuple[str, ...]
    superusers: bool = False

    def __post_init__(self):
        # A teacher or judge in the bureau's unit is no bureau user (`sees_only_own_record`): such roles here
        # would make the database answer differ from `is_bureau_user`.
        assert not set(self.roles) & {Role.TEACHER, Role.JUDGE}, "BureauRole is for bureau roles"

    def _passes(self, facts: UserFacts) -> bool:
        if self.superusers and facts.is_superuser:
            return True
        return facts.bureau_user and facts.holds(self.roles)

    def allows(self, user, facts, case) -> bool:
        return self._passes(facts)

    def cases_q(self, facts, model):
        return Q() if self._passes(facts) else None

    def users_q(self, case) -> Q:
        bureau = Q(is_superuser=True) | _users(profile__organization__kind=OrgKind.BUREAU)
        holders = _users(groups__name__in=self.roles) & bureau
        return holders | Q(is_superuser=True) if self.superusers else holders


@dataclass(frozen=True)
class SchoolRole(Rule):
    """A user holding one of `roles` whose unit is the case's school (`org_path`); bureau users excluded
    unless `bureau_too` (the ethics case's school secretary may sit in any unit that is the case's)."""

    roles: tuple[str, ...]
    org_path: str = "organization_id"
    bureau_too: bool = False

    def _eligible(self, facts: UserFacts) -> bool:
        if not facts.holds(self.roles) or facts.org_id is None:
            return False
        return self.bureau_too or not facts.bureau_user

    def allows(self, user, facts, case) -> bool:
        return self._eligible(facts) and _value(case, self.org_path) == facts.org_id

    def cases_q(self, facts, model):
        return Q(**{self.org_path: facts.org_id}) if self._eligible(facts) else None

    def users_q(self, case) -> Q:
        org_id = _value(case, self.org_path)
        if org_id is None:
            return NOTHING
        q = _users(groups__name__in=self.roles, profile__organization_id=org_id)
        if self.bureau_too:
            return q
        # `is_bureau_user` is true for superusers and for users of the bureau's unit with a bureau role.
        return q & Q(is_superuser=False) & ~_users(profile__organization__kind=OrgKind.BUREAU)


@dataclass(frozen=True)
class ThePerson(Rule):
    """The registry person at `person_path` of the case, through their login (the teacher, the cadre)."""

    person_path: str

    def allows(self, user, facts, case) -> bool:
        return facts.person_id is not None and _value(case, self.person_path) == facts.person_id

    def cases_q(self, facts, model):
        return Q(**{self.person_path: facts.person_id}) if facts.person_id is not None else None

    def users_q(self, case) -> Q:
        person_id = _value(case, self.person_path)
        return _users(profile__person_id=person_id) if person_id is not None else NOTHING


@dataclass(frozen=True)
class NamedUser(Rule):
    """The user the case names in `user_field` (the ethics case's investigator)."""

    user_field: str

    def allows(self, user, facts, case) -> bool:
        return facts.pk is not None and getattr(case, f"{self.user_field}_id") == facts.pk

    def cases_q(self, facts, model):
        return Q(**{f"{self.user_field}_id": facts.pk}) if facts.active else None

    def users_q(self, case) -> Q:
        user_id = getattr(case, f"{self.user_field}_id")
        return Q(pk=user_id) if user_id is not None else NOTHING


@dataclass(frozen=True)
class TeamMember(Rule):
    """A member of the case's inspection team (`team_field`, a many-to-many to users)."""

    team_field: str = "inspection_team"

    def allows(self, user, facts, case) -> bool:
        return facts.pk is not None and getattr(case, self.team_field).filter(pk=facts.pk).exists()

    def cases_q(self, facts, model):
        return Q(**{self.team_field: facts.pk}) if facts.active else None

    def users_q(self, case) -> Q:
        return Q(pk__in=getattr(case, self.team_field).values("pk"))


@dataclass(frozen=True)
class CaseIs(Rule):
    """A fact of the case itself (a private school, say): `q` over the case model, `test` its Python twin.
    `common=True` says most cases have it: the inbox then leaves out the few that do not (`tasks_q`)."""

    q: Q
    test: object  # callable(case) -> bool
    common: bool = False

    def tasks_q(self, facts, model):
        return _not_in_cases(model, ~self.q) if self.common else _in_cases(model, self.q)

    def allows(self, user, facts, case) -> bool:
        return bool(self.test(case))

    def cases_q(self, facts, model):
        return self.q

    def users_q(self, case) -> Q:
        return Q() if self.test(case) else NOTHING


@dataclass(frozen=True)
class AllOf(Rule):
    rules: tuple[Rule, ...]

    def allows(self, user, facts, case) -> bool:
        return all(rule.allows(user, facts, case) for rule in self.rules)

    def _asked(self, facts, model, ask: str) -> Q | None:
        q = Q()
        for rule in self.rules:
            part = getattr(rule, ask)(facts, model)
            if part is None:
                return None
            q &= part
        return q

    def cases_q(self, facts, model):
        return self._asked(facts, model, "cases_q")

    def tasks_q(self, facts, model):
        return self._asked(facts, model, "tasks_q")

    def users_q(self, case) -> Q:
        q = Q()
        for rule in self.rules:
            q &= rule.users_q(case)
        return q


@dataclass(frozen=True)
class AnyOf(Rule):
    rules: tuple[Rule, ...]

    def allows(self, user, facts, case) -> bool:
        return any(rule.allows(user, facts, case) for rule in self.rules)

    def _asked(self, facts, model, ask: str) -> Q | None:
        parts = [q for q in (getattr(rule, ask)(facts, model) for rule in self.rules) if q is not None]
        if not parts:
            return None
        if any(not part for part in parts):  # one part allows every case
            return Q()
        q = parts[0]
        for part in parts[1:]:
            q |= part
        return q

    def cases_q(self, facts, model):
        return self._asked(facts, model, "cases_q")

    def tasks_q(self, facts, model):
        return self._asked(facts, model, "tasks_q")

    def users_q(self, case) -> Q:
        q = NOTHING
        for rule in self.rules:
            q |= rule.users_q(case)
        return q


@dataclass(frozen=True)
class Recusal:
    """回避 (DOMAIN §7): the case's subjects (`subject_path`: candidates, the teacher, the cadre) and their kin
    never act on it."""

    subject_path: str

    def subject_ids(self, case) -> set[int]:
        if LOOKUP_SEP not in self.subject_path and self.subject_path in case.__dict__:
            value = case.__dict__[self.subject_path]  # a column of the case row in hand (teacher_id, ...)
            return set() if value is None else {value}
        rows = type(case).objects.filter(pk=case.pk).values_list(self.subject_path, flat=True)
        return {pk for pk in rows if pk is not None}

    def allows(self, user, facts: UserFacts, case) -> bool:
        if facts.person_id is None:
            return True
        return not (self.subject_ids(case) & facts.recused_person_ids)

    def cases_q(self, facts: UserFacts, model) -> Q:
        if facts.person_id is None:
            return Q()
        # NOT EXISTS (correlated) rather than NOT IN (subquery): PostgreSQL estimates the anti-join right and
        # keeps to the index instead of scanning the task table (bench_workbench, issue 13).
        recused = model.objects.filter(
            pk=OuterRef("pk"), **{f"{self.subject_path}__in": list(facts.recused_person_ids)}
        )
        return ~Q(Exists(recused))

    def tasks_q(self, facts: UserFacts, model) -> Q:
        """The tasks of every case but the few about this user or their kin."""
        if facts.person_id is None:
            return Q()
        return _not_in_cases(model, Q(**{f"{self.subject_path}__in": sorted(facts.recused_person_ids)}))

    def users_q(self, case) -> Q:
        subjects = self.subject_ids(case)
        if not subjects:
            return Q()
        rows = FamilyMember.objects.filter(
            Q(person_id__in=subjects) | Q(relative_id__in=subjects), relation__in=list(RECUSAL_RELATIONS)
        ).values_list("person_id", "relative_id")
        excluded = set(subjects)
        for owner, relative in rows:
            excluded.update(i for i in (owner, relative) if i is not None)
        return ~_users(profile__person_id__in=excluded)


@dataclass(frozen=True)
class TaskPolicy:
    """Who acts on one step: `label` says it in Chinese (refusals, the case page), `rule` decides it."""

    label: str
    rule: Rule
    recusal: Recusal | None = None

    def rule_allows(self, user, case, facts: UserFacts | None = None) -> bool:
        """Role and scope only, recusal left out (a service refusing says which of the two failed)."""
        facts = facts or facts_of(user)
        return facts.active and self.rule.allows(user, facts, case)

    def allows(self, user, case, facts: UserFacts | None = None) -> bool:
        facts = facts or facts_of(user)
        if not self.rule_allows(user, case, facts):
            return False
        return self.recusal is None or self.recusal.allows(user, facts, case)

    def _asked(self, facts: UserFacts, model, ask: str) -> Q | None:
        """The rule's answer to `ask` ("cases_q" or "tasks_q"), and the recusal's."""
        if not facts.active:
            return None
        q = getattr(self.rule, ask)(facts, model)
        if q is None:
            return None
        if self.recusal is not None:
            q &= getattr(self.recusal, ask)(facts, model)
        return q

    def cases_q(self, facts: UserFacts, model) -> Q | None:
        return self._asked(facts, model, "cases_q")

    def tasks_q(self, facts: UserFacts, model) -> Q | None:
        """`cases_q` as a `Q` over the task table (see the module docstring)."""
        return self._asked(facts, model, "tasks_q")

    def users_q(self, case) -> Q:
        q = Q(is_active=True) & self.rule.users_q(case)
        if self.recusal is not None:
            q &= self.recusal.users_q(case)
        return q


def case_of(task):
    process = task.process
    return process.coerced if hasattr(process, "coerced") else process


def actors_of(task):
    """The active users who may act on the open `task` now (its holder alone when it is held)."""
    User = get_user_model()
    node = task.flow_task
    policy = getattr(node, "policy", None)
    if policy is None or task.status not in (*OPEN, STATUS.STARTED):
        return User.objects.none()
    users = User.objects.filter(policy.users_q(case_of(task)))
    if task.owner_id is not None:
        users = users.filter(pk=task.owner_id)
    return users.order_by("pk")
