"""Routes for the cart summary: ``POST {prefix}/api/v1/cart-quote`` and the fragment
``{prefix}/fragments/cart-summary`` (POST with the same JSON, or GET with ``line=SKU:QTY``
parameters for plain HTML forms and htmx)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from defenceline.plugin.api.blueprint import Routes
from defenceline.plugin.api.problems import ApiProblem
from defenceline.plugin.api.requests import (
    ascii_quantity,
    json_body,
    request_country,
    request_locale,
)
from defenceline.plugin.cart.quote import cart_payload, parse_cart_request, quote_for
from defenceline.plugin.cart.shapes import cart_request
from defenceline.plugin.i18n import gettext_for
from defenceline.plugin.state import DefenceLineState, state
from defenceline.quote import Quote

__all__ = ["cart_summary_html", "checkout_quote", "register"]


routes = Routes()


def register(blueprint: Blueprint) -> None:
    """Add the cart summary's routes and template global to the plugin's blueprint."""
    blueprint.add_app_template_global(translate, "dl_")
    routes.add_to(blueprint)


def translate(message: str, locale: str, **values: object) -> str:
    """``{{ dl_('Total', locale) }}`` in the plugin's templates: a translated sentence."""
    return gettext_for(locale, message, **values)


def _limits() -> tuple[int, int]:
    config = current_app.config
    return int(config["DEFENCELINE_MAX_CART_LINES"]), int(config["DEFENCELINE_MAX_QUANTITY"])


def _payload(st: DefenceLineState, data: object) -> dict[str, Any]:
    cart = parse_cart_request(data, *_limits())
    country = request_country(st, cart.country)
    locale = request_locale(st, cart.locale or request.args.get("lang"))
    return cart_payload(st, cart, country, locale)


def checkout_quote(st: DefenceLineState, cart: object) -> Quote:
    """`DefenceLine.quote`: the quote the cart summary shows for `cart` (any shape the Jinja
    helper reads), for the checkout to charge. ValueError (a `CartShapeError` for a shape it
    cannot read) names what is wrong with the cart."""
    try:
        request_body = parse_cart_request(cart_request(cart), *_limits())
        return quote_for(st, request_body, request_country(st, request_body.country))
    except ApiProblem as problem:
        raise ValueError(problem.detail) from None


def cart_summary_html(
    st: DefenceLineState, data: object, pickers: bool = False, lines: bool = True
) -> str:
    """The cart summary fragment for a cart given as the API's request body; `lines` False
    leaves out the line table (costs only, under the shop's own cart table)."""
    return render_template(
        "defenceline/cart_summary.html", c=_payload(st, data), pickers=pickers, lines=lines
    )


@routes.post("/api/v1/cart-quote")
def cart_quote() -> Response:
    st = state()
    response = jsonify(_payload(st, json_body()))
    response.headers["Cache-Control"] = "no-store"
    return response


def _query_cart() -> dict[str, Any]:
    """``?line=SKU:2&line=SKU2:1&country=NL&payment_method=PayPal`` as a request body."""
    lines = []
    for index, value in enumerate(request.args.getlist("line")):
        sku, sep, text = value.rpartition(":")
        quantity = ascii_quantity(text)
        if not sep or not sku or quantity is None:
            shown = value if len(value) <= 80 else value[:77] + "..."
            raise ApiProblem(
                400,
                f"line[{index}]: {shown!r}; expected SKU:QUANTITY with the quantity in digits "
                "0-9, e.g. BELL-BLK:2",
                parameter="line",
            )
        lines.append({"sku": sku, "quantity": quantity})
    data: dict[str, Any] = {"lines": lines}
    for key in ("country", "payment_method"):
        if request.args.get(key):
            data[key] = request.args[key]
    return data


@routes.route("/fragments/cart-summary", "GET", "POST")
def cart_summary_fragment() -> Response:
    st = state()
    data = json_body() if request.method == "POST" else _query_cart()
    pickers = request.args.get("pickers", "") in {"1", "true", "yes"}
    lines = request.args.get("lines", "") != "hidden"
    response = Response(cart_summary_html(st, data, pickers, lines), mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response
