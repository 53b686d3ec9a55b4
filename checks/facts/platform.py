"""The product state shop platforms embed in their pages.

Storefront themes render the product for the shopper and hand the same product to their own
JavaScript as data: Shopify's product and variant JSON and its analytics `meta`, WooCommerce's
variation data and stock classes, Magento's price boxes (`data-price-amount`) and `jsonConfig`,
PrestaShop's `prestashop` object and `data-product`, BigCommerce's `BCData`, and the state
Next.js, Nuxt and Wix hydrate from (`__NEXT_DATA__`, `__NUXT_DATA__`, warm-up data). That data
is exact (a number, an ISO currency, a boolean for stock) where the page text must be
interpreted, so it confirms which of the amounts near the buy button is the price, fills the
currency a shared symbol leaves open, and gives the stock state when the page states none.

Only the cheap tests run on every page (a substring in a script, an attribute the walk already
indexed); a script is decoded only when it holds what we look for.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from html import unescape
from typing import Any

from bs4 import Tag

from defenceline.checks.amounts import parse_amount
from defenceline.checks.facts.availability import normalise_availability
from defenceline.checks.facts.model import DeclaredProduct
from defenceline.checks.page import Page, class_text
from defenceline.regions import is_currency

__all__ = ["analytics_currency", "read_platform"]

_MAX_NODES = 50_000  # a hydration blob can hold a whole catalogue: stop walking somewhere
_OPENING = 3000  # how far into an inline script its page-state assignment is looked for
_ANALYTICS_WINDOW = 20_000  # how far into an inline script analytics events are read
_NAME_KEYS = ("name", "title", "productName", "product_name")
_PRICE_KEYS = (
    "price",
    "salePrice",
    "sale_price",
    "finalPrice",
    "final_price",
    "currentPrice",
    "priceAmount",
    "price_amount",
    "displayPrice",
    "display_price",
    "calculated_price",
    "priceRange",
    "pricing",
    "priceMoney",
)
_SALE_KEYS = ("comparePrice", "discountedPrice", "discounted", "specialPrice", "special_price")
_CURRENCY_KEYS = ("currencyCode", "currency", "currency_code", "priceCurrency", "currencyIso")
_STOCK_KEYS = (
    "availableForSale",
    "available",
    "isInStock",
    "inStock",
    "in_stock",
    "is_in_stock",
    "instock",
    "stock_status",
    "stockStatus",
    "availability",
    "purchasable",
)
_WOO_STOCK_CLASS = re.compile(r"(?:^|\s)(instock|outofstock|onbackorder)(?:\s|$)")
# The page-state objects platforms assign in inline scripts; each pattern starts with its
# name, so the regex engine finds it by a fast literal search, not by trying every position.
_ASSIGNMENTS = {
    name: re.compile(rf"{name}\s*=\s*(?=[{{\[])")
    for name in ("meta", "prestashop", "BCData", "__NUXT__", "wcSettings", "SQUARESPACE_CONTEXT")
}
_SHOPIFY_CURRENCY = re.compile(
    r"Shopify\.currency\s*=\s*\{[^}]*?[\"']active[\"']\s*:\s*[\"']([A-Z]{3})[\"']"
)
_NAMED_CURRENCY = re.compile(
    r"[\"']?(?:currency|currencyCode|currency_code|selectedCurrency|defaultCurrency)[\"']?\s*"
    r"[:=]\s*[\"']([A-Z]{3})[\"']"
)
_SHOPIFY_META_CURRENCY = re.compile(r"meta\.currency\s*=\s*[\"']([A-Z]{3})[\"']")
# Magento's x-magento-init: the configurable product's jsonConfig and the store's currency.
_MAGENTO_FINAL_PRICE = re.compile(r'"finalPrice"\s*:\s*\{\s*"amount"\s*:\s*"?(\d+(?:\.\d+)?)')
_MAGENTO_CURRENT_PRICE = re.compile(r"^(?:finalPrice|minPrice)$")
_MAGENTO_CURRENCY = re.compile(r'"(?:currencyCode|baseCurrencyCode|currency)"\s*:\s*"([A-Z]{3})"')


# --- reading values ----------------------------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, str) and re.fullmatch(r"\s*\d+(?:\.\d+)?\s*", value):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return None
    return None


def _cents(value: Any) -> Decimal | None:
    """A Shopify price: whole cents (2995) from `| json`; a theme that writes the price itself
    with `money_without_currency` gives units ("29.95", "29,95")."""
    if isinstance(value, str) and ("." in value or "," in value):
        return parse_amount(value)
    found = _decimal(value)
    return None if found is None else found / 100


def _currency(value: Any) -> str | None:
    if isinstance(value, str) and len(value.strip()) == 3:
        code = value.strip().upper()
        return code if is_currency(code) else None
    if isinstance(value, dict):  # {"iso_code": "EUR", "sign": "€"}, {"code": "EUR"}
        return _currency(value.get("iso_code") or value.get("code") or value.get("active"))
    return None


def _availability(value: Any) -> str | None:
    if isinstance(value, bool):
        return "InStock" if value else "OutOfStock"
    if isinstance(value, str):
        return normalise_availability(value)
    return None


def _money(value: Any, depth: int = 0) -> tuple[Decimal | None, str | None]:
    """An amount and currency from the shapes storefront APIs use for money.

    29.95 · "29.95" · {"amount": "29.95", "currencyCode": "EUR"} (Shopify Storefront API) ·
    {"centAmount": 2995, "currencyCode": "EUR", "fractionDigits": 2} (commercetools) ·
    {"gross": {"amount": 29.95, "currency": "EUR"}} (Saleor) · {"value": 29.95, "currency":
    "USD"} (BigCommerce, Squarespace) · {"start": {...}} / {"minVariantPrice": {...}} (ranges).
    """
    if depth > 4:
        return None, None
    if not isinstance(value, dict):
        return _decimal(value), None
    currency = next((_currency(value.get(key)) for key in _CURRENCY_KEYS if value.get(key)), None)
    if "centAmount" in value:
        cents = _decimal(value.get("centAmount"))
        digits = value.get("fractionDigits", 2)
        if cents is not None and isinstance(digits, int):
            return cents / (Decimal(10) ** digits), currency
    for key in ("amount", "value", "calculated_amount", "decimalValue"):
        amount = _decimal(value.get(key))
        if amount is not None:
            return amount, currency
    for key in ("gross", "withTax", "with_tax", "start", "minVariantPrice", "priceRange", "price"):
        inner = value.get(key)
        if isinstance(inner, dict):
            amount, inner_currency = _money(inner, depth + 1)
            if amount is not None:
                return amount, inner_currency or currency
    return None, currency


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _assigned_object(code: str, start: int) -> Any:
    """The JSON value that starts at `start` in a script ("var meta = {...};")."""
    try:
        value, _ = json.JSONDecoder(strict=False).raw_decode(code, start)
    except ValueError:
        return None
    return value


def _walk(value: Any) -> Iterator[dict[str, Any]]:
    stack = [value]
    seen = 0
    while stack and seen < _MAX_NODES:
        current = stack.pop()
        seen += 1
        if isinstance(current, dict):
            yield current
            stack.extend(v for v in current.values() if isinstance(v, dict | list))
        elif isinstance(current, list):
            stack.extend(v for v in reversed(current) if isinstance(v, dict | list))


# --- platforms ---------------------------------------------------------------------------------


def _shopify_variants(found: DeclaredProduct, variants: list[Any]) -> None:
    """Shopify selects the first variant that can be bought; its price is the page's price."""
    usable = [v for v in variants if isinstance(v, dict) and "price" in v]
    if not usable:
        return
    selected = next((v for v in usable if v.get("available") is True), usable[0])
    found.add_price(_cents(selected.get("price")))
    for variant in usable:
        found.add_price(_cents(variant.get("price")))
    if any("available" in v for v in usable):
        found.availability = "InStock" if selected.get("available") else "OutOfStock"


