"""Abandoned-cart reminders end to end: the storefront's API calls, `send_due`, a real SMTP
server (aiosmtpd) — on SQLite and on PostgreSQL. One test per "never sent" rule."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from defenceline.plugin import state
from defenceline.plugin.emails.dispatch import SendDueReport, send_due
from defenceline.plugin.emails.outbox import OutboxRow

from .conftest import Clock
from .plugin_email import (
    AUTH,
    PUBLIC_URL,
    SmtpServer,
    build_shop,
    database_url,
    postgres,
    smtp_server,
)

__all__ = ["database_url", "postgres"]  # the fixture, re-exported for pytest

AMSTERDAM = dt.timezone(dt.timedelta(hours=1))  # CET, November
# Tuesday 24 November 2026, 15:00 in Amsterdam.
START = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def shop_clock() -> Clock:
    return Clock(START)


def make_shop(
    tmp_path: Path, database_url: str, smtp: SmtpServer, clock: Clock, **extra: Any
) -> Flask:
    return build_shop(tmp_path, database_url, smtp.url, clock, **extra)


@pytest.fixture
def shop(tmp_path: Path, database_url: str, smtp: SmtpServer, shop_clock: Clock) -> Flask:
    return make_shop(tmp_path, database_url, smtp, shop_clock)


def track(client: FlaskClient, cart_id: str, **body: Any) -> dict[str, Any]:
    body.setdefault("lines", [{"sku": "LAMP-1", "quantity": 2}])
    response = client.post(f"/defenceline/api/v1/carts/{cart_id}", json=body, headers=AUTH)
    assert response.status_code == 200, response.get_data(as_text=True)
    data: dict[str, Any] = response.get_json()
    return data


def shopper(address: str = "jan@trapkracht.nl", **extra: Any) -> dict[str, Any]:
    return {
        "email": address,
        "name": "Jan",
        "consent": True,
        "locale": "nl",
        "country": "NL",
        "timezone": "Europe/Amsterdam",
        **extra,
    }


def run(app: Flask, at: dt.datetime) -> SendDueReport:
    with app.app_context():
        return send_due(now=at)


def outbox_rows(app: Flask) -> list[OutboxRow]:
    with app.app_context(), state().storage.sessions()() as session:
        return list(session.scalars(select(OutboxRow).order_by(OutboxRow.id)))


def hours(n: float) -> dt.timedelta:
    return dt.timedelta(hours=n)


# --- what goes out, and what it says -----------------------------------------------------------


def test_first_reminder_goes_out_one_hour_after_the_last_cart_activity(
    shop: Flask, smtp: SmtpServer
) -> None:
    client = shop.test_client()
    state_ = track(client, "cart-1", **shopper())
    assert state_["next_reminder_at"] == "2026-11-24T15:00:00+00:00"
    run(shop, START + hours(1) - dt.timedelta(seconds=1))
    assert smtp.received == []
    run(shop, START + hours(1))
    [mail] = smtp.received
    assert mail.recipients == ["jan@trapkracht.nl"]
    assert mail.sender == "noreply@trapkracht.example"
    message = mail.message
    [row] = outbox_rows(shop)
    assert row.status == "sent" and row.message_id == message["Message-ID"]
    assert message["Subject"] == "Je winkelwagen bij Trapkracht staat er nog"
    assert message["Content-Language"] == "nl"
    assert message["Reply-To"] == "service@trapkracht.example"


def test_reminder_shows_items_cost_summary_delivery_returns_and_help_without_pressure(
    shop: Flask, smtp: SmtpServer
) -> None:
    track(shop.test_client(), "cart-1", **shopper(locale="en"))
    run(shop, START + hours(1))
    message = smtp.received[0].message
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Hello Jan," in text
    assert "2 × Front lamp: €69.90" in text
    # The same figures as the cart quote: 2 × 34.95, free shipping from €50, 21% VAT inside.
    assert "Subtotal: €69.90" in text
    assert "Shipping to Netherlands: Free" in text
    assert "Total: €69.90" in text
    assert "Including VAT 21%: €12.13" in text
    # 16:00 is the cut-off: ordered now, it leaves tomorrow and arrives the day after.
    assert "Ordered on Tuesday, November 24, it arrives on Thursday, November 26." in text
    assert "Free returns within 30 days" in text
    assert "service@trapkracht.example (we answer within 24 hours)" in text
    assert "+31 20 123 4567 (Mon–Fri 9:00\u202fAM–5:00\u202fPM)" in text
    for pushy in ("expire", "hurry", "last chance", "only today", "countdown"):
        assert pushy not in text.lower() and pushy not in html.lower()
    assert "Front lamp" in html and "€69.90" in html and 'dir="ltr"' in html


def test_links_carry_an_opaque_token_without_cart_id_or_address(
    shop: Flask, smtp: SmtpServer
) -> None:
    track(shop.test_client(), "cart-secret-42", **shopper())
    run(shop, START + hours(1))
    message = smtp.received[0].message
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    links = re.findall(r"https://shop\.example\S+", text)
    assert any("/email/restore/" in link for link in links)
    assert any("/email/unsubscribe/" in link for link in links)
    import base64

    # Looked for exactly as stored: a random token holds "jan" in some letter case about once
    # in 500 links, but never an "@" or the cart id with its hyphens.
    for link in links:
        token = link.rsplit("/", 1)[1]
        for part in token.split("."):
            decoded = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
            assert b"cart-secret-42" not in decoded and b"jan@trapkracht.nl" not in decoded
        assert "cart-secret-42" not in link and "jan@trapkracht" not in link and "@" not in link


def test_one_click_unsubscribe_follows_rfc_8058(shop: Flask, smtp: SmtpServer) -> None:
    client = shop.test_client()
    track(client, "cart-1", **shopper())
    run(shop, START + hours(1))
    message = smtp.received[0].message
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https, mailto = re.findall(r"<([^>]+)>", str(message["List-Unsubscribe"]))
    assert https.startswith(f"{PUBLIC_URL}/defenceline/email/unsubscribe/")
    assert mailto == "mailto:service@trapkracht.example?subject=unsubscribe"
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert https in text  # the visible link is the same one
    # A mailbox provider posts without cookies, with exactly this body.
    fresh = shop.test_client(use_cookies=False)
    response = fresh.post(
        https.removeprefix(PUBLIC_URL),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "Je bent afgemeld" in response.get_data(as_text=True)
    # The second reminder never goes out, nor one for a new cart of the same address.
    track(client, "cart-2", **shopper())
    run(shop, START + hours(30))
    assert len(smtp.received) == 1


def test_visible_unsubscribe_link_asks_before_it_unsubscribes(
    shop: Flask, smtp: SmtpServer
) -> None:
    track(shop.test_client(), "cart-1", **shopper())
    run(shop, START + hours(1))
    https = re.findall(r"<([^>]+)>", str(smtp.received[0].message["List-Unsubscribe"]))[0]
    page = shop.test_client().get(https.removeprefix(PUBLIC_URL))
    assert page.status_code == 200 and '<form method="post">' in page.get_data(as_text=True)
    run(shop, START + hours(24))  # a GET (a link scanner, say) unsubscribed nobody
    assert len(smtp.received) == 2


# --- never sent --------------------------------------------------------------------------------


def test_second_reminder_after_24_hours_and_never_a_third(shop: Flask, smtp: SmtpServer) -> None:
    track(shop.test_client(), "cart-1", **shopper())
    run(shop, START + hours(1))
    run(shop, START + hours(24) - dt.timedelta(minutes=1))
    assert len(smtp.received) == 1
    run(shop, START + hours(24))
    assert len(smtp.received) == 2
    second = smtp.received[1].message
    assert second["Message-ID"] != smtp.received[0].message["Message-ID"]
    run(shop, START + hours(24 * 20))
    assert len(smtp.received) == 2


def test_ordered_cart_is_never_reminded(shop: Flask, smtp: SmtpServer) -> None:
    client = shop.test_client()
    track(client, "cart-1", **shopper())
    response = client.post("/defenceline/api/v1/carts/cart-1/order", headers=AUTH, json={})
    assert response.status_code == 200 and response.get_json()["ordered"] is True
    run(shop, START + hours(48))
    assert smtp.received == []
    again = client.post("/defenceline/api/v1/carts/cart-1", json={"lines": []}, headers=AUTH)
    assert again.status_code == 409


def test_cart_ordered_after_scheduling_is_cancelled_at_send_time(
    shop: Flask, smtp: SmtpServer
) -> None:
    from defenceline.plugin.emails.reminders import schedule_reminders

    client = shop.test_client()
    track(client, "cart-1", **shopper())
    with shop.app_context():
        [event] = schedule_reminders(state(), START + hours(1))
    assert event.outcome == "scheduled"
    client.post("/defenceline/api/v1/carts/cart-1/order", headers=AUTH)
    report = run(shop, START + hours(1))
    assert smtp.received == []
    assert report.delivery.cancelled == 1
    [row] = outbox_rows(shop)
    assert (row.status, row.reason) == ("cancelled", "the cart was ordered")


def test_emptied_cart_is_never_reminded(shop: Flask, smtp: SmtpServer) -> None:
    client = shop.test_client()
    track(client, "cart-1", **shopper())
    track(client, "cart-1", lines=[])
    run(shop, START + hours(48))
    assert smtp.received == []


def test_cart_whose_items_are_all_out_of_stock_is_not_reminded(
    shop: Flask, smtp: SmtpServer
) -> None:
    client = shop.test_client()
    track(client, "cart-1", **shopper(), lines=[{"sku": "HELM-L", "quantity": 1}])
    run(shop, START + hours(1))
    assert smtp.received == []
    [row] = outbox_rows(shop)
    assert (row.status, row.reason) == ("cancelled", "every item is out of stock")


def test_stock_is_checked_again_at_send_time(shop: Flask, smtp: SmtpServer) -> None:
    from defenceline.plugin.emails.reminders import schedule_reminders

    client = shop.test_client()
    track(client, "cart-1", **shopper(), lines=[{"sku": "BELL-1", "quantity": 1}])
    with shop.app_context():
        schedule_reminders(state(), START + hours(1))
    sold_out = client.put(
        "/defenceline/api/v1/stock/BELL-1", json={"stock_on_hand": 2}, headers=AUTH
    )
    assert sold_out.status_code == 200  # 2 on hand, 2 reserved: nothing left to sell
    run(shop, START + hours(1))
    assert smtp.received == []
    assert outbox_rows(shop)[0].reason == "every item is out of stock"


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko; compatible; "
        "Google-InspectionTool/1.0;) Chrome/120.0 Safari/537.36 StoreBot-Google/1.0",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36",
        "",
    ],
)
def test_bots_carts_are_never_emailed(shop: Flask, smtp: SmtpServer, user_agent: str) -> None:
    state_ = track(shop.test_client(), "cart-1", **shopper(user_agent=user_agent))
    assert state_["next_reminder_at"] is None and state_["stopped_reason"] == "bot"
    run(shop, START + hours(48))
    assert smtp.received == []


def test_a_real_browser_is_not_taken_for_a_bot(shop: Flask, smtp: SmtpServer) -> None:
    agent = (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36"
    )
    track(shop.test_client(), "cart-1", **shopper(user_agent=agent))
    run(shop, START + hours(1))
    assert len(smtp.received) == 1


@pytest.mark.parametrize(
    "address", ["someone@example.com", "qa@shop.test", "x@demo.example", "tester@qa.trapkracht.nl"]
)
def test_test_addresses_are_never_emailed(
    tmp_path: Path, database_url: str, smtp: SmtpServer, shop_clock: Clock, address: str
) -> None:
    app = make_shop(
        tmp_path, database_url, smtp, shop_clock, DEFENCELINE_TEST_ADDRESSES=["*@qa.trapkracht.nl"]
    )
    track(app.test_client(), "cart-1", **shopper(address))
    run(app, START + hours(48))
    assert smtp.received == []


def test_explicit_consent_mode_needs_a_recorded_opt_in(shop: Flask, smtp: SmtpServer) -> None:
    client = shop.test_client()
    track(client, "cart-1", **shopper(consent=None))
    track(client, "cart-2", **shopper("piet@trapkracht.nl", consent=False))
    run(shop, START + hours(48))
    assert smtp.received == []


def test_withdrawn_consent_stops_reminders(shop: Flask, smtp: SmtpServer) -> None:
    client = shop.test_client()
    track(client, "cart-1", **shopper())
    run(shop, START + hours(1))
    shop_clock = shop.config["DEFENCELINE_CLOCK"]
    shop_clock.moment = START + hours(2)
    track(client, "cart-1", **shopper(consent=False))
    run(shop, START + hours(60))
    assert len(smtp.received) == 1


def test_soft_consent_mode_sends_only_the_first_reminder(
    tmp_path: Path, database_url: str, smtp: SmtpServer, shop_clock: Clock
) -> None:
    app = make_shop(tmp_path, database_url, smtp, shop_clock, DEFENCELINE_CONSENT_MODE="soft")
    track(app.test_client(), "cart-1", **shopper(consent=None))
    run(app, START + hours(1))
    run(app, START + hours(48))
    assert len(smtp.received) == 1


def test_one_reminder_sequence_per_address_per_seven_days(
    shop: Flask, smtp: SmtpServer, shop_clock: Clock
) -> None:
    client = shop.test_client()
    track(client, "cart-1", **shopper())
    track(client, "cart-2", **shopper())
    run(shop, START + hours(1))
    run(shop, START + hours(26))
    assert len(smtp.received) == 2  # cart-1's two reminders, none for cart-2
    assert {r.message["Message-ID"] for r in smtp.received} == {
        row.message_id for row in outbox_rows(shop) if row.cart_id == "cart-1"
    }
    shop_clock.moment = START + dt.timedelta(days=8)
    track(client, "cart-3", **shopper())
    run(shop, START + dt.timedelta(days=8) + hours(1))
    assert len(smtp.received) == 3


# --- quiet hours --------------------------------------------------------------------------------


def test_no_reminder_in_the_shoppers_night(
    shop: Flask, smtp: SmtpServer, shop_clock: Clock
) -> None:
    evening = dt.datetime(2026, 11, 24, 20, 30, tzinfo=AMSTERDAM)  # due 21:30: quiet
    shop_clock.moment = evening
    state_ = track(shop.test_client(), "cart-1", **shopper())
    assert state_["next_reminder_at"] == "2026-11-25T07:00:00+00:00"  # 08:00 in Amsterdam
    run(shop, dt.datetime(2026, 11, 25, 7, 59, tzinfo=AMSTERDAM))
    assert smtp.received == []
    run(shop, dt.datetime(2026, 11, 25, 8, 0, tzinfo=AMSTERDAM))
    assert len(smtp.received) == 1


def test_quiet_hours_follow_the_shoppers_own_time_zone(
    shop: Flask, smtp: SmtpServer, shop_clock: Clock
) -> None:
    # 15:00 in Amsterdam is 09:00 in New York: the reminder at 10:00 there is fine...
    track(shop.test_client(), "cart-ny", **shopper(timezone="America/New_York"))
    run(shop, START + hours(1))
    assert len(smtp.received) == 1
    # ...while 15:00 in Amsterdam is 01:00 in Sydney's summer: held until 08:00 there.
    state_ = track(
        shop.test_client(), "cart-syd", **shopper("kim@trapkracht.nl", timezone="Australia/Sydney")
    )
    assert state_["next_reminder_at"] == "2026-11-24T21:00:00+00:00"  # 08:00 AEDT


@pytest.mark.parametrize(
    ("activity", "morning_utc"),
    [
        # Spring forward (29 March 2026, 02:00 -> 03:00): 08:00 CEST is 06:00 UTC.
        (
            dt.datetime(2026, 3, 28, 20, 30, tzinfo=dt.UTC),
            dt.datetime(2026, 3, 29, 6, 0, tzinfo=dt.UTC),
        ),
        # Fall back (25 October 2026, 03:00 -> 02:00): 08:00 CET is 07:00 UTC.
        (
            dt.datetime(2026, 10, 24, 19, 30, tzinfo=dt.UTC),
            dt.datetime(2026, 10, 25, 7, 0, tzinfo=dt.UTC),
        ),
    ],
)
def test_quiet_hours_end_at_local_eight_across_a_daylight_saving_change(
    shop: Flask,
    smtp: SmtpServer,
    shop_clock: Clock,
    activity: dt.datetime,
    morning_utc: dt.datetime,
) -> None:
    shop_clock.moment = activity  # 21:30 local
    state_ = track(shop.test_client(), "cart-1", **shopper())
    assert state_["next_reminder_at"] == morning_utc.isoformat()
    run(shop, morning_utc - dt.timedelta(minutes=1))
    assert smtp.received == []
    run(shop, morning_utc)
    assert len(smtp.received) == 1


def test_a_reminder_written_before_the_night_waits_for_the_morning(
    shop: Flask, smtp: SmtpServer, shop_clock: Clock
) -> None:
    from defenceline.plugin.emails.reminders import schedule_reminders

    shop_clock.moment = dt.datetime(2026, 11, 24, 19, 50, tzinfo=AMSTERDAM)
    track(shop.test_client(), "cart-1", **shopper())
    with shop.app_context():
        schedule_reminders(state(), dt.datetime(2026, 11, 24, 20, 55, tzinfo=AMSTERDAM))
    report = run(shop, dt.datetime(2026, 11, 24, 21, 5, tzinfo=AMSTERDAM))  # a late sender
    assert smtp.received == [] and report.delivery.postponed == 1
    run(shop, dt.datetime(2026, 11, 25, 8, 0, tzinfo=AMSTERDAM))
    assert len(smtp.received) == 1


# --- scheduling is idempotent ------------------------------------------------------------------


def test_a_second_row_for_the_same_cart_and_step_is_impossible(shop: Flask) -> None:
    from sqlalchemy.exc import IntegrityError

    from defenceline.plugin.emails.outbox import insert_message

    track(shop.test_client(), "cart-1", **shopper())
    run(shop, START + hours(1))
    [row] = outbox_rows(shop)
    values = {
        "kind": "cart_reminder",
        "purpose": "cart_reminders",
        "cart_id": "cart-1",
        "step": 1,
        "sender": "a@b.nl",
        "recipient": "jan@trapkracht.nl",
        "address_hash": row.address_hash,
        "message_id": "<other@trapkracht.example>",
        "due_at": START,
    }
    with shop.app_context():
        storage = state().storage
        with storage.sessions().begin() as session:
            assert insert_message(session, values) is False
        with pytest.raises(IntegrityError), storage.sessions().begin() as session:
            session.add(OutboxRow(**values))
    assert len(outbox_rows(shop)) == 1


# --- restoring the cart ------------------------------------------------------------------------


def _restore_link(smtp: SmtpServer) -> str:
    text = smtp.received[-1].message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    return re.findall(r"https://shop\.example(/defenceline/email/restore/\S+)", text)[0]


def test_restore_link_rebuilds_the_cart_and_says_what_changed(
    shop: Flask, smtp: SmtpServer
) -> None:
    from defenceline.plugin.emails.routes import cart_restored

    client = shop.test_client()
    track(
        client,
        "cart-1",
        **shopper(locale="en"),
        lines=[
            {"sku": "LAMP-1", "quantity": 2},
            {"sku": "BELL-1", "quantity": 3},
            {"sku": "BELL-2", "quantity": 1},
        ],
    )
    run(shop, START + hours(1))
    link = _restore_link(smtp)
    # After the email: the lamp got dearer, one bell sold, the chrome bell sold out.
    with shop.app_context():
        catalogue = state().catalogue
        lamp = catalogue.get("LAMP-1")
        assert lamp is not None
        import dataclasses
        from decimal import Decimal

        catalogue.replace_products([dataclasses.replace(lamp, price=Decimal("36.95"))])  # type: ignore[attr-defined]
        catalogue.update_stock("BELL-1", stock_on_hand=4)  # type: ignore[attr-defined]
        catalogue.update_stock("BELL-2", stock_on_hand=0)  # type: ignore[attr-defined]
    received: list[dict[str, Any]] = []

    def listener(sender: Flask, **kwargs: Any) -> None:
        received.append(kwargs)

    with cart_restored.connected_to(listener, shop):
        page = client.get(link)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Front lamp now costs €36.95 (it was €34.95)." in html
    assert "Only 2 of Bell are available now, so we changed the quantity." in html
    assert "Bell is out of stock at the moment." in html
    assert page.headers["Referrer-Policy"] == "no-referrer"
    [event] = received
    assert "cart-1" not in repr(event)  # the items, never a key to the original cart
    assert event["lines"] == [{"sku": "LAMP-1", "quantity": 2}, {"sku": "BELL-1", "quantity": 2}]
    # The total is today's quote: 2 × 36.95 + 2 × 12.95, shipping free.
    assert "€99.80" in html


def test_restore_api_for_a_storefront_page(shop: Flask, smtp: SmtpServer) -> None:
    client = shop.test_client()
    track(client, "cart-1", **shopper())
    run(shop, START + hours(1))
    token = _restore_link(smtp).rsplit("/", 1)[1]
    response = client.post("/defenceline/api/v1/cart-restores", json={"token": token}, headers=AUTH)
    assert response.status_code == 200
    data = response.get_json()
    assert "cart_id" not in data and "cart-1" not in response.get_data(as_text=True)
    assert data["changes"] == []
    assert data["quote"]["total"] == "69.90"
    forged = client.post(
        "/defenceline/api/v1/cart-restores", json={"token": token[:-2] + "xx"}, headers=AUTH
    )
    assert forged.status_code == 404


def test_restore_link_hands_over_the_items_never_the_cart_or_its_consent(
    shop: Flask, smtp: SmtpServer
) -> None:
    from defenceline.plugin.emails.routes import cart_restored

    track(shop.test_client(), "cart-1", **shopper())
    run(shop, START + hours(1))
    link = _restore_link(smtp)
    received: list[dict[str, Any]] = []

    def listener(sender: Flask, **kwargs: Any) -> None:
        received.append(kwargs)

    stranger = shop.test_client()  # the link forwarded, or opened on another device
    with cart_restored.connected_to(listener, shop):
        page = stranger.get(link)
        again = stranger.get(link)
    assert page.status_code == again.status_code == 200
    html = page.get_data(as_text=True)
    assert "cart-1" not in html and "jan@trapkracht.nl" not in html
    assert "Set-Cookie" not in page.headers
    assert [sorted(event) for event in received] == [["changes", "lines"]] * 2
    assert received[0]["lines"] == [{"sku": "LAMP-1", "quantity": 2}]


def test_restore_link_stops_working_once_its_cart_is_ordered(shop: Flask, smtp: SmtpServer) -> None:
    client = shop.test_client()
    track(client, "cart-1", **shopper())
    run(shop, START + hours(1))
    link = _restore_link(smtp)
    assert client.get(link).status_code == 200
    ordered = client.post("/defenceline/api/v1/carts/cart-1/order", headers=AUTH)
    assert ordered.status_code == 200
    page = client.get(link)
    assert page.status_code == 410
    assert "Deze winkelwagen is al besteld" in page.get_data(as_text=True)
    token = link.rsplit("/", 1)[1]
    api = client.post("/defenceline/api/v1/cart-restores", json={"token": token}, headers=AUTH)
    assert api.status_code == 410 and "ordered" in api.get_json()["detail"]


def test_restore_link_expires(shop: Flask, smtp: SmtpServer, shop_clock: Clock) -> None:
    track(shop.test_client(), "cart-1", **shopper())
    run(shop, START + hours(1))
    link = _restore_link(smtp)
    shop_clock.moment = START + dt.timedelta(days=31)
    page = shop.test_client().get(link)
    assert page.status_code == 410
    assert "Deze link is verlopen." in page.get_data(as_text=True)


def test_a_tampered_link_is_refused(shop: Flask, smtp: SmtpServer) -> None:
    track(shop.test_client(), "cart-1", **shopper())
    run(shop, START + hours(1))
    link = _restore_link(smtp)
    assert shop.test_client().get(link[:-3] + "abc").status_code == 404
    unsubscribe = link.replace("/restore/", "/unsubscribe/")  # a token for another purpose
    assert shop.test_client().post(unsubscribe).status_code == 404


# --- the API's answers to bad input ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lines": [{"sku": "LAMP-1", "quantity": 0}]}, "lines.0.quantity"),
        ({"lines": [{"sku": "LAMP-1", "quantity": 1}], "email": "not an address"}, "email"),
        ({"lines": [], "timezone": "Mars/Olympus"}, "timezone"),
        ({"lines": [], "country": "XX"}, "country"),
        ({"lines": [], "consent": "yes"}, "consent"),
        ({"lines": [], "price": "1.00"}, "price"),
        ({}, "lines"),
    ],
)
def test_bad_cart_bodies_get_a_422_naming_the_field(
    shop: Flask, body: dict[str, Any], field: str
) -> None:
    response = shop.test_client().post("/defenceline/api/v1/carts/c1", json=body, headers=AUTH)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["field"] == field


def test_cart_api_needs_the_token(shop: Flask) -> None:
    response = shop.test_client().post("/defenceline/api/v1/carts/c1", json={"lines": []})
    assert response.status_code == 401


def test_ordering_an_unknown_cart_is_a_404(shop: Flask) -> None:
    response = shop.test_client().post("/defenceline/api/v1/carts/nope/order", headers=AUTH)
    assert response.status_code == 404


# --- the Python API -----------------------------------------------------------------------------


def test_python_api_tracks_and_orders_carts(shop: Flask, smtp: SmtpServer) -> None:
    from defenceline.plugin import DefenceLine

    with shop.app_context():
        DefenceLine.track_cart("py-1", [{"sku": "LAMP-1", "quantity": 1}], **shopper())
        DefenceLine.track_cart(
            "py-2", [{"sku": "LAMP-1", "quantity": 1}], **shopper("an@trapkracht.nl")
        )
        DefenceLine.cart_ordered("py-2")
    run(shop, START + hours(1))
    assert [r.recipients for r in smtp.received] == [["jan@trapkracht.nl"]]
