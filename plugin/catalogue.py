"""How the plugin reads products: a small interface, and a SQL-backed default.

The storefront owns its catalogue. The plugin only needs to *read* a variant's facts (price,
VAT class, weight, stock, restock date, image), so any object with `get(sku)` and
`get_many(skus)` returning `Product` values will do::

    class MyCatalogue:
        def get(self, sku: str) -> Product | None: ...
        def get_many(self, skus: Iterable[str]) -> dict[str, Product]: ...

    app.config["DEFENCELINE_CATALOGUE"] = MyCatalogue()

A catalogue that can also `update_stock(...)` lets a headless back office keep the stock
widget true through ``PUT {prefix}/api/v1/stock/<sku>``. The default `SqlCatalogue` does both,
and is filled from a CSV or JSON file with `flask defenceline import-catalogue FILE`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Protocol, runtime_checkable

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)
from sqlalchemy import bindparam, select

from defenceline.money import parse_money
from defenceline.plugin.api.problems import dotted_path, error_words
from defenceline.plugin.storage import ProductRow, Storage, utcnow

__all__ = [
    "SKU_MAX_LENGTH",
    "SKU_PATTERN",
    "Catalogue",
    "CatalogueError",
    "Product",
    "Sku",
    "SqlCatalogue",
    "StockChange",
    "WritableCatalogue",
    "parse_catalogue",
    "read_catalogue_file",
]

_UNSET: Any = object()

# What a SKU is, everywhere: in a catalogue file, in the API's bodies and paths, in the OpenAPI
# document. Printable text of at most 64 characters that does not start with a slash or a
# space, so it fits one path segment's start (`/api/v1/stock/<sku>`) and reads the same after
# a strip; a slash inside is fine (the URL converter takes the rest of the path).
SKU_MAX_LENGTH = 64
SKU_PATTERN = r"^[^/\x00-\x20\x7f][^\x00-\x1f\x7f]*$"
Sku = Annotated[
    str, StringConstraints(min_length=1, max_length=SKU_MAX_LENGTH, pattern=SKU_PATTERN)
]


@dataclass(frozen=True)
class Product:
    """One sellable variant, as the plugin sees it."""

    sku: str
    name: str
    price: Decimal
    vat_class: str = "standard"
    weight_kg: Decimal | None = None
    stock_on_hand: int = 0
    reserved: int = 0
    restock_date: dt.date | None = None
    preorder: bool = False
    image_url: str | None = None
    attributes: Mapping[str, str] = field(default_factory=dict)
    product_id: str | None = None
    category: str | None = None
    description: str | None = None

    @property
    def available(self) -> int:
        """Stock that can still be sold: on hand minus reserved, never below zero."""
        return max(0, self.stock_on_hand - self.reserved)


@runtime_checkable
class Catalogue(Protocol):
    """What the plugin needs from a shop's catalogue."""

    def get(self, sku: str) -> Product | None: ...

    def get_many(self, skus: Iterable[str]) -> dict[str, Product]: ...


@dataclass(frozen=True)
class StockChange:
    """What a stock update changed, for listeners such as back-in-stock alerts.

    `before` is None when the shop reported only the new level (`DefenceLine.stock_changed`):
    its own catalogue already holds the new state when it tells the plugin.
    """

    sku: str
    before: Product | None
    after: Product


@runtime_checkable
class WritableCatalogue(Catalogue, Protocol):
    """A catalogue whose stock the plugin may update."""

    def update_stock(
        self,
        sku: str,
        *,
        stock_on_hand: int | None = None,
        reserved: int | None = None,
        restock_date: dt.date | None = _UNSET,
    ) -> StockChange | None: ...


class CatalogueError(Exception):
    """A catalogue file that cannot be imported; `problems` name the row and column."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        count = len(problems)
        super().__init__(
            f"{source}: {count} problem{'s' if count != 1 else ''} in the catalogue\n"
            + "\n".join(f"  {p}" for p in problems)
        )


# --- the SQL catalogue -------------------------------------------------------------------------


def _product(row: ProductRow) -> Product:
    return _product_from({c.key: getattr(row, c.key) for c in ProductRow.__table__.columns})


# A product's fields are its row's columns of the same name; the row holds money and weight as
# decimal text (see `ProductRow`), and the attributes as a JSON object.
_FIELDS = tuple(f.name for f in fields(Product))


def _product_from(row: Mapping[Any, Any]) -> Product:
    values = {name: row[name] for name in _FIELDS}
    weight = values["weight_kg"]
    return Product(
        **{
            **values,
            "price": Decimal(values["price"]),
            "weight_kg": Decimal(weight) if weight is not None else None,
            "attributes": dict(values["attributes"] or {}),
        }
    )


def _columns(product: Product) -> dict[str, Any]:
    """`product` as its row's column values (the inverse of `_product_from`)."""
    values = {name: getattr(product, name) for name in _FIELDS}
    weight = product.weight_kg
    return {
        **values,
        "price": str(product.price),
        "weight_kg": str(weight) if weight is not None else None,
        "attributes": dict(product.attributes),
    }


