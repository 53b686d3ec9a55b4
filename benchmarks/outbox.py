"""What the crash-safe outbox costs, whether more senders deliver more, and whether finding
due carts stays an index look-up.

1. **Delivery throughput on PostgreSQL.** `EMAILS` reminders are written to the outbox of a
   PostgreSQL database, then delivered to a local aiosmtpd sink (its own process) by 1, 2 and
   4 sender processes, each run from a fresh copy of the same database. Baseline, in the same
   run: raw `smtplib` sending the very same stored messages over one connection, with no
   database at all — the least any sender must do — and over 4 connections (what the sink
   itself can take). The outbox adds per message: the claim (batched), the "attempt begins"
   row update before the hand-over, the send re-check (cart, consent, stock) and the "sent"
   update after it, each a committed transaction. Each run prints where the senders' time went
   (claim, SMTP, the rest) and the CPU cores the senders, PostgreSQL and the sink used (from
   /proc), and names the ceiling from that evidence. It is measured twice: against a sink that
   answers at once and against one that answers after `RELAY_DELAY` seconds (a mail provider
   across a network), where the senders spend their time waiting and more of them add most.
   Last (part ``claim``), one claim among a backlog of `BACKLOG` waiting rows, against the
   claim as one query over both kinds of claimable row (pending and lease expired).
2. **Due-cart search.** `CARTS` carts are tracked (1% waiting for a reminder, as in a shop
   where most carts were ordered or already reminded, their reminders spread over a week; a
   day's worth is due) in SQLite and in PostgreSQL; the sender's
   due search (`reminders.due_cart_ids`, 200 rows) is timed and its query plan printed, against
   the same query with the index disabled (the full scan an unindexed table would need).

Run: `.venv/bin/python benchmarks/outbox.py [delivery] [claim] [due]` (all by default;
PostgreSQL from /usr/lib/postgresql is started in a temporary folder; EMAILS, RELAY_DELAY,
BACKLOG and CARTS set the sizes; CARTS=100000 for a quicker run).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import smtplib
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, select, text  # noqa: E402

from tests.plugin_email import (  # noqa: E402  (the tests' real parts: aiosmtpd, a PG cluster)
    PostgresCluster,
    build_shop,
    shop_config,
)

EMAILS = int(os.environ.get("EMAILS", "1000"))
SENDERS = (1, 2, 4)
RELAY_DELAY = float(os.environ.get("RELAY_DELAY", "0.02"))
BACKLOG = int(os.environ.get("BACKLOG", "100000"))
CARTS = int(os.environ.get("CARTS", "1000000"))
START = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)
DUE = START + dt.timedelta(hours=1)


# --- 1. delivery throughput ----------------------------------------------------------------------


def _prepare(cluster: PostgresCluster, folder: Path) -> tuple[str, list[tuple[str, str, bytes]]]:
    """A PostgreSQL shop database with `EMAILS` pending reminders, used as the template every
    run is copied from (``CREATE DATABASE … TEMPLATE``, so each run starts from the same rows
    without rendering them again); returns its name and the stored messages."""
    from defenceline.plugin import state
    from defenceline.plugin.cart.tracking import CartIn, track_cart
    from defenceline.plugin.emails.outbox import OutboxRow
    from defenceline.plugin.emails.reminders import schedule_reminders
    from tests.conftest import Clock

    url = cluster.new_database()
    # The mail URL is only stored in the app's settings here; the messages do not depend on it.
    app = build_shop(folder, url, "smtp://127.0.0.1:25", Clock(START))
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
        st.storage.engine.dispose()  # a template database must have no connections
    assert len(rows) == EMAILS
    return url.rsplit("/", 1)[1], [(r.sender, r.recipient, r.message.encode()) for r in rows]


def _copy_database(cluster: PostgresCluster, template: str, name: str) -> str:
    import psycopg

    with psycopg.connect(
        f"host=127.0.0.1 port={cluster.port} user=postgres dbname=postgres", autocommit=True
    ) as connection:
        connection.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    return cluster.admin_url(name)


# CPU time, read from /proc: where the cores went during a run is the evidence for the ceiling.
_TICK = os.sysconf("SC_CLK_TCK")


def _proc_stat(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()  # fields from 3 (state) on; comm may hold spaces


def _process_cpu(pid: int) -> float:
    """User + system seconds of a live process."""
    fields = _proc_stat(pid)
    return (int(fields[11]) + int(fields[12])) / _TICK


def _cluster_cpu(cluster: PostgresCluster) -> float:
    """CPU seconds of the whole PostgreSQL cluster: the postmaster (with the backends it has
    reaped) and every live child process (backends, WAL writer, checkpointer, ...)."""
    postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
    fields = _proc_stat(postmaster)
    total = sum(int(fields[i]) for i in (11, 12, 13, 14)) / _TICK
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            child = _proc_stat(int(entry.name))
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
        if int(child[1]) == postmaster:
            total += (int(child[11]) + int(child[12])) / _TICK
    return total


def _machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, summed over its cores."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values) - idle) / _TICK, sum(values) / _TICK


def _sink_main(delay: float, pipe: Any) -> None:
    """The SMTP sink, in its own process so that its CPU time is its own: the tests' aiosmtpd
    server on 127.0.0.1 (one asyncio thread), answering each message after `delay` seconds."""
    from tests.plugin_email import SmtpServer

    server = SmtpServer()
    server.behaviour.delay = delay
    server.controller.start()
    pipe.send(server.port)
    while True:
        command = pipe.recv()
        if command == "count":
            pipe.send(len(server.received))
        elif command == "clear":
            with server.handler.lock:
                server.handler.received.clear()
            pipe.send(0)
        else:
            server.controller.stop()
            pipe.send(0)
            return


class Sink:
    def __init__(self, delay: float) -> None:
        context = multiprocessing.get_context("spawn")
        self.delay = delay
        self.pipe, theirs = context.Pipe()
        self.process = context.Process(target=_sink_main, args=(delay, theirs), daemon=True)
        self.process.start()
        self.port: int = self.pipe.recv()
        self.url = f"smtp://127.0.0.1:{self.port}?timeout=30"

    def ask(self, command: str) -> int:
        self.pipe.send(command)
        return int(self.pipe.recv())

    def cpu(self) -> float:
        assert self.process.pid is not None
        return _process_cpu(self.process.pid)

    def stop(self) -> None:
        self.ask("stop")
        self.process.join()


@dataclass
class Run:
    """One measured delivery: throughput and where the time and the cores went."""

    rate: float
    span: float
    claim: float = 0.0  # seconds, summed over the senders, inside `outbox.claim`
    smtp: float = 0.0  # ... handing messages to the sink (MAIL, RCPT, DATA and the reply)
    busy: float = 0.0  # ... the senders' wall time in all
    claims: int = 0
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds: senders, pg, sink
    machine: float = 0.0  # the machine's busy cores during the run (all users)

    def cores(self, part: str) -> float:
        return self.cpu.get(part, 0.0) / self.span


def _sender(
    config: dict[str, Any], instance: str, ready: Any, go: Any, done: Any, out: Any
) -> None:
    """One sender process: build the app, connect, wait for the start signal, deliver, report
    its timings, and keep its database connection (and so its PostgreSQL backend, whose CPU
    time is read from /proc) until the parent has measured."""
    from flask import Flask

    import defenceline.plugin.emails.outbox as outbox
    from defenceline.plugin import DefenceLine, state
    from defenceline.plugin.emails.mailer import parse_mail_url

    timings = {"claim": 0.0, "smtp": 0.0, "claims": 0.0}
    claim, open_connection = outbox.claim, outbox.open_connection

    def timed_claim(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return claim(*args, **kwargs)
        finally:
            timings["claim"] += time.perf_counter() - began
            timings["claims"] += 1

    @contextlib.contextmanager
    def timed_connection(transport: Any) -> Iterator[Any]:
        with open_connection(transport) as connection:
            send = connection.send

            def timed_send(*args: Any) -> str:
                began = time.perf_counter()
                try:
                    return send(*args)
                finally:
                    timings["smtp"] += time.perf_counter() - began

            connection.send = timed_send  # type: ignore[method-assign]
            yield connection

    outbox.claim = timed_claim  # type: ignore[assignment]
    outbox.open_connection = timed_connection  # type: ignore[assignment]
    app = Flask("shop", instance_path=instance)
    app.config.update(config)
    DefenceLine(app)
    with app.app_context():
        st = state()
        with st.storage.sessions()() as session:  # connect (and check the schema) before the start
            session.execute(select(1))
        ready.put(os.getpid())
        go.wait()
        cpu, began = time.process_time(), time.perf_counter()
        report = outbox.deliver(
            st.storage,
            parse_mail_url(config["DEFENCELINE_MAIL_URL"]),
            worker=outbox.worker_name(),
            now=lambda: DUE,
            lease=st.email.lease,
            backoff=st.email.backoff,
            max_attempts=st.email.max_attempts,
        )
        out.put(
            {
                "began": began,
                "ended": time.perf_counter(),
                "cpu": time.process_time() - cpu,
                "sent": report.sent,
                **timings,
            }
        )
        done.wait()


@dataclass
class Race:
    """Processes that connect, wait for one start signal and report when they are done."""

    context: Any = field(default_factory=lambda: multiprocessing.get_context("spawn"))

    def __post_init__(self) -> None:
        self.ready, self.out = self.context.Queue(), self.context.Queue()
        self.go, self.done = self.context.Event(), self.context.Event()

    def run(
        self, workers: list[Any], gauges: dict[str, Callable[[], float]]
    ) -> tuple[list[dict[str, Any]], Run]:
        """Start `workers`, wait until each is ready, start them together and collect their
        reports (each with ``began``, ``ended`` and ``sent``). The `Run` holds the throughput
        over the span from the first start to the last end, what each of `gauges` (CPU
        seconds of a part) counted meanwhile, and the machine's busy cores; the workers keep
        their connections until it is measured."""
        for worker in workers:
            worker.start()
        for _ in workers:
            self.ready.get(timeout=120)
        before = {name: gauge() for name, gauge in gauges.items()}, _machine_busy()
        self.go.set()
        results = [self.out.get(timeout=900) for _ in workers]
        after = {name: gauge() for name, gauge in gauges.items()}, _machine_busy()
        self.done.set()
        for worker in workers:
            worker.join()
        assert sum(r["sent"] for r in results) == EMAILS
        span = max(r["ended"] for r in results) - min(r["began"] for r in results)
        busy, total = (after[1][i] - before[1][i] for i in (0, 1))
        measured = Run(
            rate=EMAILS / span,
            span=span,
            cpu={name: after[0][name] - before[0][name] for name in gauges},
            machine=busy / total * CORES,
        )
        return results, measured


def _outbox_run(cluster: PostgresCluster, template: str, sink: Sink, senders: int) -> Run:
    global _RUNS
    _RUNS += 1
    url = _copy_database(cluster, template, f"run{_RUNS}")
    sink.ask("clear")
    race = Race()
    with tempfile.TemporaryDirectory() as tmp:
        config = shop_config(url, sink.url)
        workers = [
            race.context.Process(
                target=_sender,
                args=(config, f"{tmp}/instance", race.ready, race.go, race.done, race.out),
            )
            for _ in range(senders)
        ]
        results, run = race.run(
            workers, {"postgresql": lambda: _cluster_cpu(cluster), "sink": sink.cpu}
        )
    assert sink.ask("count") == EMAILS
    run.cpu["senders"] = sum(r["cpu"] for r in results)
    run.claim = sum(r["claim"] for r in results)
    run.smtp = sum(r["smtp"] for r in results)
    run.busy = sum(r["ended"] - r["began"] for r in results)
    run.claims = int(sum(r["claims"] for r in results))
    return run


_RUNS = 0
CORES = os.cpu_count() or 1


def _raw_client(
    port: int, messages: list[tuple[str, str, bytes]], ready: Any, go: Any, out: Any
) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as connection:
        ready.put(os.getpid())
        go.wait()
        began = time.perf_counter()
        for sender, recipient, message in messages:
            connection.sendmail(sender, [recipient], message)
        out.put({"began": began, "ended": time.perf_counter(), "sent": len(messages)})


def _smtplib_run(sink: Sink, messages: list[tuple[str, str, bytes]], clients: int) -> Run:
    """The baseline: raw smtplib sending the same stored messages, no database at all, over
    `clients` connections from as many processes (one: the least any sender must do; more:
    what the sink itself can take), each connected before the start signal like the senders."""
    sink.ask("clear")
    race = Race()
    workers = [
        race.context.Process(
            target=_raw_client,
            args=(sink.port, messages[n::clients], race.ready, race.go, race.out),
        )
        for n in range(clients)
    ]
    _, run = race.run(workers, {"sink": sink.cpu})
    assert sink.ask("count") == EMAILS
    return run


def _cpu_per_email(run: Run) -> float:
    """Milliseconds of CPU one email cost: senders, PostgreSQL and the sink together."""
    return sum(run.cpu.values()) / EMAILS * 1000


def _delivery_table(raw: Run, runs: dict[int, Run]) -> None:
    print(
        "   senders  emails/s  vs raw | senders' time in: claim  SMTP  rest | cores: senders"
        "    PG  sink  machine | CPU ms/email"
    )
    for senders, run in runs.items():
        rest = run.busy - run.claim - run.smtp
        print(
            f"   {senders:>7} {run.rate:9.0f} {run.rate / raw.rate:6.2f}x |"
            f"                  {run.claim / run.busy:5.0%} {run.smtp / run.busy:5.0%} "
            f"{rest / run.busy:5.0%} |"
            f"           {run.cores('senders'):4.2f}  {run.cores('postgresql'):4.2f}  "
            f"{run.cores('sink'):4.2f}     {run.machine:4.2f} |"
            f"   {_cpu_per_email(run):10.1f}"
        )


def _ceiling(raw_many: Run, runs: dict[int, Run]) -> str:
    """Name the limit of the widest run from its evidence (printed above it)."""
    widest = runs[max(runs)]
    per_claim = widest.claim / max(widest.claims, 1) * 1000
    ours = widest.cores("senders") + widest.cores("postgresql") + widest.cores("sink")
    # What the CPU allows: the machine's cores divided by what one email costs (measured per
    # email, so it does not depend on what other users took from the machine meanwhile).
    cpu_bound = CORES / (_cpu_per_email(widest) / 1000)
    if widest.cores("sink") >= 0.85:
        return (
            f"the SMTP sink: its one asyncio thread used {widest.cores('sink'):.2f} of a core "
            f"(raw smtplib over {max(runs)} connections: {raw_many.rate:.0f}/s)"
        )
    if widest.claim / widest.busy >= 0.3:
        return (
            f"the claim query: {widest.claim / widest.busy:.0%} of the senders' time "
            f"({per_claim:.1f} ms per batch)"
        )
    if widest.machine >= 0.85 * CORES:
        return (
            f"CPU: the machine's {CORES} cores were {widest.machine / CORES:.0%} busy, "
            f"{ours:.2f} of them for the senders, PostgreSQL and the sink (the rest: other "
            f"users of this machine). One email costs {_cpu_per_email(widest):.1f} ms of CPU in "
            f"all, so {CORES} idle cores carry at most ~{cpu_bound:.0f} emails/s; the sink used "
            f"{widest.cores('sink'):.2f} of a core and the claim took "
            f"{widest.claim / widest.busy:.0%} of the senders' time ({per_claim:.1f} ms a batch)"
        )
    return (
        f"not reached with {max(runs)} senders: they wait on the relay's replies "
        f"({widest.smtp / widest.busy:.0%} of their time) and the machine had CPU left "
        f"({widest.machine:.2f} of {CORES} cores busy); the CPU would allow ~{cpu_bound:.0f} "
        "emails/s"
    )


# The claim as one query over both kinds of claimable row (what the outbox did before it read
# each kind from its own index): the baseline for a claim among a large backlog.
_OR_CLAIM = """
WITH picked AS MATERIALIZED (
  SELECT id FROM dl_outbox
  WHERE (status = 'pending' AND due_at <= :now)
     OR (status = 'sending' AND lease_until < :now AND unconfirmed < 2)
  ORDER BY due_at, id LIMIT 50 FOR UPDATE SKIP LOCKED)
