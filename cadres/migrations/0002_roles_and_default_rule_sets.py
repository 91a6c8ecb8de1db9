from django.db import migrations

ROLE_CODES = [
    "personnel_officer",
    "inspection_team",
    "discipline_inspector",
    "committee_member",
    "committee_secretary",
    "school_secretary",
    "teacher",
    "judge",
]


def forwards(apps, schema_editor):
    from cadres.rules.defaults import load_default_rule_sets

    Group = apps.get_model("auth", "Group")
    for code in ROLE_CODES:
        Group.objects.get_or_create(name=code)
    load_default_rule_sets(apps.get_model("cadres", "RuleSet"), apps.get_model("cadres", "RuleSetItem"))


class Migration(migrations.Migration):
    dependencies = [
        ("cadres", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
