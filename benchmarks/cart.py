"""What one cart quote costs, against the bare arithmetic of the same cart.

The cart widget asks for a quote on every change of quantity, destination or payment method,
so a quote must stay cheap. Baseline, measured in the same run: the same 20-line cart priced
with plain `Decimal` sums — line totals rounded to the cent, the subtotal, a flat shipping rate
with its free-shipping check, a payment surcharge and VAT extracted per rate — the least any
cart total needs. The quote does that and more: it validates every line, splits shipping and
surcharge over the VAT rates, estimates delivery for the cart's stock states and describes the
return terms. Run: `.venv/bin/python benchmarks/cart.py`.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import timeit
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from defenceline import load_policy
from defenceline.quote import CartLine, quote_cart

ROOT = Path(__file__).resolve().parent.parent
LINES = 20
NUMBER = 500
REPEATS = 7
CENT = Decimal("0.01")


def main() -> None:
    policy = load_policy(ROOT / "examples" / "demo-shop" / "store.toml")
    rng = random.Random(2026)
    cart = [
        CartLine(
            sku=f"SKU-{n}",
            quantity=rng.randint(1, 4),
            unit_price=Decimal(rng.randrange(195, 9_995)).scaleb(-2),
            vat_class=rng.choice(["standard", "standard", "reduced"]),
            weight_kg=Decimal(rng.randrange(50, 2_000)).scaleb(-3),
            in_stock=n % 7 != 3,
            restock_date=dt.date(2026, 12, 3) if n % 7 == 3 else None,
        )
        for n in range(LINES)
    ]
    at = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)
    rates = {"standard": Decimal(21), "reduced": Decimal(9)}
    zone = policy.zone_for("NL")
    assert zone is not None and zone.rate is not None and zone.free_shipping_from is not None
    flat, threshold = zone.rate, zone.free_shipping_from
    surcharge = Decimal("1.50")

    def ours() -> None:
        quote_cart(policy, cart, "NL", payment_method="Creditcard", at=at)

    def plain() -> None:
        subtotal = Decimal(0)
        by_rate: dict[Decimal, Decimal] = {}
        for line in cart:
            total = (line.unit_price * line.quantity).quantize(CENT, rounding=ROUND_HALF_UP)
            subtotal += total
            rate = rates[line.vat_class]
            by_rate[rate] = by_rate.get(rate, Decimal(0)) + total
        shipping = Decimal(0) if subtotal >= threshold else flat
        vat = sum(
            (
                (amount * rate / (100 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)
                for rate, amount in by_rate.items()
            ),
            Decimal(0),
        )
        _ = subtotal + shipping + surcharge, vat

    ours()  # warm the delivery memo and the holiday calendars, as a running shop has them
    check = quote_cart(policy, cart, "NL", payment_method="Creditcard", at=at)
    assert check.total is not None

    ours_runs = timeit.repeat(ours, number=NUMBER, repeat=REPEATS)
    plain_runs = timeit.repeat(plain, number=NUMBER, repeat=REPEATS)
    ours_each = min(ours_runs) / NUMBER
    plain_each = min(plain_runs) / NUMBER
    print(f"{LINES}-line cart, demo policy, NL, Creditcard, 3 lines awaiting a restock")
    print(
        f"quote_cart:              {1 / ours_each:10.0f} quotes/s"
        f"  ({ours_each * 1e6:7.1f} µs, median {statistics.median(ours_runs) / NUMBER * 1e6:.1f})"
    )
    print(
        f"plain Decimal sums:      {1 / plain_each:10.0f} carts/s"
        f"  ({plain_each * 1e6:7.1f} µs, median {statistics.median(plain_runs) / NUMBER * 1e6:.1f})"
    )
    print(f"ratio quote / plain sums: {ours_each / plain_each:9.2f}x")


if __name__ == "__main__":
    main()
