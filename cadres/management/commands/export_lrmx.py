"""manage.py export_lrmx [PERSON…] [--organization CODE] [--output-dir DIR] [--user USERNAME] [--on DATE]."""

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from cadres.lrmx import schema
from cadres.lrmx.services import lrmx_people, person_export_lrmx
from cadres.models import Person


class Command(BaseCommand):
    help = "导出干部任免审批表（.lrmx）文件：按人员编号或身份证号，或导出一个单位的全部人员。"

    def add_arguments(self, parser):
        parser.add_argument("people", nargs="*", help="人员编号或身份证号")
        parser.add_argument("--organization", help="导出该单位（单位代码）的全部人员")
        parser.add_argument("--output-dir", type=Path, default=Path("."), help="输出目录（默认当前目录）")
        parser.add_argument("--user", help="以该用户身份导出（按其权限范围，记入审计）；省略时为系统")
        parser.add_argument("--on", type=dt.date.fromisoformat, help="计算年龄时间，YYYY-MM-DD（默认今天）")

    def handle(self, *args, people, organization=None, output_dir, user=None, on=None, **options):
        if not people and not organization:
            raise CommandError("请指定人员（编号或身份证号）或 --organization。")
        acting_user = None
        queryset = Person.objects.all()
        if user:
            try:
                acting_user = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"用户 {user} 不存在。") from None
            queryset = lrmx_people(acting_user)
        selected = Q(pk__in=[]) if people else Q()
        for key in people:
            selected |= Q(pk=int(key)) if key.isdigit() and len(key) < 15 else Q(id_number=key.upper())
        if organization:
            selected &= Q(organization__code=organization)
        found = list(queryset.filter(selected).select_related("organization").order_by("organization__code", "pk"))
        if people and len(found) < len(people):
            raise CommandError("部分人员不存在或不在权限范围内。")
        if not found:
            raise CommandError("没有可导出的人员。")
        output_dir = Path(output_dir)
        output_dir.mkdir(parents=True, exist_ok=True)
        for person in found:
            target = output_dir / f"{person.name}-{person.pk}{schema.FILE_SUFFIX}"
            target.write_bytes(person_export_lrmx(person, acting_user=acting_user, on=on))
            self.stdout.write(f"{target}")
