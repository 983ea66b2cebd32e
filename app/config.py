"""Configuration from the environment; nothing else reads os.environ.

Every setting an operator may change is declared once in ``SETTINGS``: its variable, the config key
the code reads, its default and why it exists. README's settings table is checked against this list
(tests/test_settings.py), so a setting cannot be read without being declared, nor declared without
being documented. A value that does not parse stops the service at start-up naming the variable,
rather than running with a default nobody chose.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

ROOT = Path(__file__).resolve().parent.parent


class SettingError(ValueError):
    """An environment variable holds a value its setting cannot use."""


@dataclass(frozen=True)
class Setting:
    env: str
    key: str
    default: Any
    parse: Callable[[str], Any]
    why: str


def _positive(kind: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse(text: str):
        value = kind(text)
        if value <= 0:
            raise ValueError("must be greater than 0")
        return value
    return parse


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError("must be 0 or more")
    return value


def _share(text: str) -> float:
    value = float(text)
    if not 0 < value < 1:
        raise ValueError("must be between 0 and 1, e.g. 0.25")
    return value


def _roles(text: str) -> frozenset[str]:
    return frozenset(r.strip() for r in text.split(",") if r.strip())


def _flag(text: str) -> bool:
    return text.strip() == "1"


def _smtp_url(text: str) -> str:
    from urllib.parse import urlsplit
    parts = urlsplit(text)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("expected smtp://host:port or smtps://host:port")
    parts.port  # noqa: B018  (a port that is not a number raises ValueError)
    return text


def _s3_url(text: str) -> str:
    from urllib.parse import urlsplit
    parts = urlsplit(text)
    if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
        raise ValueError("expected s3://bucket or s3://bucket/prefix")
    return text


def _http_url(text: str) -> str:
    from urllib.parse import urlsplit
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("expected http(s)://host[:port]")
    parts.port  # noqa: B018  (a port that is not a number raises ValueError)
    return text


def _sse(text: str) -> str:
    if text not in ("AES256", "aws:kms", "aws:kms:dsse"):
        raise ValueError("one of AES256, aws:kms, aws:kms:dsse")
    return text


def _database_url(url: str | None = None) -> str:
    url = os.environ.get("DATABASE_URL") if url is None else url
    if url:
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://"):]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    (ROOT / "instance").mkdir(exist_ok=True)
    return f"sqlite:///{ROOT / 'instance' / 'qamqor.db'}"


SETTINGS: tuple[Setting, ...] = (
    Setting("DATABASE_URL", "SQLALCHEMY_DATABASE_URI", None, _database_url,
            "PostgreSQL in production; unset, an SQLite file in instance/ for trying the service out"),
    Setting("SECRET_KEY", "SECRET_KEY", None, str,
            "signs session cookies and CSRF tokens: the same on every web process, or sign-ins do not carry over"),
    Setting("QAMQOR_MAX_UPLOAD_BYTES", "MAX_CONTENT_LENGTH", 8 * 1024 * 1024, _positive(int),
            "the largest request body (diagram and form uploads included); larger ones get 413"),
    Setting("QAMQOR_ACK_WINDOW_HOURS", "ACK_WINDOW_HOURS", 1.0, _positive(float),
            "\"immediately\" in the Guide: the window a receiving agency has to acknowledge a notification"),
    Setting("QAMQOR_MESSAGE_TTL_HOURS", "MESSAGE_TTL_HOURS", 24.0 * 30, _positive(float),
            "how long a message nobody waits for is kept waiting before it is marked expired"),
    Setting("QAMQOR_WORKER_POLL_SECONDS", "WORKER_POLL_SECONDS", 0.2, _positive(float),
            "how often `flask worker run` looks for due timers and pending messages"),
    Setting("QAMQOR_PROXY_HOPS", "PROXY_HOPS", 0, _non_negative_int,
            "reverse proxies in front of the service that set X-Forwarded-For/-Proto (0: trust no such header)"),
    Setting("QAMQOR_SCRIPT_TIME_LIMIT_SECONDS", "SCRIPT_TIME_LIMIT_SECONDS", 1.0, _positive(float),
            "wall-clock limit of one piece of diagram code; its sandbox process is killed past it"),
    Setting("QAMQOR_SCRIPT_MEMORY_MB", "SCRIPT_MEMORY_MB", 256, _positive(int),
            "memory cap of a sandbox process running diagram code"),
    Setting("QAMQOR_AUDIT_ANCHOR_MINUTES", "AUDIT_ANCHOR_MINUTES", 60.0, _positive(float),
            "how often the worker anchors the event log (a chained digest of every instance's last hash)"),
    Setting("QAMQOR_SESSION_IDLE_MINUTES", "SESSION_IDLE_MINUTES", 30.0, _positive(float),
            "a signed-in browser is signed out after this long without a request (kept on the server)"),
    Setting("QAMQOR_TOTP_ROLES", "TOTP_ROLES", frozenset(), _roles,
            "roles that sign in with an authenticator app's code after the password, e.g. admin,auditor"),
    Setting("QAMQOR_INSECURE_COOKIES", "INSECURE_COOKIES", False, _flag,
            "1 lets cookies travel over plain HTTP (local trials and tests only; never in production)"),
    Setting("QAMQOR_REPORT_PROCESS", "REPORT_PROCESS", "ch1_identification", str,
            "the process the staff pages' «register a report» button starts"),
    Setting("QAMQOR_SMTP_URL", "SMTP_URL", None, _smtp_url,
            "the SMTP server new work is announced through (smtp://host:port, smtps://, user:pass@, ?from=); unset, "
            "mails are written to the worker's console"),
    Setting("QAMQOR_DUE_SOON_WORKING_DAYS", "DUE_SOON_WORKING_DAYS", 1, _positive(int),
            "a task due by the end of this many working days from now is announced as «deadline near» once "
            "(urgent: sent whatever the recipient's preference), but see QAMQOR_DUE_SOON_SHARE"),
    Setting("QAMQOR_DUE_SOON_SHARE", "DUE_SOON_SHARE", 0.25, _share,
            "a short deadline is announced as near only once this share of its time is left (0.25: 15 minutes "
            "before a one-hour acknowledgement), so the warning never comes with the task itself"),
    Setting("QAMQOR_BASE_URL", "BASE_URL", "http://127.0.0.1:5000", str,
            "the service's address as staff reach it, for the links in e-mails"),
    Setting("QAMQOR_DOCUMENTS_DIR", "DOCUMENTS_DIR", str(ROOT / "instance" / "documents"), str,
            "the directory attached documents are stored in (outside the database)"),
    Setting("QAMQOR_DOCUMENT_MAX_BYTES", "DOCUMENT_MAX_BYTES", 5 * 1024 * 1024, _positive(int),
            "the largest document that may be attached (PDF, JPEG, PNG, DOCX); larger ones get 413"),
    Setting("QAMQOR_DOCUMENTS_URL", "DOCUMENTS_URL", None, _s3_url,
            "s3://bucket/prefix: documents go to this bucket of an S3-compatible store instead of "
            "QAMQOR_DOCUMENTS_DIR (credentials from the standard AWS_* variables)"),
    Setting("QAMQOR_S3_ENDPOINT", "S3_ENDPOINT", None, _http_url,
            "the S3-compatible service's address (MinIO, Ceph, a cloud's); unset, Amazon S3 itself"),
    Setting("QAMQOR_S3_SSE", "S3_SSE", None, _sse,
            "server-side encryption asked of the bucket for each document: AES256, aws:kms or aws:kms:dsse"),
    Setting("QAMQOR_S3_SSE_KMS_KEY_ID", "S3_SSE_KMS_KEY_ID", None, str,
            "the KMS key for QAMQOR_S3_SSE=aws:kms (unset: the bucket's default key)"),
)


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every declared setting's value: the variable's when set, else the default."""
    environ = os.environ if environ is None else environ
    values = {}
    for setting in SETTINGS:
        text = environ.get(setting.env)
        if text is None or text == "":
            values[setting.key] = setting.parse(None) if setting.env == "DATABASE_URL" else setting.default
            continue
        try:
            values[setting.key] = setting.parse(text)
        except ValueError as exc:
            raise SettingError(f"{setting.env}={text!r} cannot be used: {exc}") from None
    if values["SECRET_KEY"] is None:
        values["SECRET_KEY"] = secrets.token_hex(32)     # sessions then last as long as this process
    return values


class Config:
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    FORMS_DIR = str(ROOT / "forms")
    PROCESSES_DIR = str(ROOT / "processes")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    BABEL_DEFAULT_LOCALE = "ru"
    BABEL_DEFAULT_TIMEZONE = "Asia/Almaty"

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
        """The fixed values above and the declared settings, as a mapping for ``app.config``."""
        values = {k: v for k, v in vars(cls).items() if k.isupper()}
        values.update(from_environment(environ))
        values["SESSION_COOKIE_SECURE"] = not values["INSECURE_COOKIES"]
        return values
