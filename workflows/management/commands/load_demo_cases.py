"""`manage.py load_demo_cases`: cases of every flow waiting at every human step, on the demo district, and
the logins that walk them. Running it again writes nothing and prints the logins again."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cadres.demo.loader import DEMO_PASSWORD
from cadres.management.commands.load_demo_district import format_table
from workflows.demo.loader import LOGIN_DUTIES, DemoCasesError, demo_cases_load


class Command(BaseCommand):
    help = (
        "在示范区数据上加载演示案例：校长选拔、竞聘上岗、能上能下、师德案件，每个办理环节都有待办案例；"
        "已加载时不做改动，只打印账号。"
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            result = demo_cases_load()
        except DemoCasesError as exc:
            raise CommandError(str(exc)) from exc
        if result.created:
            n = result.counts
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "演示案例已加载（用时 %(s).1f 秒）：校长选拔 %(principal_selection)d 件，"
                        "竞聘上岗 %(competition)d 件，能上能下 %(adjustment)d 件，师德案件 %(ethics_case)d 件，"
                        "每件停在不同的待办环节。"
                    )
                    % {"s": time.perf_counter() - started, **n}
                )
            )
        else:
            self.stdout.write(_("演示案例已存在，未做任何改动。"))
        self.stdout.write("")
        self.stdout.write(_("可以办理演示案例的账号（密码均为 %(pw)s）：") % {"pw": DEMO_PASSWORD})
        self.stdout.write(format_table([_("用户名"), _("可以做什么")], [[u, str(d)] for u, d in LOGIN_DUTIES]))
