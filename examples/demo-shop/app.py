"""The demo shop's Flask application.

It reads its promise from `store.toml` and its products from `catalogue.csv`, and shows on
every product page what a careful shopper wants to know before buying: the full price, the
stock, when the parcel arrives (computed by `defenceline.estimate_delivery`), what shipping
costs and how returns work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from pathlib import Path

from babel.dates import format_date, format_time
from flask import Flask, abort, render_template, request

from defenceline import DeliveryEstimate, EstimateStatus, Policy, estimate_delivery, load_policy
from defenceline.demoshop.catalogue import Variant, load_catalogue
from defenceline.money import format_money
from defenceline.regions import country_name

HERE = Path(__file__).resolve().parent
LOCALE = "nl"


def create_app(
    policy_path: str | Path = HERE / "store.toml",
    clock: Callable[[], dt.datetime] | None = None,
) -> Flask:
    """Build the demo shop. `clock` returns "now" (tests pass a fixed moment)."""
    app = Flask(__name__, template_folder="templates", static_folder="static")
    policy = load_policy(policy_path)
    variants = load_catalogue()
    by_sku = {v.sku: v for v in variants}
    products: dict[str, list[Variant]] = {}
    for variant in variants:
        products.setdefault(variant.product, []).append(variant)
    now = clock or (lambda: dt.datetime.now(policy.warehouse.zone))

    @app.context_processor
    def shop_facts() -> dict[str, object]:
        return {
            "shop": policy.shop,
            "money": lambda amount: format_money(amount, policy.shop.currency, LOCALE),
            "returns_line": _returns_line(policy),
            "shipping_banner": _shipping_line(policy, policy.shop.country),
        }

    @app.get("/")
    def index() -> str:
        cards = [
            {"variant": group[0], "in_stock": any(v.available for v in group), "count": len(group)}
            for group in products.values()
        ]
        return render_template("index.html", cards=cards)

    @app.get("/product/<product>")
    def product(product: str) -> str:
        group = products.get(product)
        if not group:
            abort(404)
        variant = by_sku.get(request.args.get("sku", ""), group[0])
        if variant.product != product:
            variant = group[0]
        country = request.args.get("land", "NL").upper()
        if policy.zone_for(country) is None:
            country = "NL"
        estimate = estimate_delivery(
            policy,
            country,
            now(),
            in_stock=variant.available > 0,
            restock_date=variant.restock_date,
        )
        return render_template(
            "product.html",
            variant=variant,
            group=group,
            country=country,
            countries=[(c, country_name(c, LOCALE)) for c in policy.shipping.countries],
            stock_line=_stock_line(variant, policy),
            delivery_line=_delivery_line(estimate),
            shipping_line=_shipping_line(policy, country),
        )

    @app.get("/img/<sku>.svg")
    def image(sku: str) -> tuple[str, int, dict[str, str]]:
        variant = by_sku.get(sku)
        if variant is None:
            abort(404)
        return _product_svg(variant), 200, {"Content-Type": "image/svg+xml"}

    return app


def _day(day: dt.date) -> str:
    return format_date(day, "EEEE d MMMM", locale=LOCALE)


def _stock_line(variant: Variant, policy: Policy) -> str:
    if variant.available > policy.low_stock_threshold:
        return "Op voorraad"
    if variant.available > 0:
        return f"Op voorraad: nog {variant.available} stuks"
    if variant.restock_date:
        return f"Tijdelijk uitverkocht, weer op voorraad vanaf {_day(variant.restock_date)}"
    return "Uitverkocht, we weten nog niet wanneer het terugkomt"


def _delivery_line(estimate: DeliveryEstimate) -> str:
    if estimate.status is EstimateStatus.NOT_SHIPPED:
        return f"We verzenden niet naar {country_name(estimate.country, LOCALE)}."
    if estimate.status is EstimateStatus.NO_RESTOCK_DATE or estimate.earliest is None:
        return "We kunnen nog geen bezorgdatum beloven."
    when = _day(estimate.earliest)
    if estimate.latest and estimate.latest != estimate.earliest:
        when = f"tussen {when} en {_day(estimate.latest)}"
    if estimate.cutoff is not None:
        cut = format_time(estimate.cutoff, "HH:mm", locale=LOCALE)
        return f"Vandaag vóór {cut} besteld, bezorgd {when} door {estimate.carrier}."
    return f"Nu besteld, bezorgd {when} door {estimate.carrier}."


def _shipping_line(policy: Policy, country: str) -> str:
    zone = policy.zone_for(country)
    if zone is None:
        return ""
    currency = policy.shop.currency
    if zone.rate is not None:
        cost = format_money(zone.rate, currency, LOCALE)
    else:
        cost = "vanaf " + format_money(min(t.rate for t in zone.tiers), currency, LOCALE)
    line = f"Verzendkosten naar {country_name(country, LOCALE)}: {cost}"
    if zone.free_shipping_from is not None:
        line += f", gratis vanaf {format_money(zone.free_shipping_from, currency, LOCALE)}"
    return line


def _returns_line(policy: Policy) -> str:
    returns = policy.returns
    if returns.is_free:
        return f"Gratis retourneren binnen {returns.window_days} dagen"
    cost = format_money(returns.cost, policy.shop.currency, LOCALE)
    return f"Retourneren binnen {returns.window_days} dagen voor {cost}"


def _product_svg(variant: Variant) -> str:
    colour = escape(variant.colour)
    title = escape(f"{variant.name} ({variant.label})")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="480" height="480" viewBox="0 0 480 480"'
        f' role="img" aria-label="{title}"><title>{title}</title>'
        '<rect width="480" height="480" fill="#f1f3f4"/>'
        f'<circle cx="240" cy="215" r="130" fill="{colour}"/>'
        '<circle cx="240" cy="215" r="60" fill="#f1f3f4" opacity="0.35"/>'
        f'<text x="240" y="420" font-family="sans-serif" font-size="26" text-anchor="middle"'
        f' fill="#202124">{escape(variant.name)}</text></svg>'
    )
