"""The facts of one page as the rules and the report see them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bs4 import Tag

from defenceline.checks.facts.provenance import Provenance
from defenceline.money import round_money

__all__ = ["DeclaredProduct", "Facts", "Found", "ProductImage"]


@dataclass(frozen=True, slots=True)
class Found:
    """A fact read from the page, with the element that shows it and the source kind
    ("page", "selector", "buy-button"; see `provenance`)."""

    value: Any
    element: Tag
    text: str
    source: str
    in_chrome: bool = False


@dataclass(slots=True)
class DeclaredProduct:
    """What the shop declares for machines about the page's product — in its structured data
    (`source` is the syntax) or its platform's page state (`source` is the platform) — and the
    element it was read from."""

    source: str
    element: Tag | None = None
    name: str | None = None
    price: Decimal | None = None
    prices: list[Decimal] = field(default_factory=list)
    currency: str | None = None
    availability: str | None = None
    image_count: int = 0
    # The shop's own currency setting (Shopify.currency, prestashop.currency...).
    shop_currency: str | None = None

    def add_price(self, value: Decimal | None) -> None:
        """Record one of the product's prices; the first becomes its price."""
        if value is not None and value > 0:
            if self.price is None:
                self.price = value
            if value not in self.prices:
                self.prices.append(value)


@dataclass(frozen=True, slots=True)
class ProductImage:
    """One product photo: its element, source URL, alt text and largest known size (px)."""

    element: Tag
    src: str
    alt: str | None
    size: int | None


@dataclass(slots=True)
class Facts:
    """The facts of one page; `to_dict` gives the report's `facts` object."""

    name: str | None = None
    price: Decimal | None = None
    currency: str | None = None
    availability: str | None = None
    delivery_text: str | None = None
    shipping_text: str | None = None
    return_days: int | None = None
    image_count: int = 0
    sources: dict[str, str] = field(default_factory=dict)
    provenance: dict[str, Provenance] = field(default_factory=dict)
    # Evidence for the rules (not part of the report).
    visible_price: Found | None = None
    # The currency symbol or code written next to the visible price ("$", "€", "CHF").
    visible_symbol: str = ""
    visible_stock: Found | None = None
    delivery: Found | None = None
    shipping: Found | None = None
    shipping_all: list[Found] = field(default_factory=list)
    returns: Found | None = None
    images: list[ProductImage] = field(default_factory=list)
    # What the shop declares for machines, each as read: its structured data (`markup.source`
    # is the syntax) and its platform's page state (`platform.source` is the platform, the
    # report's `platform`). Where the page declares nothing, an empty record whose source is "".
    markup: DeclaredProduct = field(default_factory=lambda: DeclaredProduct(""))
    platform: DeclaredProduct = field(default_factory=lambda: DeclaredProduct(""))
    # The shop's own currency setting (Shopify.currency, prestashop.currency...).
    shop_currency: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "price": _decimal_text(self.price, self.currency),
            "currency": self.currency,
            "availability": self.availability,
            "delivery_text": self.delivery_text,
            "shipping_text": self.shipping_text,
            "return_days": self.return_days,
            "image_count": self.image_count,
            "sources": dict(self.sources),
            "provenance": {key: value.to_dict() for key, value in self.provenance.items()},
            "platform": self.platform.source or None,
        }

    def note(self, key: str, provenance: Provenance) -> None:
        """Record where fact `key` was read (its source name also goes to `sources`)."""
        self.provenance[key] = provenance
        self.sources[key] = provenance.source


def _decimal_text(value: Decimal | None, currency: str | None) -> str | None:
    """The price as a decimal string, with the currency's minor unit ('5.00', '1299.95')."""
    if value is None:
        return None
    if currency:
        try:
            return format(round_money(value, currency), "f")
        except Exception:  # an unknown currency code: keep the number as read
            pass
    return format(value, "f")
