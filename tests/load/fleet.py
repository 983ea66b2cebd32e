"""Real processes for load and crash tests: gunicorn web workers and `flask worker run` loops.

They run on PostgreSQL only: SQLite has a single writer, so "two web processes and two workers"
would measure its file lock, not the service's coordination (row locks, SKIP LOCKED, versions).
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from support import ROOT


@pytest.fixture
def pg(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgresql://...): several processes against one SQLite "
                    "file test its file lock, not the service's row locks and SKIP LOCKED")
    return database_url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


class Fleet:
    """Starts and stops the service's processes; every one it started is ended at teardown."""

    def __init__(self, database_url: str, tmp: Path):
        self.database_url, self.tmp = database_url, tmp
        self.procs: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def env(self, database_url: str | None = None, **extra) -> dict:
        return {**os.environ, "DATABASE_URL": database_url or self.database_url, "FLASK_APP": "wsgi.py",
                "SECRET_KEY": "load-test-secret", "QAMQOR_WORKER_POLL_SECONDS": "0.05", **extra}

    def _spawn(self, cmd, name, env) -> subprocess.Popen:
        log = self.tmp / f"{name}-{len(self.logs)}.log"
        self.logs.append(log)
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.procs.append(proc)
        return proc

    def web(self, workers: int = 2, database_url: str | None = None, port: int | None = None) -> tuple[str, subprocess.Popen]:
        port = port or free_port()
        proc = self._spawn([sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
                            "--graceful-timeout", "2", "--timeout", "60", "wsgi:app"], "gunicorn",
                           self.env(database_url))
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(base + "/api/v1/openapi.json", timeout=2).status_code == 200 \
                        and len(children(proc.pid)) >= workers:
                    return base, proc
            except requests.RequestException:
                pass
            if proc.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError("gunicorn did not start: " + self.logs[-1].read_text()[-3000:])

    def worker(self, database_url: str | None = None) -> subprocess.Popen:
        return self._spawn([sys.executable, "-m", "flask", "worker", "run"], "worker", self.env(database_url))

    def log_text(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.logs if p.exists())

    def stop_all(self):
        for proc in self.procs:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@pytest.fixture
def fleet(pg, tmp_path):
    f = Fleet(pg, tmp_path)
    yield f
    f.stop_all()


class TcpProxy:
    """A TCP relay to PostgreSQL that the test can cut and restore: a database outage that touches
    nothing but this test's own connections (the shared server keeps running for everyone else)."""

    def __init__(self, target_port: int = 5432):
        self.target = ("127.0.0.1", target_port)
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        self.up = True
        self.conns: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            if not self.up:
                client.close()              # the "server" is down: the connection drops at once
                continue
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src, dst):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self):
        self.up = False
        with self.lock:
            conns, self.conns = self.conns, []
        for s in conns:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass

    def restore(self):
        self.up = True

    def url(self, database_url: str) -> str:
        return database_url.replace("@127.0.0.1:5432/", f"@127.0.0.1:{self.port}/")

    def close(self):
        self.cut()
        self.sock.close()


@pytest.fixture
def proxy(pg):
    p = TcpProxy()
    assert "@127.0.0.1:5432/" in pg, "the outage test relays to 127.0.0.1:5432"
    yield p
    p.close()
