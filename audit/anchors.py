"""External anchors: signed checkpoints of the audit chain, kept outside the database.

The hash chain alone proves only that the rows agree with each other. Whoever can write the table past the
triggers (a superuser, the table owner, anyone with the SQLite file) can delete the newest events, or
rewrite an event and recompute every later hash, and the chain still holds. An anchor fixes a point of the
chain where the database cannot reach it: one JSON line per checkpoint,

    {"v": 1, "count": 1234, "head_id": 1234, "head_hash": "…", "at": "2026-12-07T02:00:00+00:00", "sig": "…"}

appended to `AUDIT_ANCHOR_DIR/anchors.jsonl`; `sig` is HMAC-SHA256 over the other fields (canonical JSON)
with `AUDIT_ANCHOR_KEY`. `verify_anchors()` checks that each line's signature holds, that the anchored head
event still exists with the anchored hash, that exactly `count` events lead up to it, and that the table
holds at least as many events as the latest anchor counted. Since every hash covers its predecessor, a
matching head hash vouches for every event up to the head, so this detects deletion or truncation of
anchored events and re-hashing from any anchored event onward.

What anchors cannot see: events appended after the latest anchor may still be deleted or re-hashed
unnoticed, until the next checkpoint would have covered them. Hence write one daily (`manage.py
audit_checkpoint`, or `verify_audit_chain --checkpoint`) and after every committee meeting. A checkpoint is
written only when the chain and every earlier anchor hold, so an anchor never signs a tampered state.

Keep the anchor folder off the database host, on write-once or backed-up storage, and set
`AUDIT_ANCHOR_KEY` (env `CADREFLOW_AUDIT_ANCHOR_KEY`) to a secret of its own in production: the default is
derived from SECRET_KEY (with its own salt) for development and tests only. Whoever holds the key can forge
anchors. After a legal purge (see `audit.db`) the old anchors no longer match: archive the file and write a
new checkpoint.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .models import GENESIS_HASH, AuditEvent
from .services import ChainReport

ANCHOR_FILE = "anchors.jsonl"
FORMAT_VERSION = 1
_KEY_SALT = "cadreflow.audit.anchors.key"


class AnchorError(Exception):
    """A checkpoint was refused: the chain or an earlier anchor does not hold."""


@dataclass(frozen=True)
class Anchor:
    count: int
    head_id: int | None
    head_hash: str
    at: str
    sig: str = ""

    def body(self) -> bytes:
        fields = {
            "v": FORMAT_VERSION,
            "count": self.count,
            "head_id": self.head_id,
            "head_hash": self.head_hash,
            "at": self.at,
        }
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def signed(self) -> Anchor:
        return Anchor(self.count, self.head_id, self.head_hash, self.at, _sign(self.body()))

    def signature_holds(self) -> bool:
        return hmac.compare_digest(self.sig, _sign(self.body()))

    def to_line(self) -> str:
        data = json.loads(self.body())
        data["sig"] = self.sig
        return json.dumps(data, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class AnchorResult:
    line: int
    anchor: Anchor | None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


@dataclass(frozen=True)
class AnchorReport:
    path: Path
    results: list[AnchorResult]
    current_count: int
    problems: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[AnchorResult]:
        return [r for r in self.results if not r.ok]

    @property
    def ok(self) -> bool:
        return not self.failures and not self.problems


def anchor_key() -> bytes:
    """AUDIT_ANCHOR_KEY, or (development and tests) a key derived from SECRET_KEY with its own salt."""
    key = getattr(settings, "AUDIT_ANCHOR_KEY", "")
    if key:
        return key.encode()
    return salted_hmac(_KEY_SALT, "anchor-key", secret=settings.SECRET_KEY, algorithm="sha256").digest()


def _sign(body: bytes) -> str:
    return hmac.new(anchor_key(), body, hashlib.sha256).hexdigest()


def anchor_path() -> Path:
    return Path(settings.AUDIT_ANCHOR_DIR) / ANCHOR_FILE


def _parse(text: str) -> Anchor:
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("v") != FORMAT_VERSION:
        raise ValueError("unknown anchor format")
    count, head_id = data["count"], data["head_id"]
    head_hash, at, sig = data["head_hash"], data["at"], data["sig"]
    if not isinstance(count, int) or count < 0 or not (head_id is None or isinstance(head_id, int)):
        raise ValueError("bad count or head")
    if not all(isinstance(v, str) for v in (head_hash, at, sig)):
        raise ValueError("bad hash, time or signature")
    return Anchor(count, head_id, head_hash, at, sig)


def read_anchors(path: Path | None = None) -> list[AnchorResult]:
    """Every non-empty line of the anchor file, parsed; a line that is unreadable or badly signed fails."""
    path = path or anchor_path()
    if not path.exists():
        return []
    results = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for number, text in enumerate(fh, start=1):
            if not text.strip():
                continue
            try:
                anchor = _parse(text)
            except (ValueError, KeyError, TypeError):
                results.append(AnchorResult(number, None, _("无法读取（格式错误）")))
                continue
            if not anchor.signature_holds():
                results.append(AnchorResult(number, anchor, _("签名无效：此行不是本系统写入的，或被改动过")))
            else:
                results.append(AnchorResult(number, anchor))
    return results


def _positions(head_ids: set[int]) -> tuple[dict[int, tuple[int, str]], int]:
    """One pass over (id, hash) in id order: each anchored head's 1-based position and hash, and the total."""
    found: dict[int, tuple[int, str]] = {}
    position = 0
    for event_id, event_hash in AuditEvent.objects.order_by("id").values_list("id", "hash").iterator(chunk_size=5000):
        position += 1
        if event_id in head_ids:
            found[event_id] = (position, event_hash)
    return found, position


