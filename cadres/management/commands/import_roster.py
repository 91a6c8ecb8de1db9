"""`manage.py import_roster path.xlsx --user USERNAME`: import a 花名册 as that user, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cadres.roster.importer import errors_workbook, import_roster, roster_scope


class Command(BaseCommand):
    help = "Import a roster (花名册) workbook as the given user; prints the counts, or every error and exits 1."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help=".xlsx file in the template's layout")
        parser.add_argument("--user", required=True, help="username whose scope and audit trail apply")
        parser.add_argument("--errors-xlsx", type=Path, help="on errors, also write the error report here")

    def handle(self, *args, path: Path, user: str, errors_xlsx: Path | None, **options):
        acting_user = get_user_model().objects.filter(username=user).first()
        if acting_user is None:
            raise CommandError(_("用户 %(user)s 不存在。") % {"user": user})
        if roster_scope(acting_user) is None:
            raise CommandError(_("用户 %(user)s 无权导入花名册。") % {"user": user})
        try:
            with path.open("rb") as file_obj:
                result = import_roster(file_obj, acting_user=acting_user)
        except OSError as exc:
            raise CommandError(_("无法打开文件 %(path)s：%(why)s") % {"path": path, "why": exc.strerror}) from None
        if not result.ok:
            self.stdout.write("\t".join([_("行号"), _("列"), _("原因")]))
            for error in result.errors:
                row = str(error.row) if error.row is not None else "—"
                self.stdout.write(f"{row}\t{error.column or '—'}\t{error.message}")
            if errors_xlsx:
                errors_xlsx.write_bytes(errors_workbook(result))
                self.stdout.write(_("错误清单已写入 %(path)s") % {"path": errors_xlsx})
            raise CommandError(
                _("%(name)s：共 %(n)d 处错误，未导入任何数据。") % {"name": path.name, "n": len(result.errors)}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("%(name)s：共 %(rows)d 行，新增 %(created)d 人，更新 %(updated)d 人，%(unchanged)d 人无变化。")
                % {
                    "name": path.name,
                    "rows": result.rows,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                }
            )
        )
