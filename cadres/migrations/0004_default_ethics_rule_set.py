from django.db import migrations


def forwards(apps, schema_editor):
    from cadres.ethics.rules import load_default_ethics_rule_set

    load_default_ethics_rule_set(apps.get_model("cadres", "RuleSet"), apps.get_model("cadres", "RuleSetItem"))


class Migration(migrations.Migration):
    dependencies = [("cadres", "0003_ethics_records")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
