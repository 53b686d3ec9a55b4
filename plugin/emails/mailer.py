"""Handing messages to a mail server: SMTP from the standard library, or the console.

`DEFENCELINE_MAIL_URL` says where mail goes:

* ``smtp://user:password@host:587?starttls=true`` — SMTP, upgraded with STARTTLS (the usual
  submission port 587);
* ``smtps://user:password@host:465`` — SMTP over TLS from the first byte;
* ``smtp://localhost:25`` — plain SMTP to a local relay (with a user name only to localhost,
  127.0.0.0/8 or ``::1``: credentials never cross the network unencrypted);
* ``console`` — print each message to standard output (development).

Query options: ``timeout`` (seconds per network operation, default 30), ``cafile`` (a PEM file
of certificate authorities to trust, for a private CA), ``verify=false`` (skip certificate
checks; for a development relay only). User name and password are percent-decoded, so a ``@``
in a password is written ``%40``.

Every failure is classified for the outbox, which owns retries:

* `TemporaryFailure` — the message was certainly **not** delivered: a 4xx reply, a connection
  that could not be made or broke before the message was handed over. Retried with backoff.
* `PermanentFailure` — a 5xx reply (unknown recipient, rejected content). Recorded, never
  retried: a retry would get the same answer and harm the sender's reputation.
* `UnconfirmedDelivery` — the connection broke (or timed out) while the message itself was
  being transferred or its final reply awaited. The server may or may not have accepted it;
  the outbox counts this like a sender that crashed mid-send (see
  `defenceline.plugin.emails.outbox`).
"""

from __future__ import annotations

import contextlib
import ipaddress
import smtplib
import ssl
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal, Protocol, TextIO
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = [
    "Connection",
    "DeliveryError",
    "MailConfigError",
    "MailTransport",
    "PermanentFailure",
    "TemporaryFailure",
    "UnconfirmedDelivery",
    "open_connection",
    "parse_mail_url",
]

DEFAULT_TIMEOUT = 30.0


class MailConfigError(RuntimeError):
    """`DEFENCELINE_MAIL_URL` cannot be understood; the message says what was expected."""


