"""The demo's cart and guest checkout: the cart lives in the session (SKU -> quantity), every
cost is shown by the plugin's cart summary before checkout, and the checkout asks only what a
parcel needs, with inline validation and no account, no pre-ticked boxes."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any
from zoneinfo import available_timezones

from flask import (
    Blueprint,
    Flask,
    Response,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from defenceline.plugin import DefenceLine, state
from defenceline.regions import country_name

__all__ = ["cart_id", "refill_cart", "shopping"]

shopping = Blueprint("shopping", __name__)

MAX_QUANTITY = 99
_POSTCODES = {
    "NL": (r"^[1-9][0-9]{3} ?[A-Za-z]{2}$", "1234 AB"),
    "BE": (r"^[1-9][0-9]{3}$", "1000"),
    "DE": (r"^[0-9]{5}$", "10115"),
}


def cart_items() -> dict[str, int]:
    raw = session.get("cart", {})
    return {str(k): int(v) for k, v in raw.items() if isinstance(v, int) and v > 0}


def _save(items: dict[str, int]) -> None:
    session["cart"] = {sku: qty for sku, qty in items.items() if qty > 0}
    _track()


def cart_id() -> str:
    """The shopper's cart id for the plugin's cart tracking (random; never in a URL)."""
    if "cart_id" not in session:
        session["cart_id"] = secrets.token_hex(16)
    return str(session["cart_id"])


def _track(**shopper: Any) -> None:
    """Tell the plugin about the cart (each call is cart activity), as a storefront would."""
    known = {
        key: session[key]
        for key in ("email", "name", "timezone", "consent")
        if session.get(key) not in (None, "")
    }
    lines = [{"sku": sku, "quantity": qty} for sku, qty in cart_items().items()]
    DefenceLine.track_cart(
        cart_id(),
        lines,
        locale="nl",
        country=session.get("country", state().policy.shop.country),
        user_agent=request.user_agent.string,
        **{**known, **shopper},
    )


def refill_cart(sender: Flask, cart_id: str, lines: list[dict[str, Any]], **_: Any) -> None:
    """A restore link from a reminder email rebuilds the cart in this browser."""
    session["cart_id"] = cart_id
    session["cart"] = {line["sku"]: int(line["quantity"]) for line in lines}


def cart_request() -> dict[str, Any]:
    """The cart as the plugin's cart-quote API takes it."""
    policy = state().policy
    return {
        "lines": [{"sku": sku, "quantity": qty} for sku, qty in cart_items().items()],
        "country": session.get("country", policy.shop.country),
        "payment_method": session.get("payment_method") or None,
        "locale": "nl",
    }


def _quantity(value: str | None) -> int:
    try:
        return max(0, min(MAX_QUANTITY, int(value or "1")))
    except ValueError:
        return 1


@shopping.post("/cart/add")
def add() -> Response:
    sku = request.form.get("sku", "")
    if state().catalogue.get(sku) is None:
        return Response("Onbekend artikel", status=404)
    items = cart_items()
    items[sku] = min(MAX_QUANTITY, items.get(sku, 0) + _quantity(request.form.get("quantity")))
    _save(items)
    return redirect(url_for("shopping.cart"))  # type: ignore[return-value]


@shopping.post("/cart/update")
def update() -> Response:
    """Change quantities (0 removes a line); a form post or a fetch from the cart page."""
    items = cart_items()
    for key, value in request.form.items():
        if key.startswith("qty-") and key[4:] in items:
            items[key[4:]] = _quantity(value)
    if request.form.get("remove") in items:
        items.pop(request.form["remove"])
    _save(items)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(cart_request())
    return redirect(url_for("shopping.cart"))  # type: ignore[return-value]