UPDATE dl_outbox SET status = 'sending', claimed_by = 'baseline', claim_token = 'baseline',
  lease_until = :lease
WHERE id IN (SELECT id FROM picked) RETURNING id, message
"""


def _claim_backlog(cluster: PostgresCluster) -> None:
    """One claim of 50 among `BACKLOG` waiting rows (and twice as many sent ones), timed with
    the outbox's `claim` and with the single-query baseline; median of 15 claims each."""
    from sqlalchemy.orm import Session

    from defenceline.plugin.emails.outbox import claim
    from defenceline.plugin.migrations import upgrade_schema
    from defenceline.plugin.storage import Storage

    url = cluster.new_database()
    engine = create_engine(url)
    upgrade_schema(engine)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO dl_outbox (kind, purpose, sender, recipient, address_hash, "
                "message_id, subject, message, status, due_at, attempts, unconfirmed, "
                "created_at) SELECT 'cart_reminder', 'cart_reminders', 'shop@example.com', "
                "'shopper' || g || '@example.com', md5(g::text), '<' || g || '@example.com>', "
                "'subject', repeat('x', 4000), CASE WHEN g % 3 = 0 THEN 'pending' ELSE 'sent' "
                "END, :start + g * interval '1 second', 0, 0, :start "
                "FROM generate_series(1, :rows) AS g"
            ),
            {"start": START, "rows": BACKLOG * 3},
        )
        connection.execute(text("ANALYZE dl_outbox"))
    now = START + dt.timedelta(days=30)
    storage = Storage(url)
    ours, baseline = [], []
    with Session(engine) as session:
        for _ in range(15):
            began = time.perf_counter()
            assert len(claim(storage, "bench", now, dt.timedelta(minutes=5), 50)) == 50
            ours.append(time.perf_counter() - began)
            began = time.perf_counter()
            with session.begin():
                rows = session.execute(
                    text(_OR_CLAIM), {"now": now, "lease": now + dt.timedelta(minutes=5)}
                ).all()
            baseline.append(time.perf_counter() - began)
            assert len(rows) == 50
    storage.engine.dispose()
    engine.dispose()
    mine, theirs = statistics.median(ours), statistics.median(baseline)
    print(
        f"   c) PostgreSQL: one claim of 50 among {BACKLOG:,} waiting rows ({BACKLOG * 2:,} sent): "
        f"{mine * 1000:.1f} ms (each kind of claimable row read from its own index); "
        f"one query over both kinds (baseline): {theirs * 1000:.1f} ms ({theirs / mine:.0f}x)"
    )


