"""Where a document's bytes live: a directory (``QAMQOR_DOCUMENTS_DIR``) or an S3-compatible bucket
(``QAMQOR_DOCUMENTS_URL=s3://bucket/prefix``), behind one interface — ``put`` (returns a new key),
``get``, ``delete``, ``exists``. Objects are named by a random key, never by the uploaded name, which may
hold a child's name or a path.

A write is whole or absent in both: the directory writes a temporary file, fsyncs and renames it; S3's
PUT makes an object appear only once all of it arrived (and checked against its Content-MD5). That is
what lets the service store the file *before* it commits the document's row (app/documents/service.py):
a failed store leaves no row; a failed commit deletes the new object.
"""
from __future__ import annotations

import base64
import hashlib
import logging
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from ..errors import DomainError

log = logging.getLogger(__name__)


class StoreFailed(DomainError):
    """The store refused or could not be reached: nothing was stored (503, the service is fine otherwise)."""
    status, title = 503, "Service unavailable"


class Missing(LookupError):
    """No object under the key (a row whose file went away)."""


class Store(Protocol):
    def put(self, data: bytes) -> str: ...
    def get(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...


def _new_key() -> str:
    return secrets.token_hex(16)


def _checked(key: str) -> str:
    if not key.isalnum():
        raise ValueError("bad storage key")
    return key


class DirectoryStore:
    def __init__(self, root: str):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        key = _checked(key)
        return self.root / key[:2] / key

    def put(self, data: bytes) -> str:
        key = _new_key()
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".part")
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)         # whole or absent: a reader never sees half a file
        except OSError as exc:
            log.warning("document directory refused a write: %s", type(exc).__name__)
            raise StoreFailed("document_store_failed", {"reason": type(exc).__name__}) from None
        return key

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise Missing(key) from None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()


class S3Store:
    """A bucket of any S3-compatible service. Credentials come the standard AWS way (``AWS_ACCESS_KEY_ID``,
    ``AWS_SECRET_ACCESS_KEY``, ``AWS_SESSION_TOKEN``, ``AWS_DEFAULT_REGION``, a profile or an instance role),
    read by boto3 itself so no secret passes through our settings. ``sse`` (``AES256`` or ``aws:kms``, with
    ``kms_key`` for the latter) asks the service to encrypt each object at rest."""

    def __init__(self, url: str, *, endpoint: str | None = None, sse: str | None = None, kms_key: str | None = None):
        parts = urlsplit(url)
        self.bucket = parts.netloc
        self.prefix = parts.path.strip("/")
        self.endpoint, self.sse, self.kms_key = endpoint, sse, kms_key

    @property
    def client(self):
        return _client(self.endpoint)

    def _key(self, key: str) -> str:
        key = _checked(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def _failed(self, exc: Exception, doing: str) -> StoreFailed:
        from botocore.exceptions import ClientError
        if isinstance(exc, ClientError):
            reason = exc.response.get("Error", {}).get("Code") or "ClientError"
        else:
            reason = "unreachable" if "Connect" in type(exc).__name__ else type(exc).__name__
        # the bucket and the error code only: the key says nothing, the object's name was never the upload's
        log.warning("document store %s failed on bucket %s: %s", doing, self.bucket, reason)
        return StoreFailed("document_store_failed", {"reason": reason})

    def put(self, data: bytes) -> str:
        from botocore.exceptions import BotoCoreError, ClientError
        key = _new_key()
        extra = {}
        if self.sse:
            extra["ServerSideEncryption"] = self.sse
            if self.kms_key:
                extra["SSEKMSKeyId"] = self.kms_key
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data,
                                   ContentMD5=base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode(),
                                   ContentType="application/octet-stream", **extra)
        except (BotoCoreError, ClientError) as exc:
            raise self._failed(exc, "write") from None
        return key

    def get(self, key: str) -> bytes:
        from botocore.exceptions import BotoCoreError, ClientError
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise Missing(key) from None
            raise self._failed(exc, "read") from None
        except BotoCoreError as exc:
            raise self._failed(exc, "read") from None

    def delete(self, key: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._key(key))
        except (BotoCoreError, ClientError) as exc:
            raise self._failed(exc, "delete") from None

    def exists(self, key: str) -> bool:
        from botocore.exceptions import BotoCoreError, ClientError
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            return True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return False
            raise self._failed(exc, "check") from None
        except BotoCoreError as exc:
            raise self._failed(exc, "check") from None


@lru_cache(maxsize=8)
def _client(endpoint: str | None):
    """One client per endpoint and process (a new one costs tens of milliseconds; clients are thread-safe).
    Checksums only when the operation needs them: S3-compatible services differ in the newer ones, and
    Content-MD5 already guards each upload. Short timeouts and three attempts: an upload waits seconds, not
    minutes, before the person is told the store is away."""
    import boto3
    from botocore.config import Config
    session = boto3.session.Session()
    # MinIO and most S3-compatible services ignore the region but the signature needs one
    region = session.region_name or ("us-east-1" if endpoint else None)
    return session.client(
        "s3", endpoint_url=endpoint, region_name=region,
        config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"},
                      request_checksum_calculation="when_required", response_checksum_validation="when_required",
                      s3={"addressing_style": "path" if endpoint else "auto"}))


def store_for(config) -> Store:
    """The store the settings choose: the bucket of ``DOCUMENTS_URL`` when set, else ``DOCUMENTS_DIR``."""
    if config.get("DOCUMENTS_URL"):
        return S3Store(config["DOCUMENTS_URL"], endpoint=config.get("S3_ENDPOINT"), sse=config.get("S3_SSE"),
                       kms_key=config.get("S3_SSE_KMS_KEY_ID"))
    return DirectoryStore(config["DOCUMENTS_DIR"])
