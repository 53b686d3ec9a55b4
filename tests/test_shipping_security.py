"""The shipping feature under attack and under a privacy officer's eye: a shopper's erasure and
access request cover their orders, shipments and carrier events; hostile ids, names, carriers,
tracking numbers and bodies are refused or made harmless; the carriers in store.toml are
unambiguous."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from defenceline.demoshop.cli import demo
from defenceline.plugin import state
from defenceline.plugin.catalogue import Product
from defenceline.plugin.emails.outbox import OutboxRow
from defenceline.plugin.shipping.carriers import tracking_link
from defenceline.plugin.shipping.mail import ArticleIndex, articles_for
from defenceline.plugin.shipping.records import EventRow, OrderRow, ShipmentRow
from defenceline.plugin.shipping.service import MAX_EVENTS
from defenceline.policyfile import PolicyError, load_policy

from .conftest import DEMO_POLICY, Clock
from .plugin_email import AUTH, api_post, build_shop, database_url, postgres, stored_rows

__all__ = ["database_url", "postgres"]

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


@pytest.fixture
def shop(tmp_path: Path, clock: Clock) -> Flask:
    return build_shop(tmp_path, f"sqlite:///{tmp_path / 'shop.sqlite3'}", None, clock)


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def client(shop: Flask) -> FlaskClient:
    return shop.test_client()


def ok(answer: Any) -> Any:
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()


def cli(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=["defenceline", *args])


# --- privacy: export and forget ----------------------------------------------------------------


def delivered_order(client: FlaskClient, order_id: str = "A-1", email: str = ADDRESS) -> None:
    ok(api_post(client, f"/orders/{order_id}", {**ORDER, "email": email}))
    shipment = f"S-{order_id}"
    ok(api_post(client, f"/orders/{order_id}/shipments", {**SHIPMENT, "shipment_id": shipment}))
    ok(
        api_post(
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
    orders = {o.order_id: o for o in stored_rows(shop, OrderRow)}
    forgotten, other = orders["A-1"], orders["B-1"]
    assert (forgotten.email, forgotten.name, forgotten.postcode) == (None, None, None)
    assert other.email == "someone.else@trapkracht.nl" and other.name == "Jan de Vries"
    # What the promise report measures is still there.
    assert forgotten.country == "NL" and forgotten.promise_latest is not None
    assert forgotten.lines == [{"sku": "LAMP-1", "quantity": 2}]
    shipments = {s.shipment_id: s for s in stored_rows(shop, ShipmentRow)}
    assert shipments["S-A-1"].tracking_number is None
    assert shipments["S-A-1"].delivered_at is not None
    assert shipments["S-B-1"].tracking_number == "3SABCD123456789"
    events = {e.shipment_id: e for e in stored_rows(shop, EventRow)}
    assert events["S-A-1"].location is None and events["S-B-1"].location == "Kerkstraat 5"
    assert json.loads(cli(shop, "export", ADDRESS).output)["orders"] == []
    # The database file no longer holds the name (SQLite: secure delete and a checkpoint).
    if database_url.startswith("sqlite"):
        data = b"".join(p.read_bytes() for p in tmp_path.glob("shop.sqlite3*"))
        assert b"Kerkstraat" in data  # the other shopper's event
        assert data.count(b"jan@trapkracht.nl") == 0


def test_a_forgotten_order_gets_no_more_shipping_messages(client: FlaskClient, shop: Flask) -> None:
    ok(api_post(client, "/orders/A-1", ORDER))
    assert cli(shop, "forget", ADDRESS, "--yes").exit_code == 0
    ok(api_post(client, "/orders/A-1/shipments", SHIPMENT))
    assert stored_rows(shop, OutboxRow) == []


def test_an_order_not_forgotten_is_told_of_its_dispatch(client: FlaskClient, shop: Flask) -> None:
    ok(api_post(client, "/orders/A-1", ORDER))
    ok(api_post(client, "/orders/A-1/shipments", SHIPMENT))
    assert [row.kind for row in stored_rows(shop, OutboxRow)] == ["shipping_dispatched"]


# --- hostile values: links, emails, limits -----------------------------------------------------


@pytest.mark.parametrize(
    ("carrier", "tracking_number", "postcode"),
    [("DHL", "..", "3201ME"), ("DHL", ".", "3201ME"), ("DHL", "JVGL1", "..")],
)
def test_a_tracking_number_or_postcode_that_is_a_dot_segment_gets_no_link(
    carrier: str, tracking_number: str, postcode: str
) -> None:
    policy = load_policy(DEMO_POLICY)
    assert tracking_link(policy, carrier, tracking_number, postcode) is None
    # The same carrier links an ordinary parcel, and dots inside a number are kept.
    assert tracking_link(policy, carrier, "JV.GL..1", "3201ME") == (
        "https://my.dhlecommerce.nl/home/tracktrace/JV.GL..1/3201ME"
    )


def test_a_carrier_listed_twice_in_the_policy_is_refused_naming_the_field(tmp_path: Path) -> None:
    text = DEMO_POLICY.read_text("utf-8").replace(
        '[[shipping.carriers]]\nname = "DHL"', '[[shipping.carriers]]\nname = "postnl"'
    )
    path = tmp_path / "store.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(PolicyError) as refused:
        load_policy(path)
    message = str(refused.value)
    assert "shipping.carriers[1].name" in message and "'postnl' is listed twice" in message


def test_a_carrier_not_in_the_policy_is_accepted_without_a_tracking_link(
    client: FlaskClient,
) -> None:
    ok(api_post(client, "/orders/A-1", ORDER))
    answer = ok(api_post(client, "/orders/A-1/shipments", {**SHIPMENT, "carrier": "Bringer Air"}))
    assert answer["carrier"] == "Bringer Air" and answer["tracking_url"] is None


def test_a_shipment_takes_at_most_max_events_and_the_one_past_it_changes_nothing(
    client: FlaskClient, shop: Flask
) -> None:
    ok(api_post(client, "/orders/A-1", ORDER))
    ok(api_post(client, "/orders/A-1/shipments", SHIPMENT))
    start = dt.datetime(2026, 11, 25, 0, 0, tzinfo=dt.UTC)
    with shop.app_context(), state().storage.sessions().begin() as session:
        session.add_all(
            EventRow(
                shipment_id="S-1",
                event_id=f"e{n}",
                status="in_transit",
                at=start + dt.timedelta(minutes=n),
            )
            for n in range(MAX_EVENTS)
        )
    answer = api_post(
        client, "/shipments/S-1/events", {"status": "delivered", "at": "2026-11-26T10:00:00Z"}
    )
    assert answer.status_code == 409, answer.get_data(as_text=True)
    assert f"expected at most {MAX_EVENTS} per shipment" in answer.get_json()["detail"]
    assert len(stored_rows(shop, EventRow)) == MAX_EVENTS
    assert stored_rows(shop, ShipmentRow)[0].delivered_at is None


HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def test_markup_in_names_carriers_and_locations_reaches_the_email_as_text(
    client: FlaskClient, shop: Flask
) -> None:
    ok(api_post(client, "/orders/A-1", {**ORDER, "name": f"Jan {HOSTILE}"}))
    ok(api_post(client, "/orders/A-1/shipments", {**SHIPMENT, "carrier": f"Post {HOSTILE}"}))
    ok(
        api_post(
            client,
            "/shipments/S-1/events",
            {"status": "delivered", "at": "2026-11-25T11:00:00+01:00", "location": HOSTILE},
        )
    )
    sent = stored_rows(shop, OutboxRow)
    assert {row.kind for row in sent} == {"shipping_dispatched", "shipping_delivered"}
    for row in sent:
        message = email.message_from_string(row.message, policy=email.policy.default)
        assert message["To"] == ADDRESS and message["Subject"].count("\n") == 0
        html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
        assert "<script>alert" not in html and "<img" not in html
        assert "onerror" not in html or "&lt;img" in html or "\\u003cimg" in html
        text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert "Jan " in text


@pytest.mark.parametrize(
    "order_id",
    ["A%0d%0aX", "A%00", "..", "A%2F..%2Fb", "A" * 101, "%E2%80%AEA", "A%20B"],
)
def test_an_id_with_control_characters_or_path_tricks_is_refused_naming_it(
    client: FlaskClient, order_id: str
) -> None:
    answer = api_post(client, f"/orders/{order_id}", ORDER)
    assert answer.status_code in {400, 404}, answer.get_data(as_text=True)
    if answer.status_code == 400:
        assert answer.get_json()["parameter"] == "order_id"
    assert "Traceback" not in answer.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/orders/A-1", ORDER),
        ("/orders/A-1/shipments", SHIPMENT),
        ("/shipments/S-1/events", {"status": "delivered", "at": "2026-11-25T11:00:00Z"}),
    ],
)
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong", "Basic dGVzdDp0ZXN0", "Bearer", AUTH["Authorization"] + "x"],
)
def test_every_shipping_write_needs_the_bearer_token(
    client: FlaskClient, shop: Flask, path: str, body: Any, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    answer = api_post(client, path, body, headers=headers)
    assert answer.status_code == 401 and answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert stored_rows(shop, OrderRow) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("placed_at", "1970-01-01T00:00:00Z"),
        ("placed_at", "9999-12-31T23:59:59Z"),
        ("placed_at", "2026-02-30T10:00:00Z"),
        ("placed_at", "2026-11-24T10:00:00"),
        ("promise", {"earliest": "2026-11-30", "latest": "2026-11-25"}),
        ("promise", {"earliest": "0001-01-01", "latest": "2026-11-25"}),
        ("name", "Jan\r\nBcc: victim@example.org"),
        ("email", "jan@trapkracht.nl\r\nBcc: victim@example.org"),
        ("email", "jan@trapkracht.nl, victim@example.org"),
        ("lines", [{"sku": f"S{n}", "quantity": 1} for n in range(10_000)]),
    ],
)
def test_absurd_dates_header_injection_and_too_many_lines_are_refused_naming_the_field(
    client: FlaskClient, shop: Flask, field: str, value: Any
) -> None:
    answer = api_post(client, "/orders/A-1", {**ORDER, field: value})
    assert answer.status_code in {400, 413, 422}, answer.get_data(as_text=True)
    if answer.status_code != 413:
        assert field in json.dumps(answer.get_json())
    assert stored_rows(shop, OrderRow) == []


# --- import-shipments with a hostile file ------------------------------------------------------

IMPORT_HEADER = "order_id,ordered_at,country,carrier,dispatched_at,delivered_at\n"
IMPORT_ROW = "H-1,2026-03-03T10:00:00Z,NL,PostNL,2026-03-03T17:00:00Z,2026-03-04T11:00:00Z\n"


def test_an_import_file_without_line_breaks_is_refused_without_reading_it_whole(
    shop: Flask, tmp_path: Path
) -> None:
    path = tmp_path / "one-line.csv"
    with path.open("wb") as handle:
        handle.write(IMPORT_HEADER.encode() + IMPORT_ROW.encode())
        for _ in range(64):  # 64 MiB without a line break
            handle.write(b"x" * (1 << 20))
    result = cli(shop, "import-shipments", str(path))
    assert result.exit_code == 1, result.output
    assert f"{path}:3: the line is longer than 65,536 bytes" in result.output
    assert "Traceback" not in result.output and stored_rows(shop, OrderRow) == []


def test_an_import_file_with_a_byte_order_mark_and_crlf_line_ends_is_read(
    shop: Flask, tmp_path: Path
) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (IMPORT_HEADER + IMPORT_ROW).replace("\n", "\r\n").encode())
    result = cli(shop, "import-shipments", str(path))
    assert result.exit_code == 0, result.output
    assert [o.order_id for o in stored_rows(shop, OrderRow)] == ["H-1"]


# --- the demo ----------------------------------------------------------------------------------


def test_the_demo_says_its_admin_flag_exposes_the_promise_report_too() -> None:
    result = CliRunner().invoke(demo, ["--help"])
    assert result.exit_code == 0 and "/_promise" in " ".join(result.output.split())


def test_markup_in_a_carrier_name_reaches_the_promise_report_page_as_text(
    client: FlaskClient, shop: Flask, tmp_path: Path
) -> None:
    placed = {"placed_at": "2026-11-20T10:00:00+01:00"}
    ok(api_post(client, "/orders/A-1", {**ORDER, **placed}))
    shipment = {**SHIPMENT, "carrier": HOSTILE, "dispatched_at": "2026-11-20T17:00:00+01:00"}
    ok(api_post(client, "/orders/A-1/shipments", shipment))
    delivered = {"status": "delivered", "at": "2026-11-21T11:00:00+01:00"}
    ok(api_post(client, "/shipments/S-1/events", delivered))
    page = tmp_path / "report.html"
    result = cli(shop, "promise-report", "--html", str(page))
    assert result.exit_code == 0, result.output
    html = page.read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the lane is on the page
    assert "<script" not in html and "<img" not in html


# --- races -------------------------------------------------------------------------------------


def test_two_identical_events_at_once_are_stored_once_and_told_once(
    tmp_path: Path, database_url: str, clock: Clock
) -> None:
    shop = build_shop(tmp_path, database_url, None, clock)
    client = shop.test_client()
    ok(api_post(client, "/orders/A-1", ORDER))
    ok(api_post(client, "/orders/A-1/shipments", SHIPMENT))
    for round_ in range(5):
        at = f"2026-11-25T1{round_}:00:00+01:00"
        body = {"status": "delivered" if round_ == 4 else "in_transit", "at": at}
        barrier = threading.Barrier(2)
        answers: list[Any] = []

        def send(
            body: dict[str, Any] = body,
            barrier: threading.Barrier = barrier,
            answers: list[Any] = answers,
        ) -> None:
            own = shop.test_client()
            barrier.wait()
            answers.append(api_post(own, "/shipments/S-1/events", body))

        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [a.status_code for a in answers] == [200, 200], [a.get_data() for a in answers]
        assert sorted(a.get_json()["recorded"] for a in answers) == [False, True]
        assert len({a.get_json()["event_id"] for a in answers}) == 1
    assert len(stored_rows(shop, EventRow)) == 5
    kinds = sorted(row.kind for row in stored_rows(shop, OutboxRow))
    assert kinds == ["shipping_delivered", "shipping_dispatched"]


def test_help_articles_that_leave_the_help_centre_are_not_linked_in_emails() -> None:
    index = ArticleIndex(
        site_url="https://trapkracht.example/help/",
        articles={
            "evil.md": {"title": "Reschedule", "url": "javascript:alert(1)"},
            "away.md": {"title": "Reschedule", "url": "https://evil.example/reschedule"},
            "care.md": {"title": "Care", "url": "lamps/care/"},
        },
        products={"LAMP-1": ["evil.md", "away.md", "care.md"]},
        categories={},
    )
    lamp = Product(sku="LAMP-1", name="Lamp", price=Decimal("10"))
    assert [a["url"] for a in articles_for(index, [lamp])] == [
        "https://trapkracht.example/help/lamps/care/"
    ]
