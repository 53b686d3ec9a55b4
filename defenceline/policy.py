"""The store policy: every promise a shop makes, in numbers, validated once.

A shop writes its policy in `store.toml` (see `examples/demo-shop/store.toml` for a complete
example); `defenceline.policyfile.load_policy` reads and validates it. Every part of
defenceline reads this one model, so the cart, the product page, the FAQ, the emails and the
structured data never disagree.

Each model rejects unknown keys, money is `Decimal` (a float is an error), and rules that span
several fields (overlapping zones, the EU's 14-day right of withdrawal) are checked by
`policy_problems`, which reports each with the exact field path.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, Literal, Protocol, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from defenceline.money import minor_unit, parse_money
from defenceline.regions import (
    EU_EEA_COUNTRIES,
    is_country,
    is_currency,
    normalise_locale,
)

__all__ = [
    "WEEKDAYS",
    "Calibration",
    "Carrier",
    "ContactChannel",
    "ExpressOption",
    "OpeningHours",
    "PaymentMethod",
    "Policy",
    "PolicyProblem",
    "RateTier",
    "Returns",
    "Shipping",
    "Shop",
    "TransitDays",
    "Vat",
    "VatRates",
    "Warehouse",
    "Zone",
    "policy_problems",
    "raw_policy_problems",
]

WEEKDAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
_WEEKDAY_BY_PREFIX = {name[:3]: name for name in WEEKDAYS}


# --- field types -------------------------------------------------------------------------------


def _non_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError(f"expected an amount of zero or more, got {value}")
    return value


def _percentage(value: object) -> Decimal:
    rate = parse_money(value)
    if not Decimal(0) <= rate <= Decimal(100):
        raise ValueError(f"expected a percentage between 0 and 100, got {rate}")
    return rate


def _country(value: object) -> str:
    if not isinstance(value, str) or not is_country(value.strip().upper()):
        raise ValueError(f"unknown country {value!r}; expected an ISO 3166-1 code such as 'NL'")
    if value.strip() != value.strip().upper():
        raise ValueError(f"country codes are upper case: write {value.strip().upper()!r}")
    return value.strip()


def _currency(value: object) -> str:
    if not isinstance(value, str) or not is_currency(value.strip()):
        raise ValueError(f"unknown currency {value!r}; expected an ISO 4217 code such as 'EUR'")
    return value.strip()


def _locale(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a locale tag such as 'nl', got {value!r}")
    return normalise_locale(value.strip())


def _timezone(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected an IANA time zone such as 'Europe/Amsterdam', got {value!r}")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {value!r}; expected an IANA name such as 'Europe/Amsterdam'"
        ) from None
    return value


def _weekday(value: object) -> str:
    if isinstance(value, str):
        name = _WEEKDAY_BY_PREFIX.get(value.strip().lower()[:3])
        if name and name.startswith(value.strip().lower()):
            return name
    raise ValueError(f"unknown weekday {value!r}; expected one of {', '.join(WEEKDAYS)}")


Money = Annotated[Decimal, BeforeValidator(parse_money), AfterValidator(_non_negative)]
Percentage = Annotated[Decimal, BeforeValidator(_percentage)]
Country = Annotated[str, BeforeValidator(_country)]
Currency = Annotated[str, BeforeValidator(_currency)]
LocaleTag = Annotated[str, BeforeValidator(_locale)]
TimeZoneName = Annotated[str, BeforeValidator(_timezone)]
Weekday = Annotated[str, BeforeValidator(_weekday)]
Text = Annotated[str, Field(min_length=1)]
# An absolute http(s) URL: what a shop's own address and a chat link may be. Quotes, angle
# brackets, backslashes and control characters never appear in a real (percent-encoded) URL,
# so they are refused rather than trusted to every place that puts the URL in an attribute.
_WEB_URL = re.compile(r"^https?://[^\s/<>\"'`\\\x00-\x1f\x7f]+[^\s<>\"'`\\\x00-\x1f\x7f]*$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class _Named(Protocol):
    @property
    def name(self) -> str: ...


_N = TypeVar("_N", bound=_Named)


def _named(entries: Iterable[_N], name: str) -> _N | None:
    """The entry called `name` in any letter case, or None: carriers, payment methods and
    express options are looked up by the name a store owner or a request wrote."""
    wanted = name.casefold()
    return next((entry for entry in entries if entry.name.casefold() == wanted), None)


# --- shop and VAT ------------------------------------------------------------------------------


class Shop(_Model):
    """Who the shop is and how it sells."""

    name: Text
    url: Annotated[str, Field(pattern=_WEB_URL.pattern)]
    country: Country
    default_locale: LocaleTag
    locales: list[LocaleTag] = []
    currency: Currency
    prices_include_vat: bool = True

    @model_validator(mode="after")
    def _default_locale_is_supported(self) -> Shop:
        if not self.locales:
            object.__setattr__(self, "locales", [self.default_locale])
        elif self.default_locale not in self.locales:
            raise ValueError(
                f"default_locale {self.default_locale!r} must be one of locales {self.locales}"
            )
        return self


class VatRates(_Model):
    """VAT percentages per VAT class; products name their class (standard, reduced, zero)."""

    standard: Percentage
    reduced: Percentage | None = None


class Vat(VatRates):
    """The shop's own rates, plus the rates of destination countries where it charges theirs.

    ``at_checkout = true`` is for taxes that depend on the shopper's address and are computed
    by the checkout (US sales tax and similar): quotes then state no tax at all, only that it
    is calculated at checkout, and prices are shown without it. Such a policy needs no rates
    (``standard`` defaults to 0 there).
    """

    countries: dict[Country, VatRates] = {}
    at_checkout: bool = False

    @model_validator(mode="before")
    @classmethod
    def _no_rates_needed_at_checkout(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("at_checkout") is True:
            data = {"standard": "0", **data}
        return data

    def rate(self, vat_class: str, country: str | None = None) -> Decimal:
        """The percentage for `vat_class` when shipping to `country`.

        Raises KeyError naming the class when the policy defines no such rate.
        """
        rates: VatRates = self.countries.get(country or "", self)
        if vat_class == "zero":
            return Decimal(0)
        if vat_class == "standard":
            return rates.standard
        if vat_class == "reduced" and rates.reduced is not None:
            return rates.reduced
        raise KeyError(f"no VAT rate {vat_class!r} in the policy for {country or 'the shop'}")


# --- warehouse ---------------------------------------------------------------------------------


class Warehouse(_Model):
    """Where parcels leave from, and when.

    `cutoff` maps weekdays to the local time before which an order is dispatched the same day;
    a weekday without a cut-off does not dispatch. `handling_days` are extra warehouse days
    between that dispatch day and the day the parcel leaves.
    """

    country: Country
    timezone: TimeZoneName
    cutoff: dict[Weekday, dt.time]
    handling_days: Annotated[int, Field(ge=0, le=60)] = 0
    closures: list[dt.date] = []

    @model_validator(mode="after")
    def _dispatches_some_day(self) -> Warehouse:
        if not self.cutoff:
            raise ValueError("expected a cut-off time for at least one weekday")
        return self

    # Derived look-up tables are cached_property values: they live in the instance __dict__,
    # so reading them is a plain attribute access (pydantic private attributes go through
    # __getattr__, which made an estimate several times slower).
    @cached_property
    def zone(self) -> ZoneInfo:
        """The warehouse's time zone."""
        return ZoneInfo(self.timezone)

    @cached_property
    def _cutoff_by_weekday(self) -> tuple[dt.time | None, ...]:
        return tuple(self.cutoff.get(day) for day in WEEKDAYS)

    @cached_property
    def _closures(self) -> frozenset[dt.date]:
        return frozenset(self.closures)

    def cutoff_on(self, day: dt.date) -> dt.time | None:
        """The cut-off on `day`'s weekday, or None when that weekday does not dispatch."""
        return self._cutoff_by_weekday[day.weekday()]

    def is_closed(self, day: dt.date) -> bool:
        """True on one of the policy's own closure dates."""
        return day in self._closures


