"""Money as shoppers read it on a page: "€ 1.299,95", "12,99 €", "£12.99", "49,-", "₹1,29,900".

The checker compares prices across markup, platform data, page text and the store policy, so
every amount it reads becomes a `Decimal` with an ISO 4217 currency where the page makes one
clear. Finding amounts in running text (where they start and end, which symbol they carry) is
ours; turning one amount's text into a number is price-parser's, which knows the separators of
the world's price formats (1.299,00 · 1,299.00 · 1 299,00 · 1'299.00 · 1,29,900).

A symbol that several currencies share ("$", "kr", "¥", "Rs.") is resolved from the page's
territory: the region in its language tag ("en-CA"), else its domain (".com.au", ".se"), else
the territory CLDR (through Babel) gives the language ("sv" -> Sweden). The shop's own markup
or platform data wins when it names a currency the symbol can stand for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel.core import get_global
from babel.numbers import get_territory_currencies
from price_parser import Price

from defenceline.regions import is_currency

__all__ = [
    "MONEY_RE",
    "Amount",
    "currency_for_symbol",
    "find_amounts",
    "parse_amount",
    "symbol_allows",
    "symbol_is_shared",
    "territory_of",
]

# Symbols that name one currency wherever they appear.
_SYMBOLS: dict[str, str] = {
    "€": "EUR",
    "£": "GBP",
    "us$": "USD",
    "a$": "AUD",
    "au$": "AUD",
    "c$": "CAD",
    "ca$": "CAD",
    "nz$": "NZD",
    "hk$": "HKD",
    "s$": "SGD",
    "mx$": "MXN",
    "r$": "BRL",
    "chf": "CHF",
    "fr.": "CHF",
    "zł": "PLN",
    "kč": "CZK",
    "ft": "HUF",
    "₹": "INR",
    "₺": "TRY",
    "₪": "ILS",
    'ש"ח': "ILS",
    "ש״ח": "ILS",
    "₽": "RUB",
    "₸": "KZT",
    "₾": "GEL",
    "₼": "AZN",
    "₦": "NGN",
    "৳": "BDT",
    "руб": "RUB",
    "руб.": "RUB",
    "₩": "KRW",
    "원": "KRW",
    "₴": "UAH",
    "грн": "UAH",
    "₫": "VND",
    "฿": "THB",
    "₱": "PHP",
    "лв": "BGN",
    "лв.": "BGN",
    "lei": "RON",
    "円": "JPY",
    "￥": "JPY",
    "元": "CNY",
    "euro": "EUR",
    "rp": "IDR",
    "rm": "MYR",
    "euros": "EUR",
    "د.إ": "AED",
    "ر.س": "SAR",
    "ر.ق": "QAR",
    "د.ك": "KWD",
    "ج.م": "EGP",
}
# Symbols several currencies share: the currencies each may stand for, the first the default
# when the page gives no territory.
_SHARED: dict[str, tuple[str, ...]] = {
    "$": ("USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "ARS", "CLP", "COP", "TWD"),
    "kr": ("SEK", "DKK", "NOK", "ISK"),
    "kr.": ("DKK", "SEK", "NOK", "ISK"),
    "¥": ("JPY", "CNY"),
    "rs": ("INR", "PKR", "LKR", "NPR"),
    "rs.": ("INR", "PKR", "LKR", "NPR"),
    "r": ("ZAR",),
}
# Domains whose second level names the country (shop.com.au, shop.co.nz, shop.co.uk).
_COUNTRY_DOMAIN = re.compile(r"\.([a-z]{2})\.?$")

_CODES = (
    r"EUR|GBP|USD|CHF|SEK|DKK|NOK|ISK|PLN|CZK|HUF|AUD|CAD|NZD|JPY|CNY|ILS|NIS|RON|BGN|TRY|INR|"
    r"MXN|BRL|RUB|UAH|KRW|HKD|SGD|ZAR|AED|SAR|QAR|KWD|EGP|THB|PHP|VND|TWD|IDR|MYR|CLP|COP|ARS|"
    r"KZT|PEN|UYU|NGN|KES|GEL"
)
_CURRENCY = (
    rf"(?:€|£|\b[A-Z]{{1,2}}\$|\$|¥|￥|₹|₺|₪|₽|₸|₾|₼|₦|৳|₩|₴|₫|฿|₱|(?:{_CODES})\b|CHF|Fr\.|zł|Kč|\bFt\b|"
    r"\bkr\.?|\blei\b|лв\.?|руб\.?|грн|ש[\"״]ח|円|元|원|\bRs\.?|\bR(?=\s?\d)|\beuros?\b|\bRp\.?(?=\s?\d)|\bRM(?=\s?\d)|"
    r"د\.إ|ر\.س|ر\.ق|د\.ك|ج\.م)"
)
# A number: grouped thousands (dot, comma, apostrophe or the Swiss typographic ’, space) or
# Indian lakh grouping or plain digits, then an optional decimal part; "49,-" and "49.–" are
# whole amounts.
_NUMBER = (
    r"(?:\d{1,2}(?:,\d{2})+,\d{3}|\d{1,3}(?:[.,'\u2019\u00a0\u202f\u2009 ]\d{3})+|\d+)"
    r"(?:[.,]\d{1,2}(?!\d))?(?:[.,]\s?[-–—])?"
)
MONEY_RE = re.compile(
    rf"(?P<before>{_CURRENCY})\s?(?P<n1>{_NUMBER})|(?P<n2>{_NUMBER})\s?(?P<after>{_CURRENCY})",
    re.IGNORECASE,
)
# A currency code written after an amount that already has a symbol ("$35.50 CAD").
_CODE_AFTER = re.compile(rf"\s?((?-i:{_CODES}))\b")
# "12€99": French shops write the euro sign where the decimal comma goes.
_EURO_AS_MARK = re.compile(r"^(\d+)€(\d{2})(?!\d)")


@dataclass(frozen=True, slots=True)
class Amount:
    """An amount found in text: its value, currency (None when ambiguous) and position."""

    value: Decimal
    currency: str | None
    start: int
    end: int
    text: str
    symbol: str = ""


def parse_amount(raw: str, decimal_separator: str | None = None) -> Decimal | None:
    """Read a number the way the page wrote it (price-parser); None when it is not a number."""
    # price-parser knows the apostrophe as a thousands separator, not the typographic one
    # Swiss shops print ("1’423.50").
    text = raw.strip().replace("\u2019", "'")
    if not text or not any(char.isdigit() for char in text):
        return None
    value = Price.fromstring(text, decimal_separator=decimal_separator).amount
    return value if value is not None and value.is_finite() else None


@cache
def _language_territory(language: str) -> str | None:
    likely = get_global("likely_subtags").get(language)
    return likely.split("_")[-1] if isinstance(likely, str) and "_" in likely else None


def territory_of(lang: str | None, host: str | None = None) -> str | None:
    """The page's country: from its language tag's region, its domain, else its language."""
    language = (lang or "").lower().replace("_", "-")
    parts = language.split("-")
    if len(parts) > 1 and len(parts[-1]) == 2 and parts[-1].isalpha():
        return parts[-1].upper()
    if host:
        match = _COUNTRY_DOMAIN.search(host.lower())
        if match and match.group(1) not in ("eu", "io", "co", "me", "tv", "ai"):
            return "GB" if match.group(1) == "uk" else match.group(1).upper()
    return _language_territory(parts[0]) if parts[0] else None


@cache
def _territory_currency(territory: str) -> str | None:
    try:
        found = get_territory_currencies(territory, tender=True)
    except Exception:  # an unknown territory code
        return None
    return str(found[0]) if found else None


def _symbol_key(symbol: str) -> str:
    return " ".join(symbol.split()).lower()


def symbol_is_shared(symbol: str) -> bool:
    """Whether several currencies write this symbol ("$", "kr", "¥", "Rs.")."""
    key = _symbol_key(symbol)
    return key in _SHARED or (key.endswith("$") and key not in _SYMBOLS)


def symbol_allows(symbol: str, currency: str) -> bool:
    """Whether a shown symbol or code can stand for `currency` ("$" can be CAD, "€" cannot)."""
    key = _symbol_key(symbol)
    if not key:
        return True
    if key in _SHARED:
        return currency in _SHARED[key]
    known = _SYMBOLS.get(key)
    if known is not None:
        return known == currency
    return key.upper() == currency


def currency_for_symbol(
    symbol: str, lang: str | None = None, host: str | None = None
) -> str | None:
    """The ISO 4217 code a currency symbol or code stands for on a page in language `lang`."""
    key = _symbol_key(symbol)
    if key in _SYMBOLS:
        return _SYMBOLS[key]
    upper = key.upper()
    if upper == "NIS":
        return "ILS"
    if len(upper) == 3 and upper.isalpha() and is_currency(upper):
        return upper
    if key.endswith("$"):
        key = "$"  # a dollar with a prefix we do not know: decide as for "$"
    shared = _SHARED.get(key)
    if shared is None:
        return None
    territory = territory_of(lang, host)
    local = _territory_currency(territory) if territory else None
    if local in shared:
        return local
    if key == "¥" and (lang or "").lower().startswith("zh"):
        return "CNY"
    # Without a territory that uses it, "R" is too often not money; the others have a default.
    return None if key == "r" else shared[0]


def find_amounts(text: str, lang: str | None = None, host: str | None = None) -> list[Amount]:
    """Every amount with a currency in `text`, in order."""
    found: list[Amount] = []
    for match in MONEY_RE.finditer(text):
        number = match.group("n1") or match.group("n2") or ""
        symbol = match.group("before") or match.group("after") or ""
        euro_mark = _EURO_AS_MARK.match(text, match.start()) if symbol == "€" else None
        if euro_mark is not None and match.group("n2"):
            value: Decimal | None = Decimal(f"{euro_mark.group(1)}.{euro_mark.group(2)}")
            end = euro_mark.end()
        else:
            value = parse_amount(number)
            end = match.end()
        if value is None:
            continue
        currency = currency_for_symbol(symbol, lang, host)
        code = _CODE_AFTER.match(text, end) if match.group("before") else None
        if code is not None and code.group(1).upper() != currency:
            # "$35.50 CAD", "kr 569 NOK": the shop names the currency the symbol shares
            currency = code.group(1).upper()
            end = code.end()
        found.append(
            Amount(
                value=value,
                currency=currency,
                start=match.start(),
                end=end,
                text=text[match.start() : end],
                symbol=symbol,
            )
        )
    return found
