"""Jinja helpers: ``{{ defenceline.stock(sku) }}`` and friends in the host app's templates.

They render the same templates as the HTML fragment endpoints, so a server-rendered page (no
JavaScript at all) shows exactly what the JSON API and the web components show.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

from flask import current_app, render_template, request, url_for
from markupsafe import Markup, escape

from defenceline.plugin.api.problems import ApiProblem
from defenceline.plugin.api.requests import request_country, request_locale
from defenceline.plugin.cart.routes import cart_summary_html
from defenceline.plugin.cart.shapes import CartShapeError, cart_request
from defenceline.plugin.emails.routes import stock_alert_form_html
from defenceline.plugin.state import state
from defenceline.plugin.widgets.manifesto import manifesto_fragment
from defenceline.plugin.widgets.payloads import delivery_payload, stock_payload
from defenceline.plugin.widgets.stock import stock_view
from defenceline.structured_data import jsonld_script, product_jsonld, store_jsonld

__all__ = ["TemplateHelpers"]


class TemplateHelpers:
    """The ``defenceline`` object available in every template of the host app."""

    def stock(self, sku: str, lang: str | None = None, alert: bool = True) -> Markup:
        """The stock widget for `sku` (state and the localised sentence); for an item out of
        stock also the "email me when it's back" form (`alert` False leaves it out), which
        posts through ``defenceline.script()``."""

        def alert_form(payload: dict[str, Any], locale: str) -> str:
            if not alert or payload["state"] != "out_of_stock":
                return ""
            form = stock_alert_form_html(state(), payload["sku"], locale)
            return f'<div class="dl-stock__alert" data-sku="{escape(payload["sku"])}">{form}</div>'

        return self._render(
            "defenceline/stock.html", "s", stock_payload, sku, lang=lang, after=alert_form
        )

    def delivery_estimate(
        self, sku: str, country: str | None = None, lang: str | None = None
    ) -> Markup:
        """The delivery-time widget for `sku` to `country` (default: the shop's country)."""
        return self._render(
            "defenceline/delivery_estimate.html", "d", delivery_payload, sku, country, lang=lang
        )

    def manifesto(
        self, lang: str | None = None, heading_level: int = 2, show_title: bool = True
    ) -> Markup:
        """The shop's manifesto as an accessible HTML fragment (for an "About us" page)."""
        st = state()
        try:
            locale = request_locale(st, lang)
            return manifesto_fragment(
                st.manifestos,
                locale,
                st.policy.shop.default_locale,
                heading_level=heading_level,
                show_title=show_title,
            )
        except ApiProblem as problem:
            return _comment("manifesto", problem.detail)

    def cart_summary(self, cart: object, pickers: bool = False, lines: bool = True) -> Markup:
        """Every cost of `cart`, server-rendered; `lines` False for the costs only (under the
        shop's own line table).

        `cart` is the cart the shop already has: a mapping with ``lines`` (``{"lines":
        [{"sku", "quantity"}], "country", "payment_method", "locale"}``, as the cart-quote API
        takes it), a list of lines, or an object with ``lines`` or ``items`` whose entries
        (mappings or objects) have ``sku`` and ``quantity``. Anything else renders an HTML
        comment saying why, and logs a warning: the shop's cart page never fails over it.
        """
        st = state()
        try:
            body = cart_request(cart)
            return Markup(cart_summary_html(st, body, pickers, lines))
        except CartShapeError as error:
            return _comment("cart summary", str(error))
        except ApiProblem as problem:
            return _comment("cart summary", problem.detail)

    def product_jsonld(self, sku: str, url: str | None = None) -> Markup:
        """schema.org `Product` + `Offer` with shipping details and return policy for `sku`,
        from the catalogue and the policy, as a ``<script type="application/ld+json">``."""
        st = state()
        if not isinstance(sku, str):
            return _comment("product_jsonld", _not_a_sku(sku))
        product = st.catalogue.get(sku)
        if product is None:
            return _comment("product_jsonld", f"no product with SKU {sku!r}")
        view = stock_view(product, st.policy.low_stock_threshold, st.now().date())
        image = urljoin(request.url_root, product.image_url) if product.image_url else None
        data = product_jsonld(
            st.policy,
            sku=product.sku,
            name=product.name,
            price=product.price,
            availability=view.state.schema_org,
            url=url or request.base_url,
            image=image,
            description=product.description,
            weight_kg=product.weight_kg,
            at=st.now(),
        )
        return jsonld_script(data)

    def store_jsonld(self) -> Markup:
        """The shop as a schema.org `OnlineStore` with return policy and shipping service."""
        st = state()
        return jsonld_script(store_jsonld(st.policy, at=st.now()))

    def script(self) -> Markup:
        """The one script tag that defines the web components."""
        src = url_for("defenceline.static", filename="defenceline.js")
        return Markup(f'<script src="{escape(src)}" defer></script>')

    def stylesheet(self) -> Markup:
        """The widgets' default styles (themeable through CSS custom properties)."""
        href = url_for("defenceline.static", filename="defenceline.css")
        return Markup(f'<link rel="stylesheet" href="{escape(href)}">')

    def _render(
        self,
        template: str,
        name: str,
        build: Any,
        sku: str,
        *args: Any,
        lang: str | None,
        after: Callable[[dict[str, Any], str], str] | None = None,
    ) -> Markup:
        st = state()
        if not isinstance(sku, str):
            return _comment("widget", _not_a_sku(sku))
        try:
            locale = request_locale(st, lang)
            extra = [request_country(st, args[0])] if args else []
            payload = build(st, sku, *extra, locale)
        except ApiProblem as problem:
            return _comment(f"widget for {sku!r}", problem.detail)
        html = render_template(template, **{name: payload})
        return Markup(html + (after(payload, locale) if after else ""))


def _not_a_sku(value: object) -> str:
    return f"expected a SKU (text), got {type(value).__name__} {str(value)[:60]!r}"


def _comment(where: str, reason: str) -> Markup:
    """A template must not take the host's page down over one widget: the reason goes into
    the page source as a comment, and into the log."""
    current_app.logger.warning("defenceline %s: %s", where, reason)
    return Markup(f"<!-- defenceline: {escape(reason)} -->")
