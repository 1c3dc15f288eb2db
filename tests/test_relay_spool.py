"""The spool is the relay's own (issue 20, Deliver 4; finding 9): it never follows a
symlink inside it, never deletes what it did not create, and a spool that is the working
directory or holds foreign files is refused at start (exit 2, at `spool.directory`)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from oncall.core.errors import InputError
from oncall.relay.spool import Spool
from tests.helpers.daily import make_rotation
from tests.helpers.relay import RELAY_SOURCE, TOKEN, chat_server, relay, write_config

ENV = {"APP_CHAT_URL": "http://127.0.0.1:9/hooks/SECRET", "RELAY_TOKEN": TOKEN}


def _start(root: Path, config: str = "relay.yaml",
           cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`oncall relay` as a process, bounded: the code before the fix started and served
    (emptying the folder first) instead of refusing."""
    env = {**os.environ, **ENV}
    if RELAY_SOURCE is not None:
        env["PYTHONPATH"] = RELAY_SOURCE
    return subprocess.run(
        [sys.executable, "-m", "oncall", "relay", "--config", config, "--listen",
         "127.0.0.1:0", "--token-env", "RELAY_TOKEN"],
        cwd=cwd or root, env=env, capture_output=True, text=True, timeout=60,
    )


def _spool_at(root: Path, directory: str) -> None:
    config = root / "relay.yaml"
    config.write_text(config.read_text().replace("  directory: spool\n",
                                                 f"  directory: {directory}\n"))


def test_finding_9_spool_directory_dot_is_refused_and_the_checkout_tmp_kept(
    tmp_path: Path,
) -> None:
    make_rotation(tmp_path)
    write_config(tmp_path)
    _spool_at(tmp_path, ".")
    (tmp_path / "tmp").mkdir()
    (tmp_path / "tmp" / "draft.txt").write_text("mine", encoding="utf-8")
    ran = _start(tmp_path)
    assert ran.returncode == 2, ran.stderr
    assert ran.stderr.startswith("oncall: relay.yaml:6:14: spool.directory: found "), ran.stderr
    assert "which is the working directory" in ran.stderr
    assert (tmp_path / "tmp" / "draft.txt").read_text() == "mine"
    assert not (tmp_path / "pending").exists()


def test_a_spool_holding_foreign_files_is_refused(tmp_path: Path) -> None:
    make_rotation(tmp_path)
    write_config(tmp_path)
    _spool_at(tmp_path, "rotations")  # someone's files, not the working directory
    ran = _start(tmp_path)
    assert ran.returncode == 2, ran.stderr
    assert "relay.yaml:6:14: spool.directory: " in ran.stderr
    assert "holding app.schedule.yaml, app.yaml, which the relay did not create" in ran.stderr
    assert sorted(p.name for p in (tmp_path / "rotations").iterdir()) == [
        "app.schedule.yaml", "app.yaml"]


def test_the_working_directory_is_refused_even_empty(tmp_path: Path) -> None:
    make_rotation(tmp_path)
    write_config(tmp_path)
    _spool_at(tmp_path, "run")
    (tmp_path / "run").mkdir()
    ran = _start(tmp_path, config="../relay.yaml", cwd=tmp_path / "run")
    assert ran.returncode == 2, ran.stderr
    assert "which is the working directory" in ran.stderr
    assert list((tmp_path / "run").iterdir()) == []


def test_finding_9_the_start_never_empties_a_folder_through_a_symlink(tmp_path: Path) -> None:
    make_rotation(tmp_path)
    write_config(tmp_path)
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work", encoding="utf-8")
    (tmp_path / "spool").mkdir()
    (tmp_path / "spool" / "tmp").symlink_to(precious)
    ran = _start(tmp_path)
    assert ran.returncode == 2, ran.stderr
    assert "which is a symlink" in ran.stderr
    assert (precious / "thesis.tex").read_text() == "years of work"


def test_the_start_deletes_only_its_own_temporary_files(tmp_path: Path) -> None:
    make_rotation(tmp_path)
    write_config(tmp_path)
    tmp = tmp_path / "spool" / "tmp"
    tmp.mkdir(parents=True)
    stale = tmp / f"{uuid.uuid4().hex}.{uuid.uuid4().hex}.json"
    stale.write_text("{half", encoding="utf-8")
    (tmp / "notes.txt").write_text("someone's", encoding="utf-8")
    outside = tmp_path / "outside.json"
    outside.write_text("keep", encoding="utf-8")
    link = tmp / f"{uuid.uuid4().hex}.{uuid.uuid4().hex}.json"
    link.symlink_to(outside)
    with chat_server() as chat, relay(tmp_path, chat.url) as service:
        assert service.terminate() == 0
    assert sorted(p.name for p in tmp.iterdir()) == sorted(["notes.txt", link.name])
    assert outside.read_text() == "keep"


def test_pruning_sent_deletes_only_records_the_relay_wrote(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool", 100, keep_sent=60)
    sent = tmp_path / "spool" / "sent"
    ours = sent / f"{uuid.uuid4().hex}.json"
    ours.write_text("{}", encoding="utf-8")
    foreign = sent / "README.txt"
    foreign.write_text("mine", encoding="utf-8")
    target = tmp_path / "elsewhere.json"
    target.write_text("keep", encoding="utf-8")
    link = sent / f"{uuid.uuid4().hex}.json"
    link.symlink_to(target)
    old = time.time() - 3600
    for path in (ours, foreign, target):
        os.utime(path, (old, old))
    os.utime(link, (old, old), follow_symlinks=False)
    assert spool.prune() == 1
    assert sorted(p.name for p in sent.iterdir()) == sorted([foreign.name, link.name])
    assert target.read_text() == "keep"


def test_a_spool_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "spool").mkdir()
    (tmp_path / "spool" / "pending").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="which is not a directory"):
        Spool(tmp_path / "spool", 100, 60)


def test_a_spool_on_its_own_disk_may_hold_lost_and_found(tmp_path: Path) -> None:
    (tmp_path / "spool" / "lost+found").mkdir(parents=True)
    Spool(tmp_path / "spool", 100, 60)
    assert sorted(p.name for p in (tmp_path / "spool").iterdir()) == [
        "failed", "lost+found", "pending", "sent", "timers", "tmp"]
