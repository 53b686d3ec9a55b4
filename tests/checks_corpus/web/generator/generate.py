"""Generate a batch of product pages in the markup of real shop platforms, with their labels.

    python tests/checks_corpus/web/generator/generate.py 1     # writes ../batch_1/

Each page is drawn from a seeded random generator (the batch's seed), so a batch is
reproducible. The page's data (the product, its variants and stock, the market's language,
currency and money style, the persuasion messages shown) is decided first; the label is taken
from that data - the price a shopper pays, the currency, the availability terms a reader could
fairly choose, the page type and the dark-pattern rules the messages fall under - and the page
is rendered from a Jinja2 port of the platform's own template (Shopify Dawn and Debut,
WooCommerce on Storefront and Astra, Magento Luma and Hyvä, PrestaShop Classic, Shopware 6,
BigCommerce Cornerstone, Lightspeed, Wix, Squarespace, django-oscar, Saleor and Medusa on
Next.js, a Nuxt shop; from batch 3 Shopify Horizon, PrestaShop Hummingbird, Sylius, OpenCart 4
and Medusa on the App Router; from batch 4 Shopify's Prestige and Impulse themes, WooCommerce
in Twenty Twenty-Four, JTL-Shop 5 NOVA and Gambio GX4; from batch 5 Shopware 6 CMS layouts,
Lightspeed eCom C-Series, Ecwid, Shopify Hydrogen's demo store, Magento Hyvä's default theme,
BigCommerce Cornerstone 6, CCV Shop, Mijnwebwinkel, Shoptet, WooCommerce in Flatsome and
Kadence). The checker never runs here.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from locales import LANGUAGES  # noqa: E402
from locales4 import DANISH, FOURTH  # noqa: E402
from locales5 import FIFTH  # noqa: E402
from money import (  # noqa: E402
    MARKETS,
    MARKETS_3,
    MARKETS_4,
    MARKETS_5,
    Market,
    MoneyStyle,
    minor_digits,
    money_style,
    shop_amount,
)
from weight import Weight, page_weight  # noqa: E402

LANGUAGES.setdefault("da", DANISH)
for _code, _extra in FOURTH.items():
    LANGUAGES[_code].update(_extra)
for _code, _extra in FIFTH.items():
    LANGUAGES[_code].update(_extra)

WEB = HERE.parent
BASE_DATE = date(2026, 11, 27)

# Dark-pattern kinds the generator can place, and the rule each one falls under.
DARK_RULES: dict[str, str] = {
    "countdown_js": "dark-countdown-timer",
    "timer_plain": "dark-countdown-timer",
    "reserved": "dark-countdown-timer",
    "limited_time": "dark-limited-time",
    "only_left": "dark-scarcity-claim",
    "high_demand": "dark-scarcity-claim",
    "bought_toast": "dark-social-proof",
    "viewers": "dark-social-proof",
    "sold_count": "dark-social-proof",
    "confirmshame": "dark-confirmshaming",
    "preselected": "dark-preselected-addon",
    "hidden_fee": "dark-hidden-costs",
    "hidden_fee_noamount": "dark-hidden-costs",
    # Kinds the second batch adds (the first batch draws from the kinds above only).
    "sneak_in": "dark-sneak-into-basket",
    "forced_registration": "dark-forced-registration",
    "trick_question": "dark-trick-question",
    # Kinds the third batch adds: the same rules, placed and worded as other shop apps do.
    "forced_login_buy": "dark-forced-registration",
    "forced_modal": "dark-forced-registration",
    "sneak_added": "dark-sneak-into-basket",
    "sneak_included": "dark-sneak-into-basket",
    "countdown_bar": "dark-countdown-timer",
    "scarcity_variant": "dark-scarcity-claim",
    "social_week": "dark-social-proof",
    "shame_button": "dark-confirmshaming",
    # Kinds the fourth batch adds: other shop apps' widgets, worded as they word them.
    "cart_count": "dark-scarcity-claim",
    "sold_bar": "dark-scarcity-claim",
    "deal_clock": "dark-countdown-timer",
    "flash_today": "dark-limited-time",
    "viewers_now": "dark-social-proof",
    "spin_shame": "dark-confirmshaming",
    "ship_insurance": "dark-preselected-addon",
    "fee_unstated": "dark-hidden-costs",
    # Kinds the fifth batch adds: Fomo/Nudgify-style purchase toasts, Hurrify-style timers,
    # "X people have this in their cart", a round-up for charity ticked in advance, a
    # newsletter pop-up that shames the decline.
    "fomo_toast": "dark-social-proof",
    "hurrify_timer": "dark-countdown-timer",
    "in_carts": "dark-scarcity-claim",
    "roundup_ticked": "dark-preselected-addon",
    "newsletter_shame": "dark-confirmshaming",
}
FIRST_KINDS = tuple(list(DARK_RULES)[:13])
SECOND_KINDS = tuple(list(DARK_RULES)[:16])
THIRD_KINDS = tuple(list(DARK_RULES)[16 : list(DARK_RULES).index("cart_count")])
FOURTH_KINDS = tuple(
    list(DARK_RULES)[len(SECOND_KINDS) + len(THIRD_KINDS) : list(DARK_RULES).index("fomo_toast")]
)
FIFTH_KINDS = tuple(list(DARK_RULES)[list(DARK_RULES).index("fomo_toast") :])
# Platforms whose own templates write no product structured data.
NO_STRUCTURED_DATA = frozenset(
    {"oscar", "medusa_next", "opencart", "sylius", "medusa_app", "opencart4"}
)
# Every dark-pattern rule the checker has, and the markup check: the rules these pages are
# labelled for. The product rules (photos, reviews, specifications ...) are not labelled.
SCORED_RULES = sorted(
    {
        "dark-countdown-timer", "dark-limited-time", "dark-scarcity-claim", "dark-social-proof",
        "dark-confirmshaming", "dark-preselected-addon", "dark-trick-question",
        "dark-hidden-costs", "dark-sneak-into-basket", "dark-forced-registration",
        "markup-matches-page",
    }
)  # fmt: skip

AVAILABILITY_TERMS: dict[str, list[str]] = {
    "in_stock": ["InStock"],
    "low_stock": ["LimitedAvailability", "InStock"],
    "out_of_stock": ["OutOfStock", "SoldOut"],
    "preorder": ["PreOrder", "PreSale", "BackOrder"],
    "backorder": ["BackOrder", "PreOrder"],
}
SCHEMA_AVAILABILITY = {
    "in_stock": "InStock",
    "low_stock": "LimitedAvailability",
    "out_of_stock": "OutOfStock",
    "preorder": "PreOrder",
    "backorder": "BackOrder",
}


@dataclass(frozen=True, slots=True)
class Batch:
    seed: int
    pages: int
    platforms: tuple[str, ...]
    # Non-product pages after the product pages: "cart", "checkout", "category".
    others: tuple[str, ...] = ()
    # Edge cases switched on for a batch (the second batch adds the harder ones).
    edge: frozenset[str] = frozenset()
    dark_kinds: tuple[str, ...] = ()
    markets: tuple[Market, ...] = MARKETS


PLATFORMS_1 = (
    "shopify_dawn",
    "woocommerce_storefront",
    "magento_luma",
    "prestashop_classic",
    "shopware6",
    "bigcommerce_cornerstone",
    "lightspeed",
    "wix",
    "squarespace",
    "oscar",
    "saleor_next",
    "magento_hyva",
    "nuxt_shop",
)
PLATFORMS_2 = (
    *PLATFORMS_1,
    "shopify_debut",
    "woocommerce_astra",
    "medusa_next",
    "opencart",
    "jtl_evo",
    "woocommerce_blocks",
    "shopify_hydrogen",
)

# The third batch: platforms the generator had not produced before (Shopify's Horizon,
# PrestaShop's Hummingbird, Sylius, OpenCart 4, Medusa's App Router starter), and four earlier
# ones that now carry the third batch's price layouts and persuasion.
PLATFORMS_3 = (
    "shopify_horizon",
    "prestashop_hummingbird",
    "sylius",
    "opencart4",
    "medusa_app",
    "shopify_horizon",
    "prestashop_hummingbird",
    "sylius",
    "opencart4",
    "medusa_app",
    "shopify_dawn",
    "woocommerce_storefront",
    "magento_luma",
)

# The fourth batch: five platforms the generator had not produced before - Shopify's Prestige
# and Impulse themes, WooCommerce in the Twenty Twenty-Four block theme, JTL-Shop 5's NOVA
# template and Gambio GX4 - for the Dutch, Belgian, German and neighbouring markets and Danish.
PLATFORMS_4 = (
    "shopify_prestige",
    "shopify_impulse",
    "woocommerce_tt4",
    "jtl_nova",
    "gambio",
)

# The fifth batch: platforms and layouts no batch had - Shopware 6 with CMS layouts other than
# the default product page, Lightspeed eCom C-Series, Ecwid, Shopify Hydrogen's demo store
# template, Magento Hyvä's default theme, BigCommerce Cornerstone 6, CCV Shop, Mijnwebwinkel,
# Shoptet and WooCommerce in the Flatsome and Kadence themes - for the Dutch, Belgian, German
# and neighbouring markets.
PLATFORMS_5 = (
    "shopware6_cms",
    "lightspeed_c",
    "ecwid",
    "hydrogen_demo",
    "hyva_default",
    "cornerstone6",
    "ccvshop",
    "mijnwebwinkel",
    "shoptet",
    "woo_flatsome",
    "woo_kadence",
)

BATCHES: dict[int, Batch] = {
    1: Batch(seed=20261128, pages=130, platforms=PLATFORMS_1, dark_kinds=FIRST_KINDS),
    2: Batch(
        seed=90210417,
        pages=130,
        platforms=PLATFORMS_2,
        edge=frozenset(
            {
                "tier_prices",
                "helpful_reviews",
                "hidden_badge",
                "price_stale",
                "account_optional",
                "more_sneaking",
            }
        ),
        dark_kinds=SECOND_KINDS,
        others=(
            "cart",
            "cart",
            "cart",
            "cart",
            "checkout",
            "checkout",
            "category",
            "category",
            "category",
            "category",
        ),
    ),
    3: Batch(
        seed=31415926,
        pages=130,
        platforms=PLATFORMS_3,
        edge=frozenset({"tier_prices", "helpful_reviews", "hidden_badge", "third"}),
        dark_kinds=(*SECOND_KINDS, *THIRD_KINDS, *THIRD_KINDS),
        markets=MARKETS_3,
        others=("cart", "cart", "cart", "cart", "checkout", "checkout", "category", "category"),
    ),
    4: Batch(
        seed=27182818,
        pages=120,
        platforms=PLATFORMS_4,
        edge=frozenset({"helpful_reviews", "hidden_badge", "fourth"}),
        # Mostly the new kinds, and the earlier kinds at their earlier share.
        dark_kinds=(*FIRST_KINDS, *FOURTH_KINDS, *FOURTH_KINDS, *FOURTH_KINDS),
        markets=MARKETS_4,
        others=("cart", "cart", "checkout", "category"),
    ),
    5: Batch(
        seed=16180339,
        pages=110,
        platforms=PLATFORMS_5,
        edge=frozenset({"helpful_reviews", "hidden_badge", "fourth", "fifth"}),
        # Mostly the new kinds, some of the fourth batch's and the earlier kinds.
        dark_kinds=(*FIRST_KINDS, *FOURTH_KINDS, *FIFTH_KINDS, *FIFTH_KINDS, *FIFTH_KINDS),
        markets=MARKETS_5,
        others=("cart5", "cart5", "checkout5", "category"),
    ),
}


@dataclass(slots=True)
class Variant:
    id: int
    title: str
    price: Decimal
    compare_at: Decimal | None
    stock: int
    available: bool
    sku: str


@dataclass(slots=True)
class Related:
    name: str
    url: str
    price: Decimal
    compare_at: Decimal | None
    rating: float
    image: str


@dataclass(slots=True)
class Review:
    author: str
    rating: int
    text: str
    when: str
    helpful: int


@dataclass(slots=True)
class Spec:
    """Everything a page shows, decided before it is rendered; the label comes from here."""

    name: str
    platform: str
    market: Market
    t: dict[str, Any]
    style: MoneyStyle
    shop: str
    domain: str
    email: str
    product_id: int
    handle: str
    title: str
    brand: str
    category: str
    description: list[str]
    images: list[str]
    specs: list[tuple[str, str]]
    option_name: str | None
    variants: list[Variant]
    selected: int | None  # index of the variant the page shows; None: a "from" price
    state: str
    stock_n: int
    price: Decimal  # what the shopper pays (the label)
    regular: Decimal | None  # struck-through price when on sale
    markup: str  # jsonld, jsonld_graph, microdata, rdfa, og, none
    stale: str | None  # availability or price: structured data disagrees with the page
    dark: list[str]
    decoys: list[str]
    related: list[Related]
    reviews: list[Review]
    rating: float
    review_count: int
    extras: dict[str, Any] = field(default_factory=dict)
    weight: Weight | None = None
    page_type: str = "product"
    labels_note: str = ""

    # --- what templates call --------------------------------------------------------------

    def money(self, amount: Decimal) -> str:
        return self.style.format(amount)

    def plain(self, amount: Decimal) -> str:
        """The amount as structured data writes it ('29.95', '12800')."""
        digits = minor_digits(self.market.currency)
        return f"{amount.quantize(Decimal(1).scaleb(-digits)):f}"

    def cents(self, amount: Decimal) -> int:
        return int(amount * 100)

    @property
    def currency(self) -> str:
        return self.market.currency

    @property
    def lang(self) -> str:
        return self.market.lang

    @property
    def html_lang(self) -> str:
        return self.market.locale.replace("_", "-") if self.lang != "en" else "en"

    @property
    def rtl(self) -> bool:
        return bool(self.t["dir"] == "rtl")

    @property
    def variant(self) -> Variant:
        return self.variants[self.selected if self.selected is not None else 0]

    @property
    def available(self) -> bool:
        return self.state in ("in_stock", "low_stock", "preorder", "backorder")

    @property
    def schema_availability(self) -> str:
        if self.stale == "availability":
            return "InStock"
        return SCHEMA_AVAILABILITY[self.state]

    @property
    def markup_price(self) -> Decimal:
        if self.stale == "price" and self.regular is not None:
            return self.regular
        return self.price

    @property
    def low_price(self) -> Decimal:
        return min(v.price for v in self.variants)

    @property
    def high_price(self) -> Decimal:
        return max(v.price for v in self.variants)

    @property
    def has_dark(self) -> bool:
        return bool(self.dark)

    @property
    def gift_item(self) -> str:
        """The gift-wrap extra's name without its price ('Gift wrapping')."""
        return re.split(r" \(|（", str(self.t["addon_giftwrap"]))[0]

    def has(self, kind: str) -> bool:
        return kind in self.dark or kind in self.decoys

    def say(self, key: str, **values: Any) -> str:
        return str(self.t[key]).format(**values)

    def json(self, value: Any) -> str:
        """JSON for a <script> element, escaped the way platforms escape it."""
        return (
            json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("</", "<\\/")
            .replace("<!--", "<\\!--")
        )

    def label(self) -> dict[str, Any]:
        if self.page_type != "product":
            return {
                "page_type": self.page_type,
                "findings": self.findings(),
                "platform": self.platform,
                "language": self.lang,
            }
        return {
            "page_type": "product",
            "price": self.plain(self.price),
            "currency": self.currency,
            # Sold out online but in the shop: either term is a fair reading.
            "availability": list(self.extras.get("terms") or AVAILABILITY_TERMS[self.state])
            + (["InStoreOnly"] if self.extras.get("store_only") else []),
            "findings": self.findings(),
            "platform": self.platform,
            "language": self.lang,
        }

    @property
    def stock_line_shown(self) -> bool:
        """Whether the page shows the platform's stock line: WooCommerce's variable product
        writes it per variation into `data-product_variations` and shows it only once a
        variation is chosen."""
        hidden = self.platform.startswith("woocommerce") and self.option_name is not None
        return not (hidden and self.selected is None)

    def findings(self) -> list[str]:
        found = {DARK_RULES[kind] for kind in self.dark}
        if self.state == "low_stock" and self.page_type == "product" and self.stock_line_shown:
            found.add("dark-scarcity-claim")
        if "cutoff_countdown" in self.decoys and self.page_type == "product":
            # A dispatch cut-off given as a time left ("Bestel binnen 2 uur en 14 minuten") is
            # a countdown the rule asks the shop to verify (a warning), as the platform's own
            # honest low-stock line is a scarcity message to verify. Batch 4 first labelled it
            # as no finding; corrected after its first-sight run (docs/checks/accuracy.md).
            # Only the product templates show it.
            found.add("dark-countdown-timer")
        if self.stale is not None and self.markup != "none":
            found.add("markup-matches-page")
        return sorted(found)


