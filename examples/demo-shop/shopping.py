"""The demo's cart and guest checkout: the cart lives in the session (SKU -> quantity), every
cost is shown by the plugin's cart summary before checkout, and the checkout asks only what a
parcel needs, with inline validation and no account, no pre-ticked boxes.

The session cookie is signed, not encrypted, so it holds nothing personal: the cart, its random
id, the chosen destination and payment method. What a shopper types (name, email, consent) is
validated and then handed to the plugin's tracked cart on the server, never to the cookie.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
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

from defenceline.demoshop.deliveries import record_demo_order
from defenceline.plugin import DefenceLine, state
from defenceline.plugin.cart.tracking import CartOrdered
from defenceline.regions import country_name

__all__ = ["cart_id", "refill_cart", "shopping"]

shopping = Blueprint("shopping", __name__)

MAX_QUANTITY = 99
_POSTCODES = {
    "NL": (r"^[1-9][0-9]{3} ?[A-Za-z]{2}$", "1234 AB"),
    "BE": (r"^[1-9][0-9]{3}$", "1000"),
    "DE": (r"^[0-9]{5}$", "10115"),
}


# What each field asks for: the server's errors and the browser's inline validation
# (`data-message` on the inputs) say the same, from here.
MESSAGES = {
    "name": "Vul je naam in, zodat de bezorger weet voor wie het pakket is.",
    "email": (
        "Vul een e-mailadres in zoals naam@voorbeeld.nl; daar sturen we de track & trace heen."
    ),
    "street": "Vul je straat en huisnummer in.",
    "postcode": "Vul een postcode in zoals {example}.",
    "city": "Vul je woonplaats in.",
    "country": "Kies een land waar we naartoe verzenden.",
    "payment_method": "Kies hoe je wilt betalen.",
}
LIMITS = {"name": 200, "email": 254, "street": 200, "postcode": 10, "city": 100}
_PLAIN_TEXT = "Gebruik alleen gewone tekst, zonder regeleinden of stuurtekens."
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_QUANTITY = re.compile(r"[0-9]{1,4}")  # ASCII digits only: int() also reads '٣' and '５'


_NOT_TEXT = frozenset({"Cc", "Cs", "Co", "Cn", "Zl", "Zp"})


def _plain(value: str) -> bool:
    """No line breaks, control, private-use or unassigned characters: a name or an address
    line is one line of text, and a CR/LF in it would end up in email headers and logs."""
    return not any(unicodedata.category(ch) in _NOT_TEXT for ch in value)


def field_error(name: str, value: str, required: bool = True) -> str | None:
    """What is wrong with form field `name`, in the shopper's words; None when it is fine."""
    text = value.strip()
    if not _plain(value):
        return _PLAIN_TEXT
    if len(text) > LIMITS.get(name, 200):
        return f"Dat is te lang: hooguit {LIMITS.get(name, 200)} tekens."
    if required and not text:
        return MESSAGES[name].format(example="")
    if name == "email" and text and not _EMAIL.fullmatch(text):
        return MESSAGES["email"]
    return None


def cart_items() -> dict[str, int]:
    raw = session.get("cart", {})
    if not isinstance(raw, dict):
        return {}
    return {str(k): v for k, v in raw.items() if type(v) is int and 0 < v <= MAX_QUANTITY}


def _save(items: dict[str, int]) -> None:
    session["cart"] = {sku: qty for sku, qty in items.items() if qty > 0}
    _track()


def cart_id() -> str:
    """The shopper's cart id for the plugin's cart tracking (random; never in a URL)."""
    if "cart_id" not in session:
        session["cart_id"] = secrets.token_hex(16)
    return str(session["cart_id"])


def _track(**shopper: Any) -> None:
    """Tell the plugin about the cart (each call is cart activity), as a storefront would.

    The plugin keeps what it was told before (email, name, consent), so the shopper's details
    are passed once, by `contact` and `checkout`, and live on the server from then on.
    """
    lines = [{"sku": sku, "quantity": qty} for sku, qty in cart_items().items()]
    # A header is the browser's to fill in: keep it to one line of plain text for the record.
    agent = "".join(ch for ch in request.user_agent.string if ch.isprintable())[:1000]
    for _attempt in range(2):
        try:
            DefenceLine.track_cart(
                cart_id(),
                lines,
                locale="nl",
                country=session.get("country", state().policy.shop.country),
                user_agent=agent,
                **shopper,
            )
            return
        except CartOrdered:  # this browser's cart became an order elsewhere: start a new one
            session.pop("cart_id", None)


