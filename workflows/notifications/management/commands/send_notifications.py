"""`manage.py send_notifications`: create today's due-soon and overdue notifications, then send the outbox.

Run it from cron every few minutes (without Celery beat); safe to run twice or on two machines.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from workflows.notifications import services
from workflows.notifications.models import Kind


class Command(BaseCommand):
    help = "Create due-soon and overdue notifications and send pending notification e-mails."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (tests)")

    def handle(self, *args, **options):
        scanned, sent = services.run(options["today"])
        self.stdout.write(
            _("即将到期通知 %(soon)d 条，逾期通知 %(overdue)d 条；邮件发送成功 %(sent)d 封，失败 %(failed)d 封。")
            % {
                "soon": scanned.created.get(Kind.DUE_SOON, 0),
                "overdue": scanned.created.get(Kind.OVERDUE, 0),
                "sent": sent.sent,
                "failed": sent.failed,
            }
        )
