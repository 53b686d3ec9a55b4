"""Back-in-stock alerts: double opt-in, fair batches on a restock, once per restock, expiry —
through the HTTP API, the stock API and catalogue imports, on SQLite and PostgreSQL."""

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
from defenceline.plugin.emails.alerts import StockSubscriptionRow
from defenceline.plugin.emails.dispatch import send_due

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

__all__ = ["database_url", "postgres"]

START = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def shop(tmp_path: Path, database_url: str, smtp: SmtpServer, clock: Clock) -> Flask:
    return build_shop(tmp_path, database_url, smtp.url, clock)


def ask(client: FlaskClient, address: str, sku: str = "HELM-L", **extra: Any) -> Any:
    body = {"email": address, "sku": sku, "consent": True, "locale": "en", **extra}
    return client.post("/defenceline/api/v1/stock-alerts", json=body)


def run(app: Flask, at: dt.datetime) -> None:
    with app.app_context():
        send_due(now=at)


def confirm_link(smtp: SmtpServer, address: str) -> str:
    [mail] = [r for r in smtp.to(address) if "confirm" in str(r.message["Subject"]).lower()]
    text = mail.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    return str(re.findall(r"https://shop\.example(/defenceline/email/confirm/\S+)", text)[0])


def subscribe(shop: Flask, smtp: SmtpServer, address: str, at: dt.datetime) -> None:
    """Ask, receive the confirmation, press its button."""
    clock: Clock = shop.config["DEFENCELINE_CLOCK"]
    clock.moment = at
    client = shop.test_client()
    assert ask(client, address).status_code == 202
    run(shop, at)
    assert client.post(confirm_link(smtp, address)).status_code == 200


def restock(shop: Flask, quantity: int, sku: str = "HELM-L") -> None:
    response = shop.test_client().put(
        f"/defenceline/api/v1/stock/{sku}", json={"stock_on_hand": quantity}, headers=AUTH
    )
    assert response.status_code == 200


def alerts(smtp: SmtpServer) -> list[str]:
    return [r.recipients[0] for r in smtp.received if "back in stock" in str(r.message["Subject"])]


def test_asking_sends_a_confirmation_first_and_nothing_else(shop: Flask, smtp: SmtpServer) -> None:
    response = ask(shop.test_client(), "anna@trapkracht.nl")
    assert response.status_code == 202
    assert response.get_json()["status"] == "confirmation_requested"
    run(shop, START)
    [mail] = smtp.received
    message = mail.message
    assert message["Subject"] == "Please confirm: email me when Helmet L is back"
    assert "List-Unsubscribe" not in message
    link = confirm_link(smtp, "anna@trapkracht.nl")
    # The link shows a button; fetching it (as a mail scanner does) confirms nothing.
    page = shop.test_client().get(link)
    assert page.status_code == 200 and '<form method="post">' in page.get_data(as_text=True)
    restock(shop, 5)
    run(shop, START + dt.timedelta(minutes=5))
    assert alerts(smtp) == []


def test_confirmed_subscriber_hears_once_when_stock_returns(shop: Flask, smtp: SmtpServer) -> None:
    subscribe(shop, smtp, "anna@trapkracht.nl", START)
    with shop.app_context(), state().storage.sessions()() as session:
        [row] = session.scalars(select(StockSubscriptionRow)).all()
        assert row.status == "confirmed"
    restock(shop, 3)
    run(shop, START + dt.timedelta(minutes=1))
    assert alerts(smtp) == ["anna@trapkracht.nl"]
    message = smtp.received[-1].message
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Helmet L is back in stock at Trapkracht." in text
    assert "€59.95" in text
    # Sold out and back again: the subscription was fulfilled, no second email.
    restock(shop, 0)
    restock(shop, 4)
    run(shop, START + dt.timedelta(days=1))
    assert alerts(smtp) == ["anna@trapkracht.nl"]


def test_restock_notifies_oldest_first_in_batches_of_stock_times_factor(
    shop: Flask, smtp: SmtpServer
) -> None:
    waiting = [f"fan{n}@trapkracht.nl" for n in range(7)]
    for n, address in enumerate(waiting):
        subscribe(shop, smtp, address, START + dt.timedelta(minutes=n))
    clock: Clock = shop.config["DEFENCELINE_CLOCK"]
    clock.moment = START + dt.timedelta(hours=1)
    restock(shop, 2)  # factor 2: four alerts now
    run(shop, START + dt.timedelta(hours=1))
    assert alerts(smtp) == waiting[:4]
    run(shop, START + dt.timedelta(hours=1, minutes=30))  # the next batch waits an interval
    assert alerts(smtp) == waiting[:4]
    restock(shop, 1)  # one left an hour later: two more
    run(shop, START + dt.timedelta(hours=2))
    assert alerts(smtp) == waiting[:6]
    restock(shop, 0)  # sold out: the last one waits for the next restock
    run(shop, START + dt.timedelta(hours=3))
    assert alerts(smtp) == waiting[:6]
    clock.moment = START + dt.timedelta(days=2)
    restock(shop, 10)
    run(shop, START + dt.timedelta(days=2))
    assert alerts(smtp) == waiting


