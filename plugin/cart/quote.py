"""The cart summary: every cost before checkout, priced from the catalogue, never the browser.

A storefront sends SKUs and quantities (``{"lines": [{"sku", "quantity"}], "country",
"payment_method", "locale"}``); prices, VAT classes, weights and stock come from the shop's
catalogue, and `defenceline.quote.quote_cart` computes the rest from the policy. A price or
total in the request is refused, never used. The same payload feeds the JSON API, the HTML
fragment, the Jinja helper and ``<dl-cart-summary>``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from defenceline.money import format_money
from defenceline.plugin.api.problems import ApiProblem, validation_problem
from defenceline.plugin.api.requests import WholeNumber
from defenceline.plugin.catalogue import Sku
from defenceline.plugin.i18n import gettext_for as _
from defenceline.plugin.i18n import is_rtl, ngettext_for
from defenceline.plugin.state import DefenceLineState
from defenceline.plugin.widgets.messages import delivery_message
from defenceline.plugin.widgets.stock import stock_view
from defenceline.quote import CartLine, Quote, QuoteInputError, QuoteStatus, ReturnTerms, quote_cart
from defenceline.regions import country_name

__all__ = ["CartLineIn", "CartQuote", "CartRequest", "cart_payload", "parse_cart_request"]

# Keys a browser might send that the plugin must never trust.
_PRICE_KEYS = frozenset(
    {"price", "unit_price", "line_total", "subtotal", "total", "shipping", "amount", "vat"}
)


class CartLineIn(BaseModel):
    """One line of a cart: a SKU and how many (the cap is checked by whoever takes the cart)."""

    model_config = ConfigDict(extra="forbid")

    sku: Sku
    quantity: WholeNumber


class CartRequest(BaseModel):
    """The body of ``POST {prefix}/api/v1/cart-quote``."""

    model_config = ConfigDict(extra="forbid")

    lines: list[CartLineIn]
    country: Annotated[str, Field(min_length=1, max_length=8)] | None = None
    payment_method: Annotated[str, Field(max_length=100)] | None = None
    locale: Annotated[str, Field(max_length=35)] | None = None


# An amount in the JSON answer: a decimal string, never a float.
DecimalText = Annotated[str, StringConstraints(pattern=r"^-?[0-9]+(\.[0-9]+)?$")]


class CartQuote(BaseModel):
    """The cart summary (``POST {prefix}/api/v1/cart-quote``): amounts as decimal strings, and
    `display` with the same amounts formatted for the locale."""

    status: Literal["ok", "not_shipped", "unshippable"]
    currency: str
    lines: list[dict[str, Any]]
    subtotal: DecimalText
    shipping: DecimalText | None
    payment_surcharge: DecimalText | None
    vat: list[dict[str, Any]]  # no 0% rows in `display`; none at all with `tax_at_checkout`
    tax_at_checkout: bool  # store.toml vat.at_checkout: the checkout computes the tax
    total: DecimalText | None
    free_shipping_remaining: DecimalText | None
    delivery: dict[str, Any]
    returns: dict[str, Any]
    display: dict[str, Any]


def _field(loc: tuple[int | str, ...]) -> str:
    """``lines[2].quantity``: the field as a JavaScript developer writes it."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "body"


