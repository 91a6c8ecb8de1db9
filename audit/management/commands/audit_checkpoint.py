"""Write one signed anchor of the audit chain outside the database (run daily and after each committee meeting).

Refused (exit status 1) when the chain or an earlier anchor does not hold: an anchor never signs a
tampered state. See `audit.anchors`.
"""

from django.core.management.base import BaseCommand, CommandError

from audit.anchors import AnchorError, checkpoint_message, verify_anchors, write_checkpoint
from audit.services import verify_chain


class Command(BaseCommand):
    help = "写入全程纪实外部锚点 / write a signed checkpoint of the audit chain outside the database"

    def handle(self, *args, **options):
        chain = verify_chain()
        anchors = verify_anchors()
        try:
            anchor = write_checkpoint(chain, anchors)
        except (AnchorError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(checkpoint_message(anchor, anchors.path)))
