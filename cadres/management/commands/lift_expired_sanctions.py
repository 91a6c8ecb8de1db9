"""Daily: lift sanctions whose impact period has ended (run from the scheduler, see README)."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from cadres.ethics.services import sanctions_lift_expired


class Command(BaseCommand):
    help = "解除影响期已届满的处分 / lift sanctions whose period has ended"

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, date=None, **options):
        lifted = sanctions_lift_expired(on=date or timezone.localdate())
        for sanction in lifted:
            self.stdout.write(f"已解除：{sanction.person} {sanction}")
        self.stdout.write(self.style.SUCCESS(f"共解除 {len(lifted)} 项处分。"))