def parse_cart_request(data: object, max_lines: int, max_quantity: int) -> CartRequest:
    """Validate a cart request; every problem is a 4xx naming the field (``lines[2].quantity``)."""
    if not isinstance(data, dict):
        raise ApiProblem(422, f"expected a JSON object, got {type(data).__name__}")
    sent_prices = [str(key) for key in sorted(_PRICE_KEYS & set(data))]
    lines = data.get("lines")
    if isinstance(lines, list):
        sent_prices += [
            f"lines[{index}].{key}"
            for index, line in enumerate(lines)
            if isinstance(line, dict)
            for key in sorted(_PRICE_KEYS & set(line))
        ]
    if sent_prices:
        field = sent_prices[0]
        raise ApiProblem(
            422, f"{field}: prices come from the shop's catalogue; do not send them", field=field
        )
    if isinstance(lines, list) and len(lines) > max_lines:
        raise ApiProblem(
            422,
            f"lines: {len(lines)} lines; expected at most {max_lines}",
            field="lines",
        )
    try:
        request = CartRequest.model_validate(data)
    except ValidationError as exc:
        raise validation_problem(exc, path=_field) from None
    if not request.lines:
        raise ApiProblem(422, "lines: expected at least one line", field="lines")
    merged: dict[str, int] = {}
    for index, line in enumerate(request.lines):
        if not 1 <= line.quantity <= max_quantity:
            field = f"lines[{index}].quantity"
            raise ApiProblem(
                422,
                f"{field}: {line.quantity}; expected a quantity from 1 to {max_quantity}",
                field=field,
            )
        # The cap is per item, not per line: three lines of 999 are one line of 2997.
        merged[line.sku] = merged.get(line.sku, 0) + line.quantity
        if merged[line.sku] > max_quantity:
            field = f"lines[{index}].quantity"
            raise ApiProblem(
                422,
                f"{field}: the lines for SKU {line.sku!r} add up to {merged[line.sku]}; "
                f"expected at most {max_quantity} of one item",
                field=field,
                sku=line.sku,
            )
    return request


def quote_for(st: DefenceLineState, request: CartRequest, country: str) -> Quote:
    """Price the request's lines from the catalogue (a SKU twice is one line, added up)."""
    quantities: dict[str, int] = {}
    first_index: dict[str, int] = {}
    for index, line in enumerate(request.lines):
        quantities[line.sku] = quantities.get(line.sku, 0) + line.quantity
        first_index.setdefault(line.sku, index)
    products = st.catalogue.get_many(quantities)
    policy = st.policy
    today = st.now().date()
    lines: list[CartLine] = []
    for sku, quantity in quantities.items():
        product = products.get(sku)
        if product is None:
            field = f"lines[{first_index[sku]}].sku"
            raise ApiProblem(
                404, f"{field}: no product with SKU {sku!r} in the catalogue", field=field, sku=sku
            )
        view = stock_view(product, policy.low_stock_threshold, today)
        lines.append(
            CartLine(
                sku=sku,
                quantity=quantity,
                unit_price=product.price,
                vat_class=product.vat_class,
                weight_kg=product.weight_kg,
                in_stock=view.in_stock,
                restock_date=view.restock_date,
                name=product.name,
            )
        )
    try:
        return quote_cart(
            policy, lines, country, payment_method=request.payment_method, at=st.now()
        )
    except QuoteInputError as error:
        if error.field.endswith(".weight_kg"):
            # The shop's own data is incomplete, not the request: say so, as a conflict.
            raise ApiProblem(409, f"catalogue: {error.message}", field=error.field) from None
        raise ApiProblem(422, str(error), field=error.field) from None


def returns_sentence(terms: ReturnTerms, country: str, locale: str) -> str:
    """ "Free returns within 30 days" and its kin, for this destination."""
    if not terms.accepted:
        return _(locale, "Returns are not accepted")
    if not terms.applies:
        return _(
            locale,
            "Returns are not accepted from %(country)s",
            country=country_name(country, locale),
        )
    if terms.is_free:
        return ngettext_for(
            locale,
            "Free returns within %(count)s day",
            "Free returns within %(count)s days",
            terms.window_days,
        )
    return ngettext_for(
        locale,
        "Returns within %(count)s day for %(cost)s",
        "Returns within %(count)s days for %(cost)s",
        terms.window_days,
        cost=format_money(terms.cost, terms.currency, locale),
    )