def _delivery() -> None:
    print(
        f"1. delivering {EMAILS} reminders from a PostgreSQL outbox to aiosmtpd on 127.0.0.1 "
        f"({CORES} cores; senders, PostgreSQL and the sink all share them)"
    )
    cluster = PostgresCluster()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            template, messages = _prepare(cluster, Path(tmp))
        for delay in (0.0, RELAY_DELAY):
            sink = Sink(delay)
            try:
                raw = _smtplib_run(sink, messages, 1)
                raw_many = _smtplib_run(sink, messages, max(SENDERS))
                runs = {n: _outbox_run(cluster, template, sink, n) for n in SENDERS}
            finally:
                sink.stop()
            if delay:
                print(
                    f"   b) a relay that answers each message after {delay * 1000:.0f} ms "
                    "(as a mail provider across a network does)"
                )
            else:
                print("   a) a sink that answers at once (the least work a relay can do)")
            print(
                f"   raw smtplib, one connection (baseline): {raw.rate:6.0f} emails/s "
                f"(sink {raw.cores('sink'):.2f} cores);  over {max(SENDERS)} connections: "
                f"{raw_many.rate:6.0f} emails/s (sink {raw_many.cores('sink'):.2f} cores, "
                f"machine {raw_many.machine:.2f})"
            )
            _delivery_table(raw, runs)
            print(f"   ceiling: {_ceiling(raw_many, runs)}")
    finally:
        cluster.stop()


