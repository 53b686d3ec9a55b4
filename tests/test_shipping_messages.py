"""Shipping messages through the outbox: every trigger, every "never sent" rule, the delay
notice's deadline across weekends, public holidays and daylight-saving changes, and exactly
once with two sender processes - on SQLite and PostgreSQL, against a real SMTP server
(aiosmtpd on 127.0.0.1).

Orders, shipments and events are written as the shipping service writes them (the tables and
the shipment's summary columns), then `notices.enqueue_due` is called as the service calls it
after each accepted shipment or event.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from defenceline import Policy
from defenceline.helpcentre import build_site, create_help_centre
from defenceline.helpcentre.productarticles import ProductArticleIndex
from defenceline.plugin import state
from defenceline.plugin.emails.consent import Purpose, address_hash, suppress
from defenceline.plugin.emails.dispatch import send_due
from defenceline.plugin.emails.outbox import OutboxRow
from defenceline.plugin.shipping import notices
from defenceline.plugin.shipping.records import EventRow, OrderRow, ShipmentRow

from .conftest import DEMO_POLICY, Clock
from .plugin_email import (
    AUTH,
    PUBLIC_URL,
    Received,
    SmtpServer,
    build_shop,
    database_url,
    postgres,
    sender_command,
    shop_config,
    smtp_server,
)

__all__ = ["database_url", "postgres"]

AMSTERDAM = "Europe/Amsterdam"
BERLIN = "Europe/Berlin"
SHOPPER = "jan@trapkracht.nl"
# Tuesday 24 November 2026, 11:00 in Amsterdam.
PLACED = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


def local(day: str, clock: str, zone: str = AMSTERDAM) -> dt.datetime:
    """A wall-clock moment in `zone`, as UTC."""
    from zoneinfo import ZoneInfo

    moment = dt.datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=ZoneInfo(zone))
    return moment.astimezone(dt.UTC)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


def make_shop(
    tmp_path: Path, smtp: SmtpServer, database_url: str | None = None, **extra: Any
) -> Flask:
    url = database_url or f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    return build_shop(tmp_path, url, smtp.url, Clock(PLACED), **extra)


@pytest.fixture
def shop(tmp_path: Path, smtp: SmtpServer) -> Flask:
    return make_shop(tmp_path, smtp)


# --- writing what the shipping service writes ---------------------------------------------------


def place(
    app: Flask,
    order_id: str = "1001",
    *,
    latest: str = "2026-11-25",
    earliest: str | None = None,
    email: str | None = SHOPPER,
    country: str = "NL",
    zone: str | None = "Nederland",
    timezone: str = AMSTERDAM,
    locale: str = "nl",
    placed_at: dt.datetime = PLACED,
    origin: str = "api",
    lines: list[dict[str, Any]] | None = None,
) -> None:
    with app.app_context(), state().storage.sessions().begin() as session:
        session.add(
            OrderRow(
                order_id=order_id,
                email=email,
                name="Jan",
                locale=locale,
                country=country,
                timezone=timezone,
                postcode="1011AB",
                lines=lines or [{"sku": "LAMP-1", "quantity": 2}, {"sku": "BELL-1", "quantity": 1}],
                placed_at=placed_at,
                promise_earliest=dt.date.fromisoformat(earliest or latest),
                promise_latest=dt.date.fromisoformat(latest),
                promise_source="shop",
                zone=zone,
                origin=origin,
            )
        )


def ship(
    app: Flask,
    order_id: str = "1001",
    shipment_id: str | None = None,
    *,
    at: dt.datetime = PLACED + dt.timedelta(hours=5),
    carrier: str = "PostNL",
    now: dt.datetime | None = None,
) -> list[notices.Notice]:
    with app.app_context(), state().storage.sessions().begin() as session:
        shipment = ShipmentRow(
            shipment_id=shipment_id or f"S{order_id}",
            order_id=order_id,
            carrier=carrier,
            tracking_number="3SABCD1234567",
            dispatched_at=at,
        )
        session.add(shipment)
        session.flush()
        return notices.enqueue_due(session, shipment, now or at)


def happen(
    app: Flask,
    shipment_id: str,
    status: str,
    at: dt.datetime,
    *,
    expected: str | None = None,
    now: dt.datetime | None = None,
    event_id: str | None = None,
) -> list[notices.Notice]:
    """One carrier event, and the shipment's summary as the service recomputes it."""
    with app.app_context(), state().storage.sessions().begin() as session:
        shipment = session.get(ShipmentRow, shipment_id)
        assert shipment is not None
        session.add(
            EventRow(
                shipment_id=shipment_id,
                event_id=event_id or f"{status}@{at.isoformat()}",
                status=status,
                at=at,
                expected_delivery=dt.date.fromisoformat(expected) if expected else None,
            )
        )
        shipment.status, shipment.status_at = status, at
        if expected:
            shipment.expected_delivery = dt.date.fromisoformat(expected)
        if status in {"delivered", "failed_attempt"} and shipment.first_attempt_at is None:
            shipment.first_attempt_at = at
        if status == "delivered":
            shipment.delivered_at = at
        if status == "return_received" and shipment.returned_at is None:
            shipment.returned_at = at
        if status == "refunded" and shipment.refunded_at is None:
            shipment.refunded_at = at
        session.flush()
        return notices.enqueue_due(session, shipment, now or at)


