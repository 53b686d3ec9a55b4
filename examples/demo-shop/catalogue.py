"""The demo shop's products, read from `catalogue.csv`.

A restock date may be written relative to today (``today+9``) so the demo never shows a restock
date in the past.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Variant:
    sku: str
    product: str
    name: str
    attributes: dict[str, str]
    category: str
    price: Decimal
    vat_class: str
    weight_kg: Decimal
    stock: int
    reserved: int
    restock_date: dt.date | None
    colour: str
    description: str

    @property
    def available(self) -> int:
        return max(0, self.stock - self.reserved)

    @property
    def label(self) -> str:
        return ", ".join(self.attributes.values()) or self.name


def _restock(value: str, today: dt.date) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    if value.startswith("today+"):
        return today + dt.timedelta(days=int(value.removeprefix("today+")))
    return dt.date.fromisoformat(value)


def load_catalogue(
    path: Path = HERE / "catalogue.csv", today: dt.date | None = None
) -> list[Variant]:
    today = today or dt.date.today()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Variant(
            sku=row["sku"],
            product=row["product"],
            name=row["name"],
            attributes=dict(
                part.split("=", 1) for part in row["variant"].split(";") if "=" in part
            ),
            category=row["category"],
            price=Decimal(row["price"]),
            vat_class=row["vat_class"],
            weight_kg=Decimal(row["weight_kg"]),
            stock=int(row["stock"]),
            reserved=int(row["reserved"]),
            restock_date=_restock(row["restock_date"], today),
            colour=row["colour"],
            description=row["description"],
        )
        for row in rows
    ]
