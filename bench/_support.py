"""What the benchmarks share: a scratch PostgreSQL database, the service's real processes,
fast seeding of many instances, and an HTTP load driver.

Seeding clones one instance made by the real code path (start_instance): new ids for the
instance, its case and its tasks are written into the stored state, and each clone's event chain
is re-hashed, so a clone is indistinguishable from an instance started over HTTP — but 100,000 of
them load with COPY in seconds instead of hours.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
FULL = os.environ.get("BENCH_FULL") == "1"          # the 100,000-instance run


def pg_admin_url() -> str | None:
    for candidate in (os.environ.get("BENCH_DATABASE_URL"), os.environ.get("DATABASE_URL"),
                      "postgresql://postgres@127.0.0.1:5432/postgres"):
        if candidate and candidate.startswith(("postgres://", "postgresql")):
            url = candidate.replace("postgres://", "postgresql://", 1)
            url = url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
            try:
                engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
                with engine.connect():
                    pass
                engine.dispose()
                return url
            except Exception:
                continue
    return None


@contextmanager
def scratch_database():
    """A fresh PostgreSQL database for one benchmark, dropped afterwards."""
    admin_url = pg_admin_url()
    if admin_url is None:
        raise RuntimeError("no PostgreSQL reachable (set BENCH_DATABASE_URL)")
    name = f"qamqor_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_app(url: str):
    from flask_migrate import upgrade

    from app import create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "bench",
                      "FORMS_DIR": str(FIXTURES / "forms")})
    with app.app_context():
        upgrade()
    return app


def setup_world(app) -> dict[str, str]:
    """Deploy the fixture processes and create the users; returns username → API token."""
    from app.extensions import db
    from app.registry.service import deploy
    from app.users.service import create_user
    tokens = {}
    with app.app_context():
        for name in ("reporter", "receiver", "waiter"):
            deploy(db.session, bpmn=(FIXTURES / "bpmn" / f"{name}.bpmn").read_bytes(), forms={},
                   forms_dir=str(FIXTURES / "forms"), deployed_by="bench")
        for username, agency, role in (("police.staff", "police", "staff"), ("kdnzp.staff", "kdnzp", "staff"),
                                       ("health.staff", "health", "staff")):
            _, tokens[username] = create_user(db.session, username=username, agency=agency, roles=[role])
        db.session.remove()
    return tokens


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


class Fleet:
    """gunicorn web workers and `flask worker run` processes against one database."""

    def __init__(self, url: str):
        self.url, self.procs = url, []

    def _env(self, **extra):
        return {**os.environ, "DATABASE_URL": self.url, "FLASK_APP": "wsgi.py", "SECRET_KEY": "bench", **extra}

    def web(self, workers: int, threads: int = 1) -> str:
        """gunicorn with ``workers`` processes; ``threads`` > 1 makes them gthread workers."""
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(workers), "--threads", str(threads),
                                 "-b", f"127.0.0.1:{port}", "--backlog", "2048", "--timeout", "120", "wsgi:app"],
                                cwd=ROOT, env=self._env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        self.procs.append(proc)
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if requests.get(base + "/api/v1/openapi.json", timeout=2).ok and len(_children(proc.pid)) >= workers:
                    return base
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def worker(self, **env) -> subprocess.Popen:
        log = open(os.environ.get("BENCH_WORKER_LOG", os.devnull), "a")
        proc = subprocess.Popen([sys.executable, "-m", "flask", "worker", "run"], cwd=ROOT, env=self._env(**env),
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

    def web_pids(self) -> list[int]:
        """gunicorn's arbiter and its workers (the first process started is the web server)."""
        return [self.procs[0].pid] + _children(self.procs[0].pid) if self.procs else []

    def worker_pids(self) -> list[int]:
        return [pid for p in self.procs[1:] for pid in [p.pid] + _children(p.pid)]

    def pids(self) -> list[int]:
        out = []
        for p in self.procs:
            out += [p.pid] + _children(p.pid)
        return out

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        self.procs = []


@contextmanager
def fleet(url: str):
    f = Fleet(url)
    try:
        yield f
    finally:
        f.stop()


# -- seeding -------------------------------------------------------------------------------------
def _template(app, token_user: str, received_at: str):
    """One real instance of `reporter` with its open task, made by the service's own code."""
    from app.extensions import db
    from app.instances.environment import Settings
    from app.instances.service import start_instance
    from app.users.models import User
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == token_user))
        inst = start_instance(db.session, process_id="reporter", data={"received_at": received_at}, user=user,
                              settings=Settings.from_config(app.config))
        meta = db.metadata
        rows = {}
        with db.engine.connect() as conn:
            for table, col, key in (("process_instances", "id", inst.id), ("cases", "id", inst.case_id),
                                    ("tasks", "instance_id", inst.id), ("events", "instance_id", inst.id)):
                t = meta.tables[table]
                rows[table] = [dict(r._mapping) for r in conn.execute(sa.select(t).where(t.c[col] == key))]
        db.session.remove()
    return rows