def run(app: Flask, now: dt.datetime) -> None:
    send_due(app, now=now)


def outbox(app: Flask) -> list[OutboxRow]:
    with app.app_context(), state().storage.sessions()() as session:
        return list(session.scalars(select(OutboxRow).order_by(OutboxRow.id)))


def text_of(received: Received) -> str:
    body = received.message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def html_of(received: Received) -> str:
    body = received.message.get_body(("html",))
    assert body is not None
    return str(body.get_content())


def jsonld_of(received: Received) -> dict[str, Any]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html_of(received))
    assert len(found) == 1
    data: dict[str, Any] = json.loads(found[0])
    return data


def delivered_message(app: Flask, smtp: SmtpServer) -> Received:
    """Order 1001 (in English) shipped and delivered: the "delivered" email as received."""
    place(app, locale="en")
    ship(app)
    delivered_at = local("2026-11-25", "13:00")
    assert outcomes(happen(app, "S1001", "delivered", delivered_at))["shipping_delivered"] == (
        "queued"
    )
    run(app, delivered_at)
    [message] = [r for r in smtp.received if "delivered" in str(r.message["Subject"])]
    return message


def outcomes(found: list[notices.Notice]) -> dict[str, str]:
    return {n.kind: n.outcome if n.outcome != "stopped" else n.reason for n in found}


# --- dispatched ---------------------------------------------------------------------------------


def test_dispatched_message_lists_the_items_tracking_link_and_promised_window(
    shop: Flask, smtp: SmtpServer
) -> None:
    place(shop, earliest="2026-11-25", latest="2026-11-26")
    assert outcomes(ship(shop)) == {"shipping_dispatched": "queued"}
    run(shop, PLACED + dt.timedelta(hours=5))
    [received] = smtp.received
    message = received.message
    assert message["Subject"] == "Je bestelling 1001 is onderweg"
    assert message["From"] == "Trapkracht <noreply@trapkracht.example>"
    assert message["Reply-To"] == "service@trapkracht.example"
    assert message["List-Unsubscribe"] is None  # nothing optional in it: nothing to stop
    text = text_of(received)
    assert "2 × Front lamp" in text and "1 × Bell, Black" in text
    assert "PostNL" in text and "3SABCD1234567" in text
    assert "tussen woensdag 25 november en donderdag 26 november" in text
    assert "Je krijgt deze e-mail omdat je bij Trapkracht hebt besteld" in text
    data = jsonld_of(received)
    assert data["@type"] == "ParcelDelivery"
    assert data["carrier"] == {"@type": "Organization", "name": "PostNL"}
    assert data["trackingNumber"] == "3SABCD1234567"
    assert (data["expectedArrivalFrom"], data["expectedArrivalUntil"]) == (
        "2026-11-25",
        "2026-11-26",
    )
    assert [item["sku"] for item in data["itemShipped"]] == ["LAMP-1", "BELL-1"]
    assert data["partOfOrder"]["orderNumber"] == "1001"
    assert data["partOfOrder"]["orderStatus"] == "https://schema.org/OrderInTransit"


def test_markup_cannot_be_broken_out_of_by_a_product_name(shop: Flask, smtp: SmtpServer) -> None:
    place(shop, lines=[{"sku": "XSS-1", "quantity": 1}])
    ship(shop)
    run(shop, PLACED + dt.timedelta(hours=5))
    html = html_of(smtp.received[0])
    assert "<script>alert" not in html
    assert (
        jsonld_of(smtp.received[0])["itemShipped"][0]["name"] == "<script>alert('x')</script> Bell"
    )


