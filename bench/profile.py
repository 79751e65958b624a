"""py-spy on the server's workers during the bulk load, and a summary of where time goes."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench.server import Server

PY_SPY = str(Path(sys.executable).parent / "py-spy")


class Profiler:
    def __init__(self, server: Server, out: Path) -> None:
        self.server = server
        self.out = out
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        if not Path(PY_SPY).exists() and not shutil.which("py-spy"):
            raise RuntimeError("py-spy is missing: scripts/install bench")
        assert self.server.process is not None
        self.process = subprocess.Popen(
            [
                PY_SPY,
                "record",
                "--pid",
                str(self.server.process.pid),
                "--subprocesses",
                "--format",
                "raw",
                "--rate",
                "200",
                "--output",
                str(self.out),
                "--nonblocking",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def stop(self) -> dict[str, object]:
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        self.process.wait(30)
        return summarise(self.out)


def summarise(path: Path, top: int = 25) -> dict[str, object]:
    """Share of samples per leaf function (self) and per function anywhere on the stack."""
    own: Counter[str] = Counter()
    anywhere: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = [
            f.split(" (")[0] + " " + f.split(" (")[-1].split(":")[0].rsplit("/", 1)[-1]
            for f in stack.split(";")
        ]
        if frames and frames[0].startswith("process "):
            frames = frames[1:]
        if not frames:
            continue
        # Idle worker threads waiting for work are not time spent serving.
        if any(f.startswith(("_worker ", "wait ", "select ")) for f in frames[-1:]):
            continue
        total += n
        own[frames[-1]] += n
        for f in set(frames):
            anywhere[f] += n

    def share(c: Counter[str]) -> list[tuple[str, float]]:
        return [(name, round(100 * v / total, 1)) for name, v in c.most_common(top)]

    return {"samples": total, "self_percent": share(own), "inclusive_percent": share(anywhere)}
