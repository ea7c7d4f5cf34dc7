"""The first start on a computer with no network: the real program in a network namespace.

``unshare -n`` runs the command with only a loopback interface that is down, so
no name can be looked up and no server reached — as on a train with no signal.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def offline(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``composer ARGS`` with a fresh profile and no network."""
    unshare = shutil.which("unshare")
    probe = subprocess.run(
        [unshare or "unshare", "-n", "true"], capture_output=True, text=True, check=False
    )
    if unshare is None or probe.returncode != 0:
        reason = "this test needs 'unshare -n' (util-linux, run as root) to cut the network"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    env = dict(os.environ)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(tmp_path / "profile" / name.lower())
    return subprocess.run(
        [unshare, "-n", sys.executable, "-m", "composer", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_a_fresh_profile_with_no_network_finds_its_members(tmp_path: Path) -> None:
    found = offline(tmp_path, "directory", "find", "--zip", "98105", "--json")

    assert found.returncode == 0, found.stderr
    document = json.loads(found.stdout)
    assert [entry["id"] for entry in document["recipients"]] == ["C000127", "M001111", "J000298"]
    assert not list((tmp_path / "profile").rglob("directory.sqlite3"))


def test_an_update_with_no_network_says_the_computer_is_offline(tmp_path: Path) -> None:
    update = offline(tmp_path, "directory", "update")

    assert update.returncode == 1
    last = update.stderr.strip().splitlines()[-1]
    assert "This computer seems to be offline" in last
    assert "the data of June 10, 2026 (bundled with the program) stays in use" in last
    assert "Errno" not in update.stderr
    assert "Traceback" not in update.stderr
