"""External anchors: signed checkpoints outside the database catch what the hash chain alone cannot.

Each attack is done as someone with database rights would do it: past the triggers (tests/audit/tampering.py).
"""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.anchors import ANCHOR_FILE, Anchor
from audit.services import verify_chain
from tests.audit.tampering import delete_events, rewrite_and_rehash, truncate_events
from tests.audit.test_audit_chain import make_events

pytestmark = pytest.mark.django_db


def anchor_lines(anchor_dir):
    return [json.loads(line) for line in (anchor_dir / ANCHOR_FILE).read_text(encoding="utf-8").splitlines()]


def verify_fails(capsys):
    """Run the verifier; it must fail. Returns everything it printed."""
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit_chain")
    return capsys.readouterr().out + str(failure.value)


def test_checkpoint_appends_one_signed_line_per_run(anchor_dir, capsys):
    events = make_events(3)
    call_command("audit_checkpoint")
    more = make_events(2)
    call_command("audit_checkpoint")
    out = capsys.readouterr().out
    assert f"已写入锚点：3 条事件，末条 #{events[-1].pk}" in out
    assert f"已写入锚点：5 条事件，末条 #{more[-1].pk}" in out
    first, second = anchor_lines(anchor_dir)
    assert (first["count"], first["head_id"], first["head_hash"]) == (3, events[-1].pk, events[-1].hash)
    assert (second["count"], second["head_id"], second["head_hash"]) == (5, more[-1].pk, more[-1].hash)
    assert len(first["sig"]) == 64 and first["sig"] != second["sig"]


def test_verify_prints_each_anchor_and_a_summary(capsys):
    events = make_events(2)
    call_command("audit_checkpoint")
    make_events(1)
    call_command("verify_audit_chain", "--checkpoint")
    call_command("verify_audit_chain")
    out = capsys.readouterr().out
    assert "纪实链完好：共 3 条事件" in out
    assert "锚点第 1 行（" in out and f"2 条，末条 #{events[-1].pk}）：相符" in out
    assert "锚点第 2 行" in out
    assert "锚点核对：共 2 个，相符 2 个，不符 0 个。" in out


def test_without_anchors_verify_warns_but_passes(capsys):
    make_events(1)
    call_command("verify_audit_chain")
    assert "尚无外部锚点" in capsys.readouterr().out


def test_deleting_the_newest_event_is_caught_once_anchored(capsys):
    events = make_events(3)
    call_command("audit_checkpoint")
    delete_events(events[-1].pk)
    # The chain alone still holds: removing its end leaves every remaining link intact.
    assert verify_chain().ok
    out = verify_fails(capsys)
    assert f"锚定的末条事件 #{events[-1].pk} 已不存在" in out
    assert "现有 2 条事件，少于最新锚点记录的 3 条" in out
    assert "锚点核对：共 1 个，相符 0 个，不符 1 个。" in out


def test_rehashing_from_an_early_event_onward_is_caught(capsys):
    events = make_events(5)
    call_command("audit_checkpoint")
    make_events(1)
    rewrite_and_rehash(events[1], payload={"i": 99}, reason="改写")
    # Consistently re-hashed: the chain itself cannot tell.
    assert verify_chain().ok
    out = verify_fails(capsys)
    assert f"事件 #{events[-1].pk} 的哈希与锚点不符" in out


def test_rehashing_is_caught_by_an_earlier_anchor_too(capsys):
    events = make_events(2)
    call_command("audit_checkpoint")
    later = make_events(2)
    call_command("audit_checkpoint")
    rewrite_and_rehash(events[0], reason="改写")
    out = verify_fails(capsys)
    assert f"事件 #{events[-1].pk} 的哈希与锚点不符" in out
    assert f"事件 #{later[-1].pk} 的哈希与锚点不符" in out
    assert "不符 2 个" in out


def test_a_truncated_table_is_reported(capsys):
    make_events(3)
    call_command("audit_checkpoint")
    truncate_events()
    out = verify_fails(capsys)
    assert "纪实链完好：共 0 条事件" in out
    assert "现有 0 条事件，少于最新锚点记录的 3 条" in out


def test_a_forged_anchor_line_is_reported(anchor_dir, capsys, settings):
    events = make_events(2)
    call_command("audit_checkpoint")
    # A line claiming fewer events, signed with some other key, and a line that is not an anchor at all.
    settings.AUDIT_ANCHOR_KEY = "not-the-real-key"
    forged = Anchor(count=1, head_id=events[0].pk, head_hash=events[0].hash, at="2026-01-01T00:00:00+00:00").signed()
    settings.AUDIT_ANCHOR_KEY = ""
    with open(anchor_dir / ANCHOR_FILE, "a", encoding="utf-8") as fh:
        fh.write(forged.to_line() + "\n")
        fh.write("{not json\n")
    out = verify_fails(capsys)
    assert "锚点第 1 行（" in out and "：相符" in out
    assert "锚点第 2 行（" in out and "签名无效" in out
    assert "锚点第 3 行：无法读取（格式错误）" in out
    assert "锚点核对：共 3 个，相符 1 个，不符 2 个。" in out


def test_an_edited_anchor_line_fails_its_signature(anchor_dir, capsys):
    make_events(3)
    call_command("audit_checkpoint")
    path = anchor_dir / ANCHOR_FILE
    line = json.loads(path.read_text(encoding="utf-8"))
    line["count"] = 2
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert "签名无效" in verify_fails(capsys)


def test_the_anchor_key_comes_from_settings(capsys, settings):
    make_events(1)
    settings.AUDIT_ANCHOR_KEY = "key-one"
    call_command("audit_checkpoint")
    call_command("verify_audit_chain")
    settings.AUDIT_ANCHOR_KEY = "key-two"
    assert "签名无效" in verify_fails(capsys)


def test_no_checkpoint_over_a_tampered_chain_or_failed_anchor(anchor_dir, capsys):
    events = make_events(3)
    call_command("audit_checkpoint")
    delete_events(events[-1].pk)
    with pytest.raises(CommandError, match="已有锚点与纪实不符"):
        call_command("audit_checkpoint")
    with pytest.raises(CommandError):
        call_command("verify_audit_chain", "--checkpoint")
    assert len(anchor_lines(anchor_dir)) == 1


def test_no_checkpoint_over_a_broken_chain(anchor_dir):
    events = make_events(3)
    delete_events(events[1].pk)
    with pytest.raises(CommandError, match=f"#{events[2].pk}"):
        call_command("audit_checkpoint")
    assert not (anchor_dir / ANCHOR_FILE).exists()


def test_an_empty_chain_can_be_anchored(anchor_dir, capsys):
    call_command("audit_checkpoint")
    make_events(1)
    call_command("verify_audit_chain")
    assert anchor_lines(anchor_dir)[0]["count"] == 0
    assert "相符 1 个" in capsys.readouterr().out
