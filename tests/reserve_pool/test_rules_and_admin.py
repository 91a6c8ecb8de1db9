"""The reserve-pool rule set (defaults from the data migration, parameters read by date, validation) and the
read-only, scoped admin."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from cadres.models import RuleSet, RuleSetItem
from cadres.roles import Role
from cadres.rules import rule_set_in_force
from reserve_pool import services
from reserve_pool.choices import ReserveState
from reserve_pool.exceptions import ReserveRefused
from reserve_pool.rules import (
    DEFAULT_RESERVE_POOL_ITEMS,
    RESERVE_POOL_PURPOSE,
    load_default_reserve_pool_rule_set,
    reserve_age_limit,
    reserve_pool_params,
)
from tests.factories import UserFactory

from .conftest import ON, entry_in, make_teacher

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_data_migration_loads_the_default_parameters():
    rule_set = rule_set_in_force(RESERVE_POOL_PURPOSE, ON)
    assert rule_set.name == "后备干部管理参数"
    assert [(i.rule_code, i.params) for i in rule_set.items.all()] == DEFAULT_RESERVE_POOL_ITEMS
    assert load_default_reserve_pool_rule_set(RuleSet, RuleSetItem) is False  # idempotent
    params = reserve_pool_params(ON)
    assert (params.head_per_post, params.deputy_per_post) == (2, 1)
    assert (params.near_term_numerator, params.near_term_denominator) == (1, 3)
    assert (params.women_percent, params.non_party_percent) == (25.0, 10.0)
    assert (params.validity_years, params.nomination_months, params.review_months) == (3, 12, 12)
    assert params.training_hours_per_year == 40.0
    assert (params.remove_on_ethics_veto, params.remove_below_appraisal) == (True, "competent")
    assert reserve_age_limit(ON) == 45


def test_a_missing_item_takes_its_default():
    rule_set_in_force(RESERVE_POOL_PURPOSE, ON).items.filter(rule_code="reserve_training").delete()
    assert reserve_pool_params(ON).training_hours_per_year == 40.0


def test_parameters_follow_the_set_in_force_on_the_day():
    current = rule_set_in_force(RESERVE_POOL_PURPOSE, ON)
    current.effective_to = D(2026, 12, 31)
    current.save()
    newer = RuleSet.objects.create(purpose=RESERVE_POOL_PURPOSE, name="新办法", effective_from=D(2027, 1, 1))
    RuleSetItem.objects.create(rule_set=newer, rule_code="reserve_validity", params={"years": 5})
    assert reserve_pool_params(D(2026, 12, 31)).validity_years == 3
    assert reserve_pool_params(D(2027, 1, 1)).validity_years == 5


@pytest.mark.parametrize(
    ("code", "params"),
    [
        ("reserve_quota", {"head_per_post": -1}),
        ("reserve_near_term_share", {"numerator": 1, "denominator": 0}),
        ("reserve_structure_targets", {"women_percent": 120}),
        ("reserve_validity", {"years": 0}),
        ("reserve_review_cycle", {"months": 0}),
        ("reserve_removal_triggers", {"appraisal_below": "unrated"}),
        ("reserve_training", {"hours": 40}),
    ],
)
def test_administrators_cannot_save_nonsense_parameters(code, params):
    item = RuleSetItem(rule_set=rule_set_in_force(RESERVE_POOL_PURPOSE, ON), rule_code=code, params=params)
    with pytest.raises(ValidationError):
        item.clean()


def test_without_a_rule_set_in_force_admission_is_refused_with_a_clear_message(officer, teacher):
    RuleSet.objects.filter(purpose=RESERVE_POOL_PURPOSE).update(effective_from=D(2030, 1, 1))
    entry = entry_in(ReserveState.ASSESSED, teacher, officer)
    with pytest.raises(ReserveRefused) as refused:
        services.reserve_entry_admit(acting_user=officer, entry=entry, document_number="文号", on=ON)
    assert (refused.value.code, refused.value.message) == (
        "no_rule_set",
        "2026年3月2日没有适用于“reserve_pool”的规则集，请管理员在“规则集”中添加。",
    )


# ----------------------------------------------------------------------------- admin


def test_admin_is_read_only(client, officer, teacher):
    entry = entry_in(ReserveState.IN_POOL, teacher, officer)
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    listing = client.get("/admin/reserve_pool/reserveentry/")
    assert listing.status_code == 200 and "王老师" in listing.content.decode()
    page = client.get(f"/admin/reserve_pool/reserveentry/{entry.pk}/change/").content.decode()
    assert 'name="state"' not in page and 'name="_save"' not in page
    assert client.get("/admin/reserve_pool/reserveentry/add/").status_code == 403
    assert client.post(f"/admin/reserve_pool/reserveentry/{entry.pk}/delete/").status_code == 403
    assert client.get("/admin/reserve_pool/trainingrecord/").status_code == 200
    assert client.get("/admin/reserve_pool/yearlyreview/").status_code == 200


def test_admin_shows_a_school_only_its_nominees(client, officer, school, other_school, posts):
    entry_in(ReserveState.IN_POOL, make_teacher(school, "本校甲"), officer)
    entry_in(ReserveState.IN_POOL, make_teacher(other_school, "外校乙"), officer)
    staff = UserFactory(roles=[Role.SCHOOL_SECRETARY], organization=school, is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="reserve_pool", codename__startswith="view_")
    )
    client.force_login(staff)
    listing = client.get("/admin/reserve_pool/reserveentry/").content.decode()
    assert "本校甲" in listing and "外校乙" not in listing
