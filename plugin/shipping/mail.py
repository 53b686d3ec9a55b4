"""Composing the shipping messages: what each one says, in the shopper's language, as the
complete MIME message the outbox stores.

Each message is rendered from ``templates/defenceline/email/shipping_<type>.txt`` and
``.html`` by the emails' own `render_email` (a shop overrides any template by the same path
in its app), sent from the shop's own sender (`DEFENCELINE_MAIL_FROM`, else the shop's name
at its domain), with replies to the shop's email contact. The HTML part carries schema.org
``ParcelDelivery`` markup (the carrier, tracking number and link, the expected window, the
items and the order's status), written by the core's one JSON-in-script escaper, so mail
clients that read it show the same facts as the text.

The "delivered" message adds the help-centre articles that belong to what was delivered: the
help-centre build writes ``product-articles.json`` (`defenceline.helpcentre.productarticles`),
found here through ``DEFENCELINE_PRODUCT_ARTICLES``; articles of the item's SKU or product id
come first, then those of its category, at most `MAX_ARTICLES`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from sqlalchemy.orm import Session

from defenceline.plugin.catalogue import Product
from defenceline.plugin.emails.consent import Purpose, address_hash
from defenceline.plugin.emails.messages import (
    email_columns,
    email_locale,
    mail_domain,
    public_base,
    unsubscribe_link,
)
from defenceline.plugin.shipping.carriers import tracking_link
from defenceline.plugin.shipping.records import OrderRow, ShipmentRow
from defenceline.plugin.state import DefenceLineState
from defenceline.plugin.widgets.messages import format_day
from defenceline.structured_data import jsonld_script

__all__ = [
    "MAX_ARTICLES",
    "MESSAGE_TYPES",
    "ArticleIndexError",
    "MessageType",
    "articles_for",
    "compose_notice",
    "notice_message_id",
    "read_article_index",
]

log = logging.getLogger("defenceline.shipping")

MAX_ARTICLES = 3


@dataclass(frozen=True)
class MessageType:
    """One kind of shipping message: its setting name, outbox kind and template.

    `optional` messages stop after the shopper follows the unsubscribe link; the others are
    service messages about an order the shopper placed (no consent needed). `order_status`
    is schema.org's ``OrderStatus`` the markup reports.
    """

    name: str
    optional: bool
    order_status: str

    @property
    def kind(self) -> str:
        return f"shipping_{self.name}"


MESSAGE_TYPES: dict[str, MessageType] = {
    t.name: t
    for t in (
        MessageType("dispatched", False, "OrderInTransit"),
        MessageType("delay", False, "OrderProblem"),
        MessageType("out_for_delivery", True, "OrderInTransit"),
        MessageType("delivered", False, "OrderDelivered"),
        MessageType("return_received", False, "OrderReturned"),
        MessageType("refunded", False, "OrderReturned"),
    )
}


def notice_message_id(shipment_id: str, kind: str, key: str, domain: str) -> str:
    """The Message-ID of the one message of `kind` about `shipment_id` (and `key`: a delay's
    expected date, an out-for-delivery day). Fixed by what the message is about, so the
    outbox's unique Message-ID refuses a second row for the same event, whichever app server
    or sender writes it; a digest, so the shipment id is not spelled out in headers."""
    digest = hashlib.sha256(f"{shipment_id}\x1f{kind}\x1f{key}".encode()).hexdigest()[:40]
    return f"<shipping.{digest}@{domain}>"


# --- the help-centre articles ------------------------------------------------------------------


class ArticleIndexError(ValueError):
    """``product-articles.json`` cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class ArticleIndex:
    site_url: str | None
    articles: dict[str, dict[str, str]]
    products: dict[str, list[str]]
    categories: dict[str, list[str]]


def read_article_index(path: str) -> ArticleIndex:
    """The index at `path`, re-read when the file changes (a new help-centre build)."""
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError as exc:
        raise ArticleIndexError(
            f"DEFENCELINE_PRODUCT_ARTICLES {path}: cannot be read ({exc.strerror}); expected "
            "the product-articles.json a help-centre build writes at its site's root"
        ) from None
    return _read_index(path, stamp)


