"""Meeting members are registry people: how they are named on the record and keyed in the tally.

A meeting's members and those present are `Person` rows chosen with the person picker; a typed name is not
a member (`MemberError`, code `not_in_registry`). `Meeting.members`, `present`, `votes` and `recused` keep
one label per person — the name with the unit, and the birth month as well when two members would
otherwise read the same — so the vote sheet prints who voted without an id, and two 刘旭 stay apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from cadres.models import Person


def person_label(person: Person, *, with_birth: bool = False) -> str:
    unit = person.organization.name if person.organization_id else ""
    if with_birth and person.birth_date:
        month = person.birth_month
        return _("%(name)s（%(unit)s，%(year)s年%(month)s月生）") % {
            "name": person.name,
            "unit": unit,
            "year": month.year,
            "month": month.month,
        }
    return _("%(name)s（%(unit)s）") % {"name": person.name, "unit": unit} if unit else person.name


@dataclass(frozen=True)
class MeetingPeople:
    """Members and those present as labels (in the order chosen), and each label's person."""

    members: list[str]
    present: list[str]
    people: dict[str, Person]

    def label_of(self, person: Person) -> str:
        return next(label for label, p in self.people.items() if p.pk == person.pk)

    def votes_by_label(self, votes: dict) -> dict:
        """`votes` keyed by person (or person pk) → keyed by label; a voter who is not a member is refused."""
        by_pk = {p.pk: label for label, p in self.people.items()}
        out = {}
        for who, value in votes.items():
            pk = who.pk if isinstance(who, Person) else who
            if pk not in by_pk:
                raise _refused(_("表决人不在应到成员中。"), code="stray")
            out[by_pk[pk]] = value
        return out


def _refused(message, code: str):
    """The competition's refusal (`services.CompetitionRefused`, imported here late: services imports this)."""
    from .services import CompetitionRefused

    return CompetitionRefused(message, code=code)


def meeting_people(members, present) -> MeetingPeople:
    members = list(dict.fromkeys(members))
    present = list(dict.fromkeys(present))
    if any(not isinstance(m, Person) for m in [*members, *present]):
        raise _refused(_("会议成员须从人员库中选择，不接受手工填写的姓名。"), code="not_in_registry")
    if not members:
        raise _refused(_("须列出应到会成员。"), code="no_members")
    stray = [p for p in present if p.pk not in {m.pk for m in members}]
    if stray:
        raise _refused(
            _("实到人员不在应到成员中：%(names)s") % {"names": "、".join(person_label(p) for p in stray)}, code="stray"
        )
    plain = [person_label(m) for m in members]
    labels = [
        person_label(m, with_birth=True) if plain.count(plain[i]) > 1 else plain[i] for i, m in enumerate(members)
    ]
    people = dict(zip(labels, members, strict=True))
    by_pk = {m.pk: label for label, m in people.items()}
    return MeetingPeople(members=labels, present=[by_pk[p.pk] for p in present], people=people)
