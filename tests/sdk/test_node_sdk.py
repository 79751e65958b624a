"""HubSpot's Node SDK (@hubspot/api-client, from npm) against a real server: tests/node/.

The SDK is installed at test time into tests/node/node_modules (git ignores it) from the
committed package-lock.json, then node's own test runner runs the smoke suite. Without
node the test is skipped saying how to get it; under CI=true it fails instead.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from hubgraph.testing import ServerThread
from tests.support.portals import Portal

NODE_DIR = Path(__file__).resolve().parents[1] / "node"
INSTALL = "apt-get install -y nodejs npm (or any node >= 18 with npm on PATH)"


def _require_node() -> tuple[str, str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node and npm:
        return node, npm
    reason = f"node and npm are needed for the Node SDK smoke suite: {INSTALL}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (.ci/run installs them)")
    pytest.skip(reason)


def _install_sdk(npm: str) -> None:
    """``npm ci`` once per package-lock.json, under a lock (xdist workers share the folder)."""
    lock_digest = hashlib.sha256((NODE_DIR / "package-lock.json").read_bytes()).hexdigest()
    stamp = NODE_DIR / "node_modules" / ".hubgraph-installed"
    with (NODE_DIR / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp.is_file() and stamp.read_text() == lock_digest:
            return
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=NODE_DIR,
            check=True,
            timeout=300,
        )
        stamp.write_text(lock_digest)


def test_hubspots_node_sdk_smoke_suite_passes(server: ServerThread, portal: Portal) -> None:
    node, npm = _require_node()
    _install_sdk(npm)
    env = {
        **os.environ,
        "HUBGRAPH_URL": server.base_url,
        "HUBGRAPH_TOKEN": portal.token,
        "HUBGRAPH_PORTAL_ID": str(portal.id),
    }
    run = subprocess.run(
        [node, "--test", "--test-reporter=spec", "smoke.test.mjs"],
        cwd=NODE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "fail 0" in run.stdout, run.stdout
