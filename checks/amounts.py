"""Money as shoppers read it on a page: "€ 1.299,95", "12,99 €", "£12.99", "49,-", "CHF 49.–".

The checker compares prices across markup, page text and the store policy, so every amount it
reads becomes a `Decimal` with an ISO 4217 currency where the page makes one clear. Separators
follow the page, not a locale: the last of "." and "," with one or two digits after it is the
decimal mark, three digits after a lone separator make it a thousands separator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from defenceline.regions import is_currency

__all__ = ["MONEY_RE", "Amount", "currency_for_symbol", "find_amounts", "parse_amount"]

# Symbols that name one currency wherever they appear. "$" and "kr" are ambiguous and are
# resolved from the page's language (see `currency_for_symbol`).
_SYMBOLS: dict[str, str] = {
    "€": "EUR",
    "£": "GBP",
    "us$": "USD",
    "chf": "CHF",
    "fr.": "CHF",
    "zł": "PLN",
    "kč": "CZK",
    "ft": "HUF",
    "¥": "JPY",
    "₹": "INR",
    "₺": "TRY",
    "₪": "ILS",
    "lei": "RON",
}
_DOLLAR_BY_LANG = {"en-au": "AUD", "en-ca": "CAD", "fr-ca": "CAD", "en-nz": "NZD", "es-mx": "MXN"}
_KRONA_BY_LANG = {"sv": "SEK", "da": "DKK", "nb": "NOK", "no": "NOK", "nn": "NOK", "is": "ISK"}

_CODES = r"EUR|GBP|USD|CHF|SEK|DKK|NOK|PLN|CZK|HUF|AUD|CAD|NZD|JPY|ILS|RON|TRY|INR|MXN"
_CURRENCY = rf"(?:€|£|US\$|\$|¥|₹|₺|₪|(?:{_CODES})\b|CHF|Fr\.|zł|Kč|\bFt\b|\bkr\.?|\blei\b)"
# A number: grouped thousands (dot, comma, apostrophe, narrow/no-break space) or plain digits,
# then an optional decimal part; "49,-" and "49.–" are whole amounts.
_NUMBER = r"(?:\d{1,3}(?:[.,'\u00a0\u202f\u2009]\d{3})+|\d+)(?:[.,]\d{1,2}(?!\d))?(?:[.,]\s?[-–—])?"
MONEY_RE = re.compile(
    rf"(?P<before>{_CURRENCY})\s?(?P<n1>{_NUMBER})|(?P<n2>{_NUMBER})\s?(?P<after>{_CURRENCY})",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Amount:
    """An amount found in text: its value, currency (None when ambiguous) and position."""

    value: Decimal
    currency: str | None
    start: int
    end: int
    text: str


def parse_amount(raw: str) -> Decimal | None:
    """Read a number the way the page wrote it; None when it is not a number."""
    text = raw.strip().replace("\u00a0", "").replace("\u202f", "").replace("\u2009", "")
    text = text.replace("'", "").replace(" ", "")
    text = re.sub(r"[.,][-–—]$", "", text)
    if not text or not re.fullmatch(r"[\d.,]+", text):
        return None
    last_dot, last_comma = text.rfind("."), text.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        decimal_mark = "." if last_dot > last_comma else ","
        thousands = "," if decimal_mark == "." else "."
        text = text.replace(thousands, "").replace(decimal_mark, ".")
    elif last_dot >= 0 or last_comma >= 0:
        mark = "." if last_dot >= 0 else ","
        parts = text.split(mark)
        if len(parts) > 2 or len(parts[-1]) == 3:
            text = text.replace(mark, "")
        else:
            text = text.replace(mark, ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def currency_for_symbol(symbol: str, lang: str | None = None) -> str | None:
    """The ISO 4217 code a currency symbol or code stands for on a page in language `lang`."""
    key = symbol.strip().lower()
    if key in _SYMBOLS:
        return _SYMBOLS[key]
    upper = symbol.strip().upper()
    if len(upper) == 3 and upper.isalpha() and is_currency(upper):
        return upper
    language = (lang or "").lower().replace("_", "-")
    if key == "$":
        return _DOLLAR_BY_LANG.get(language, "USD")
    if key.rstrip(".") == "kr":
        return _KRONA_BY_LANG.get(language.split("-")[0])
    return None


def find_amounts(text: str, lang: str | None = None) -> list[Amount]:
    """Every amount with a currency in `text`, in order."""
    found: list[Amount] = []
    for match in MONEY_RE.finditer(text):
        number = match.group("n1") or match.group("n2") or ""
        symbol = match.group("before") or match.group("after") or ""
        value = parse_amount(number)
        if value is None:
            continue
        found.append(
            Amount(
                value=value,
                currency=currency_for_symbol(symbol, lang),
                start=match.start(),
                end=match.end(),
                text=match.group(0),
            )
        )
    return found
