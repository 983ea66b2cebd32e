"""Diagrams arrive in whatever encoding the author's tool wrote (UTF-16 with a byte order mark from
Windows editors, ISO-8859-1 from older tools); the service keeps and checks them as UTF-8.

Transcoding comes before anything else looks at the bytes: the DTD and entity checks search for
ASCII bytes, which a UTF-16 file does not contain, and the registry stores the text and hashes the
bytes, so a diagram saved in two encodings is one version.
"""
from __future__ import annotations

import codecs
import re

from .model import ModelInvalid, Problem

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_NO_BOM = ((b"<\0\0\0", "utf-32-le"), (b"\0\0\0<", "utf-32-be"), (b"<\0?\0", "utf-16-le"), (b"\0<\0?", "utf-16-be"))
_DECLARATION = re.compile(r"""^(\s*<\?xml[^>]*?\sencoding\s*=\s*)(["'])([A-Za-z][A-Za-z0-9._-]*)\2""")
_DECLARED_BYTES = re.compile(rb"""^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']""")


def _refuse(code: str, **params) -> ModelInvalid:
    return ModelInvalid([Problem.coded(None, code, **params)])


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise _refuse("encoding_unknown", encoding=name) from None


def as_utf8(data: bytes) -> bytes:
    """The diagram as UTF-8 bytes whose declaration says UTF-8; UTF-8 input comes back unchanged."""
    encoding, skip = None, 0
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding, skip = name, len(bom)
            break
    else:
        for head, name in _NO_BOM:
            if data.startswith(head):
                encoding = name
                break
    if encoding is None:
        declared = _DECLARED_BYTES.match(data[:1024])
        encoding = _codec(declared.group(1).decode("ascii")) if declared else "utf-8"
        if encoding.startswith(("utf-16", "utf-32")):
            raise _refuse("encoding_one_byte", encoding=declared.group(1).decode())
    if encoding == "utf-8":
        return data                       # stored and hashed exactly as uploaded, as before
    try:
        text = data[skip:].decode(encoding)
    except UnicodeDecodeError as exc:
        raise _refuse("encoding_invalid_bytes", encoding=encoding.upper(), byte=exc.start + skip) from None
    declared = _DECLARATION.match(text)
    if declared:
        name = _codec(declared.group(3))
        if name.startswith(("utf-16", "utf-32")) != encoding.startswith(("utf-16", "utf-32")):
            raise _refuse("encoding_mismatch", encoding=encoding.upper(), declared=declared.group(3))
        text = text[:declared.end(1)] + f"{declared.group(2)}UTF-8{declared.group(2)}" + text[declared.end():]
    return text.encode("utf-8")
