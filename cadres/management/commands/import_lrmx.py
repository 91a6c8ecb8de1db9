"""manage.py import_lrmx FILE… --organization CODE [--user USERNAME]: import .lrmx files, one transaction each."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from cadres.lrmx.reader import LrmxError
from cadres.lrmx.services import person_import_lrmx
from cadres.models import Organization


class Command(BaseCommand):
    help = "导入干部任免审批表（.lrmx）文件：按身份证号更新已登记人员，否则在指定单位新增。"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help=".lrmx 文件")
        parser.add_argument("--organization", required=True, help="导入到的单位代码")
        parser.add_argument("--user", help="以该用户身份导入（按其权限范围，记入审计）；省略时为系统")

    def handle(self, *args, files, organization, user=None, **options):
        try:
            unit = Organization.objects.get(code=organization)
        except Organization.DoesNotExist:
            raise CommandError(f"单位代码 {organization} 不存在。") from None
        acting_user = None
        if user:
            try:
                acting_user = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"用户 {user} 不存在。") from None
        failed = 0
        for path in files:
            try:
                person = person_import_lrmx(path.read_bytes(), acting_user=acting_user, organization=unit)
            except (OSError, LrmxError, PermissionDenied) as exc:
                failed += 1
                self.stderr.write(f"{path}: 未导入：{exc}")
                continue
            verb = "新增" if person.lrmx_report.created else "更新"
            self.stdout.write(f"{path}: 已{verb} {person.name}（编号 {person.pk}）")
            for warning in person.lrmx_report.warnings:
                self.stdout.write(f"  提示：{warning}")
        if failed:
            raise CommandError(f"{failed} 个文件未导入。")
