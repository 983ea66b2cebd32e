"""Task completions per second and p50/p99 latency over HTTP on PostgreSQL: one web process and one
worker, then two of each (2+2), beside SpiffWorkflow's own step measured in the same run.

The clients run in this process on the same machine (2 cores here), so they take CPU from the
service: the figures are what one box does end to end, clients included.
"""
from __future__ import annotations

import os
import time
from datetime import datetime, timezone
from pathlib import Path

from . import floor
from ._support import complete_body, drive, fleet, make_app, pct, ready_tasks, scratch_database, seed_reports, \
    setup_world

# (label, web processes, threads per web process, workers, clients, completions): 2, 4 and 8 processes in all,
# then the 4-process shape with threaded web processes (gunicorn gthread), to choose the production model by.
CONFIGS = (("1 web + 1 worker", 1, 1, 1, 4, 600), ("2 web + 2 workers", 2, 1, 2, 8, 1000),
           ("4 web + 4 workers", 4, 1, 4, 16, 1000), ("2 web x 4 threads + 2 workers", 2, 4, 2, 8, 1000))
TARGET = 300
# PostgreSQL's group commit, a server setting (superuser; not something the service or CI can rely on): a commit
# waits up to COMMIT_DELAY microseconds for others to share its WAL flush when COMMIT_SIBLINGS transactions are open.
# Measured as an option for deployments whose disk makes the flush the cost: the 2+2 shape again, with it on.
GROUP_COMMIT = ("2 web + 2 workers, group commit (commit_delay=1000 us, commit_siblings=2)", 2, 1, 2, 8, 1000)


def run() -> list[dict]:
    engine = floor.measure(300)
    rows, rates = [], {}
    with scratch_database() as url:
        app = make_app(url)
        tokens = setup_world(app)
        seed_reports(app, 1000 + sum(c[5] + 40 for c in (*CONFIGS, GROUP_COMMIT)),
                     received_at=datetime.now(timezone.utc).isoformat())
        for label, web, threads, workers, clients, n in (*CONFIGS, GROUP_COMMIT):
            if label == GROUP_COMMIT[0] and not _group_commit(url, on=True):
                rows.append({"name": f"{label}: completions per second", "value": 0, "unit": "1/s",
                             "note": "not measured: setting commit_delay needs a superuser"})
                continue
            tasks = ready_tasks(app, n + 40)
            with fleet(url) as f:
                base = f.web(workers=web, threads=threads)
                for _ in range(workers):
                    f.worker()
                drive(base, tokens["police.staff"], [("POST", f"/tasks/{t}/complete", complete_body())
                                                     for t in tasks[:40]], clients)       # warm every process
                before = _cpu_by_part(f)
                lat, statuses, wall = drive(base, tokens["police.staff"],
                                            [("POST", f"/tasks/{t}/complete", complete_body()) for t in tasks[40:]],
                                            clients)
                spent = {part: used - before[part] for part, used in _cpu_by_part(f).items()}
            if label == GROUP_COMMIT[0]:
                _group_commit(url, on=False)
            ok = statuses.count(200)
            rates[label] = ok / wall
            per = {part: used / max(ok, 1) * 1000 for part, used in spent.items()}
            total = sum(per.values())
            cpu_note = (f"CPU per completion {total:.1f} ms: web {per['web']:.1f}, workers {per['workers']:.1f}, "
                        f"PostgreSQL {per['postgresql']:.1f}, clients {per['clients']:.1f}; at that CPU "
                        f"{os.cpu_count()} cores carry at most {os.cpu_count() * 1000 / total:.0f}/s")
            rows += [
                {"name": f"{label}: completions per second", "value": round(ok / wall, 1), "unit": "1/s",
                 "note": f"{clients} concurrent clients, {ok} completions ({len(statuses) - ok} not 200)"
                         + (f"; target >= {TARGET}/s: {'met' if ok / wall >= TARGET else 'MISSED'}"
                            if (web, threads, workers) == (2, 1, 2) else "")},
                {"name": f"{label}: CPU per completion, every process", "value": round(total, 2), "unit": "ms",
                 "note": cpu_note},
                {"name": f"{label}: latency p50", "value": round(pct(lat, 50) * 1000, 1), "unit": "ms", "note": ""},
                {"name": f"{label}: latency p99", "value": round(pct(lat, 99) * 1000, 1), "unit": "ms", "note": ""},
            ]
        from app.extensions import db
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    one, two = rates[CONFIGS[0][0]], rates[CONFIGS[1][0]]
    rows.append({"name": "scale-out: 2+2 / 1+1 throughput", "value": round(two / one, 2), "unit": "x",
                 "note": "on 2 cores shared with the clients and PostgreSQL"})
    rows.append({"name": "scale-out: 4+4 / 2+2 throughput", "value": round(rates[CONFIGS[2][0]] / two, 2), "unit": "x",
                 "note": "8 processes on 2 cores"})
    rows.append({"name": "threads: 2 web x 4 threads / 2 sync web (both + 2 workers)",
                 "value": round(rates[CONFIGS[3][0]] / two, 2), "unit": "x", "note": "gunicorn gthread vs sync"})
    if GROUP_COMMIT[0] in rates:
        rows.append({"name": "group commit: 2+2 with commit_delay / 2+2 without", "unit": "x",
                     "value": round(rates[GROUP_COMMIT[0]] / two, 2), "note": "a PostgreSQL server setting, not the service's"})
    rows.append({"name": "SpiffWorkflow serialized steps per second, one core (ceiling)",
                 "value": round(1 / engine["spiff_serialized"], 0), "unit": "1/s",
                 "note": f"2+2 service throughput is {two * engine['spiff_serialized']:.2f} of one core's ceiling"})
    return floor.rows(engine) + rows


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK             # utime + stime, seconds


def _postgres_pids() -> list[int]:
    """Every PostgreSQL server process on this machine (backends, WAL writer, checkpointer): the server's share of
    the load. Other databases' work on the same server counts too; the bench assumes a machine otherwise idle."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError, PermissionError):
                pass
    return pids


def _cpu_by_part(f) -> dict[str, float]:
    """Seconds of CPU so far of the web processes, the workers, PostgreSQL's server and this process (the clients'
    threads): read before and after a run, the difference says where its completions' CPU went."""
    return {"web": sum(map(_cpu, f.web_pids())), "workers": sum(map(_cpu, f.worker_pids())),
            "postgresql": sum(map(_cpu, _postgres_pids())), "clients": time.process_time()}


def _group_commit(url: str, *, on: bool) -> bool:
    """Turn PostgreSQL's group commit on or off for the bench's database (new connections take it)."""
    import sqlalchemy as sa
    name = url.rsplit("/", 1)[1]
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://")
                              else url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if on:
                conn.execute(sa.text(f'ALTER DATABASE "{name}" SET commit_delay = 1000'))
                conn.execute(sa.text(f'ALTER DATABASE "{name}" SET commit_siblings = 2'))
            else:
                conn.execute(sa.text(f'ALTER DATABASE "{name}" RESET commit_delay'))
                conn.execute(sa.text(f'ALTER DATABASE "{name}" RESET commit_siblings'))
        return True
    except sa.exc.DBAPIError:
        return False
    finally:
        engine.dispose()
