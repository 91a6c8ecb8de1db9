"""`manage.py retry_dossiers`: render again every failed or stuck version that has attempts left.

Run it on a schedule (cron, systemd timer) next to the worker; without a broker it is the retry path.
"""

from django.core.management.base import BaseCommand, CommandError

from dossiers.models import DossierDocument
from dossiers.services import MAX_ATTEMPTS, retry_failed


class Command(BaseCommand):
    help = "Render failed or pending dossier versions again and report each result."

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-attempts",
            type=int,
            default=MAX_ATTEMPTS,
            help=f"skip versions already tried this many times (default {MAX_ATTEMPTS})",
        )

    def handle(self, *args, max_attempts, **options):
        docs = retry_failed(max_attempts=max_attempts)
        if not docs:
            self.stdout.write("no failed or pending dossier versions to retry")
            return
        rendered = 0
        for doc in docs:
            label = f"#{doc.pk} {doc.title} v{doc.version} [{doc.verification_code}]"
            if doc.status == DossierDocument.Status.RENDERED:
                rendered += 1
                self.stdout.write(self.style.SUCCESS(f"rendered {label}: {doc.page_count} pages, sha256 {doc.sha256}"))
            else:
                self.stdout.write(self.style.ERROR(f"failed {label} (attempt {doc.attempts}): {doc.last_error}"))
        failed = len(docs) - rendered
        self.stdout.write(f"{len(docs)} retried: {rendered} rendered, {failed} still failing")
        if failed:  # a non-zero exit lets the scheduler alert on renders that keep failing
            raise CommandError(f"{failed} dossier version(s) still failing")
