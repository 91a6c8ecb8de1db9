from django.db import migrations


def forwards(apps, schema_editor):
    from cadres.ethics.rules import DEFAULT_ETHICS_ITEMS, ETHICS_PURPOSE

    RuleSet = apps.get_model("cadres", "RuleSet")
    RuleSetItem = apps.get_model("cadres", "RuleSetItem")
    rule_set, created = RuleSet.objects.get_or_create(
        purpose=ETHICS_PURPOSE,
        effective_from="2018-11-08",
        defaults={
            "name": "师德处理与一票否决（2018处理办法）",
            "basis": "《中小学教师违反职业道德行为处理办法（2018年修订）》；《事业单位工作人员处分规定》（2023）；政务处分法",
        },
    )
    if created:
        for position, (code, params) in enumerate(DEFAULT_ETHICS_ITEMS):
            RuleSetItem.objects.create(rule_set=rule_set, rule_code=code, params=params, position=position)


class Migration(migrations.Migration):
    dependencies = [("cadres", "0003_ethics_records")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
