"""How an e-mail leaves: through the SMTP server ``QAMQOR_SMTP_URL`` names, or, unset, to the console.

smtp://host:port (plain, STARTTLS when the server offers it), smtps://host:port (TLS from the start);
user:password@ before the host to log in; ?from=address for the sender (default qamqor@localhost).
"""
from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Callable
from urllib.parse import parse_qs, unquote, urlsplit

Send = Callable[..., None]


def _message(sender: str, to: str, subject: str, body: str, message_id: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Date"] = formatdate(localtime=False)
    # one id per event and person: a receiving server that saw it already may drop a duplicate
    msg["Message-ID"] = make_msgid(idstring=message_id.replace(":", "-"), domain="qamqor")
    msg.set_content(body)
    return msg


def transport(url: str | None, *, say: Callable[[str], None] = print) -> Send:
    if not url:
        def to_console(*, to, subject, body, message_id):
            say(f"--- mail to {to}: {subject}\n{body}\n---")
        return to_console
    parts = urlsplit(url)
    sender = (parse_qs(parts.query).get("from") or ["qamqor@localhost"])[0]

    def smtp(*, to, subject, body, message_id):
        cls = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
        with cls(parts.hostname, parts.port or (465 if parts.scheme == "smtps" else 25), timeout=20) as conn:
            if parts.scheme == "smtp":
                conn.ehlo()
                if conn.has_extn("starttls"):
                    conn.starttls()
                    conn.ehlo()
            if parts.username:
                conn.login(unquote(parts.username), unquote(parts.password or ""))
            conn.send_message(_message(sender, to, subject, body, message_id))
    return smtp