def _shopify_product(found: DeclaredProduct, product: dict[str, Any]) -> None:
    title = product.get("title")
    if isinstance(title, str) and found.name is None:
        found.name = title
    variants = product.get("variants")
    if isinstance(variants, list) and variants:
        _shopify_variants(found, variants)
    elif "price" in product:
        found.add_price(_cents(product.get("price")))
        if isinstance(product.get("available"), bool):
            found.availability = "InStock" if product["available"] else "OutOfStock"


def _read_json_scripts(page: Page, found: dict[str, DeclaredProduct]) -> None:
    for script in page.elements("script"):
        kind = str(script.get("type") or "").strip().lower()
        if kind != "application/json":
            continue
        ident = str(script.get("id") or "")
        attrs = script.attrs
        text = script.string
        if not text:
            continue
        if ident == "__NEXT_DATA__" or ident == "__NUXT_DATA__" or ident == "wix-warmup-data":
            name = {"__NEXT_DATA__": "nextjs", "__NUXT_DATA__": "nuxt"}.get(ident, "wix")
            if not _names_heading(page, str(text)):
                continue  # the state does not hold this page's product: no need to decode it
            value = _json(str(text))
            if ident == "__NUXT_DATA__" and isinstance(value, list):
                value = _devalue(value)
            if value is not None:
                product = _generic_product(page, value, name, script)
                if product is not None:
                    found.setdefault(name, product)
            continue
        shopify_json = (
            "data-product-json" in attrs
            or "data-selected-variant" in attrs
            or ident.startswith(("ProductJson-", "ProductJson", "product-json"))
        )
        head = str(text)[:4000]
        if not shopify_json and not (
            ('"variants"' in head and '"handle"' in head)
            or (head.lstrip().startswith("[") and '"available"' in head and '"price"' in head)
        ):
            continue  # not a product or variant list: left undecoded
        value = _json(str(text))
        if (
            isinstance(value, dict)
            and isinstance(value.get("variants"), list)
            and (shopify_json or "handle" in value)
        ):
            product = found.setdefault("shopify", DeclaredProduct("shopify", script))
            if product.price is None:
                _shopify_product(product, value)
        elif isinstance(value, dict) and "data-selected-variant" in attrs:
            product = found.setdefault("shopify", DeclaredProduct("shopify", script))
            product.price = None  # the selected variant decides
            _shopify_variants(product, [value])
        elif (
            isinstance(value, list)
            and value
            and all(isinstance(v, dict) and "price" in v and "available" in v for v in value[:5])
        ):  # Dawn's <variant-selects><script type="application/json">[variants]</script>
            product = found.setdefault("shopify", DeclaredProduct("shopify", script))
            if product.price is None:
                _shopify_variants(product, value)


