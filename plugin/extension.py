"""The Flask extension: `DefenceLine(app)` or `ext.init_app(app)`.

Shaped like Flask-SQLAlchemy: one object, app-factory friendly, any number of apps per
process; everything per app lives in ``app.extensions["defenceline"]`` (a `DefenceLineState`)
and the extension never stores an app.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
from pathlib import Path
from typing import Any

from flask import Flask

from defenceline.plugin.api import openapi
from defenceline.plugin.api.blueprint import make_blueprint
from defenceline.plugin.api.csrf import exempt_from_host_csrf
from defenceline.plugin.api.ratelimits import init_ratelimits
from defenceline.plugin.api.requests import SkuConverter
from defenceline.plugin.cart import routes as cart_routes
from defenceline.plugin.cart.routes import checkout_quote
from defenceline.plugin.catalogue import Catalogue, SqlCatalogue, StockChange
from defenceline.plugin.cli import cli
from defenceline.plugin.emails import routes as email_routes
from defenceline.plugin.emails.reminders import ordered, track
from defenceline.plugin.emails.settings import (
    EMAIL_CONFIG_DEFAULTS,
    positive_int,
    read_email_settings,
)
from defenceline.plugin.feedback import routes as feedback_routes
from defenceline.plugin.migrations.startup import check_at_start
from defenceline.plugin.shipping import routes as shipping_routes
from defenceline.plugin.shipping.calibration import CalibrationCache
from defenceline.plugin.shipping.service import (
    PlacedOrderIn,
    ShipmentEventIn,
    ShipmentIn,
    parse_input,
)
from defenceline.plugin.state import EXTENSION_KEY, DefenceLineState, state
from defenceline.plugin.storage import Storage
from defenceline.plugin.templating import TemplateHelpers
from defenceline.plugin.widgets import routes as widget_routes
from defenceline.plugin.widgets.manifesto import load_shop_manifestos
from defenceline.plugin.widgets.stock_changes import report_stock
from defenceline.policyfile import load_policy
from defenceline.quote import Quote

__all__ = ["DefenceLine"]


class DefenceLine:
    """The defenceline storefront plugin for Flask."""

    def __init__(self, app: Flask | None = None) -> None:
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        """Set the plugin up on `app`. Config keys (all read with ``setdefault``):

        ``DEFENCELINE_POLICY``
            Path to the shop's `store.toml` (required). A missing or invalid file fails here,
            at start-up, with every problem listed by file, line and field.
        ``DEFENCELINE_DATABASE_URL``
            SQLAlchemy URL of the plugin's own database. Default: a SQLite file
            ``defenceline.sqlite3`` in the app's instance folder. The host app's own database
            session is never used or touched. Its schema is versioned by the plugin's own
            migrations: a new database is created here; an older one stops the app with the
            command to run (``flask defenceline db upgrade``; docs/plugin.md).
        ``DEFENCELINE_AUTO_MIGRATE``
            Default False. True upgrades an older database when the app starts instead.
        ``DEFENCELINE_URL_PREFIX``
            Where the plugin's routes live. Default ``/defenceline``.
        ``DEFENCELINE_API_TOKEN``
            Bearer token for the write endpoints (stock updates). Unset: writes are refused.
        ``DEFENCELINE_CATALOGUE``
            The catalogue to read products from: an object with ``get(sku)`` and
            ``get_many(skus)``, or an import path ``"package.module:attribute"``. Default: the
            SQL catalogue in the plugin's database, filled by
            ``flask defenceline import-catalogue FILE``.
        ``DEFENCELINE_DEFAULT_COUNTRY``
            Destination when a request names none. Default: the shop's country.
        ``DEFENCELINE_MAX_BODY_BYTES``
            Largest request body the API accepts. Default 65536.
        ``DEFENCELINE_MAX_CART_LINES``
            Most lines a cart quote accepts. Default 100.
        ``DEFENCELINE_MAX_QUANTITY``
            Largest quantity of one item in a cart quote, after lines of the same SKU are
            added up. Default 999.
        ``DEFENCELINE_MANIFESTO``
            The shop's manifesto: one Markdown file, or a folder with one
            ``manifesto.<lang>.md`` per language (see docs/manifesto/). Optional; an invalid
            file fails at start-up, and statements that contradict the policy are logged.
        ``DEFENCELINE_CORS_ORIGINS``
            Origins (``"https://help.example"``, or ``"*"``) whose pages may call the API from
            the browser, e.g. a help centre on another host sending feedback. Default: none.
        ``DEFENCELINE_LOCALE_SELECTOR``
            A callable returning the locale the host renders the current request in (a tag
            or a Babel `Locale`, or None). Default: Flask-Babel's ``get_locale()`` when
            Flask-Babel is on the app. Widgets use it after an explicit ``lang`` and before
            ``Accept-Language``.
        ``DEFENCELINE_CLOCK``
            A callable returning the current aware datetime; for tests and demos that need
            to show a given moment. Default: the real clock.

        Limits per client (IP address, IPv6 /64) on the endpoints anyone can post to, kept by
        Flask-Limiter (see `defenceline.plugin.api.ratelimits`; a limit is ``"10 per hour"`` or
        several separated by ``;``); over a limit the answer is 429 with ``Retry-After``:

        ``DEFENCELINE_RATELIMIT_ENABLED``
            Default True. False turns the limits off (so does Flask-Limiter's own
            ``RATELIMIT_ENABLED = False``).
        ``DEFENCELINE_RATELIMIT_STORAGE_URI``
            Where the counters live. Default ``"memory://"``: right for one app server. With
            several app servers, point all of them at one shared store, e.g.
            ``"redis://redis.internal:6379"`` or ``"memcached://cache.internal:11211"``, or
            each server grants the whole limit again.
        ``DEFENCELINE_RATELIMIT_STOCK_ALERTS``
            ``POST /api/v1/stock-alerts``. Default ``"10 per hour; 50 per day"``.
        ``DEFENCELINE_RATELIMIT_FEEDBACK``
            ``POST /api/v1/feedback``. Default ``"30 per hour"``.
        ``DEFENCELINE_RATELIMIT_PAGEVIEWS``
            ``POST /api/v1/pageviews``. Default ``"600 per hour"``.
        ``DEFENCELINE_FEEDBACK_MAX_PER_DAY``
            Most feedback votes stored per day from everyone together; later ones get 503
            until the next day. Default 10000.
        ``DEFENCELINE_PAGEVIEW_MAX_PAGES_PER_DAY``
            Most distinct pages counted per day; views of further new pages get 503 (pages
            already counted that day go on counting). Default 10000.

        Abandoned-cart and back-in-stock emails (see docs/emails.md; durations are
        ``"90s"``, ``"15m"``, ``"1h"``, ``"7d"`` or seconds):

        ``DEFENCELINE_MAIL_URL``
            Where mail goes: ``"smtp://user:pass@host:587?starttls=true"``,
            ``"smtps://user:pass@host:465"`` or ``"console"`` (print). Options ``timeout``,
            ``cafile``, ``verify``. Unset: ``send-due`` refuses to run. A user name without
            STARTTLS or ``smtps://`` fails here unless the host is this machine: credentials
            never cross the network unencrypted.
        ``DEFENCELINE_MAIL_FROM``
            The From header. Default: ``"<shop name> <noreply@<shop domain>>"``.
        ``DEFENCELINE_PUBLIC_URL``
            The shop's public base URL for links in emails (senders run outside requests).
            Default: built from ``SERVER_NAME``.
        ``DEFENCELINE_SECRET_KEY``
            Signs the links in emails. Default: Flask's ``SECRET_KEY``.
        ``DEFENCELINE_CONSENT_MODE``
            ``"explicit"`` (default: only addresses with a recorded opt-in get reminders) or
            ``"soft"`` (an address given without opt-in gets at most the first reminder).
        ``DEFENCELINE_REMINDER_DELAYS``
            One delay per reminder after the last cart activity. Default ``["1h", "24h"]``.
        ``DEFENCELINE_REMINDER_ADDRESS_DAYS``
            At most one reminder sequence per address in this many days. Default 7.
        ``DEFENCELINE_QUIET_HOURS``
            No email in this span of the shopper's local night; held until its end. Default
            ``("21:00", "08:00")``; None for none.
        ``DEFENCELINE_TEST_ADDRESSES``
            Extra address patterns never emailed (``"*@qa.shop.example"``); reserved test
            domains (``example.com``, ``.test``, ...) are always excluded.
        ``DEFENCELINE_BOT_USER_AGENTS``
            Extra user-agent substrings of bots, on top of the crawler-user-agents list.
        ``DEFENCELINE_STOCK_ALERT_FACTOR``
            A restock notifies at most this many subscribers per item in stock. Default 2.
        ``DEFENCELINE_STOCK_ALERT_DAYS``
            A back-in-stock subscription lapses after this many days. Default 90.
        ``DEFENCELINE_STOCK_ALERT_INTERVAL``
            Time between two batches of alerts for one restock. Default ``"1h"``.
        ``DEFENCELINE_RESTORE_URL``
            A storefront page that restores carts itself (gets ``?token=``; it calls
            ``POST /api/v1/cart-restores``). Default: the plugin's own restore page.
        ``DEFENCELINE_CART_URL``
            Where "Go to your cart" leads after a restore. Default: the public URL.
        ``DEFENCELINE_PRODUCT_URL``
            Product page address with ``{sku}``, ``{product_id}`` or both, for back-in-stock
            emails. Default: the public URL.
        ``DEFENCELINE_UNSUBSCRIBE_MAILTO``
            Address for mailto unsubscribes in ``List-Unsubscribe``. Default: the policy's
            email contact.
        ``DEFENCELINE_MAIL_LEASE``
            How long a sender holds claimed messages before another may retry them. Default
            ``"5m"``.
        ``DEFENCELINE_MAIL_MAX_ATTEMPTS``
            Attempts before a temporarily failing message is marked failed. Default 6.
        ``DEFENCELINE_MAIL_BACKOFF``
            Wait after the first temporary failure, doubling after each. Default ``"5m"``.

        Shipping messages (see docs/shipping.md, "Proactive messages"):

        ``DEFENCELINE_SHIPPING_MESSAGES``
            The message types sent: ``"dispatched"``, ``"delay"``, ``"out_for_delivery"``,
            ``"delivered"``, ``"return_received"``, ``"refunded"``. Default: all but
            ``"out_for_delivery"``.
        ``DEFENCELINE_SHIPPING_DELAY_HOUR``
            The hour, on the shopper's clock, of the last delivery day on or before the
            promised latest day after which a parcel neither out for delivery nor delivered
            gets a delay notice. Default ``"18:00"``.
        ``DEFENCELINE_SHIPPING_REVIEW_URL``
            The shop's review page with ``{order_id}``; set, the "delivered" message asks for
            a review (optional content, stopped by its unsubscribe link). Default: unset.
        ``DEFENCELINE_PRODUCT_ARTICLES``
            Path of the help centre's ``product-articles.json`` (written by its build): the
            "delivered" message links the articles for the items. Default: unset.
        """
        if EXTENSION_KEY in app.extensions:
            raise RuntimeError(
                "defenceline is already set up on this app; create one DefenceLine() and call "
                "init_app(app) once per app"
            )
        config = app.config
        config.setdefault("DEFENCELINE_POLICY", None)
        config.setdefault("DEFENCELINE_DATABASE_URL", None)
        config.setdefault("DEFENCELINE_AUTO_MIGRATE", False)
        config.setdefault("DEFENCELINE_URL_PREFIX", "/defenceline")
        config.setdefault("DEFENCELINE_API_TOKEN", None)
        config.setdefault("DEFENCELINE_CATALOGUE", None)
        config.setdefault("DEFENCELINE_DEFAULT_COUNTRY", None)
        config.setdefault("DEFENCELINE_MAX_BODY_BYTES", 64 * 1024)
        config.setdefault("DEFENCELINE_MAX_CART_LINES", 100)
        config.setdefault("DEFENCELINE_MAX_QUANTITY", 999)
        config.setdefault("DEFENCELINE_MANIFESTO", None)
        config.setdefault("DEFENCELINE_CORS_ORIGINS", [])
        config.setdefault("DEFENCELINE_CLOCK", None)
        config.setdefault("DEFENCELINE_LOCALE_SELECTOR", None)
        config.setdefault("DEFENCELINE_FEEDBACK_MAX_PER_DAY", 10_000)
        config.setdefault("DEFENCELINE_PAGEVIEW_MAX_PAGES_PER_DAY", 10_000)
        for key, default in EMAIL_CONFIG_DEFAULTS.items():  # abandoned-cart and stock emails
            config.setdefault(key, default)

        policy_path = config["DEFENCELINE_POLICY"]
        if not policy_path:
            raise RuntimeError(
                "DEFENCELINE_POLICY is not set: point it at the shop's store.toml, e.g. "
                'app.config["DEFENCELINE_POLICY"] = "store.toml"'
            )
        policy = load_policy(policy_path)  # PolicyError lists every problem

        url = config["DEFENCELINE_DATABASE_URL"]
        if not url:
            os.makedirs(app.instance_path, exist_ok=True)
            url = "sqlite:///" + os.path.join(app.instance_path, "defenceline.sqlite3")
        storage = Storage(url, auto_upgrade=bool(config["DEFENCELINE_AUTO_MIGRATE"]))
        check_at_start(storage)  # before anything is registered: a refusal leaves no trace

        prefix = "/" + str(config["DEFENCELINE_URL_PREFIX"]).strip("/")
        default_country = str(config["DEFENCELINE_DEFAULT_COUNTRY"] or policy.shop.country)
        app.extensions[EXTENSION_KEY] = DefenceLineState(
            policy_path=Path(policy_path),
            storage=storage,
            catalogue=_catalogue(config["DEFENCELINE_CATALOGUE"], storage),
            url_prefix="" if prefix == "/" else prefix,
            api_token=config["DEFENCELINE_API_TOKEN"] or None,
            default_country=default_country.upper(),
            max_body_bytes=int(config["DEFENCELINE_MAX_BODY_BYTES"]),
            clock=config["DEFENCELINE_CLOCK"],
            _last_good_policy=policy,
            manifestos=load_shop_manifestos(config["DEFENCELINE_MANIFESTO"], policy),
            cors_origins=frozenset(config["DEFENCELINE_CORS_ORIGINS"]),
            email=read_email_settings(config),
            feedback_per_day=positive_int(
                config["DEFENCELINE_FEEDBACK_MAX_PER_DAY"], "DEFENCELINE_FEEDBACK_MAX_PER_DAY"
            ),
            pages_per_day=positive_int(
                config["DEFENCELINE_PAGEVIEW_MAX_PAGES_PER_DAY"],
                "DEFENCELINE_PAGEVIEW_MAX_PAGES_PER_DAY",
            ),
        )

        # Calibrated promises (``[shipping.calibration] mode = "apply"``), computed ahead.
        st = app.extensions[EXTENSION_KEY]
        st.promise_calibration = CalibrationCache(storage, st.now).current

        # Each feature adds its routes to this app's blueprint.
        blueprint = make_blueprint()
        widget_routes.register(blueprint)
        cart_routes.register(blueprint)
        feedback_routes.register(blueprint)
        email_routes.register(blueprint)
        shipping_routes.register(blueprint)
        openapi.register(blueprint)
        app.extensions[EXTENSION_KEY].limiter = init_ratelimits(app, blueprint)

        app.url_map.converters.setdefault("dl_sku", SkuConverter)
        app.register_blueprint(blueprint, url_prefix=prefix if prefix != "/" else None)
        app.jinja_env.globals["defenceline"] = TemplateHelpers()
        app.cli.add_command(cli)
        # The host's CSRFProtect / SeaSurf, set up before or after this: exempt exactly the
        # endpoints whose authority is not a session cookie (see plugin/api/csrf.py).
        exempt_from_host_csrf(app)

    @staticmethod
    def state(app: Flask | None = None) -> DefenceLineState:
        """The plugin's state for `app` (default: the current app)."""
        return state(app)

    @staticmethod
    def track_cart(cart_id: str, lines: list[dict[str, Any]], **shopper: Any) -> None:
        """Record a cart's state (cart activity); see `defenceline.plugin.emails.reminders`."""
        track(cart_id, lines, **shopper)

    @staticmethod
    def cart_ordered(cart_id: str, total: str | None = None) -> None:
        """The cart became an order: it is never reminded of again. Idempotent; raises
        `CartNotFound` for a cart id never given to `track_cart`. Start a new cart id for the
        shopper's next cart: `track_cart` refuses an ordered one with `CartOrdered`."""
        ordered(cart_id, total)

    @staticmethod
    def record_order(order_id: str, **fields: Any) -> shipping_routes.OrderState:
        """Record an order and freeze its delivery promise, like ``POST
        /api/v1/orders/<order_id>`` (the same fields: `lines`, `email`, `name`, `locale`,
        `country`, `timezone`, optional `placed_at`, `promise`, `postcode`, `cancelled_at`).
        Idempotent. ValueError names a bad field; `Conflict` (a ValueError) a call that
        contradicts the recorded order. See docs/shipping.md."""
        st = state()
        order_id = shipping_routes.identifier(order_id, "order_id")
        return shipping_routes.save_order(st, order_id, parse_input(PlacedOrderIn, fields))

    @staticmethod
    def cancel_order(order_id: str, at: dt.datetime | None = None) -> shipping_routes.OrderState:
        """The order was cancelled (at `at`, default now): no shipping message is sent for it
        any more. Idempotent; `NotFound` (a LookupError) for an order never recorded."""
        return shipping_routes.save_cancellation(state(), order_id, at)

    @staticmethod
    def record_shipment(order_id: str, **fields: Any) -> shipping_routes.ShipmentState:
        """Record a parcel of an order (`shipment_id`, `carrier`, `tracking_number`,
        `dispatched_at`, optional `lines`), like ``POST /api/v1/orders/<order_id>/shipments``.
        Idempotent; `NotFound` for an unknown order, `Conflict` for contradicting facts."""
        st = state()
        order_id = shipping_routes.identifier(order_id, "order_id")
        return shipping_routes.save_shipment(st, order_id, parse_input(ShipmentIn, fields))

    @staticmethod
    def record_event(shipment_id: str, **fields: Any) -> shipping_routes.EventState:
        """Record a carrier event (`status`, `at`, optional `event_id`, `location`,
        `expected_delivery`), like ``POST /api/v1/shipments/<shipment_id>/events``. The same
        event twice, or events out of order, end in the same shipment state."""
        st = state()
        shipment_id = shipping_routes.identifier(shipment_id, "shipment_id")
        return shipping_routes.save_event(st, shipment_id, parse_input(ShipmentEventIn, fields))

    @staticmethod
    def quote(cart: object) -> Quote:
        """The quote `{{ defenceline.cart_summary(cart) }}` shows, as a `defenceline.quote.Quote`
        (`total`, `shipping`, `payment_surcharge`, `vat`, `delivery`...): the checkout must
        charge exactly this. `cart` takes the helper's shapes; its ``country`` and
        ``payment_method`` count. Needs an app context; ValueError names a bad cart."""
        return checkout_quote(state(), cart)

    @staticmethod
    def stock_changed(sku: str, available: int, *, app: Flask | None = None) -> StockChange:
        """The shop's stock of `sku` is now `available` (sellable units): do what the plugin's
        own stock API does after a write - send the `stock_changed` signal and, when the
        item is available and confirmed subscribers wait, open a restock so the next
        ``send-due`` sends back-in-stock alerts. The plugin caches no stock (its answers are
        ``no-store``), so widgets show the change at once.

        Call it after your catalogue holds the new level (commit first), in a request or
        outside one: in an app context, or with `app`. Raises ValueError for a negative or
        non-integer `available` and LookupError for a SKU the catalogue does not know.
        """
        return report_stock(sku, available, app)


def _catalogue(setting: Any, storage: Storage) -> Catalogue:
    if setting is None:
        return SqlCatalogue(storage)
    if isinstance(setting, str):
        module_name, _, attribute = setting.partition(":")
        try:
            setting = getattr(importlib.import_module(module_name), attribute)
        except (ImportError, AttributeError, ValueError):
            raise RuntimeError(
                f"DEFENCELINE_CATALOGUE {setting!r} cannot be imported; expected "
                "'package.module:attribute'"
            ) from None
        if isinstance(setting, type):
            setting = setting()
    if not isinstance(setting, Catalogue):
        raise RuntimeError(
            f"DEFENCELINE_CATALOGUE {setting!r} is not a catalogue; expected an object with "
            "get(sku) and get_many(skus)"
        )
    return setting