# --- drawing a page's data ----------------------------------------------------------------------

SHOP_WORDS = [
    "Noord",
    "Atelier",
    "Field",
    "Harbour",
    "Linden",
    "Alpine",
    "Marlow",
    "Oak & Ash",
    "Wilde",
    "Tandem",
    "Kestrel",
    "Birch",
    "Solvik",
    "Corsa",
    "Ember",
    "Luma",
]
SHOP_TAILS = ["Store", "Supply", "Goods", "Co.", "Studio", "Outfitters", "Shop", "Living"]
EURO_PRICES = [
    9.95,
    14.95,
    19.99,
    24.5,
    29.95,
    39.95,
    49.0,
    59.95,
    79.0,
    89.95,
    119.0,
    149.95,
    199.0,
    249.0,
    349.0,
    499.0,
    649.0,
    899.0,
    1299.0,
    1499.0,
]


def _slug(text: str, fallback: str) -> str:
    ascii_only = "".join(c.lower() if c.isascii() and c.isalnum() else "-" for c in text)
    slug = "-".join(part for part in ascii_only.split("-") if part)
    return slug or fallback


def _fit(amount: Decimal, style: MoneyStyle) -> Decimal:
    """A shop that shows no decimals sets whole prices."""
    if style.decimals == 0:
        return amount.quantize(Decimal(1))
    return amount


