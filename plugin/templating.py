"""Jinja helpers: ``{{ defenceline.stock(sku) }}`` and friends in the host app's templates.

They render the same templates as the HTML fragment endpoints, so a server-rendered page (no
JavaScript at all) shows exactly what the JSON API and the web components show.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin

from flask import current_app, render_template, request, url_for
from markupsafe import Markup, escape

from defenceline.plugin.api.problems import ApiProblem
from defenceline.plugin.api.requests import request_country, request_locale
from defenceline.plugin.cart.routes import cart_summary_html
from defenceline.plugin.state import state
from defenceline.plugin.widgets.manifesto import manifesto_fragment
from defenceline.plugin.widgets.payloads import delivery_payload, stock_payload
from defenceline.plugin.widgets.stock import stock_view
from defenceline.structured_data import jsonld_script, product_jsonld, store_jsonld

__all__ = ["TemplateHelpers"]


class TemplateHelpers:
    """The ``defenceline`` object available in every template of the host app."""

    def stock(self, sku: str, lang: str | None = None) -> Markup:
        """The stock widget for `sku` (state and the localised sentence)."""
        return self._render("defenceline/stock.html", "s", stock_payload, sku, lang=lang)

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
            current_app.logger.warning("defenceline manifesto: %s", problem.detail)
            return Markup(f"<!-- defenceline: {escape(problem.detail)} -->")

    def cart_summary(self, cart: Mapping[str, Any], pickers: bool = False) -> Markup:
        """Every cost of `cart` (``{"lines": [{"sku", "quantity"}], "country",
        "payment_method", "locale"}``, as the cart-quote API takes it), server-rendered."""
        st = state()
        try:
            return Markup(cart_summary_html(st, dict(cart), pickers))
        except ApiProblem as problem:
            current_app.logger.warning("defenceline cart summary: %s", problem.detail)
            return Markup(f"<!-- defenceline: {escape(problem.detail)} -->")

    def product_jsonld(self, sku: str, url: str | None = None) -> Markup:
        """schema.org `Product` + `Offer` with shipping details and return policy for `sku`,
        from the catalogue and the policy, as a ``<script type="application/ld+json">``."""
        st = state()
        product = st.catalogue.get(sku)
        if product is None:
            current_app.logger.warning("defenceline product_jsonld: no product %r", sku)
            return Markup(f"<!-- defenceline: no product with SKU {escape(repr(sku))} -->")
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
    ) -> Markup:
        st = state()
        try:
            locale = request_locale(st, lang)
            extra = [request_country(st, args[0])] if args else []
            payload = build(st, sku, *extra, locale)
        except ApiProblem as problem:
            # A template must not take the page down over one widget; say why in the source.
            current_app.logger.warning("defenceline widget for %r: %s", sku, problem.detail)
            return Markup(f"<!-- defenceline: {escape(problem.detail)} -->")
        return Markup(render_template(template, **{name: payload}))
