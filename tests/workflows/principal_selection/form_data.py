"""What the selection pages post: rows of the recommend page, picker tokens, the preview's fingerprint."""

from __future__ import annotations

import re

from cadres.person_search import person_token


def token(person) -> str:
    """The picker's value for a person (a signed token, never the bare id)."""
    return person_token(person.pk)


def tokens(people) -> list[str]:
    return [token(p) for p in people]


def recommend_data(form, held_on, voters, votes) -> dict:
    """The recommend page's POST: `voters` [(category, due, attended)], `votes` [(person, votes)], as rows."""
    data = {
        "form": form,
        "held_on": held_on,
        "voters-TOTAL_FORMS": len(voters),
        "voters-INITIAL_FORMS": 0,
        "votes-TOTAL_FORMS": len(votes),
        "votes-INITIAL_FORMS": 0,
    }
    for i, (category, due, attended) in enumerate(voters):
        data |= {f"voters-{i}-category": category, f"voters-{i}-due": due, f"voters-{i}-attended": attended}
    for i, (person, n) in enumerate(votes):
        data |= {f"votes-{i}-person": person_token(person.pk), f"votes-{i}-votes": n}
    return data


def fingerprint_of(response) -> str:
    """The previewed figures' fingerprint the confirmation must send back."""
    match = re.search(r'name="fingerprint" value="([0-9a-f]+)"', response.content.decode())
    assert match, response.content.decode()[:3000]
    return match.group(1)
