"""Every fenced block marked ``runnable`` in README.md and docs/*.md runs as written.

The marker is the word after the language: ```` ```sh runnable ```` or ```` ```python runnable ````.
A page's runnable blocks run in order, in one scratch folder that has the clone's ``.venv``
and ``examples/``, against one fresh database and one real ``hubgraph serve`` on a free
port, as a reader who started ``scripts/serve`` would. The only things put in are the
ones a reader has from ``scripts/serve``'s output: its first portal (10000001) and token
(``TOKEN`` in Python, ``$TOKEN`` in a shell), and the address, ``127.0.0.1:8080`` being
rewritten to the test server's. A shell block runs with ``bash -euo pipefail``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from hubgraph.config import Settings
from hubgraph.services.access import portals
from hubgraph.services.context import Services
from hubgraph.testing import ServeProcess

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<code>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
DOCUMENTED_ADDRESS = "127.0.0.1:8080"


@dataclass(frozen=True)
class Block:
    language: str
    code: str
    line: int


def runnable_blocks(text: str) -> list[Block]:
    found = []
    for match in FENCE.finditer(text):
        words = match["info"].split()
        if "runnable" in words[1:]:
            line = text.count("\n", 0, match.start()) + 1
            found.append(Block(words[0], match["code"], line))
    return found


def test_the_marker_is_found_and_unmarked_blocks_are_left_alone() -> None:
    text = (
        "```sh runnable\necho hi\n```\n\n```sh\nscripts/serve\n```\n"
        "```python runnable\nx = 1\n```\n"
    )
    assert runnable_blocks(text) == [Block("sh", "echo hi\n", 1), Block("python", "x = 1\n", 8)]


def test_the_readme_marks_its_commands_runnable() -> None:
    blocks = runnable_blocks((ROOT / "README.md").read_text())
    assert {b.language for b in blocks} == {"sh", "python"}
    assert any("hubgraph seed examples/crm.yaml" in b.code for b in blocks)


def _scratch(tmp_path: Path) -> Path:
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    return tmp_path


def _run(
    block: Block, cwd: Path, env: dict[str, str], address: str
) -> subprocess.CompletedProcess[str]:
    code = block.code.replace(DOCUMENTED_ADDRESS, address)
    if block.language in ("sh", "bash", "shell"):
        command = ["bash", "-euo", "pipefail", "-c", code]
    elif block.language == "python":
        command = [sys.executable, "-c", 'import os\nTOKEN = os.environ["TOKEN"]\n' + code]
    else:
        raise AssertionError(f"line {block.line}: no way to run a {block.language!r} block")
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    "page",
    [p for p in PAGES if runnable_blocks(p.read_text())],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_runnable_blocks_run_as_written(page: Path, tmp_path: Path) -> None:
    cwd = _scratch(tmp_path)
    database_url = f"sqlite:///{tmp_path / 'hubgraph.db'}"
    services = Services.from_settings(Settings(database_url=database_url))
    portals.upgrade_database(services)
    token = portals.create_token(services, portals.create_portal(services))
    services.close()
    with ServeProcess(database_url) as server:
        env = {
            **os.environ,
            "HUBGRAPH_DATABASE_URL": database_url,
            "TOKEN": token,
            "PATH": f"{Path(sys.prefix) / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        env.pop("HUBGRAPH_SPECS_DIR", None)
        address = f"{server.host}:{server.port}"
        for block in runnable_blocks(page.read_text()):
            ran = _run(block, cwd, env, address)
            assert ran.returncode == 0, (
                f"{page.name}:{block.line} exited {ran.returncode}\n{block.code}\n"
                f"--- stdout\n{ran.stdout}\n--- stderr\n{ran.stderr}"
            )
