"""Money: exact `Decimal` amounts, rounded and formatted by what Babel knows of each currency.

A float never becomes money here: `4.95` as a float is 4.9500000000000001776…, and a shop's
promise must add up to the cent in the cart, the FAQ and the email alike.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision

__all__ = ["format_money", "minor_unit", "parse_money", "round_money"]


def parse_money(value: object) -> Decimal:
    """Return `value` as a finite `Decimal`; refuse floats and anything inexact.

    Accepts decimal strings (``"4.95"``), ints and Decimals. A float is refused with a message
    that says how to write the amount instead.
    """
    if isinstance(value, bool):
        raise ValueError(f'expected an amount as a decimal string such as "4.95", got {value!r}')
    if isinstance(value, float):
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
        raise ValueError(f"expected a finite amount, got {value!r}")
    return amount


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of `currency` (``Decimal("0.01")`` for EUR, ``Decimal("1")`` for JPY)."""
    return Decimal(1).scaleb(-get_currency_precision(currency))


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round `amount` half-up to the currency's minor unit, as tills and invoices do."""
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def format_money(amount: Decimal, currency: str, locale: str) -> str:
    """Format `amount` for a shopper in `locale` ("€ 4,95" in nl, "€4.95" in en)."""
    return format_currency(amount, currency, locale=locale)