class DeliveryError(Exception):
    """A message was not (known to be) accepted; `code` is the SMTP reply code, if any."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class TemporaryFailure(DeliveryError):
    """Certainly not delivered; worth trying again later."""


class PermanentFailure(DeliveryError):
    """Refused for good (5xx); never retried."""


class UnconfirmedDelivery(DeliveryError):
    """The connection failed while the message was being transferred: it may have arrived."""


@dataclass(frozen=True)
class MailTransport:
    kind: Literal["smtp", "console"]
    host: str = ""
    port: int = 0
    username: str | None = None
    password: str | None = None
    security: Literal["none", "starttls", "ssl"] = "none"
    timeout: float = DEFAULT_TIMEOUT
    cafile: str | None = None
    verify: bool = True

    def describe(self) -> str:
        """Where mail goes, without the password (for logs and the CLI)."""
        if self.kind == "console":
            return "console"
        user = f"{self.username}@" if self.username else ""
        extra = {"starttls": " (STARTTLS)", "ssl": " (TLS)", "none": ""}[self.security]
        return f"smtp://{user}{self.host}:{self.port}{extra}"


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _flag(query: dict[str, list[str]], name: str, default: bool, url: str) -> bool:
    if name not in query:
        return default
    value = query[name][-1].strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise MailConfigError(
        f"DEFENCELINE_MAIL_URL {_redacted(url)!r}: {name}={value!r}; expected true or false"
    )


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def parse_mail_url(url: str) -> MailTransport:
    """Read `DEFENCELINE_MAIL_URL`; `MailConfigError` names what is wrong (never the password)."""
    text = url.strip()
    if text in {"console", "console:", "console://"}:
        return MailTransport(kind="console")
    parts = urlsplit(text)
    if parts.scheme not in {"smtp", "smtps"}:
        raise MailConfigError(
            f"DEFENCELINE_MAIL_URL {_redacted(text)!r}: unknown scheme {parts.scheme!r}; expected "
            "'smtp://user:pass@host:587?starttls=true', 'smtps://user:pass@host:465' or 'console'"
        )
    if not parts.hostname:
        raise MailConfigError(
            f"DEFENCELINE_MAIL_URL {_redacted(text)!r}: no host; expected e.g. "
            "'smtp://mail.example:587?starttls=true'"
        )
    try:
        port = parts.port
    except ValueError:
        raise MailConfigError(
            f"DEFENCELINE_MAIL_URL {_redacted(text)!r}: the port is not a number from 1 to 65535"
        ) from None
    query = parse_qs(parts.query, keep_blank_values=True)
    known = {"starttls", "timeout", "cafile", "verify"}
    unknown = sorted(set(query) - known)
    if unknown:
        raise MailConfigError(
            f"DEFENCELINE_MAIL_URL {_redacted(text)!r}: unknown option(s) {', '.join(unknown)}; "
            f"expected {', '.join(sorted(known))}"
        )
    starttls = _flag(query, "starttls", False, text)
    if parts.scheme == "smtps" and starttls:
        raise MailConfigError(
            f"DEFENCELINE_MAIL_URL {_redacted(text)!r}: smtps:// is TLS from the start; "
            "starttls=true is for smtp:// (port 587)"
        )
    timeout = DEFAULT_TIMEOUT
    if "timeout" in query:
        try:
            timeout = float(query["timeout"][-1])
        except ValueError:
            timeout = -1
        if not 0 < timeout <= 600:
            raise MailConfigError(
                f"DEFENCELINE_MAIL_URL {_redacted(text)!r}: timeout={query['timeout'][-1]!r}; "
                "expected seconds between 0 and 600"
            )
    security: Literal["none", "starttls", "ssl"] = (
        "ssl" if parts.scheme == "smtps" else "starttls" if starttls else "none"
    )
    if parts.username and security == "none" and not _is_loopback(parts.hostname):
        raise MailConfigError(
            f"DEFENCELINE_MAIL_URL {_redacted(text)!r}: the user name and password would cross "
            f"the network to {parts.hostname} unencrypted; add ?starttls=true (port 587) or use "
            "smtps:// (port 465). Plain SMTP with a password is allowed only to localhost."
        )
    return MailTransport(
        kind="smtp",
        host=parts.hostname,
        port=port or (465 if security == "ssl" else 587 if starttls else 25),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        security=security,
        timeout=timeout,
        cafile=query["cafile"][-1] if "cafile" in query else None,
        verify=_flag(query, "verify", True, text),
    )


def _is_loopback(host: str) -> bool:
    """This machine: ``localhost``, 127.0.0.0/8 or ``::1`` (a relay on the same host)."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # any other name may resolve anywhere


class Connection(Protocol):
    """An open way to hand messages over; `send` returns the server's reply."""

    def send(self, sender: str, recipient: str, message: bytes) -> str: ...

    def close(self) -> None: ...