class SqlCatalogue:
    """The default catalogue: products in the plugin's own database (table ``dl_products``)."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    # Reads use SQLAlchemy Core on a pooled connection rather than an ORM session: a widget
    # request reads one row, and the session's bookkeeping cost more than the query.
    _by_sku = select(ProductRow.__table__).where(ProductRow.sku == bindparam("sku"))
    _by_skus = select(ProductRow.__table__).where(
        ProductRow.sku.in_(bindparam("skus", expanding=True))
    )

    def get(self, sku: str) -> Product | None:
        self._storage.sessions()  # the schema exists from here on
        with self._storage.engine.connect() as connection:
            row = connection.execute(self._by_sku, {"sku": sku}).mappings().first()
        return _product_from(row) if row is not None else None

    def get_many(self, skus: Iterable[str]) -> dict[str, Product]:
        wanted = list(dict.fromkeys(skus))
        if not wanted:
            return {}
        self._storage.sessions()
        with self._storage.engine.connect() as connection:
            rows = connection.execute(self._by_skus, {"skus": wanted}).mappings().all()
        return {row["sku"]: _product_from(row) for row in rows}

    def all(self) -> list[Product]:
        with self._storage.sessions()() as session:
            return [_product(r) for r in session.scalars(select(ProductRow).order_by("sku"))]

    def update_stock(
        self,
        sku: str,
        *,
        stock_on_hand: int | None = None,
        reserved: int | None = None,
        restock_date: dt.date | None = _UNSET,
    ) -> StockChange | None:
        """Change a variant's stock; None when the SKU is unknown. One transaction."""
        with self._storage.sessions().begin() as session:
            row = session.get(ProductRow, sku, with_for_update=True)
            if row is None:
                return None
            before = _product(row)
            if stock_on_hand is not None:
                row.stock_on_hand = stock_on_hand
            if reserved is not None:
                row.reserved = reserved
            if restock_date is not _UNSET:
                row.restock_date = restock_date
            row.updated_at = utcnow()
            session.flush()
            return StockChange(sku, before, _product(row))

    def replace_products(self, products: Iterable[Product]) -> list[StockChange]:
        """Insert or update `products` by SKU in one transaction (all or nothing).

        Returns the stock changes of SKUs that existed before, so listeners can react to a
        restock that arrived through an import.
        """
        changes: list[StockChange] = []
        with self._storage.sessions().begin() as session:
            for product in products:
                row = session.get(ProductRow, product.sku)
                before = _product(row) if row is not None else None
                if row is None:
                    row = ProductRow(sku=product.sku)
                    session.add(row)
                for column, value in _columns(product).items():
                    setattr(row, column, value)
                row.updated_at = utcnow()
                if before is not None:
                    changes.append(StockChange(product.sku, before, product))
        return changes


# --- reading catalogue files -------------------------------------------------------------------


def _blank_to_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


def _attributes(value: object) -> object:
    """Variant attributes: a mapping, or ``"Colour=Black;Size=M"`` text (CSV)."""
    value = _blank_to_none(value)
    if value is None:
        return {}
    if isinstance(value, str):
        pairs = [part.split("=", 1) for part in value.split(";") if part.strip()]
        if any(len(pair) != 2 for pair in pairs):
            raise ValueError(f"expected 'Name=Value;Name=Value', got {value!r}")
        return {k.strip(): v.strip() for k, v in pairs}
    return value


def _boolean(value: object) -> object:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in {"", "0", "false", "no"}:
            return False
        if text in {"1", "true", "yes"}:
            return True
    return value


OptionalText = Annotated[str | None, BeforeValidator(_blank_to_none)]


# Bounds on what a catalogue file may say: far beyond any shop, far within what the database
# and the rate tables handle (10**26 items overflowed SQLite's INTEGER with a traceback).
MAX_STOCK = 1_000_000_000
MAX_WEIGHT_KG = Decimal(100_000)