@shopping.post("/cart/choices")
def choices() -> Response:
    """Keep the destination and payment method chosen in the cart summary."""
    policy = state().policy
    country = request.form.get("country")
    if country and policy.zone_for(country):
        session["country"] = country
    method = request.form.get("payment_method")
    if method is not None:
        session["payment_method"] = method if policy.payment_method(method) else ""
    _track()
    if request.accept_mimetypes.best == "application/json":
        return jsonify(cart_request())
    return redirect(url_for("shopping.cart"))  # type: ignore[return-value]


@shopping.get("/cart")
def cart() -> str:
    items = cart_items()
    products = state().catalogue.get_many(items)
    lines = [(products[sku], qty) for sku, qty in items.items() if sku in products]
    return render_template("cart.html", lines=lines, cart=cart_request())


@shopping.post("/checkout/contact")
def contact() -> Response:
    """The checkout's first fields, kept as the shopper fills them in: with their consent (an
    unticked box), a forgotten cart may get one friendly reminder."""
    email = request.form.get("email", "").strip()
    if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        session["email"] = email
    name = request.form.get("name", "").strip()
    if name:
        session["name"] = name[:200]
    zone = request.form.get("timezone", "")
    if zone in available_timezones():
        session["timezone"] = zone
    session["consent"] = request.form.get("consent") == "yes"
    if cart_items():
        _track()
    return Response(status=204)


@dataclass
class CheckoutForm:
    values: dict[str, str]
    errors: dict[str, str]


def _validate(form: dict[str, str]) -> dict[str, str]:
    """Server-side checks, the same as the browser's; messages say what to fix."""
    policy = state().policy
    errors: dict[str, str] = {}
    if not form.get("name", "").strip():
        errors["name"] = "Vul je naam in, zodat de bezorger weet voor wie het pakket is."
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", form.get("email", "").strip()):
        errors["email"] = (
            "Vul een e-mailadres in zoals naam@voorbeeld.nl; daar sturen we de track & trace heen."
        )
    if not form.get("street", "").strip():
        errors["street"] = "Vul je straat en huisnummer in."
    country = form.get("country", "")
    if not policy.zone_for(country):
        errors["country"] = "Kies een land waar we naartoe verzenden."
    pattern, example = _POSTCODES.get(country, (r".+", ""))
    if not re.fullmatch(pattern, form.get("postcode", "").strip()):
        errors["postcode"] = f"Vul een postcode in zoals {example}."
    if not form.get("city", "").strip():
        errors["city"] = "Vul je woonplaats in."
    if not policy.payment_method(form.get("payment_method", "")):
        errors["payment_method"] = "Kies hoe je wilt betalen."
    return errors


@shopping.route("/checkout", methods=["GET", "POST"])
def checkout() -> str | Response | tuple[str, int]:
    items = cart_items()
    if not items:
        return redirect(url_for("shopping.cart"))  # type: ignore[return-value]
    policy = state().policy
    fields = ("name", "email", "street", "postcode", "city", "country", "payment_method")
    values = {f: request.form.get(f, "") for f in fields}
    values["country"] = values["country"] or session.get("country", policy.shop.country)
    values["payment_method"] = values["payment_method"] or session.get("payment_method", "")
    errors: dict[str, str] = {}
    if request.method == "POST":
        errors = _validate(values)
        if not errors:
            order = cart_request()
            session["email"] = values["email"].strip()
            session["name"] = values["name"].strip()
            _track()
            DefenceLine.cart_ordered(cart_id())
            session.pop("cart", None)
            session.pop("cart_id", None)
            return render_template(
                "order_placed.html",
                name=values["name"].strip(),
                email=values["email"].strip(),
                order=order,
            )
    country = values["country"] if policy.zone_for(values["country"]) else policy.shop.country
    summary = dict(cart_request(), country=country, payment_method=values["payment_method"] or None)
    page = render_template(
        "checkout.html",
        form=CheckoutForm(values, errors),
        countries=[(c, country_name(c, "nl")) for c in policy.shipping.countries],
        methods=policy.payment_methods,
        summary=summary,
        postcodes=_POSTCODES,
    )
    return (page, 422) if errors else page