@lru_cache(maxsize=4)
def _read_index(path: str, stamp: int) -> ArticleIndex:
    where = f"DEFENCELINE_PRODUCT_ARTICLES {path}"
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArticleIndexError(f"{where}: is not a JSON file ({exc})") from None
    if not isinstance(data, dict) or data.get("version") != 1:
        raise ArticleIndexError(f"{where}: expected a help-centre article index of version 1")
    articles = data.get("articles")
    products = data.get("products")
    categories = data.get("categories")
    site_url = data.get("site_url")
    shapes = (
        isinstance(articles, dict)
        and all(isinstance(a, dict) and isinstance(a.get("url"), str) for a in articles.values())
        and isinstance(products, dict)
        and isinstance(categories, dict)
        and all(isinstance(v, list) for v in (*products.values(), *categories.values()))
        and (site_url is None or isinstance(site_url, str))
    )
    if not shapes:
        raise ArticleIndexError(
            f"{where}: expected {{'articles': {{src: {{'title', 'url'}}}}, 'products': "
            "{sku: [src]}, 'categories': {category: [src]}, 'site_url'}"
        )
    assert isinstance(articles, dict) and isinstance(products, dict)
    assert isinstance(categories, dict)
    return ArticleIndex(site_url, articles, products, categories)


def articles_for(index: ArticleIndex, products: list[Product]) -> list[dict[str, str]]:
    """The articles for `products`: by SKU or product id first, then by category; each once,
    at most `MAX_ARTICLES`, with absolute links (none without the site's address)."""
    if not index.site_url:
        return []
    sources: list[str] = []
    for lookup, keys in (
        (index.products, [k for p in products for k in (p.sku, p.product_id) if k]),
        (index.categories, [p.category for p in products if p.category]),
    ):
        for key in keys:
            for src in lookup.get(key, []):
                if src in index.articles and src not in sources:
                    sources.append(src)
    found = []
    site = urlsplit(index.site_url)
    for src in sources:
        article = index.articles[src]
        url = urljoin(index.site_url, article["url"])
        # Only pages of the help centre itself: an absolute address in the index
        # ("javascript:...", another site) would otherwise become a link in the shop's email.
        target = urlsplit(url)
        if target.scheme not in {"http", "https"} or target.netloc != site.netloc:
            continue
        found.append(
            {
                "title": str(article.get("title") or src),
                "url": url,
                "description": str(article.get("description") or ""),
            }
        )
    return found[:MAX_ARTICLES]


def _articles(st: DefenceLineState, products: list[Product]) -> list[dict[str, str]]:
    path = st.email.product_articles
    if not path:
        return []
    try:
        return articles_for(read_article_index(path), products)
    except ArticleIndexError as exc:
        # The delivered message still goes, without articles; the log says how to fix it.
        log.error("%s", exc)
        return []


# --- composing ---------------------------------------------------------------------------------


def _isolate(value: str) -> str:
    """A name or date inside a sentence, isolated for the bidi algorithm (harmless in
    left-to-right text, needed in Hebrew)."""
    return f"\u2068{value}\u2069"


def _items(
    st: DefenceLineState, order: OrderRow, shipment: ShipmentRow
) -> tuple[list[dict[str, Any]], list[Product]]:
    lines = shipment.lines if shipment.lines is not None else order.lines
    skus = [str(line["sku"]) for line in lines or []]
    products = st.catalogue.get_many(skus) if skus else {}
    items = []
    for line in lines or []:
        product = products.get(str(line["sku"]))
        items.append(
            {
                "sku": str(line["sku"]),
                "name": product.name if product is not None else str(line["sku"]),
                "attributes": dict(product.attributes) if product is not None else {},
                "quantity": int(line.get("quantity", 1)),
            }
        )
    return items, [products[s] for s in dict.fromkeys(skus) if s in products]


