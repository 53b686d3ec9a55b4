"""Real parts for the email tests: an SMTP server (aiosmtpd on 127.0.0.1), a throwaway
PostgreSQL cluster, and shop apps on SQLite or PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from ..conftest import DEMO_POLICY, PLUGIN_CATALOGUE, Clock

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PUBLIC_URL = "https://shop.example"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- SMTP --------------------------------------------------------------------------------------


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


@dataclass
class Behaviour:
    """How the test server answers: a delay before the final reply, and fixed replies for
    some recipients (``{"busy@x": "451 4.3.0 try later"}``)."""

    delay: float = 0.0
    replies: dict[str, str] = field(default_factory=dict)


class RecordingHandler:
    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.received: list[Received] = []
        self.lock = threading.Lock()

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        reply = self.behaviour.replies.get(address)
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        data = envelope.original_content or b""
        with self.lock:
            self.received.append(
                Received(str(envelope.mail_from), list(envelope.rcpt_tos), bytes(data))
            )
        if self.behaviour.delay:
            await asyncio.sleep(self.behaviour.delay)  # accepted, but the reply is slow
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, **controller_options: Any) -> None:
        self.behaviour = Behaviour()
        self.handler = RecordingHandler(self.behaviour)
        self.port = free_port()
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, **controller_options
        )

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?timeout=10"

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.received) >= count:
                return self.received
            time.sleep(0.02)
        raise AssertionError(f"expected {count} messages, got {len(self.received)}")


@contextlib.contextmanager
def smtp_server(**options: Any) -> Iterator[SmtpServer]:
    server = SmtpServer(**options)
    server.controller.start()
    try:
        yield server
    finally:
        server.controller.stop()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A recording SMTP server on 127.0.0.1 for one test (import it into a test module)."""
    with smtp_server() as server:
        yield server


# --- PostgreSQL --------------------------------------------------------------------------------


def _ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


class PostgresCluster:
    """A throwaway cluster in a temporary folder, on 127.0.0.1 and a free port."""

    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            raise FileNotFoundError("no PostgreSQL server binaries in /usr/lib/postgresql")
        self.bin = Path(found[-1]).parent
        self.folder = Path(tempfile.mkdtemp(prefix="defenceline-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--no-sync")  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                  str(self.folder / "log"), "-w", "start")  # fmt: skip
        self._counter = 0

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.folder)

    def admin_url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        import psycopg

        self._counter += 1
        name = f"shop{self._counter}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return self.admin_url(name)

    def stop(self) -> None:
        if not self.folder.exists():  # already stopped
            return
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    """The session's PostgreSQL cluster (skips locally without PostgreSQL; CI has it)."""
    # Test modules import this fixture, so pytest may set it up once per module: each gets
    # its own cluster and stops exactly that one.
    try:
        cluster = PostgresCluster()
    except (FileNotFoundError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        pytest.skip(f"PostgreSQL is not available: {exc} {detail.decode(errors='replace')}")
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new database of each kind the plugin supports: SQLite in the test's folder, then one
    on the session's PostgreSQL cluster (test modules import it as they import `postgres`)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    return str(request.getfixturevalue("postgres").new_database())


API = "/defenceline/api/v1"


def api_post(client: FlaskClient, path: str, body: Any, headers: dict[str, str] = AUTH) -> Any:
    """POST `body` as JSON to the plugin's API at `path` (under `API`), with the write token
    unless `headers` say otherwise."""
    return client.post(API + path, json=body, headers=headers)


def stored_rows(shop: Flask, model: Any) -> list[Any]:
    """Every row of the table `model` maps, as the shop's database holds it now."""
    from defenceline.plugin import state

    with shop.app_context(), state().storage.sessions()() as session:
        return list(session.scalars(select(model)))


# --- apps --------------------------------------------------------------------------------------


def shop_config(database_url: str, mail_url: str | None, **extra: Any) -> dict[str, Any]:
    return {
        "TESTING": True,
        "DEFENCELINE_POLICY": str(DEMO_POLICY),
        "DEFENCELINE_DATABASE_URL": database_url,
        "DEFENCELINE_API_TOKEN": TOKEN,
        "DEFENCELINE_PUBLIC_URL": PUBLIC_URL,
        "DEFENCELINE_SECRET_KEY": "test secret key, long enough to sign links",
        "DEFENCELINE_MAIL_URL": mail_url,
        **extra,
    }


def build_shop(
    folder: Path, database_url: str, mail_url: str | None, clock: Clock | None, **extra: Any
) -> Flask:
    from defenceline.plugin import DefenceLine, state
    from defenceline.plugin.catalogue import read_catalogue_file

    app = Flask("shop", instance_path=str(folder / "instance"))
    app.config.update(shop_config(database_url, mail_url, **extra))
    if clock is not None:
        app.config["DEFENCELINE_CLOCK"] = clock
    DefenceLine(app)
    catalogue_file = folder / "catalogue.json"
    catalogue_file.write_text(json.dumps(PLUGIN_CATALOGUE), encoding="utf-8")
    with app.app_context():
        state().catalogue.replace_products(read_catalogue_file(catalogue_file))  # type: ignore[attr-defined]
    return app


# A module a sender process imports: the same shop, configured from environment variables.
SENDER_APP = """
import datetime as dt, json, os
from flask import Flask
from defenceline.plugin import DefenceLine

def create_app():
    app = Flask("shop", instance_path=os.environ["SHOP_INSTANCE"])
    app.config.update(json.loads(os.environ["SHOP_CONFIG"]))
    DefenceLine(app)
    return app
"""


def sender_command(
    folder: Path, config: dict[str, Any], *args: str
) -> tuple[list[str], dict[str, str]]:
    """``flask defenceline send-due …`` for a separate process, and its environment."""
    (folder / "shopapp.py").write_text(SENDER_APP, encoding="utf-8")
    env = dict(os.environ)
    env.update(
        SHOP_INSTANCE=str(folder / "instance"),
        SHOP_CONFIG=json.dumps(config),
        PYTHONPATH=str(folder),
        FLASK_APP="shopapp:create_app",
    )
    return [str(Path(sys.executable).parent / "flask"), "defenceline", "send-due", *args], env
