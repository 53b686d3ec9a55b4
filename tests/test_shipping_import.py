"""``flask defenceline import-shipments FILE.csv`` and its bulk path, on SQLite and PostgreSQL:
the rows become orders with the promise the estimate gave, shipments and their events; a
second import adds only what is new; a bad file imports nothing and names every bad row and
column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from defenceline.delivery import estimate_delivery
from defenceline.plugin import state
from defenceline.plugin.emails.outbox import OutboxRow
from defenceline.plugin.shipping.importing import PastDelivery, load_deliveries
from defenceline.plugin.shipping.records import EventRow, OrderRow, ShipmentRow
from defenceline.plugin.shipping.service import summarise
from defenceline.policyfile import load_policy

from .conftest import DEMO_POLICY, Clock
from .plugin_email import AUTH, build_shop, postgres

__all__ = ["postgres"]

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
HEADER = "order_id,ordered_at,country,carrier,dispatched_at,delivered_at\n"
ROWS = [
    # Tuesday before the 16:00 cut-off, delivered the next day.
    "H-1,2026-03-03T10:00:00+01:00,NL,PostNL,2026-03-03T17:00:00+01:00,2026-03-04T11:20:00+01:00",
    # The same day after the cut-off: a promise one day later.
    "H-2,2026-03-03T18:30:00+01:00,NL,PostNL,2026-03-04T17:00:00+01:00,2026-03-05T09:10:00+01:00",
    # Belgium, with DHL; moments without an offset are the warehouse's clock.
    "H-3,2026-03-05 09:00:00,BE,DHL,2026-03-05 16:00:00,2026-03-09 14:00:00",
    # Still in transit.
    "H-4,2026-03-06T08:00:00Z,DE,DHL,2026-03-06T15:00:00Z,",
]


@pytest.fixture(params=["sqlite", "postgresql"])
def shop(request: pytest.FixtureRequest, tmp_path: Path) -> Flask:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres").new_database()
    return build_shop(tmp_path, url, None, Clock(NOW))


def write(tmp_path: Path, lines: list[str], name: str = "deliveries.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(lines) + "\n", "utf-8")
    return path


def run(shop: Flask, *args: str) -> Any:
    return shop.test_cli_runner().invoke(args=["defenceline", "import-shipments", *args])


def table(shop: Flask, model: Any) -> list[Any]:
    with shop.app_context(), state().storage.sessions()() as session:
        return list(session.scalars(select(model)))


def test_rows_become_orders_with_the_estimated_promise_shipments_and_events(
    shop: Flask, tmp_path: Path
) -> None:
    result = run(shop, str(write(tmp_path, ROWS)))
    assert result.exit_code == 0, result.output
    assert (
        "4 rows" in result.output and "4 new deliveries (3 delivered, 1 in transit" in result.output
    )
    policy = load_policy(DEMO_POLICY)
    orders = {row.order_id: row for row in table(shop, OrderRow)}
    assert set(orders) == {"H-1", "H-2", "H-3", "H-4"}
    for row in orders.values():
        expected = estimate_delivery(policy, row.country, row.placed_at)
        assert (row.promise_earliest, row.promise_latest, row.zone) == (
            expected.earliest, expected.latest, expected.zone,
        )  # fmt: skip
        assert (row.origin, row.email, row.promise_source) == ("import", None, "estimate")
    assert orders["H-1"].promise_latest == dt.date(2026, 3, 4)
    assert orders["H-2"].promise_latest == dt.date(2026, 3, 5)  # after the cut-off
    assert orders["H-3"].placed_at == dt.datetime(2026, 3, 5, 8, 0, tzinfo=dt.UTC)
    shipments = {row.shipment_id: row for row in table(shop, ShipmentRow)}
    events = table(shop, EventRow)
    assert len(events) == 4 + 3  # in_transit at dispatch for each, delivered for three
    for shipment in shipments.values():
        own = [e for e in events if e.shipment_id == shipment.shipment_id]
        expected_summary = summarise(own)
        assert {k: getattr(shipment, k) for k in expected_summary} == expected_summary
    assert shipments["H-4"].status == "in_transit" and shipments["H-4"].delivered_at is None
    assert shipments["H-3"].delivered_at == dt.datetime(2026, 3, 9, 13, 0, tzinfo=dt.UTC)
    assert shipments["H-1"].first_attempt_at == shipments["H-1"].delivered_at
    assert table(shop, OutboxRow) == []  # history is never messaged


def test_importing_again_adds_nothing_and_a_later_export_adds_the_deliveries_since(
    shop: Flask, tmp_path: Path
) -> None:
    path = write(tmp_path, ROWS)
    assert run(shop, str(path)).exit_code == 0
    again = run(shop, str(path))
    assert again.exit_code == 0 and "0 new deliveries" in again.output
    assert "4 already recorded, 0 new events" in again.output
    delivered = [*ROWS[:3], ROWS[3] + "2026-03-10T12:00:00Z"]
    later = run(shop, str(write(tmp_path, delivered, "later.csv")))
    assert later.exit_code == 0 and "1 new events" in later.output, later.output
    [h4] = [row for row in table(shop, ShipmentRow) if row.shipment_id == "H-4"]
    assert h4.status == "delivered"
    assert h4.delivered_at == dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
    assert len(table(shop, OrderRow)) == 4 and len(table(shop, EventRow)) == 8


def test_a_bad_file_imports_nothing_and_names_every_bad_row_and_column(
    shop: Flask, tmp_path: Path
) -> None:
    bad = [
        ROWS[0],
        "H-2,2026-03-03T18:30:00+01:00,NL,PostNL,yesterday,",
        "H-3,2026-03-05T09:00:00Z,XX,DHL,2026-03-05T16:00:00Z,",
        "H-1,2026-03-03T10:00:00+01:00,NL,PostNL,2026-03-03T17:00:00+01:00,",
        "H-5,2026-03-05T09:00:00Z,NL,PostNL,2026-03-05T08:00:00Z,",
        "H-6,2026-03-05T09:00:00Z,NL,PostNL,2026-03-05T16:00:00Z,2026-03-05T10:00:00Z",
        "H 7,2026-03-05T09:00:00Z,NL,,2026-03-05T16:00:00Z,1999-03-06T10:00:00Z",
        *ROWS[2:],
    ]
    path = write(tmp_path, bad)
    result = run(shop, str(path))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"{path}: not imported, nothing was written (8 problems)"
    expected = [
        (3, "dispatched_at", "'yesterday' is not a date and time"),
        (4, "country", "'XX'; expected an ISO 3166-1 alpha-2 country code"),
        (5, "order_id", "order 'H-1' is on an earlier row too"),
        (6, "dispatched_at", "before ordered_at"),
        (7, "delivered_at", "before dispatched_at"),
        (8, "order_id", "'H 7'; expected 1 to 100 letters"),
        (8, "carrier", "empty; expected a value"),
        (8, "delivered_at", "outside the years 2000-2099"),
    ]
    for line, (row, column, words) in zip(lines[1:], expected, strict=True):
        assert line.startswith(f"  {path}:{row}: {column}: "), line
        assert words in line
    assert "Traceback" not in result.output
    assert table(shop, OrderRow) == [] and table(shop, EventRow) == []


def test_a_file_without_the_columns_or_not_utf8_or_a_folder_is_refused(
    shop: Flask, tmp_path: Path
) -> None:
    columns = tmp_path / "columns.csv"
    columns.write_text("order_id,ordered_at,country\nH-1,2026-03-03T10:00:00Z,NL\n", "utf-8")
    result = run(shop, str(columns))
    assert result.exit_code == 1
    assert (
        f"{columns}:1: the header row lacks carrier, dispatched_at, delivered_at" in result.output
    )
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        (HEADER + ROWS[0] + "\n").encode()
        + "H-2,2026-03-03T10:00:00Z,NL,Sjö".encode("latin-1")
        + b",2026-03-03T17:00:00Z,\n"
    )
    result = run(shop, str(latin))
    assert (
        result.exit_code == 1 and f"{latin}:3: this is not UTF-8 text (byte 0xf6)" in result.output
    )
    folder = run(shop, str(tmp_path))
    assert folder.exit_code != 0 and "Traceback" not in folder.output
    assert table(shop, OrderRow) == []


def test_a_row_contradicting_a_recorded_order_is_a_problem_and_nothing_is_written(
    shop: Flask, tmp_path: Path
) -> None:
    body = {"lines": [{"sku": "LAMP-1", "quantity": 1}], "email": "jan@trapkracht.nl",
            "name": "Jan", "locale": "nl", "country": "NL", "timezone": "Europe/Amsterdam",
            "placed_at": "2026-03-03T10:00:00+01:00"}  # fmt: skip
    answer = shop.test_client().post("/defenceline/api/v1/orders/H-1", json=body, headers=AUTH)
    assert answer.status_code == 200
    path = write(tmp_path, [ROWS[0].replace(",NL,", ",BE,"), ROWS[1]])
    result = run(shop, str(path))
    assert result.exit_code == 1
    assert f"{path}:2: country: order 'H-1' was recorded with country NL" in result.output
    assert [row.order_id for row in table(shop, OrderRow)] == ["H-1"]
    assert table(shop, ShipmentRow) == []


def test_the_bulk_path_loads_deliveries_given_in_code(shop: Flask) -> None:
    start = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    deliveries = [
        PastDelivery(
            f"B-{n}",
            start + dt.timedelta(hours=n),
            "NL" if n % 3 else "BE",
            "PostNL" if n % 3 else "DHL",
            start + dt.timedelta(hours=n + 5),
            start + dt.timedelta(hours=n + 30) if n % 7 else None,
        )
        for n in range(250)
    ]
    with shop.app_context():
        st = state()
        with st.storage.sessions().begin() as session:
            report = load_deliveries(session, st.policy, deliveries, NOW, batch_size=40)
    assert (report.rows, report.orders, report.known) == (250, 250, 0)
    assert report.in_transit == sum(1 for n in range(250) if n % 7 == 0)
    assert len(table(shop, ShipmentRow)) == 250
    assert len(table(shop, EventRow)) == 250 + report.delivered
    assert table(shop, OutboxRow) == []  # the shop sends email, but never about history


def test_a_file_full_of_mistakes_lists_the_first_fifty_and_says_it_stopped(
    shop: Flask, tmp_path: Path
) -> None:
    bad = [f"M-{n},2026-03-03T10:00:00Z,NL,PostNL,soon," for n in range(80)]
    result = run(shop, str(write(tmp_path, bad)))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "(51 problems)" in lines[0] and len(lines) == 52
    assert lines[-1].endswith("stopped reading after 50 problems; fix these first")
    assert table(shop, OrderRow) == []
