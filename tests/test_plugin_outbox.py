"""The outbox under stress: several sender processes at once, a sender killed mid-batch, lost
leases, temporary and permanent SMTP failures — on SQLite and PostgreSQL, against aiosmtpd.

The guarantee these tests hold the outbox to (see `defenceline.plugin.emails.outbox`): without a
crash every message is delivered exactly once; a message is never lost; a message whose
hand-over was interrupted is delivered again at most once, with the same Message-ID.
"""

from __future__ import annotations

import collections
import datetime as dt
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from defenceline.plugin import state
from defenceline.plugin.cart.tracking import CartIn, track_cart
from defenceline.plugin.emails.dispatch import send_due
from defenceline.plugin.emails.mailer import parse_mail_url
from defenceline.plugin.emails.outbox import OutboxRow, claim, deliver
from defenceline.plugin.emails.reminders import schedule_reminders

from .conftest import Clock
from .plugin_email import (
    SmtpServer,
    build_shop,
    database_url,
    postgres,
    sender_command,
    shop_config,
    smtp_server,
)

__all__ = ["database_url", "postgres"]

START = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)  # 15:00 in Amsterdam
DUE = START + dt.timedelta(hours=1)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


def fill_carts(app: Flask, count: int) -> list[str]:
    """`count` abandoned carts of consenting shoppers, all due at `DUE`."""
    addresses = [f"shopper{n:04d}@trapkracht.nl" for n in range(count)]
    with app.app_context():
        st = state()
        for n, address in enumerate(addresses):
            cart = CartIn.model_validate(
                {
                    "lines": [{"sku": "LAMP-1", "quantity": 1 + n % 3}],
                    "email": address,
                    "consent": True,
                    "timezone": "Europe/Amsterdam",
                    "locale": "nl",
                }
            )
            track_cart(st.storage, st.email, "Europe/Amsterdam", f"c{n}", cart, START, "test")
    return addresses


def rows(app: Flask) -> list[OutboxRow]:
    with app.app_context(), state().storage.sessions()() as session:
        return list(session.scalars(select(OutboxRow).order_by(OutboxRow.id)))