def draw_spec(rng: random.Random, number: int, batch: Batch, platform: str, market: Market) -> Spec:
    t = LANGUAGES[market.lang]
    third = "third" in batch.edge
    fourth = "fourth" in batch.edge
    style = money_style(rng, market, third, fourth)
    shop = f"{rng.choice(SHOP_WORDS)} {rng.choice(SHOP_TAILS)}"
    domain = f"{_slug(shop, 'shop')}.example.{market.tld}".replace("..", ".")
    type_index = rng.randrange(len(t["ptypes"]))
    ptype = t["ptypes"][type_index]
    adjective = rng.choice(t["adjs"])
    decoys: list[str] = []
    if rng.random() < 0.12:
        decoys.append("limited_edition_name")
        title = f"{ptype} {adjective} – {t['limited_edition']}"
    else:
        title = f"{ptype} {adjective}" if market.lang not in ("ja",) else f"{adjective}{ptype}"
    brand = shop.split()[0]
    base = Decimal(str(rng.choice(EURO_PRICES)))
    price = _fit(shop_amount(rng, base, market), style)
    on_sale = rng.random() < 0.35
    regular = _fit(shop_amount(rng, base * Decimal("1.3"), market), style) if on_sale else None
    if regular is not None and regular <= price:
        regular = None
    # Variants: a size or colour option on about half the pages, sometimes priced differently.
    option_name: str | None = None
    variants: list[Variant] = []
    product_id = 7_000_000 + number * 137 + rng.randrange(100)
    if rng.random() < 0.5:
        option_name = rng.choice(["size", "colour"])
        values = (["S", "M", "L", "XL"] if option_name == "size" else t["colours"][:4])[
            : rng.choice([2, 3, 4])
        ]
        priced = rng.random() < 0.35
        for i, value in enumerate(values):
            step = (
                _fit(shop_amount(rng, base * Decimal("0.15") * i, market), style) if priced else 0
            )
            vprice = price + (step if i else 0)
            variants.append(
                Variant(
                    product_id * 10 + i,
                    str(value),
                    vprice,
                    (regular + (vprice - price)) if regular else None,
                    0,
                    True,
                    f"{_slug(ptype, 'p')[:6].upper()}-{i:02d}",
                )
            )
    else:
        variants.append(
            Variant(product_id * 10, "Default Title", price, regular, 0, True, f"SKU-{product_id}")
        )
    # Stock state.
    roll = rng.random()
    state = (
        "in_stock"
        if roll < 0.55
        else "low_stock"
        if roll < 0.68
        else "out_of_stock"
        if roll < 0.84
        else "preorder"
        if roll < 0.93
        else "backorder"
    )
    stock_n = {"in_stock": rng.randrange(10, 80), "low_stock": rng.randrange(1, 5)}.get(state, 0)
    for v in variants:
        v.stock = stock_n
        v.available = state != "out_of_stock"
    # Which variant the page shows: the first (available) one, or none with a "from" price.
    selected: int | None = 0
    if len(variants) > 1 and len({v.price for v in variants}) > 1 and rng.random() < 0.5:
        selected = None
    shown_price = variants[0].price if selected is not None else min(v.price for v in variants)
    shown_regular = variants[0].compare_at if selected is not None else None
    # Structured data as the platform emits it, or not at all.
    markup = rng.choices(
        ["platform", "jsonld", "jsonld_graph", "microdata", "rdfa", "og", "none"],
        weights=[40, 12, 10, 8, 4, 8, 18],
    )[0]
    if markup == "platform" and platform in NO_STRUCTURED_DATA:
        markup = "none"
    stale: str | None = None
    if markup != "none" and state == "out_of_stock" and rng.random() < 0.3:
        stale = "availability"
    elif "price_stale" in batch.edge and shown_regular and markup != "none" and rng.random() < 0.25:
        stale = "price"
    # Persuasion: about 45% of pages carry one or more dark patterns.
    dark: list[str] = []
    if rng.random() < 0.45:
        pool = [k for k in batch.dark_kinds if not (k == "only_left" and state == "out_of_stock")]
        dark = sorted(set(rng.sample(pool, rng.choice([1, 1, 2, 3]))))
    if "more_sneaking" in batch.edge and rng.random() < 0.2:
        # The second batch shows more of the sneaking and forced-action patterns.
        extra = rng.choice(["sneak_in", "forced_registration", "trick_question", "preselected"])
        dark = sorted({*dark, extra})
    if third and rng.random() < 0.3:
        # The third batch shows the two weakest patterns more often, in their new placements.
        extra = rng.choice(["forced_login_buy", "forced_modal", "sneak_added", "sneak_included"])
        dark = sorted({*dark, extra})
    if third and state == "out_of_stock":
        # No claim of a few left on a sold-out page, and no login-to-buy on one.
        dark = [k for k in dark if k not in ("scarcity_variant", "forced_login_buy")]
    if state == "low_stock":
        # The platform's own low-stock line is shown; no second, invented one.
        dark = [k for k in dark if k not in ("only_left", "scarcity_variant")]
    for kind, chance in (
        ("last_chance_nav", 0.35),
        ("honest_popup", 0.2),
        ("unchecked_addon", 0.15),
        ("bestseller_badge", 0.3),
        ("cutoff_text", 0.4),
    ):
        if rng.random() < chance and not (kind == "honest_popup" and "confirmshame" in dark):
            decoys.append(kind)
    if "helpful_reviews" in batch.edge and rng.random() < 0.4:
        decoys.append("helpful_reviews")
    if "hidden_badge" in batch.edge and state == "in_stock" and rng.random() < 0.3:
        decoys.append("hidden_soldout_badge")
    if "account_optional" in batch.edge and rng.random() < 0.2:
        decoys.append("account_optional")
    if third:
        for kind, chance in (
            ("login_wishlist", 0.25),
            ("protection_optional", 0.15),
            ("member_join", 0.2),
            ("free_gift", 0.2),
            ("account_optional", 0.15),
        ):
            if rng.random() < chance and not (
                kind == "protection_optional" and "sneak_included" in dark
            ):
                decoys.append(kind)
    extras: dict[str, Any] = {
        "unit": rng.random() < 0.15,
        "installments": rng.random() < 0.3,
        "deposit": rng.random() < 0.06,
        "save": shown_regular is not None and rng.random() < 0.6,
        "free_ship": _fit(shop_amount(rng, Decimal(rng.choice([50, 75, 100])), market), style),
        "split": rng.random() < 0.2,
        "tier_prices": "tier_prices" in batch.edge
        and platform == "shopware6"
        and rng.random() < 0.5,
        "hidden_badge": "hidden_badge" in batch.edge,
        "preorder_date": (BASE_DATE + timedelta(days=rng.randrange(20, 90))).isoformat(),
        "timer": f"{rng.randrange(0, 5):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}",
        "reserve": f"{rng.randrange(5, 15):02d}:{rng.randrange(60):02d}",
        "dark_n": rng.randrange(7, 41),
        "minutes": rng.randrange(2, 30),
        "who": rng.choice(t["names"]),
        "city": rng.choice(t["cities"]),
        "fee": _fit(shop_amount(rng, Decimal("2.95"), market), style),
        "addon": _fit(shop_amount(rng, Decimal(rng.choice([4.95, 9.95, 2.5])), market), style),
        "addon_kind": rng.choice(["addon_insurance", "addon_giftwrap", "addon_newsletter"]),
        "shame": rng.choice(t["confirmshame"]),
        "tracking": rng.sample(["gtm", "fbq", "hotjar", "klaviyo", "tiktok", "clarity"], 3),
    }
    if extras["deposit"]:
        extras["deposit_amount"] = _fit(
            shop_amount(rng, Decimal("0.25"), market), style
        ) or Decimal(1)
    if third:
        extras.update(_third_extras(rng, market, style, shown_price, shown_regular))
    category = rng.choice(t["subcats"][:12])
    handle = f"{_slug(title, 'product')}-{product_id % 10000}"
    images = [
        f"https://cdn.{domain}/media/catalog/{handle}-{i + 1}.jpg"
        for i in range(rng.randrange(2, 7))
    ]
    material = rng.choice(t["materials"])
    description = [
        t["desc"][0].format(name=ptype, material=material),
        *rng.sample(t["desc"][1:], 2),
    ]
    specs = list(
        zip(
            t["spec_labels"],
            [
                material,
                f"{rng.randrange(120, 1900)} g",
                f"{rng.randrange(10, 60)} × {rng.randrange(10, 40)} cm",
                "30°C",
            ],
            strict=True,
        )
    )
    related = []
    for i in range(rng.randrange(4, 11)):
        rtype = rng.choice(t["ptypes"])
        rbase = Decimal(str(rng.choice(EURO_PRICES)))
        rprice = _fit(shop_amount(rng, rbase, market), style)
        rcompare = (
            _fit(shop_amount(rng, rbase * Decimal("1.25"), market), style)
            if rng.random() < 0.3
            else None
        )
        related.append(
            Related(
                f"{rtype} {rng.choice(t['adjs'])}",
                f"/{_slug(rtype, 'p')}-{i}",
                rprice,
                rcompare if rcompare and rcompare > rprice else None,
                round(rng.uniform(3.5, 5.0), 1),
                f"https://cdn.{domain}/media/r{i}.jpg",
            )
        )
    review_count = rng.choice([0, 0, 3, 12, 27, 148, 1204])
    reviews = [
        Review(
            rng.choice(t["names"]),
            rng.choice([3, 4, 5, 5, 5]),
            rng.choice(t["review_texts"]),
            (BASE_DATE - timedelta(days=rng.randrange(2, 400))).isoformat(),
            rng.randrange(0, 40),
        )
        for _ in range(min(review_count, rng.randrange(2, 7)))
    ]
    spec = Spec(
        name="",
        platform=platform,
        market=market,
        t=t,
        style=style,
        shop=shop,
        domain=domain,
        email=f"service@{domain}",
        product_id=product_id,
        handle=handle,
        title=title,
        brand=brand,
        category=category,
        description=description,
        images=images,
        specs=specs,
        option_name=option_name,
        variants=variants,
        selected=selected,
        state=state,
        stock_n=stock_n,
        price=shown_price,
        regular=shown_regular,
        markup=markup,
        stale=stale,
        dark=[k for k in dark if k in DARK_RULES],
        decoys=decoys,
        related=related,
        reviews=reviews,
        rating=round(rng.uniform(3.6, 4.9), 1) if review_count else 0.0,
        review_count=review_count,
        extras=extras,
    )
    spec.weight = page_weight(rng, spec.platform)
    if fourth:
        _fourth(rng, spec)
    if "fifth" in batch.edge:
        _fifth(rng, spec)
    return spec


