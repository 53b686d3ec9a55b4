"""The demo shop: product pages show the promise computed from the policy."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from defenceline.demoshop.app import create_app

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def client() -> FlaskClient:
    moment = dt.datetime(2026, 11, 24, 15, 0, tzinfo=AMS)  # a Tuesday, before the cut-off
    return create_app(clock=lambda: moment).test_client()


def page(client: FlaskClient, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.data, "lxml")


def text(soup: BeautifulSoup, selector: str) -> str:
    found = soup.select_one(selector)
    assert found is not None, selector
    return found.get_text(" ", strip=True).replace("\xa0", " ")


def test_home_lists_every_product(client: FlaskClient) -> None:
    soup = page(client, "/")
    assert len(soup.select(".card")) == 15
    assert "€\xa012,95" in soup.get_text()  # Babel's Dutch format, no-break space


def test_product_page_shows_delivery_estimate_from_policy(client: FlaskClient) -> None:
    soup = page(client, "/product/fietsbel-klassiek")
    assert text(soup, ".delivery") == (
        "Vandaag vóór 16:00 besteld, bezorgd woensdag 25 november door PostNL."
    )
    assert text(soup, ".shipping") == ("Verzendkosten naar Nederland: € 4,95, gratis vanaf € 50,00")
    assert text(soup, ".returns") == "Gratis retourneren binnen 30 dagen"


def test_variant_and_destination_change_the_answer(client: FlaskClient) -> None:
    soup = page(client, "/product/fietsbel-klassiek?sku=BELL-BLK&land=DE")
    assert text(soup, ".stock") == "Op voorraad: nog 3 stuks"
    assert text(soup, ".delivery") == (
        "Vandaag vóór 16:00 besteld, bezorgd tussen donderdag 26 november en "
        "vrijdag 27 november door DHL."
    )
    assert "vanaf € 6,95" in text(soup, ".shipping")


def test_out_of_stock_variants_say_so_honestly(client: FlaskClient) -> None:
    soup = page(client, "/product/fietshelm-urban?sku=HELM-L")
    assert text(soup, ".stock") == "Uitverkocht, we weten nog niet wanneer het terugkomt"
    assert text(soup, ".delivery") == "We kunnen nog geen bezorgdatum beloven."
    soup = page(client, "/product/led-achterlicht")
    assert text(soup, ".stock").startswith("Tijdelijk uitverkocht, weer op voorraad vanaf")
    assert text(soup, ".delivery").startswith("Nu besteld, bezorgd")


def test_unknown_product_is_404(client: FlaskClient) -> None:
    assert client.get("/product/nope").status_code == 404
    assert client.get("/img/NOPE.svg").status_code == 404


def test_product_images_are_svg(client: FlaskClient) -> None:
    response = client.get("/img/BELL-CHR.svg")
    assert response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_defenceline_demo_serves_the_shop() -> None:
    port = _free_port()
    script = Path(sys.executable).with_name("defenceline")
    server = subprocess.Popen(
        [str(script), "demo", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/product/regenponcho") as r:
                    body = r.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        assert "Regenponcho" in body
        assert 'class="delivery"' in body
    finally:
        server.terminate()
        server.wait(timeout=10)