@pytest.mark.parametrize(
    ("locale", "subject", "direction"),
    [
        ("en", "Your order 1001 is on its way", "ltr"),
        ("de", "Deine Bestellung 1001 ist unterwegs", "ltr"),
        ("he", "ההזמנה שלך 1001 בדרך אליך", "rtl"),
    ],
)
def test_messages_speak_the_shoppers_language(
    shop: Flask, smtp: SmtpServer, locale: str, subject: str, direction: str
) -> None:
    place(shop, locale=locale)
    ship(shop)
    run(shop, PLACED + dt.timedelta(hours=5))
    received = smtp.received[0]
    assert received.message["Subject"] == subject
    assert received.message["Content-Language"] == locale
    assert f'dir="{direction}"' in html_of(received)


# --- delay --------------------------------------------------------------------------------------


def test_exception_event_sends_one_delay_notice_per_expected_date(
    shop: Flask, smtp: SmtpServer
) -> None:
    place(shop, latest="2026-11-25")
    ship(shop)
    at = local("2026-11-25", "09:00")
    assert (
        outcomes(happen(shop, "S1001", "exception", at, expected="2026-11-27"))["shipping_delay"]
        == "queued"
    )
    run(shop, at)
    delay = [
        r
        for r in smtp.received
        if "later" in r.message["Subject"] or "later dan" in r.message["Subject"]
    ]
    assert len(delay) == 1
    text = text_of(delay[0])
    assert "niet uiterlijk woensdag 25 november" in text
    assert "PostNL verwacht het nu op vrijdag 27 november te bezorgen." in text
    assert "+31 20 123 4567" in text  # how to reach the shop
    assert jsonld_of(delay[0])["expectedArrivalUntil"] == "2026-11-27"
    # The same expected date again (another event): no second notice.
    later = at + dt.timedelta(hours=3)
    assert (
        outcomes(happen(shop, "S1001", "delayed", later, expected="2026-11-27"))["shipping_delay"]
        == "already"
    )
    # A new expected date is news: one more.
    latest = at + dt.timedelta(hours=6)
    assert (
        outcomes(happen(shop, "S1001", "delayed", latest, expected="2026-11-28"))["shipping_delay"]
        == "queued"
    )
    run(shop, latest)
    subjects = [r.message["Subject"] for r in smtp.received]
    assert subjects.count("Je bestelling 1001 komt later dan we beloofden") == 2


def test_delayed_event_with_an_estimate_inside_the_promise_sends_nothing(shop: Flask) -> None:
    place(shop, latest="2026-11-26")
    ship(shop)
    found = happen(shop, "S1001", "delayed", local("2026-11-25", "09:00"), expected="2026-11-26")
    assert "shipping_delay" not in outcomes(found)


def test_carrier_estimate_after_the_promise_sends_a_delay_notice_without_an_exception(
    shop: Flask,
) -> None:
    place(shop, latest="2026-11-25")
    ship(shop)
    found = happen(shop, "S1001", "in_transit", local("2026-11-25", "07:00"), expected="2026-11-27")
    assert outcomes(found)["shipping_delay"] == "queued"


def scan_at(app: Flask, moment: dt.datetime) -> dict[str, str]:
    with app.app_context():
        return {n.shipment_id: n.outcome for n in notices.scan(state().storage, moment)}


def test_scan_sends_the_delay_notice_at_18_on_the_last_promised_day_not_before(
    shop: Flask, smtp: SmtpServer
) -> None:
    place(shop, latest="2026-11-25")  # a Wednesday
    ship(shop)
    happen(shop, "S1001", "in_transit", local("2026-11-25", "06:00"))
    assert scan_at(shop, local("2026-11-25", "17:59")) == {}
    run(shop, local("2026-11-25", "17:59"))
    assert not [r for r in smtp.received if "later" in str(r.message["Subject"])]
    assert scan_at(shop, local("2026-11-25", "18:00")) == {"S1001": "queued"}
    assert scan_at(shop, local("2026-11-25", "18:05")) == {}  # written once, not claimed again
    run(shop, local("2026-11-25", "18:01"))
    delay = [r for r in smtp.received if "later" in str(r.message["Subject"])]
    assert len(delay) == 1
    assert "nog geen nieuwe datum" in text_of(delay[0])
    # The promised day is over for the shopper: a scan after it writes nothing new.
    assert scan_at(shop, local("2026-11-26", "00:30")) == {}


