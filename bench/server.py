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

from hubgraph.testing import free_port

HUBGRAPH = str(Path(sys.executable).parent / "hubgraph")


class Server:
    def __init__(self, url: str, workers: int, log: Path) -> None:
        self.url = url
        self.workers = workers
        self.port = free_port()
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.start_seconds = 0.0

    def start(self, timeout: float = 30.0) -> float:
        """Start and wait until ``/_hubgraph/health`` answers 200; the seconds it took."""
        command = [HUBGRAPH, "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        command += ["--workers", str(self.workers), "--database", self.url]
        began = time.perf_counter()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = began + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"hubgraph serve exited; see {self.log}")
            if healthy(self.port):
                self.start_seconds = time.perf_counter() - began
                return self.start_seconds
            time.sleep(0.01)
        self.stop()
        raise RuntimeError(f"hubgraph serve was not healthy within {timeout}s")

    def worker_pids(self) -> list[int]:
        """The processes that serve requests (uvicorn's own, or its spawned workers)."""
        if self.process is None:
            return []
        children = _children(self.process.pid)
        workers = [p for p in children if b"spawn_main" in _cmdline(p)]
        return workers or [self.process.pid]

    def stop(self, timeout: float = 15.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)


def healthy(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        conn.request("GET", "/_hubgraph/health")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


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
    """The largest RSS each worker reached while the sampler ran, and the CPU they used."""

    def __init__(self, server: Server, interval: float = 0.25) -> None:
        self.server = server
        self.interval = interval
        self.peak: dict[int, float] = {}
        self.cpu_start = {pid: cpu_seconds(pid) for pid in server.worker_pids()}
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-rss", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            for pid in self.server.worker_pids():
                self.peak[pid] = max(self.peak.get(pid, 0.0), rss_mb(pid))
                self.cpu[pid] = cpu_seconds(pid) - self.cpu_start.get(pid, 0.0)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
