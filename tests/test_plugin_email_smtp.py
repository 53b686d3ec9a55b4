"""Handing mail over: SMTP with STARTTLS and authentication, SMTP over TLS, the console
backend, and `DEFENCELINE_MAIL_URL` errors — against aiosmtpd with a test CA (trustme)."""

from __future__ import annotations

import io
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.smtp import AuthResult, LoginPassword
from flask import Flask

from defenceline.plugin import DefenceLine
from defenceline.plugin.emails.mailer import (
    MailConfigError,
    PermanentFailure,
    TemporaryFailure,
    open_connection,
    parse_mail_url,
)

from .plugin_email import SmtpServer, shop_config, smtp_server

MESSAGE = b"From: shop@trapkracht.nl\r\nTo: jan@trapkracht.nl\r\nSubject: hi\r\n\r\nHello\r\n"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def cafile(ca: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


def _server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context


def _authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, data: Any
) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        b"shop",
        b"p@ss word",
    )
    return AuthResult(success=ok)


@pytest.fixture
def starttls_server(ca: trustme.CA) -> Iterator[SmtpServer]:
    with smtp_server(
        tls_context=_server_context(ca),
        require_starttls=True,
        authenticator=_authenticator,
        auth_required=True,
        auth_require_tls=True,
    ) as server:
        yield server


def test_starttls_with_authentication_delivers(starttls_server: SmtpServer, cafile: str) -> None:
    url = (
        f"smtp://shop:p%40ss%20word@127.0.0.1:{starttls_server.port}"
        f"?starttls=true&cafile={cafile}&timeout=5"
    )
    transport = parse_mail_url(url)
    assert transport.security == "starttls" and transport.password == "p@ss word"
    with open_connection(transport) as connection:
        reply = connection.send("shop@trapkracht.nl", "jan@trapkracht.nl", MESSAGE)
    assert reply.startswith("250")
    [mail] = starttls_server.received
    assert mail.recipients == ["jan@trapkracht.nl"]


def send_failure(url: str) -> str:
    """What handing one message to `url` fails with (it must fail temporarily)."""
    with (
        open_connection(parse_mail_url(url)) as connection,
        pytest.raises(TemporaryFailure) as caught,
    ):
        connection.send("shop@trapkracht.nl", "jan@trapkracht.nl", MESSAGE)
    return str(caught.value)


def test_a_wrong_password_is_a_temporary_failure_naming_the_server(
    starttls_server: SmtpServer, cafile: str
) -> None:
    url = f"smtp://shop:wrong@127.0.0.1:{starttls_server.port}?starttls=true&cafile={cafile}&timeout=2"
    failure = send_failure(url)
    assert f"smtp://shop@127.0.0.1:{starttls_server.port} (STARTTLS)" in failure
    assert "wrong" not in failure  # never the password
    assert starttls_server.received == []


def test_an_untrusted_certificate_is_refused(starttls_server: SmtpServer) -> None:
    url = f"smtp://shop:p%40ss%20word@127.0.0.1:{starttls_server.port}?starttls=true"
    failure = send_failure(url)
    assert "CERTIFICATE_VERIFY_FAILED" in failure


def test_smtps_delivers_over_tls_from_the_first_byte(ca: trustme.CA, cafile: str) -> None:
    with smtp_server(ssl_context=_server_context(ca)) as server:
        url = f"smtps://127.0.0.1:{server.port}?cafile={cafile}&timeout=5"
        with open_connection(parse_mail_url(url)) as connection:
            connection.send("shop@trapkracht.nl", "jan@trapkracht.nl", MESSAGE)
        assert len(server.received) == 1


def test_one_connection_carries_a_batch_and_survives_a_refused_recipient() -> None:
    with smtp_server() as server:
        server.behaviour.replies["gone@trapkracht.nl"] = "550 5.1.1 No such user"
        with open_connection(parse_mail_url(server.url)) as connection:
            connection.send("shop@trapkracht.nl", "a@trapkracht.nl", MESSAGE)
            with pytest.raises(PermanentFailure) as caught:
                connection.send("shop@trapkracht.nl", "gone@trapkracht.nl", MESSAGE)
            connection.send("shop@trapkracht.nl", "b@trapkracht.nl", MESSAGE)
        assert caught.value.code == 550
        assert [r.recipients for r in server.received] == [["a@trapkracht.nl"], ["b@trapkracht.nl"]]