def _names_heading(page: Page, text: str) -> bool:
    """Whether a storefront's state names the page's heading (cheap: a substring search), so
    decoding it can find the product; without a heading, whether it is worth trying at all."""
    heading = page.text_of(page.main_heading) if page.main_heading is not None else ""
    if not heading:
        return True
    return heading in text or json.dumps(heading)[1:-1] in text


def _read_inline_scripts(page: Page, found: dict[str, DeclaredProduct]) -> str | None:
    """Platform objects assigned in inline scripts; returns the shop's currency if one says."""
    shop_currency: str | None = None
    for script, code in page.inline_scripts:
        # Page-state scripts start with their assignment ("var meta = {", "var BCData = {",
        # "window.__NUXT__=", "Shopify.currency = "): only a script's opening is searched,
        # not a 300 KB bundle.
        opening = code[:_OPENING]
        if "Shopify" in opening:
            currency = _SHOPIFY_CURRENCY.search(opening) or _SHOPIFY_META_CURRENCY.search(opening)
            if currency:
                shop_currency = currency.group(1)
        assignments = [
            (name, match)
            for name, pattern in _ASSIGNMENTS.items()
            if name in opening
            for match in pattern.finditer(code, 0, _OPENING + 40)
            # "meta = {" itself, not "pagemeta = {" or "meta.x = {"
            if match.start() == 0
            or not (code[match.start() - 1].isalnum() or code[match.start() - 1] in "_$")
        ]
        for name, match in assignments:
            value = _assigned_object(code, match.end())
            if not isinstance(value, dict):
                continue
            if name == "meta" and isinstance(value.get("product"), dict):
                product = found.setdefault("shopify", DeclaredProduct("shopify", script))
                if product.price is None:
                    _shopify_product(product, value["product"])
                shop_currency = shop_currency or _currency(value.get("currency"))
            elif name == "prestashop":
                shop_currency = _currency(value.get("currency")) or shop_currency
            elif name == "BCData":
                _bigcommerce(found, value, script)
            elif name == "wcSettings":
                shop_currency = _currency(value.get("currency")) or shop_currency
            elif name in ("__NUXT__", "SQUARESPACE_CONTEXT"):
                platform = "nuxt" if name == "__NUXT__" else "squarespace"
                if not _names_heading(page, code):
                    continue
                state = _generic_product(page, value, platform, script)
                if state is not None:
                    found.setdefault(platform, state)
    return shop_currency


