from django.db import migrations


def load(apps, schema_editor):
    from workflows.exchange.rules import load_default_exchange_rule_set

    load_default_exchange_rule_set(apps.get_model("cadres", "RuleSet"), apps.get_model("cadres", "RuleSetItem"))


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