def cart_payload(
    st: DefenceLineState, request: CartRequest, country: str, locale: str
) -> dict[str, Any]:
    """The quote as JSON (amounts as decimal strings), plus `display` (the same amounts
    formatted for `locale`), the sentences, and the choices the pickers offer."""
    quote = quote_for(st, request, country)
    policy = st.policy
    currency = quote.currency

    def money(amount: Decimal | None) -> str | None:
        return None if amount is None else format_money(amount, currency, locale)

    data = quote.to_dict()
    delivery = dict(data["delivery"])
    delivery["message"] = delivery_message(quote.delivery, locale)
    data["delivery"] = delivery
    returns = dict(data["returns"])
    returns["message"] = returns_sentence(quote.returns, quote.country, locale)
    data["returns"] = returns
    data["status_message"] = _status_message(quote, locale)
    data["free_shipping_message"] = _free_shipping_message(quote, locale)
    data["display"] = {
        "lines": [
            {"unit_price": money(line.unit_price), "line_total": money(line.line_total)}
            for line in quote.lines
        ],
        "subtotal": money(quote.subtotal),
        "shipping": (_(locale, "Free") if quote.shipping_is_free else money(quote.shipping)),
        "payment_surcharge": money(quote.payment_surcharge),
        "vat": [
            {
                "label": _vat_label(row.rate, quote.prices_include_vat, locale),
                "amount": money(row.vat),
            }
            for row in quote.vat
            if row.rate != 0  # a 0% row says nothing a shopper needs
        ],
        "tax_at_checkout": _(locale, "Calculated at checkout") if quote.tax_at_checkout else None,
        "total": money(quote.total),
        "free_shipping_threshold": money(quote.free_shipping_threshold),
        "free_shipping_remaining": money(quote.free_shipping_remaining),
    }
    data["options"] = {
        "countries": [
            {"code": code, "name": country_name(code, locale)} for code in policy.shipping.countries
        ],
        "payment_methods": [
            {
                "name": method.name,
                "surcharge": _surcharge_text(
                    method.surcharge, method.surcharge_percent, currency, locale
                ),
            }
            for method in policy.payment_methods
        ],
    }
    data["locale"] = locale
    data["dir"] = "rtl" if is_rtl(locale) else "ltr"
    return data


def _vat_label(rate: Decimal, included: bool, locale: str) -> str:
    percent = f"{rate.normalize():f}%"
    if included:
        return _(locale, "Including VAT %(rate)s", rate=percent)
    return _(locale, "VAT %(rate)s", rate=percent)


def _surcharge_text(fixed: Decimal, percent: Decimal, currency: str, locale: str) -> str | None:
    parts = []
    if fixed:
        parts.append("+ " + format_money(fixed, currency, locale))
    if percent:
        parts.append(f"+ {percent.normalize():f}%")
    return " ".join(parts) or None


def _status_message(quote: Quote, locale: str) -> str | None:
    name = country_name(quote.country, locale)
    if quote.status is QuoteStatus.NOT_SHIPPED:
        return _(locale, "We don't ship to %(country)s", country=name)
    if quote.status is QuoteStatus.UNSHIPPABLE:
        limit = quote.limit
        if limit is not None and limit.max_weight_kg is not None:
            return _(
                locale,
                "This order is too heavy for our carrier to %(country)s: parcels may weigh up "
                "to %(max)s kg. Split it into smaller orders, or contact us.",
                country=name,
                max=f"{limit.max_weight_kg.normalize():f}",
            )
        return _(
            locale,
            "We can't send this order to %(country)s in one parcel; please contact us.",
            country=name,
        )
    return None


def _free_shipping_message(quote: Quote, locale: str) -> str | None:
    """A plain statement of the real remaining amount: no pressure, no urgency."""
    if not quote.ok or quote.free_shipping_remaining is None:
        return None
    if quote.free_shipping_remaining == 0:
        return _(locale, "Shipping is free for this order")
    return _(
        locale,
        "Free shipping from %(threshold)s: %(remaining)s to go",
        threshold=format_money(quote.free_shipping_threshold or Decimal(0), quote.currency, locale),
        remaining=format_money(quote.free_shipping_remaining, quote.currency, locale),
    )
