"""``hubgraph serve`` as a subprocess on a free loopback port: start, watch, stop."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from hubgraph.testing import ServeProcess
from hubgraph.testing.server import free_port


class Server:
    """The server under test, its output kept in ``log``."""

    def __init__(self, url: str, workers: int, log: Path) -> None:
        self.log = log.open("ab")
        # Measured without the access log, as the baselines log nothing either.
        self.serve = ServeProcess(url, workers, output=self.log, extra_args=("--no-access-log",))
        self.port = self.serve.port

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        return self.serve.process

    def start(self) -> float:
        """Start and wait until ``/_hubgraph/health`` answers 200; the seconds it took."""
        return self.serve.start().seconds_to_healthy

    def worker_pids(self) -> list[int]:
        return self.serve.worker_pids()

    def stop(self) -> None:
        self.serve.stop()
        self.log.close()


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (robust to other load on the machine)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class RssSampler:
    """The largest RSS each worker reached while the sampler ran, and the CPU they used;
    ``pause`` and ``resume`` leave out a stretch (another workload's turn)."""

    def __init__(self, server: Server, interval: float = 0.25) -> None:
        self.server = server
        self.interval = interval
        self.peak: dict[int, float] = {}
        self.cpu: dict[int, float] = {}
        self._since: dict[int, float] | None = None  # each worker's CPU when last resumed
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-rss", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            if self._since is None:
                continue
            for pid in self.server.worker_pids():
                self.peak[pid] = max(self.peak.get(pid, 0.0), rss_mb(pid))

    def resume(self) -> None:
        self._since = {pid: cpu_seconds(pid) for pid in self.server.worker_pids()}

    def pause(self) -> None:
        since, self._since = self._since, None
        for pid, began in (since or {}).items():
            self.cpu[pid] = self.cpu.get(pid, 0.0) + cpu_seconds(pid) - began

    def __enter__(self) -> RssSampler:
        self.resume()
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.pause()
        self._stop.set()
        self._thread.join()


class FloorServer:
    """``bench/floor.py`` on a free loopback port, on the same database as hubgraph."""

    def __init__(self, url: str, portal_id: int, log: Path) -> None:
        self.log = log.open("ab")
        self.port = free_port()
        self.command = [sys.executable, "-m", "bench.floor", "--url", url]
        self.command += ["--portal", str(portal_id), "--port", str(self.port)]
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> None:
        self.process = subprocess.Popen(
            self.command,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            cwd=Path(__file__).parent.parent,
        )
        began = time.perf_counter()
        while time.perf_counter() - began < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"the floor app exited with {self.process.returncode}")
            if _answers(self.port, "/health"):
                return
            time.sleep(0.02)
        self.stop()
        raise RuntimeError("the floor app did not start")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log.close()


def _answers(port: int, path: str) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        try:
            conn.request("GET", path)
            return conn.getresponse().status == 200
        finally:
            conn.close()
    except OSError:
        return False