class ConsoleConnection:
    """Prints messages instead of sending them (``DEFENCELINE_MAIL_URL = "console"``)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream

    def send(self, sender: str, recipient: str, message: bytes) -> str:
        stream = self._stream or sys.stdout
        rule = "-" * 72
        stream.write(f"{rule}\nMAIL FROM:<{sender}> RCPT TO:<{recipient}>\n")
        stream.write(message.decode("utf-8", "replace").replace("\r\n", "\n"))
        stream.write(f"\n{rule}\n")
        stream.flush()
        return "250 printed to the console"

    def close(self) -> None:
        return None


def _reply(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return f"{code} {text}".strip()


def _failure(code: int, reply: bytes | str, what: str) -> DeliveryError:
    message = f"{what}: {_reply(code, reply)}"
    if 400 <= code < 500:
        return TemporaryFailure(message, code)
    return PermanentFailure(message, code)


class SmtpConnection:
    """One SMTP session, opened lazily and re-opened after a failure, for a batch of messages.

    Each message goes through MAIL, RCPT and DATA separately so that a failure is classified by
    where it happened: before DATA nothing can have been delivered; during DATA it may have.
    """

    def __init__(self, transport: MailTransport) -> None:
        self._transport = transport
        self._smtp: smtplib.SMTP | None = None

    def _context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self._transport.cafile)
        if not self._transport.verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def _open(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        t = self._transport
        smtp: smtplib.SMTP | None = None
        try:
            if t.security == "ssl":
                smtp = smtplib.SMTP_SSL(t.host, t.port, timeout=t.timeout, context=self._context())
            else:
                smtp = smtplib.SMTP(t.host, t.port, timeout=t.timeout)
            smtp.ehlo()
            if t.security == "starttls":
                smtp.starttls(context=self._context())
                smtp.ehlo()
            if t.username:
                smtp.login(t.username, t.password or "")
        except (smtplib.SMTPException, OSError) as exc:
            if smtp is not None:
                _quietly_close(smtp)
            # Nothing was handed over; a wrong password or a server that is down is fixed by
            # the shop, after which the messages go out, so this is never a permanent failure.
            raise TemporaryFailure(
                f"cannot open an SMTP session to {t.describe()}: {_describe(exc)}",
                getattr(exc, "smtp_code", None),
            ) from exc
        self._smtp = smtp
        return smtp

    def _drop(self) -> None:
        if self._smtp is not None:
            _quietly_close(self._smtp)
            self._smtp = None

    def send(self, sender: str, recipient: str, message: bytes) -> str:
        smtp = self._open()
        options: list[str] = []
        if not (sender + recipient).isascii():
            if not smtp.has_extn("smtputf8"):
                raise PermanentFailure(
                    f"the server {self._transport.describe()} does not accept internationalised "
                    f"addresses (no SMTPUTF8), so {recipient!r} cannot be reached through it"
                )
            options = ["SMTPUTF8", "BODY=8BITMIME"]
        try:
            code, reply = smtp.mail(sender, options)
            if code != 250:
                self._reset()
                raise _failure(code, reply, f"MAIL FROM:<{sender}>")
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                self._reset()
                raise _failure(code, reply, f"RCPT TO:<{recipient}>")
        except (smtplib.SMTPException, OSError) as exc:
            if isinstance(exc, smtplib.SMTPResponseException):
                self._drop()
                raise _failure(exc.smtp_code, exc.smtp_error, "SMTP") from exc
            self._drop()
            raise TemporaryFailure(f"before DATA: {_describe(exc)}") from exc
        try:
            code, reply = smtp.data(message)
        except smtplib.SMTPDataError as exc:  # refused before the message was sent (not 354)
            self._reset()
            raise _failure(exc.smtp_code, exc.smtp_error, "DATA") from exc
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise UnconfirmedDelivery(f"during DATA: {_describe(exc)}") from exc
        if code != 250:
            self._reset()
            raise _failure(code, reply, "end of DATA")
        return _reply(code, reply)

    def _reset(self) -> None:
        try:
            if self._smtp is not None:
                self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self._drop()


def _quietly_close(smtp: smtplib.SMTP) -> None:
    with contextlib.suppress(OSError):
        smtp.close()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reply(exc.smtp_code, exc.smtp_error)
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if text != type(exc).__name__ else text


@contextmanager
def open_connection(transport: MailTransport, stream: TextIO | None = None) -> Iterator[Connection]:
    """A connection for a batch; closed (QUIT) at the end."""
    connection: Connection = (
        ConsoleConnection(stream) if transport.kind == "console" else SmtpConnection(transport)
    )
    try:
        yield connection
    finally:
        connection.close()
