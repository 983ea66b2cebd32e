"""Qamqor: Kazakhstan's interagency procedure for children who suffer violence, run as BPMN."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the engine, calendar and forms packages are imported without Flask
    from flask import Flask


def create_app(config: dict | None = None) -> "Flask":
    """Wire configuration, extensions, blueprints and commands — nothing else happens here.

    ``config`` overrides the environment's settings (tests, benchmarks)."""
    from flask import Flask

    from .config import Config

    app = Flask(__name__, instance_relative_config=True)
    app.config.update(Config.load())
    app.config.update(config or {})

    from .extensions import db, migrate
    from . import models  # noqa: F401  (registers every table with the metadata)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.config.get("MIGRATIONS_DIR", _migrations_dir())))
    _sqlite_pragmas(app)

    from .http import init_http
    init_http(app)

    from .cli import register_commands
    register_commands(app)
    return app


def _migrations_dir():
    from pathlib import Path
    return Path(__file__).resolve().parent.parent / "migrations"


def _sqlite_pragmas(app: "Flask") -> None:
    """WAL and a busy timeout make SQLite bearable for a web process and a worker side by side."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from sqlalchemy import event
    from .extensions import db
    from .instances.case_search import register_sqlite

    with app.app_context():
        @event.listens_for(db.engine, "connect")
        def _on_connect(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA synchronous=NORMAL")   # WAL: durable across app crashes, one fsync per checkpoint
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
            register_sqlite(dbapi_connection)     # case search's typo tolerance (instances/case_search.py)
