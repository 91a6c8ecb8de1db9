from django.db import migrations


def forwards(apps, schema_editor):
    from cadres.rules.defaults import load_default_evaluation_rule_set

    load_default_evaluation_rule_set(apps.get_model("cadres", "RuleSet"), apps.get_model("cadres", "RuleSetItem"))


class Migration(migrations.Migration):
    dependencies = [("cadres", "0007_person_photo_random_name")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