def test_scan_sends_nothing_for_a_parcel_out_for_delivery_or_delivered(shop: Flask) -> None:
    place(shop, "1001", latest="2026-11-25")
    place(shop, "1002", latest="2026-11-25")
    ship(shop, "1001")
    ship(shop, "1002")
    happen(shop, "S1001", "out_for_delivery", local("2026-11-25", "08:00"))
    happen(shop, "S1002", "delivered", local("2026-11-25", "14:00"))
    assert scan_at(shop, local("2026-11-25", "18:30")) == {}


def test_the_delay_hour_is_configurable(tmp_path: Path, smtp: SmtpServer) -> None:
    app = make_shop(tmp_path, smtp, DEFENCELINE_SHIPPING_DELAY_HOUR="15:30")
    place(app, latest="2026-11-25")
    ship(app)
    assert scan_at(app, local("2026-11-25", "15:29")) == {}
    assert scan_at(app, local("2026-11-25", "15:30")) == {"S1001": "queued"}


# --- the deadline across weekends, public holidays and daylight-saving changes -----------------


def test_promise_ending_on_sunday_is_missed_after_fridays_round_for_a_weekday_carrier(
    shop: Flask,
) -> None:
    # Germany: DHL delivers Monday to Friday. A promise up to Sunday 29 November is missed
    # once Friday 27 November's round is over, not on Sunday evening.
    place(shop, latest="2026-11-29", country="DE", zone="België en Duitsland", timezone=BERLIN)
    ship(shop, carrier="DHL")
    assert scan_at(shop, local("2026-11-27", "17:59", BERLIN)) == {}
    assert scan_at(shop, local("2026-11-27", "18:00", BERLIN)) == {"S1001": "queued"}


def test_promise_ending_on_saturday_waits_for_saturdays_round_where_the_carrier_delivers(
    shop: Flask,
) -> None:
    place(shop, latest="2026-11-28")  # PostNL in the Netherlands delivers on Saturdays
    ship(shop)
    assert scan_at(shop, local("2026-11-27", "18:00")) == {}
    assert scan_at(shop, local("2026-11-28", "18:00")) == {"S1001": "queued"}


def test_a_public_holiday_at_the_destination_moves_the_deadline_back(shop: Flask) -> None:
    # Whit Monday (25 May 2026) is a holiday in Germany: the last delivery day is Friday 22.
    place(
        shop,
        latest="2026-05-25",
        country="DE",
        zone="België en Duitsland",
        timezone=BERLIN,
        placed_at=dt.datetime(2026, 5, 20, 10, tzinfo=dt.UTC),
    )
    ship(shop, carrier="DHL", at=dt.datetime(2026, 5, 20, 15, tzinfo=dt.UTC))
    assert scan_at(shop, local("2026-05-22", "17:59", BERLIN)) == {}
    assert scan_at(shop, local("2026-05-22", "18:00", BERLIN)) == {"S1001": "queued"}
    # King's Day (Monday 27 April 2026) in the Netherlands: Saturday 25 is the last day.
    with shop.app_context():
        policy = state().policy
        zone = policy.zone_for("NL")
    assert notices.last_delivery_day(zone, "NL", dt.date(2026, 4, 27)) == dt.date(2026, 4, 25)


@pytest.mark.parametrize(
    ("latest", "too_early", "on_time"),
    [
        # Autumn: ordered in summer time (UTC+2), the deadline is 18:00 winter time (UTC+1).
        (
            "2026-10-26",
            dt.datetime(2026, 10, 26, 16, 30, tzinfo=dt.UTC),
            dt.datetime(2026, 10, 26, 17, 0, tzinfo=dt.UTC),
        ),
        # Spring: ordered in winter time, the deadline is 18:00 summer time = 16:00 UTC.
        (
            "2026-03-30",
            dt.datetime(2026, 3, 30, 15, 59, tzinfo=dt.UTC),
            dt.datetime(2026, 3, 30, 16, 0, tzinfo=dt.UTC),
        ),
    ],
)
def test_the_deadline_is_18_on_the_shoppers_wall_clock_across_a_daylight_saving_change(
    shop: Flask, latest: str, too_early: dt.datetime, on_time: dt.datetime
) -> None:
    placed = dt.date.fromisoformat(latest) - dt.timedelta(days=4)
    placed_at = dt.datetime.combine(placed, dt.time(10), tzinfo=dt.UTC)
    place(
        shop,
        latest=latest,
        country="DE",
        zone="België en Duitsland",
        timezone=BERLIN,
        placed_at=placed_at,
    )
    ship(shop, carrier="DHL", at=placed_at + dt.timedelta(hours=5))
    assert scan_at(shop, too_early) == {}
    assert scan_at(shop, on_time) == {"S1001": "queued"}


