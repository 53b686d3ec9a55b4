"""Rules for product pages: the outer flank of the defence line.

Most avoidable questions start on a product page: photos that mislead, missing sizes or
materials, a price without shipping, no delivery time, stock that turns out to be gone after
checkout, a return policy nobody can find. Each rule below checks one of those, on the visible
page first and in the structured data search engines read.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from bs4 import Tag

from defenceline.checks import lexicon
from defenceline.checks.amounts import find_amounts
from defenceline.checks.facts import (
    compatible_availability,
    main_product,
    markup_number,
    markup_offers,
    normalise_availability,
    states_cost,
)
from defenceline.checks.page import Block
from defenceline.checks.registry import Context, Hit, Rule, register
from defenceline.checks.shipping_claims import shipping_amounts
from defenceline.checks.structured import first_value, types_of
from defenceline.regions import is_currency

__all__: list[str] = []

_MEANINGLESS_ALT = re.compile(
    r"^(?:image|img|photo|foto|picture|pic|afbeelding|bild|immagine|imagen|product|"
    r"product ?(?:image|photo|foto)|productafbeelding|productfoto|produktbild|image produit|"
    r"immagine prodotto|imagen (?:del )?producto|untitled|thumbnail|thumb|banner|\d+|"
    r"[\w-]+\.(?:jpe?g|png|webp|gif|avif))$",
    re.IGNORECASE,
)
_BREADCRUMB_LABEL = re.compile(
    r"breadcrumb|kruimel|brotkr[üu]m|fil d'ariane|ariane|briciol|migas|miga|crumbs", re.I
)
_TERMS_HREF = re.compile(
    r"terms|voorwaarden|agb|cgv|conditions|condiciones|termini|condizioni|legal", re.I
)
_CONTACT_HREF = re.compile(
    r"^(?:mailto:|tel:|https?://(?:wa\.me|api\.whatsapp\.com|m\.me))|contact|klantenservice|"
    r"kontakt|contatt|contacto|customer-?service|kundenservice|service-client|support|help",
    re.I,
)
_CHAT_SCRIPT = re.compile(
    r"intercom|zendesk|zopim|tawk\.to|livechat|crisp\.chat|trengo|freshchat|drift|tidio|"
    r"hs-scripts|olark|userlike|gorgias|chatwoot|smartsupp|reamaze|helpscout|liveperson",
    re.I,
)
_RETURNS_HREF = re.compile(
    r"retour|return|r[üu]ckgabe|ruecksendung|widerruf|retours|remboursement|reso|resi|"
    r"devoluci|refund",
    re.I,
)
_RATING_TRIGGERS = frozenset({"5"})  # "4,6 van 5", "4.8/5": the word "5" is always there
_REVIEW_CLASS = re.compile(
    r"review|rating|beoordeling|bewertung|avis|recension|rese[ñn]a|stars", re.I
)


def _first_visible(ctx: Context, *names: str) -> Tag | None:
    for tag in ctx.page.elements(*names):
        if not ctx.page.is_hidden(tag):
            return tag
    return None


def _heading(ctx: Context) -> Tag | None:
    return ctx.page.main_heading or ctx.page.buy_button


@register
class ProductImages(Rule):
    id = "product-images"
    severity = "warning"
    page_types = ("product",)
    summary = "The product shows enough photos, large enough, each with meaningful alt text."
    why = (
        "Shoppers cannot hold the product: photos from several angles, large enough to see "
        "colour and texture, prevent 'it looked different' returns. Alt text describes the photo "
        "to shoppers using a screen reader and when images fail to load."
    )
    failing = (
        '<h1>Fietstas Urban</h1><img src="/img/urban.jpg" alt="IMG_2041.jpg" width="300">'
        "<p>€ 49,95</p><button>In winkelwagen</button>"
    )
    passing = (
        '<div class="gallery"><img src="/img/urban-side.jpg" alt="Fietstas Urban, zijkant, '
        'zwart" width="1200"><img src="/img/urban-open.jpg" alt="Fietstas Urban open, met '
        'laptopvak" width="1200"><img src="/img/urban-bike.jpg" alt="Fietstas Urban aan een '
        'bagagedrager" width="1200"></div><h1>Fietstas Urban</h1><p>€ 49,95</p>'
        "<button>In winkelwagen</button>"
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        facts, config = ctx.facts, ctx.config
        images = facts.images
        if facts.image_count < config.min_images:
            yield Hit(
                f"the page shows {facts.image_count} product photo"
                f"{'' if facts.image_count == 1 else 's'}; at least {config.min_images} expected "
                "(several angles, in use, details)",
                images[0].element if images else _heading(ctx),
            )
        for image in images:
            vector = image.src.lower().split("?")[0].endswith(".svg")
            if image.size is not None and image.size < config.min_image_px and not vector:
                yield Hit(
                    f"photo is at most {image.size}px on its longest side; offer at least "
                    f"{config.min_image_px}px (srcset or a zoom image) so colour and texture show",
                    image.element,
                )
            alt = (image.alt or "").strip()
            if not alt:
                yield Hit("photo has no alt text describing it", image.element)
            elif len(alt) < 3 or _MEANINGLESS_ALT.match(alt):
                yield Hit(f"alt text {alt!r} says nothing about the photo", image.element)


def _has_spec(ctx: Context, key: str) -> bool:
    """Whether the page content (not the site chrome) names specification `key`."""
    page = ctx.page
    patterns = [lexicon.SPEC_KEYS[key]]
    if key in lexicon.SPEC_NUMBERS:
        patterns.append(lexicon.SPEC_NUMBERS[key])
    return any(
        not page.in_chrome(page.element_at(block.start + 1))
        for pattern in patterns
        for block in page.blocks_matching(pattern, 600)
    )


def _category(ctx: Context) -> str | None:
    chosen = main_product(ctx.page)
    if chosen is not None:
        category = first_value(chosen[0], "category")
        if isinstance(category, str) and category.strip():
            return category.strip()
        if isinstance(category, dict):
            name = first_value(category, "name")
            if isinstance(name, str):
                return name
    product_name = (ctx.facts.name or "").strip().lower()
    heading = ctx.page.text_of(ctx.page.main_heading).lower() if ctx.page.main_heading else ""
    for crumbs in ctx.page.structured.of_type("BreadcrumbList"):
        items = crumbs.get("itemListElement")
        if not isinstance(items, list) or len(items) < 2:
            continue
        names = []
        for item in items:
            if isinstance(item, dict):
                name = first_value(item, "name") or first_value(item.get("item"), "name")
                names.append(str(name).strip() if name else "")
        last = names[-1].lower()
        # The last crumb is the product itself on most shops; then the category is before it.
        if last and (last == product_name or last in heading or heading in last):
            return names[-2] or None
        return names[-1] or None
    return None


@register
class ProductSpecs(Rule):
    id = "product-specs"
    severity = "warning"
    page_types = ("product",)
    summary = (
        "The product lists the specifications its category needs (size, weight, material, colour)."
    )
    why = (
        "'Will it fit?', 'what is it made of?' and 'which blue is it?' are questions the page "
        "should answer before the shopper asks customer service — or returns the product. Which "
        "keys a category needs is configurable per category in [checks.required_specs]."
    )
    failing = (
        "<h1>Fietstas Urban</h1><p>€ 49,95</p><p>Een mooie tas voor elke dag.</p>"
        "<button>In winkelwagen</button>"
    )
    passing = (
        "<h1>Fietstas Urban</h1><p>€ 49,95</p><button>In winkelwagen</button>"
        "<dl><dt>Afmetingen</dt><dd>40 x 30 x 15 cm</dd><dt>Materiaal</dt>"
        "<dd>Gerecycled polyester</dd><dt>Gewicht</dt><dd>1,2 kg</dd><dt>Kleur</dt>"
        "<dd>Zwart</dd></dl>"
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        category = _category(ctx)
        required = ctx.config.required_for(category)
        if not required:
            return
        product = main_product(ctx.page)
        markup_keys: set[str] = set()
        if product is not None:
            node = product[0]
            if first_value(node, "width", "height", "depth", "size"):
                markup_keys.add("dimensions")
            if first_value(node, "weight"):
                markup_keys.add("weight")
            if first_value(node, "material"):
                markup_keys.add("material")
            if first_value(node, "color"):
                markup_keys.add("colour")
        missing = [key for key in required if key not in markup_keys and not _has_spec(ctx, key)]
        if missing:
            where = f" for category {category!r}" if category else ""
            yield Hit(
                f"no {', '.join(missing)} found on the page{where}; state them in the "
                "description or a specification table",
                _heading(ctx),
            )


@register
class PriceVisible(Rule):
    id = "price-visible"
    severity = "error"
    page_types = ("product",)
    summary = "The price is visible on the page, not only in markup or after adding to cart."
    why = (
        "The price is the first thing a shopper checks against their budget; a price that "
        "appears only after a click, or only to search engines, sends shoppers away or to "
        "customer service."
    )
    failing = "<h1>Fietstas Urban</h1><p>Prijs op aanvraag</p><button>In winkelwagen</button>"
    passing = '<h1>Fietstas Urban</h1><p class="price">€ 49,95</p><button>In winkelwagen</button>'

    def check(self, ctx: Context) -> Iterator[Hit]:
        if ctx.facts.visible_price is not None:
            return
        extra = ""
        if ctx.facts.markup_price is not None:
            extra = f" (the structured data says {ctx.facts.markup_price}, the shopper sees none)"
        yield Hit(f"no price is visible near the buy button{extra}", _heading(ctx))


@register
class ShippingCostVisible(Rule):
    id = "shipping-cost-visible"
    severity = "error"
    page_types = ("product",)
    summary = "The shipping cost (or that shipping is free) is stated on the product page itself."
    why = (
        "Unexpected costs at checkout are the most common reason shoppers abandon their cart. "
        "A site-wide banner is easy to overlook and often only tells half the story (free "
        "from a threshold, but what below it?), so the product page should state it."
    )
    failing = (
        '<header class="site-header"><p>Gratis verzending vanaf € 50</p></header><main>'
        "<h1>Fietstas Urban</h1><p>€ 49,95</p><button>In winkelwagen</button></main>"
    )
    passing = (
        "<h1>Fietstas Urban</h1><p>€ 49,95</p><button>In winkelwagen</button>"
        "<p>Verzendkosten € 4,95, gratis vanaf € 50</p>"
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        found = ctx.facts.shipping_all
        on_page = [f for f in found if not f.in_chrome and states_cost(f.text)]
        if on_page:
            return
        later = next(
            (f for f in found if not f.in_chrome and lexicon.SHIPPING_LATER.search(f.text)), None
        )
        if later is not None:
            yield Hit(
                "the shipping cost is only revealed at checkout",
                later.element,
                snippet=later.text,
            )
            return
        in_banner = [f for f in found if f.in_chrome and states_cost(f.text)]
        if in_banner:
            yield Hit(
                "the shipping cost appears only in a site-wide banner; state it on the product "
                "page near the price",
                in_banner[0].element,
                snippet=in_banner[0].text,
                severity="warning",
            )
            return
        yield Hit("no shipping cost is stated on the page", ctx.page.buy_button or _heading(ctx))


@register
class DeliveryTimeVisible(Rule):
    id = "delivery-time-visible"
    severity = "error"
    page_types = ("product",)
    summary = "The page says when the order arrives (a delivery time or date)."
    why = (
        "'Where is my order?' is the most asked customer-service question. A clear delivery "
        "time on the product page sets the expectation before the order, not after."
    )
    failing = "<h1>Fietstas Urban</h1><p>€ 49,95</p><button>In winkelwagen</button>"
    passing = (
        "<h1>Fietstas Urban</h1><p>€ 49,95</p><button>In winkelwagen</button>"
        "<p>Voor 16:00 besteld, morgen in huis</p>"
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        delivery = ctx.facts.delivery
        stock = ctx.facts.visible_stock
        if delivery is None and stock is not None and stock.value in ("OutOfStock", "SoldOut"):
            yield Hit(
                "the product is out of stock and no delivery time is given; state an expected "
                "restock or delivery date if there is one",
                stock.element,
                severity="info",
            )
        elif delivery is None:
            yield Hit(
                "no delivery time is stated on the page", ctx.page.buy_button or _heading(ctx)
            )
        elif delivery.in_chrome:
            yield Hit(
                "the delivery time appears only in a site-wide banner; state it for this product",
                delivery.element,
                snippet=delivery.text,
                severity="warning",
            )


@register
class StockVisible(Rule):
    id = "stock-visible"
    severity = "error"
    page_types = ("product",)
    summary = "The page shows whether the product is in stock before checkout."
    why = (
        "Finding out after paying that the product is not in stock makes shoppers unhappy and "
        "creates cancellations and questions. Say it on the page: in stock, a restock date, or "
        "available to pre-order."
    )
    failing = "<h1>Fietstas Urban</h1><p>€ 49,95</p><button>In winkelwagen</button>"
    passing = (
        '<h1>Fietstas Urban</h1><p>€ 49,95</p><p class="stock">Op voorraad</p>'
        "<button>In winkelwagen</button>"
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        if ctx.facts.visible_stock is not None:
            return
        extra = ""
        if ctx.facts.markup_availability:
            extra = f" (the structured data says {ctx.facts.markup_availability})"
        yield Hit(f"the page does not say whether the product is in stock{extra}", _heading(ctx))


@register
class ReturnsVisible(Rule):
    id = "returns-visible"
    severity = "error"
    page_types = ("product",)
    summary = "The return window is stated on the page (a link alone is reported as info)."
    why = (
        "Shoppers buy with more confidence when they can see at a glance how long they have "
        "to return and what it costs; a return policy nobody can find leads to questions and "
        "disputes."
    )
    failing = "<h1>Fietstas Urban</h1><p>€ 49,95</p><button>In winkelwagen</button>"
    passing = (
        "<h1>Fietstas Urban</h1><p>€ 49,95</p><button>In winkelwagen</button>"
        "<p>30 dagen gratis retourneren</p>"
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        if ctx.facts.returns is not None:
            return
        for link in ctx.page.elements("a"):
            href = str(link.get("href") or "")
            text = ctx.page.text_of(link)
            if text and (lexicon.RETURNS_KEYWORD.search(text) or _RETURNS_HREF.search(href)):
                yield Hit(
                    "the return policy is only linked; state the return window on the page",
                    link,
                    severity="info",
                )
                return
        yield Hit("no return policy is stated or linked on the page", _heading(ctx))


def _links_in(ctx: Context, block: Block) -> list[Tag]:
    """The links whose visible text lies in `block`."""
    found: dict[int, Tag] = {}
    for owner in ctx.page.owners_between(block.start, block.end):
        element: Any = owner
        for _ in range(6):
            if not isinstance(element, Tag) or element.name in ("a", "body", "[document]"):
                break
            element = element.parent
        if isinstance(element, Tag) and element.name == "a":
            found.setdefault(id(element), element)
    return list(found.values())


@register
class TermsLink(Rule):
    id = "terms-link"
    severity = "warning"
    page_types = ("product", "cart", "checkout")
    summary = "The page links to the shop's terms and conditions."
    why = (
        "Terms are part of the contract; shoppers (and in the EU, the law) expect them to be "
        "one click away before ordering."
    )
    failing = "<h1>Fietstas Urban</h1><p>€ 49,95</p><button>In winkelwagen</button>"
    passing = (
        "<h1>Fietstas Urban</h1><p>€ 49,95</p><button>In winkelwagen</button>"
        '<footer><a href="/algemene-voorwaarden">Algemene voorwaarden</a></footer>'
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        links = ctx.page.elements("a")
        # The address names the terms on most shops; reading link texts costs more.
        if any(_TERMS_HREF.search(str(link.get("href") or "")) for link in links):
            return
        for _match, block in ctx.page.iter_matches(lexicon.TERMS):
            if any(lexicon.TERMS.search(ctx.page.text_of(link)) for link in _links_in(ctx, block)):
                return
        yield Hit("no link to the terms and conditions", None)


@register
class ReviewsPresent(Rule):
    id = "reviews-present"
    severity = "info"
    page_types = ("product",)
    summary = "The product page shows customer reviews or a rating."
    why = (
        "Reviews answer questions other shoppers already had (fit, quality, colour) and build "
        "trust next to the description."
    )
    failing = "<h1>Fietstas Urban</h1><p>€ 49,95</p><button>In winkelwagen</button>"
    passing = (
        "<h1>Fietstas Urban</h1><p>€ 49,95</p><button>In winkelwagen</button>"
        '<section class="reviews"><h2>Beoordelingen</h2><p>4,6 van 5 (23 reviews)</p></section>'
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        structured = ctx.page.structured
        if structured.of_type("AggregateRating", "Review"):
            return
        page = ctx.page
        found = itertools.chain(
            page.iter_matches(lexicon.REVIEWS),
            page.iter_matches(lexicon.RATING, triggers=_RATING_TRIGGERS),
            (
                (None, block)
                for block in page.blocks
                if any(star in block.text for star in lexicon.RATING_STARS)
            )
            if any(star in page.text for star in lexicon.RATING_STARS)
            else (),
        )
        for _match, block in found:
            if not page.in_chrome(page.element_at(block.start + 1)):
                return
        yield Hit("no customer reviews or rating on the page", _heading(ctx))


@register
class Breadcrumbs(Rule):
    id = "breadcrumbs"
    severity = "warning"
    page_types = ("product",)
    summary = "The page has breadcrumbs, so shoppers can step back without losing their way."
    why = (
        "Breadcrumbs let shoppers move back to the category and compare without losing what "
        "they found; search engines show them too (BreadcrumbList)."
    )
    failing = "<h1>Fietstas Urban</h1><p>€ 49,95</p><button>In winkelwagen</button>"
    passing = (
        '<nav aria-label="Kruimelpad"><a href="/">Home</a> › <a href="/tassen">Tassen</a>'
        " › Fietstas Urban</nav><h1>Fietstas Urban</h1><p>€ 49,95</p>"
        "<button>In winkelwagen</button>"
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        if ctx.page.structured.of_type("BreadcrumbList"):
            return
        for tag in ctx.page.elements("nav", "ol", "ul", "div", "p"):
            label = " ".join(
                str(value) if not isinstance(value, list) else " ".join(value)
                for value in (tag.get("aria-label"), tag.get("class"), tag.get("id"))
                if value
            )
            if label and _BREADCRUMB_LABEL.search(label):
                return
        yield Hit("no breadcrumbs on the page", _heading(ctx))


@register
class ContactChannel(Rule):
    id = "contact-channel"
    severity = "warning"
    page_types = ("product", "cart", "checkout")
    summary = "The page offers a way to ask a question: email, phone, chat or a contact page."
    why = (
        "A shopper with one open question buys when it is answered quickly and leaves when it "
        "is not; a visible contact channel turns a doubt into a sale."
    )
    failing = "<h1>Fietstas Urban</h1><p>€ 49,95</p><button>In winkelwagen</button>"
    passing = (
        "<h1>Fietstas Urban</h1><p>€ 49,95</p><button>In winkelwagen</button>"
        '<p>Vragen? <a href="mailto:service@winkel.example">Mail ons</a></p>'
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        if any(
            _CONTACT_HREF.search(str(link.get("href") or "")) for link in ctx.page.elements("a")
        ):
            return
        for _match, block in ctx.page.iter_matches(lexicon.CONTACT):
            if any(
                lexicon.CONTACT.search(ctx.page.text_of(link)) for link in _links_in(ctx, block)
            ):
                return
        for script in ctx.page.elements("script"):
            source = str(script.get("src") or "") + (script.string or "")[:2000]
            if _CHAT_SCRIPT.search(source):
                return
        yield Hit("no contact channel (email, phone, chat or contact page) on the page", None)


def _valid_currency(value: Any) -> bool:
    return isinstance(value, str) and len(value.strip()) == 3 and is_currency(value.strip())


def _number(value: Any) -> Decimal | None:
    return markup_number(value)


@register
class StructuredDataProduct(Rule):
    id = "structured-data-product"
    severity = "error"
    page_types = ("product",)
    summary = (
        "The page has schema.org Product data with name, image and an offer "
        "(price > 0, ISO 4217 currency, availability)."
    )
    why = (
        "Search engines and shopping surfaces read price and stock from structured data; "
        "Google's merchant listings need name, image, and offers with price and currency. "
        "Broken or incomplete markup means the product is shown without price or not at all."
    )
    failing = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
        '"Product", "name": "Fietstas Urban", "offers": {"@type": "Offer", "price": "0"}}'
        "</script><h1>Fietstas Urban</h1><p>€ 49,95</p><button>In winkelwagen</button>"
    )
    passing = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
        '"Product", "name": "Fietstas Urban", "image": ["https://winkel.example/urban.jpg"], '
        '"offers": {"@type": "Offer", "price": "49.95", "priceCurrency": "EUR", '
        '"availability": "https://schema.org/InStock"}}</script>'
        "<h1>Fietstas Urban</h1><p>€ 49,95</p><button>In winkelwagen</button>"
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        page = ctx.page
        for error in page.structured.errors:
            yield Hit(error.message, error.element, snippet=(error.element.string or "")[:200])
        chosen = main_product(page)
        if chosen is None:
            yield Hit("no schema.org Product in JSON-LD or microdata", None)
            return
        product = chosen[0]
        evidence = self._evidence(ctx, chosen[1])
        if not first_value(product, "name"):
            yield Hit("Product has no name", evidence)
        if not first_value(product, "image"):
            yield Hit("Product has no image", evidence)
        offers = markup_offers(product)
        if not offers:
            if "ProductGroup" in types_of(product):
                return
            yield Hit("Product has no offers (price, currency, availability)", evidence)
            return
        offer = offers[0]
        price = _number(first_value(offer, "price", "lowPrice"))
        if price is None:
            spec = offer.get("priceSpecification")
            spec = spec[0] if isinstance(spec, list) and spec else spec
            price = _number(first_value(spec, "price")) if isinstance(spec, dict) else None
        if price is None:
            yield Hit("Offer has no price", evidence)
        elif price <= 0:
            yield Hit(f"Offer price is {price}; it must be greater than zero", evidence)
        currency = first_value(offer, "priceCurrency")
        if currency is None:
            spec = offer.get("priceSpecification")
            spec = spec[0] if isinstance(spec, list) and spec else spec
            currency = first_value(spec, "priceCurrency") if isinstance(spec, dict) else None
        if currency is None:
            yield Hit("Offer has no priceCurrency", evidence)
        elif not _valid_currency(currency):
            yield Hit(f"priceCurrency {currency!r} is not an ISO 4217 code such as EUR", evidence)
        availability = first_value(offer, "availability")
        if availability is None:
            yield Hit("Offer has no availability", evidence, severity="warning")
        elif normalise_availability(availability) is None:
            yield Hit(
                f"availability {availability!r} is not a schema.org ItemAvailability term "
                "(e.g. https://schema.org/InStock)",
                evidence,
                severity="warning",
            )

    @staticmethod
    def _evidence(ctx: Context, source: str) -> Tag | None:
        if source == "microdata":
            return ctx.page.item_scopes[0] if ctx.page.item_scopes else None
        for script in ctx.page.elements("script"):
            if str(script.get("type", "")).lower() == "application/ld+json" and "Product" in (
                script.string or ""
            ):
                return script
        return None


def _offers(ctx: Context) -> list[dict[str, Any]]:
    chosen = main_product(ctx.page)
    return markup_offers(chosen[0]) if chosen else []


def _organisations(ctx: Context) -> list[dict[str, Any]]:
    return ctx.page.structured.of_type("Organization", "OnlineStore", "OnlineBusiness", "Store")


@register
class StructuredDataShipping(Rule):
    id = "structured-data-shipping"
    severity = "warning"
    page_types = ("product",)
    summary = (
        "Offers declare shipping (OfferShippingDetails: rate, destination, delivery time), "
        "or the organisation does."
    )
    why = (
        "Search engines show shipping cost and delivery time next to the price when the "
        "markup declares them; the same promise then reaches the shopper before they click. "
        "Shipping may also be declared once at organisation level, so absence is only info."
    )
    failing = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
        '"Product", "name": "Fietstas", "offers": {"@type": "Offer", "price": "49.95", '
        '"priceCurrency": "EUR", "shippingDetails": {"@type": "OfferShippingDetails"}}}</script>'
        "<h1>Fietstas</h1><p>€ 49,95</p><button>In winkelwagen</button>"
    )
    passing = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
        '"Product", "name": "Fietstas", "offers": {"@type": "Offer", "price": "49.95", '
        '"priceCurrency": "EUR", "shippingDetails": {"@type": "OfferShippingDetails", '
        '"shippingRate": {"@type": "MonetaryAmount", "value": "4.95", "currency": "EUR"}, '
        '"shippingDestination": {"@type": "DefinedRegion", "addressCountry": "NL"}, '
        '"deliveryTime": {"@type": "ShippingDeliveryTime", "handlingTime": {"@type": '
        '"QuantitativeValue", "minValue": 0, "maxValue": 1, "unitCode": "DAY"}, '
        '"transitTime": {"@type": "QuantitativeValue", "minValue": 1, "maxValue": 2, '
        '"unitCode": "DAY"}}}}}</script><h1>Fietstas</h1><p>€ 49,95</p>'
        "<button>In winkelwagen</button>"
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        details: list[dict[str, Any]] = []
        for offer in _offers(ctx):
            value = offer.get("shippingDetails")
            details.extend(d for d in (value if isinstance(value, list) else [value]) if d)
        for organisation in _organisations(ctx):
            for key in ("hasShippingService", "shippingDetails"):
                value = organisation.get(key)
                details.extend(d for d in (value if isinstance(value, list) else [value]) if d)
        details = [d for d in details if isinstance(d, dict)]
        if not details:
            yield Hit(
                "no shipping details in the structured data; they may be defined at organisation "
                "level (OnlineStore / Organization) on another page",
                None,
                severity="info",
            )
            return
        for detail in details:
            missing = []
            if "ShippingService" in types_of(detail):
                continue
            if not first_value(detail, "shippingRate"):
                missing.append("shippingRate")
            if not first_value(detail, "shippingDestination"):
                missing.append("shippingDestination")
            if not first_value(detail, "deliveryTime"):
                missing.append("deliveryTime")
            if missing:
                yield Hit(f"OfferShippingDetails lacks {', '.join(missing)}", None)


@register
class StructuredDataReturns(Rule):
    id = "structured-data-returns"
    severity = "warning"
    page_types = ("product",)
    summary = (
        "Offers declare a MerchantReturnPolicy (country, category, days), or the organisation does."
    )
    why = (
        "Search engines show the return window next to the product when the markup declares "
        "it. A return policy may be declared once at organisation level, so absence is only info."
    )
    failing = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
        '"Product", "name": "Fietstas", "offers": {"@type": "Offer", "price": "49.95", '
        '"priceCurrency": "EUR", "hasMerchantReturnPolicy": {"@type": "MerchantReturnPolicy", '
        '"returnPolicyCategory": "https://schema.org/MerchantReturnFiniteReturnWindow"}}}'
        "</script><h1>Fietstas</h1><p>€ 49,95</p><button>In winkelwagen</button>"
    )
    passing = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
        '"Product", "name": "Fietstas", "offers": {"@type": "Offer", "price": "49.95", '
        '"priceCurrency": "EUR", "hasMerchantReturnPolicy": {"@type": "MerchantReturnPolicy", '
        '"applicableCountry": "NL", "returnPolicyCategory": '
        '"https://schema.org/MerchantReturnFiniteReturnWindow", "merchantReturnDays": 30, '
        '"returnFees": "https://schema.org/FreeReturn"}}}</script><h1>Fietstas</h1>'
        "<p>€ 49,95</p><button>In winkelwagen</button>"
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        policies: list[dict[str, Any]] = []
        for offer in _offers(ctx):
            value = offer.get("hasMerchantReturnPolicy")
            policies.extend(p for p in (value if isinstance(value, list) else [value]) if p)
        for organisation in _organisations(ctx):
            value = organisation.get("hasMerchantReturnPolicy")
            policies.extend(p for p in (value if isinstance(value, list) else [value]) if p)
        policies = [p for p in policies if isinstance(p, dict)]
        if not policies:
            yield Hit(
                "no return policy in the structured data; it may be defined at organisation "
                "level (OnlineStore / Organization) on another page",
                None,
                severity="info",
            )
            return
        for policy in policies:
            missing = []
            if not first_value(policy, "applicableCountry"):
                missing.append("applicableCountry")
            category = first_value(policy, "returnPolicyCategory")
            if not category:
                missing.append("returnPolicyCategory")
            elif "FiniteReturnWindow" in str(category) and not first_value(
                policy, "merchantReturnDays"
            ):
                missing.append("merchantReturnDays")
            if missing:
                yield Hit(f"MerchantReturnPolicy lacks {', '.join(missing)}", None)


@register
class MarkupMatchesPage(Rule):
    id = "markup-matches-page"
    severity = "error"
    page_types = ("product",)
    summary = (
        "The price, currency and availability in the structured data equal what the page shows."
    )
    why = (
        "When search results show one price or stock state and the page another, shoppers "
        "feel misled, and search engines may drop the listing. It usually means the markup is "
        "cached or hard-coded in the template."
    )
    failing = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
        '"Product", "name": "Fietstas", "offers": {"@type": "Offer", "price": "39.95", '
        '"priceCurrency": "EUR", "availability": "https://schema.org/InStock"}}</script>'
        '<h1>Fietstas</h1><p class="price">€ 49,95</p><p>Uitverkocht</p>'
        "<button>In winkelwagen</button>"
    )
    passing = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
        '"Product", "name": "Fietstas", "offers": {"@type": "Offer", "price": "49.95", '
        '"priceCurrency": "EUR", "availability": "https://schema.org/InStock"}}</script>'
        '<h1>Fietstas</h1><p class="price">€ 49,95</p><p>Op voorraad</p>'
        "<button>In winkelwagen</button>"
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        facts = ctx.facts
        visible = facts.visible_price
        if visible is not None and facts.markup_prices:
            value, currency = visible.value
            if all(abs(value - price) > Decimal("0.01") for price in facts.markup_prices):
                shown = ", ".join(str(p) for p in facts.markup_prices[:3])
                yield Hit(
                    f"the page shows {value} but the structured data says {shown}",
                    visible.element,
                    snippet=visible.text,
                )
            if currency and facts.markup_currency and currency != facts.markup_currency:
                yield Hit(
                    f"the page shows {currency} but the structured data says "
                    f"{facts.markup_currency}",
                    visible.element,
                    snippet=visible.text,
                )
        stock = facts.visible_stock
        markup = facts.markup_availability
        if stock is not None and markup and not compatible_availability(markup, str(stock.value)):
            yield Hit(
                f"the page says {stock.value} but the structured data says {markup}",
                stock.element,
                snippet=stock.text,
            )


_CUTOFF = re.compile(
    r"\b(?:voor|v[óo][óo]r|before|by|vor|bis|avant|entro(?: le)?|prima delle|antes de(?: las)?)"
    r"\s*(?P<h>\d{1,2})(?:[:.h]\s?(?P<m>\d{2}))?\s*(?P<suffix>uur|u\b|h\b|uhr|pm|am|p\.m\.|a\.m\.)?",
    re.IGNORECASE,
)


@register
class PolicyConsistency(Rule):
    id = "policy-consistency"
    severity = "error"
    page_types = ("product", "cart", "checkout")
    needs_policy = True
    summary = (
        "Return days, shipping costs, the free-shipping threshold and the cut-off time stated on "
        "the page match store.toml (needs --policy)."
    )
    why = (
        "A promise the shop cannot keep costs more than a modest promise it keeps. When the page "
        "says '60 days to return' and the policy says 30, customer service inherits the "
        "argument. Amounts a shopper still has to spend for free shipping ('nog € 37,05', "
        "'€37.05 to go') are not thresholds. The examples assume the demo shop's policy: "
        "30-day returns, €4.95 shipping, free from €50, cut-off 16:00 (15:00 on Fridays)."
    )
    failing = (
        "<h1>Fietstas</h1><p>€ 49,95</p><button>In winkelwagen</button>"
        "<p>60 dagen gratis retourneren</p><p>Verzendkosten € 3,95, gratis vanaf € 40</p>"
        "<p>Voor 22:00 besteld, morgen in huis</p>"
    )
    passing = (
        "<h1>Fietstas</h1><p>€ 49,95</p><button>In winkelwagen</button>"
        "<p>30 dagen gratis retourneren</p><p>Verzendkosten € 4,95, gratis vanaf € 50 "
        "(nog € 0,05 te gaan)</p><p>Voor 16:00 besteld, morgen in huis</p>"
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        policy = ctx.policy
        if policy is None:
            return
        page = ctx.page
        window = policy.returns.window_days
        reported: set[str] = set()
        for _match, block in page.iter_matches(lexicon.RETURNS_KEYWORD, 400):
            if block.text in reported or len(block.text) > 400:
                continue
            days = [
                int(m.group("d1") or m.group("d2"))
                for m in lexicon.RETURN_DAYS.finditer(block.text)
            ]
            days = [d for d in days if 1 <= d <= 365 and d != 14]
            element = page.element_at(block.start + 1)
            if days and window not in days:
                reported.add(block.text)
                yield Hit(
                    f"the page promises {max(days)} days to return; the policy says {window}",
                    element,
                    snippet=block.text[:200],
                )
            elif lexicon.FREE.search(block.text) and not policy.returns.is_free:
                reported.add(block.text)
                yield Hit(
                    f"the page promises free returns; the policy charges {policy.returns.cost}",
                    element,
                    snippet=block.text[:200],
                )
        yield from self._shipping(ctx)
        yield from self._cutoff(ctx)
        if ctx.facts.currency and ctx.facts.currency != policy.shop.currency:
            yield Hit(
                f"prices are in {ctx.facts.currency}; the policy's currency is "
                f"{policy.shop.currency}",
                ctx.facts.visible_price.element if ctx.facts.visible_price else None,
                severity="warning",
            )

    def _shipping(self, ctx: Context) -> Iterator[Hit]:
        policy = ctx.policy
        assert policy is not None
        rates: set[Decimal] = set()
        thresholds: set[Decimal] = set()
        for zone in policy.shipping.zones:
            if zone.rate is not None:
                rates.add(zone.rate)
            for tier in zone.tiers:
                rates.add(tier.rate)
            for express in zone.express:
                rates.add(express.rate)
            if zone.free_shipping_from is not None:
                thresholds.add(zone.free_shipping_from)
        for method in policy.payment_methods:
            if method.surcharge:
                rates.add(method.surcharge)
        page = ctx.page
        seen: set[str] = set()
        for _match, block in page.iter_matches(lexicon.SHIPPING_KEYWORD, 300):
            if block.text in seen or len(block.text) > 300:
                continue
            seen.add(block.text)
            element = page.element_at(block.start + 1)
            for claim in shipping_amounts(block.text, page.lang):
                value = claim.amount.value
                if claim.role == "threshold" and value not in thresholds:
                    expected = ", ".join(str(t) for t in sorted(thresholds)) or "none"
                    yield Hit(
                        f"the page says free shipping from {value}; the policy's thresholds "
                        f"are {expected}",
                        element,
                        snippet=block.text[:200],
                    )
                elif claim.role == "rate" and value > 0 and value not in rates:
                    yield self._wrong_rate(value, rates, element, block.text)
        yield from self._shipping_rows(ctx, rates)

    @staticmethod
    def _wrong_rate(value: Decimal, rates: set[Decimal], element: Tag, text: str) -> Hit:
        known = ", ".join(str(r) for r in sorted(rates)) or "none"
        return Hit(
            f"the page states a shipping cost of {value}; the policy's rates are {known}",
            element,
            snippet=text[:200],
        )

    def _shipping_rows(self, ctx: Context, rates: set[Decimal]) -> Iterator[Hit]:
        """Cart rows whose label and amount are separate cells ("Verzending" | "€ 4,95")."""
        page = ctx.page
        blocks = page.blocks
        for index, block in enumerate(blocks[:-1]):
            if len(block.text) > 60 or not lexicon.SHIPPING_ROW.search(block.text):
                continue
            if find_amounts(block.text, page.lang) or lexicon.FREE.search(block.text):
                continue  # the label states its own cost (checked above) or says free
            following = blocks[index + 1].text
            amounts = find_amounts(following, page.lang)
            if len(amounts) != 1 or len(following) > len(amounts[0].text) + 3:
                continue  # not a cell holding just an amount
            value = amounts[0].value
            if value > 0 and value not in rates:
                element = page.element_at(blocks[index + 1].start + 1)
                yield self._wrong_rate(value, rates, element, f"{block.text} {following}")

    def _cutoff(self, ctx: Context) -> Iterator[Hit]:
        policy = ctx.policy
        assert policy is not None
        cutoffs = {(t.hour, t.minute) for t in policy.warehouse.cutoff.values()}
        if not cutoffs:
            return
        for _match, block in ctx.page.iter_matches(lexicon.DELIVERY_KEYWORD, 400):
            for cut in _CUTOFF.finditer(block.text):
                hour = int(cut.group("h"))
                minute = int(cut.group("m") or 0)
                suffix = (cut.group("suffix") or "").lower()
                if suffix.startswith("p") and hour < 12:
                    hour += 12
                if not cut.group("m") and not suffix:
                    continue
                if hour > 23 or minute > 59:
                    continue
                if (hour, minute) not in cutoffs:
                    allowed = ", ".join(f"{h:02d}:{m:02d}" for h, m in sorted(cutoffs))
                    yield Hit(
                        f"the page names a cut-off of {hour:02d}:{minute:02d}; the policy's "
                        f"cut-off times are {allowed}",
                        ctx.page.element_at(block.start + 1),
                        snippet=block.text[:200],
                    )
                    return
