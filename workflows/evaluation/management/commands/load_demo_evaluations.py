"""`manage.py load_demo_evaluations`: last year's 年度考核 for every demo school and the running 任期 of every
sitting school leader (run after load_demo_district). Running it again when evaluations exist writes nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from workflows.evaluation.demo import demo_evaluations_load


class Command(BaseCommand):
    help = "在示范区演示数据上生成上一年度干部年度考核和现任校级领导的任期；已有年度考核时不做改动。"

    def handle(self, *args, **options):
        result = demo_evaluations_load()
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    _("年度考核演示数据已生成：%(y)d个单位（已办结%(f)d个），任期%(t)d个（%(e)d个即将届满）。")
                    % {"y": result.years, "f": result.final, "t": result.terms, "e": result.terms_ending}
                )
            )
        else:
            self.stdout.write(
                _("已有年度考核或没有演示账号，未做改动：%(y)d个单位，任期%(t)d个。")
                % {"y": result.years, "t": result.terms}
            )