# --- shipping ----------------------------------------------------------------------------------


class TransitDays(_Model):
    """Carrier delivery days after dispatch, as a range."""

    min: Annotated[int, Field(ge=1, le=60)]
    max: Annotated[int, Field(ge=1, le=60)]

    @model_validator(mode="after")
    def _min_not_above_max(self) -> TransitDays:
        if self.min > self.max:
            raise ValueError(
                f"min ({self.min}) is greater than max ({self.max}); expected min <= max"
            )
        return self


class RateTier(_Model):
    """One row of a tiered rate: applies when the order is below `max_value` and at most
    `max_weight` kg (a bound left out does not limit). The first tier that applies wins."""

    max_value: Money | None = None
    max_weight: Money | None = None
    rate: Money


class ExpressOption(_Model):
    """A faster, paid alternative to the zone's standard service."""

    name: Text
    rate: Money
    transit_days: TransitDays
    carrier: str | None = None


class Zone(_Model):
    """A shipping zone: where it goes, who carries it, how long it takes and what it costs."""

    name: Text
    countries: Annotated[list[Country], Field(min_length=1)]
    carrier: Text
    delivery_weekdays: Annotated[list[Weekday], Field(min_length=1)] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
    ]
    transit_days: TransitDays
    rate: Money | None = None
    tiers: list[RateTier] = []
    free_shipping_from: Money | None = None
    express: list[ExpressOption] = []

    @model_validator(mode="after")
    def _one_kind_of_rate(self) -> Zone:
        if (self.rate is None) == (not self.tiers):
            raise ValueError(
                "expected either a flat `rate` or a list of `tiers`, not both or neither"
            )
        return self

    @cached_property
    def _delivery_weekdays(self) -> frozenset[int]:
        return frozenset(WEEKDAYS.index(d) for d in self.delivery_weekdays)

    def delivers_on_weekday(self, weekday: int) -> bool:
        """True when the carrier delivers on `weekday` (0 = Monday)."""
        return weekday in self._delivery_weekdays

    def express_option(self, name: str) -> ExpressOption | None:
        """The express option called `name` (any letter case), or None."""
        return _named(self.express, name)