def spawn(folder: Path, config: dict[str, Any], *args: str) -> subprocess.Popen[bytes]:
    command, env = sender_command(folder, config, *args)
    return subprocess.Popen(
        command, env=env, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


# --- several senders at once -------------------------------------------------------------------


def test_concurrent_sender_processes_send_every_reminder_exactly_once(
    tmp_path: Path, database_url: str, smtp: SmtpServer
) -> None:
    app = build_shop(tmp_path, database_url, smtp.url, Clock(START))
    addresses = fill_carts(app, 240)
    config = shop_config(database_url, smtp.url)
    senders = [spawn(tmp_path, config, "--now", DUE.isoformat()) for _ in range(4)]
    for sender in senders:
        _, err = sender.communicate(timeout=240)
        assert sender.returncode == 0, err.decode()
    received = collections.Counter(r.recipients[0] for r in smtp.received)
    assert received == collections.Counter(addresses)  # each address exactly one email
    message_ids = [r.message_id for r in smtp.received]
    assert len(set(message_ids)) == len(addresses)
    outbox = rows(app)
    assert len(outbox) == len(addresses)
    assert {row.status for row in outbox} == {"sent"}
    assert {row.message_id for row in outbox} == set(message_ids)
    # More than one process really took part (claims were shared, not serialised away).
    assert len({row.claimed_by for row in outbox}) >= 2 or len(addresses) < 50


# --- a sender killed mid-batch -----------------------------------------------------------------


def test_sender_killed_mid_batch_loses_nothing_and_repeats_only_the_message_in_flight(
    tmp_path: Path, database_url: str, smtp: SmtpServer
) -> None:
    app = build_shop(tmp_path, database_url, smtp.url, Clock(START))
    addresses = fill_carts(app, 30)
    config = shop_config(database_url, smtp.url, DEFENCELINE_MAIL_LEASE="2m")
    smtp.behaviour.delay = 1.0  # the server takes the message, then is slow to say 250
    sender = spawn(tmp_path, config, "--now", DUE.isoformat())
    try:
        smtp.wait_for(6, timeout=120)
    finally:
        os.kill(sender.pid, signal.SIGKILL)  # in the middle of waiting for the 6th reply
        sender.wait(timeout=30)
    in_flight = smtp.received[-1].message_id
    before = rows(app)
    assert len(before) == len(addresses)  # every message was a row before any was sent
    assert sum(row.status == "sent" for row in before) == 5
    [interrupted] = [row for row in before if row.unconfirmed == 1]
    assert interrupted.message_id == in_flight and interrupted.status == "sending"

    # A new sender inside the dead one's lease leaves its rows alone...
    smtp.behaviour.delay = 0.0
    early = spawn(tmp_path, config, "--now", (DUE + dt.timedelta(minutes=1)).isoformat())
    assert early.wait(timeout=120) == 0
    assert len(smtp.received) == 6
    # ...and one after it sends the rest, the interrupted one again with its Message-ID.
    later = spawn(tmp_path, config, "--now", (DUE + dt.timedelta(minutes=3)).isoformat())
    assert later.wait(timeout=120) == 0

    counts = collections.Counter(r.message_id for r in smtp.received)
    outbox = rows(app)
    assert {row.status for row in outbox} == {"sent"}  # nothing lost
    assert set(counts) == {row.message_id for row in outbox}
    # Exactly the guarantee: the message in flight twice, every other one once.
    assert counts[in_flight] == 2
    assert all(n == 1 for message_id, n in counts.items() if message_id != in_flight)
    first, second = [r.data for r in smtp.received if r.message_id == in_flight]
    assert first == second  # byte for byte the same message
    [again] = [row for row in outbox if row.message_id == in_flight]
    assert again.unconfirmed == 1  # one attempt whose outcome nobody knew


def test_a_message_unconfirmed_twice_is_failed_not_sent_a_third_time(
    tmp_path: Path, database_url: str, smtp: SmtpServer
) -> None:
    app = build_shop(tmp_path, database_url, smtp.url, Clock(START))
    fill_carts(app, 1)
    with app.app_context():
        st = state()
        schedule_reminders(st, DUE)
        lease = dt.timedelta(minutes=2)
        # Two senders each claim the row, record the attempt, and die before the answer.
        for moment in (DUE, DUE + dt.timedelta(minutes=3)):
            [message] = claim(st.storage, "doomed", moment, lease, 10)
            with st.storage.sessions().begin() as session:
                row = session.get(OutboxRow, message.id)
                assert row is not None
                row.unconfirmed += 1
        assert claim(st.storage, "third", DUE + dt.timedelta(minutes=6), lease, 10) == []
    [row] = rows(app)
    assert row.status == "failed"
    assert "unconfirmed twice" in (row.reason or "")
    assert smtp.received == []


def test_a_sender_that_lost_its_lease_cannot_mark_the_row(
    tmp_path: Path, database_url: str, smtp: SmtpServer
) -> None:
    from defenceline.plugin.emails.outbox import _finish

    app = build_shop(tmp_path, database_url, smtp.url, Clock(START))
    fill_carts(app, 1)
    with app.app_context():
        st = state()
        schedule_reminders(st, DUE)
        lease = dt.timedelta(minutes=2)
        [slow] = claim(st.storage, "slow", DUE, lease, 10)
        [fast] = claim(st.storage, "fast", DUE + dt.timedelta(minutes=5), lease, 10)
        assert slow.id == fast.id and slow.token != fast.token
        with st.storage.sessions().begin() as session:
            assert _finish(session, slow, status="sent") is False
    assert rows(app)[0].claimed_by == "fast" and rows(app)[0].status == "sending"


def test_claims_never_hand_one_row_to_two_senders(
    tmp_path: Path, database_url: str, smtp: SmtpServer
) -> None:
    app = build_shop(tmp_path, database_url, smtp.url, Clock(START))
    fill_carts(app, 60)
    with app.app_context():
        st = state()
        schedule_reminders(st, DUE)
        lease = dt.timedelta(minutes=5)
        batches = [claim(st.storage, f"w{n}", DUE, lease, 25) for n in range(4)]
    ids = [message.id for batch in batches for message in batch]
    assert len(ids) == len(set(ids)) == 60
    assert [len(batch) for batch in batches] == [25, 25, 10, 0]


def test_a_claim_takes_expired_leases_and_due_rows_together_first_due_first(
    tmp_path: Path, database_url: str, smtp: SmtpServer
) -> None:
    app = build_shop(tmp_path, database_url, smtp.url, Clock(START))
    fill_carts(app, 6)
    with app.app_context():
        st = state()
        schedule_reminders(st, DUE)
        lease = dt.timedelta(minutes=2)
        ids = [row.id for row in rows(app)]
        dead = claim(st.storage, "dead", DUE, lease, 2)  # a sender that dies: leases run out
        assert [message.id for message in dead] == ids[:2]
        with st.storage.sessions().begin() as session:
            early = session.get(OutboxRow, ids[5])
            assert early is not None
            early.due_at = DUE - dt.timedelta(minutes=1)  # due before every other row
        later = DUE + dt.timedelta(minutes=5)
        taken = claim(st.storage, "next", later, lease, 3)
        assert [message.id for message in taken] == [ids[5], ids[0], ids[1]]
        assert [m.id for m in claim(st.storage, "last", later, lease, 10)] == ids[2:5]


# --- SMTP answers ------------------------------------------------------------------------------


def test_temporary_failure_is_retried_with_backoff_and_the_same_message_id(
    tmp_path: Path, database_url: str, smtp: SmtpServer
) -> None:
    app = build_shop(tmp_path, database_url, smtp.url, Clock(START))
    [address] = fill_carts(app, 1)
    smtp.behaviour.replies[address] = "451 4.7.1 Greylisted, try again later"
    with app.app_context():
        first = send_due(now=DUE)
    assert first.delivery.retrying == 1
    [row] = rows(app)
    assert row.status == "pending" and row.attempts == 1 and row.unconfirmed == 0
    assert row.due_at == DUE + dt.timedelta(minutes=5)  # DEFENCELINE_MAIL_BACKOFF
    assert "451" in (row.reason or "")
    with app.app_context():
        send_due(now=DUE + dt.timedelta(minutes=4))
        assert rows(app)[0].attempts == 1  # not before the backoff
        send_due(now=DUE + dt.timedelta(minutes=5))
        assert rows(app)[0].due_at == DUE + dt.timedelta(minutes=15)  # doubled
        del smtp.behaviour.replies[address]
        send_due(now=DUE + dt.timedelta(minutes=15))
    [mail] = smtp.received
    [row] = rows(app)
    assert row.status == "sent" and row.attempts == 3 and mail.message_id == row.message_id


def test_permanent_failure_is_recorded_and_never_retried(
    tmp_path: Path, database_url: str, smtp: SmtpServer
) -> None:
    app = build_shop(tmp_path, database_url, smtp.url, Clock(START))
    [address] = fill_carts(app, 1)
    smtp.behaviour.replies[address] = "550 5.1.1 No such user"
    with app.app_context():
        report = send_due(now=DUE)
        send_due(now=DUE + dt.timedelta(days=1))
    assert report.delivery.failed == 1
    [row] = rows(app)  # and no second reminder: a hard bounce suppresses the address
    assert row.status == "failed" and row.attempts == 1
    assert "550 5.1.1 No such user" in (row.reason or "")
    assert smtp.received == []


def test_temporary_failures_end_after_the_configured_attempts(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    app = build_shop(tmp_path, url, smtp.url, Clock(START), DEFENCELINE_MAIL_MAX_ATTEMPTS=2)
    [address] = fill_carts(app, 1)
    smtp.behaviour.replies[address] = "452 4.2.2 Mailbox full"
    with app.app_context():
        send_due(now=DUE)
        send_due(now=DUE + dt.timedelta(hours=1))
        send_due(now=DUE + dt.timedelta(hours=3))
    [row] = rows(app)
    assert row.status == "failed" and row.attempts == 2
    assert "gave up (2 attempts)" in (row.reason or "")


def test_an_unreachable_server_is_a_temporary_failure(tmp_path: Path) -> None:
    from .plugin_email import free_port

    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    dead = f"smtp://127.0.0.1:{free_port()}?timeout=2"
    app = build_shop(tmp_path, url, dead, Clock(START))
    fill_carts(app, 2)
    with app.app_context():
        report = send_due(now=DUE)
    assert report.delivery.retrying == 2
    assert all(row.status == "pending" and row.unconfirmed == 0 for row in rows(app))
    assert "cannot open an SMTP session to smtp://127.0.0.1" in (rows(app)[0].reason or "")


def test_deliver_stops_before_a_lease_runs_out(tmp_path: Path, smtp: SmtpServer) -> None:
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    app = build_shop(tmp_path, url, smtp.url, Clock(START))
    fill_carts(app, 3)
    ticks = iter(range(1000))

    def clock() -> dt.datetime:  # every look at the clock is 50 seconds later
        return DUE + dt.timedelta(seconds=50 * next(ticks))

    with app.app_context():
        st = state()
        schedule_reminders(st, DUE)
        report = deliver(
            st.storage,
            parse_mail_url(smtp.url),
            worker="slow",
            now=clock,
            lease=dt.timedelta(minutes=2),
            backoff=dt.timedelta(minutes=5),
            max_attempts=3,
        )
    # A 2-minute lease with a 60-second margin: after the first message the lease is too
    # short for another, so the rest are handed back (pending, not counted as attempts).
    assert report.sent >= 1 and len(smtp.received) == report.sent
    assert all(row.status in {"sent", "pending"} for row in rows(app))
    assert all(row.unconfirmed == 0 for row in rows(app))


def _wait(condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.02)