def refill_cart(sender: Flask, lines: list[dict[str, Any]], **_: Any) -> None:
    """A restore link from a reminder email puts the saved items into this browser's own cart
    (its own cart id: the link never hands over the original cart or its consent)."""
    items = cart_items()
    for line in lines:
        sku, quantity = str(line["sku"]), int(line["quantity"])
        items[sku] = min(MAX_QUANTITY, max(items.get(sku, 0), quantity))
    session["cart"] = items


def cart_request() -> dict[str, Any]:
    """The cart as the plugin's cart-quote API takes it."""
    policy = state().policy
    return {
        "lines": [{"sku": sku, "quantity": qty} for sku, qty in cart_items().items()],
        "country": session.get("country", policy.shop.country),
        "payment_method": session.get("payment_method") or None,
        "locale": "nl",
    }


def _quantity(value: str | None, default: int = 1) -> int:
    """A quantity from a form: ASCII digits, at most MAX_QUANTITY; anything else is `default`."""
    if value is None or not _QUANTITY.fullmatch(value.strip()):
        return default
    return min(MAX_QUANTITY, int(value.strip()))


@shopping.post("/cart/add")
def add() -> Response:
    sku = request.form.get("sku", "")
    if state().catalogue.get(sku) is None:
        return Response("Onbekend artikel", status=404)
    quantity = _quantity(request.form.get("quantity", "1"), default=0)
    if quantity < 1:
        return Response("Aantal: vul een heel getal van 1 tot en met 99 in", status=422)
    items = cart_items()
    items[sku] = min(MAX_QUANTITY, items.get(sku, 0) + quantity)
    _save(items)
    return redirect(url_for("shopping.cart"))  # type: ignore[return-value]


@shopping.post("/cart/update")
def update() -> Response:
    """Change quantities (0 removes a line); a form post or a fetch from the cart page."""
    items = cart_items()
    for key, value in request.form.items():
        if key.startswith("qty-") and key[4:] in items:
            items[key[4:]] = _quantity(value, default=items[key[4:]])
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
    if country and policy.zone_for(country) and country in policy.shipping.countries:
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
def contact() -> Response | tuple[Response, int]:
    """The checkout's first fields, kept as the shopper fills them in: with their consent (an
    unticked box), a forgotten cart may get one friendly reminder. Each value is checked
    first; a bad one is a 422 naming the field and nothing is kept."""
    values = {key: request.form.get(key, "") for key in ("email", "name")}
    errors = {
        key: message
        for key, value in values.items()
        if (message := field_error(key, value, required=False))
    }
    if errors:
        return jsonify(errors=errors), 422
    shopper: dict[str, Any] = {"consent": request.form.get("consent") == "yes"}
    if values["email"].strip():
        shopper["email"] = values["email"].strip()
    if values["name"].strip():
        shopper["name"] = values["name"].strip()
    zone = request.form.get("timezone", "")
    if zone in available_timezones():
        shopper["timezone"] = zone
    if cart_items():
        _track(**shopper)
    return Response(status=204)


@dataclass
class CheckoutForm:
    values: dict[str, str]
    errors: dict[str, str]


def _validate(form: dict[str, str]) -> dict[str, str]:
    """Server-side checks, the same as the browser's; messages say what to fix."""
    policy = state().policy
    errors: dict[str, str] = {}
    for name in ("name", "email", "street", "postcode", "city"):
        # An empty postcode is told by the country's pattern below, with its example.
        message = field_error(name, form.get(name, ""), required=name != "postcode")
        if message:
            errors[name] = message
    country = form.get("country", "")
    if not policy.zone_for(country):
        errors["country"] = MESSAGES["country"]
    pattern, example = _POSTCODES.get(country, (r".+", ""))
    if "postcode" not in errors and not re.fullmatch(pattern, form.get("postcode", "").strip()):
        errors["postcode"] = MESSAGES["postcode"].format(example=example)
    if not policy.payment_method(form.get("payment_method", "")):
        errors["payment_method"] = MESSAGES["payment_method"]
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
            _track(email=values["email"].strip(), name=values["name"].strip())
            DefenceLine.cart_ordered(cart_id())
            zone = request.form.get("timezone", "")
            order_id = record_demo_order(
                order["lines"],
                email=values["email"].strip(),
                name=values["name"].strip(),
                country=values["country"],
                postcode=values["postcode"].strip().upper(),
                timezone=zone if zone in available_timezones() else policy.warehouse.timezone,
            )
            session.pop("cart", None)
            session.pop("cart_id", None)
            return render_template(
                "order_placed.html",
                name=values["name"].strip(),
                email=values["email"].strip(),
                order=order,
                order_id=order_id,
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
        messages=MESSAGES,
        limits=LIMITS,
    )
    return (page, 422) if errors else page