def analytics_currency(page: Page) -> str | None:
    """The currency the shop's own scripts name most often: analytics and pixel events
    (`gtag('event', 'view_item', {currency: 'CAD'})`, `fbq(..., {currency: 'NOK'})`), store
    settings objects (`"selectedCurrency":"AUD"`, `var shop = {"currency":"NOK"}`)."""
    votes: dict[str, int] = {}
    for _, code in page.inline_scripts:
        head = code[:_ANALYTICS_WINDOW]
        if "urrency" not in head:
            continue
        for match in _NAMED_CURRENCY.finditer(head):
            named = match.group(1)
            if is_currency(named):
                votes[named] = votes.get(named, 0) + 1
    return max(votes, key=lambda code: votes[code]) if votes else None


def _bigcommerce(found: dict[str, DeclaredProduct], data: dict[str, Any], script: Tag) -> None:
    attributes = data.get("product_attributes")
    if not isinstance(attributes, dict):
        return
    product = found.setdefault("bigcommerce", DeclaredProduct("bigcommerce", script))
    price = attributes.get("price")
    if isinstance(price, dict):
        # A shop showing prices with tax shows the with-tax price first.
        for key in ("with_tax", "without_tax"):
            amount, currency = _money(price.get(key))
            if amount is not None:
                product.add_price(amount)
                product.currency = product.currency or currency
                break
    for key in ("instock", "purchasable"):
        if isinstance(attributes.get(key), bool):
            product.availability = "InStock" if attributes[key] else "OutOfStock"
            if not attributes[key]:
                break


def _read_attributes(page: Page, found: dict[str, DeclaredProduct]) -> None:
    """Platform state in attributes: WooCommerce variations and stock classes, Magento price
    boxes, PrestaShop's data-product."""
    source = page.source
    for form in page.elements("form") if "data-product_variations" in source else ():
        raw = form.get("data-product_variations")
        if isinstance(raw, str) and raw.strip().startswith("["):
            variations = _json(unescape(raw))
            if isinstance(variations, list):
                product = found.setdefault("woocommerce", DeclaredProduct("woocommerce", form))
                prices = [
                    _decimal(v.get("display_price")) for v in variations if isinstance(v, dict)
                ]
                for price in sorted(p for p in prices if p is not None):
                    product.add_price(price)
                stock = [v.get("is_in_stock") for v in variations if isinstance(v, dict)]
                if stock and all(isinstance(s, bool) for s in stock):
                    product.availability = "InStock" if any(stock) else "OutOfStock"
    body_class = class_text(page.body)
    if ("woocommerce" in body_class or "single-product" in body_class) and (
        "type-product" in page.source
    ):
        # The product's wrapper (div#product-123.type-product) holds the buy button: its
        # ancestors are searched, else every div and article.
        button = page.buy_button
        ancestors = list(button.parents) if button is not None else []
        wrappers = [tag for tag in ancestors if "type-product" in class_text(tag)] or [
            *page.elements("div"),
            *page.elements("article"),
        ]
        for tag in wrappers:
            classes = class_text(tag)
            if "type-product" in classes and str(tag.get("id") or "").startswith("product-"):
                state = _WOO_STOCK_CLASS.search(classes)
                if state:
                    product = found.setdefault("woocommerce", DeclaredProduct("woocommerce", tag))
                    product.availability = product.availability or normalise_availability(
                        state.group(1)
                    )
                break
    details = page.element_by_id("product-details")
    for tag in [details] if details is not None else []:
        raw = tag.get("data-product")
        if isinstance(raw, str) and "{" in raw:
            data = _json(unescape(raw))
            if isinstance(data, dict):
                product = found.setdefault("prestashop", DeclaredProduct("prestashop", tag))
                product.add_price(_decimal(data.get("price_amount")))
                if isinstance(data.get("name"), str):
                    product.name = data["name"]
                availability = data.get("availability")
                if isinstance(availability, str):
                    product.availability = normalise_availability(availability) or (
                        "OutOfStock" if availability == "unavailable" else None
                    )
            break


