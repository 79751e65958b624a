"""``hubgraph serve`` as a real subprocess on a free loopback port: start, wait, stop."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import IO

from hubgraph.testing.server import free_port


def healthy(port: int, host: str = "127.0.0.1") -> bool:
    """Whether ``/_hubgraph/health`` answers 200 (the database is reachable)."""
    try:
        conn = http.client.HTTPConnection(host, port, timeout=1)
        try:
            conn.request("GET", "/_hubgraph/health")
            return conn.getresponse().status == 200
        finally:
            conn.close()
    except OSError:
        return False


class ServeProcess:
    """``hubgraph serve --workers N`` against ``database_url``, until ``stop()``."""

    def __init__(
        self,
        database_url: str,
        workers: int = 1,
        host: str = "127.0.0.1",
        output: IO[bytes] | None = None,
        extra_args: tuple[str, ...] = (),
        env: Mapping[str, str] | None = None,
    ) -> None:
        """``env`` adds to the environment the server starts with (``HUBGRAPH_*`` settings)."""
        self.database_url = database_url
        self._env = dict(env or {})
        self.workers = workers
        self.host = host
        self.port = free_port(host)
        self._output = output
        self.extra_args = extra_args
        self.process: subprocess.Popen[bytes] | None = None
        self.seconds_to_healthy = 0.0

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 30.0) -> ServeProcess:
        hubgraph = str(Path(sys.executable).parent / "hubgraph")
        command = [hubgraph, "serve", "--host", self.host, "--port", str(self.port)]
        command += ["--workers", str(self.workers), "--database", self.database_url]
        # A test's output is no log collector: a new database's token goes there, not to a
        # file in the working directory.
        command += ["--show-token", *self.extra_args]
        began = time.perf_counter()
        self.process = subprocess.Popen(  # noqa: S603 - our own command, no shell
            command,
            stdout=self._output or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, **self._env},
        )
        while time.perf_counter() - began < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"hubgraph serve exited with {self.process.returncode}")
            if healthy(self.port, self.host):
                self.seconds_to_healthy = time.perf_counter() - began
                return self
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"hubgraph serve was not healthy within {timeout} s")

    def worker_pids(self) -> list[int]:
        """The processes serving requests: the server's workers, or the server itself."""
        if self.process is None:
            return []
        children: list[int] = []
        for task in Path(f"/proc/{self.process.pid}/task").glob("*"):
            try:
                children += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
        # Workers are forked (the server's own command line) or, where a fork was not
        # safe, spawned; multiprocessing's resource tracker is neither.
        server = _cmdline(self.process.pid)
        workers = [
            pid for pid in children if _cmdline(pid) == server or b"spawn_main" in _cmdline(pid)
        ]
        return workers or [self.process.pid]

    def stop(self, timeout: float = 15.0) -> int | None:
        """Ctrl-C, as a person would; a kill only if it does not exit in time."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        return self.process.returncode

    def __enter__(self) -> ServeProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""
