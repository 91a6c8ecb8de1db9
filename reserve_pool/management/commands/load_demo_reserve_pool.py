"""`manage.py load_demo_reserve_pool`: a demo reserve pool on the demo district (run after load_demo_district).

Running it again when the pool has entries writes nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from reserve_pool.demo import demo_pool_load


class Command(BaseCommand):
    help = "在示范区演示数据上生成后备干部库演示数据；已有后备干部记录时不做改动。"

    def handle(self, *args, **options):
        result = demo_pool_load()
        counts = "，".join(f"{label}{n}人" for label, n in result.counts.items()) or _("无")
        if result.created:
            self.stdout.write(self.style.SUCCESS(_("后备干部库演示数据已生成：%(c)s") % {"c": counts}))
        else:
            self.stdout.write(_("后备干部库已有数据或没有演示账号，未做改动：%(c)s") % {"c": counts})
