"""One task completion on SQLite and PostgreSQL side by side, in process (Flask's test client, no HTTP server):
wall time, this process's CPU and SQL statements per completion, and a profile of it (issue 16).

    python -m bench.hotpath                 # both databases, print the figures
    python -m bench.hotpath profile NAME    # also write bench/results/profile-completion-NAME.txt (PostgreSQL)

Each database gets the same world: the fixture `linear` process (five user tasks in the police lane) deployed,
one police officer, ``n`` instances started by the service's own code; then every instance's tasks are
completed one after another through POST /api/v1/tasks/{id}/complete. The two databases run in alternating
rounds, so that whatever else the machine does falls on both alike.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

from sqlalchemy import event

from ._support import FIXTURES, make_app, scratch_database

RECEIVED = "2026-12-01T09:00:00+05:00"
LINEAR_TASKS = 5
# PostgreSQL as deployed (synchronous_commit=on: a commit waits for its WAL on disk) and PostgreSQL made as
# durable as the SQLite file the service uses (WAL, synchronous=NORMAL: a commit survives the service crashing
# but not the machine losing power), which is synchronous_commit=off. On this VM's disk the fsync of a commit
# alone costs about 5 ms, more than SQLite's whole completion: comparing like with like needs the second.
BACKENDS = ("sqlite", "postgresql", "postgresql-async")


@contextmanager
def world(backend: str, n: int):
    """(app, token, [first task id of each of ``n`` instances]) on a fresh database of that kind."""
    with ExitStack() as stack:
        if backend.startswith("postgresql"):
            url = stack.enter_context(scratch_database())
            if backend == "postgresql-async":
                import sqlalchemy as sa
                admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.execute(sa.text(f'ALTER DATABASE "{url.rsplit("/", 1)[1]}" SET synchronous_commit = off'))
                admin.dispose()
        else:
            url = f"sqlite:///{stack.enter_context(tempfile.TemporaryDirectory())}/hotpath.db"
        app = make_app(url)
        from app.extensions import db
        from app.instances.environment import Settings
        from app.instances.service import open_tasks, start_instance
        from app.registry.service import deploy
        from app.users.service import create_user
        with app.app_context():
            deploy(db.session, bpmn=(FIXTURES / "bpmn" / "linear.bpmn").read_bytes(),
                   forms={"fixture-ack.json": (FIXTURES / "forms" / "fixture-ack.json").read_bytes()},
                   forms_dir=str(FIXTURES / "forms"), deployed_by="bench")
            user, token = create_user(db.session, username="police.staff", agency="police", roles=["staff"])
            settings = Settings.from_config(app.config)
            firsts = []
            for _ in range(n):
                inst = start_instance(db.session, process_id="linear", data={"received_at": RECEIVED}, user=user,
                                      settings=settings)
                firsts.append(open_tasks(db.session, inst.id)[0].id)
            db.session.remove()
        try:
            yield app, token, firsts
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


@contextmanager
def counting(app):
    from app.extensions import db
    seen = [0]
    lock = threading.Lock()

    def note(*_a):
        with lock:
            seen[0] += 1
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def complete_chain(client, token: str, first: str, samples: list | None, seen=None) -> None:
    """Complete one instance's tasks in order; append (wall s, cpu s, statements) of each to ``samples``."""
    headers = {"Authorization": f"Bearer {token}"}
    task_id = first
    while task_id:
        before = seen[0] if seen else 0
        w, c = time.perf_counter(), time.process_time()
        r = client.post(f"/api/v1/tasks/{task_id}/complete", json={"data": {"note": "готово"}}, headers=headers)
        w, c = time.perf_counter() - w, time.process_time() - c
        assert r.status_code == 200, r.get_data(as_text=True)[:300]
        if samples is not None:
            samples.append((w, c, (seen[0] - before) if seen else 0))
        nxt = r.get_json()["next_tasks"]
        task_id = nxt[0]["id"] if nxt else None


