"""Orders, shipments and carrier events through the JSON API and the Python API, on SQLite and
PostgreSQL: the promise frozen at order time, idempotent calls, duplicate and out-of-order
events converging on one state, split shipments, the bearer token, bad input answered with a
problem naming the field, tracking links, the status mappings, and concurrent events."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from defenceline.delivery import estimate_delivery
from defenceline.plugin import DefenceLine, state
from defenceline.plugin.emails.outbox import OutboxRow
from defenceline.plugin.shipping.carriers import tracking_link
from defenceline.plugin.shipping.records import EventRow, OrderRow, ShipmentRow
from defenceline.plugin.shipping.service import Conflict, NotFound, summarise
from defenceline.plugin.shipping.simulation import insert_deliveries, simulate_deliveries
from defenceline.plugin.shipping.statuses import (
    KARRIO,
    SENDCLOUD,
    ShipmentStatus,
    from_aftership,
    from_karrio,
    from_sendcloud,
)
from defenceline.policyfile import PolicyError, load_policy

from .conftest import DEMO_POLICY, Clock
from .plugin_email import API, AUTH, api_post, build_shop, database_url, postgres, stored_rows

__all__ = ["database_url", "postgres"]

# Tuesday 24 November 2026, 15:00 in Amsterdam: before the 16:00 cut-off.
NOW = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)
ORDER = {
    "lines": [{"sku": "LAMP-1", "quantity": 2}, {"sku": "BELL-1", "quantity": 1}],
    "email": "jan@trapkracht.nl",
    "name": "Jan de Vries",
    "locale": "nl",
    "country": "NL",
    "timezone": "Europe/Amsterdam",
    "postcode": "1012 ab",
}
SHIPMENT = {
    "shipment_id": "S-1",
    "carrier": "PostNL",
    "tracking_number": "3SABCD123456789",
    "dispatched_at": "2026-11-24T17:30:00+01:00",
}


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def shop(tmp_path: Path, database_url: str, clock: Clock) -> Flask:
    return build_shop(tmp_path, database_url, None, clock)


@pytest.fixture
def client(shop: Flask) -> FlaskClient:
    return shop.test_client()


def order(client: FlaskClient, order_id: str = "A-1", **changes: Any) -> Any:
    answer = api_post(client, f"/orders/{order_id}", {**ORDER, **changes})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()


def ship(client: FlaskClient, order_id: str = "A-1", **changes: Any) -> Any:
    answer = api_post(client, f"/orders/{order_id}/shipments", {**SHIPMENT, **changes})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()


def event(client: FlaskClient, status: str, at: str, shipment: str = "S-1", **extra: Any) -> Any:
    answer = api_post(
        client, f"/shipments/{shipment}/events", {"status": status, "at": at, **extra}
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()


# --- the promise, frozen at order time ---------------------------------------------------------


def test_an_order_without_a_promise_records_what_the_widget_showed_when_it_was_placed(
    client: FlaskClient, clock: Clock
) -> None:
    placed = "2026-11-24T15:30:00+01:00"  # before the cut-off: dispatched today
    answer = order(client, placed_at=placed)
    expected = estimate_delivery(load_policy(DEMO_POLICY), "NL", dt.datetime.fromisoformat(placed))
    assert answer["promise"] == {
        "earliest": expected.earliest.isoformat(),  # type: ignore[union-attr]
        "latest": expected.latest.isoformat(),  # type: ignore[union-attr]
        "source": "estimate",
    }
    assert answer["promise"]["latest"] == "2026-11-25"
    assert answer["zone"] == "Nederland" and answer["placed_at"] == "2026-11-24T14:30:00Z"
    # After the cut-off the widget promised a day later; the order placed before keeps its day.
    clock.moment = dt.datetime(2026, 11, 24, 17, 0, tzinfo=dt.UTC)
    assert order(client)["promise"]["latest"] == "2026-11-25"
    late = order(client, "A-2")
    assert late["promise"]["latest"] == "2026-11-26" and late["placed_at"] == "2026-11-24T17:00:00Z"


def test_an_order_keeps_the_shops_own_promise_and_a_country_not_shipped_to_has_none(
    client: FlaskClient,
) -> None:
    given = order(client, promise={"earliest": "2026-11-26", "latest": "2026-11-28"})
    assert given["promise"] == {"earliest": "2026-11-26", "latest": "2026-11-28", "source": "shop"}
    assert given["zone"] == "Nederland"
    abroad = order(client, "US-1", country="US", timezone="America/New_York")
    assert abroad["promise"] == {"earliest": None, "latest": None, "source": "estimate"}
    assert abroad["zone"] is None


def test_in_apply_mode_the_order_freezes_the_calibrated_promise_the_widget_showed(
    tmp_path: Path,
) -> None:
    friday = Clock(dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC))
    policy_file = tmp_path / "store.toml"
    policy_file.write_text(
        DEMO_POLICY.read_text("utf-8") + '\n[shipping.calibration]\nmode = "apply"\n', "utf-8"
    )
    app = build_shop(
        tmp_path, f"sqlite:///{tmp_path / 'shop.sqlite3'}", None, friday,
        DEFENCELINE_POLICY=str(policy_file),
    )  # fmt: skip
    history = simulate_deliveries(load_policy(DEMO_POLICY), start=dt.date(2025, 11, 27), seed=11)
    with app.app_context(), state().storage.engine.begin() as connection:
        insert_deliveries(connection, history)
    client = app.test_client()
    widget = "/defenceline/api/v1/delivery-estimate?sku=LAMP-1&country=NL"
    deadline = time.monotonic() + 60
    shown = client.get(widget).get_json()
    while not shown["calibrated"] and time.monotonic() < deadline:  # computed in the background
        time.sleep(0.2)
        shown = client.get(widget).get_json()
    assert shown["calibrated"] is True
    recorded = order(client, "CAL-1")
    assert recorded["promise"] == {
        "earliest": shown["earliest"], "latest": shown["latest"], "source": "calibrated"
    }  # fmt: skip


def test_the_same_order_twice_changes_nothing_and_a_contradiction_is_a_409_naming_the_field(
    shop: Flask, client: FlaskClient
) -> None:
    first = order(client, placed_at="2026-11-24T10:00:00+01:00")
    assert order(client, placed_at="2026-11-24T10:00:00+01:00") == first
    assert order(client) == first  # placed_at left out: the recorded one stands
    for change, field in (
        ({"country": "BE"}, "country"),
        ({"lines": [{"sku": "LAMP-1", "quantity": 3}]}, "lines"),
        ({"placed_at": "2026-11-24T11:00:00+01:00"}, "placed_at"),
        ({"promise": {"earliest": "2026-11-25", "latest": "2026-11-27"}}, "promise"),
    ):
        answer = api_post(client, "/orders/A-1", {**ORDER, **change})
        assert answer.status_code == 409, change
        problem = answer.get_json()
        assert problem["field"] == field and "'A-1'" in problem["detail"]
    [row] = stored_rows(shop, OrderRow)
    assert row.country == "NL" and row.promise_source == "estimate"


def test_contact_details_can_be_corrected_and_a_cancellation_stands(
    shop: Flask, client: FlaskClient
) -> None:
    order(client)
    corrected = {"email": "jan.devries@trapkracht.nl", "postcode": "1012AB"}
    order(client, **corrected)
    cancelled = order(client, **corrected, cancelled_at="2026-11-24T16:00:00+01:00")
    assert cancelled["cancelled_at"] == "2026-11-24T15:00:00Z"
    again = order(client, **corrected, cancelled_at="2026-11-25T09:00:00+01:00")
    assert again["cancelled_at"] == "2026-11-24T15:00:00Z"  # the first cancellation stands
    [row] = stored_rows(shop, OrderRow)
    assert (row.email, row.postcode, row.origin) == ("jan.devries@trapkracht.nl", "1012AB", "api")


# --- shipments and events ----------------------------------------------------------------------


def test_a_shipment_answers_with_its_tracking_link_and_repeats_change_nothing(
    shop: Flask, client: FlaskClient
) -> None:
    order(client)
    first = ship(client)
    assert first["tracking_url"] == (
        "https://jouw.postnl.nl/track-and-trace/3SABCD123456789-NL-1012AB"
    )
    assert first["status"] is None and first["dispatched_at"] == "2026-11-24T16:30:00Z"
    assert ship(client) == first
    changed = api_post(client, "/orders/A-1/shipments", {**SHIPMENT, "tracking_number": "3SOTHER"})
    assert changed.status_code == 409 and changed.get_json()["field"] == "tracking_number"
    order(client, "A-2")
    elsewhere = api_post(client, "/orders/A-2/shipments", SHIPMENT)
    assert elsewhere.status_code == 409 and elsewhere.get_json()["field"] == "order_id"
    assert len(stored_rows(shop, ShipmentRow)) == 1


def test_unknown_orders_and_shipments_are_404s(client: FlaskClient) -> None:
    answer = api_post(client, "/orders/NOPE/shipments", SHIPMENT)
    assert answer.status_code == 404 and answer.get_json()["order_id"] == "NOPE"
    answer = api_post(
        client, "/shipments/NOPE/events", {"status": "delivered", "at": SHIPMENT["dispatched_at"]}
    )
    assert answer.status_code == 404 and answer.get_json()["shipment_id"] == "NOPE"


EVENTS = [
    {"status": "info_received", "at": "2026-11-24T17:00:00+01:00"},
    {"status": "in_transit", "at": "2026-11-24T22:10:00+01:00", "location": "Nieuwegein"},
    {"status": "delayed", "at": "2026-11-25T07:00:00+01:00", "expected_delivery": "2026-11-26"},
    {"status": "out_for_delivery", "at": "2026-11-26T08:00:00+01:00", "event_id": "pnl-4"},
    {"status": "failed_attempt", "at": "2026-11-26T11:00:00+01:00", "event_id": "pnl-5"},
    {"status": "out_for_delivery", "at": "2026-11-27T08:00:00+01:00", "event_id": "pnl-6",
     "expected_delivery": "2026-11-27"},
    {"status": "delivered", "at": "2026-11-27T10:15:00+01:00", "event_id": "pnl-7"},
]  # fmt: skip


def test_events_twice_or_out_of_order_end_in_the_same_shipment_state(client: FlaskClient) -> None:
    order(client)
    ship(client)
    ship(client, shipment_id="S-2")
    for one in EVENTS:
        last = event(client, shipment="S-1", **one)
    in_order = last["shipment"]
    assert in_order["status"] == "delivered"
    assert in_order["first_attempt_at"] == "2026-11-26T10:00:00Z"  # the failed attempt
    assert in_order["delivered_at"] == "2026-11-27T09:15:00Z"
    assert in_order["expected_delivery"] == "2026-11-27"

    shuffled = [*EVENTS, *EVENTS[:3], EVENTS[-1]]
    random.Random(14).shuffle(shuffled)
    answers = [event(client, shipment="S-2", **one) for one in shuffled]
    recorded = [a["recorded"] for a in answers]
    assert recorded.count(True) == len(EVENTS)  # each duplicate is recognised
    other = answers[-1]["shipment"]
    keys = ("status", "status_at", "first_attempt_at", "delivered_at", "expected_delivery")
    assert {k: other[k] for k in keys} == {k: in_order[k] for k in keys}
    # The same event again, with or without an id: nothing changes, the id is the same.
    again = event(client, shipment="S-2", **EVENTS[1])
    assert again["recorded"] is False and again["shipment"] == other
    assert again["event_id"] == answers[shuffled.index(EVENTS[1])]["event_id"]
    assert event(client, shipment="S-2", **EVENTS[4])["event_id"] == "pnl-5"


def test_at_the_same_moment_the_later_stage_wins(client: FlaskClient) -> None:
    order(client)
    ship(client)
    at = "2026-11-25T10:00:00+01:00"
    event(client, "delivered", at)
    state_after = event(client, "out_for_delivery", at)["shipment"]
    assert state_after["status"] == "delivered"


def test_an_event_id_reused_with_other_facts_is_a_409(client: FlaskClient) -> None:
    order(client)
    ship(client)
    event(client, "in_transit", "2026-11-24T22:00:00+01:00", event_id="e1")
    answer = api_post(
        client, "/shipments/S-1/events",
        {"status": "delivered", "at": "2026-11-24T22:00:00+01:00", "event_id": "e1"},
    )  # fmt: skip
    assert answer.status_code == 409 and answer.get_json()["field"] == "status"


def test_returns_and_refunds_are_summarised(client: FlaskClient) -> None:
    order(client)
    ship(client)
    event(client, "delivered", "2026-11-25T10:00:00+01:00")
    event(client, "return_received", "2026-12-01T12:00:00+01:00")
    state_after = event(client, "refunded", "2026-12-02T09:00:00+01:00")["shipment"]
    assert state_after["returned_at"] == "2026-12-01T11:00:00Z"
    assert state_after["refunded_at"] == "2026-12-02T08:00:00Z"
    assert state_after["status"] == "refunded" and state_after["delivered_at"] is not None


def test_split_shipments_take_parts_of_the_order_and_never_more_than_was_ordered(
    shop: Flask, client: FlaskClient
) -> None:
    order(client)
    one = ship(client, shipment_id="S-1", lines=[{"sku": "LAMP-1", "quantity": 1}])
    assert one["lines"] == [{"sku": "LAMP-1", "quantity": 1}]
    ship(
        client,
        shipment_id="S-2",
        lines=[{"sku": "LAMP-1", "quantity": 1}, {"sku": "BELL-1", "quantity": 1}],
    )
    too_many = api_post(
        client,
        "/orders/A-1/shipments",
        {**SHIPMENT, "shipment_id": "S-3", "lines": [{"sku": "LAMP-1", "quantity": 1}]},
    )
    assert too_many.status_code == 409
    assert too_many.get_json()["field"] == "lines.0.quantity"
    assert "only 0 of the 2 ordered" in too_many.get_json()["detail"]
    stranger = api_post(
        client,
        "/orders/A-1/shipments",
        {**SHIPMENT, "shipment_id": "S-4", "lines": [{"sku": "HELM-L", "quantity": 1}]},
    )
    assert stranger.status_code == 409 and stranger.get_json()["field"] == "lines.0.sku"
    assert sorted(r.shipment_id for r in stored_rows(shop, ShipmentRow)) == ["S-1", "S-2"]
    event(client, "delivered", "2026-11-25T10:00:00+01:00", shipment="S-1")
    states = {r.shipment_id: r.status for r in stored_rows(shop, ShipmentRow)}
    assert states == {"S-1": "delivered", "S-2": None}  # each parcel has its own state


def test_a_dispatch_and_a_delivery_queue_their_messages_once(
    shop: Flask, client: FlaskClient
) -> None:
    order(client)
    ship(client)
    ship(client)
    event(client, "delivered", "2026-11-25T10:00:00+01:00")
    event(client, "delivered", "2026-11-25T10:00:00+01:00")
    kinds = sorted(row.kind for row in stored_rows(shop, OutboxRow))
    assert kinds == ["shipping_delivered", "shipping_dispatched"]


# --- who may write, and what -------------------------------------------------------------------

WRITES = [
    ("/orders/A-1", ORDER),
    ("/orders/A-1/shipments", SHIPMENT),
    ("/shipments/S-1/events", {"status": "delivered", "at": "2026-11-25T10:00:00+01:00"}),
]


@pytest.mark.parametrize(("path", "body"), WRITES)
def test_writes_need_the_bearer_token(
    shop: Flask, client: FlaskClient, path: str, body: Any
) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic czNjcmV0"}):
        answer = api_post(client, path, body, headers)
        assert answer.status_code == 401, headers
        assert answer.headers["WWW-Authenticate"] == 'Bearer realm="defenceline"'
    shop.extensions["defenceline"].api_token = None
    assert api_post(client, path, body).status_code == 403
    assert stored_rows(shop, OrderRow) == []


AT = "2026-11-25T10:00:00Z"
DELIVERED = {"status": "delivered", "at": AT}
BAD_INPUT = [
    ("/orders/A-1", {"placed_at": "2026-11-24T15:00:00"}, "placed_at", "UTC offset"),
    ("/orders/A-1", {"placed_at": "1999-12-31T23:00:00Z"}, "placed_at", "2000-2099"),
    ("/orders/A-1", {"placed_at": "2026-02-30T10:00:00Z"}, "placed_at", "day is out"),
    ("/orders/A-1", {"country": "nl"}, "country", "ISO 3166-1"),
    ("/orders/A-1", {"timezone": "Mars/Olympus"}, "timezone", "IANA"),
    ("/orders/A-1", {"lines": []}, "lines", "at least 1"),
    ("/orders/A-1", {"lines": [{"sku": "LAMP-1", "quantity": 0}]}, "lines.0.quantity",
     "greater than or equal to 1"),
    ("/orders/A-1", {"email": "not an address"}, "email", ""),
    ("/orders/A-1", {"promise": {"earliest": "2026-11-28", "latest": "2026-11-26"}}, "promise",
     "earliest <= latest"),
    ("/orders/A-1", {"total": "59.95"}, "total", "unknown field"),
    ("/orders/A-1", {"email": None}, "email", "string"),
    ("/orders/A-1/shipments", {"tracking_number": "3S ABC"}, "tracking_number", "pattern"),
    ("/orders/A-1/shipments", {"dispatched_at": 1764000000}, "dispatched_at", "a date and time"),
    ("/shipments/S-1/events", {"status": "lost"}, "status", "info_received"),
    ("/shipments/S-1/events", {"expected_delivery": "26-11-2026"}, "expected_delivery",
     "2026-11-26"),
    ("/shipments/S-1/events", {"event_id": "a b"}, "event_id", "pattern"),
]  # fmt: skip
BASES = {
    "/orders/A-1": ORDER,
    "/orders/A-1/shipments": SHIPMENT,
    "/shipments/S-1/events": DELIVERED,
}


@pytest.mark.parametrize(("path", "change", "field", "words"), BAD_INPUT)
def test_bad_input_is_a_422_problem_naming_the_field(
    client: FlaskClient, path: str, change: dict[str, Any], field: str, words: str
) -> None:
    if path != "/orders/A-1":
        order(client)
    if path.startswith("/shipments/"):
        ship(client)
    answer = api_post(client, path, {**BASES[path], **change})
    assert answer.status_code == 422, answer.get_data(as_text=True)
    assert answer.mimetype == "application/problem+json"
    problem = answer.get_json()
    assert problem["field"] == field and problem["detail"].startswith(f"{field}: ")
    assert words in problem["detail"]
    assert "Traceback" not in answer.get_data(as_text=True)


def test_malformed_requests_are_4xx_problems(client: FlaskClient) -> None:
    bad_id = api_post(client, "/orders/a%20b", ORDER)
    assert bad_id.status_code == 400 and bad_id.get_json()["parameter"] == "order_id"
    not_json = client.post(f"{API}/orders/A-1", data="x", content_type="text/plain", headers=AUTH)
    assert not_json.status_code == 415
    broken = client.post(
        f"{API}/orders/A-1", data="{", content_type="application/json", headers=AUTH
    )
    assert broken.status_code == 400


# --- the Python API ----------------------------------------------------------------------------


def test_the_python_api_records_like_the_json_api(shop: Flask, client: FlaskClient) -> None:
    with shop.app_context():
        recorded = DefenceLine.record_order(
            "P-1", **{**ORDER, "placed_at": dt.datetime(2026, 11, 24, 14, 30, tzinfo=dt.UTC)}
        )
        assert recorded.promise.latest == dt.date(2026, 11, 25)
        parcel = DefenceLine.record_shipment(
            "P-1", **{**SHIPMENT, "dispatched_at": dt.datetime(2026, 11, 24, 16, 0, tzinfo=dt.UTC)}
        )
        assert parcel.tracking_url and parcel.tracking_url.endswith("-NL-1012AB")
        when = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
        first = DefenceLine.record_event("S-1", status="delivered", at=when)
        again = DefenceLine.record_event("S-1", status=ShipmentStatus.DELIVERED, at=when)
        assert first.recorded and not again.recorded
        assert again.shipment.delivered_at == when
        with pytest.raises(ValueError, match=r"^at: expected an aware datetime"):
            DefenceLine.record_event("S-1", status="delivered", at=dt.datetime(2026, 11, 25))
        with pytest.raises(ValueError, match="order_id 'a/b'"):
            DefenceLine.record_order("a/b", **ORDER)
        with pytest.raises(Conflict):
            DefenceLine.record_order("P-1", **{**ORDER, "country": "DE"})
        with pytest.raises(NotFound):
            DefenceLine.record_shipment("P-2", **SHIPMENT)
        cancelled = DefenceLine.cancel_order("P-1", dt.datetime(2026, 11, 26, tzinfo=dt.UTC))
        assert cancelled.cancelled_at == dt.datetime(2026, 11, 26, tzinfo=dt.UTC)
        with pytest.raises(NotFound):
            DefenceLine.cancel_order("P-9")
    # The JSON API sees the same order.
    assert order(client, "P-1", placed_at="2026-11-24T14:30:00Z")["cancelled_at"] == (
        "2026-11-26T00:00:00Z"
    )


# --- many at once --------------------------------------------------------------------------------


def test_concurrent_events_for_one_shipment_all_count(shop: Flask, client: FlaskClient) -> None:
    order(client)
    ship(client)
    base = dt.datetime(2026, 11, 24, 18, 0, tzinfo=dt.UTC)
    statuses = itertools.cycle(["in_transit", "in_transit", "out_for_delivery"])
    bodies = [
        {"status": next(statuses), "at": (base + dt.timedelta(minutes=17 * n)).isoformat(),
         "event_id": f"c{n}"}
        for n in range(24)
    ] + [{"status": "delivered", "at": "2026-11-25T09:00:00+00:00", "event_id": "c-9"}]  # fmt: skip
    errors: list[object] = []

    def send(part: list[dict[str, Any]]) -> None:
        own = shop.test_client()
        for body in part:
            answer = api_post(own, "/shipments/S-1/events", body)
            if answer.status_code != 200:
                errors.append(answer.get_data(as_text=True))

    threads = [threading.Thread(target=send, args=(bodies[n::5],)) for n in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with shop.app_context(), state().storage.sessions()() as session:
        events = list(session.scalars(select(EventRow)))
        row = session.get(ShipmentRow, "S-1")
        assert row is not None and len(events) == len(bodies)
        expected = summarise(events)
        assert {name: getattr(row, name) for name in expected} == expected
        assert row.status == "delivered"
        assert session.scalar(select(func.count()).select_from(OutboxRow)) == 2


# --- tracking links and the status vocabularies -----------------------------------------------


def test_tracking_links_fill_number_and_postcode_as_carriers_expect() -> None:
    policy = load_policy(DEMO_POLICY)
    assert tracking_link(policy, "dhl", "JVGL 0001", " 3201 me") == (
        "https://my.dhlecommerce.nl/home/tracktrace/JVGL%200001/3201ME"
    )
    assert tracking_link(policy, "PostNL", "3S1/../x", "1012AB") == (
        "https://jouw.postnl.nl/track-and-trace/3S1%2F..%2Fx-NL-1012AB"
    )
    assert tracking_link(policy, "PostNL", "3S1", None) is None  # the page needs the postcode
    assert tracking_link(policy, "Bringer", "X1", "1012AB") is None  # not listed


def test_a_tracking_url_without_the_number_is_refused_with_its_place(tmp_path: Path) -> None:
    text = DEMO_POLICY.read_text("utf-8").replace(
        "{tracking_number}-NL-{postcode}", "{barcode}-NL-{postcode}"
    )
    path = tmp_path / "store.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(PolicyError) as refused:
        load_policy(path)
    message = str(refused.value)
    assert "shipping.carriers[0].tracking_url" in message and "{tracking_number}" in message


@pytest.mark.parametrize(
    ("mapping", "value", "expected"),
    [
        (from_karrio, "delivery_failed", ShipmentStatus.FAILED_ATTEMPT),
        (from_karrio, "ready_for_pickup", ShipmentStatus.AVAILABLE_FOR_PICKUP),
        (from_karrio, "on_hold", ShipmentStatus.EXCEPTION),
        (from_karrio, "cancelled", None),
        (from_sendcloud, 92, ShipmentStatus.OUT_FOR_DELIVERY),
        (from_sendcloud, "shipment collected by customer", ShipmentStatus.DELIVERED),
        (from_sendcloud, 62992, ShipmentStatus.RETURNED_TO_SENDER),
        (from_sendcloud, 2000, None),
    ],
)
def test_tracking_services_statuses_map_onto_the_vocabulary(
    mapping: Callable[[Any], ShipmentStatus | None], value: Any, expected: ShipmentStatus | None
) -> None:
    assert mapping(value) == expected


def test_aftership_subtags_refine_exceptions_and_unknown_words_are_refused() -> None:
    assert from_aftership("Exception") == ShipmentStatus.EXCEPTION
    assert from_aftership("Exception", "Exception_004") == ShipmentStatus.DELAYED
    assert from_aftership("Exception", "Exception_011") == ShipmentStatus.RETURN_RECEIVED
    assert from_aftership("InTransit", "Exception_011") == ShipmentStatus.IN_TRANSIT
    assert from_aftership("Pending") is None
    with pytest.raises(ValueError, match="unknown AfterShip status 'Lost'"):
        from_aftership("Lost")
    with pytest.raises(ValueError, match="unknown Karrio status 'picked'"):
        from_karrio("picked")
    with pytest.raises(ValueError, match="unknown Sendcloud status 4242"):
        from_sendcloud(4242)
    # Every status of the vocabulary is reachable from each service's words but "refunded",
    # which only the shop knows.
    reached = {s for s in KARRIO.values() if s} | {s for _, s in SENDCLOUD.values() if s}
    assert set(ShipmentStatus) - reached == {
        ShipmentStatus.REFUNDED,
        ShipmentStatus.RETURN_RECEIVED,
    }
