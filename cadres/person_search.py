"""The one person search behind every person picker: by name, pinyin initials / full pinyin, or ID last digits.

`search_people(user, q)` answers what the picker's drop-down shows; `hits_for_pks` gives the
same labels for chosen people. Results are always within `cadres.scoping.people_visible_to(user)`, and within
`scope_qs` when a form restricts the choice (a case's candidates, a school's staff).

How the query is read (decisions):
- only digits, optionally ending in X, 4 characters or more: the end of the ID number. The last four are
  looked up in the indexed `id_last4` column; a longer tail is then checked against the whole number among
  those rows only. Fewer than four digits find nobody (an ID fragment that short names hundreds of people).
- only Latin letters: a prefix of the pinyin initials ("lx" → 刘旭) or of the full pinyin ("liux" → 刘旭),
  case-insensitive.
- anything else: a part of the name — the start of the name, or of the name without its first one or two
  characters (stored keys `name_tail`, `name_tail2`): every part of a name of up to three characters, and of
  longer names every part but one that begins at the fourth character.
Each key is looked up by its own index, ordered by that key and cut at `limit` (never a scan: at 150,000 people
an unindexed LIKE '%…%' or an OR over two keys costs 100–400 ms); the candidates' labels are then read in one
query and ordered by full pinyin, name and record.
Every result carries what tells two 刘旭 apart: unit, current post, birth month and the ID's last four.
The value a form receives is a signed token (`person_token`), never the bare database id.
"""

from __future__ import annotations

import base64
import datetime as dt
import pickle
import re
import zlib
from dataclasses import dataclass

from django.core import signing
from django.db import connection
from django.db.models import Case, CharField, F, OuterRef, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Collate, Concat, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _

from . import choices as c
from .facts import current_post_subquery
from .models import Person
from .scoping import people_visible_to

DEFAULT_LIMIT = 20
MAX_LIMIT = 50
MIN_ID_DIGITS = 4
MAX_QUERY_LENGTH = 40

_TOKEN_SALT = "cadres.person_search.person"
_SCOPE_SALT = "cadres.person_search.scope"
# A restriction token outlives any form a user keeps open in a day's work, not longer.
SCOPE_MAX_AGE = 24 * 3600

_ID_TAIL = re.compile(rf"^\d{{{MIN_ID_DIGITS - 1},17}}[0-9X]$")
_LETTERS = re.compile(r"^[a-z]+$")


@dataclass(frozen=True)
class PersonHit:
    """One person as the picker shows them."""

    token: str
    name: str
    unit: str
    post: str
    birth_month: str
    id_tail: str

    @property
    def label(self) -> str:
        """刘旭 · 实验中学 · 副校长 · 1980年03月 · 身份证后四位1234 (the parts a person has)."""
        parts = [self.name, self.unit, self.post, self.birth_month]
        if self.id_tail:
            parts.append(_("身份证后四位%(d)s") % {"d": self.id_tail})
        return " · ".join(p for p in parts if p)

    def as_json(self) -> dict:
        return {
            "value": self.token,
            "label": self.label,
            "name": self.name,
            "unit": self.unit,
            "post": self.post,
            "birth_month": self.birth_month,
            "id_tail": self.id_tail,
        }


# ---------------------------------------------------------------- tokens


def person_token(pk: int) -> str:
    """The opaque, signed value a form carries for a person (the same person always gets the same token)."""
    return signing.Signer(salt=_TOKEN_SALT).sign_object({"p": pk})


def pk_from_token(token: str) -> int | None:
    """The person's pk behind a token, or None when the token was not made by this server."""
    try:
        data = signing.Signer(salt=_TOKEN_SALT).unsign_object(token or "")
    except (signing.BadSignature, ValueError, TypeError):
        return None
    pk = data.get("p") if isinstance(data, dict) else None
    return pk if isinstance(pk, int) and not isinstance(pk, bool) and pk > 0 else None


def scope_token(queryset: QuerySet[Person]) -> str:
    """A signed, time-limited token carrying a restriction of the selectable people to the search endpoint.

    The queryset's SQL structure is pickled (Django supports pickling `QuerySet.query`), compressed and signed;
    `queryset_from_scope_token` unpickles it only after the signature checks, so only a query this server built
    is ever loaded. Decision: stateless (no cache entry to expire or share between workers).
    """
    raw = zlib.compress(pickle.dumps(queryset.values("pk").query))
    return signing.dumps(base64.urlsafe_b64encode(raw).decode("ascii"), salt=_SCOPE_SALT)


def queryset_from_scope_token(token: str) -> QuerySet[Person] | None:
    """The restriction a `scope_token` carries, or None when the token is forged or expired."""
    try:
        payload = signing.loads(token, salt=_SCOPE_SALT, max_age=SCOPE_MAX_AGE)
        query = pickle.loads(zlib.decompress(base64.urlsafe_b64decode(payload.encode("ascii"))))
    except (signing.BadSignature, ValueError, TypeError, zlib.error, pickle.UnpicklingError, AttributeError):
        return None
    if getattr(query, "model", None) is not Person:
        return None
    qs = Person.objects.all()
    qs.query = query
    return qs


# ---------------------------------------------------------------- search


