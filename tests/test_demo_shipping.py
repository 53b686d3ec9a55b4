"""The demo's delivery promise loop: a shopper's order is dispatched, taken out for delivery and
delivered by the simulated carrier, each step's email reaches /_outbox, and /_promise reports
on a simulated year of deliveries (loaded once into the demo database)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from defenceline.demoshop.app import create_app
from defenceline.demoshop.deliveries import STEPS, advance_orders, seed_history
from defenceline.plugin import state
from defenceline.plugin.emails.dispatch import send_due
from defenceline.plugin.emails.outbox import OutboxRow
from defenceline.plugin.shipping.records import OrderRow, ShipmentRow

from .conftest import TUESDAY_3PM, Clock, serve
from .test_demo import form_post, page, text

ORDER = {
    "name": "Sanne de Vries",
    "email": "sanne@voorbeeld.nl",
    "street": "Oudegracht 12",
    "postcode": "3511 ab",
    "city": "Utrecht",
    "country": "NL",
    "payment_method": "iDEAL",
    "timezone": "Europe/Amsterdam",
}


def _place_order(app: Flask) -> tuple[FlaskClient, str]:
    shopper = app.test_client()
    form_post(shopper, "/cart/add", data={"sku": "BELL-CHR", "quantity": "1"})
    placed = form_post(shopper, "/checkout", data=ORDER)
    assert placed.status_code == 200
    number = text(BeautifulSoup(placed.data, "lxml"), "[role=status] strong")
    assert number.startswith("TK-")
    return shopper, number


def _shipping_emails(app: Flask, order_id: str) -> list[tuple[str, str, str]]:
    with app.app_context(), state().storage.sessions()() as session:
        rows = session.execute(
            select(OutboxRow.kind, OutboxRow.status, OutboxRow.message)
            .where(OutboxRow.kind.like("shipping_%"))
            .order_by(OutboxRow.id)
        ).all()
    assert all(order_id in message for _, _, message in rows)
    return [(kind, status, message) for kind, status, message in rows]


def test_a_demo_order_gets_dispatched_out_for_delivery_and_delivered_emails(
    tmp_path: Path,
) -> None:
    clock = Clock(TUESDAY_3PM)
    app = create_app(clock=clock, data_dir=tmp_path, help_centre="off")
    shopper, order_id = _place_order(app)
    with app.app_context():
        order = state().storage.sessions()().get(OrderRow, order_id)
        assert order is not None and order.timezone == "Europe/Amsterdam"
        assert order.postcode == "3511 AB"
        # Ordered on Tuesday 15:00 in Amsterdam, before the 16:00 cut-off: PostNL tomorrow.
        assert (order.promise_earliest, order.promise_latest) == (
            dt.date(2026, 11, 25),
            dt.date(2026, 11, 25),
        )
        assert advance_orders() == 0  # nothing is due the moment the order is placed
        sent: list[int] = []
        for after, _status in STEPS:
            clock.moment = TUESDAY_3PM + after + dt.timedelta(seconds=3)
            assert advance_orders() == 1
            sent.append(send_due(app).delivery.sent)
        assert sent == [1, 1, 1]  # each step's email goes out before the carrier's next step
        clock.moment += dt.timedelta(minutes=5)
        assert advance_orders() == 0  # delivered: the carrier is done with it
        assert send_due(app).delivery.sent == 0  # and no email twice
        shipment = state().storage.sessions()().get(ShipmentRow, order_id)
        assert shipment is not None and shipment.carrier == "PostNL"
        assert shipment.delivered_at is not None

    emails = _shipping_emails(app, order_id)
    assert [(kind, status) for kind, status, _ in emails] == [
        ("shipping_dispatched", "sent"),
        ("shipping_out_for_delivery", "sent"),
        ("shipping_delivered", "sent"),
    ]
    dispatched = email.message_from_string(emails[0][2], policy=email.policy.default)
    assert dispatched["To"] == "sanne@voorbeeld.nl"
    body = dispatched.get_body(("plain",))
    assert body is not None
    # The carrier's tracking link carries the parcel's number and the shopper's postcode.
    assert f"3STKR{order_id.removeprefix('TK-')}-NL-3511AB" in body.get_content()

    outbox = text(page(shopper, "/_outbox/"), "main")
    for kind in ("shipping_dispatched", "shipping_out_for_delivery", "shipping_delivered"):
        assert kind in outbox
    assert outbox.count(order_id) == 3


def test_promise_report_covers_the_simulated_year_and_the_demo_orders(tmp_path: Path) -> None:
    clock = Clock(TUESDAY_3PM)
    app = create_app(clock=clock, data_dir=tmp_path, help_centre="off", delivery_history="now")
    assert app.extensions["demo_history"].status == "ready"
    shipments = app.extensions["demo_history"].shipments
    assert 5_000 < shipments <= 6_000  # about a year of a small shop's parcels
    _place_order(app)
    with app.app_context():
        clock.moment = TUESDAY_3PM + STEPS[-1][0]
        advance_orders()
        assert seed_history() == 0  # once per database: a second start adds nothing
        with state().storage.sessions()() as session:
            orders = session.scalar(select(func.count()).select_from(OrderRow))
        assert orders == shipments + 1

    response = app.test_client().get("/_promise")
    assert response.status_code == 200
    assert "script-src 'none'" in response.headers["Content-Security-Policy"]
    report = BeautifulSoup(response.data, "lxml")
    assert text(report, "h1") == "Delivery promise kept: Trapkracht"
    body = text(report, "body")
    assert "PostNL" in body and "DHL" in body
    assert f"{shipments + 1}" in body.replace(",", "").replace("\u202f", "")


def test_promise_page_says_when_the_history_is_still_loading(tmp_path: Path) -> None:
    app = create_app(clock=lambda: TUESDAY_3PM, data_dir=tmp_path, help_centre="off")
    app.extensions["demo_history"].status = "loading"
    response = app.test_client().get("/_promise")
    assert response.status_code == 503
    assert response.headers["Refresh"] == "3"
    assert "gesimuleerde leveringen" in response.get_data(as_text=True)


def test_promise_page_names_the_error_when_the_history_failed_to_load(tmp_path: Path) -> None:
    app = create_app(clock=lambda: TUESDAY_3PM, data_dir=tmp_path, help_centre="off")
    history = app.extensions["demo_history"]
    history.status, history.message = "failed", "OperationalError: database is locked"
    response = app.test_client().get("/_promise")
    assert response.status_code == 500
    assert "OperationalError: database is locked" in response.get_data(as_text=True)


def test_promise_page_is_only_served_to_this_machine(tmp_path: Path) -> None:
    app = create_app(clock=lambda: TUESDAY_3PM, data_dir=tmp_path, help_centre="off")
    remote = app.test_client().get("/_promise", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert remote.status_code == 403


@pytest.mark.browser
def test_checkout_in_a_browser_records_the_order_in_the_shoppers_time_zone(
    browser: Any, tmp_path: Path, clock: Clock
) -> None:
    app = create_app(clock=clock, data_dir=tmp_path, help_centre="off")
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin")
    tab = context.new_page()
    try:
        with serve(app) as url:
            tab.goto(f"{url}/product/fietsbel-klassiek?sku=BELL-CHR")
            tab.click(".add-to-cart button")
            tab.wait_for_url("**/cart")
            tab.goto(f"{url}/checkout")
            for field, value in (("name", "Jonas"), ("email", "jonas@beispiel.de"),
                                 ("street", "Hauptstraße 5"), ("postcode", "10115"),
                                 ("city", "Berlin")):  # fmt: skip
                tab.fill(f"#{field}", value)
            tab.select_option("#country", "DE")
            tab.check("input[name=payment_method][value=PayPal]")
            with tab.expect_navigation():
                tab.click("#checkout-form button[type=submit]")
            order_id = str(tab.text_content("[role=status] strong"))
            links = [tab.get_attribute(f"main a >> nth={n}", "href") for n in range(3)]
    finally:
        context.close()
    assert "/_outbox/" in links and "/_promise" in links
    with app.app_context(), state().storage.sessions()() as session:
        order = session.get(OrderRow, order_id)
        assert order is not None
        # The browser's zone, not the warehouse's: it decides "today" in the shipping emails.
        assert (order.timezone, order.country, order.zone) == (
            "Europe/Berlin",
            "DE",
            "België en Duitsland",
        )
