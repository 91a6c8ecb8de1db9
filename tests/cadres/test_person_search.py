"""The person picker: the search service, its endpoint, and the form fields' clean() (cadres.person_search/picker)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.core.signing import Signer
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres import choices as c
from cadres.models import Person
from cadres.name_keys import name_keys
from cadres.person_search import person_token, pk_from_token, scope_token, search_people
from cadres.picker import PeopleField, PersonField, bind_user
from cadres.roles import Role
from tests.factories import PersonFactory, PostFactory, TenureFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/registry/people/search/"


@pytest.fixture
def two_liu_xu(school, other_school):
    """Two 刘旭 in different schools, one a vice principal, born in different months."""
    a = PersonFactory(name="刘旭", organization=school, birth_date=dt.date(1980, 3, 9))
    b = PersonFactory(name="刘旭", organization=other_school, birth_date=dt.date(1985, 11, 2))
    post = PostFactory(organization=school, name="副校长", kind=c.PostKind.VICE_PRINCIPAL)
    TenureFactory(person=a, post=post, start_date=dt.date(2020, 9, 1))
    return a, b


def names(hits):
    return [h.name for h in hits]


# ---------------------------------------------------------------- keys


def test_name_keys_read_initials_full_pinyin_and_surname_readings():
    assert name_keys("刘旭") == ("lx", "liuxu")
    assert name_keys("单雄信") == ("sxx", "shanxiongxin")
    assert name_keys("尉迟恭") == ("ycg", "yuchigong")
    assert name_keys("吕布") == ("lb", "lvbu")


def test_keys_are_kept_on_save_and_update_fields(school):
    person = PersonFactory(name="王芳", organization=school)
    person.refresh_from_db()
    assert (person.name_initials, person.name_pinyin) == ("wf", "wangfang")
    assert (person.name_tail, person.name_tail2) == ("芳", "")
    assert person.id_last4 == person.id_number[-4:]
    person.name = "李娜"
    person.save(update_fields=["name"])
    person.refresh_from_db()
    assert (person.name_initials, person.name_pinyin) == ("ln", "lina")


# ---------------------------------------------------------------- service


def test_name_substring_initials_full_pinyin(officer, two_liu_xu, school):
    PersonFactory(name="王小明", organization=school)
    assert names(search_people(officer, "刘旭")) == ["刘旭", "刘旭"]
    assert names(search_people(officer, "小明")) == ["王小明"]
    assert names(search_people(officer, "明")) == ["王小明"]  # any part of the name
    assert names(search_people(officer, "旭")) == ["刘旭", "刘旭"]
    assert names(search_people(officer, "小")) == ["王小明"]
    assert names(search_people(officer, "lx")) == ["刘旭", "刘旭"]
    assert names(search_people(officer, "LX")) == ["刘旭", "刘旭"]
    assert names(search_people(officer, "liux")) == ["刘旭", "刘旭"]
    assert names(search_people(officer, "wxm")) == ["王小明"]
    assert search_people(officer, "zzz") == []


def test_id_digits(officer, two_liu_xu):
    a, b = two_liu_xu
    hits = search_people(officer, a.id_number[-4:])
    assert a.id_number[-4:] != b.id_number[-4:]
    assert [pk_from_token(h.token) for h in hits] == [a.pk]
    assert [pk_from_token(h.token) for h in search_people(officer, a.id_number[-8:])] == [a.pk]
    assert search_people(officer, a.id_number[-3:]) == []  # fewer than four digits find nobody


def test_same_name_people_are_told_apart(officer, two_liu_xu):
    a, b = two_liu_xu
    hits = {pk_from_token(h.token): h for h in search_people(officer, "刘旭")}
    assert hits[a.pk].label == f"刘旭 · 第一实验小学 · 副校长 · 1980年03月 · 身份证后四位{a.id_number[-4:]}"
    assert hits[b.pk].label == f"刘旭 · 第二实验小学 · 1985年11月 · 身份证后四位{b.id_number[-4:]}"
    assert hits[a.pk].label != hits[b.pk].label
    assert not hits[a.pk].token.startswith(f"{a.pk}:") and hits[a.pk].token != str(a.pk)


def test_scope_by_role(school, two_liu_xu, school_secretary):
    a, b = two_liu_xu
    assert [pk_from_token(h.token) for h in search_people(school_secretary, "刘旭")] == [a.pk]
    teacher = UserFactory(roles=[Role.TEACHER], organization=school)
    teacher.profile.person = b
    teacher.profile.save()
    assert [pk_from_token(h.token) for h in search_people(teacher, "刘")] == [b.pk]
    no_person = UserFactory(roles=[Role.TEACHER], organization=school)
    assert search_people(no_person, "刘旭") == []


def test_scope_queryset_org_and_active(officer, two_liu_xu, other_school):
    a, b = two_liu_xu
    b.employment_status = c.EmploymentStatus.RETIRED
    b.save()
    only_b = Person.objects.filter(organization=other_school)
    assert [pk_from_token(h.token) for h in search_people(officer, "lx", scope_qs=only_b)] == [b.pk]
    assert [pk_from_token(h.token) for h in search_people(officer, "lx", organization_id=a.organization_id)] == [a.pk]
    assert [pk_from_token(h.token) for h in search_people(officer, "lx", active_only=True)] == [a.pk]


def _queries(user, q) -> tuple[int, int]:
    from cadres.roles import profile_of, roles_of

    roles_of(user), profile_of(user)  # the user's roles and profile are read once per request anyway
    with CaptureQueriesContext(connection) as ctx:
        found = len(search_people(user, q))
    return len(ctx), found


def test_query_count_does_not_grow_with_results(officer, school):
    post = PostFactory(organization=school)
    first = PersonFactory(name="刘零", organization=school)
    TenureFactory(person=first, post=post)
    assert _queries(officer, "刘") == (1, 1)  # the lookups of every key and the labels: one statement
    assert _queries(officer, "ll") == (1, 1) and _queries(officer, first.id_number[-4:]) == (1, 1)
    for i in range(25):
        person = PersonFactory(name=f"刘{i}", organization=school)
        TenureFactory(person=person, post=post)
    assert _queries(officer, "刘") == (1, 20)


# ---------------------------------------------------------------- endpoint


def test_endpoint_json_and_login(client, officer, two_liu_xu):
    response = client.get(URL, {"q": "lx"})
    assert response.status_code in (302, 403)
    client.force_login(officer)
    response = client.get(URL, {"q": "lx"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["name"] for r in results] == ["刘旭", "刘旭"]
    assert reverse("registry:people:search") == URL
    body = json.dumps(results, ensure_ascii=False)
    for person in two_liu_xu:
        assert f'"{person.pk}"' not in body and f": {person.pk}," not in body


def test_endpoint_scope_token(client, officer, two_liu_xu, other_school):
    _a, b = two_liu_xu
    client.force_login(officer)
    token = scope_token(Person.objects.filter(organization=other_school))
    results = client.get(URL, {"q": "刘旭", "scope": token}).json()["results"]
    assert [pk_from_token(r["value"]) for r in results] == [b.pk]
    forged = client.get(URL, {"q": "刘旭", "scope": token[:-3] + "abc"})
    assert forged.status_code == 400
    assert forged.json()["error"] == "页面已过期，请刷新后重试。"


def test_endpoint_org_never_widens_scope(client, school_secretary, two_liu_xu, other_school):
    client.force_login(school_secretary)
    assert client.get(URL, {"q": "刘旭", "org": other_school.pk}).json()["results"] == []
    assert client.get(URL, {"q": "刘旭", "org": "x"}).status_code == 400


def test_endpoint_throttles(client, officer, monkeypatch):
    from cadres.views import person_search as view

    monkeypatch.setattr(view, "SEARCHES_PER_MINUTE", 2)
    client.force_login(officer)
    assert client.get(URL, {"q": "a"}).status_code == 200
    assert client.get(URL, {"q": "a"}).status_code == 200
    response = client.get(URL, {"q": "a"})
    assert response.status_code == 429
    assert response.json()["error"] == "查询过于频繁，请稍后再试。"


# ---------------------------------------------------------------- fields


class OneForm(forms.Form):
    person = PersonField(label="人选")

    def __init__(self, *args, user=None, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if queryset is not None:
            self.fields["person"].queryset = queryset
        bind_user(self, user)


class ManyForm(forms.Form):
    people = PeopleField(label="考察组", required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bind_user(self, user)


def test_person_field_cleans_a_token_to_a_person(officer, two_liu_xu):
    a, _b = two_liu_xu
    form = OneForm({"person": person_token(a.pk)}, user=officer)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["person"] == a


@pytest.mark.parametrize("value", ["1", "abc", "eyJwIjoxfQ:forged"])
def test_forged_token_is_refused(officer, two_liu_xu, value):
    form = OneForm({"person": value}, user=officer)
    assert not form.is_valid()
    assert form.errors["person"] == ["所选人员无效，请重新选择。"]


def test_token_signed_for_another_purpose_is_refused(officer, two_liu_xu):
    a, _b = two_liu_xu
    other_salt = Signer(salt="something.else").sign_object({"p": a.pk})
    assert not OneForm({"person": other_salt}, user=officer).is_valid()


def test_out_of_scope_and_out_of_queryset_are_refused(school_secretary, officer, two_liu_xu, school):
    a, b = two_liu_xu
    form = OneForm({"person": person_token(b.pk)}, user=school_secretary)
    assert not form.is_valid()
    assert form.errors["person"] == ["所选人员不在可选范围内，请重新选择。"]
    form = OneForm({"person": person_token(a.pk)}, user=officer, queryset=Person.objects.exclude(pk=a.pk))
    assert not form.is_valid()
    assert form.errors["person"] == ["所选人员不在可选范围内，请重新选择。"]


def test_required_and_missing_user(officer, two_liu_xu):
    form = OneForm({}, user=officer)
    assert not form.is_valid()
    assert form.errors["person"] == ["请选择人员。"]
    with pytest.raises(ImproperlyConfigured):
        OneForm({"person": person_token(two_liu_xu[0].pk)}).is_valid()


def test_people_field_keeps_order_and_drops_repeats(officer, two_liu_xu, school, django_assert_max_num_queries):
    a, b = two_liu_xu
    data = {"people": [person_token(b.pk), person_token(a.pk), person_token(b.pk)]}
    form = ManyForm(data, user=officer)
    with django_assert_max_num_queries(4):
        assert form.is_valid(), form.errors
    assert form.cleaned_data["people"] == [b, a]
    assert ManyForm({}, user=officer).is_valid()


def test_people_field_refuses_one_bad_value(school_secretary, two_liu_xu):
    a, b = two_liu_xu
    form = ManyForm({"people": [person_token(a.pk), person_token(b.pk)]}, user=school_secretary)
    assert not form.is_valid()
    assert form.errors["people"] == ["所选人员不在可选范围内，请重新选择。"]


def test_widget_renders_chips_with_labels_and_no_ids(officer, two_liu_xu, school):
    a, b = two_liu_xu
    html = str(ManyForm(initial={"people": [a, b]}, user=officer)["people"])
    assert 'role="combobox"' in html and 'role="listbox"' in html and "aria-activedescendant" not in html
    assert html.count('type="hidden"') == 2
    assert "刘旭 · 第一实验小学 · 副校长 · 1980年03月" in html
    assert f'value="{a.pk}"' not in html
    assert html.index("第一实验小学") < html.index("第二实验小学")  # chips in the chosen order
    bound = str(OneForm({"person": person_token(b.pk)}, user=officer)["person"])
    assert "刘旭 · 第二实验小学 · 1985年11月" in bound
    restricted = OneForm(user=officer, queryset=Person.objects.filter(organization=school))
    assert "scope=" in str(restricted["person"])
    assert "cadreflow/person_picker.js" in str(restricted.media)


def test_the_post_shown_is_the_senior_one_held_today_named_with_its_unit_when_elsewhere(officer, school, other_school):
    person = PersonFactory(name="赵敏", organization=school)
    teacher = PostFactory(organization=school, name="语文教师", kind=c.PostKind.TEACHER)
    vice = PostFactory(organization=school, name="副校长", kind=c.PostKind.VICE_PRINCIPAL)
    TenureFactory(person=person, post=teacher, start_date=dt.date(2010, 9, 1))
    TenureFactory(person=person, post=vice, start_date=dt.date(2021, 9, 1))
    TenureFactory(
        person=person,
        post=PostFactory(organization=school, name="校长", kind=c.PostKind.PRINCIPAL),
        start_date=dt.date(2015, 9, 1),
        end_date=dt.date(2020, 8, 31),
    )  # ended: not shown
    (hit,) = search_people(officer, "赵敏")
    assert hit.post == "副校长"
    other = PersonFactory(name="钱进", organization=school)
    TenureFactory(person=other, post=PostFactory(organization=other_school, name="挂职副校长"))
    (hit,) = search_people(officer, "钱进")
    assert hit.post == "第二实验小学挂职副校长"
