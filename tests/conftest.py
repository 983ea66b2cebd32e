"""Shared fixtures: a real database (SQLite file, or PostgreSQL when DATABASE_URL says so), the
schema built by the migrations, and the app served over real HTTP on a free local port.

On PostgreSQL the suite creates its own database next to the one in DATABASE_URL and drops it at
the end, so the server's `test` database is left as it was found.
"""
from __future__ import annotations

import os
import sys
import threading
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import FIXTURES, ROOT, Api, deploy_fixture  # noqa: E402,F401  (re-exported for fixtures)


# Every test lives on the same day, whatever the calendar says: Tuesday 1 December 2026, 09:00:05 in Almaty,
# a few seconds after the fixtures' reports were received (`RECEIVED` in the modules). The whole process
# travels there (the HTTP server's threads too) and the clock keeps ticking from it, so deadlines counted
# by the service and instants written in the tests agree on any day the suite runs. A test that talks to
# other processes (workers, the CLI) is marked `real_clock` and builds its instants relative to now instead.
PINNED_NOW = "2026-12-01T09:00:05+05:00"


def pytest_configure(config):
    config.addinivalue_line("markers", "real_clock: the test runs on the machine's clock and builds instants "
                                       "relative to now (it talks to processes the pinned clock cannot reach)")


@pytest.fixture(autouse=True)
def clock(request):
    """The pinned service clock; `clock.move_to(instant)` jumps it (a datetime or ISO 8601 text)."""
    if request.node.get_closest_marker("real_clock"):
        yield None
        return
    with time_machine.travel(PINNED_NOW, tick=True) as traveller:
        yield traveller


def _database(tmp_root: Path):
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql")):
        from app.config import _database_url
        admin_url = _database_url()
        name = f"qamqor_test_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        test_url = admin_url.rsplit("/", 1)[0] + "/" + name

        def drop():
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
        return test_url, drop
    return f"sqlite:///{tmp_root / 'qamqor-test.db'}", lambda: None


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url, drop = _database(tmp_path_factory.mktemp("db"))
    yield url
    drop()


@pytest.fixture(scope="session")
def app(database_url):
    os.environ["QAMQOR_INSECURE_COOKIES"] = "1"
    from app import create_app
    from flask_migrate import upgrade
    application = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                              "SECRET_KEY": "test-secret", "SESSION_COOKIE_SECURE": False,
                              "FORMS_DIR": str(ROOT / "forms")})
    with application.app_context():
        upgrade()
    yield application
    from app.extensions import db
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_tables(request):
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    from app.extensions import db
    from app.instances.environment import forget_overrides
    from app.remembered import forget_everything
    forget_overrides()                   # the calendar rows vanish with the tables below
    forget_everything()                  # and the organisations and mail recipients remembered (app/remembered.py)
    with application.app_context():
        db.session.remove()
        tables = [t for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " CASCADE"))
            else:
                for t in tables:
                    conn.execute(t.delete())


@pytest.fixture(scope="session")
def server(app):
    from werkzeug.serving import make_server
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()


@pytest.fixture
def make_user(app, server):
    from app.extensions import db
    from app.users.service import create_user

    def make(username, agency=None, *roles, password=None):
        with app.app_context():
            _, token = create_user(db.session, username=username, agency=agency, roles=list(roles) or ["staff"],
                                   password=password)
        return Api(server, token, username)
    return make


@pytest.fixture
def owner(make_user):
    return make_user("owner", None, "process_owner")


@pytest.fixture
def run_due(app):
    """Run the worker's `run-due` at an instant, in process (the CLI itself is tested separately)."""
    from app.worker import run_due as _run_due
    from app.instances.environment import Settings

    def run(now):
        with app.app_context():
            from app.extensions import db
            try:
                return _run_due(now, Settings.from_config(app.config))
            finally:
                db.session.remove()
    return run
