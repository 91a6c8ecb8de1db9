"""Build the demo district's draft exchange plan (three due people rotated among three schools); safe to rerun."""

from django.core.management.base import BaseCommand

from workflows.exchange.demo import load_demo_exchange_plan


class Command(BaseCommand):
    help = "创建示范区的交流轮岗方案草稿（三名到期应交流人员轮换）；已存在时不重复创建。"

    def handle(self, *args, **options):
        _plan, message = load_demo_exchange_plan()
        self.stdout.write(message)
