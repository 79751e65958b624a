"""A hubgraph cluster on one machine: PostgreSQL, pgbouncer, Redis, N nodes, HAProxy.

``scripts/cluster up|down`` and ``tests/cluster/`` drive it (docs/deploy.md shows the same
topology across machines). Every process listens on a free loopback port; the state
directory keeps their configuration, logs and a ``state.json`` naming each process this
module started, so ``down`` stops exactly those and nothing else on the machine.

The database is the local PostgreSQL server's: a database made for the cluster (dropped
again by ``down``), or the one ``--database`` names (left alone).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson
import psycopg
from sqlalchemy.engine import make_url

from hubgraph.testing.process import healthy
from hubgraph.testing.server import free_port

LOOPBACK = "127.0.0.1"
POSTGRES_ADMIN_URL = os.environ.get(
    "HUBGRAPH_CLUSTER_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
PACKAGES = {"haproxy": "haproxy", "pgbouncer": "pgbouncer", "redis-server": "redis-server"}
HUBGRAPH = str(Path(sys.executable).with_name("hubgraph"))


class ClusterError(RuntimeError):
    pass


@dataclass
class Started:
    """A process this module started. ``down`` signals it only while the pid still names
    that process (same start time): a pid the kernel handed to another program is left
    alone."""

    name: str
    pid: int
    argv: list[str]
    started_at: int = 0  # clock ticks after boot, /proc/PID/stat field 22

    def alive(self) -> bool:
        stat = _proc_stat(self.pid)
        return stat is not None and stat[0] != "Z" and int(stat[19]) == self.started_at


def _proc_stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state first)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


@dataclass
class Node:
    port: int
    process: Started | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"


@dataclass
class ClusterState:
    state_dir: str
    database_url: str  # PostgreSQL itself (migrations, pg_dump, the tests' checks)
    pooled_url: str  # through pgbouncer: what the nodes use
    created_database: bool
    redis_url: str
    admin_token: str
    balancer_port: int
    pool_size: int
    nodes: list[Node] = field(default_factory=list)
    services: list[Started] = field(default_factory=list)  # redis, pgbouncer, haproxy

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.balancer_port}"

    def save(self) -> None:
        path = Path(self.state_dir) / "state.json"
        path.write_bytes(orjson.dumps(asdict(self), option=orjson.OPT_INDENT_2))

    @classmethod
    def load(cls, state_dir: Path) -> ClusterState:
        raw: dict[str, Any] = orjson.loads((state_dir / "state.json").read_bytes())
        nodes = [
            Node(n["port"], Started(**n["process"]) if n["process"] else None)
            for n in raw.pop("nodes")
        ]
        services = [Started(**s) for s in raw.pop("services")]
        return cls(**raw, nodes=nodes, services=services)


def ensure_packages() -> None:
    """Install the distribution's haproxy, pgbouncer and redis-server when missing."""
    missing = [pkg for tool, pkg in PACKAGES.items() if _which(tool) is None]
    if not missing:
        return
    apt = shutil.which("apt-get")
    if os.geteuid() != 0 or apt is None:
        raise ClusterError(f"missing {', '.join(missing)}: install them (apt-get install …)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # Waits for a dpkg lock another installer holds rather than failing at once.
    wait = ["-o", "DPkg::Lock::Timeout=300"]
    subprocess.run([apt, *wait, "update", "-q"], check=True, env=env)  # noqa: S603
    subprocess.run([apt, *wait, "install", "-y", "-q", *missing], check=True, env=env)  # noqa: S603


def tools_present() -> bool:
    return all(_which(tool) for tool in PACKAGES)


def _which(tool: str) -> str | None:
    # pgbouncer and haproxy live in /usr/sbin, which a non-root PATH often lacks.
    return shutil.which(tool) or shutil.which(tool, path="/usr/sbin:/usr/local/sbin:/sbin")


class Cluster:
    """Start (``up``), operate (``kill_node``, ``start_node``) and stop (``down``) a cluster."""

    def __init__(self, state: ClusterState) -> None:
        self.state = state
        self.dir = Path(state.state_dir)
        # The processes this object started, kept so they are reaped (polled) when they
        # exit; `scripts/cluster down` runs in another process and has none.
        self._children: list[subprocess.Popen[bytes]] = []

    def _reap(self) -> None:
        for child in self._children:
            child.poll()

    def wait_children(self, timeout: float = 15.0) -> None:
        """Reap the processes this object started, once something else stopped them."""
        for child in self._children:
            child.wait(timeout)

    # --- up ------------------------------------------------------------------------

    @classmethod
    def up(
        cls,
        state_dir: Path,
        nodes: int = 2,
        database: str | None = None,
        admin_token: str | None = None,
        pool_size: int = 5,
        redis_url: str | None = None,
    ) -> Cluster:
        ensure_packages()
        state_dir.mkdir(parents=True, exist_ok=True)
        if (state_dir / "state.json").exists():
            raise ClusterError(f"a cluster is up already ({state_dir}); run `down` first")
        created = database is None
        database_url = database or _create_database()
        state = ClusterState(
            state_dir=str(state_dir.resolve()),
            database_url=database_url,
            pooled_url="",
            created_database=created,
            redis_url=redis_url or "",
            admin_token=admin_token or secrets.token_urlsafe(24),
            balancer_port=free_port(),
            pool_size=pool_size,
            nodes=[Node(free_port()) for _ in range(nodes)],
        )
        cluster = cls(state)
        state.save()
        try:
            if not redis_url:
                cluster._start_redis()
            cluster._start_pgbouncer()
            state.save()
            # One node first: it applies the migrations, and on an empty database it makes
            # the first portal; the others must find both rather than race to make them.
            cluster.start_node(0)
            for i in range(1, nodes):
                cluster.start_node(i, wait=False)
            for i in range(1, nodes):
                cluster.wait_healthy(i)
            cluster._start_haproxy()
            cluster.wait_balanced()
        except BaseException:
            cluster.down()
            raise
        return cluster

    @classmethod
    def attach(cls, state_dir: Path) -> Cluster:
        return cls(ClusterState.load(state_dir))

    def _spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> Started:
        log = (self.dir / f"{name}.log").open("ab")
        with log:
            process = subprocess.Popen(  # noqa: S603 - our own commands, no shell
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, **(env or {})},
                start_new_session=True,  # outlives `scripts/cluster up`; no terminal signals
            )
        self._children.append(process)
        stat = _proc_stat(process.pid)
        return Started(name, process.pid, argv, int(stat[19]) if stat else 0)

    def _start_redis(self) -> None:
        port = free_port()
        argv = [_which("redis-server") or "redis-server", "--bind", LOOPBACK, "--port", str(port)]
        argv += ["--save", "", "--appendonly", "no", "--dir", str(self.dir)]
        self.state.services.append(self._spawn("redis", argv))
        self.state.redis_url = f"redis://{LOOPBACK}:{port}/0"
        _wait_port(port, "redis-server", self.dir / "redis.log")

    def _start_pgbouncer(self) -> None:
        url = make_url(self.state.database_url)
        port = free_port()
        name = url.database or "postgres"
        user = url.username or "postgres"
        server = f"host={url.host or LOOPBACK} port={url.port or 5432} dbname={name} user={user}"
        if url.password:
            server += f" password={url.password}"
        users = self.dir / "pgbouncer-users.txt"
        users.write_text(f'"{user}" ""\n')
        # Transaction pooling: a server connection serves a client for one transaction, so
        # PostgreSQL sees ~pool_size connections however many nodes there are.
        max_clients = max(200, 4 * self.state.pool_size * len(self.state.nodes))
        config = self.dir / "pgbouncer.ini"
        config.write_text(
            f"[databases]\n{name} = {server}\n\n[pgbouncer]\n"
            f"listen_addr = {LOOPBACK}\nlisten_port = {port}\nunix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {users}\npool_mode = transaction\n"
            f"default_pool_size = 20\nmax_client_conn = {max_clients}\n"
            "server_reset_query =\nlog_connections = 0\nlog_disconnections = 0\n"
        )
        argv = [_which("pgbouncer") or "pgbouncer"]
        if os.geteuid() == 0:
            argv += ["-u", "postgres"]  # it refuses to run as root
        argv.append(str(config))
        self.state.services.append(self._spawn("pgbouncer", argv))
        self.state.pooled_url = url.set(
            drivername="postgresql", host=LOOPBACK, port=port, password=None
        ).render_as_string(hide_password=False)
        _wait_port(port, "pgbouncer", self.dir / "pgbouncer.log")

    def node_env(self) -> dict[str, str]:
        return {
            "HUBGRAPH_DATABASE_URL": self.state.pooled_url,
            "HUBGRAPH_DATABASE_POOLER": "pgbouncer",
            "HUBGRAPH_REDIS_URL": self.state.redis_url,
            "HUBGRAPH_ADMIN_TOKEN": self.state.admin_token,
            "HUBGRAPH_POOL_SIZE": str(self.state.pool_size),
            # HAProxy on this machine forwards the client's address (X-Forwarded-For).
            "FORWARDED_ALLOW_IPS": LOOPBACK,
            "PYTHONUNBUFFERED": "1",
        }

    def start_node(self, i: int, wait: bool = True) -> None:
        node = self.state.nodes[i]
        if node.process is not None and node.process.alive():
            raise ClusterError(f"node {i + 1} is running already")
        argv = [HUBGRAPH, "serve", "--host", LOOPBACK, "--port", str(node.port)]
        node.process = self._spawn(f"node{i + 1}", argv, self.node_env())
        self.state.save()
        if wait:
            self.wait_healthy(i)

    def wait_healthy(self, i: int, timeout: float = 60.0) -> None:
        node = self.state.nodes[i]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._reap()
            if node.process is None or not node.process.alive():
                raise ClusterError(f"node {i + 1} exited:\n{self.log(f'node{i + 1}')}")
            if healthy(node.port):
                return
            time.sleep(0.05)
        raise ClusterError(f"node {i + 1} was not healthy within {timeout} s")

    def _start_haproxy(self) -> None:
        servers = "".join(
            f"    server node{i + 1} {LOOPBACK}:{n.port} check\n"
            for i, n in enumerate(self.state.nodes)
        )
        config = self.dir / "haproxy.cfg"
        config.write_text(
            HAPROXY_CONFIG.format(
                socket=self.dir / "haproxy.sock",
                bind=f"{LOOPBACK}:{self.state.balancer_port}",
                servers=servers,
            )
        )
        argv = [_which("haproxy") or "haproxy", "-db", "-f", str(config)]
        self.state.services.append(self._spawn("haproxy", argv))
        self.state.save()

    # --- operating -----------------------------------------------------------------

    def _stats(self) -> dict[str, list[str]]:
        """HAProxy's ``show stat`` CSV row of each node (field 7: sessions, 17: status)."""
        reply = self._haproxy_command("show stat")
        lines = [line.split(",") for line in reply.splitlines() if line and line[0] != "#"]
        return {f[1]: f for f in lines if f[0] == "nodes" and f[1] != "BACKEND"}

    def server_status(self) -> dict[str, str]:
        """HAProxy's view: ``{"node1": "UP", "node2": "DOWN", …}``."""
        return {name: f[17].split()[0] for name, f in self._stats().items()}

    def sessions(self) -> dict[str, int]:
        """Requests (sessions) HAProxy has sent each node so far."""
        return {name: int(f[7]) for name, f in self._stats().items()}

    def _haproxy_command(self, command: str) -> str:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            sock.connect(str(self.dir / "haproxy.sock"))
            sock.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def wait_balanced(self, up: Sequence[int] | None = None, timeout: float = 30.0) -> None:
        """Until HAProxy reports exactly the nodes ``up`` (default: all) as UP."""
        wanted = set(range(len(self.state.nodes)) if up is None else up)
        expected = {f"node{i + 1}": "UP" if i in wanted else "DOWN" for i in self._indices()}
        deadline = time.monotonic() + timeout
        status: dict[str, str] = {}
        while time.monotonic() < deadline:
            try:
                status = self.server_status()
            except OSError:
                status = {}
            if status == expected:
                return
            time.sleep(0.05)
        raise ClusterError(f"HAProxy reports {status}, expected {expected}")

    def _indices(self) -> range:
        return range(len(self.state.nodes))

    def restart_node(self, i: int, timeout: float = 30.0) -> None:
        """A rolling restart's step: HAProxy stops sending the node new requests, the node
        finishes those it has (SIGTERM: uvicorn's graceful shutdown), starts again, and
        takes requests once healthy. Clients see no failure."""
        name = f"node{i + 1}"
        self._haproxy_command(f"set server nodes/{name} state maint")
        deadline = time.monotonic() + timeout
        while int(self._stats()[name][4]) > 0:  # scur: requests still on the node
            if time.monotonic() > deadline:
                raise ClusterError(f"{name} still has requests after {timeout} s")
            time.sleep(0.02)
        self.kill_node(i, signal.SIGTERM)
        self.wait_exited(i, timeout)
        self.start_node(i)
        self._haproxy_command(f"set server nodes/{name} state ready")
        self.wait_balanced(timeout=timeout)

    def kill_node(self, i: int, sig: signal.Signals = signal.SIGKILL) -> None:
        process = self.state.nodes[i].process
        if process is None or not process.alive():
            raise ClusterError(f"node {i + 1} is not running")
        os.kill(process.pid, sig)

    def wait_exited(self, i: int, timeout: float = 30.0) -> None:
        process = self.state.nodes[i].process
        deadline = time.monotonic() + timeout
        while process is not None and process.alive():
            self._reap()
            if time.monotonic() > deadline:
                raise ClusterError(f"node {i + 1} still runs after {timeout} s")
            time.sleep(0.02)

    def log(self, name: str) -> str:
        path = self.dir / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def environment(self) -> dict[str, str]:
        """What ``up`` prints: the balancer, the database, the control plane's token."""
        return {
            "HUBGRAPH_URL": self.state.url,
            "HUBGRAPH_DATABASE_URL": self.state.database_url,
            "HUBGRAPH_ADMIN_TOKEN": self.state.admin_token,
        }

    # --- down ----------------------------------------------------------------------

    def down(self, keep_database: bool = False) -> None:
        """Stop what ``up`` started (balancer first, then nodes, then the rest)."""
        nodes = [n.process for n in self.state.nodes if n.process is not None]
        for group in (
            [s for s in self.state.services if s.name == "haproxy"],
            nodes,  # together: each finishes its in-flight requests
            [s for s in self.state.services if s.name != "haproxy"],
        ):
            _stop(group, self._reap)
        self.wait_children()
        if self.state.created_database and not keep_database:
            _drop_database(self.state.database_url)
        state_file = self.dir / "state.json"
        state_file.unlink(missing_ok=True)
        (self.dir / "haproxy.sock").unlink(missing_ok=True)


