"""Daily dynamic management of the reserve pool (DOMAIN §4).

Removes entries whose person is vetoed for reserve entry (an ethics sanction or a 不合格 师德考核 in force),
whose latest annual appraisal is below the rule set's threshold, who passed the age limit or left
employment; expires admissions past their validity and nominations never admitted; opens the yearly
reviews that fell due. Each change is recorded with its reason and an audit event; running it again on the
same day changes nothing.

Schedule it once a day after midnight, after `lift_expired_sanctions` (so a sanction lifted today no longer
counts), e.g. in the crontab of the user running CadreFlow:

    30 1 * * *  cd /srv/cadreflow && .venv/bin/python manage.py reserve_pool_daily >> log/reserve_pool_daily.log 2>&1

`--date YYYY-MM-DD` replays a missed day (run the missed days in order).
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reserve_pool.exceptions import ReserveError
from reserve_pool.services import reserve_pool_run_daily


class Command(BaseCommand):
    help = "后备干部库每日动态管理：自动撤销资格、到期、生成年度复核待办 / reserve pool daily run"

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, date=None, **options):
        try:
            report = reserve_pool_run_daily(on=date or timezone.localdate())
        except ReserveError as exc:  # no rule set in force: an administrator must add one
            raise CommandError(exc.message) from exc
        for entry, hits in report.removed:
            self.stdout.write(f"撤销资格：{entry.person.name}（{'；'.join(hit.reason for hit in hits)}）")
        for entry, hit in report.expired:
            self.stdout.write(f"到期：{entry.person.name}（{hit.reason}）")
        for review in report.reviews_opened:
            self.stdout.write(f"年度复核待办：{review.entry.person.name}（{review.year}年度，应于{review.due_on}复核）")
        for entry, message in report.skipped:
            self.stdout.write(self.style.WARNING(f"跳过：{entry.person.name}（{message}）"))
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.on}：撤销资格 {len(report.removed)} 人，到期 {len(report.expired)} 人，"
                f"新增年度复核 {len(report.reviews_opened)} 项。"
            )
        )