class _ProductRecord(BaseModel):
    """One row of a catalogue file, validated. `stock` is accepted for `stock_on_hand`."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    sku: Sku
    name: Annotated[str, Field(min_length=1, max_length=300)]
    price: Annotated[Decimal, BeforeValidator(parse_money), Field(ge=0)]
    vat_class: Annotated[str, BeforeValidator(lambda v: _blank_to_none(v) or "standard")] = (
        "standard"
    )
    weight_kg: Annotated[
        Annotated[Decimal, Field(ge=0, le=MAX_WEIGHT_KG)] | None, BeforeValidator(_blank_to_none)
    ] = None
    stock_on_hand: Annotated[
        int,
        BeforeValidator(lambda v: _blank_to_none(v) or 0),
        Field(ge=0, le=MAX_STOCK, alias="stock"),
    ] = 0
    reserved: Annotated[
        int, BeforeValidator(lambda v: _blank_to_none(v) or 0), Field(ge=0, le=MAX_STOCK)
    ] = 0
    restock_date: Annotated[dt.date | None, BeforeValidator(_blank_to_none)] = None
    preorder: Annotated[bool, BeforeValidator(_boolean)] = False
    image_url: OptionalText = None
    attributes: Annotated[dict[str, str], BeforeValidator(_attributes)] = {}
    product_id: OptionalText = None
    category: OptionalText = None
    description: OptionalText = None

    def product(self) -> Product:
        return Product(**self.model_dump())


_COLUMN_ALIASES = {"variant": "attributes", "product": "product_id"}


def _column(loc: tuple[int | str, ...]) -> str:
    """The column a catalogue error is about ("row" for the row as a whole)."""
    return dotted_path(loc) if loc else "row"


def parse_catalogue(
    rows: Iterable[Mapping[Any, Any]], source: str = "catalogue", first_row: int = 1
) -> list[Product]:
    """Validate catalogue rows (mappings with the file columns); `CatalogueError` names every
    bad row (counted from `first_row`) and column, and nothing is returned from bad input."""
    return _records(source, [dict(row) for row in rows], first_row)


def _records(source: str, raw: list[dict[Any, Any]], first_row: int) -> list[Product]:
    products: list[Product] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for offset, item in enumerate(raw):
        where = f"row {first_row + offset}"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected an object with sku, name and price")
            continue
        if None in item:  # csv.DictReader puts surplus fields under None
            problems.append(f"{where}: more fields than the header has columns")
            continue
        data = {_COLUMN_ALIASES.get(k, k): v for k, v in item.items()}
        try:
            record = _ProductRecord.model_validate(data)
        except ValidationError as exc:
            unknown = "unknown column; expected sku, name, price and the optional ones"
            for err in exc.errors():
                column, message = error_words(err, unknown, _column)
                problems.append(f"{where}, {column}: {message} (got {err.get('input')!r})")
            continue
        if record.sku in seen:
            problems.append(
                f"{where}, sku: {record.sku!r} already appears in row {seen[record.sku]}"
            )
            continue
        seen[record.sku] = first_row + offset
        products.append(record.product())
    if problems:
        raise CatalogueError(source, problems)
    return products


def read_catalogue_file(path: str | Path) -> list[Product]:
    """Read and validate a catalogue file (``.csv`` with a header row, or ``.json``: a list of
    objects). Raises `CatalogueError` naming every bad row and column; nothing is imported
    from a file with any problem."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CatalogueError(str(path), ["no such file"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = "it is not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else str(exc)
        raise CatalogueError(str(path), [f"cannot read the file: {reason}"]) from None
    suffix = file.suffix.lower()
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CatalogueError(
                str(path), [f"line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}"]
            ) from None
        except (ValueError, RecursionError):  # huge numbers, nesting past the parser's depth
            raise CatalogueError(
                str(path), ["invalid JSON: nested or sized beyond reason"]
            ) from None
        if isinstance(data, dict) and isinstance(data.get("products"), list):
            data = data["products"]
        if not isinstance(data, list):
            raise CatalogueError(str(path), ["expected a JSON list of products"])
        return _records(str(path), data, first_row=1)
    if suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        missing = {"sku", "name", "price"} - set(reader.fieldnames or [])
        if missing:
            raise CatalogueError(
                str(path), [f"line 1: the header lacks the column(s) {', '.join(sorted(missing))}"]
            )
        return _records(str(path), list(reader), first_row=2)
    raise CatalogueError(
        str(path), [f"unknown file type {suffix or '(none)'}; expected .csv or .json"]
    )
