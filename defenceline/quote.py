"""What will this cart cost, all in? The cart quote, computed from the store policy.

A shopper abandons a cart when a cost appears late. `quote_cart` therefore prices everything
before checkout — the lines, shipping to the chosen country, the payment method's surcharge,
VAT per rate, the total, how far the cart is from free shipping, when it arrives and what a
return costs — from the same policy every other part reads. It never sees a browser: the
caller passes prices from its own catalogue.

The rules, which the cart widget, the emails and the structured data share:

* **Convention.** Every amount in the policy (shipping rates, thresholds, surcharges) and every
  unit price follows `shop.prices_include_vat`: VAT-inclusive amounts in a consumer shop,
  VAT-exclusive amounts in a shop that shows prices without VAT. The quote shows VAT either way:
  *extracted* from the amounts when they include it, *added* on top when they do not.
* **Free shipping** applies when the goods subtotal *as shown* reaches `free_shipping_from`
  (at or above it). For a shop whose prices include VAT that is the subtotal including VAT;
  for a shop that shows prices without VAT it is the subtotal without VAT. The threshold is
  compared with the same figures the shopper sees next to it, so "add €12.05 for free shipping"
  is reached exactly by adding items whose shown prices sum to €12.05. Shipping, surcharges
  and VAT added at the end never count towards it.
* **Tiered rates** (`tiers`): the first tier whose bounds fit the cart applies — the goods
  subtotal (as shown) strictly below `max_value` and the total weight at most `max_weight`
  kg; a bound left out does not limit. When no tier fits (a cart too heavy or too valuable
  for the carrier) the result says so (`QuoteStatus.UNSHIPPABLE`) even when the cart is past
  the free-shipping threshold: free shipping cannot carry a parcel the carrier refuses.
* **Payment surcharge** = the method's fixed `surcharge` plus `surcharge_percent` of the goods
  subtotal plus shipping — the amount the shopper pays for before the surcharge itself, which
  is what a payment provider's percentage fee is levied on. Because the surcharge is taxed
  like the goods (next point), that percentage of the VAT-exclusive amount equals the same
  percentage of the VAT-inclusive one, so both conventions give the same price up to rounding.
* **VAT on shipping and surcharge** follows the goods, split over the cart's VAT rates in
  proportion to the goods' value at each rate. In EU VAT, transport costs the supplier charges
  are part of the taxable amount of the goods supplied (Directive 2006/112/EC, art. 78(b)), an
  ancillary supply shares the tax treatment of its principal supply (CJEU C-349/96, *Card
  Protection Plan*), and a charge for paying by a given method is part of the consideration
  for the principal supply rather than a separate one (CJEU C-276/09, *Everything
  Everywhere*); tax administrations such as the Dutch Belastingdienst split shipping costs of
  a mixed-rate order in proportion to the goods' values. A flat "standard rate on shipping"
  would over-tax a cart of books. The rates are those of the destination when the policy has
  `vat.countries` for it (EU one-stop-shop sales), else the shop's own.
* **Rounding** happens at three points, each half-up to the currency's minor unit
  (`defenceline.money.round_money`, Babel's precision per currency):

  1. each line total (`unit_price × quantity`), because invoices and carts show line totals
     and the subtotal must be their visible sum;
  2. the payment surcharge, once, because a percentage of an amount rarely falls on a cent;
  3. the VAT of each rate, once per rate on that rate's whole amount (goods plus its share of
     shipping and surcharge), as EU invoices state VAT per rate — rounding per line would let
     many small roundings drift from the tax really due.

  Shipping and surcharge are split over the rates by the largest-remainder method in whole
  minor units, so the shares add up exactly. Everything else is an exact `Decimal` sum of
  already-rounded amounts, which is why `total == subtotal + shipping + payment_surcharge`
  (plus `vat_total` when prices exclude VAT) holds to the cent for every cart.
* **Order does not matter.** Amounts are sums and per-rate groups; the VAT rows are sorted by
  rate and ties in the split are broken by rate, so permuting the lines changes nothing but
  the order of `lines`, which keeps the caller's order for display.
* **Delivery** is the latest of the items' estimates (`defenceline.delivery`): one item that
  is out of stock until a restock date moves the whole parcel; one that is out of stock with
  no known date means no date can be promised for the cart.

Caller mistakes — an unknown payment method, a quantity below 1, a VAT class the policy does
not define, a duplicate SKU, a missing weight where the rates depend on it, an order moment
`at` outside 2000..2099, an absurd amount (`defenceline.money.parse_money`) — raise
`QuoteInputError` (a `ValueError`) naming the field, e.g. ``lines[2].quantity``. A destination
the shop does not ship to is not a mistake: it is a quote with status ``not_shipped``.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from defenceline.businessdays import DateOutOfRange
from defenceline.delivery import DeliveryEstimate, EstimateStatus, estimate_delivery
from defenceline.money import MAX_INTEGER_DIGITS, minor_unit, parse_money
from defenceline.policy import PaymentMethod, Policy, Zone
from defenceline.regions import is_country

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = [
    "CartLine",
    "Quote",
    "QuoteInputError",
    "QuoteLine",
    "QuoteStatus",
    "ReturnTerms",
    "ShippingLimit",
    "VatAmount",
    "largest_parcel",
    "quote_cart",
    "shipping_cost",
    "zone_rate",
]

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_LIMIT = Decimal(10) ** MAX_INTEGER_DIGITS


class QuoteInputError(ValueError):
    """A caller's mistake in the quote's input; `field` names it (``lines[0].quantity``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class QuoteStatus(enum.StrEnum):
    OK = "ok"
    """Every cost is known and the cart can be ordered."""
    NOT_SHIPPED = "not_shipped"
    """The shop does not ship to the destination country."""
    UNSHIPPABLE = "unshippable"
    """The destination's zone has tiered rates and none fits this cart (too heavy or too
    valuable for the carrier); `Quote.limit` says what the largest parcel may be."""


# --- input -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CartLine:
    """One priced line of a cart, as the storefront's catalogue knows it.

    `unit_price` follows the shop's VAT convention (`shop.prices_include_vat`); `weight_kg`
    is the weight of one unit (needed only when the destination's rates depend on weight).
    `in_stock` and `restock_date` give the line's delivery estimate; `name` is passed through
    to the result for display.
    """

    sku: str
    quantity: int
    unit_price: Decimal
    vat_class: str = "standard"
    weight_kg: Decimal | None = None
    in_stock: bool = True
    restock_date: dt.date | None = None
    name: str | None = None


# --- output ------------------------------------------------------------------------------------


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


# How a Decimal field is written in JSON, as its `field(metadata=...)`: an amount with the
# currency's decimals ("4.95", "0.00"); a weight or a VAT rate as written, without trailing
# zeros ("0.5", "21").
_AMOUNT = {"json": _amount}
_PLAIN = {"json": _plain}


@functools.cache
def _json_forms(
    cls: type[DataclassInstance],
) -> tuple[tuple[str, Callable[[Any], Any] | None], ...]:
    """A record class's field names in the order declared, each with its ``json`` form (read
    once per class: a cart's quote writes one record per line)."""
    return tuple((item.name, item.metadata.get("json")) for item in fields(cls))


def _json_fields(record: DataclassInstance) -> dict[str, Any]:
    """`record`'s fields by name in the order declared, JSON-ready: each with its field's
    ``json`` form where it has one (`_AMOUNT`, `_PLAIN`), a tuple as a list, else as it is."""
    data: dict[str, Any] = {}
    for name, form in _json_forms(type(record)):
        value = getattr(record, name)
        data[name] = form(value) if form else list(value) if type(value) is tuple else value
    return data


@dataclass(frozen=True, slots=True)
class QuoteLine:
    sku: str
    name: str | None
    quantity: int
    unit_price: Decimal = field(metadata=_AMOUNT)
    # unit_price × quantity, rounded to the minor unit
    line_total: Decimal = field(metadata=_AMOUNT)
    vat_class: str
    # percentage for the destination, e.g. Decimal("21")
    vat_rate: Decimal = field(metadata=_PLAIN)

    def to_dict(self) -> dict[str, Any]:
        return _json_fields(self)


@dataclass(frozen=True, slots=True)
class VatAmount:
    """The VAT of one rate: `net + vat == gross`. `gross` is what the shopper pays at this
    rate (goods plus their share of shipping and surcharge)."""

    rate: Decimal = field(metadata=_PLAIN)
    net: Decimal = field(metadata=_AMOUNT)
    vat: Decimal = field(metadata=_AMOUNT)
    gross: Decimal = field(metadata=_AMOUNT)

    def to_dict(self) -> dict[str, Any]:
        return _json_fields(self)


@dataclass(frozen=True, slots=True)
class ShippingLimit:
    """Why an unshippable cart cannot go: its weight and value against the largest parcel the
    zone's tiers accept (None where the tiers set no such bound)."""

    weight_kg: Decimal | None = field(metadata=_PLAIN)
    value: Decimal = field(metadata=_AMOUNT)
    max_weight_kg: Decimal | None = field(metadata=_PLAIN)
    max_value: Decimal | None = field(metadata=_AMOUNT)

    def to_dict(self) -> dict[str, Any]:
        return _json_fields(self)


@dataclass(frozen=True, slots=True)
class ReturnTerms:
    """The return promise for this cart's destination, as data a sentence is built from
    ("Free returns within 30 days"). `applies` is False when the destination is not one of
    the countries the return policy covers."""

    window_days: int
    cost: Decimal = field(metadata=_AMOUNT)
    currency: str
    method: str
    conditions: str
    countries: tuple[str, ...]
    applies: bool

    @property
    def is_free(self) -> bool:
        return self.cost == 0

    @property
    def accepted(self) -> bool:
        """False when the shop takes no returns (a window of 0 days)."""
        return self.window_days > 0

    def to_dict(self) -> dict[str, Any]:
        # `free` is said beside the window, where "free returns within 30 days" reads it
        data = _json_fields(self)
        return {"window_days": data.pop("window_days"), "free": self.is_free, **data}


@dataclass(frozen=True, slots=True)
class Quote:
    """Everything a cart costs before checkout. All amounts are `Decimal` in `currency`,
    rounded to its minor unit.

    When `status` is not ``ok`` the lines, `subtotal` and the goods' `vat` are still priced,
    but `shipping`, `payment_surcharge`, `total` and `free_shipping_remaining` are None: no
    total can be promised for a cart that cannot be sent.
    """

    status: QuoteStatus
    country: str
    currency: str
    prices_include_vat: bool
    lines: tuple[QuoteLine, ...]
    subtotal: Decimal
    shipping: Decimal | None
    payment_method: str | None
    payment_surcharge: Decimal | None
    vat: tuple[VatAmount, ...]  # one row per rate, highest rate first
    vat_total: Decimal
    total: Decimal | None
    free_shipping_threshold: Decimal | None
    free_shipping_remaining: Decimal | None  # 0 when reached, None when the zone has none
    weight_kg: Decimal | None  # total weight, None when some line's weight is unknown
    zone: str | None
    carrier: str | None
    delivery: DeliveryEstimate
    returns: ReturnTerms
    limit: ShippingLimit | None = None  # only for QuoteStatus.UNSHIPPABLE
    # Taxes computed by the checkout (policy `vat.at_checkout`): no `vat` rows, and `total`
    # is before tax.
    tax_at_checkout: bool = False

    @property
    def ok(self) -> bool:
        return self.status is QuoteStatus.OK

    @property
    def shipping_is_free(self) -> bool:
        return self.shipping is not None and self.shipping == 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields: amounts as decimal strings with the currency's decimals
        (``"4.95"``, ``"0.00"``), VAT rates as percentages (``"21"``), dates as ISO 8601."""
        return {
            "status": self.status.value,
            "country": self.country,
            "currency": self.currency,
            "prices_include_vat": self.prices_include_vat,
            "lines": [line.to_dict() for line in self.lines],
            "subtotal": _amount(self.subtotal),
            "shipping": _amount(self.shipping),
            "payment_method": self.payment_method,
            "payment_surcharge": _amount(self.payment_surcharge),
            "vat": [row.to_dict() for row in self.vat],
            "vat_total": _amount(self.vat_total),
            "tax_at_checkout": self.tax_at_checkout,
            "total": _amount(self.total),
            "free_shipping_threshold": _amount(self.free_shipping_threshold),
            "free_shipping_remaining": _amount(self.free_shipping_remaining),
            "weight_kg": _plain(self.weight_kg),
            "zone": self.zone,
            "carrier": self.carrier,
            "delivery": self.delivery.to_dict(),
            "returns": self.returns.to_dict(),
            "limit": self.limit.to_dict() if self.limit is not None else None,
        }


# --- shipping rates ----------------------------------------------------------------------------


def zone_rate(zone: Zone, value: Decimal, weight_kg: Decimal | None) -> Decimal | None:
    """The zone's rate for a parcel worth `value` (as shown) weighing `weight_kg`, before any
    free-shipping threshold: the flat rate, or the first tier that fits. None when no tier
    fits. An unknown weight (None) fits only tiers without a weight bound."""
    if zone.rate is not None:
        return zone.rate
    for tier in zone.tiers:
        if tier.max_value is not None and not value < tier.max_value:
            continue
        if tier.max_weight is not None and (weight_kg is None or weight_kg > tier.max_weight):
            continue
        return tier.rate
    return None


def shipping_cost(zone: Zone, value: Decimal, weight_kg: Decimal | None) -> Decimal | None:
    """What shipping costs for a parcel worth `value` (as shown): 0 at or above the zone's
    free-shipping threshold, else `zone_rate`. None when the zone cannot carry the parcel."""
    rate = zone_rate(zone, value, weight_kg)
    if rate is None:
        return None
    if zone.free_shipping_from is not None and value >= zone.free_shipping_from:
        return _ZERO
    return rate


def _weighs_by_weight(zone: Zone) -> bool:
    return any(tier.max_weight is not None for tier in zone.tiers)


def largest_parcel(zone: Zone) -> tuple[Decimal | None, Decimal | None]:
    """The largest weight and value any tier accepts (None where some tier is unbounded)."""
    weights = [tier.max_weight for tier in zone.tiers if tier.max_weight is not None]
    values = [tier.max_value for tier in zone.tiers if tier.max_value is not None]
    max_weight = max(weights) if len(weights) == len(zone.tiers) else None
    max_value = max(values) if len(values) == len(zone.tiers) else None
    return max_weight, max_value


# --- the quote ---------------------------------------------------------------------------------


def quote_cart(
    policy: Policy,
    lines: Sequence[CartLine],
    country: str,
    *,
    payment_method: str | None = None,
    at: dt.datetime | None = None,
) -> Quote:
    """Price `lines` for delivery to `country` (ISO 3166-1 code), paid with `payment_method`
    (a name from the policy's `payment_methods`, case-insensitive; None = not chosen yet, no
    surcharge), ordered at `at` (default now; naive = warehouse-local time).

    The module docstring states the rules: VAT convention, free-shipping threshold, tiers,
    surcharge, VAT on shipping, rounding points and delivery. Raises `QuoteInputError` for a
    caller's mistake; every other outcome, a destination not shipped to included, is a quote.
    """
    currency = policy.shop.currency
    unit = minor_unit(currency)
    destination = _check_country(country)
    method = _check_payment_method(policy, payment_method)
    if not lines:
        raise QuoteInputError("lines", "expected at least one line")

    zone = policy.zone_for(destination)
    priced: list[QuoteLine] = []
    goods_by_rate: dict[Decimal, Decimal] = {}
    subtotal = _ZERO
    weight: Decimal | None = _ZERO
    missing_weight: int | None = None
    seen: dict[str, int] = {}
    stock_states: set[tuple[bool, dt.date | None]] = set()

    rates: dict[str, Decimal] = {}
    unit_exponent = unit.as_tuple().exponent
    for index, line in enumerate(lines):
        sku, quantity, unit_price, line_weight = _check_line(line, index)
        if sku in seen:
            raise QuoteInputError(
                f"lines[{index}].sku",
                f"SKU {sku!r} is already on line {seen[sku]}; expected each SKU once "
                "(add the quantities together)",
            )
        seen[sku] = index
        rate = rates.get(line.vat_class)
        if rate is None:
            try:
                rate = rates[line.vat_class] = policy.vat.rate(line.vat_class, destination)
            except KeyError:
                raise QuoteInputError(
                    f"lines[{index}].vat_class",
                    f"the policy has no VAT rate {line.vat_class!r} for {destination}; "
                    "expected standard, reduced (when the policy defines it) or zero",
                ) from None
        if unit_price.as_tuple().exponent > unit_exponent:  # type: ignore[operator]
            unit_price = unit_price.quantize(unit)  # "24" is shown as "24.00"
        line_total = (unit_price * quantity).quantize(unit, rounding=ROUND_HALF_UP)
        priced.append(
            QuoteLine(sku, line.name, quantity, unit_price, line_total, line.vat_class, rate)
        )
        subtotal += line_total
        goods_by_rate[rate] = goods_by_rate.get(rate, _ZERO) + line_total
        if line_weight is None:
            weight = None
            if missing_weight is None:
                missing_weight = index
        elif weight is not None:
            weight += line_weight * quantity
        stock_states.add((line.in_stock, None if line.in_stock else line.restock_date))

    delivery = _cart_delivery(policy, destination, at, stock_states)
    include_vat = policy.shop.prices_include_vat
    status = QuoteStatus.OK
    shipping: Decimal | None = None
    surcharge: Decimal | None = None
    total: Decimal | None = None
    threshold: Decimal | None = None
    remaining: Decimal | None = None
    limit: ShippingLimit | None = None
    extras = _ZERO

    if zone is None:
        status = QuoteStatus.NOT_SHIPPED
    else:
        if missing_weight is not None and _weighs_by_weight(zone):
            raise QuoteInputError(
                f"lines[{missing_weight}].weight_kg",
                f"shipping to {destination} (zone {zone.name!r}) is priced by weight; expected "
                f"the weight of one unit of {lines[missing_weight].sku!r} in kg",
            )
        if zone.free_shipping_from is not None:
            threshold = zone.free_shipping_from.quantize(unit)
        shipping = shipping_cost(zone, subtotal, weight)
        if shipping is None:
            status = QuoteStatus.UNSHIPPABLE
            max_weight, max_value = largest_parcel(zone)
            limit = ShippingLimit(weight, subtotal, max_weight, max_value)
        else:
            shipping = shipping.quantize(unit)
            surcharge = _ZERO.quantize(unit)
            if method is not None:
                surcharge = (
                    method.surcharge + (subtotal + shipping) * method.surcharge_percent / _HUNDRED
                ).quantize(unit, rounding=ROUND_HALF_UP)
            extras = shipping + surcharge
            if threshold is not None:
                remaining = max(_ZERO, threshold - subtotal).quantize(unit)

    vat_rows = (
        ()
        if policy.vat.at_checkout
        else _vat_rows(
            goods_by_rate, extras, unit, include_vat, policy.vat.rate("standard", destination)
        )
    )
    vat_total = sum((row.vat for row in vat_rows), _ZERO)
    if shipping is not None and surcharge is not None:
        total = subtotal + shipping + surcharge + (_ZERO if include_vat else vat_total)
    return Quote(
        status=status,
        country=destination,
        currency=currency,
        prices_include_vat=include_vat,
        lines=tuple(priced),
        subtotal=subtotal,
        shipping=shipping,
        payment_method=method.name if method is not None else None,
        payment_surcharge=surcharge,
        vat=vat_rows,
        vat_total=vat_total,
        total=total,
        free_shipping_threshold=threshold,
        free_shipping_remaining=remaining,
        weight_kg=weight,
        zone=zone.name if zone is not None else None,
        carrier=zone.carrier if zone is not None else None,
        delivery=delivery,
        returns=_return_terms(policy, destination),
        tax_at_checkout=policy.vat.at_checkout,
        limit=limit,
    )


def _check_country(country: object) -> str:
    if not isinstance(country, str) or not is_country(country.strip().upper()):
        raise QuoteInputError(
            "country", f"unknown country {country!r}; expected an ISO 3166-1 code such as 'NL'"
        )
    return country.strip().upper()


def _check_payment_method(policy: Policy, name: object) -> PaymentMethod | None:
    if name is None:
        return None
    method = policy.payment_method(name) if isinstance(name, str) else None
    if method is None:
        names = ", ".join(m.name for m in policy.payment_methods)
        raise QuoteInputError(
            "payment_method", f"unknown payment method {name!r}; expected one of {names}"
        )
    return method


def _check_line(line: object, index: int) -> tuple[str, int, Decimal, Decimal | None]:
    """The line's SKU, quantity, unit price and unit weight, each checked (the common case —
    a CartLine of well-typed values — costs a few type checks)."""
    if not isinstance(line, CartLine):
        raise QuoteInputError(f"lines[{index}]", f"expected a CartLine, got {type(line).__name__}")
    sku, quantity, price, weight = line.sku, line.quantity, line.unit_price, line.weight_kg
    if not isinstance(sku, str) or not sku.strip():
        raise QuoteInputError(f"lines[{index}].sku", f"expected a SKU, got {sku!r}")
    if not isinstance(line.vat_class, str):
        raise QuoteInputError(
            f"lines[{index}].vat_class", f"expected a VAT class name, got {line.vat_class!r}"
        )
    if type(quantity) is not int:  # not a bool, a float or a string of digits
        raise QuoteInputError(
            f"lines[{index}].quantity", f"expected a whole number of 1 or more, got {quantity!r}"
        )
    if quantity < 1:
        raise QuoteInputError(f"lines[{index}].quantity", f"expected 1 or more, got {quantity}")
    price = _decimal(price, index, "unit_price")
    if price < 0:
        raise QuoteInputError(f"lines[{index}].unit_price", f"expected 0 or more, got {price}")
    if weight is not None:
        weight = _decimal(weight, index, "weight_kg")
        if weight < 0:
            raise QuoteInputError(
                f"lines[{index}].weight_kg", f"expected 0 kg or more, got {weight}"
            )
    if type(line.in_stock) is not bool:
        raise QuoteInputError(
            f"lines[{index}].in_stock", f"expected true or false, got {line.in_stock!r}"
        )
    if line.restock_date is not None and not isinstance(line.restock_date, dt.date):
        raise QuoteInputError(
            f"lines[{index}].restock_date", f"expected a date, got {line.restock_date!r}"
        )
    return sku, quantity, price, weight


def _decimal(value: object, index: int, name: str) -> Decimal:
    if type(value) is Decimal and value.is_finite() and -_LIMIT < value < _LIMIT:
        return value  # the common case; a sane amount has at most a few decimals anyway
    try:
        return parse_money(value)  # bounds, ints and decimal strings; floats are refused
    except ValueError as error:
        raise QuoteInputError(f"lines[{index}].{name}", str(error)) from None


# --- VAT ---------------------------------------------------------------------------------------


def _vat_rows(
    goods_by_rate: dict[Decimal, Decimal],
    extras: Decimal,
    unit: Decimal,
    prices_include_vat: bool,
    standard: Decimal | None,
) -> tuple[VatAmount, ...]:
    """One row per rate: the goods at that rate plus their share of `extras` (shipping and
    surcharge), VAT extracted or added and rounded once per rate."""
    amounts = dict(goods_by_rate)
    if extras:
        for rate, share in _split(extras, goods_by_rate, unit, standard).items():
            amounts[rate] = amounts.get(rate, _ZERO) + share
    rows = []
    for rate in sorted(amounts, reverse=True):
        amount = amounts[rate]
        if prices_include_vat:
            vat = (amount * rate / (_HUNDRED + rate)).quantize(unit, rounding=ROUND_HALF_UP)
            rows.append(VatAmount(rate, amount - vat, vat, amount))
        else:
            vat = (amount * rate / _HUNDRED).quantize(unit, rounding=ROUND_HALF_UP)
            rows.append(VatAmount(rate, amount, vat, amount + vat))
    return tuple(rows)


def _split(
    amount: Decimal, weights: dict[Decimal, Decimal], unit: Decimal, fallback: Decimal | None
) -> dict[Decimal, Decimal]:
    """`amount` split over the rates in proportion to `weights`, in whole minor units that
    add up exactly (largest remainder; ties go to the higher rate). With no goods value to
    weigh by, everything goes to `fallback` (the destination's standard rate)."""
    total = sum(weights.values(), _ZERO)
    if total == 0:
        rate = fallback if fallback is not None else max(weights)
        return {rate: amount}
    shares: dict[Decimal, Decimal] = {}
    remainders: list[tuple[Decimal, Decimal]] = []
    for rate, weight in weights.items():
        exact = amount * weight / total
        share = exact.quantize(unit, rounding=ROUND_FLOOR)
        shares[rate] = share
        remainders.append((exact - share, rate))
    left = amount - sum(shares.values(), _ZERO)
    for _, rate in sorted(remainders, reverse=True):
        if left < unit:
            break
        shares[rate] += unit
        left -= unit
    return shares


# --- delivery and returns ----------------------------------------------------------------------


def _cart_delivery(
    policy: Policy,
    country: str,
    at: dt.datetime | None,
    states: Iterable[tuple[bool, dt.date | None]],
) -> DeliveryEstimate:
    """The latest of the items' estimates: one per distinct stock state, all for one moment."""
    moment = at if at is not None else dt.datetime.now(policy.warehouse.zone)
    try:
        estimates = [
            estimate_delivery(policy, country, moment, in_stock=in_stock, restock_date=restock)
            for in_stock, restock in states
        ]
    except DateOutOfRange as error:
        raise QuoteInputError("at", error.message) from None
    for status in (EstimateStatus.NOT_SHIPPED, EstimateStatus.NO_RESTOCK_DATE):
        for estimate in estimates:
            if estimate.status is status:
                return estimate
    return max(estimates, key=_lateness)


def _lateness(
    estimate: DeliveryEstimate,
) -> tuple[dt.date, dt.date, dt.date, bool, dt.datetime]:
    """Latest delivery first; equal dates are told apart by the later restock moment, so the
    cart's estimate never depends on the order of its lines."""
    assert estimate.latest and estimate.earliest and estimate.dispatch_date
    return (
        estimate.latest,
        estimate.earliest,
        estimate.dispatch_date,
        estimate.cutoff is None,
        estimate.ordered_at,
    )


def _return_terms(policy: Policy, country: str) -> ReturnTerms:
    returns = policy.returns
    countries = tuple(policy.return_countries)
    return ReturnTerms(
        window_days=returns.window_days,
        cost=returns.cost.quantize(minor_unit(policy.shop.currency)),
        currency=policy.shop.currency,
        method=returns.method,
        conditions=returns.conditions,
        countries=countries,
        applies=country in countries,
    )
