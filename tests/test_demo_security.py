"""The demo shop as an attacker tries it: cross-site form posts, a CRLF in a form field,
personal data in the cookie, admin pages from another machine, inline script and style.

The demo is the integration developers copy, so each defence here is one a shop needs too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from defenceline.demoshop.app import create_app
from defenceline.demoshop.protection import STRICT_CSP
from defenceline.plugin import state
from defenceline.plugin.cart.tracking import CartRow

from .conftest import TUESDAY_3PM
from .test_demo import form_post

REMOTE = {"REMOTE_ADDR": "203.0.113.9"}  # a documentation address: another machine
ORDER = {
    "name": "An", "email": "an@voorbeeld.nl", "street": "Dorpsstraat 1",
    "postcode": "1234 AB", "city": "Utrecht", "country": "NL", "payment_method": "iDEAL",
}  # fmt: skip


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return create_app(clock=lambda: TUESDAY_3PM, data_dir=tmp_path, help_centre="off")


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def tracked_carts(app: Flask) -> list[CartRow]:
    with app.app_context(), state().storage.sessions()() as session:
        return list(session.query(CartRow).all())


def session_of(client: FlaskClient) -> dict[str, Any]:
    with client.session_transaction() as session:
        return dict(session)


# --- CSRF --------------------------------------------------------------------------------------


def test_cross_site_post_of_email_and_consent_is_refused_and_nothing_is_kept(
    app: Flask, client: FlaskClient
) -> None:
    form_post(client, "/cart/add", {"sku": "BELL-CHR", "quantity": "1"})
    # A third-party page posts into the shopper's session: same cookie, no token.
    forged = client.post(
        "/checkout/contact",
        data={"email": "attacker@example.org", "consent": "yes"},
        headers={"Origin": "https://evil.example", "Accept": "text/html"},
    )
    assert forged.status_code == 400
    assert "Deze pagina is verlopen" in forged.get_data(as_text=True)
    assert all(cart.email is None for cart in tracked_carts(app))
    assert client.post("/cart/add", data={"sku": "LAMP-F80", "quantity": "1"}).status_code == 400
    assert client.post("/checkout", data=ORDER).status_code == 400
    assert session_of(client)["cart"] == {"BELL-CHR": 1}


def test_script_posts_carry_the_token_in_a_header_and_get_json_errors_without(
    client: FlaskClient,
) -> None:
    form_post(client, "/cart/add", {"sku": "BELL-CHR", "quantity": "1"})
    token = BeautifulSoup(client.get("/cart").data, "lxml").select_one("meta[name=csrf-token]")
    assert token is not None
    headers = {"Accept": "application/json"}
    refused = client.post("/cart/update", data={"qty-BELL-CHR": "3"}, headers=headers)
    assert refused.status_code == 400 and refused.get_json()["error"] == "csrf"
    accepted = client.post(
        "/cart/update",
        data={"qty-BELL-CHR": "3"},
        headers={**headers, "X-CSRFToken": str(token["content"])},
    )
    assert accepted.status_code == 200
    assert accepted.get_json()["lines"] == [{"sku": "BELL-CHR", "quantity": 3}]


def test_every_form_of_the_demo_carries_a_csrf_token(client: FlaskClient) -> None:
    form_post(client, "/cart/add", {"sku": "BELL-CHR", "quantity": "1"})
    for path in ("/product/fietsbel-klassiek?sku=BELL-CHR", "/product/fietshelm-urban", "/cart",
                 "/checkout"):  # fmt: skip
        soup = BeautifulSoup(client.get(path).data, "lxml")
        posting = soup.select("form[method=post]")
        assert posting, path
        for form in posting:
            assert form.select_one("input[name=csrf_token][type=hidden]") is not None, path


def test_plugin_json_api_and_one_click_unsubscribe_are_exempt(client: FlaskClient) -> None:
    quote = client.post(
        "/defenceline/api/v1/cart-quote",
        json={"lines": [{"sku": "BELL-CHR", "quantity": 1}], "country": "NL"},
    )
    assert quote.status_code == 200
    # The signed token is the authority for RFC 8058 one-click; a bad one is the plugin's own
    # answer (not the demo's CSRF refusal).
    unsubscribe = client.post("/defenceline/email/unsubscribe/not-a-token")
    assert unsubscribe.status_code != 400 or b"csrf" not in unsubscribe.data.lower()
    assert b"Deze pagina is verlopen" not in unsubscribe.data


# --- cookies and what they hold --------------------------------------------------------------


def test_session_cookie_is_samesite_lax_and_httponly(client: FlaskClient) -> None:
    response = form_post(client, "/cart/add", {"sku": "BELL-CHR", "quantity": "1"})
    cookie = response.headers["Set-Cookie"]
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie
    assert "Secure" not in cookie  # served over http on 127.0.0.1


def test_https_demo_marks_the_session_cookie_secure(tmp_path: Path) -> None:
    app = create_app(
        clock=lambda: TUESDAY_3PM, data_dir=tmp_path, help_centre="off",
        public_url="https://shop.example",
    )  # fmt: skip
    response = form_post(app.test_client(), "/cart/add", {"sku": "BELL-CHR", "quantity": "1"})
    assert "Secure" in response.headers["Set-Cookie"]


def test_email_and_name_stay_on_the_server_never_in_the_cookie(
    app: Flask, client: FlaskClient
) -> None:
    form_post(client, "/cart/add", {"sku": "BELL-CHR", "quantity": "1"})
    form_post(client, "/checkout/contact",
              {"email": "an@voorbeeld.nl", "name": "An Jansen", "consent": "yes"})  # fmt: skip
    kept = session_of(client)
    assert set(kept) <= {"cart", "cart_id", "country", "payment_method", "csrf_token"}
    assert "an@voorbeeld.nl" not in repr(kept) and "Jansen" not in repr(kept)
    raw = client.get_cookie("session")
    assert raw is not None
    decoded = app.session_interface.get_signing_serializer(app).loads(raw.value)  # type: ignore[attr-defined]
    assert "an@voorbeeld.nl" not in repr(decoded)
    (cart,) = tracked_carts(app)
    assert (cart.id, cart.email, cart.name) == (kept["cart_id"], "an@voorbeeld.nl", "An Jansen")


# --- form values -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["An\r\nBcc: all@example.org", "An\x00", "An\u2028Jansen"])
def test_crlf_in_the_name_is_a_form_error_never_stored_and_later_requests_work(
    app: Flask, client: FlaskClient, name: str
) -> None:
    form_post(client, "/cart/add", {"sku": "BELL-CHR", "quantity": "1"})
    answer = form_post(client, "/checkout/contact", {"email": "an@voorbeeld.nl", "name": name})
    assert answer.status_code == 422
    assert "zonder regeleinden" in answer.get_json()["errors"]["name"]
    assert all(cart.name is None and cart.email is None for cart in tracked_carts(app))
    checkout = form_post(client, "/checkout", {**ORDER, "name": name})
    assert checkout.status_code == 422
    soup = BeautifulSoup(checkout.data, "lxml")
    assert "zonder regeleinden" in soup.select_one("#name-error").get_text()  # type: ignore[union-attr]
    for path in ("/", "/cart", "/checkout", "/product/fietsbel-klassiek"):
        assert client.get(path).status_code == 200, path
    assert form_post(client, "/checkout", ORDER).status_code == 200


def test_overlong_values_are_form_errors(client: FlaskClient) -> None:
    form_post(client, "/cart/add", {"sku": "BELL-CHR", "quantity": "1"})
    answer = form_post(client, "/checkout", {**ORDER, "city": "U" * 5000})
    assert answer.status_code == 422
    assert (
        "hooguit 100 tekens"
        in BeautifulSoup(answer.data, "lxml").select_one("#city-error").get_text()
    )  # type: ignore[union-attr]


@pytest.mark.parametrize("quantity", ["５", "٣", "²", "①", "9" * 5000, "-1", "0"])
def test_quantity_other_than_ascii_digits_is_refused_and_nothing_is_added(
    client: FlaskClient, quantity: str
) -> None:
    answer = form_post(client, "/cart/add", {"sku": "BELL-CHR", "quantity": quantity})
    assert answer.status_code == 422
    assert "cart" not in session_of(client) or session_of(client)["cart"] == {}


# --- admin pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/_outbox/", "/_checks", "/_checks/slecht-voorbeeld"])
def test_admin_pages_refuse_other_machines(client: FlaskClient, path: str) -> None:
    refused = client.get(path, environ_base=REMOTE)
    assert refused.status_code == 403
    assert "--expose-admin" in refused.get_data(as_text=True)
    assert client.get(path, environ_base={"REMOTE_ADDR": "::1"}).status_code == 200
    # The shop itself is for everyone.
    assert client.get("/", environ_base=REMOTE).status_code == 200


def test_admin_pages_are_served_to_others_only_when_exposed(tmp_path: Path) -> None:
    app = create_app(
        clock=lambda: TUESDAY_3PM, data_dir=tmp_path, help_centre="off", expose_admin=True
    )
    assert app.test_client().get("/_outbox/", environ_base=REMOTE).status_code == 200


def test_demo_command_has_an_explicit_flag_to_expose_admin_pages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from defenceline.demoshop.cli import demo

    started: list[Flask] = []
    monkeypatch.setattr(Flask, "run", lambda self, **_: started.append(self))
    monkeypatch.setattr(
        "defenceline.plugin.emails.dispatch.start_background_sender", lambda *a: None
    )
    for flags, expected in (([], 403), (["--expose-admin"], 200)):
        result = CliRunner().invoke(demo, ["--port", "5999", *flags])
        assert result.exit_code == 0, result.output
        answer = started[-1].test_client().get("/_outbox/", environ_base=REMOTE)
        assert answer.status_code == expected
    assert "(this machine only)" in CliRunner().invoke(demo, ["--port", "5999"]).output


# --- Content-Security-Policy -------------------------------------------------------------------

SHOP_PAGES = [
    "/", "/product/fietsbel-klassiek?sku=BELL-CHR", "/product/fietshelm-urban", "/over-ons",
    "/voorwaarden", "/cart", "/checkout",
]  # fmt: skip


def test_demo_pages_have_a_strict_csp_and_no_inline_script_or_style(client: FlaskClient) -> None:
    form_post(client, "/cart/add", {"sku": "BELL-CHR", "quantity": "1"})
    for path in SHOP_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Content-Security-Policy"] == STRICT_CSP
        assert "'unsafe-inline'" not in STRICT_CSP
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        soup = BeautifulSoup(response.data, "lxml")
        inline = [s for s in soup.find_all("script")
                  if not s.get("src") and s.get("type") != "application/ld+json"]  # fmt: skip
        assert inline == [], path
        assert soup.find("style") is None, path
        handlers = [(tag.name, attr) for tag in soup.find_all(True) for attr in tag.attrs
                    if re.fullmatch(r"on[a-z]+", attr)]  # fmt: skip
        assert handlers == [], path
        # The demo's own markup; the plugin's widgets inside it have their own CSP test.
        styled = [str(tag)[:80] for tag in soup.select("[style]") if not _in_widget(tag)]
        assert styled == [], path


def _in_widget(tag: Any) -> bool:
    return any(
        any(str(name).startswith("dl-") for name in parent.get("class") or [])
        or parent.name.startswith("dl-")
        for parent in tag.parents
        if parent.name
    )


def test_bad_example_page_allows_only_its_own_inline_blocks_by_hash(client: FlaskClient) -> None:
    policy = client.get("/slecht-voorbeeld").headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    assert re.search(r"script-src 'self' 'sha256-[A-Za-z0-9+/=]+'", policy)


def test_admin_and_help_pages_get_their_documented_narrower_policies(client: FlaskClient) -> None:
    outbox = client.get("/_outbox/").headers["Content-Security-Policy"]
    assert "script-src 'none'" in outbox and "default-src 'self'" in outbox
    helps = client.get("/help/").headers["Content-Security-Policy"]  # 404 without a help centre
    assert "default-src 'self'" in helps and "frame-ancestors 'none'" in helps
    # A plugin fragment sets no policy of its own (it becomes part of the shop's page), so the
    # demo's strict one applies to it - never a weaker one.
    fragment = client.get("/defenceline/fragments/stock/BELL-CHR")
    assert fragment.headers["Content-Security-Policy"] == STRICT_CSP


def test_an_empty_postcode_is_told_with_the_countrys_example(client: FlaskClient) -> None:
    form_post(client, "/cart/add", {"sku": "BELL-CHR", "quantity": "1"})
    answer = form_post(client, "/checkout", {**ORDER, "postcode": "", "country": "DE"})
    error = BeautifulSoup(answer.data, "lxml").select_one("#postcode-error")
    assert error is not None and error.get_text() == "Vul een postcode in zoals 10115."