# --- out for delivery, delivered, return, refund -------------------------------------------------


def test_out_for_delivery_is_off_by_default(shop: Flask) -> None:
    place(shop)
    ship(shop)
    found = happen(shop, "S1001", "out_for_delivery", local("2026-11-25", "08:30"))
    assert outcomes(found)["shipping_out_for_delivery"] == "switched_off"


ALL_ON = ["dispatched", "delay", "out_for_delivery", "delivered", "return_received", "refunded"]


def test_one_unsubscribe_link_stops_the_optional_messages_and_only_those(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    app = make_shop(
        tmp_path,
        smtp,
        DEFENCELINE_SHIPPING_MESSAGES=ALL_ON,
        DEFENCELINE_SHIPPING_REVIEW_URL="https://trapkracht.example/review?order={order_id}",
    )
    place(app, "1001")
    ship(app, "1001")
    morning = local("2026-11-25", "08:30")
    happen(app, "S1001", "out_for_delivery", morning)
    run(app, morning)
    today = [r for r in smtp.received if "vandaag" in str(r.message["Subject"])]
    assert len(today) == 1
    assert "PostNL bezorgt je pakket vandaag." in text_of(today[0])
    https = re.findall(r"<([^>]+)>", str(today[0].message["List-Unsubscribe"]))[0]
    assert https.startswith(f"{PUBLIC_URL}/defenceline/email/unsubscribe/")
    page = app.test_client().post(https.removeprefix(PUBLIC_URL))
    assert page.status_code == 200
    assert "optionele bezorgberichten" in page.get_data(as_text=True)
    # The next order: dispatched and delivered still come (service messages); "arrives
    # today" does not, and "delivered" carries no review request.
    place(app, "1002")
    ship(app, "1002")
    assert (
        outcomes(happen(app, "S1002", "out_for_delivery", morning))["shipping_out_for_delivery"]
        == "unsubscribed"
    )
    delivered_at = local("2026-11-25", "12:00")
    happen(app, "S1002", "delivered", delivered_at)
    run(app, delivered_at)
    delivered = [r for r in smtp.received if "1002 is bezorgd" in str(r.message["Subject"])]
    assert len(delivered) == 1
    assert "review" not in text_of(delivered[0])
    assert delivered[0].message["List-Unsubscribe"] is None


def test_delivered_message_carries_the_products_help_articles_and_the_review_request(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    index = ProductArticleIndex("https://trapkracht.example/help/")
    index.add(
        "kb/lights/mount.md",
        "Mounting the front lamp",
        "kb/lights/mount/",
        {"products": ["LAMP-1"], "description": "Two screws"},
    )
    index.add(
        "kb/bells/ring.md", "Tuning your bell", "kb/bells/ring/", {"products": "bell"}
    )  # by product id
    index.add("kb/other/tyres.md", "Tyre pressure", "kb/other/tyres/", {"products": ["TYRE-9"]})
    site = tmp_path / "site"
    site.mkdir()
    path = index.write(site)
    app = make_shop(
        tmp_path,
        smtp,
        DEFENCELINE_PRODUCT_ARTICLES=str(path),
        DEFENCELINE_SHIPPING_REVIEW_URL="https://trapkracht.example/review?order={order_id}",
    )
    message = delivered_message(app, smtp)
    text = text_of(message)
    assert "PostNL delivered your parcel on Wednesday, November 25." in text
    assert "Mounting the front lamp: https://trapkracht.example/help/kb/lights/mount/" in text
    assert "Tuning your bell: https://trapkracht.example/help/kb/bells/ring/" in text
    assert "Tyre pressure" not in text
    assert "Write a review: https://trapkracht.example/review?order=1001" in text
    assert message.message["List-Unsubscribe"] is not None  # the review request is optional
    data = jsonld_of(message)
    assert data["partOfOrder"]["orderStatus"] == "https://schema.org/OrderDelivered"


def test_a_built_help_centre_indexes_its_articles_by_product_for_the_delivered_message(
    tmp_path: Path, smtp: SmtpServer, demo_policy: Policy
) -> None:
    source = tmp_path / "help"
    create_help_centre(source, demo_policy, DEMO_POLICY, language="en")
    review_by = (dt.date.today() + dt.timedelta(days=200)).isoformat()
    (source / "docs" / "kb" / "products" / "front-lamp.md").write_text(
        f"---\ntitle: Fitting the front lamp\nreview_by: {review_by}\n"
        "products: [LAMP-1]\nproduct_categories: lights\n---\n\n# Fitting the front lamp\n\n"
        "Two screws hold it to the handlebar.\n",
        encoding="utf-8",
    )
    result = build_site(source, tmp_path / "site")
    assert result.ok, result.messages
    index = json.loads((tmp_path / "site" / "product-articles.json").read_text("utf-8"))
    assert index["products"] == {"LAMP-1": ["kb/products/front-lamp.md"]}
    assert index["categories"] == {"lights": ["kb/products/front-lamp.md"]}
    url = index["site_url"] + index["articles"]["kb/products/front-lamp.md"]["url"]
    assert (tmp_path / "site" / url.removeprefix(index["site_url"]) / "index.html").is_file()
    app = make_shop(
        tmp_path,
        smtp,
        DEFENCELINE_PRODUCT_ARTICLES=str(tmp_path / "site" / "product-articles.json"),
    )
    message = delivered_message(app, smtp)
    assert f"Fitting the front lamp: {url}" in text_of(message)
    assert f'href="{url}"' in html_of(message)


def test_delivered_message_has_no_review_request_unless_the_shop_turns_it_on(
    shop: Flask, smtp: SmtpServer
) -> None:
    message = delivered_message(shop, smtp)
    assert "review" not in text_of(message).lower()


def test_return_received_and_refund_issued_messages(shop: Flask, smtp: SmtpServer) -> None:
    place(shop, locale="en")
    ship(shop)
    happen(shop, "S1001", "delivered", local("2026-11-25", "13:00"))
    back = local("2026-12-01", "10:00")
    assert (
        outcomes(happen(shop, "S1001", "return_received", back))["shipping_return_received"]
        == "queued"
    )
    refund = local("2026-12-02", "10:00")
    assert outcomes(happen(shop, "S1001", "refunded", refund))["shipping_refunded"] == "queued"
    run(shop, refund)
    subjects = {str(r.message["Subject"]) for r in smtp.received}
    assert "We received your return for order 1001" in subjects
    assert "Your refund for order 1001 has been issued" in subjects


# --- never sent ---------------------------------------------------------------------------------


def test_nothing_is_sent_after_a_cancellation_even_when_already_queued(
    shop: Flask, smtp: SmtpServer
) -> None:
    place(shop)
    ship(shop)  # queued
    with shop.app_context(), state().storage.sessions().begin() as session:
        order = session.get(OrderRow, "1001")
        assert order is not None
        order.cancelled_at = PLACED + dt.timedelta(hours=6)
    run(shop, PLACED + dt.timedelta(hours=6))
    assert smtp.received == []
    assert [(row.status, row.reason) for row in outbox(shop)] == [
        ("cancelled", "the order was cancelled")
    ]
    found = happen(shop, "S1001", "delivered", local("2026-11-25", "12:00"))
    assert outcomes(found)["shipping_delivered"] == "cancelled"


def test_nothing_is_sent_to_an_address_that_bounced_or_was_unsubscribed(
    shop: Flask, smtp: SmtpServer
) -> None:
    place(shop, "1001", email="gone@trapkracht.nl")
    place(shop, "1002", email="quiet@trapkracht.nl")
    with shop.app_context(), state().storage.sessions().begin() as session:
        # A bounce on a cart reminder: the mailbox is gone for every purpose.
        suppress(session, address_hash("gone@trapkracht.nl"), Purpose.CART_REMINDERS, "bounced")
        suppress(session, address_hash("quiet@trapkracht.nl"), Purpose.SHIPPING, "unsubscribed")
    assert outcomes(ship(shop, "1001")) == {"shipping_dispatched": "suppressed"}
    assert outcomes(ship(shop, "1002")) == {"shipping_dispatched": "suppressed"}
    run(shop, PLACED + dt.timedelta(hours=6))
    assert smtp.received == []


def test_a_hard_bounce_stops_the_next_shipping_message(shop: Flask, smtp: SmtpServer) -> None:
    smtp.behaviour.replies["nobody@trapkracht.nl"] = "550 5.1.1 no such mailbox"
    place(shop, email="nobody@trapkracht.nl")
    ship(shop)
    run(shop, PLACED + dt.timedelta(hours=5))
    assert outbox(shop)[0].status == "failed"
    found = happen(shop, "S1001", "delivered", local("2026-11-25", "12:00"))
    assert outcomes(found)["shipping_delivered"] == "suppressed"


def test_never_twice_for_one_event_whatever_the_number_of_calls(
    shop: Flask, smtp: SmtpServer
) -> None:
    place(shop)
    ship(shop)
    delivered_at = local("2026-11-25", "12:00")
    happen(shop, "S1001", "delivered", delivered_at)
    # The carrier sends "delivered" again with another event id, and the service calls
    # enqueue_due again for every accepted event.
    again = happen(shop, "S1001", "delivered", delivered_at, event_id="carrier-2")
    assert outcomes(again)["shipping_delivered"] == "already"
    run(shop, delivered_at)
    run(shop, delivered_at + dt.timedelta(minutes=5))
    kinds = collections.Counter(row.kind for row in outbox(shop))
    assert kinds == {"shipping_dispatched": 1, "shipping_delivered": 1}
    assert len(smtp.received) == 1  # "dispatched" was cancelled: it was delivered first
    assert {row.status for row in outbox(shop) if row.kind == "shipping_dispatched"} == {
        "cancelled"
    }


def test_switched_off_imported_test_address_and_stale_events_send_nothing(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    app = make_shop(tmp_path, smtp, DEFENCELINE_SHIPPING_MESSAGES=["delivered"])
    place(app, "1001")
    assert outcomes(ship(app, "1001")) == {"shipping_dispatched": "switched_off"}
    place(app, "1002", origin="import")
    assert outcomes(ship(app, "1002")) == {"shipping_dispatched": "imported"}
    place(app, "1003", email="someone@example.com")
    assert outcomes(happen_after_ship(app, "1003")) == {"shipping_delivered": "test_address"}
    place(app, "1004")
    ship(app, "1004")
    old = local("2026-11-25", "12:00")
    found = happen(app, "S1004", "delivered", old, now=old + dt.timedelta(days=4))
    assert outcomes(found) == {"shipping_delivered": "stale"}
    assert outbox(app) == []


def happen_after_ship(app: Flask, order_id: str) -> list[notices.Notice]:
    ship(app, order_id)
    return happen(app, f"S{order_id}", "delivered", local("2026-11-25", "12:00"))


def test_quiet_hours_hold_a_late_evening_message_until_the_morning(
    shop: Flask, smtp: SmtpServer
) -> None:
    place(shop)
    ship(shop)
    run(shop, PLACED + dt.timedelta(hours=5))
    late = local("2026-11-25", "22:30")
    [notice] = [n for n in happen(shop, "S1001", "delivered", late) if n.outcome == "queued"]
    assert notice.due_at == local("2026-11-26", "08:00")
    run(shop, late + dt.timedelta(minutes=5))
    assert len(smtp.received) == 1  # only "dispatched", earlier that day
    run(shop, local("2026-11-26", "08:00"))
    assert len(smtp.received) == 2


# --- the command and the settings ----------------------------------------------------------------


def test_shipping_scan_command_dry_run_writes_nothing(shop: Flask) -> None:
    place(shop, latest="2026-11-25")
    ship(shop)
    runner = shop.test_cli_runner()
    command = ["defenceline", "shipping-scan", "--now", "2026-11-25T18:30"]
    result = runner.invoke(args=[*command, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "shipping_delay for shipment S1001: queued" in result.output
    assert [row.kind for row in outbox(shop)] == ["shipping_dispatched"]
    result = runner.invoke(args=command)
    assert "queued 1 delay notice(s)" in result.output
    bad = runner.invoke(args=["defenceline", "shipping-scan", "--now", "tomorrow"])
    assert bad.exit_code == 2 and "'tomorrow' is not an ISO 8601 moment" in bad.output


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("DEFENCELINE_SHIPPING_MESSAGES", ["arrives_today"], "'arrives_today' is not a shipping"),
        ("DEFENCELINE_SHIPPING_DELAY_HOUR", "6pm", "is not a time of day"),
        ("DEFENCELINE_SHIPPING_REVIEW_URL", "https://x.example/r/{sku}", "unknown field {sku}"),
    ],
)
def test_a_wrong_shipping_setting_fails_at_start_naming_the_key(
    tmp_path: Path, smtp: SmtpServer, key: str, value: object, expected: str
) -> None:
    with pytest.raises(RuntimeError, match=re.escape(key)) as error:
        make_shop(tmp_path, smtp, **{key: value})
    assert expected in str(error.value)


# --- exactly once with two sender processes -----------------------------------------------------


def test_two_concurrent_senders_send_each_delay_notice_exactly_once(
    tmp_path: Path, database_url: str, smtp: SmtpServer
) -> None:
    delay_only = {"DEFENCELINE_SHIPPING_MESSAGES": ["delay"]}
    app = make_shop(tmp_path, smtp, database_url, **delay_only)
    count = 60
    addresses = [f"shopper{n:03d}@trapkracht.nl" for n in range(count)]
    for n, address in enumerate(addresses):
        place(app, f"O{n}", email=address, latest="2026-11-25")
        ship(app, f"O{n}")
    assert outbox(app) == []
    # Both passes start at the deadline: each scans, writes and sends at the same time.
    config = shop_config(database_url, smtp.url, **delay_only)
    moment = local("2026-11-25", "18:10").isoformat()
    senders = []
    for _ in range(2):
        command, env = sender_command(tmp_path, config, "--now", moment)
        senders.append(
            subprocess.Popen(
                command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
        )
    for sender in senders:
        _, err = sender.communicate(timeout=240)
        assert sender.returncode == 0, err.decode()
    received = collections.Counter(r.recipients[0] for r in smtp.received)
    assert received == collections.Counter(addresses)
    rows = outbox(app)
    assert len(rows) == count and {row.kind for row in rows} == {"shipping_delay"}
    assert {row.status for row in rows} == {"sent"}
    assert len({r.message_id for r in smtp.received}) == count


def test_the_shipping_api_queues_each_message_once_through_the_outbox(
    tmp_path: Path, database_url: str, smtp: SmtpServer
) -> None:
    clock = Clock(PLACED)
    app = build_shop(tmp_path, database_url, smtp.url, clock)
    client = app.test_client()
    order = {
        "lines": [{"sku": "LAMP-1", "quantity": 1}],
        "email": SHOPPER,
        "name": "Jan",
        "locale": "en",
        "country": "NL",
        "timezone": AMSTERDAM,
        "postcode": "1011 ab",
        "promise": {"earliest": "2026-11-25", "latest": "2026-11-25"},
    }
    assert (
        client.post("/defenceline/api/v1/orders/1001", json=order, headers=AUTH).status_code < 300
    )
    shipment = {
        "shipment_id": "S1001",
        "carrier": "PostNL",
        "tracking_number": "3SABCD1234567",
        "dispatched_at": (PLACED + dt.timedelta(hours=5)).isoformat(),
    }
    clock.moment = PLACED + dt.timedelta(hours=5)
    for _ in range(2):  # the shop's retry of the same call
        response = client.post(
            "/defenceline/api/v1/orders/1001/shipments", json=shipment, headers=AUTH
        )
        assert response.status_code < 300, response.get_json()
    run(app, clock.moment)
    [dispatched] = smtp.received
    assert dispatched.message["Subject"] == "Your order 1001 is on its way"
    link = "https://jouw.postnl.nl/track-and-trace/3SABCD1234567-NL-1011AB"
    assert f"Track your parcel with PostNL: {link}" in text_of(dispatched)
    assert jsonld_of(dispatched)["trackingUrl"] == link
    delivered = {"status": "delivered", "at": local("2026-11-25", "11:00").isoformat()}
    clock.moment = local("2026-11-25", "11:05")
    for _ in range(2):  # the carrier reports it twice
        response = client.post(
            "/defenceline/api/v1/shipments/S1001/events", json=delivered, headers=AUTH
        )
        assert response.status_code < 300, response.get_json()
    run(app, clock.moment)
    assert [str(r.message["Subject"]) for r in smtp.received] == [
        "Your order 1001 is on its way",
        "Your order 1001 has been delivered",
    ]
    assert {row.status for row in outbox(app)} == {"sent"}


@pytest.mark.parametrize("locale", ["nl", "de", "he"])
def test_every_sentence_of_the_shipping_messages_is_translated(locale: str) -> None:
    from defenceline.plugin.i18n import gettext_for

    folder = Path(__file__).resolve().parent.parent / "plugin" / "templates" / "defenceline"
    sources = [*folder.glob("email/shipping_*.txt"), *folder.glob("email/shipping_*.html")]
    sentences = {
        found
        for path in sources
        for found in re.findall(r'_\("((?:[^"\\]|\\.)+)"', path.read_text(encoding="utf-8"))
    }
    assert len(sentences) > 20
    untranslated = sorted(s for s in sentences if gettext_for(locale, s) == s)
    assert untranslated == []