def _claims() -> None:
    cluster = PostgresCluster()
    try:
        _claim_backlog(cluster)
    finally:
        cluster.stop()


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


def _due_search() -> None:
    print(f"2. finding 200 due carts among {CARTS:,} tracked carts (1% waiting)")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'carts.sqlite3'}"
        _fill_sqlite(url)
        _report_due_search("SQLite", url)
    cluster = PostgresCluster()
    try:
        url = cluster.new_database()
        _fill_postgres(url)
        _report_due_search("PostgreSQL", url)
    finally:
        cluster.stop()


def _report_due_search(database: str, url: str) -> None:
    indexed, plan = _time_due_search(url, True)
    scan, _ = _time_due_search(url, False)
    print(f"   {database} plan: {' | '.join(line.strip() for line in plan)}")
    print(f"   {database}: {indexed * 1000:.2f} ms with the index, {scan * 1000:.1f} ms full scan "
          f"({scan / indexed:.0f}x)")  # fmt: skip


PARTS = {"delivery": _delivery, "claim": _claims, "due": _due_search}


def main() -> None:
    parts = sys.argv[1:] or list(PARTS)
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        sys.exit(
            f"benchmarks/outbox.py: unknown part {unknown[0]!r}; expected one or more of "
            f"{', '.join(PARTS)}"
        )
    for name, part in PARTS.items():
        if name in parts:
            part()


if __name__ == "__main__":
    main()