HAPROXY_CONFIG = """\
global
    maxconn 4096
    stats socket {socket} mode 600 level admin

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
    # the nodes trust X-Forwarded-For from this address (FORWARDED_ALLOW_IPS)
    option forwardfor
    # a request that could not reach a node (refused connection) goes to another one;
    # one a node received is never sent twice: a write may have committed
    retries 3
    option redispatch 1
    retry-on conn-failure

frontend hubgraph
    bind {bind}
    default_backend nodes

backend nodes
    balance leastconn
    option httpchk GET /_hubgraph/health
    http-check expect status 200
    # a node that refuses one connection is out at once, not after the next checks
    default-server inter 500ms fastinter 200ms downinter 500ms fall 2 rise 2 \
observe layer4 error-limit 1 on-error mark-down
{servers}"""


def _wait_port(port: int, what: str, log: Path, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection((LOOPBACK, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    raise ClusterError(f"{what} did not listen on {port} within {timeout} s:\n{tail}")


def _stop(processes: list[Started], reap: Callable[[], None], timeout: float = 15.0) -> None:
    """SIGTERM (nodes drain their in-flight requests), SIGKILL what does not exit in time."""
    running = [p for p in processes if p.alive()]
    for process in running:
        os.kill(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while True:
        reap()
        running = [p for p in running if p.alive()]
        if not running:
            return
        if time.monotonic() > deadline:
            for process in running:
                os.kill(process.pid, signal.SIGKILL)
            deadline += 5
        time.sleep(0.02)


def _create_database() -> str:
    name = f"hubgraph_cluster_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def _drop_database(url: str) -> None:
    name = make_url(url).database
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/cluster", description=__doc__)
    parser.add_argument("--state-dir", type=Path, default=Path(".cluster"))
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start the cluster; prints HUBGRAPH_URL=… lines")
    up.add_argument("--nodes", type=int, default=2)
    up.add_argument("--database", help="a PostgreSQL URL (default: a new database)")
    up.add_argument("--redis", help="a Redis URL (default: a redis-server of its own)")
    up.add_argument("--pool-size", type=int, default=5, help="connections per node")
    down = sub.add_parser("down", help="stop exactly what `up` started")
    down.add_argument("--keep-database", action="store_true")
    sub.add_parser("status", help="HAProxy's view of the nodes")
    args = parser.parse_args(argv)
    try:
        if args.command == "up":
            if args.nodes < 1:
                parser.error("--nodes must be at least 1")
            cluster = Cluster.up(
                args.state_dir,
                args.nodes,
                args.database,
                os.environ.get("HUBGRAPH_ADMIN_TOKEN") or None,
                args.pool_size,
                args.redis,
            )
            for key, value in cluster.environment().items():
                print(f"{key}={value}")
            return 0
        if not (args.state_dir / "state.json").exists():
            print(f"no cluster is up ({args.state_dir})", file=sys.stderr)
            return 0 if args.command == "down" else 1
        cluster = Cluster.attach(args.state_dir)
        if args.command == "down":
            cluster.down(args.keep_database)
        else:
            for name, status in cluster.server_status().items():
                print(f"{name} {status}")
    except (ClusterError, subprocess.CalledProcessError, psycopg.Error) as exc:
        print(f"scripts/cluster: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
