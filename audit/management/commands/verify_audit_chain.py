"""Verify the audit chain and its external anchors; exit status 1 when either does not hold.

Prints the chain's result, one line per anchor and a summary. `--checkpoint` then writes a new anchor
(only when everything held), so one daily run both checks and extends the anchors.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.anchors import AnchorError, checkpoint_message, verify_anchors, write_checkpoint
from audit.services import verify_chain


class Command(BaseCommand):
    help = "校验全程纪实哈希链及外部锚点 / verify the audit trail's hash chain and its external anchors"

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint", action="store_true", help="全部相符时再写一个锚点 / then write an anchor if all holds"
        )

    def handle(self, *args, **options):
        chain = verify_chain()
        failures = []
        if chain.ok:
            self.stdout.write(self.style.SUCCESS(_("纪实链完好：共 %(count)s 条事件。") % {"count": chain.checked}))
        else:
            message = _("纪实链在事件 #%(id)s 处断裂（%(problem)s）；此前 %(count)s 条完好。") % {
                "id": chain.first_broken_id,
                "problem": chain.problem,
                "count": chain.checked,
            }
            self.stdout.write(self.style.ERROR(message))
            failures.append(message)

        try:
            anchors = verify_anchors()
        except OSError as exc:
            raise CommandError(" ".join([*failures, _("无法读取锚点文件：%(error)s") % {"error": exc}])) from exc
        if not anchors.results:
            self.stdout.write(
                self.style.WARNING(
                    _("尚无外部锚点（%(path)s）：末尾事件被删除或整链重算哈希将无从发现；请每日运行 audit_checkpoint。")
                    % {"path": anchors.path}
                )
            )
        for result in anchors.results:
            where = _("锚点第 %(line)s 行") % {"line": result.line}
            if result.anchor is not None:
                where += _("（%(at)s，%(count)s 条，末条 #%(id)s）") % {
                    "at": result.anchor.at,
                    "count": result.anchor.count,
                    "id": result.anchor.head_id,
                }
            if result.ok:
                self.stdout.write(self.style.SUCCESS(_("%(where)s：相符") % {"where": where}))
            else:
                self.stdout.write(
                    self.style.ERROR(_("%(where)s：%(problem)s") % {"where": where, "problem": result.problem})
                )
        for problem in anchors.problems:
            self.stdout.write(self.style.ERROR(problem))
        if anchors.results:
            summary = _("锚点核对：共 %(total)s 个，相符 %(good)s 个，不符 %(bad)s 个。") % {
                "total": len(anchors.results),
                "good": len(anchors.results) - len(anchors.failures),
                "bad": len(anchors.failures),
            }
            self.stdout.write((self.style.SUCCESS if anchors.ok else self.style.ERROR)(summary))
        if not anchors.ok:
            failures.append(_("外部锚点不符：%(bad)s 个锚点未通过核对。") % {"bad": len(anchors.failures)})
            failures.extend(anchors.problems)

        if failures:
            raise CommandError(" ".join(failures))
        if options["checkpoint"]:
            try:
                anchor = write_checkpoint(chain, anchors)
            except (AnchorError, OSError) as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(self.style.SUCCESS(checkpoint_message(anchor, anchors.path)))
