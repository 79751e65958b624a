"""``hubgraph serve`` as a real subprocess on a free port: start, wait until healthy, kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx2 as httpx

from hubgraph.testing import free_port

HUBGRAPH = str(Path(sys.executable).with_name("hubgraph"))


class ServerProcess:
    """One ``hubgraph serve`` process; its stdout and stderr go to ``log_path``."""

    def __init__(self, database_url: str, log_path: Path) -> None:
        self.database_url = database_url
        self.log_path = log_path
        self.port = free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> ServerProcess:
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                # --show-token: a fresh database's token goes to the test log, not to a file
                [
                    HUBGRAPH,
                    "serve",
                    "--port",
                    str(self.port),
                    "--database",
                    self.database_url,
                    "--show-token",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"hubgraph serve exited early:\n{self.log()}")
            try:
                if httpx.get(f"{self.base_url}/_hubgraph/health", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"hubgraph serve did not become healthy:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, open transactions are cut mid-flight."""
        assert self._process is not None
        self._process.send_signal(signal.SIGKILL)
        self._process.wait(timeout=30)

    def stop(self) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
