"""The shop owner's side of the emails: ``flask defenceline send-due | outbox | forget |
export | report``, and configuration errors at start-up."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from defenceline.plugin import DefenceLine, state
from defenceline.plugin.emails.consent import SuppressionRow, address_hash

from .conftest import DEMO_POLICY, Clock
from .plugin_email import AUTH, SmtpServer, build_shop, database_url, postgres, smtp_server

__all__ = ["database_url", "postgres"]

START = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)  # Tuesday 15:00 in Amsterdam
ADDRESS = "jan@trapkracht.nl"


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


def track(app: Flask, cart_id: str, address: str = ADDRESS, **extra: Any) -> None:
    body = {
        "lines": [{"sku": "LAMP-1", "quantity": 2}],
        "email": address,
        "consent": True,
        "timezone": "Europe/Amsterdam",
        **extra,
    }
    response = app.test_client().post(
        f"/defenceline/api/v1/carts/{cart_id}", json=body, headers=AUTH
    )
    assert response.status_code == 200, response.get_data(as_text=True)


def cli(app: Flask, *args: str, input: str | None = None) -> Any:
    return app.test_cli_runner().invoke(args=["defenceline", *args], input=input)


def test_send_due_dry_run_shows_what_would_go_out_tomorrow_and_changes_nothing(
    shop: Flask, smtp: SmtpServer
) -> None:
    track(shop, "cart-1")
    result = cli(shop, "send-due", "--now", "2026-11-25T09:00", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "dry run at 2026-11-25T09:00+01:00" in result.output
    assert "reminder 1 for cart cart-1: scheduled" in result.output
    assert smtp.received == []
    real = cli(shop, "send-due", "--now", "2026-11-25T09:00")
    assert real.exit_code == 0, real.output
    assert "sent 1," in real.output and len(smtp.received) == 1


def test_send_due_refuses_a_bad_moment_and_a_missing_mail_url(tmp_path: Path, clock: Clock) -> None:
    app = build_shop(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite3'}", None, clock)
    bad = cli(app, "send-due", "--now", "tomorrow")
    assert bad.exit_code == 2 and "'tomorrow' is not an ISO 8601 moment" in bad.output
    unset = cli(app, "send-due")
    assert unset.exit_code == 1 and "DEFENCELINE_MAIL_URL is not set" in unset.output
    assert "Traceback" not in unset.output


def test_outbox_lists_statuses_and_reasons(shop: Flask, smtp: SmtpServer) -> None:
    track(shop, "cart-1")
    track(shop, "cart-2", "gone@trapkracht.nl")
    smtp.behaviour.replies["gone@trapkracht.nl"] = "550 5.1.1 No such user"
    cli(shop, "send-due", "--now", "2026-11-24T16:00")
    result = cli(shop, "outbox")
    assert result.exit_code == 0
    assert "pending: 0  sending: 0  sent: 1  failed: 1  cancelled: 0" in result.output
    assert "failed    2026-11-24 16:00 cart_reminder to gone@trapkracht.nl" in result.output
    assert "550 5.1.1 No such user" in result.output
    only_sent = cli(shop, "outbox", "--status", "sent")
    assert "gone@" not in only_sent.output and ADDRESS in only_sent.output


def test_export_prints_everything_held_about_an_address(shop: Flask) -> None:
    track(shop, "cart-1", name="Jan")
    cli(shop, "send-due", "--now", "2026-11-24T16:00")
    result = cli(shop, "export", "Jan@Trapkracht.nl")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["carts"][0]["id"] == "cart-1" and data["carts"][0]["name"] == "Jan"
    [consent] = data["consents"]
    assert consent["granted"] is True and consent["purpose"] == "cart_reminders"
    assert consent["method"].startswith("POST /defenceline/api/v1/carts/<id> with consent=True")
    assert [e["status"] for e in data["emails"]] == ["sent"]


def test_forget_erases_the_address_but_keeps_it_suppressed(shop: Flask, smtp: SmtpServer) -> None:
    track(shop, "cart-1")
    cli(shop, "send-due", "--now", "2026-11-24T16:00")
    result = cli(shop, "forget", ADDRESS, "--yes")
    assert result.exit_code == 0
    assert "erased 2 tokens, 1 emails, 1 carts, 1 consents" in result.output
    exported = json.loads(cli(shop, "export", ADDRESS).output)
    assert exported["carts"] == [] and exported["consents"] == [] and exported["emails"] == []
    assert exported["suppressed_for"] == [
        "cart_reminders",
        "shipping",
        "shipping_optional",
        "stock_alerts",
    ]
    with shop.app_context(), state().storage.sessions()() as session:
        kept = session.scalars(select(SuppressionRow.address_hash)).all()
        assert set(kept) == {address_hash(ADDRESS)}
        if state().storage.engine.dialect.name == "sqlite":
            # Not in the database file, its free pages or its write-ahead log either.
            database = Path(str(state().storage.engine.url.database))
            for file in (database, database.with_name(database.name + "-wal")):
                if file.exists():
                    assert ADDRESS.encode() not in file.read_bytes(), file.name
    # A new cart with the same address is never reminded.
    clock: Clock = shop.config["DEFENCELINE_CLOCK"]
    clock.moment = START + dt.timedelta(days=10)
    track(shop, "cart-2")
    cli(shop, "send-due", "--now", "2026-12-06T12:00")
    assert len(smtp.received) == 1


def test_forget_asks_first(shop: Flask) -> None:
    track(shop, "cart-1")
    result = cli(shop, "forget", ADDRESS, input="n\n")
    assert result.exit_code == 1
    exported = json.loads(cli(shop, "export", ADDRESS).output)
    assert len(exported["carts"]) == 1


def test_report_counts_recovered_carts_and_revenue(shop: Flask, clock: Clock) -> None:
    track(shop, "cart-1")
    track(shop, "cart-2", "piet@trapkracht.nl")
    track(shop, "cart-3", "kees@trapkracht.nl")
    cli(shop, "send-due", "--now", "2026-11-24T16:00")  # three first reminders
    clock.moment = START + dt.timedelta(days=1)
    client = shop.test_client()
    client.post("/defenceline/api/v1/carts/cart-1/order", json={"total": "69.90"}, headers=AUTH)
    client.post("/defenceline/api/v1/carts/cart-2/order", headers=AUTH)  # total from the quote
    clock.moment = START + dt.timedelta(days=10)
    track(shop, "cart-4", "nieuw@trapkracht.nl")
    shop.test_client().post("/defenceline/api/v1/carts/cart-4/order", headers=AUTH)  # no reminder
    result = cli(shop, "report", "--since", "2026-11-23", "--until", "2026-12-06", "--json")
    assert result.exit_code == 0, result.output
    weeks = {row["period"]: row for row in json.loads(result.output)}
    assert weeks["2026-W48"] == {
        "period": "2026-W48",
        "carts_tracked": 3,
        "carts_with_address": 3,
        "reminders_sent": 3,
        "carts_recovered": 2,
        "recovered_revenue": "139.80",
        "stock_alerts_sent": 0,
    }
    assert weeks["2026-W49"]["carts_tracked"] == 1 and weeks["2026-W49"]["carts_recovered"] == 0
    table = cli(shop, "report", "--since", "2026-11-23", "--until", "2026-12-06")
    assert "2026-W48" in table.output and "€\xa0139,80" in table.output


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("DEFENCELINE_CONSENT_MODE", "implicit", "DEFENCELINE_CONSENT_MODE: 'implicit'"),
        ("DEFENCELINE_REMINDER_DELAYS", ["24h", "1h"], "must grow"),
        ("DEFENCELINE_REMINDER_DELAYS", ["1 hour"], "DEFENCELINE_REMINDER_DELAYS[0]: '1 hour'"),
        ("DEFENCELINE_QUIET_HOURS", ("21:00",), "DEFENCELINE_QUIET_HOURS"),
        ("DEFENCELINE_QUIET_HOURS", ("9pm", "08:00"), "'9pm' is not a time of day"),
        ("DEFENCELINE_PUBLIC_URL", "shop.example", "not an absolute http(s) URL"),
        ("DEFENCELINE_MAIL_URL", "smtp://host?tls=1", "unknown option(s) tls"),
        ("DEFENCELINE_STOCK_ALERT_FACTOR", 0, "DEFENCELINE_STOCK_ALERT_FACTOR"),
        ("DEFENCELINE_PRODUCT_URL", "https://shop.example/p", "has no field; expected {sku}"),
    ],
)
def test_bad_email_settings_fail_at_start_up_naming_the_key(
    tmp_path: Path, key: str, value: object, message: str
) -> None:
    app = Flask("shop", instance_path=str(tmp_path))
    app.config.update(DEFENCELINE_POLICY=str(DEMO_POLICY), **{key: value})
    with pytest.raises(RuntimeError) as caught:
        DefenceLine(app)
    assert message in str(caught.value)


def test_the_due_search_uses_the_partial_index(tmp_path: Path, clock: Clock) -> None:
    from sqlalchemy import text

    shop = build_shop(tmp_path, f"sqlite:///{tmp_path / 'plan.sqlite3'}", None, clock)
    with shop.app_context():
        state().storage.sessions()
        with state().storage.engine.connect() as connection:
            plan = connection.execute(
                text(
                    "EXPLAIN QUERY PLAN SELECT id FROM dl_carts WHERE next_reminder_at IS NOT "
                    "NULL AND next_reminder_at <= '2026-11-24 16:00:00' ORDER BY "
                    "next_reminder_at LIMIT 200"
                )
            ).all()
            count = connection.execute(select(func.count()).select_from(SuppressionRow)).scalar()
    assert count == 0
    assert any("USING INDEX ix_dl_carts_due" in str(row[-1]) for row in plan), plan