def measure(n: int = 60, rounds: int = 3, warm: int = 4, backends=BACKENDS) -> dict[str, dict[str, float]]:
    """Per backend: median wall ms, median CPU ms, statements per completion (median), completions measured."""
    per = n // rounds
    out: dict[str, list] = {b: [] for b in backends}
    with ExitStack() as stack:
        worlds = {b: stack.enter_context(world(b, n + warm)) for b in out}
        counters = {b: stack.enter_context(counting(worlds[b][0])) for b in out}
        clients = {b: worlds[b][0].test_client() for b in out}
        for b, (_app, token, firsts) in worlds.items():
            for first in firsts[:warm]:
                complete_chain(clients[b], token, first, None)
        for r in range(rounds):
            for b in (out if r % 2 == 0 else reversed(list(out))):
                _app, token, firsts = worlds[b]
                for first in firsts[warm + r * per: warm + (r + 1) * per]:
                    complete_chain(clients[b], token, first, out[b], counters[b])
    return {b: {"wall_ms": statistics.median(s[0] for s in v) * 1000,
                "cpu_ms": statistics.median(s[1] for s in v) * 1000,
                "cpu_mean_ms": statistics.fmean(s[1] for s in v) * 1000,
                "statements": statistics.median(s[2] for s in v),
                "statements_max": max(s[2] for s in v),
                "n": len(v)} for b, v in out.items()}


def profile(name: str, n: int = 60) -> Path:
    """pyinstrument's text tree of ``n`` × 5 completions on PostgreSQL, in bench/results."""
    from pyinstrument import Profiler
    target = Path(__file__).resolve().parent / "results" / f"profile-completion-{name}.txt"
    with world("postgresql", n + 2) as (app, token, firsts):
        client = app.test_client()
        with counting(app) as seen:
            for first in firsts[:2]:
                complete_chain(client, token, first, None)
            samples = []
            profiler = Profiler(interval=0.0005)
            profiler.start()
            for first in firsts[2:]:
                complete_chain(client, token, first, samples, seen)
            profiler.stop()
    wall = statistics.median(s[0] for s in samples) * 1000
    cpu = statistics.fmean(s[1] for s in samples) * 1000
    stm = statistics.median(s[2] for s in samples)
    head = (f"# One task completion on PostgreSQL, in process (Flask test client), profiled with pyinstrument\n"
            f"# {len(samples)} completions of the fixture `linear` process; under the profiler: median wall "
            f"{wall:.2f} ms, mean CPU {cpu:.2f} ms, {stm:.0f} SQL statements per completion\n"
            f"# python -m bench.hotpath profile {name}\n\n")
    target.write_text(head + profiler.output_text(unicode=True, color=False, show_all=False, time="percent_of_total"))
    return target


def report(figures: dict) -> str:
    s, p = figures["sqlite"], figures["postgresql"]
    lines = [f"{'':16} {'wall ms':>8} {'cpu ms':>8} {'cpu mean':>8} {'stmts':>6} {'n':>5}"]
    for b, f in figures.items():
        lines.append(f"{b:16} {f['wall_ms']:8.2f} {f['cpu_ms']:8.2f} {f['cpu_mean_ms']:8.2f} {f['statements']:6.0f} "
                     f"{f['n']:5d}")
    lines.append(f"PostgreSQL / SQLite: wall {p['wall_ms'] / s['wall_ms']:.2f}x, cpu {p['cpu_ms'] / s['cpu_ms']:.2f}x")
    if "postgresql-async" in figures:
        a = figures["postgresql-async"]
        lines.append(f"PostgreSQL (synchronous_commit=off) / SQLite: wall {a['wall_ms'] / s['wall_ms']:.2f}x, "
                     f"cpu {a['cpu_ms'] / s['cpu_ms']:.2f}x")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    args = sys.argv[1:]
    if args[:1] == ["profile"]:
        print("wrote", profile(args[1] if len(args) > 1 else "latest"))
    print(report(measure()))
