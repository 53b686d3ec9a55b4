"""The demo shop's products: `catalogue.csv` in the plugin's import format.

A restock date may be written relative to the day the demo starts (``today+9``), so the demo
never shows a restock date in the past; everything else is imported as a shop would import it.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from defenceline.plugin.catalogue import Product, parse_catalogue

HERE = Path(__file__).resolve().parent
CATALOGUE = HERE / "catalogue.csv"


def demo_products(today: dt.date, path: Path = CATALOGUE) -> list[Product]:
    """The demo's products with relative restock dates resolved against `today`."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        restock = row.get("restock_date", "").strip()
        if restock.startswith("today+"):
            days = int(restock.removeprefix("today+"))
            row["restock_date"] = (today + dt.timedelta(days=days)).isoformat()
        row["image_url"] = f"/img/{row['sku']}.svg"
    return parse_catalogue(rows, str(path), first_row=2)
