"""Nobody can make the shop email an address over and over, or fill its database: one
confirmation per address per day whatever the number of items, per-client limits (Flask-Limiter)
on every endpoint anyone can post to, and a daily cap on what feedback and page views store.
Real requests through the Flask test client, real SMTP (aiosmtpd), real SQLite."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import socket
import subprocess
import time
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
from defenceline.plugin.feedback.records import export_stats

from .conftest import TUESDAY_3PM, Clock, build_plugin_app
from .plugin_email import SmtpServer, build_shop, free_port, smtp

__all__ = ["smtp"]  # a fixture

START = TUESDAY_3PM  # the `clock` fixture's moment
SKUS = ["HELM-L", "TAIL-1", "BOOK-1", "LAMP-1", "BELL-1", "BELL-2"]
NAMES = ["Helmet L", "Tail light", "Route book", "Front lamp", "Bell"]


@pytest.fixture
def shop(tmp_path: Path, smtp: SmtpServer, clock: Clock) -> Flask:
    return build_shop(tmp_path, f"sqlite:///{tmp_path / 'shop.sqlite3'}", smtp.url, clock)


def ask(client: FlaskClient, address: str, sku: str, client_ip: str = "203.0.113.7") -> Any:
    body = {"email": address, "sku": sku, "consent": True, "locale": "en"}
    return client.post(
        "/defenceline/api/v1/stock-alerts", json=body, environ_base={"REMOTE_ADDR": client_ip}
    )


def run(app: Flask, at: dt.datetime) -> None:
    with app.app_context():
        send_due(now=at)


def confirmations(smtp: SmtpServer, address: str) -> list[str]:
    """The confirmation links emailed to `address`, oldest first."""
    links = []
    for mail in smtp.to(address):
        text = mail.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        links += re.findall(r"https://shop\.example(/defenceline/email/confirm/\S+)", text)
    return links


def statuses(app: Flask) -> dict[str, str]:
    with app.app_context(), state().storage.sessions()() as session:
        rows = session.scalars(select(StockSubscriptionRow)).all()
        return {row.sku: row.status for row in rows}


# --- stock alerts: one email per address per day ------------------------------------------------


def test_six_items_for_one_address_send_one_confirmation_email(
    shop: Flask, smtp: SmtpServer
) -> None:
    client = shop.test_client()
    for index, sku in enumerate(SKUS):  # from six different clients: the per-client limit aside
        assert ask(client, "anna@trapkracht.nl", sku, f"198.51.100.{index}").status_code == 202
    run(shop, START)
    run(shop, START + dt.timedelta(hours=23))  # the next passes write no more
    assert len(smtp.to("anna@trapkracht.nl")) == 1
    assert set(statuses(shop).values()) == {"pending"}


def test_one_confirmation_confirms_every_item_the_address_asked_for(
    shop: Flask, smtp: SmtpServer
) -> None:
    client = shop.test_client()
    assert ask(client, "anna@trapkracht.nl", "HELM-L").status_code == 202
    run(shop, START)
    [link] = confirmations(smtp, "anna@trapkracht.nl")
    for sku in SKUS[1:]:  # asked after the email went out, within the day
        assert ask(client, "anna@trapkracht.nl", sku, "198.51.100.9").status_code == 202
    run(shop, START + dt.timedelta(hours=1))
    assert len(smtp.to("anna@trapkracht.nl")) == 1
    # The page names everything the button confirms.
    page = client.get(link).get_data(as_text=True)
    for name in NAMES:
        assert name in page
    assert client.post(link).status_code == 200
    assert statuses(shop) == dict.fromkeys(SKUS, "confirmed")


def test_a_request_still_pending_after_a_day_gets_its_own_email(
    shop: Flask, smtp: SmtpServer, clock: Clock
) -> None:
    client = shop.test_client()
    ask(client, "anna@trapkracht.nl", "HELM-L")
    run(shop, START)
    [first] = confirmations(smtp, "anna@trapkracht.nl")
    assert client.post(first).status_code == 200  # confirmed at once
    clock.moment = START + dt.timedelta(hours=2)
    ask(client, "anna@trapkracht.nl", "TAIL-1")
    run(shop, START + dt.timedelta(hours=2))
    assert len(confirmations(smtp, "anna@trapkracht.nl")) == 1  # not within the day
    run(shop, START + dt.timedelta(hours=25))
    links = confirmations(smtp, "anna@trapkracht.nl")
    assert len(links) == 2
    assert "Tail light" in client.get(links[1]).get_data(as_text=True)


def test_an_address_holds_a_bounded_number_of_pending_requests(
    shop: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from defenceline.plugin.emails import alerts

    monkeypatch.setattr(alerts, "MAX_PENDING", 3)
    client = shop.test_client()
    answers = [
        ask(client, "anna@trapkracht.nl", sku, f"198.51.100.{i}") for i, sku in enumerate(SKUS)
    ]
    assert {answer.status_code for answer in answers} == {202}  # the same answer to everyone
    assert len(statuses(shop)) == 3


def test_stock_alert_sign_ups_are_limited_per_client(shop: Flask, smtp: SmtpServer) -> None:
    client = shop.test_client()
    addresses = [f"shopper{n}@trapkracht.nl" for n in range(11)]
    answers = [ask(client, address, "HELM-L").status_code for address in addresses]
    assert answers == [202] * 10 + [429]  # the default: 10 per hour per client
    refused = ask(client, "late@trapkracht.nl", "HELM-L")
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    # The widget shows the detail to the shopper: a sentence in their language.
    assert refused.get_json()["detail"].startswith("We kregen te veel verzoeken")
    english = client.post(
        "/defenceline/api/v1/stock-alerts",
        json={"email": "late@trapkracht.nl", "sku": "HELM-L", "consent": True},
        headers={"Accept-Language": "en-GB,en;q=0.8"},
        environ_base={"REMOTE_ADDR": "203.0.113.7"},
    )
    assert english.status_code == 429
    assert english.get_json()["detail"] == (
        "We have had too many requests from your connection. Please try again later."
    )
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    # Another client is not held back by this one.
    assert ask(client, "other@trapkracht.nl", "HELM-L", "192.0.2.55").status_code == 202
    run(shop, START)
    assert "late@trapkracht.nl" not in {r.recipients[0] for r in smtp.received}


def test_an_ipv6_client_is_its_64_network(tmp_path: Path, smtp: SmtpServer, clock: Clock) -> None:
    shop = build_shop(
        tmp_path,
        f"sqlite:///{tmp_path / 'shop.sqlite3'}",
        smtp.url,
        clock,
        DEFENCELINE_RATELIMIT_STOCK_ALERTS="2 per hour",
    )
    client = shop.test_client()
    one_line = ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::3"]
    answers = [
        ask(client, f"s{n}@trapkracht.nl", "HELM-L", ip).status_code
        for n, ip in enumerate(one_line)
    ]
    assert answers == [202, 202, 429]  # hopping between addresses of one /64 does not help
    assert ask(client, "t@trapkracht.nl", "HELM-L", "2001:db8:1:3::1").status_code == 202


# --- feedback and page views -------------------------------------------------------------------


def plugin_shop(tmp_path: Path, clock: Clock, **config: Any) -> Flask:
    return build_plugin_app(tmp_path, clock, **config)


def vote(
    client: FlaskClient, page: str = "faq/retourneren.md", ip: str = "203.0.113.7", **extra: Any
) -> Any:
    body = {
        "page": page,
        "helpful": True,
        "url": "https://help.example/faq/",
        "locale": "nl",
        **extra,
    }
    return client.post("/defenceline/api/v1/feedback", json=body, environ_base={"REMOTE_ADDR": ip})


def view(client: FlaskClient, page: str, ip: str = "203.0.113.7") -> Any:
    return client.post(
        "/defenceline/api/v1/pageviews",
        data=json.dumps({"page": page}),
        content_type="text/plain",
        environ_base={"REMOTE_ADDR": ip},
    )


def test_feedback_votes_are_limited_per_client(tmp_path: Path, clock: Clock) -> None:
    client = plugin_shop(tmp_path, clock).test_client()
    answers = [vote(client).status_code for _ in range(31)]
    assert answers == [204] * 30 + [429]  # the default: 30 per hour per client
    assert vote(client, ip="192.0.2.1").status_code == 204


def test_page_views_are_limited_per_client(tmp_path: Path, clock: Clock) -> None:
    app = plugin_shop(tmp_path, clock, DEFENCELINE_RATELIMIT_PAGEVIEWS="5 per minute")
    client = app.test_client()
    answers = [view(client, "kb/a.md").status_code for _ in range(6)]
    assert answers == [204] * 5 + [429]
    with app.app_context():
        assert export_stats(state().storage)["pages"]["kb/a.md"]["views"] == 5


def test_feedback_stops_storing_at_the_daily_cap(tmp_path: Path, clock: Clock) -> None:
    app = plugin_shop(tmp_path, clock, DEFENCELINE_FEEDBACK_MAX_PER_DAY=3)
    client = app.test_client()
    answers = [vote(client, ip=f"198.51.100.{n}").status_code for n in range(4)]
    assert answers == [204, 204, 204, 503]  # many clients together: still bounded
    full = vote(client, ip="198.51.100.99")
    assert full.status_code == 503
    # 14:00 UTC on the shop's clock: ten hours to midnight (less the seconds this test took).
    assert 10 * 3600 - 60 <= int(full.headers["Retry-After"]) <= 10 * 3600
    clock.moment = START + dt.timedelta(days=1)
    assert vote(client, ip="198.51.100.99").status_code == 204


def test_page_views_count_known_pages_but_no_new_ones_past_the_daily_cap(
    tmp_path: Path, clock: Clock
) -> None:
    app = plugin_shop(tmp_path, clock, DEFENCELINE_PAGEVIEW_MAX_PAGES_PER_DAY=2)
    client = app.test_client()
    assert view(client, "kb/a.md").status_code == 204
    assert view(client, "kb/b.md").status_code == 204
    assert view(client, "kb/invented-1.md").status_code == 503
    assert view(client, "kb/a.md").status_code == 204
    with app.app_context():
        pages = export_stats(state().storage)["pages"]
    assert pages.keys() == {"kb/a.md", "kb/b.md"} and pages["kb/a.md"]["views"] == 2


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "https://help.example/a b"}, "url"),
        ({"title": "Returns\r\nSet-Cookie: x=1"}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"locale": "<script>"}, "locale"),
        ({"page": "faq\x00.md"}, "page"),
        ({"page": "p" * 501}, "page"),
    ],
)
def test_feedback_fields_are_bounded_and_validated(
    tmp_path: Path, clock: Clock, extra: dict[str, Any], field: str
) -> None:
    client = plugin_shop(tmp_path, clock).test_client()
    answer = vote(client, **extra)
    assert answer.status_code == 422
    assert answer.get_json()["field"] == field


def test_limits_can_be_turned_off(tmp_path: Path, clock: Clock) -> None:
    client = plugin_shop(tmp_path, clock, DEFENCELINE_RATELIMIT_ENABLED=False).test_client()
    assert {vote(client).status_code for _ in range(40)} == {204}


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("DEFENCELINE_RATELIMIT_FEEDBACK", "lots", "is not a rate limit"),
        ("DEFENCELINE_RATELIMIT_STOCK_ALERTS", 10, "is not a rate limit"),
        ("DEFENCELINE_RATELIMIT_STORAGE_URI", "carrier-pigeon://loft", "cannot be used"),
        ("DEFENCELINE_FEEDBACK_MAX_PER_DAY", 0, "at least 1"),
    ],
)
def test_a_bad_limit_setting_stops_the_app_at_start_up(
    tmp_path: Path, clock: Clock, key: str, value: object, expected: str
) -> None:
    with pytest.raises(RuntimeError) as caught:
        plugin_shop(tmp_path, clock, **{key: value})
    assert str(caught.value).startswith(key) and expected in str(caught.value)


# --- several app servers share one store -------------------------------------------------------


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A throwaway Redis on 127.0.0.1 (Debian's redis-server; CI installs it)."""
    program = shutil.which("redis-server")
    if program is None:
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server)")
    port = free_port()
    server = subprocess.Popen(
        [program, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
         "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                    probe.sendall(b"PING\r\n")
                    if probe.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def two_servers(tmp_path: Path, clock: Clock, storage: str) -> list[FlaskClient]:
    """Two app servers of one shop (one database), as behind a load balancer."""
    database = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    for name in ("web1", "web2"):
        (tmp_path / name).mkdir()
    return [
        build_plugin_app(
            tmp_path / name,
            clock,
            DEFENCELINE_DATABASE_URL=database,
            DEFENCELINE_RATELIMIT_FEEDBACK="4 per hour",
            DEFENCELINE_RATELIMIT_STORAGE_URI=storage,
        ).test_client()
        for name in ("web1", "web2")
    ]


def test_app_servers_sharing_a_store_grant_the_limit_once(
    tmp_path: Path, clock: Clock, redis_url: str
) -> None:
    web1, web2 = two_servers(tmp_path, clock, redis_url)
    answers = [vote(server).status_code for server in (web1, web2, web1, web2, web1, web2)]
    assert answers == [204, 204, 204, 204, 429, 429]


def test_app_servers_counting_in_memory_each_grant_the_whole_limit(
    tmp_path: Path, clock: Clock
) -> None:
    """Why several servers need DEFENCELINE_RATELIMIT_STORAGE_URI: each memory counts alone."""
    web1, web2 = two_servers(tmp_path, clock, "memory://")
    answers = [vote(server).status_code for server in (web1, web2) * 5]
    assert answers.count(204) == 8 and answers.count(429) == 2


def test_when_the_shared_store_is_down_requests_are_still_answered(
    tmp_path: Path, clock: Clock, redis_url: str
) -> None:
    port = int(redis_url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(b"SHUTDOWN NOSAVE\r\n")
    web1, _ = two_servers(tmp_path, clock, redis_url)
    answers = [vote(web1).status_code for _ in range(5)]
    assert answers == [204] * 4 + [429]  # this server's own memory counts meanwhile


def test_cors_preflights_do_not_use_up_the_limit(tmp_path: Path, clock: Clock) -> None:
    app = plugin_shop(
        tmp_path,
        clock,
        DEFENCELINE_RATELIMIT_FEEDBACK="2 per hour",
        DEFENCELINE_CORS_ORIGINS=["https://help.example"],
    )
    client = app.test_client()
    for _ in range(5):  # the browser asks before each cross-origin vote
        preflight = client.options(
            "/defenceline/api/v1/feedback",
            headers={"Origin": "https://help.example", "Access-Control-Request-Method": "POST"},
        )
        assert preflight.status_code < 400
    assert [vote(client).status_code for _ in range(3)] == [204, 204, 429]


def test_the_host_apps_own_flask_limiter_settings_are_not_applied_again(
    tmp_path: Path, clock: Clock
) -> None:
    """A shop that configures its own Flask-Limiter with RATELIMIT_* keys: the plugin's limiter
    limits only the plugin's endpoints, never the shop's pages a second time."""
    app = plugin_shop(
        tmp_path, clock, RATELIMIT_DEFAULT="1 per hour", RATELIMIT_APPLICATION="2 per hour"
    )

    @app.get("/shop-page")
    def shop_page() -> str:
        return "ok"

    client = app.test_client()
    assert {client.get("/shop-page").status_code for _ in range(5)} == {200}
    assert [vote(client).status_code for _ in range(3)] == [204, 204, 204]