class Calibration(_Model):
    """``[shipping.calibration]``: promise what the shop's own deliveries show it can keep.

    Per lane (zone × carrier) with at least `min_samples` shipments dispatched in the last
    `window_days` (else the zone's shipments together), the transit days by which `target` of
    the parcels arrived. ``mode = "report"`` only suggests them (``promise-report``);
    ``"apply"`` makes the delivery estimate use them, and drops Saturday from the promise of
    a carrier whose parcels promised for a Saturday arrive on time less often than `target`.
    """

    target: Annotated[float, Field(gt=0.5, lt=1)] = 0.95
    min_samples: Annotated[int, Field(ge=10, le=1_000_000)] = 100
    window_days: Annotated[int, Field(ge=7, le=3 * 366)] = 28
    mode: Literal["report", "apply"] = "report"


def _tracking_url(value: str) -> str:
    try:
        parts = list(string.Formatter().parse(value))
    except ValueError:  # a lone { or }
        parts = [("", "?", None, None)]
    fields = {name for _, name, spec, conversion in parts if name is not None}
    plain = all(not spec and not conversion for _, name, spec, conversion in parts if name)
    if "tracking_number" not in fields or fields - {"tracking_number", "postcode"} or not plain:
        raise ValueError(
            f"expected an address with {{tracking_number}} (and optionally {{postcode}}) and "
            f"no other {{...}} field, got {value!r}"
        )
    return value


class Carrier(_Model):
    """``[[shipping.carriers]]``: a carrier and its public tracking page. `tracking_url` holds
    ``{tracking_number}`` and may hold ``{postcode}``, e.g.
    ``"https://jouw.postnl.nl/track-and-trace/{tracking_number}-NL-{postcode}"``."""

    name: Text
    tracking_url: Annotated[str, Field(pattern=_WEB_URL.pattern), AfterValidator(_tracking_url)]