def test_a_catalogue_import_that_restocks_triggers_alerts(
    shop: Flask, smtp: SmtpServer, tmp_path: Path
) -> None:
    import json

    from .conftest import PLUGIN_CATALOGUE

    subscribe(shop, smtp, "anna@trapkracht.nl", START)
    products = [dict(p) for p in PLUGIN_CATALOGUE]
    for product in products:
        if product["sku"] == "HELM-L":
            product["stock"] = 6
    file = tmp_path / "restock.json"
    file.write_text(json.dumps(products), encoding="utf-8")
    result = shop.test_cli_runner().invoke(args=["defenceline", "import-catalogue", str(file)])
    assert result.exit_code == 0, result.output
    run(shop, START + dt.timedelta(minutes=1))
    assert alerts(smtp) == ["anna@trapkracht.nl"]


def test_an_alert_for_an_item_that_sold_out_again_is_cancelled_and_waits(
    shop: Flask, smtp: SmtpServer
) -> None:
    from defenceline.plugin.emails.alerts import schedule_alerts

    subscribe(shop, smtp, "anna@trapkracht.nl", START)
    restock(shop, 1)
    with shop.app_context():
        schedule_alerts(state(), START + dt.timedelta(minutes=1))
    restock(shop, 0)
    run(shop, START + dt.timedelta(minutes=1))
    assert alerts(smtp) == []
    restock(shop, 2)
    run(shop, START + dt.timedelta(minutes=2))
    assert alerts(smtp) == ["anna@trapkracht.nl"]


def test_subscriptions_lapse_after_ninety_days(shop: Flask, smtp: SmtpServer) -> None:
    subscribe(shop, smtp, "anna@trapkracht.nl", START)
    run(shop, START + dt.timedelta(days=91))
    restock(shop, 5)
    run(shop, START + dt.timedelta(days=91, minutes=1))
    assert alerts(smtp) == []


def test_asking_twice_sends_one_confirmation_and_the_same_answer(
    shop: Flask, smtp: SmtpServer
) -> None:
    client = shop.test_client()
    first = ask(client, "anna@trapkracht.nl")
    second = ask(client, "Anna@Trapkracht.nl")
    assert first.get_json() == second.get_json()
    run(shop, START)
    assert len(smtp.received) == 1


def test_unsubscribing_from_alerts_stops_them(shop: Flask, smtp: SmtpServer) -> None:
    subscribe(shop, smtp, "anna@trapkracht.nl", START)
    subscribe(shop, smtp, "anna@trapkracht.nl", START)  # already confirmed: nothing new
    restock(shop, 1)
    run(shop, START + dt.timedelta(minutes=1))
    header = str(smtp.received[-1].message["List-Unsubscribe"])
    https = re.findall(r"<(https[^>]+)>", header)[0]
    response = shop.test_client(use_cookies=False).post(
        https.removeprefix(PUBLIC_URL), data={"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    # Asking again later is answered as always, but no email goes to a suppressed address.
    assert ask(shop.test_client(), "anna@trapkracht.nl", sku="TAIL-1").status_code == 202
    run(shop, START + dt.timedelta(days=1))
    assert len([r for r in smtp.received if "TAIL" in r.data.decode(errors="ignore")]) == 0


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"email": "anna@trapkracht.nl", "sku": "HELM-L", "consent": False}, 422, "consent"),
        ({"email": "anna@trapkracht.nl", "sku": "HELM-L"}, 422, "consent"),
        ({"email": "anna", "sku": "HELM-L", "consent": True}, 422, "email"),
        ({"email": "anna@trapkracht.nl", "sku": "NOPE", "consent": True}, 404, None),
    ],
)
def test_bad_alert_requests_say_what_is_wrong(
    shop: Flask, body: dict[str, Any], status: int, field: str | None
) -> None:
    response = shop.test_client().post("/defenceline/api/v1/stock-alerts", json=body)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    if field:
        assert response.get_json()["field"] == field


def test_without_email_settings_the_request_is_kept_for_the_next_pass(
    tmp_path: Path, smtp: SmtpServer, clock: Clock
) -> None:
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    app = build_shop(tmp_path, url, smtp.url, clock, DEFENCELINE_PUBLIC_URL=None)
    assert ask(app.test_client(), "anna@trapkracht.nl").status_code == 202
    app.extensions["defenceline"].email = type(state(app).email)(
        **{**state(app).email.__dict__, "public_url": PUBLIC_URL}
    )
    run(app, START)
    assert len(smtp.received) == 1
