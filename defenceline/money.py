"""Money: exact `Decimal` amounts, rounded and formatted by what Babel knows of each currency.

A float never becomes money here: `4.95` as a float is 4.9500000000000001776…, and a shop's
promise must add up to the cent in the cart, the FAQ and the email alike.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision

__all__ = [
    "MAX_DECIMALS",
    "MAX_INTEGER_DIGITS",
    "format_money",
    "minor_unit",
    "parse_money",
    "round_money",
]

# Bounds on any amount a shop or a caller writes. `Decimal("1e999999999")` is finite, but
# rounding it to cents needs a billion digits and fails; no shop charges a trillion, and no
# rate or weight needs more than six decimals. Inside these bounds every sum, VAT split and
# rounding in the quote stays within the decimal context's 28 digits.
MAX_INTEGER_DIGITS = 12
MAX_DECIMALS = 6
_MAX_DIGITS = 40  # longer digit strings are refused before they are looked at further


def parse_money(value: object) -> Decimal:
    """Return `value` as a finite, bounded `Decimal`; refuse floats and anything inexact.

    Accepts decimal strings (``"4.95"``), ints and Decimals below 10**MAX_INTEGER_DIGITS in
    size with at most MAX_DECIMALS decimals (trailing zeros aside). A float is refused with a
    message that says how to write the amount instead. Every refusal is a `ValueError` saying
    what was expected.
    """
    if isinstance(value, bool):
        raise ValueError(f'expected an amount as a decimal string such as "4.95", got {value!r}')
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"expected a finite amount as a decimal string, got {value!r}")
        raise ValueError(
            f"a float ({value!r}) cannot hold money exactly; "
            f'write the amount as a decimal string, e.g. "{value}"'
        )
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(
                f'expected an amount as a decimal string such as "4.95", got {value!r}'
            ) from None
    else:
        raise ValueError(f'expected an amount as a decimal string such as "4.95", got {value!r}')
    if not amount.is_finite():
        raise ValueError(f"expected a finite amount, got {_shown(value)}")
    if not _in_bounds(amount):
        raise ValueError(
            f"expected an amount below {10**MAX_INTEGER_DIGITS:,} with at most {MAX_DECIMALS} "
            f"decimals, got {_shown(value)}"
        )
    return amount


def _in_bounds(amount: Decimal) -> bool:
    _, digits, exponent = amount.as_tuple()
    if not isinstance(exponent, int) or len(digits) > _MAX_DIGITS:
        return False
    if amount and amount.adjusted() >= MAX_INTEGER_DIGITS:
        return False
    # Decimals that count: "4.9500" has two. Bounded by _MAX_DIGITS, so the loop is short.
    kept = len(digits)
    while kept > 1 and digits[kept - 1] == 0 and exponent < 0:
        kept -= 1
        exponent += 1
    return -exponent <= MAX_DECIMALS or not any(digits)


def _shown(value: object) -> str:
    """`value` for a message, cut short: a 5,000-digit string is not repeated whole."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of `currency` (``Decimal("0.01")`` for EUR, ``Decimal("1")`` for JPY)."""
    return Decimal(1).scaleb(-get_currency_precision(currency))


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round `amount` half-up to the currency's minor unit, as tills and invoices do."""
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def format_money(amount: Decimal, currency: str, locale: str) -> str:
    """Format `amount` for a shopper in `locale` ("€ 4,95" in nl, "€4.95" in en)."""
    return format_currency(amount, currency, locale=locale)
