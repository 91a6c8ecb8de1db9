"""`cadres.reverse_once.ids_url` gives what `reverse` gives, for any ids."""

import pytest
from django.urls import reverse

from cadres.reverse_once import ids_url


def test_the_url_is_the_one_reverse_gives():
    for pk in (1, 7, 42, 918273645, 10**12):
        expected = reverse("registry:people:detail", args=[pk])
        assert ids_url("t:people", lambda p: reverse("registry:people:detail", args=[p]), pk) == expected


def test_two_ids_and_only_integers():
    build = lambda a, b: f"/x/{a}/y/{b}/z/"  # noqa: E731
    assert ids_url("t:two", build, 3, 44) == "/x/3/y/44/z/"
    assert ids_url("t:two", build, "5", 6) == "/x/5/y/6/z/"
    with pytest.raises(ValueError):
        ids_url("t:two", build, "5/../admin", 6)  # never pasted into a URL as text
