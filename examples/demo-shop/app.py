"""The demo shop's Flask application.

A small Dutch webshop that embeds the defenceline plugin the way a real storefront would: its
promise comes from `store.toml`, its products are imported from `catalogue.csv` into the
plugin's SQL catalogue, and its product pages show stock and delivery time through the plugin's
Jinja helpers (server-rendered, no JavaScript needed) — and, on the helmet's page, through the
web components, whose variant picker swaps the SKU in the browser.
"""

from __future__ import annotations

import datetime as dt
import secrets
import tempfile
import tomllib
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Literal

from babel.numbers import format_decimal
from flask import Flask, Response, abort, render_template, request, send_from_directory

from defenceline import Policy
from defenceline.demoshop.catalogue import demo_products
from defenceline.demoshop.deliveries import SimulatedYear, deliveries
from defenceline.demoshop.helpdesk import HelpDesk
from defenceline.demoshop.protection import protect
from defenceline.demoshop.selfcheck import selfcheck
from defenceline.demoshop.shopping import cart_items, refill_cart, shopping
from defenceline.money import format_money
from defenceline.plugin import DefenceLine, Product, SqlCatalogue, state
from defenceline.plugin.emails.outbox_viewer import outbox_viewer
from defenceline.plugin.emails.routes import cart_restored
from defenceline.regions import country_name

HERE = Path(__file__).resolve().parent
SPECS: dict[str, dict[str, str]] = tomllib.loads((HERE / "specs.toml").read_text(encoding="utf-8"))
VIEWS = {1: "vooraanzicht", 2: "zijaanzicht", 3: "in gebruik"}
LOCALE = "nl"
# The product whose page uses the web components instead of the server-rendered helpers.
LIVE_PRODUCT = "fietshelm-urban"
PALETTE = {
    "Chroom": "#b8bcc2",
    "Zwart": "#222222",
    "Olijfgroen": "#6b7d3a",
}
CATEGORY_COLOURS = {
    "bells": "#b8bcc2",
    "lights": "#f4c20d",
    "bags": "#222222",
    "locks": "#444b55",
    "helmets": "#2a6fdb",
    "rainwear": "#1e8e3e",
    "tools": "#e37400",
    "accessories": "#5f6368",
    "child": "#f29900",
    "baskets": "#a0743b",
    "books": "#188038",
}