class Shipping(_Model):
    zones: Annotated[list[Zone], Field(min_length=1)]
    carriers: list[Carrier] = []
    calibration: Calibration = Calibration()

    @cached_property
    def _by_country(self) -> dict[str, Zone]:
        return {c: zone for zone in reversed(self.zones) for c in zone.countries}

    def zone_for(self, country: str) -> Zone | None:
        """The zone that ships to `country`, or None when the shop does not ship there."""
        return self._by_country.get(country)

    def carrier(self, name: str) -> Carrier | None:
        """The `[[shipping.carriers]]` entry named `name` (any letter case), or None."""
        return _named(self.carriers, name)

    @property
    def countries(self) -> list[str]:
        """Every destination country, in the order the policy lists them."""
        return list(dict.fromkeys(c for zone in self.zones for c in zone.countries))


# --- returns, payment, contact -----------------------------------------------------------------


def _return_cost(value: object) -> Decimal:
    if isinstance(value, str) and value.strip().lower() == "free":
        return Decimal(0)
    return parse_money(value)


class Returns(_Model):
    """The return promise. `cost` is "free" or an amount; `countries` defaults to every
    destination the shop ships to."""

    window_days: Annotated[int, Field(ge=0, le=3650)]
    cost: Annotated[Decimal, BeforeValidator(_return_cost), AfterValidator(_non_negative)]
    method: Text
    conditions: str = ""
    countries: list[Country] = []

    @property
    def is_free(self) -> bool:
        return self.cost == 0


class PaymentMethod(_Model):
    name: Text
    surcharge: Money = Decimal(0)
    surcharge_percent: Percentage = Decimal(0)


def _opening_hours(value: object) -> object:
    if isinstance(value, str):
        opens, sep, closes = value.partition("-")
        if not sep:
            raise ValueError(f"expected opening hours as 'HH:MM-HH:MM', got {value!r}")
        return {"opens": opens.strip(), "closes": closes.strip()}
    return value


class OpeningHours(_Model):
    opens: dt.time
    closes: dt.time

    @model_validator(mode="after")
    def _opens_before_closing(self) -> OpeningHours:
        if self.opens >= self.closes:
            raise ValueError(
                f"opens ({self.opens:%H:%M}) must be before closes ({self.closes:%H:%M})"
            )
        return self


_LINK_SCHEMES = "contact values become links, so only http(s):, mailto: and tel: are accepted"
_PHONE = re.compile(r"\+?[0-9 ().-]{5,32}")


def _contact_value(kind: str, value: str) -> str:
    """`value` checked for its `kind`, a ``mailto:``/``tel:`` prefix dropped (the link adds it).

    Every value becomes a link in the help centre, the emails and the storefront, so a value
    that would make a ``javascript:`` or ``data:`` link, or a mailto link with extra headers,
    is refused here, once, rather than escaped differently in each place.
    """
    if kind == "email":
        address = value[len("mailto:") :] if value.lower().startswith("mailto:") else value
        try:
            validate_email(address, check_deliverability=False)
        except EmailNotValidError:
            address = ""
        if not address or "?" in address:
            raise ValueError(
                f"expected an email address such as 'service@shop.example' (or a mailto: URL); "
                f"{_LINK_SCHEMES}; got {value!r}"
            )
        return address
    if kind == "phone":
        number = value[len("tel:") :] if value.lower().startswith("tel:") else value
        if not _PHONE.fullmatch(number) or sum(ch.isdigit() for ch in number) < 5:
            raise ValueError(
                f"expected a phone number such as '+31 20 123 4567' (or a tel: URL); "
                f"{_LINK_SCHEMES}; got {value!r}"
            )
        return number
    if not _WEB_URL.fullmatch(value):
        raise ValueError(
            f"expected an http(s) URL such as 'https://shop.example/chat'; {_LINK_SCHEMES}; "
            f"got {value!r}"
        )
    return value