def _magento_init(page: Page, found: dict[str, DeclaredProduct]) -> str | None:
    """A configurable product's jsonConfig prices; returns the store currency if it is named."""
    currency: str | None = None
    for script in page.elements("script"):
        if str(script.get("type") or "").strip().lower() != "text/x-magento-init":
            continue
        code = str(script.string or "")
        if "jsonConfig" in code or "spConfig" in code:
            price = _MAGENTO_FINAL_PRICE.search(code)
            if price:
                product = found.setdefault("magento", DeclaredProduct("magento", script))
                product.add_price(_decimal(price.group(1)))
        named = _MAGENTO_CURRENCY.search(code) if "urrency" in code else None
        if named and is_currency(named.group(1)):
            currency = currency or named.group(1)
    return currency


def _magento_price_boxes(page: Page, found: dict[str, DeclaredProduct]) -> None:
    """Magento's price boxes: the final price of the box nearest the buy button."""
    if "data-price-amount" not in page.source:
        return
    button = page.buy_button
    # The main product's box sits in the same form or column as the add-to-cart button (the
    # boxes of related products and upsells come later): the button's ancestors are searched
    # first, nearest first, before every price box on the page.
    for ancestor in list(button.parents)[:8] if button is not None else []:
        box = ancestor.find(True, {"data-price-type": _MAGENTO_CURRENT_PRICE})
        if isinstance(box, Tag) and box.has_attr("data-price-amount"):
            product = found.setdefault("magento", DeclaredProduct("magento", box))
            product.element = box
            product.add_price(_decimal(box.get("data-price-amount")))
            return
    boxes = sorted(
        (
            tag
            for name in ("span", "div", "meta")
            for tag in page.elements(name)
            if tag.get("data-price-type") in ("finalPrice", "minPrice")
            and tag.has_attr("data-price-amount")
        ),
        key=page.order_of,
    )
    if not boxes:
        return
    chosen = boxes[0]
    if button is not None:
        # The main product's box sits in the same form/column as the add-to-cart button; the
        # boxes of related products and upsells come later in the page.
        order = page.order_of(button)
        before = [box for box in boxes if page.order_of(box) <= order]
        chosen = before[-1] if before else boxes[0]
    product = found.setdefault("magento", DeclaredProduct("magento", chosen))
    product.element = chosen
    product.add_price(_decimal(chosen.get("data-price-amount")))


# --- generic storefront state (Next.js, Nuxt, Wix, Squarespace...) ------------------------------