def create_app(
    policy_path: str | Path = HERE / "store.toml",
    clock: Callable[[], dt.datetime] | None = None,
    data_dir: str | Path | None = None,
    help_centre: Literal["background", "now", "off"] = "background",
    public_url: str = "http://127.0.0.1:5000",
    expose_admin: bool = False,
    delivery_history: Literal["background", "now", "off"] = "off",
) -> Flask:
    """Build the demo shop. `clock` fixes "now" (tests); `data_dir` holds its database and
    help centre (default: a new temporary folder, so every run starts from the catalogue
    file); `help_centre` builds the help centre in the background, right now, or not at all;
    `expose_admin` serves ``/_outbox``, ``/_checks`` and ``/_promise`` to other machines too
    (by default only to this one: they show shoppers' addresses and working links);
    `delivery_history` loads a simulated year of deliveries for ``/_promise`` (once per
    database) in the background, right now, or not at all (`defenceline demo` loads it)."""
    folder = Path(data_dir) if data_dir else Path(tempfile.mkdtemp(prefix="defenceline-demo-"))
    app = Flask(__name__, instance_path=str(folder.resolve()))
    app.config.update(
        DEFENCELINE_POLICY=str(policy_path),
        DEFENCELINE_API_TOKEN=secrets.token_urlsafe(24),
        DEFENCELINE_CLOCK=clock,
        DEFENCELINE_MANIFESTO=str(HERE / "manifesto"),
        # Emails: every message is a row in the outbox, shown at /_outbox; "console" prints
        # them instead of using an SMTP server. Short reminder delays so the demo shows them.
        DEFENCELINE_MAIL_URL="console",
        DEFENCELINE_MAIL_FROM="Trapkracht <service@trapkracht.example>",
        DEFENCELINE_PUBLIC_URL=public_url,
        DEFENCELINE_CART_URL=public_url.rstrip("/") + "/cart",
        DEFENCELINE_SECRET_KEY=secrets.token_urlsafe(32),
        DEFENCELINE_REMINDER_DELAYS=["2m", "10m"],
        # Shipping emails for the demo's orders, "arrives today" included. A simulated carrier
        # delivers within two minutes (deliveries.py); quiet hours would hold those emails
        # until the morning, so the demo has none.
        DEFENCELINE_SHIPPING_MESSAGES=["dispatched", "delay", "out_for_delivery", "delivered"],
        DEFENCELINE_QUIET_HOURS=None,
        # The demo's database is its own and throwaway (a new folder per run unless
        # `data_dir` is given): a folder kept from an older version is upgraded, not refused.
        DEFENCELINE_AUTO_MIGRATE=True,
    )
    app.secret_key = secrets.token_hex(32)  # the cart lives in the session cookie
    DefenceLine(app)
    protect(app, expose_admin=expose_admin, secure_cookie=public_url.startswith("https://"))
    app.register_blueprint(shopping)
    app.register_blueprint(selfcheck)
    app.register_blueprint(outbox_viewer)
    app.register_blueprint(deliveries)
    cart_restored.connect(refill_cart, app)
    with app.app_context():
        st = state()
        catalogue = st.catalogue
        assert isinstance(catalogue, SqlCatalogue)
        today = st.now().astimezone(st.policy.warehouse.zone).date()
        catalogue.replace_products(demo_products(today))

    history = SimulatedYear()
    app.extensions["demo_history"] = history
    if delivery_history == "off":
        history.status = "off"
    else:
        history.start(app, background=delivery_history == "background")

    helpdesk = HelpDesk(folder / "help-source", folder / "help-site")
    app.extensions["demo_helpdesk"] = helpdesk
    if help_centre == "off":
        helpdesk.status = "off"
    else:
        manifesto = HERE / "manifesto" / "manifesto.nl.md"
        helpdesk.start(app, Path(policy_path), manifesto, background=help_centre == "background")

    def products() -> dict[str, list[Product]]:
        grouped: dict[str, list[Product]] = {}
        for item in catalogue.all():
            grouped.setdefault(item.product_id or item.sku, []).append(item)
        return grouped

    @app.context_processor
    def shop_facts() -> dict[str, object]:
        policy = state().policy
        return {
            "shop": policy.shop,
            "money": lambda amount: format_money(amount, policy.shop.currency, LOCALE),
            "number": lambda value: format_decimal(value, locale=LOCALE),
            "returns_line": _returns_line(policy),
            "shipping_banner": _shipping_line(policy, policy.shop.country),
            "cart_count": sum(cart_items().values()),
        }

    @app.get("/")
    def index() -> str:
        cards = [
            {"product": group[0], "in_stock": any(p.available for p in group)}
            for group in sorted(products().values(), key=lambda g: g[0].name)
        ]
        return render_template("index.html", cards=cards)

    @app.get("/product/<product_id>")
    def product(product_id: str) -> str:
        group = products().get(product_id)
        if not group:
            abort(404)
        # The chosen variant, else the first one that can be sold now.
        default = next((p for p in group if p.available), group[0])
        variant = next((p for p in group if p.sku == request.args.get("sku")), default)
        policy = state().policy
        country = request.args.get("land", policy.shop.country).upper()
        if policy.zone_for(country) is None:
            country = policy.shop.country
        return render_template(
            "product.html",
            variant=variant,
            group=group,
            live=product_id == LIVE_PRODUCT,
            country=country,
            countries=[
                (c, country_name(c, LOCALE), _shipping_line(policy, c))
                for c in policy.shipping.countries
            ],
            shipping_line=_shipping_line(policy, country),
            locale=LOCALE,
            specs=SPECS.get(product_id, {}),
            views=VIEWS,
        )

    @app.get("/over-ons")
    def about() -> str:
        lang = request.args.get("lang", LOCALE)
        if lang not in ("nl", "en"):
            lang = LOCALE
        return render_template("about.html", lang=lang)

    @app.get("/help/")
    @app.get("/help/<path:path>")
    def help_page(path: str = "") -> Response | tuple[str, int, dict[str, str]]:
        if helpdesk.status == "off":
            abort(404)
        if helpdesk.status == "building":
            page = render_template("helpdesk_status.html", building=True, messages=[])
            return page, 503, {"Retry-After": "3", "Refresh": "3"}
        if helpdesk.status == "failed":
            page = render_template(
                "helpdesk_status.html", building=False, messages=helpdesk.messages
            )
            return page, 500, {}
        target = path if path and not path.endswith("/") else f"{path}index.html"
        return send_from_directory(helpdesk.site, target)

    @app.get("/voorwaarden")
    def terms() -> str:
        return render_template("terms.html")

    @app.get("/img/<sku>.svg")
    @app.get("/img/<sku>/view-<int:view>.svg")
    def image(sku: str, view: int = 1) -> tuple[str, int, dict[str, str]]:
        item = catalogue.get(sku)
        if item is None or view not in VIEWS:
            abort(404)
        return _product_svg(item, view), 200, {"Content-Type": "image/svg+xml"}

    return app


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


def _product_svg(item: Product, view: int = 1) -> str:
    """A simple generated product picture; `view` 2 and 3 are a side view and one "in use"."""
    colour = PALETTE.get(item.attributes.get("Kleur", ""), "")
    colour = colour or CATEGORY_COLOURS.get(item.category or "", "#5f6368")
    label = ", ".join(item.attributes.values())
    title = escape(
        f"{item.name} ({label}), {VIEWS[view]}" if label else f"{item.name}, {VIEWS[view]}"
    )
    if view == 2:
        shape = f'<rect x="90" y="120" width="300" height="190" rx="40" fill="{colour}"/>'
    elif view == 3:
        shape = (
            '<circle cx="150" cy="300" r="80" fill="none" stroke="#202124" stroke-width="10"/>'
            '<circle cx="340" cy="300" r="80" fill="none" stroke="#202124" stroke-width="10"/>'
            f'<circle cx="245" cy="170" r="55" fill="{colour}"/>'
        )
    else:
        shape = (
            f'<circle cx="240" cy="215" r="130" fill="{colour}"/>'
            '<circle cx="240" cy="215" r="60" fill="#f1f3f4" opacity="0.35"/>'
        )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800" viewBox="0 0 480 480"'
        f' role="img" aria-label="{title}"><title>{title}</title>'
        f'<rect width="480" height="480" fill="#f1f3f4"/>{shape}'
        f'<text x="240" y="440" font-family="sans-serif" font-size="26" text-anchor="middle"'
        f' fill="#202124">{escape(item.name)}</text></svg>'
    )
