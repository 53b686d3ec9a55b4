"""What the promise report and the calibration cost over a million shipments, and what
calibration costs the delivery-estimate endpoint.

1. **Report and calibration.** `SHIPMENTS` simulated shipments (a year of the demo shop's
   deliveries, `defenceline.plugin.shipping.simulation`) are bulk-loaded into the shipping
   tables of a SQLite file (executemany on the raw driver) and of a PostgreSQL database (COPY).
   Timed, each in a fresh process so its peak memory is its own (the peak resident size,
   reset after the imports, over the resident size when the work starts):
   - the report: `read_history` (one query) + `build_report` (Kaplan–Meier on-time rates per
     lane, Saturday, weekday, month and their cross, plus the calibration);
   - the calibration alone: the window's history + `measure_lanes`;
   - the baseline, in the same run: a plain SQL ``GROUP BY`` zone, carrier, weekday, month
     (count, arrived, on time) plus numpy percentiles of the window's transit days per lane.
     It does less: calendar days in UTC, parcels in transit ignored (no censoring), no
     carrier calendars, no time zones. The ratio says what those cost.
2. **The delivery-estimate endpoint** (``GET /api/v1/delivery-estimate``) through Flask's test
   client, for a shop in ``mode = "apply"`` (the calibration computed ahead, looked up per
   request) against the same shop in ``mode = "report"``; the claim: at least 0.9x. Rounds
   of the two alternate and are timed in CPU time of the serving thread (the machine may be
   shared); the median round counts. Then `estimate_delivery` alone, with and without a
   calibration table.

Run: `.venv/bin/python benchmarks/promise.py` (PostgreSQL from /usr/lib/postgresql is started
in a temporary folder; SHIPMENTS=100000 for a quicker run).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from defenceline import Policy, load_policy  # noqa: E402
from defenceline.plugin.shipping.simulation import (  # noqa: E402
    SimulatedDeliveries,
    simulate_deliveries,
)
from tests.plugin_email import PostgresCluster  # noqa: E402  (the tests' throwaway cluster)

SHIPMENTS = int(os.environ.get("SHIPMENTS", "1000000"))
REQUESTS = int(os.environ.get("REQUESTS", "6000"))
ROUND = 200  # requests a round; the rounds of the two modes alternate
REPEATS = 3
POLICY = ROOT / "examples" / "demo-shop" / "store.toml"
ZONE = "Europe/Amsterdam"


# --- loading ---------------------------------------------------------------------------------


def _text(moments: np.ndarray) -> np.ndarray:
    """UTC datetime64 as the text SQLAlchemy stores on SQLite ('YYYY-MM-DD HH:MM:SS.ffffff')."""
    return np.char.replace(np.datetime_as_string(moments, unit="us"), "T", " ")


def _rows(sim: SimulatedDeliveries, sqlite: bool) -> tuple[Iterator[tuple[Any, ...]], ...]:
    n = len(sim)
    ids = [sim.order_id(i) for i in range(n)]
    stamp = _text if sqlite else (lambda a: np.char.add(_text(a), "+00"))
    placed = stamp(sim.placed_at).tolist()
    dispatched = stamp(sim.dispatched_at).tolist()
    attempt = _or_none(sim.first_attempt_at, stamp(sim.first_attempt_at).tolist())
    delivered = _or_none(sim.delivered_at, stamp(sim.delivered_at).tolist())
    earliest = np.datetime_as_string(sim.promise_earliest).tolist()
    latest = np.datetime_as_string(sim.promise_latest).tolist()
    country, timezone = sim.country.tolist(), sim.timezone.tolist()
    zone, carrier = sim.zone.tolist(), sim.carrier.tolist()
    false = 0 if sqlite else "f"
    orders = (
        (
            ids[i],
            country[i],
            timezone[i],
            "[]",
            placed[i],
            earliest[i],
            latest[i],
            "estimate",
            zone[i],
            false,
            "import",
            placed[i],
        )
        for i in range(n)
    )
    shipments = (
        (
            ids[i],
            ids[i],
            carrier[i],
            dispatched[i],
            "delivered" if delivered[i] else "in_transit",
            attempt[i],
            delivered[i],
            dispatched[i],
        )
        for i in range(n)
    )
    return orders, shipments


def _or_none(moments: np.ndarray, texts: list[str]) -> list[str | None]:
    missing = np.isnat(moments).tolist()
    return [None if gone else value for gone, value in zip(missing, texts, strict=True)]


_ORDER_COLUMNS = (
    "order_id, country, timezone, lines, placed_at, promise_earliest, promise_latest, "
    "promise_source, zone, unsubscribed_optional, origin, recorded_at"
)
_SHIPMENT_COLUMNS = (
    "shipment_id, order_id, carrier, dispatched_at, status, first_attempt_at, delivered_at, "
    "recorded_at"
)


def _schema(url: str) -> None:
    from defenceline.plugin.migrations import upgrade_schema

    engine = create_engine(url)
    upgrade_schema(engine)  # the schema a shop's database has: the plugin's migrations
    engine.dispose()


def fill_sqlite(url: str, sim: SimulatedDeliveries) -> None:
    _schema(url)
    engine = create_engine(url)
    orders, shipments = _rows(sim, sqlite=True)
    with engine.begin() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        for table, columns, rows, count in (
            ("dl_orders", _ORDER_COLUMNS, orders, 12),
            ("dl_shipments", _SHIPMENT_COLUMNS, shipments, 8),
        ):
            marks = ", ".join("?" * count)
            raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()


def fill_postgres(url: str, sim: SimulatedDeliveries) -> None:
    import psycopg

    _schema(url)
    orders, shipments = _rows(sim, sqlite=False)
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as connection, connection.cursor() as cursor:
        for table, columns, rows in (
            ("dl_orders", _ORDER_COLUMNS, orders),
            ("dl_shipments", _SHIPMENT_COLUMNS, shipments),
        ):
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        connection.commit()
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE dl_orders")
        connection.execute("VACUUM ANALYZE dl_shipments")


# --- the measured work -----------------------------------------------------------------------


def ours_report(url: str, policy: Policy, as_of: dt.datetime) -> str:
    from defenceline.plugin.shipping.history import read_history
    from defenceline.plugin.shipping.report import build_report

    engine = create_engine(url)
    with engine.connect() as connection:
        history = read_history(connection, ZONE, as_of=as_of)
    report = build_report(history, policy)
    engine.dispose()
    lanes = ", ".join(
        f"{lane['carrier']} {lane['on_time_rate']:.3f} max {lane['calibrated_transit_days']['max']}"
        for lane in report["lanes"]
    )
    return f"{report['shipments']} shipments, {len(report['cells'])} cells; {lanes}"


def ours_calibration(url: str, policy: Policy, as_of: dt.datetime) -> str:
    from defenceline.plugin.shipping.calibration import measure_lanes
    from defenceline.plugin.shipping.history import read_history

    since = as_of - dt.timedelta(days=policy.shipping.calibration.window_days + 1)
    engine = create_engine(url)
    with engine.connect() as connection:
        history = read_history(connection, ZONE, as_of=as_of, since=since)
    lanes = measure_lanes(history, policy)
    engine.dispose()
    return f"{len(history)} shipments in the window; " + ", ".join(
        f"{lane.carrier} max {lane.transit_max}" for lane in lanes
    )


_FROM = """
    FROM dl_shipments s JOIN dl_orders o ON o.order_id = s.order_id
    WHERE o.cancelled_at IS NULL AND o.promise_latest IS NOT NULL AND s.dispatched_at < :as_of"""
_GROUP_BY = {
    "sqlite": "SELECT o.zone, s.carrier, strftime('%w', s.dispatched_at), "
    "strftime('%Y-%m', s.dispatched_at), count(*), count(s.first_attempt_at), "
    "sum(date(s.first_attempt_at) <= o.promise_latest)" + _FROM + " GROUP BY 1, 2, 3, 4",
    "postgresql": "SELECT o.zone, s.carrier, extract(dow FROM s.dispatched_at), "
    "to_char(s.dispatched_at, 'YYYY-MM'), count(*), count(s.first_attempt_at), "
    "sum((s.first_attempt_at::date <= o.promise_latest)::int)" + _FROM + " GROUP BY 1, 2, 3, 4",
}
_WINDOW = " AND s.first_attempt_at IS NOT NULL AND s.dispatched_at >= :since"
_TRANSIT = {
    "sqlite": "SELECT o.zone, s.carrier, CAST(julianday(date(s.first_attempt_at)) - "
    "julianday(date(s.dispatched_at)) AS INTEGER)" + _FROM + _WINDOW,
    "postgresql": "SELECT o.zone, s.carrier, s.first_attempt_at::date - s.dispatched_at::date"
    + _FROM
    + _WINDOW,
}


def baseline(url: str, policy: Policy, as_of: dt.datetime) -> str:
    """A plain GROUP BY and numpy percentiles: what a first attempt would write."""
    engine = create_engine(url)
    dialect = engine.dialect.name
    since = as_of - dt.timedelta(days=policy.shipping.calibration.window_days + 1)
    bind: dict[str, Any] = {"as_of": as_of, "since": since}
    if dialect == "sqlite":
        bind = {k: v.strftime("%Y-%m-%d %H:%M:%S.%f") for k, v in bind.items()}
    with engine.connect() as connection:
        cells = connection.execute(text(_GROUP_BY[dialect]), bind).all()
        transit = connection.execute(text(_TRANSIT[dialect]), bind).all()
    engine.dispose()
    lanes: dict[tuple[str, str], list[int]] = {}
    for zone, carrier, _day, _month, count, _arrived, on_time in cells:
        total = lanes.setdefault((zone, carrier), [0, 0])
        total[0] += count
        total[1] += on_time or 0
    columns = list(zip(*transit, strict=True))
    names = np.array([f"{z}|{c}" for z, c in zip(columns[0], columns[1], strict=True)])
    days = np.array(columns[2], dtype=np.int64)
    share = policy.shipping.calibration.target * 100
    maxima = {
        lane: int(np.ceil(np.percentile(days[names == lane], share)))
        for lane in np.unique(names).tolist()
    }
    rates = ", ".join(f"{c} {on / n:.3f}" for (_, c), (n, on) in lanes.items())
    return f"{len(cells)} cells; {rates}; 95th percentile calendar days {maxima}"


def _child(name: str, url: str, as_of: dt.datetime, out: Any) -> None:
    work: Callable[[str, Policy, dt.datetime], str] = {
        "report": ours_report,
        "calibration": ours_calibration,
        "baseline": baseline,
    }[name]
    policy = load_policy(POLICY)
    # Imports are not the work: load them before the memory and the clock are read.
    import lifelines  # noqa: F401
    import psycopg  # noqa: F401

    import defenceline.plugin.shipping.report  # noqa: F401

    # Linux keeps the peak resident size (VmHWM); writing 5 to clear_refs resets it to now,
    # so the peak measured is the work's, not the imports'.
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_kb("VmRSS")
    began = time.perf_counter()
    summary = work(url, policy, as_of)
    elapsed = time.perf_counter() - began
    peak = _status_kb("VmHWM") - before
    out.put((elapsed, peak / 1024, summary))


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def measure(name: str, url: str, as_of: dt.datetime) -> tuple[float, float, str]:
    """Best time and largest peak-memory growth (MB) over REPEATS fresh processes."""
    context = multiprocessing.get_context("spawn")
    results = []
    for _ in range(REPEATS):
        out = context.Queue()
        process = context.Process(target=_child, args=(name, url, as_of, out))
        process.start()
        results.append(out.get(timeout=1800))
        process.join()
    return min(r[0] for r in results), max(r[1] for r in results), results[0][2]


def compare(label: str, url: str, as_of: dt.datetime) -> None:
    base = measure("baseline", url, as_of)
    report = measure("report", url, as_of)
    calibration = measure("calibration", url, as_of)
    print(f"   {label}:")
    for name, (seconds, memory, summary) in (
        ("plain GROUP BY + numpy percentiles (baseline)", base),
        ("promise report (read + Kaplan-Meier + calibration)", report),
        ("calibration alone (the window)", calibration),
    ):
        print(f"     {name:52s} {seconds:7.2f} s  peak +{memory:7.1f} MB")
        print(f"       {summary}")
    print(
        f"     report / baseline: {report[0] / base[0]:.2f}x time, "
        f"{report[1] / max(base[1], 0.1):.2f}x peak memory; calibration / baseline: "
        f"{calibration[0] / base[0]:.2f}x time, {calibration[1] / max(base[1], 0.1):.2f}x memory"
    )


# --- 2. the endpoint -------------------------------------------------------------------------


def endpoint_rates(folder: Path, policy: Policy) -> tuple[float, float]:
    """Requests per second without and with calibration applied (best of REPEATS rounds)."""
    from defenceline.plugin import state
    from defenceline.plugin.shipping.simulation import insert_deliveries
    from tests.conftest import Clock, build_plugin_app

    friday = Clock(dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC))
    sim = simulate_deliveries(policy, start=dt.date(2025, 11, 27), seed=11)
    apps = {}
    for mode in ("report", "apply"):
        shop = folder / mode
        shop.mkdir()
        store = shop / "store.toml"
        store.write_text(
            POLICY.read_text(encoding="utf-8") + f'\n[shipping.calibration]\nmode = "{mode}"\n',
            encoding="utf-8",
        )
        app = build_plugin_app(shop, friday, DEFENCELINE_POLICY=str(store), TESTING=False)
        with app.app_context(), state().storage.engine.begin() as connection:
            insert_deliveries(connection, sim)
        apps[mode] = app
    clients = {mode: app.test_client() for mode, app in apps.items()}
    urls = [
        f"/defenceline/api/v1/delivery-estimate?sku=LAMP-1&country={country}"
        for country in ("NL", "BE", "DE")
    ]
    deadline = time.monotonic() + 120
    while not clients["apply"].get(urls[0]).get_json()["calibrated"]:  # computed in the background
        if time.monotonic() > deadline:
            raise RuntimeError("the calibration was not ready within two minutes")
        time.sleep(0.2)
    assert not clients["report"].get(urls[0]).get_json()["calibrated"]

    def rate(mode: str) -> float:
        client = clients[mode]
        began = time.thread_time()
        for n in range(ROUND):
            response = client.get(urls[n % 3])
            assert response.status_code == 200
        return ROUND / (time.thread_time() - began)

    # Short rounds, alternating, timed in this thread's CPU time: on a shared machine the
    # wall clock measures the neighbours as much as the endpoint.
    rounds: dict[str, list[float]] = {"report": [], "apply": []}
    for _ in range(REQUESTS // ROUND):
        for mode in ("report", "apply"):
            rounds[mode].append(rate(mode))
    return statistics.median(rounds["report"]), statistics.median(rounds["apply"])


def estimator_rates(policy: Policy) -> tuple[float, float]:
    """`estimate_delivery` calls per CPU second without and with a calibration table."""
    from defenceline import estimate_delivery
    from defenceline.delivery import CalibratedLane, DeliveryCalibration
    from defenceline.policy import TransitDays

    table = DeliveryCalibration(
        {
            ("Nederland", "PostNL"): CalibratedLane(TransitDays(min=1, max=2), saturday=False),
            ("België en Duitsland", "DHL"): CalibratedLane(TransitDays(min=2, max=3)),
        }
    )
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    moments = [start + dt.timedelta(minutes=37 * n) for n in range(ROUND)]
    countries = ["NL", "BE", "DE"]

    def rate(calibration: DeliveryCalibration | None) -> float:
        began = time.thread_time()
        for n, moment in enumerate(moments):
            estimate_delivery(policy, countries[n % 3], moment, calibration=calibration)
        return ROUND / (time.thread_time() - began)

    rate(None), rate(table)  # warm the memo of both
    plain, calibrated = [], []
    for _ in range(REQUESTS // ROUND):
        plain.append(rate(None))
        calibrated.append(rate(table))
    return statistics.median(plain), statistics.median(calibrated)


def main() -> None:
    policy = load_policy(POLICY)
    print(f"1. promise report and calibration over {SHIPMENTS:,} simulated shipments")
    began = time.perf_counter()
    sim = simulate_deliveries(policy, shipments=SHIPMENTS, seed=2026)
    as_of = sim.as_of
    print(f"   simulated {len(sim):,} shipments in {time.perf_counter() - began:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'shipments.sqlite3'}"
        began = time.perf_counter()
        fill_sqlite(url, sim)
        print(f"   SQLite loaded in {time.perf_counter() - began:.1f} s")
        compare("SQLite", url, as_of)
    cluster = PostgresCluster()
    try:
        url = cluster.new_database()
        began = time.perf_counter()
        fill_postgres(url, sim)
        print(f"   PostgreSQL loaded (COPY) in {time.perf_counter() - began:.1f} s")
        compare("PostgreSQL", url, as_of)
    finally:
        cluster.stop()
    del sim

    print(
        f"2. delivery-estimate endpoint: {REQUESTS} requests per mode in rounds of {ROUND}, "
        "alternating; median rate per CPU second of the serving thread"
    )
    with tempfile.TemporaryDirectory() as tmp:
        plain, calibrated = endpoint_rates(Path(tmp), policy)
    print(f"   mode = report (policy's days):     {plain:8.0f} requests/s")
    print(f"   mode = apply (calibrated days):    {calibrated:8.0f} requests/s")
    print(f"   apply / report:                    {calibrated / plain:8.2f}x (claim: >= 0.90x)")
    plain, calibrated = estimator_rates(policy)
    print(f"   estimate_delivery alone: {plain:,.0f}/s without, {calibrated:,.0f}/s with the "
          f"calibration table ({calibrated / plain:.2f}x)")  # fmt: skip


if __name__ == "__main__":
    main()
