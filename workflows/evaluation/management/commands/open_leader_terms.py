"""`manage.py open_leader_terms --user <username>`: open the running 任期 of every sitting school leader that has
none (as the page action 为现任校级领导建立任期 does, audited as that user). Safe to run again."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from workflows.evaluation import clock, services


class Command(BaseCommand):
    help = "为现任校级领导建立当前任期（已建立的不重复建立）。"

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="以哪位组织人事科干部的名义建立（用户名）")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(_("没有用户名为“%(u)s”的用户。") % {"u": options["user"]})
        try:
            made = services.terms_open_for_current_leaders(acting_user=user, on=clock.today())
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(_("已为%(n)d名现任校级领导建立任期。") % {"n": made})
