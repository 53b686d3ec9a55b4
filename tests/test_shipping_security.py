"""The shipping feature under attack and under a privacy officer's eye: a shopper's erasure and
access request cover their orders, shipments and carrier events; hostile ids, names, carriers,
tracking numbers and bodies are refused or made harmless; the carriers in store.toml are
unambiguous."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from defenceline.plugin import state
from defenceline.plugin.emails.outbox import OutboxRow
from defenceline.plugin.shipping.records import EventRow, OrderRow, ShipmentRow

from .conftest import Clock
from .plugin_email import AUTH, build_shop, postgres

__all__ = ["postgres"]

API = "/defenceline/api/v1"
NOW = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)
ADDRESS = "jan@trapkracht.nl"
ORDER = {
    "lines": [{"sku": "LAMP-1", "quantity": 2}],
    "email": ADDRESS,
    "name": "Jan de Vries",
    "locale": "nl",
    "country": "NL",
    "timezone": "Europe/Amsterdam",
    "postcode": "1012 AB",
}
SHIPMENT = {
    "shipment_id": "S-1",
    "carrier": "PostNL",
    "tracking_number": "3SABCD123456789",
    "dispatched_at": "2026-11-24T17:30:00+01:00",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    return request.getfixturevalue("postgres").new_database()  # type: ignore[no-any-return]


@pytest.fixture
def shop(tmp_path: Path, clock: Clock) -> Flask:
    return build_shop(tmp_path, f"sqlite:///{tmp_path / 'shop.sqlite3'}", None, clock)


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def client(shop: Flask) -> FlaskClient:
    return shop.test_client()


def post(client: FlaskClient, path: str, body: Any, headers: dict[str, str] = AUTH) -> Any:
    return client.post(API + path, json=body, headers=headers)


def ok(answer: Any) -> Any:
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()


def cli(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=["defenceline", *args])


def rows(shop: Flask, model: Any) -> list[Any]:
    with shop.app_context(), state().storage.sessions()() as session:
        return list(session.scalars(select(model)))


# --- privacy: export and forget ----------------------------------------------------------------


def delivered_order(client: FlaskClient, order_id: str = "A-1", email: str = ADDRESS) -> None:
    ok(post(client, f"/orders/{order_id}", {**ORDER, "email": email}))
    shipment = f"S-{order_id}"
    ok(post(client, f"/orders/{order_id}/shipments", {**SHIPMENT, "shipment_id": shipment}))
    ok(
        post(
            client,
            f"/shipments/{shipment}/events",
            {"status": "delivered", "at": "2026-11-25T11:00:00+01:00", "location": "Kerkstraat 5"},
        )
    )


def test_export_lists_the_shoppers_orders_with_their_shipments_and_events(
    tmp_path: Path, database_url: str, clock: Clock
) -> None:
    shop = build_shop(tmp_path, database_url, None, clock)
    client = shop.test_client()
    delivered_order(client, "A-1")
    delivered_order(client, "B-1", email="someone.else@trapkracht.nl")
    result = cli(shop, "export", "Jan@Trapkracht.nl")
    assert result.exit_code == 0, result.output
    orders = json.loads(result.output)["orders"]
    assert [o["order_id"] for o in orders] == ["A-1"]
    assert orders[0]["name"] == "Jan de Vries" and orders[0]["postcode"] == "1012 AB"
    (shipment,) = orders[0]["shipments"]
    assert shipment["tracking_number"] == "3SABCD123456789"
    assert [(e["status"], e["location"]) for e in shipment["events"]] == [
        ("delivered", "Kerkstraat 5")
    ]


def test_forget_anonymises_the_orders_but_keeps_the_delivery_facts_the_report_needs(
    tmp_path: Path, database_url: str, clock: Clock
) -> None:
    shop = build_shop(tmp_path, database_url, None, clock)
    client = shop.test_client()
    delivered_order(client, "A-1")
    delivered_order(client, "B-1", email="someone.else@trapkracht.nl")
    result = cli(shop, "forget", "JAN@trapkracht.nl", "--yes")
    assert result.exit_code == 0, result.output
    assert "1 orders anonymised" in result.output and "1 event locations" in result.output
    orders = {o.order_id: o for o in rows(shop, OrderRow)}
    forgotten, other = orders["A-1"], orders["B-1"]
    assert (forgotten.email, forgotten.name, forgotten.postcode) == (None, None, None)
    assert other.email == "someone.else@trapkracht.nl" and other.name == "Jan de Vries"
    # What the promise report measures is still there.
    assert forgotten.country == "NL" and forgotten.promise_latest is not None
    assert forgotten.lines == [{"sku": "LAMP-1", "quantity": 2}]
    shipments = {s.shipment_id: s for s in rows(shop, ShipmentRow)}
    assert shipments["S-A-1"].tracking_number is None
    assert shipments["S-A-1"].delivered_at is not None
    assert shipments["S-B-1"].tracking_number == "3SABCD123456789"
    events = {e.shipment_id: e for e in rows(shop, EventRow)}
    assert events["S-A-1"].location is None and events["S-B-1"].location == "Kerkstraat 5"
    assert json.loads(cli(shop, "export", ADDRESS).output)["orders"] == []
    # The database file no longer holds the name (SQLite: secure delete and a checkpoint).
    if database_url.startswith("sqlite"):
        data = b"".join(p.read_bytes() for p in tmp_path.glob("shop.sqlite3*"))
        assert b"Kerkstraat" in data  # the other shopper's event
        assert data.count(b"jan@trapkracht.nl") == 0


def test_a_forgotten_order_gets_no_more_shipping_messages(client: FlaskClient, shop: Flask) -> None:
    ok(post(client, "/orders/A-1", ORDER))
    assert cli(shop, "forget", ADDRESS, "--yes").exit_code == 0
    ok(post(client, "/orders/A-1/shipments", SHIPMENT))
    assert rows(shop, OutboxRow) == []


def test_an_order_not_forgotten_is_told_of_its_dispatch(client: FlaskClient, shop: Flask) -> None:
    ok(post(client, "/orders/A-1", ORDER))
    ok(post(client, "/orders/A-1/shipments", SHIPMENT))
    assert [row.kind for row in rows(shop, OutboxRow)] == ["shipping_dispatched"]