def seed_reports(app, n: int, *, received_at: str, due_at_of=None, start: int = 0, user: str = "police.staff"):
    """Add ``n`` instances of `reporter`, each waiting in the police inbox, by cloning a real one.

    ``due_at_of(i)`` (optional) gives clone i its own deadline (an aware datetime)."""
    from app.engine.runtime import state_hash
    from app.events.service import event_hash
    from app.extensions import db
    tpl = _template(app, user, received_at)
    inst, case = tpl["process_instances"][0], tpl["cases"][0]
    tasks, events = tpl["tasks"], sorted(tpl["events"], key=lambda e: e["seq"])
    state = json.loads(inst["state"])
    task_uuids = list(state["tasks"])
    old_due = next((t["internal_data"]["event_value"] for t in state["tasks"].values()
                    if "event_value" in t.get("internal_data", {})), None)
    meta = db.metadata
    json_cols = {name: {c.name for c in meta.tables[name].columns if isinstance(c.type, sa.JSON)}
                 for name in ("process_instances", "cases", "tasks", "events")}
    out = {name: [] for name in ("cases", "process_instances", "tasks", "events")}
    for i in range(start, start + n):
        if len(out["cases"]) >= 5000:                    # bounded memory: COPY in chunks
            _copy(app, out, json_cols, analyze=False)
            out = {name: [] for name in out}
        mapping = {inst["id"]: str(uuid.uuid4()), case["id"]: str(uuid.uuid4()),
                   case["registration_number"]: f"2025-{i:06d}"}
        mapping.update({u: str(uuid.uuid4()) for u in task_uuids})
        due = due_at_of(i) if due_at_of else None
        if due is not None and old_due:
            mapping[old_due] = due.isoformat()

        def sub(value, mapping=mapping):
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            for old, new in mapping.items():
                text = text.replace(old, new)
            return text if isinstance(value, str) else json.loads(text)

        new_inst = {k: sub(v) if k in ("id", "case_id", "state", "data") else v for k, v in inst.items()}
        if due is not None:
            new_inst["next_timer_at"] = due
        prev = "0" * 64
        new_events = []
        for e in events:
            ne = {k: v for k, v in e.items() if k != "id"}
            ne.update(instance_id=new_inst["id"], task_id=sub(e["task_id"]) if e["task_id"] else None,
                      data=sub(e["data"]), prev_hash=prev)
            if ne["state_hash"]:
                ne["state_hash"] = state_hash(new_inst["data"])
            ne["hash"] = event_hash(prev, instance_id=ne["instance_id"], seq=ne["seq"], type=ne["type"], at=ne["at"],
                                    actor=ne["actor"], task_id=ne["task_id"], bpmn_id=ne["bpmn_id"], lane=ne["lane"],
                                    data=ne["data"], state_hash=ne["state_hash"])
            prev = ne["hash"]
            new_events.append(ne)
        new_inst["last_hash"] = prev
        out["cases"].append({**case, "id": mapping[case["id"]], "registration_number": f"2025-{i:06d}"})
        out["process_instances"].append(new_inst)
        for t in tasks:
            nt = {k: sub(v) if k in ("id", "instance_id", "case_id") else v for k, v in t.items()}
            if due is not None:
                nt["due_at"] = due
            out["tasks"].append(nt)
        out["events"] += new_events
    _copy(app, out, json_cols)


def _copy(app, tables: dict[str, list[dict]], json_cols: dict[str, set], analyze: bool = True):
    from app.extensions import db
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            cur = raw.cursor()
            for name in ("cases", "process_instances", "tasks", "events"):
                rows = tables[name]
                if not rows:
                    continue
                cols = list(rows[0])
                with cur.copy(f'COPY "{name}" ({", ".join(chr(34) + c + chr(34) for c in cols)}) FROM STDIN') as cp:
                    for r in rows:
                        cp.write_row([json.dumps(r[c], ensure_ascii=False) if c in json_cols[name] and r[c] is not None
                                      else r[c] for c in cols])
            raw.commit()
            if analyze:
                cur.execute("ANALYZE")
                raw.commit()
        finally:
            raw.close()
        db.session.remove()


def ready_tasks(app, limit: int, bpmn_id: str = "report") -> list[str]:
    from app.extensions import db
    from app.instances.models import Task
    with app.app_context():
        ids = list(db.session.scalars(sa.select(Task.id).where(Task.state == "ready", Task.bpmn_id == bpmn_id)
                                      .order_by(sa.func.random()).limit(limit)))
        db.session.remove()
    return ids


# -- load ------------------------------------------------------------------------------------------------
def drive(base: str, token: str, requests_list: list[tuple[str, str, dict | None]], concurrency: int):
    """Send (method, path, json) requests from ``concurrency`` threads; returns (latencies s, statuses, wall s)."""
    latencies, statuses, lock = [], [], threading.Lock()
    queue = list(reversed(requests_list))

    def run():
        s = requests.Session()
        s.headers["Authorization"] = f"Bearer {token}"
        while True:
            with lock:
                if not queue:
                    return
                method, path, body = queue.pop()
            t0 = time.perf_counter()
            r = s.request(method, base + "/api/v1" + path, json=body, timeout=120)
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                statuses.append(r.status_code)

    threads = [threading.Thread(target=run) for _ in range(concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, statuses, time.perf_counter() - t0


def timed(fn, n: int) -> list[float]:
    """Seconds each of ``n`` calls of ``fn`` took."""
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def pct(values, p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = min(len(values) - 1, max(0, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


def median(values) -> float:
    return statistics.median(values) if values else float("nan")


def complete_body():
    return {"data": {"summary": "синяки на руках"}}