class ContactChannel(_Model):
    """One way to reach the shop. `value` is the address, number or chat URL (an http(s) URL;
    `javascript:` and other schemes are refused, see `_contact_value`); `hours` maps weekdays
    to 'HH:MM-HH:MM' in the warehouse time zone (a weekday left out is closed; no hours at all
    means the channel takes messages any time)."""

    kind: Literal["email", "phone", "chat"]
    value: Text
    label: str | None = None
    hours: dict[Weekday, Annotated[OpeningHours, BeforeValidator(_opening_hours)]] = {}
    response_hours: Annotated[int, Field(ge=1, le=720)] | None = None

    @field_validator("value")
    @classmethod
    def _value_is_a_safe_link(cls, value: str, info: ValidationInfo) -> str:
        kind = info.data.get("kind")
        return _contact_value(kind, value) if isinstance(kind, str) else value

    @property
    def href(self) -> str:
        """The link to this channel: ``mailto:``, ``tel:`` (digits and +) or the http(s) URL."""
        if self.kind == "email":
            return f"mailto:{self.value}"
        if self.kind == "phone":
            return "tel:" + "".join(ch for ch in self.value if ch.isdigit() or ch == "+")
        return self.value


# --- the policy --------------------------------------------------------------------------------


class Policy(_Model):
    """A shop's whole promise. Load it with `defenceline.load_policy(path)`."""

    shop: Shop
    vat: Vat
    warehouse: Warehouse
    shipping: Shipping
    returns: Returns
    payment_methods: Annotated[list[PaymentMethod], Field(min_length=1)]
    contact: Annotated[list[ContactChannel], Field(min_length=1)]
    low_stock_threshold: Annotated[int, Field(ge=0)] = 5
    # The checker's configuration (rules, selectors); validated by `defenceline.checks`.
    checks: dict[str, Any] = {}

    def zone_for(self, country: str) -> Zone | None:
        """The shipping zone for `country`, or None when the shop does not ship there."""
        return self.shipping.zone_for(country)

    def payment_method(self, name: str) -> PaymentMethod | None:
        """The payment method called `name` (case-insensitive), or None."""
        return _named(self.payment_methods, name)

    @property
    def return_countries(self) -> list[str]:
        return list(self.returns.countries) or self.shipping.countries


@dataclass(frozen=True)
class PolicyProblem:
    """A rule broken across fields: where (a field path as a tuple), what, and the value."""

    loc: tuple[str | int, ...]
    message: str
    given: object = None


def _overlapping_zones(zones: list[tuple[str, list[str]]]) -> list[PolicyProblem]:
    """A country in more than one zone, reported where it appears the second time."""
    problems: list[PolicyProblem] = []
    seen: dict[str, int] = {}
    for z, (_name, countries) in enumerate(zones):
        for c, country in enumerate(countries):
            if country in seen and seen[country] != z:
                first = zones[seen[country]][0]
                problems.append(
                    PolicyProblem(
                        ("shipping", "zones", z, "countries", c),
                        f"{country} is already in zone {seen[country]} ({first!r}); "
                        "expected each country in one zone only",
                        country,
                    )
                )
            seen.setdefault(country, z)
    return problems


def _short_withdrawal(shop_country: str, window_days: int) -> list[PolicyProblem]:
    if shop_country in EU_EEA_COUNTRIES and window_days < 14:
        return [
            PolicyProblem(
                ("returns", "window_days"),
                f"a shop established in the EU/EEA ({shop_country}) must give at least "
                f"14 days to withdraw; got {window_days}",
                window_days,
            )
        ]
    return []


