"""The pieces around the emails: the demo's outbox viewer and background sender, complete
translations, and the OpenAPI document covering the email routes."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask

from defenceline.plugin.emails.dispatch import start_background_sender
from defenceline.plugin.emails.outbox_viewer import outbox_viewer

from .conftest import Clock
from .plugin_email import AUTH, SmtpServer, build_shop, smtp_server

START = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)
PLUGIN = Path(__file__).resolve().parent.parent / "plugin"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def shop(tmp_path: Path, smtp: SmtpServer) -> Flask:
    clock = Clock(START)
    app = build_shop(tmp_path, f"sqlite:///{tmp_path / 'shop.sqlite3'}", smtp.url, clock)
    app.register_blueprint(outbox_viewer)
    body = {
        "lines": [{"sku": "LAMP-1", "quantity": 1}],
        "email": "jan@trapkracht.nl",
        "consent": True,
        "locale": "he",
    }
    response = app.test_client().post("/defenceline/api/v1/carts/c1", json=body, headers=AUTH)
    assert response.status_code == 200
    clock.moment = START + dt.timedelta(hours=1)
    return app


def test_background_sender_sends_due_reminders(shop: Flask, smtp: SmtpServer) -> None:
    sender = start_background_sender(shop, interval=0.2)
    try:
        smtp.wait_for(1, timeout=30)
    finally:
        sender.stop()
    time.sleep(0.3)
    assert len(smtp.received) == 1  # later passes found nothing more to send
    message = smtp.received[0].message
    assert message["Content-Language"] == "he"
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert 'dir="rtl"' in html and "סל הקניות" in html


def test_outbox_viewer_lists_and_shows_messages(shop: Flask, smtp: SmtpServer) -> None:
    client = shop.test_client()
    assert "No messages yet." in client.get("/_outbox/").get_data(as_text=True)
    shop.test_cli_runner().invoke(args=["defenceline", "send-due"])
    listing = client.get("/_outbox/").get_data(as_text=True)
    assert "jan@trapkracht.nl" in listing and "sent: 1" in listing
    page = client.get("/_outbox/1").get_data(as_text=True)
    assert "<iframe sandbox" in page and "List-Unsubscribe-Post" in page
    assert client.get("/_outbox/99").status_code == 404
    headers = client.get("/_outbox/1").headers
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "<style" not in page  # its styles are a file: a strict style-src allows them


def _used_msgids() -> set[str]:
    """Every message id the email code and templates use (English text)."""
    found: set[str] = set()
    for name in (
        "emails/alerts",
        "cart/tracking",
        "emails/messages",
        "emails/routes",
        "emails/reminders",
    ):
        source = (PLUGIN / f"{name}.py").read_text(encoding="utf-8")
        for call in re.finditer(
            r"(?:gettext_for|ngettext_for)\(\s*locale,\s*((?:\"[^\"]*\"\s*)+)", source
        ):
            found.add("".join(re.findall(r"\"([^\"]*)\"", call.group(1))))
    templates = PLUGIN / "templates" / "defenceline"
    for template in [*(templates / "email").iterdir(), templates / "stock_alert_form.html"]:
        for match in re.finditer(r"\b_\(\"([^\"]*)\"", template.read_text(encoding="utf-8")):
            found.add(match.group(1))
    return found


@pytest.mark.parametrize("locale", ["nl", "de", "he"])
def test_every_email_sentence_is_translated(locale: str) -> None:
    translated: dict[str, bool] = {}
    for po in (PLUGIN / "translations").rglob(f"{locale}.po"):
        with po.open("rb") as handle:
            for message in read_po(handle):
                key = message.id if isinstance(message.id, str) else message.id[0]
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                translated[key] = translated.get(key, False) or all(strings)
    used = _used_msgids()
    assert len(used) > 40
    missing = sorted(m for m in used if not translated.get(m))
    assert missing == []


def test_openapi_documents_every_email_route(shop: Flask) -> None:
    document = shop.test_client().get("/defenceline/openapi.json").get_json()
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for rule in shop.url_map.iter_rules()
        if "/api/" in rule.rule
    }
    assert routes == set(document["paths"])
    for path in (
        "/defenceline/api/v1/carts/{cart_id}",
        "/defenceline/api/v1/carts/{cart_id}/order",
        "/defenceline/api/v1/cart-restores",
        "/defenceline/api/v1/stock-alerts",
    ):
        assert path in document["paths"]


def test_stock_alert_form_is_localised_and_never_pre_ticked(shop: Flask) -> None:
    client = shop.test_client()
    page = client.get("/defenceline/fragments/stock-alert-form?sku=HELM-L&lang=de")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "Benachrichtige mich, wenn es wieder da ist" in html
    assert 'action="/defenceline/api/v1/stock-alerts"' in html
    assert 'value="HELM-L"' in html and "checked" not in html
    assert client.get("/defenceline/fragments/stock-alert-form?sku=NOPE").status_code == 404
    assert client.get("/defenceline/fragments/stock-alert-form").status_code == 400
