from django.db import migrations


def load(apps, schema_editor):
    from workflows.principal_selection.rules import load_default_selection_rule_set

    load_default_selection_rule_set(apps.get_model("cadres", "RuleSet"), apps.get_model("cadres", "RuleSetItem"))


class Migration(migrations.Migration):
    dependencies = [("principal_selection", "0001_initial"), ("cadres", "0004_default_ethics_rule_set")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
