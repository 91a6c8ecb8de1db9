"""Adds 任现职年限 (1 year) to the default reserve-entry rule set of existing installations.

Fresh installations get it from `cadres.rules.defaults`; a set an administrator already gave the rule keeps
its own numbers. Reversing removes the item again.
"""

from django.db import migrations
from django.db.models import F

SET_NAME = "后备干部入库条件"
CODE = "min_years_in_current_post"


def add_rule(apps, schema_editor):
    RuleSet = apps.get_model("cadres", "RuleSet")
    RuleSetItem = apps.get_model("cadres", "RuleSetItem")
    for rule_set in RuleSet.objects.filter(purpose="reserve_entry", name=SET_NAME):
        items = RuleSetItem.objects.filter(rule_set=rule_set)
        if items.filter(rule_code=CODE).exists():
            continue
        title = items.filter(rule_code="min_title").first()
        position = title.position + 1 if title else items.count()
        items.filter(position__gte=position).update(position=F("position") + 1)
        RuleSetItem.objects.create(rule_set=rule_set, rule_code=CODE, params={"years": 1}, position=position)




def remove_rule(apps, schema_editor):
    RuleSetItem = apps.get_model("cadres", "RuleSetItem")
    RuleSetItem.objects.filter(rule_set__purpose="reserve_entry", rule_set__name=SET_NAME, rule_code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("cadres", "0005_organization_contact")]

    operations = [migrations.RunPython(add_rule, remove_rule)]
