"""Verify the audit chain; exit status 1 and the first broken event when it does not hold."""

from django.core.management.base import BaseCommand, CommandError

from audit.services import verify_chain


class Command(BaseCommand):
    help = "校验全程纪实哈希链 / verify the audit trail's hash chain"

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"纪实链在事件 #{report.first_broken_id} 处断裂（{report.problem}）；此前 {report.checked} 条完好。"
            )
        self.stdout.write(self.style.SUCCESS(f"纪实链完好：共 {report.checked} 条事件。"))