def _fourth(rng: random.Random, spec: Spec) -> None:
    """The fourth batch's price, stock and persuasion layouts (drawn only for it, after
    everything else, so the earlier batches come out byte for byte as before)."""
    t, price, regular = spec.t, spec.price, spec.regular
    # Gambio's and JTL's own pages are compact; the bundles a shop adds make up the weight.
    more = page_weight(rng, spec.platform)
    if spec.weight is not None:
        spec.weight.scripts += [s for s in more.scripts[:1] if s not in spec.weight.scripts]
    if spec.lang == "da":
        # The dark-pattern rules do not claim Danish: no persuasion and no low-stock line.
        spec.dark = []
        if spec.state == "low_stock":
            spec.state, spec.stock_n = "in_stock", rng.randrange(10, 80)
            for v in spec.variants:
                v.stock = spec.stock_n
    if spec.state == "out_of_stock":
        # No "almost gone" bar or basket count on a page that is already sold out.
        spec.dark = [k for k in spec.dark if k not in ("cart_count", "sold_bar")]
    if spec.state == "low_stock" and rng.random() < 0.35:
        spec.stock_n = 1
        for v in spec.variants:
            v.stock = 1
    day = BASE_DATE + timedelta(days=rng.randrange(2, 12))
    date_format = {"nl": "%d-%m-%Y", "de": "%d.%m.%Y", "da": "%d.%m.%Y"}.get(spec.lang, "%d/%m/%Y")
    cents = spec.style.decimals > 0
    spec.extras.update(
        {
            "price_mode": "sup" if cents and rng.random() < 0.25 else "plain",
            "from_mode": rng.choice(["range", "from_short"]),
            "badge": regular is not None and rng.random() < 0.5,
            "tax_line": rng.choices([None, "plain", "shipping"], weights=[3, 4, 3])[0],
            "member": _fit((price * Decimal("0.9")).quantize(Decimal("0.01")), spec.style)
            if rng.random() < 0.12
            else None,
            "subscribe": _fit((price * Decimal("0.9")).quantize(Decimal("0.01")), spec.style)
            if rng.random() < 0.12 and spec.selected is not None
            else None,
            "stock_mode": rng.choice(["plain", "lead", "nextday", "count"]),
            "store_only": spec.state == "out_of_stock" and rng.random() < 0.6,
            "store_city": rng.choice(t["cities"]),
            "pct": rng.randrange(62, 94),
            "cutoff": (rng.randrange(1, 6), rng.randrange(1, 60)),
            "sale_until": day.strftime(date_format),
            "omnibus": _fit((price + (regular - price) / 3).quantize(Decimal("0.01")), spec.style)
            if regular and rng.random() < 0.5
            else None,
            "bundle": _fit((price * Decimal("1.8")).quantize(Decimal("0.01")), spec.style)
            if rng.random() < 0.1
            else None,
            "extras_first": rng.random() < 0.2,
        }
    )
    if spec.lang == "da":
        return
    for kind, chance, unless in (
        ("sale_until", 0.35 if regular else 0.0, ""),
        ("cutoff_countdown", 0.2, ""),
        ("ship_insurance_off", 0.12, "ship_insurance"),
        ("spin_honest", 0.15, "spin_shame"),
    ):
        if rng.random() < chance and unless not in spec.dark:
            spec.decoys.append(kind)


