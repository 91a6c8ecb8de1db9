"""`manage.py export_roster [--org CODE] --output file.xlsx`: write a 花名册 that re-imports unchanged."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cadres.models import Organization, Person
from cadres.roster.exporter import export_roster


class Command(BaseCommand):
    help = "Export the people of one unit (or of every unit) as a roster (花名册) workbook."

    def add_arguments(self, parser):
        parser.add_argument("--org", help="单位代码 of the unit to export; every unit when omitted")
        parser.add_argument("--output", type=Path, required=True, help="the .xlsx file to write")

    def handle(self, *args, org: str | None, output: Path, **options):
        people = Person.objects.all()
        if org:
            organization = Organization.objects.filter(code=org).first()
            if organization is None:
                raise CommandError(_("单位代码 %(code)s 不存在。") % {"code": org})
            people = people.filter(organization=organization)
        try:
            output.write_bytes(export_roster(people))
        except OSError as exc:
            raise CommandError(_("无法写入 %(path)s：%(why)s") % {"path": output, "why": exc.strerror}) from None
        self.stdout.write(self.style.SUCCESS(_("已导出 %(n)d 人到 %(path)s。") % {"n": people.count(), "path": output}))