def raw_policy_problems(data: Mapping[str, Any]) -> list[PolicyProblem]:
    """The most important cross-field rules, read from unvalidated TOML data.

    Used when the file also has field errors, so that a shop owner sees overlapping zones and
    a too-short return window in the same run instead of one round of fixes later. Values of
    the wrong type are skipped here: the field errors already report them.
    """
    problems: list[PolicyProblem] = []
    shipping = data.get("shipping")
    zones = shipping.get("zones") if isinstance(shipping, Mapping) else None
    if isinstance(zones, list):
        readable = [
            (
                str(zone.get("name", "")),
                [c for c in zone.get("countries", []) if isinstance(c, str)],
            )
            for zone in zones
            if isinstance(zone, Mapping) and isinstance(zone.get("countries", []), list)
        ]
        if len(readable) == len(zones):
            problems += _overlapping_zones(readable)
    shop, returns = data.get("shop"), data.get("returns")
    if isinstance(shop, Mapping) and isinstance(returns, Mapping):
        country, window = shop.get("country"), returns.get("window_days")
        if isinstance(country, str) and isinstance(window, int) and not isinstance(window, bool):
            problems += _short_withdrawal(country, window)
    return problems


def policy_problems(policy: Policy) -> list[PolicyProblem]:
    """Rules that span fields, each reported at the field a shop owner has to change."""
    problems = _overlapping_zones([(z.name, list(z.countries)) for z in policy.shipping.zones])
    problems += _short_withdrawal(policy.shop.country, policy.returns.window_days)

    for c, country in enumerate(policy.returns.countries):
        if policy.zone_for(country) is None:
            problems.append(
                PolicyProblem(
                    ("returns", "countries", c),
                    f"{country} is not in any shipping zone; expected a country the shop ships to",
                    country,
                )
            )

    if policy.vat.at_checkout and policy.shop.prices_include_vat:
        problems.append(
            PolicyProblem(
                ("shop", "prices_include_vat"),
                "taxes are computed at checkout (vat.at_checkout), so shown prices cannot "
                "include them; expected prices_include_vat = false",
                True,
            )
        )

    for country in policy.vat.countries:
        if policy.zone_for(country) is None:
            problems.append(
                PolicyProblem(
                    ("vat", "countries", country),
                    f"VAT rates for {country}, which is in no shipping zone",
                    country,
                )
            )

    names: dict[str, int] = {}
    for i, method in enumerate(policy.payment_methods):
        key = method.name.casefold()
        if key in names:
            problems.append(
                PolicyProblem(
                    ("payment_methods", i, "name"),
                    f"payment method {method.name!r} is listed twice",
                    method.name,
                )
            )
        names.setdefault(key, i)

    # A shipment names its carrier in any letter case; two entries of one name would make its
    # tracking link depend on their order in the file.
    carriers: set[str] = set()
    for i, carrier in enumerate(policy.shipping.carriers):
        if carrier.name.casefold() in carriers:
            problems.append(
                PolicyProblem(
                    ("shipping", "carriers", i, "name"),
                    f"carrier {carrier.name!r} is listed twice in [[shipping.carriers]]",
                    carrier.name,
                )
            )
        carriers.add(carrier.name.casefold())

    unit = minor_unit(policy.shop.currency)
    for loc, amount in _money_fields(policy):
        if amount != amount.quantize(unit) and "max_weight" not in loc:
            problems.append(
                PolicyProblem(
                    loc,
                    f"{amount} has more decimals than {policy.shop.currency} has "
                    f"(smallest unit {unit})",
                    str(amount),
                )
            )
    return problems


def _money_fields(policy: Policy) -> list[tuple[tuple[str | int, ...], Decimal]]:
    found: list[tuple[tuple[str | int, ...], Decimal]] = []
    for z, zone in enumerate(policy.shipping.zones):
        base: tuple[str | int, ...] = ("shipping", "zones", z)
        if zone.rate is not None:
            found.append(((*base, "rate"), zone.rate))
        if zone.free_shipping_from is not None:
            found.append(((*base, "free_shipping_from"), zone.free_shipping_from))
        for t, tier in enumerate(zone.tiers):
            found.append(((*base, "tiers", t, "rate"), tier.rate))
            if tier.max_value is not None:
                found.append(((*base, "tiers", t, "max_value"), tier.max_value))
        for e, option in enumerate(zone.express):
            found.append(((*base, "express", e, "rate"), option.rate))
    found.append((("returns", "cost"), policy.returns.cost))
    for p, method in enumerate(policy.payment_methods):
        found.append((("payment_methods", p, "surcharge"), method.surcharge))
    return found
