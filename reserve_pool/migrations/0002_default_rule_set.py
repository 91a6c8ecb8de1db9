from django.db import migrations


def forwards(apps, schema_editor):
    from reserve_pool.rules import load_default_reserve_pool_rule_set

    load_default_reserve_pool_rule_set(apps.get_model("cadres", "RuleSet"), apps.get_model("cadres", "RuleSetItem"))


class Migration(migrations.Migration):
    dependencies = [("reserve_pool", "0001_initial"), ("cadres", "0004_default_ethics_rule_set")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