def test_console_backend_prints_the_message() -> None:
    stream = io.StringIO()
    with open_connection(parse_mail_url("console"), stream) as connection:
        reply = connection.send("shop@trapkracht.nl", "jan@trapkracht.nl", MESSAGE)
    assert reply.startswith("250")
    assert "RCPT TO:<jan@trapkracht.nl>" in stream.getvalue()
    assert "Subject: hi" in stream.getvalue()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("smtpx://host", "unknown scheme 'smtpx'"),
        ("smtp://", "no host"),
        ("smtp://host:99999", "the port is not a number from 1 to 65535"),
        ("smtp://host?tls=1", "unknown option(s) tls"),
        ("smtp://host?starttls=maybe", "starttls='maybe'; expected true or false"),
        ("smtps://host?starttls=true", "smtps:// is TLS from the start"),
        ("smtp://host?timeout=0", "timeout='0'; expected seconds between 0 and 600"),
        ("smtp://u:secret@host?bogus=1", "smtp://u:***@host"),
    ],
)
def test_mail_url_errors_say_what_was_expected(url: str, message: str) -> None:
    with pytest.raises(MailConfigError) as caught:
        parse_mail_url(url)
    assert message in str(caught.value)
    assert "secret" not in str(caught.value)


def test_default_ports_follow_the_security() -> None:
    assert parse_mail_url("smtp://mail.example").port == 25
    assert parse_mail_url("smtp://mail.example?starttls=true").port == 587
    assert parse_mail_url("smtps://mail.example").port == 465


@pytest.mark.parametrize(
    "url",
    [
        "smtp://shop:secret@mail.example:587",
        "smtp://shop:secret@mail.example:25?starttls=false",
        "smtp://shop:secret@10.0.0.5",
        "smtp://shop@mail.example",
    ],
)
def test_a_password_for_a_remote_server_without_tls_stops_the_app_at_start_up(
    url: str, tmp_path: Path
) -> None:
    app = Flask("shop", instance_path=str(tmp_path))
    app.config.update(shop_config(f"sqlite:///{tmp_path / 'db.sqlite3'}", url))
    with pytest.raises(MailConfigError) as caught:
        DefenceLine(app)
    message = str(caught.value)
    assert "DEFENCELINE_MAIL_URL" in message and "unencrypted" in message
    assert "starttls=true" in message and "smtps://" in message
    assert "secret" not in message


@pytest.mark.parametrize(
    "host", ["localhost", "127.0.0.1", "127.0.0.2", "[::1]"], ids=["name", "v4", "v4-net", "v6"]
)
def test_plain_smtp_with_a_password_is_allowed_to_this_machine(host: str) -> None:
    transport = parse_mail_url(f"smtp://shop:secret@{host}:2525")
    assert transport.security == "none" and transport.username == "shop"


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_plain_smtp_with_a_password_to_a_local_relay_delivers() -> None:
    with smtp_server(
        authenticator=_authenticator, auth_required=True, auth_require_tls=False
    ) as server:
        url = f"smtp://shop:p%40ss%20word@127.0.0.1:{server.port}?timeout=5"
        with open_connection(parse_mail_url(url)) as connection:
            connection.send("shop@trapkracht.nl", "jan@trapkracht.nl", MESSAGE)
        assert len(server.received) == 1


def test_a_server_that_offers_no_starttls_never_gets_the_password() -> None:
    seen: list[bytes] = []

    def record(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        seen.append(bytes(getattr(data, "password", b"")))
        return AuthResult(success=True)

    with smtp_server(authenticator=record, auth_require_tls=False) as server:
        url = f"smtp://shop:secret@127.0.0.1:{server.port}?starttls=true&timeout=5"
        failure = send_failure(url)
    assert "STARTTLS" in failure
    assert seen == [] and server.received == []
