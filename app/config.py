"""Configuration from the environment; nothing else reads os.environ."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://"):]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    (ROOT / "instance").mkdir(exist_ok=True)
    return f"sqlite:///{ROOT / 'instance' / 'qamqor.db'}"


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_hex(32)
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    MAX_CONTENT_LENGTH = int(os.environ.get("QAMQOR_MAX_UPLOAD_BYTES", 8 * 1024 * 1024))
    FORMS_DIR = str(ROOT / "forms")
    PROCESSES_DIR = str(ROOT / "processes")
    # "Immediately" in the Guide: the window a receiving agency has to acknowledge a notification.
    ACK_WINDOW_HOURS = float(os.environ.get("QAMQOR_ACK_WINDOW_HOURS", 1))
    # How long a message with no receiver waits before it is marked expired.
    MESSAGE_TTL_HOURS = float(os.environ.get("QAMQOR_MESSAGE_TTL_HOURS", 24 * 30))
    WORKER_POLL_SECONDS = float(os.environ.get("QAMQOR_WORKER_POLL_SECONDS", 0.2))
    # Reverse proxies in front of gunicorn that set X-Forwarded-For/-Proto (0: none, trust no header).
    PROXY_HOPS = int(os.environ.get("QAMQOR_PROXY_HOPS", 0))
    # Diagram code (scripts, conditions, timer and payload expressions) runs in sandbox processes
    # that are killed past this wall-clock time, and whose memory is capped at this many MB: a
    # diagram is code uploaded over HTTP, and one step must never hold the service.
    SCRIPT_TIME_LIMIT_SECONDS = float(os.environ.get("QAMQOR_SCRIPT_TIME_LIMIT_SECONDS", 1.0))
    SCRIPT_MEMORY_MB = int(os.environ.get("QAMQOR_SCRIPT_MEMORY_MB", 256))
    # How often the worker writes an audit anchor (a chained digest of every instance's log head).
    AUDIT_ANCHOR_MINUTES = float(os.environ.get("QAMQOR_AUDIT_ANCHOR_MINUTES", 60))
    # A signed-in browser is signed out after this many minutes without a request (server-side: the
    # cookie itself has no Expires, so the user's clock cannot stretch it).
    SESSION_IDLE_MINUTES = float(os.environ.get("QAMQOR_SESSION_IDLE_MINUTES", 30))
    # Roles whose people sign in with a second factor (an authenticator app's code) after the password,
    # e.g. "admin,auditor": the accounts that can do the most harm when a password leaks. Empty: nobody.
    TOTP_ROLES = frozenset(r.strip() for r in os.environ.get("QAMQOR_TOTP_ROLES", "").split(",") if r.strip())
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("QAMQOR_INSECURE_COOKIES") != "1"
    WTF_CSRF_TIME_LIMIT = None
    BABEL_DEFAULT_LOCALE = "ru"
    BABEL_DEFAULT_TIMEZONE = "Asia/Almaty"
