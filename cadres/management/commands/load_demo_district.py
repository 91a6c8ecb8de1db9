"""`manage.py load_demo_district`: the demo district and its logins, for a local demonstration.

Running it again when the demo is loaded writes nothing and prints the logins again.
"""

from __future__ import annotations

import time
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cadres.demo.generator import DEFAULT_PEOPLE, DEFAULT_SCHOOLS, DEFAULT_SEED, DemoSizeError
from cadres.demo.loader import DEMO_URL, DemoLoadError, demo_district_load, demo_logins


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(header: list[str], rows: list[list[str]]) -> str:
    """Columns aligned for a terminal, counting CJK characters as two cells."""
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = "加载示范区演示数据（教育局、学校、职位、人员及其档案、演示账号）；已加载时不做改动，只打印账号。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子（同一种子生成相同数据）")
        parser.add_argument("--schools", type=int, default=DEFAULT_SCHOOLS, help="学校数")
        parser.add_argument("--people", type=int, default=DEFAULT_PEOPLE, help="教职工总数（含教育局）")
        parser.add_argument("--force", action="store_true", help="数据库已有其他学校或人员时仍然加载（与现有数据并存）")
        parser.add_argument("--address", default="", help="服务器地址（如 127.0.0.1:8010），用于打印访问地址")

    def handle(self, *args, seed, schools, people, force, address="", **options):
        started = time.perf_counter()
        try:
            result = demo_district_load(seed=seed, schools=schools, people=people, force=force)
        except (DemoLoadError, DemoSizeError) as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started

        if result.created:
            n = result.counts
            self.stdout.write(
                self.style.SUCCESS(
                    _("示范区数据已加载（种子 %(seed)d，用时 %(s).1f 秒）：") % {"seed": seed, "s": elapsed}
                )
            )
            self.stdout.write(
                _(
                    "  学校 %(schools)d 所，职位 %(posts)d 个，人员 %(people)d 人，任职记录 %(tenures)d 条，"
                    "简历 %(resume_entries)d 条，家庭成员 %(family_members)d 条（在册亲属关联 %(kin_links)d 条），"
                    "演示账号 %(accounts)d 个。"
                )
                % n
            )
            if result.skipped_users:
                self.stdout.write(
                    self.style.WARNING(
                        _("以下同名账号已存在，未作修改，密码以原设置为准：%(u)s")
                        % {"u": "、".join(result.skipped_users)}
                    )
                )
        else:
            self.stdout.write(_("示范区数据已存在，未做任何改动。"))

        rows = [[r.username, r.role, r.unit, r.person, r.password] for r in demo_logins()]
        self.stdout.write("")
        self.stdout.write(format_table([_("用户名"), _("角色"), _("单位"), _("对应人员"), _("密码")], rows))
        self.stdout.write("")
        self.stdout.write(_("访问地址：%(url)s") % {"url": f"http://{address}/" if address else DEMO_URL})
        self.stdout.write(
            self.style.WARNING(_("注意：以上账号共用一个公开的密码，仅供在本机演示使用，切勿在联网或生产环境中使用。"))
        )
