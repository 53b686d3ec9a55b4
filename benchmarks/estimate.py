"""What one delivery estimate costs, against the floor of the work it must do.

Baseline, measured in the same run: one python-holidays look-up (`date in calendar`) plus one
zoneinfo conversion (`moment.astimezone(zone)`) — the least an estimate could do. The estimate
does that and more (cut-off, handling days, several carrier days), so the ratio says how close
to the floor it stays. Run: `.venv/bin/python benchmarks/estimate.py`.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import timeit
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays

from defenceline import delivery, estimate_delivery, load_policy

ROOT = Path(__file__).resolve().parent.parent
N = 2_000
REPEATS = 7


def main() -> None:
    policy = load_policy(ROOT / "examples" / "demo-shop" / "store.toml")
    rng = random.Random(2026)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    moments = [start + dt.timedelta(minutes=rng.randrange(2 * 365 * 24 * 60)) for _ in range(N)]
    countries = [rng.choice(["NL", "BE", "DE"]) for _ in range(N)]
    zone = ZoneInfo("Europe/Amsterdam")
    calendar = holidays.country_holidays("NL")
    for moment in moments:  # warm both: calendars for every year, zoneinfo transitions
        _ = moment.date() in calendar
        estimate_delivery(policy, "NL", moment)

    def estimates() -> None:
        for moment, country in zip(moments, countries, strict=True):
            estimate_delivery(policy, country, moment)

    def floor() -> None:
        for moment in moments:
            _ = moment.astimezone(zone).date() in calendar

    def cold_estimates() -> None:
        delivery._memos.clear()  # every order day computed afresh, as on a first request
        estimates()

    cold = min(timeit.repeat(cold_estimates, number=1, repeat=REPEATS)) / N
    ours = min(timeit.repeat(estimates, number=1, repeat=REPEATS)) / N
    base = min(timeit.repeat(floor, number=1, repeat=REPEATS)) / N
    ours_median = statistics.median(timeit.repeat(estimates, number=1, repeat=REPEATS)) / N
    print(f"{N} order moments over two years, NL/BE/DE, demo policy")
    print(
        f"one estimate (day seen before):       {ours * 1e6:8.2f} µs"
        f" (median {ours_median * 1e6:.2f})"
    )
    print(f"one estimate (day computed afresh):   {cold * 1e6:8.2f} µs")
    print(f"one holidays look-up + one zoneinfo:  {base * 1e6:8.2f} µs")
    print(f"ratio estimate / floor:               {ours / base:8.2f}x (afresh: {cold / base:.2f}x)")


if __name__ == "__main__":
    main()
