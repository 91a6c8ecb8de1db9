"""Daily: the principal watch list for the district and the overdue selection tasks (reminders).

Schedule it once a day next to `manage.py workflow_timers` (which fires the probation timers), e.g. cron:
    */15 * * * *  manage.py workflow_timers
    30 7 * * *    manage.py principal_watch
"""

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand
from django.utils import timezone

from audit.services import record_event
from workflows.principal_selection.selectors import overdue_tasks
from workflows.principal_selection.watch import watch_list


class _District(AnonymousUser):
    """The command sees the whole district, as a bureau user does."""

    is_authenticated = True
    is_superuser = True


class Command(BaseCommand):
    help = "校长交流、试用期、年龄、职数预警（每日运行）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD（默认今天）")

    def handle(self, *args, **options):
        import datetime as dt

        on = dt.date.fromisoformat(options["date"]) if options.get("date") else timezone.localdate()
        groups = watch_list(user=_District(), on=on)
        counts = {}
        for group in groups:
            self.stdout.write(f"【{group.label}】{len(group.alerts)}")
            for alert in group.alerts:
                self.stdout.write(f"  {alert.organization} {alert.subject}：{alert.detail}")
            counts[group.kind] = len(group.alerts)
        overdue = overdue_tasks(on=on)
        self.stdout.write(f"【逾期任务】{len(overdue)}")
        for row in overdue:
            self.stdout.write(f"  {row['case']} {row['step']}（{row['owner'] or '未领取'}）应于{row['due']}前完成")
        counts["overdue_tasks"] = len(overdue)
        record_event(
            actor=None,
            action="principal_selection.watch",
            object_type="watch",
            object_id=str(on),
            payload={"on": on, "counts": counts},
        )
        self.stdout.write(f"{sum(counts.values())} alert(s) on {on}")
