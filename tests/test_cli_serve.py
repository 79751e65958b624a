"""``hubgraph serve`` as a newcomer meets it: what it prints, and that what it prints works."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

from hubgraph.testing import ServeProcess

ROOT = Path(__file__).resolve().parents[1]


def _snippet(output: str) -> str:
    after = output.split("Use it with HubSpot's SDK:\n", 1)[1]
    lines = re.match(r"\n*((?: {4}.*\n)+)", after)
    assert lines, output
    return textwrap.dedent(lines[1])


def _readme_snippet() -> str:
    readme = (ROOT / "README.md").read_text()
    return re.findall(r"```python runnable\n(from hubspot import Client\n.*?)```", readme, re.S)[0]


def test_the_first_start_prints_a_snippet_that_runs_as_printed(tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    database_url = f"sqlite:///{tmp_path / 'hubgraph.db'}"
    with log.open("wb") as out, ServeProcess(database_url, output=out):
        snippet = _snippet(log.read_text())
        ran = subprocess.run(
            [sys.executable, "-c", snippet], capture_output=True, text=True, timeout=60
        )
    assert ran.returncode == 0, ran.stderr
    assert "'type_id': 279" in ran.stdout  # contact to company, HubSpot's default type
    token = re.search(r'access_token="([^"]+)"', snippet)
    assert token
    as_in_readme = snippet.replace(f'"{token[1]}"', "TOKEN")
    as_in_readme = re.sub(r"http://127\.0\.0\.1:\d+", "http://127.0.0.1:8080", as_in_readme)
    assert as_in_readme == _readme_snippet()
