"""What the workbench keeps between requests (issue 13) never outlives the facts it was made from: the inbox's
compiled clause and the shell's list of areas are kept per roles, unit and person, so a change shows at once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cadres.roles import Role
from workflows.common import inbox

from .journey import propose

pytestmark = pytest.mark.django_db


def _fresh(user):
    user._cadreflow_roles = None
    return user


def test_the_inbox_follows_a_change_of_role_at_once(client, world):
    propose(client, world)
    officer = world.officer
    assert inbox.actionable_tasks(_fresh(officer)).count() == 1
    assert inbox.actionable_tasks(_fresh(officer)).count() == 1  # the kept clause, same answer
    officer.groups.remove(Group.objects.get(name=Role.PERSONNEL_OFFICER))
    assert inbox.actionable_tasks(_fresh(officer)).count() == 0
    officer.groups.add(Group.objects.get(name=Role.PERSONNEL_OFFICER))
    assert inbox.actionable_tasks(_fresh(officer)).count() == 1


def test_the_kept_clause_is_the_one_built_from_the_policies(client, world):
    propose(client, world)
    facts = inbox.UserFacts(world.officer)
    flows = inbox.flows()
    built, _named = inbox._policy_clauses(facts, flows)
    from viewflow.workflow.models import Task

    expected = set(
        Task.objects.filter(status__in=inbox.OPEN)
        .filter(built)
        .filter(owner_id__isnull=True)
        .values_list("pk", flat=True)
    ) | set(Task.objects.filter(status__in=inbox.OPEN, owner=world.officer).filter(built).values_list("pk", flat=True))
    assert set(inbox.actionable_tasks(world.officer).values_list("pk", flat=True)) == expected


def test_the_list_of_areas_follows_a_change_of_role_at_once(client, world):
    area = reverse("principalselection:index")
    client.force_login(world.officer)
    assert f'href="{area}"' in client.get(reverse("notifications:index")).content.decode()
    world.officer.groups.remove(Group.objects.get(name=Role.PERSONNEL_OFFICER))
    page = client.get(reverse("notifications:index")).content.decode()
    assert f'href="{area}"' not in page


def test_an_areas_menu_is_kept_per_area_and_role_and_a_flows_menu_counts_each_time(client, world):
    from django.core.cache import cache

    from cadres.templatetags.cadreflow_shell import menu_cache_key
    from tests.workflows.common.test_inbox import selection_tasks

    people = reverse("registry:people:index")
    accounts = reverse("registry:users:index")
    client.force_login(world.officer)
    assert f'href="{accounts}"' in client.get(people).content.decode()  # the registry's own menu
    part = "app-menu:cadres.urls.RegistryApp:registry:people"
    assert "mdc-list-item" in cache.get(menu_cache_key(_fresh(world.officer), part=part))  # kept for this area
    world.officer.groups.remove(Group.objects.get(name=Role.PERSONNEL_OFFICER))
    assert f'href="{accounts}"' not in client.get(people).content.decode()  # another key: at once
    world.officer.groups.add(Group.objects.get(name=Role.PERSONNEL_OFFICER))
    cases = reverse("principalselection:process_list")
    first = client.get(cases).context["flow_inbox_count"]
    selection_tasks(world.school, 2)
    assert int(client.get(cases).context["flow_inbox_count"]) == int(first) + 2  # a flow's menu is not kept