def _fifth(rng: random.Random, spec: Spec) -> None:
    """The fifth batch's price, stock and persuasion layouts (drawn only for it, after the
    fourth batch's, so the earlier batches come out byte for byte as before)."""
    t, price = spec.t, spec.price
    cents = spec.style.decimals > 0
    variant_buttons = spec.option_name is not None and spec.selected is not None
    price_mode = rng.choices(
        ["plain", "sub", "box", "advies", "b2b", "select"], weights=[3, 2, 1, 2, 1, 1]
    )[0]
    if price_mode == "sub" and not cents:
        price_mode = "plain"
    if price_mode == "select" and spec.option_name is None:
        price_mode = "plain"
    if price_mode in ("box", "b2b", "advies") and spec.selected is None:
        price_mode = "plain"
    extras: dict[str, Any] = {
        "price_mode5": price_mode,
        # A box of pieces: the price is the box's; the price per piece is a unit price.
        "box_n": rng.choice([6, 10, 12, 24]),
        # The manufacturer's recommended price, shown next to the price, not struck through.
        "advies": _fit((price * Decimal("1.25")).quantize(Decimal("0.01")), spec.style),
        # B2B: the price excl. VAT first and large, the price incl. VAT (what is paid) below.
        "excl": _fit((price / Decimal("1.21")).quantize(Decimal("0.01")), spec.style),
        "sticky": rng.random() < 0.4,
        "fbt": rng.random() < 0.3,
        "ship_table": rng.random() < 0.3,
        "ship_rates": [
            _fit(shop_amount(rng, Decimal(a), spec.market), spec.style) for a in (4.95, 6.95, 12.5)
        ],
        "restock_date": (BASE_DATE + timedelta(days=rng.randrange(6, 40))).strftime("%d-%m-%Y"),
        "stores": rng.sample(t["cities"], 2),
        "store_n": (rng.randrange(3, 40), rng.randrange(0, 6)),
        "fomo_m": rng.randrange(2, 50),
        "roundup": _fit(shop_amount(rng, Decimal("0.37"), spec.market), spec.style) or Decimal(1),
    }
    # Availability: new wording for the states, and new states a reader must infer.
    stock5 = "earlier"
    roll = rng.random()
    if spec.state == "in_stock":
        if variant_buttons and roll < 0.4:
            stock5 = "variant_sold_out"
            for v in spec.variants[1:]:
                v.available, v.stock = False, 0
        elif roll < 0.7:
            stock5 = "warehouse"
    elif spec.state == "out_of_stock":
        stock5 = rng.choice(["temp_unavailable", "restock", "earlier"])
        if stock5 != "earlier":
            spec.extras["store_only"] = False
    elif spec.state in ("backorder", "preorder") and roll < 0.8:
        # Orderable, not in stock: the delivery time says so, or the supplier has it.
        stock5 = rng.choice(["lead_oos", "supplier"])
        spec.state = "backorder"
        if stock5 == "supplier":
            extras["terms"] = ["BackOrder", "InStock"]
    extras["stock5"] = stock5
    spec.extras.update(extras)
    if spec.state in ("out_of_stock",):
        spec.dark = [k for k in spec.dark if k != "in_carts"]
    for kind, chance, unless in (
        ("nudge_toast", 0.2, "fomo_toast"),
        ("campaign", 0.2, "hurrify_timer"),
        ("roundup_off", 0.1, "roundup_ticked"),
        ("newsletter_honest", 0.15, "newsletter_shame"),
    ):
        if rng.random() < chance and unless not in spec.dark:
            spec.decoys.append(kind)