def _annotated(qs: QuerySet[Person], on: dt.date) -> QuerySet[Person]:
    # The senior post held on `on`, named with its unit when that is not the person's own unit.
    post_label = Case(
        When(post__organization_id=OuterRef("organization_id"), then=F("post__name")),
        default=Concat(F("post__organization__name"), F("post__name")),
        output_field=CharField(),
    )
    return qs.annotate(
        unit_name=Coalesce(NullIf(F("organization__short_name"), Value("")), F("organization__name")),
        post_label=current_post_subquery(on, annotate={"post_label": post_label}, field="post_label"),
    ).only("pk", "name", "id_number", "id_last4", "birth_date", "record_birth_month", "organization_id")


def hit_for(person: Person) -> PersonHit:
    """A result from a person annotated by `_annotated`."""
    month = person.record_birth_month or person.birth_date
    return PersonHit(
        token=person_token(person.pk),
        name=person.name,
        unit=person.unit_name or "",
        post=person.post_label or "",
        birth_month=_("%(y)d年%(m)02d月") % {"y": month.year, "m": month.month} if month else "",
        id_tail=person.id_last4 or "",
    )


def normalise_query(q: str) -> str:
    return re.sub(r"\s+", "", (q or "").strip())[:MAX_QUERY_LENGTH]


def query_kind(q: str) -> str | None:
    """ "id", "pinyin", "name", or None when the query cannot find anyone (empty, or too few ID digits)."""
    if not q:
        return None
    if q[0].isdigit():
        return "id" if _ID_TAIL.match(q.upper()) else None
    if _LETTERS.match(q.lower()):
        return "pinyin"
    return "name"


# The stored keys a query of each kind is the start of (cadres.name_keys fills them).
KEYS = {"pinyin": ("name_initials", "name_pinyin"), "name": ("name", "name_tail", "name_tail2")}


def _key(field: str):
    """A key as the lookups compare it: byte order ("C") on PostgreSQL, where migration 0010 indexes
    (key COLLATE "C", id); there one index range both finds the prefix and yields the rows in order, so LIMIT
    stops after `limit` index entries. The field itself elsewhere."""
    return Collate(F(field), "C") if connection.vendor == "postgresql" else F(field)


def candidates(qs: QuerySet[Person], q: str, limit: int) -> list[QuerySet]:
    """The lookups `q` asks for (see the module's decisions), each a query of at most `limit` pks of `qs`:
    one for an ID tail, one per key for letters (2) or a name (3), each ordered by its key and cut."""
    q = normalise_query(q)
    kind = query_kind(q)
    if kind is None:
        return []
    if kind == "id":
        q = q.upper()
        found = qs.filter(id_last4=q[-4:])
        if len(q) > 4:
            found = found.filter(id_number__endswith=q)
        return [found.order_by("pk").values_list("pk", flat=True)[:limit]]
    if kind == "pinyin":
        q = q.lower()
    return [
        qs.alias(search_key=_key(field))
        .filter(search_key__startswith=q)
        .order_by("search_key", "pk")
        .values_list("pk", flat=True)[:limit]
        for field in KEYS[kind]
    ]


def _union_of(parts: list[QuerySet]) -> RawSQL:
    """The candidates' pks as one subquery: each lookup wrapped (so its ORDER BY … LIMIT stays its own, which
    SQLite allows only in a subquery) and joined by UNION ALL — the whole search is then one statement."""
    sqls, params = [], []
    for i, part in enumerate(parts):
        sql, part_params = part.query.get_compiler(connection=connection).as_sql()
        sqls.append(f'SELECT * FROM ({sql}) AS "cand{i}"')
        params.extend(part_params)
    return RawSQL(" UNION ALL ".join(sqls), params)


def search_people(
    user,
    q: str,
    *,
    limit: int = DEFAULT_LIMIT,
    scope_qs: QuerySet[Person] | None = None,
    organization_id: int | None = None,
    active_only: bool = False,
    on: dt.date | None = None,
) -> list[PersonHit]:
    """People visible to `user` (and within `scope_qs`) that `q` names, in pinyin order: one query.

    The candidates come from one indexed lookup per key (see `candidates`), joined in a subquery; the outer
    query reads their labels and orders them by full pinyin, name and record, cut at `limit`.
    """
    qs = people_visible_to(user)
    if scope_qs is not None:
        qs = qs.filter(pk__in=scope_qs.values("pk"))
    if organization_id:
        qs = qs.filter(organization_id=organization_id)
    if active_only:
        qs = qs.filter(employment_status=c.EmploymentStatus.ACTIVE)
    limit = max(1, min(limit, MAX_LIMIT))
    parts = candidates(qs, q, limit)
    if not parts or qs.query.is_empty():  # nothing to look for, or a user who may see nobody
        return []
    rows = _annotated(Person.objects.filter(pk__in=_union_of(parts)), on or timezone.localdate())
    return [hit_for(p) for p in rows.order_by("name_pinyin", "name", "pk")[:limit]]


def hits_for_pks(pks: list[int], *, on: dt.date | None = None) -> dict[int, PersonHit]:
    """Labels for chosen people, by pk (one query; unknown pks are left out)."""
    if not pks:
        return {}
    rows = _annotated(Person.objects.filter(pk__in=pks), on or timezone.localdate())
    return {p.pk: hit_for(p) for p in rows}


def person_labels(people) -> dict[int, str]:
    """The picker's label of each person (name · unit · post · birth month · ID's last four), by pk: what tells
    two people of the same name apart wherever a page or a refusal names them. One query."""
    return {pk: hit.label for pk, hit in hits_for_pks([p.pk for p in people]).items()}


def person_label(person) -> str:
    return person_labels([person]).get(person.pk, person.name)
