"""What the crash-safe outbox costs, and whether finding due carts stays an index look-up.

1. **Delivery throughput.** `EMAILS` reminders are written to the outbox, then delivered to a
   local aiosmtpd server by one sender process and, in a fresh run, by two sender processes at
   once. Baseline, in the same run: raw `smtplib` sending the very same stored messages over one
   connection, with no database at all — the least any sender must do. The outbox adds per
   message: the claim (batched), the "attempt begins" row update before the hand-over, the send
   re-check (cart, consent, stock) and the "sent" update after it, each a committed transaction.
2. **Due-cart search.** `CARTS` carts are tracked (1% waiting for a reminder, as in a shop
   where most carts were ordered or already reminded, their reminders spread over a week; a
   day's worth is due) in SQLite and in PostgreSQL; the sender's
   due search (`reminders.due_cart_ids`, 200 rows) is timed and its query plan printed, against
   the same query with the index disabled (the full scan an unindexed table would need).

Run: `.venv/bin/python benchmarks/outbox.py` (PostgreSQL from /usr/lib/postgresql is started
in a temporary folder; set CARTS=100000 for a quicker run).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import smtplib
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, select, text  # noqa: E402

from tests.plugin_email import (  # noqa: E402  (the tests' real parts: aiosmtpd, a PG cluster)
    PostgresCluster,
    build_shop,
    shop_config,
    smtp_server,
)

EMAILS = int(os.environ.get("EMAILS", "600"))
CARTS = int(os.environ.get("CARTS", "1000000"))
START = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)
DUE = START + dt.timedelta(hours=1)


# --- 1. delivery throughput ----------------------------------------------------------------------


def _prepare(folder: Path, smtp_url: str) -> tuple[str, list[tuple[str, str, bytes]]]:
    """A shop database with `EMAILS` pending reminders; returns its URL and the messages."""
    from defenceline.plugin import state
    from defenceline.plugin.cart.tracking import CartIn, track_cart
    from defenceline.plugin.emails.outbox import OutboxRow
    from defenceline.plugin.emails.reminders import schedule_reminders
    from tests.conftest import Clock

    url = f"sqlite:///{folder / 'shop.sqlite3'}"
    app = build_shop(folder, url, smtp_url, Clock(START))
    with app.app_context():
        st = state()
        for n in range(EMAILS):
            cart = CartIn.model_validate(
                {
                    "lines": [{"sku": "LAMP-1", "quantity": 1}],
                    "email": f"shopper{n}@trapkracht.nl",
                    "consent": True,
                    "timezone": "Europe/Amsterdam",
                }
            )
            track_cart(st.storage, st.email, "Europe/Amsterdam", f"c{n}", cart, START, "bench")
        schedule_reminders(st, DUE)
        with st.storage.sessions()() as session:
            rows = session.execute(
                select(OutboxRow.sender, OutboxRow.recipient, OutboxRow.message)
            ).all()
        st.storage.engine.dispose()
    return url, [(r.sender, r.recipient, r.message.encode()) for r in rows]


def _sender(config: dict[str, Any], instance: str, go: Any, out: Any) -> None:
    """One sender process: build the app, wait for the start signal, deliver, report."""
    from flask import Flask

    from defenceline.plugin import DefenceLine, state
    from defenceline.plugin.emails.mailer import parse_mail_url
    from defenceline.plugin.emails.outbox import deliver, worker_name

    app = Flask("shop", instance_path=instance)
    app.config.update(config)
    DefenceLine(app)
    with app.app_context():
        st = state()
        st.storage.sessions()
        go.wait()
        began = time.perf_counter()
        report = deliver(
            st.storage,
            parse_mail_url(config["DEFENCELINE_MAIL_URL"]),
            worker=worker_name(),
            now=lambda: DUE,
            lease=st.email.lease,
            backoff=st.email.backoff,
            max_attempts=st.email.max_attempts,
        )
        out.put((began, time.perf_counter(), report.sent))


def _outbox_rate(processes: int) -> float:
    with tempfile.TemporaryDirectory() as tmp, smtp_server() as smtp:
        folder = Path(tmp)
        url, _ = _prepare(folder, smtp.url)
        config = shop_config(url, smtp.url)
        context = multiprocessing.get_context("spawn")
        go, out = context.Event(), context.Queue()
        workers = [
            context.Process(target=_sender, args=(config, str(folder / "instance"), go, out))
            for _ in range(processes)
        ]
        for worker in workers:
            worker.start()
        time.sleep(3)  # let every process import and connect before the start signal
        go.set()
        results = [out.get(timeout=600) for _ in workers]
        for worker in workers:
            worker.join()
        assert sum(sent for _, _, sent in results) == EMAILS == len(smtp.received)
        span = max(end for _, end, _ in results) - min(began for began, _, _ in results)
        return EMAILS / span


def _smtplib_rate() -> float:
    with tempfile.TemporaryDirectory() as tmp, smtp_server() as smtp:
        _, messages = _prepare(Path(tmp), smtp.url)
        began = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", smtp.port, timeout=30) as connection:
            for sender, recipient, message in messages:
                connection.sendmail(sender, [recipient], message)
        elapsed = time.perf_counter() - began
        assert len(smtp.received) == EMAILS
        return EMAILS / elapsed


# --- 2. finding due carts ----------------------------------------------------------------------


def _fill_sqlite(url: str) -> None:
    from defenceline.plugin.migrations import upgrade_schema

    engine = create_engine(url)
    upgrade_schema(engine)  # the schema a shop's database has: the plugin's migrations
    now = "2026-11-24 14:00:00.000000"
    with engine.begin() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.executemany(
            "INSERT INTO dl_carts (id, lines, created_at, last_activity_at, "
            "reminders_scheduled, is_bot, next_reminder_at) VALUES (?, '[]', ?, ?, 0, 0, ?)",
            ((f"c{n}", now, now, _due_text(n) if n % 100 == 0 else None) for n in range(CARTS)),
        )
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()


def _due_text(n: int) -> str:
    return (START + dt.timedelta(minutes=(n // 100) % 10080)).strftime("%Y-%m-%d %H:%M:%S.%f")


def _fill_postgres(url: str) -> None:
    import psycopg

    from defenceline.plugin.migrations import upgrade_schema

    engine = create_engine(url)
    upgrade_schema(engine)
    engine.dispose()
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as connection, connection.cursor() as cursor:
        with cursor.copy(
            "COPY dl_carts (id, lines, created_at, last_activity_at, reminders_scheduled, "
            "is_bot, next_reminder_at) FROM STDIN"
        ) as copy:
            for n in range(CARTS):
                due = _due_text(n) + "+00" if n % 100 == 0 else None
                copy.write_row((f"c{n}", "[]", START, START, 0, False, due))
        connection.commit()
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE dl_carts")


_DUE_SQL = (
    "SELECT id FROM dl_carts {hint}WHERE next_reminder_at IS NOT NULL AND next_reminder_at <= "
    ":now ORDER BY next_reminder_at LIMIT 200"
)


def _time_due_search(url: str, indexed: bool) -> tuple[float, list[str]]:
    """Median time of the due search; `indexed=False` forbids the index (the baseline)."""
    from sqlalchemy.orm import Session

    from defenceline.plugin.emails.reminders import due_cart_ids

    sqlite = url.startswith("sqlite")
    engine = create_engine(url)
    moment = START + dt.timedelta(hours=24)
    now: Any = moment.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else moment
    sql = _DUE_SQL.format(hint="" if indexed or not sqlite else "NOT INDEXED ")
    with Session(engine) as session:
        if not indexed and not sqlite:
            for setting in ("enable_indexscan", "enable_bitmapscan", "enable_indexonlyscan"):
                session.execute(text(f"SET {setting} = off"))
        explain = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
        plan = [
            " ".join(str(part) for part in row)
            for row in session.execute(text(explain + sql), {"now": now})
        ]
        assert len(due_cart_ids(session, moment, 200)) == 200  # the sender's query agrees
        timings = []
        for _ in range(7):
            began = time.perf_counter()
            found = list(session.execute(text(sql), {"now": now}).scalars())
            timings.append(time.perf_counter() - began)
            assert len(found) == 200
    engine.dispose()
    return statistics.median(timings), plan


def main() -> None:
    print(f"1. delivering {EMAILS} reminders to aiosmtpd on 127.0.0.1")
    raw = _smtplib_rate()
    one = _outbox_rate(1)
    two = _outbox_rate(2)
    print(f"   raw smtplib, one connection (baseline): {raw:8.0f} emails/s")
    print(f"   outbox, one sender process:             {one:8.0f} emails/s  ({one / raw:.2f}x)")
    print(f"   outbox, two sender processes:           {two:8.0f} emails/s  ({two / raw:.2f}x)")

    print(f"2. finding 200 due carts among {CARTS:,} tracked carts (1% waiting)")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'carts.sqlite3'}"
        _fill_sqlite(url)
        indexed, plan = _time_due_search(url, True)
        scan, _ = _time_due_search(url, False)
        print(f"   SQLite plan: {' | '.join(plan)}")
        print(f"   SQLite: {indexed * 1000:.2f} ms with the index, {scan * 1000:.1f} ms full scan "
              f"({scan / indexed:.0f}x)")  # fmt: skip
    cluster = PostgresCluster()
    try:
        url = cluster.new_database()
        _fill_postgres(url)
        indexed, plan = _time_due_search(url, True)
        scan, _ = _time_due_search(url, False)
        print(f"   PostgreSQL plan: {' | '.join(line.strip() for line in plan)}")
        print(f"   PostgreSQL: {indexed * 1000:.2f} ms with the index, {scan * 1000:.1f} ms "
              f"full scan ({scan / indexed:.0f}x)")  # fmt: skip
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