def _third_extras(
    rng: random.Random,
    market: Market,
    style: MoneyStyle,
    price: Decimal,
    regular: Decimal | None,
) -> dict[str, Any]:
    """The third batch's price and availability layouts (drawn only for it, so the earlier
    batches come out byte for byte as before)."""
    between = (price + (regular - price) / 3) if regular else price
    return {
        # EU shops state the lowest price of the last 30 days next to a reduced price.
        "omnibus": _fit(between.quantize(Decimal("0.01")), style)
        if regular and rng.random() < 0.6
        else None,
        # "Buy 2 for ..." below the price.
        "bundle": _fit((price * Decimal("1.8")).quantize(Decimal("0.01")), style)
        if rng.random() < 0.15
        else None,
        # Unit price, instalments and deposit above the price instead of below it.
        "extras_first": rng.random() < 0.3,
        # A recently-viewed strip above the product.
        "recent_top": rng.random() < 0.3,
        # Availability worded otherwise ("Ready to ship", "Temporarily unavailable").
        "alt_stock": rng.random() < 0.5,
        "bar": (rng.randrange(0, 3), rng.randrange(24), rng.randrange(60)),
    }


# --- rendering -------------------------------------------------------------------------------


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(["j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["tojson_attr"] = lambda value: json.dumps(value, ensure_ascii=False)
    return env


def render(spec: Spec, env: jinja2.Environment | None = None) -> str:
    env = env or environment()
    template = env.get_template(f"{spec.platform}.html.j2")
    return template.render(p=spec, t=spec.t, w=spec.weight)


def page_name(spec: Spec, number: int) -> str:
    state = spec.state.replace("_", "")
    return f"{number:03d}_{spec.lang}_{spec.platform}_{state}.html.gz"


def draw_batch(number: int) -> list[Spec]:
    batch = BATCHES[number]
    rng = random.Random(batch.seed)
    specs = []
    markets: list[Market] = []
    for i in range(batch.pages):
        platform = batch.platforms[i % len(batch.platforms)]
        if not markets:
            # Every market once per round, in a new order each round: all languages and
            # currencies get their share.
            markets = rng.sample(batch.markets, len(batch.markets))
        market = markets.pop()
        spec = draw_spec(rng, i, batch, platform, market)
        spec.name = page_name(spec, i)
        specs.append(spec)
    # Cart, checkout and category pages, drawn from their own generator so that adding or
    # removing them never changes the product pages.
    others = random.Random(batch.seed + 1)
    for j, kind in enumerate(batch.others):
        number = batch.pages + j
        market = batch.markets[others.randrange(len(batch.markets))]
        spec = draw_spec(others, number, batch, kind, market)
        spec.page_type = {"cart": "cart", "checkout": "checkout"}.get(kind.rstrip("5"), "other")
        spec.stale, spec.state = None, "in_stock"
        later = "third" in batch.edge or "fourth" in batch.edge
        pool = (OTHER_KINDS_3 if later else OTHER_KINDS)[kind.rstrip("5")]
        if kind.endswith("5"):
            pool = [*pool, *OTHER_KINDS_5[kind]]
        spec.dark = sorted(set(others.sample(pool, others.choice([0, 1, 1, 2]))))
        if spec.lang == "da":
            spec.dark = []
        items = spec.related[: 3 if kind == "cart" else 2]
        spec.price = sum((r.price for r in items), Decimal(0))
        spec.name = f"{number:03d}_{spec.lang}_{kind.rstrip('5')}.html.gz"
        specs.append(spec)
    return specs


# Persuasion that cart, checkout and category pages carry.
OTHER_KINDS: dict[str, list[str]] = {
    "cart": ["reserved", "sneak_in", "preselected", "hidden_fee", "hidden_fee_noamount",
             "countdown_js", "confirmshame"],
    "checkout": ["reserved", "sneak_in", "preselected", "trick_question", "hidden_fee",
                 "hidden_fee_noamount"],
    "category": ["limited_time", "bought_toast", "confirmshame", "countdown_js",
                 "forced_registration"],
}  # fmt: skip
# The third batch's: sneaking as a protection plan added to the cart, a signup gate on a
# category page. (On cart and checkout pages a required account is guest-checkout's finding,
# not a dark-pattern one, so it is not placed there.)
OTHER_KINDS_3: dict[str, list[str]] = {
    "cart": ["sneak_added", "sneak_included", "countdown_bar", "shame_button", "hidden_fee",
             "reserved"],
    "checkout": ["sneak_added", "sneak_included", "trick_question", "hidden_fee_noamount",
                 "preselected"],
    "category": ["forced_modal", "countdown_bar", "social_week", "shame_button"],
}  # fmt: skip
# The fifth batch's cart and checkout pages add a round-up for charity ticked in advance and
# the newsletter pop-up that shames the decline (placed after the earlier kinds).
OTHER_KINDS_5: dict[str, list[str]] = {
    "cart5": ["roundup_ticked", "roundup_ticked", "newsletter_shame"],
    "checkout5": ["roundup_ticked", "roundup_ticked"],
}


def batch_labels(number: int, specs: list[Spec]) -> dict[str, Any]:
    return {
        "about": (
            f"Batch {number} of the web corpus: product pages generated from ports of real shop "
            "platforms' templates (see generator/). Labels come from the generator's own data, "
            "written before the checker first ran on the batch: the price the shopper pays (the "
            "selected variant's current price, or the lowest on a 'from' price), the currency, "
            "every availability term a reader could fairly choose, the page type and the rules "
            "that should report a warning or error. Only the rules in scored_rules are scored: "
            "the product rules' findings (images, reviews, specs ...) are not labelled here. "
            "Limited-time messages count as dark-limited-time, high-demand and low-stock "
            "messages (also the platform's own honest 'only 3 left') as dark-scarcity-claim."
        ),
        "scored_rules": SCORED_RULES,
        "pages": {spec.name: spec.label() for spec in specs},
    }


def write_batch(number: int) -> Path:
    specs = draw_batch(number)
    folder = WEB / f"batch_{number}"
    folder.mkdir(parents=True, exist_ok=True)
    env = environment()
    for old in folder.glob("*.html.gz"):
        old.unlink()
    for spec in specs:
        html = render(spec, env)
        # mtime=0 and no file name in the header: the same page gives the same bytes.
        data = gzip.compress(html.encode("utf-8"), compresslevel=9, mtime=0)
        (folder / spec.name).write_bytes(data)
    labels = batch_labels(number, specs)
    (folder / "labels.json").write_text(
        json.dumps(labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return folder


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


if __name__ == "__main__":
    if len(sys.argv) != 2 or not sys.argv[1].isdigit() or int(sys.argv[1]) not in BATCHES:
        print(f"usage: generate.py BATCH  (one of {sorted(BATCHES)})", file=sys.stderr)
        sys.exit(2)
    print(write_batch(int(sys.argv[1])))
