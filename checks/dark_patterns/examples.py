"""The example product page the dark-pattern rules' documentation shows.

Every rule carries a failing and a passing example (rendered into `docs/rules/`); most show the
same small product - a bicycle bag with its price and buy button - with the pattern next to it,
so a reader compares like with like. The product is written once here.
"""

from __future__ import annotations

__all__ = ["BUY_BOX"]

BUY_BOX = "<h1>Fietstas</h1><p>€ 49,95</p><button>In winkelwagen</button>"