def _jsonld(
    st: DefenceLineState,
    order: OrderRow,
    shipment: ShipmentRow,
    message_type: MessageType,
    items: list[dict[str, Any]],
    tracking_url: str | None,
    expected: dt.date | None,
) -> dict[str, Any]:
    """schema.org ``ParcelDelivery`` for the message (the facts the text states)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ParcelDelivery",
        "carrier": {"@type": "Organization", "name": shipment.carrier},
        "itemShipped": [
            {"@type": "Product", "name": item["name"], "sku": item["sku"]} for item in items
        ],
        "partOfOrder": {
            "@type": "Order",
            "orderNumber": order.order_id,
            "merchant": {"@type": "Organization", "name": st.policy.shop.name},
            "orderStatus": f"https://schema.org/{message_type.order_status}",
        },
    }
    if shipment.tracking_number:
        data["trackingNumber"] = shipment.tracking_number
    if tracking_url:
        data["trackingUrl"] = tracking_url
    earliest = expected or order.promise_earliest
    latest = expected or order.promise_latest
    if message_type.name in {"dispatched", "delay", "out_for_delivery"} and latest is not None:
        data["expectedArrivalFrom"] = (earliest or latest).isoformat()
        data["expectedArrivalUntil"] = latest.isoformat()
    if shipment.delivered_at is not None:
        data["deliveryStatus"] = {
            "@type": "DeliveryEvent",
            "availableFrom": shipment.delivered_at.isoformat(),
        }
    return data


def _window(order: OrderRow, locale: str) -> dict[str, str] | None:
    if order.promise_latest is None:
        return None
    earliest = order.promise_earliest or order.promise_latest
    return {
        "start": format_day(earliest, locale),
        "end": format_day(order.promise_latest, locale),
        "one_day": "yes" if earliest == order.promise_latest else "",
    }


def compose_notice(
    st: DefenceLineState,
    session: Session,
    order: OrderRow,
    shipment: ShipmentRow,
    message_type: MessageType,
    *,
    key: str,
    expected: dt.date | None,
    moment: dt.datetime,
    local_day: dt.date,
    optional_allowed: bool,
    now: dt.datetime,
    due_at: dt.datetime,
) -> dict[str, Any]:
    """The outbox row (every column) for one message; `moment` is when the event happened,
    `local_day` its day for the shopper, `expected` a delay's new expected date. The review
    request and the unsubscribe link appear only while optional content may be sent."""
    policy = st.policy
    locale = email_locale(st, order.locale)
    items, products = _items(st, order, shipment)
    tracking_url = tracking_link(policy, shipment.carrier, shipment.tracking_number, order.postcode)
    review_url = None
    if message_type.name == "delivered" and optional_allowed and st.email.shipping_review_url:
        review_url = st.email.shipping_review_url.replace("{order_id}", order.order_id)
    articles = _articles(st, products) if message_type.name == "delivered" else []
    recipient = order.email or ""
    unsubscribe = None
    if optional_allowed and (message_type.optional or review_url):
        unsubscribe = unsubscribe_link(
            st, session, now, Purpose.SHIPPING_OPTIONAL, address_hash(recipient)
        )
    context = {
        "shop": policy.shop,
        "shop_url": public_base(st),
        "name": order.name,
        "order_id": order.order_id,
        "items": items,
        "carrier": shipment.carrier,
        "tracking_number": shipment.tracking_number,
        "tracking_url": tracking_url,
        "window": _window(order, locale),
        # The parcel (items, tracking) in messages about its journey; the promised window
        # where it is news (dispatched; a delay states the missed day itself).
        "show_parcel": message_type.name not in {"return_received", "refunded"},
        "show_window": message_type.name == "dispatched",
        "day": format_day(local_day, locale),
        "expected": format_day(expected, locale) if expected is not None else None,
        "articles": articles,
        "review_url": review_url,
        "unsubscribe_url": unsubscribe[0] if unsubscribe else None,
        "isolate": _isolate,
        "jsonld": jsonld_script(
            _jsonld(st, order, shipment, message_type, items, tracking_url, expected)
        ),
    }
    message_id = notice_message_id(
        shipment.shipment_id, message_type.kind, key, mail_domain(policy)
    )
    email = email_columns(
        st,
        message_type.kind,
        locale,
        context,
        recipient=recipient,
        message_id=message_id,
        now=now,
        unsubscribe=unsubscribe,
    )
    return {
        **email,
        "purpose": (Purpose.SHIPPING_OPTIONAL if message_type.optional else Purpose.SHIPPING).value,
        "address_hash": address_hash(recipient),
        "snapshot": {
            "shipment_id": shipment.shipment_id,
            "order_id": order.order_id,
            "key": key,
            "event_at": moment.isoformat(),
            "expected_delivery": expected.isoformat() if expected is not None else None,
            "review_request": review_url is not None,
            "articles": [a["url"] for a in articles],
        },
        "due_at": due_at,
        "created_at": now,
    }