def _devalue(table: list[Any]) -> Any:
    """Nuxt 3's payload (devalue: a flat array whose objects point at other entries by index)."""
    resolved: dict[int, Any] = {}

    def resolve(index: Any, depth: int = 0) -> Any:
        if not isinstance(index, int) or not 0 <= index < len(table) or depth > 60:
            return None
        if index in resolved:
            return resolved[index]
        raw = table[index]
        if isinstance(raw, dict):
            out: dict[str, Any] = {}
            resolved[index] = out
            for key, child in raw.items():
                out[key] = resolve(child, depth + 1)
            return out
        if isinstance(raw, list):
            if (
                raw
                and isinstance(raw[0], str)
                and raw[0]
                in (
                    "Reactive",
                    "ShallowReactive",
                    "Ref",
                    "ShallowRef",
                    "EmptyRef",
                )
            ):
                value = resolve(raw[1], depth + 1) if len(raw) > 1 else None
                resolved[index] = value
                return value
            items: list[Any] = []
            resolved[index] = items
            items.extend(resolve(child, depth + 1) for child in raw)
            return items
        resolved[index] = raw
        return raw

    return resolve(0)


def _generic_product(page: Page, data: Any, platform: str, element: Tag) -> DeclaredProduct | None:
    """The product in a storefront's hydration state named like the page's heading (or the
    only one there is)."""
    heading = " ".join(page.text_of(page.main_heading).lower().split()) if page.main_heading else ""
    candidates: list[tuple[str, dict[str, Any]]] = []
    for node in _walk(data):
        name = next((node[k] for k in _NAME_KEYS if isinstance(node.get(k), str)), None)
        if not name or not any(key in node for key in (*_PRICE_KEYS, "variants")):
            continue
        candidates.append((" ".join(name.lower().split()), node))
    if not candidates:
        return None
    named = [c for c in candidates if heading and c[0] and (c[0] in heading or heading in c[0])]
    if named:
        chosen = max(named, key=lambda c: len(c[0]))[1]
    elif len({c[0] for c in candidates}) == 1:
        chosen = candidates[0][1]
    else:
        return None
    product = DeclaredProduct(platform, element)
    product.name = next((chosen[k] for k in _NAME_KEYS if isinstance(chosen.get(k), str)), None)
    sources = [chosen]
    variants = chosen.get("variants")
    if isinstance(variants, dict):  # GraphQL connections: {"edges": [{"node": {...}}]}
        variants = [e.get("node") for e in variants.get("edges", []) if isinstance(e, dict)]
    if isinstance(variants, list):
        sources.extend(v for v in variants if isinstance(v, dict))
    for source in sources:
        # The selling price is the lowest of the current-price keys: Wix's "comparePrice" and
        # Saleor's "discounted" are the sale price next to "price", Shopify's
        # "compareAtPrice" the old one above it.
        amounts: list[Decimal] = []
        for key in (*_PRICE_KEYS, *_SALE_KEYS):
            if key in source:
                amount, currency = _money(source[key])
                if amount is not None and amount > 0:
                    amounts.append(amount)
                    product.currency = product.currency or currency
        if amounts:
            product.add_price(min(amounts))
        if product.currency is None:
            product.currency = next(
                (_currency(source.get(k)) for k in _CURRENCY_KEYS if source.get(k)), None
            )
        if product.availability is None:
            for key in _STOCK_KEYS:
                if key in source:
                    product.availability = _availability(source[key])
                    if product.availability:
                        break
    if product.price is None and product.availability is None:
        return None
    return product


# --- putting it together -----------------------------------------------------------------------


def read_platform(page: Page) -> DeclaredProduct | None:
    """The page's product as its platform's embedded state describes it (None when none)."""
    found: dict[str, DeclaredProduct] = {}
    _read_json_scripts(page, found)
    shop_currency = _read_inline_scripts(page, found)
    _read_attributes(page, found)
    _magento_price_boxes(page, found)
    shop_currency = shop_currency or _magento_init(page, found)
    if not found:
        if shop_currency is None:
            return None
        return DeclaredProduct("shop", shop_currency=shop_currency)
    # One platform per page; if a theme embeds several shapes, the first read is the richest.
    product = next(iter(found.values()))
    for other in list(found.values())[1:]:
        product.availability = product.availability or other.availability
        product.currency = product.currency or other.currency
        for price in other.prices:
            if price not in product.prices:
                product.prices.append(price)
        if product.price is None:
            product.price = other.price
    product.shop_currency = shop_currency
    if product.currency is None:
        product.currency = shop_currency
    return product