def _check(anchor: Anchor, found: dict[int, tuple[int, str]]) -> str:
    if anchor.head_id is None:
        return "" if anchor.count == 0 and anchor.head_hash == GENESIS_HASH else _("空链锚点的内容不一致")
    if anchor.head_id not in found:
        return _("锚定的末条事件 #%(id)s 已不存在（事件被删除或截断）") % {"id": anchor.head_id}
    position, current_hash = found[anchor.head_id]
    if current_hash != anchor.head_hash:
        return _("事件 #%(id)s 的哈希与锚点不符（此事件或更早的事件被改写并重算了哈希）") % {"id": anchor.head_id}
    if position != anchor.count:
        return _("截至事件 #%(id)s 应有 %(expected)s 条事件，现有 %(found)s 条") % {
            "id": anchor.head_id,
            "expected": anchor.count,
            "found": position,
        }
    return ""


def verify_anchors(path: Path | None = None) -> AnchorReport:
    """Check every anchor against the table; see the module docstring for what each check detects."""
    path = path or anchor_path()
    lines = read_anchors(path)
    head_ids = {r.anchor.head_id for r in lines if r.ok and r.anchor.head_id is not None}
    found, current = _positions(head_ids)
    results = [r if not r.ok else AnchorResult(r.line, r.anchor, _check(r.anchor, found)) for r in lines]
    problems = []
    signed = [r.anchor for r in lines if r.ok]
    if signed and current < signed[-1].count:
        problems.append(
            _("现有 %(current)s 条事件，少于最新锚点记录的 %(count)s 条（事件被删除或截断）")
            % {"current": current, "count": signed[-1].count}
        )
    return AnchorReport(path, results, current, problems)


def write_checkpoint(chain: ChainReport, anchors: AnchorReport) -> Anchor:
    """Append a signed anchor of the verified prefix `chain` describes; refused unless all checks held.

    The file is opened in append mode and synced to disk, so earlier lines are never rewritten.
    """
    if not chain.ok:
        raise AnchorError(_("纪实链在事件 #%(id)s 处断裂，不写锚点。") % {"id": chain.first_broken_id})
    if not anchors.ok:
        raise AnchorError(_("已有锚点与纪实不符，不写锚点；请运行 verify_audit_chain 查明原因。"))
    anchor = Anchor(
        count=chain.checked,
        head_id=chain.head_id,
        head_hash=chain.head_hash,
        at=timezone.now().isoformat(timespec="seconds"),
    ).signed()
    path = anchors.path
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(anchor.to_line() + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return anchor


def checkpoint_message(anchor: Anchor, path: Path) -> str:
    return _("已写入锚点：%(count)s 条事件，末条 #%(id)s，哈希 %(hash)s…，文件 %(path)s") % {
        "count": anchor.count,
        "id": anchor.head_id,
        "hash": anchor.head_hash[:16],
        "path": path,
    }
