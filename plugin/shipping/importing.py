"""Importing past deliveries (``flask defenceline import-shipments FILE.csv``), so the promise
report and calibration start from the shop's history rather than from nothing.

The file has a header row and the columns ``order_id, ordered_at, country, carrier,
dispatched_at, delivered_at`` (in any order; other columns are ignored). Moments are ISO 8601;
one without a UTC offset is read on the warehouse's clock. ``delivered_at`` is empty while the
parcel is in transit. Each row becomes an order (``origin = "import"``: no shopper details, no
message is ever sent for it) with the promise the delivery estimate gives for that country and
moment, a shipment with the same id as the order, and its events: ``in_transit`` at dispatch
and ``delivered`` at delivery, written the way `service.record_event` writes them. Importing
the same file again adds nothing; a later export with more deliveries adds those.

A file with any bad row imports nothing: every problem is listed with its row (as a
spreadsheet numbers it: the header is row 1) and column, and the transaction is rolled back.

`load_deliveries` is the bulk path, for the command and for anything else that loads history
(the promise benchmark): batched multi-row inserts, one estimate per (country, warehouse day,
before or after the cut-off) instead of one per row, and memory that does not grow with the
file (apart from the duplicate check's ids).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from defenceline.delivery import estimate_delivery
from defenceline.inputfiles import InputFileError, Problem
from defenceline.plugin.shipping.records import EventRow, OrderRow, ShipmentRow
from defenceline.plugin.shipping.service import (
    ID_PATTERN,
    ID_WORDS,
    FrozenPromise,
    derived_event_id,
    insert_missing,
    summarise,
)
from defenceline.plugin.shipping.statuses import ShipmentStatus
from defenceline.plugin.storage import Storage
from defenceline.plugin.timestamps import as_utc
from defenceline.policy import Policy
from defenceline.regions import is_country

__all__ = [
    "BATCH_SIZE",
    "COLUMNS",
    "ImportReport",
    "PastDelivery",
    "ShipmentFileError",
    "import_file",
    "load_deliveries",
    "read_past_deliveries",
]

COLUMNS = ("order_id", "ordered_at", "country", "carrier", "dispatched_at", "delivered_at")
BATCH_SIZE = 5_000
MAX_PROBLEMS = 50
# A row of six short columns is a few hundred bytes; csv's own field limit (128 KiB) only
# applies after a line was read.
MAX_LINE_BYTES = 65_536
_ID = re.compile(ID_PATTERN)


class ShipmentFileError(InputFileError):
    """A deliveries file that was not imported; nothing of it was written."""

    def heading(self) -> str:
        return f"{self.file}: not imported, nothing was written ({self.count()})"


@dataclass(frozen=True, slots=True)
class PastDelivery:
    """One delivery of the shop's history. Moments are aware; `row` is the file's row (0 when
    the delivery did not come from a file)."""

    order_id: str
    ordered_at: dt.datetime
    country: str
    carrier: str
    dispatched_at: dt.datetime
    delivered_at: dt.datetime | None
    row: int = 0


@dataclass
class ImportReport:
    """What an import did. `known` rows were recorded before (by an earlier import or the
    API); their new events (a delivery since) are still added."""

    rows: int = 0
    orders: int = 0
    known: int = 0
    delivered: int = 0
    in_transit: int = 0
    events: int = 0
    problems: list[Problem] = field(default_factory=list)


# --- reading -----------------------------------------------------------------------------------


def _lines(path: Path, problems: list[Problem]) -> Iterator[str]:
    """The file's lines as text, one at a time; a line that is not UTF-8 is a problem, and
    a line longer than `MAX_LINE_BYTES` ends the reading (a file without line breaks would
    otherwise be read into memory whole)."""
    with path.open("rb") as handle:
        number = 0
        while raw := handle.readline(MAX_LINE_BYTES + 1):
            number += 1
            if len(raw) > MAX_LINE_BYTES:
                message = (
                    f"the line is longer than {MAX_LINE_BYTES:,} bytes; expected one delivery "
                    "per line of a few hundred bytes"
                )
                problems.append(Problem(message, number))
                return
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                message = f"this is not UTF-8 text (byte {raw[exc.start]:#04x}); save it as UTF-8"
                problems.append(Problem(message, number))
                text = raw.decode("utf-8", "replace")
            yield text.removeprefix("\ufeff") if number == 1 else text


def _moment(text: str, zone: dt.tzinfo) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date and time; expected ISO 8601 such as "
            "2026-11-24T15:00:00+01:00 (without an offset: the warehouse's clock)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    if not 2000 <= moment.year <= 2099:
        raise ValueError(f"{text!r} is outside the years 2000-2099")
    return as_utc(moment)


def read_past_deliveries(
    path: Path, warehouse_zone: dt.tzinfo, problems: list[Problem]
) -> Iterator[PastDelivery]:
    """The file's rows as `PastDelivery`, in order. Bad rows are not yielded: each problem is
    appended to `problems` (up to `MAX_PROBLEMS`, then reading stops) with its row and
    column. The caller decides that a file with problems imports nothing."""
    try:
        lines = _lines(path, problems)
        reader = csv.reader(lines)
        header = next(reader, None)
    except OSError as exc:
        reason = "it is a folder" if isinstance(exc, IsADirectoryError) else exc.strerror
        problems.append(Problem(f"cannot read the file: {reason}; expected a CSV file"))
        return
    except csv.Error as exc:
        problems.append(Problem(f"not a CSV file: {exc}", 1))
        return
    names = [name.strip() for name in header or []]
    missing = [name for name in COLUMNS if name not in names]
    if missing:
        problems.append(
            Problem(
                f"the header row lacks {', '.join(missing)}; expected the columns "
                f"{', '.join(COLUMNS)}",
                1,
            )
        )
        return
    where = {name: names.index(name) for name in COLUMNS}
    seen: set[str] = set()
    try:
        for cells in reader:
            if len(problems) >= MAX_PROBLEMS:
                message = f"stopped reading after {MAX_PROBLEMS} problems; fix these first"
                problems.append(Problem(message, reader.line_num))
                return
            if not any(cell.strip() for cell in cells):
                continue
            delivery = _row(cells, where, reader.line_num, warehouse_zone, problems)
            if delivery is None:
                continue
            if delivery.order_id in seen:
                problems.append(
                    Problem(
                        f"order {delivery.order_id!r} is on an earlier row too; expected one "
                        "row per order",
                        delivery.row,
                        "order_id",
                    )
                )
                continue
            seen.add(delivery.order_id)
            yield delivery
    except csv.Error as exc:
        problems.append(Problem(f"not valid CSV: {exc}", reader.line_num))


def _row(
    cells: list[str],
    where: dict[str, int],
    row: int,
    zone: dt.tzinfo,
    problems: list[Problem],
) -> PastDelivery | None:
    """One row as a `PastDelivery`, or None after appending its problems."""
    found: dict[str, Any] = {}
    before = len(problems)

    def cell(name: str) -> str:
        index = where[name]
        return cells[index].strip() if index < len(cells) else ""

    def check(name: str, parse: Any) -> None:
        text = cell(name)
        if not text and name != "delivered_at":
            problems.append(Problem("empty; expected a value", row, name))
            return
        try:
            found[name] = parse(text) if text else None
        except ValueError as exc:
            problems.append(Problem(str(exc), row, name))

    check("order_id", _order_id)
    check("ordered_at", lambda text: _moment(text, zone))
    check("country", _country)
    check("carrier", _carrier)
    check("dispatched_at", lambda text: _moment(text, zone))
    check("delivered_at", lambda text: _moment(text, zone))
    if len(problems) > before:
        return None
    ordered, dispatched, delivered = (
        found["ordered_at"],
        found["dispatched_at"],
        found["delivered_at"],
    )
    if dispatched < ordered:
        problems.append(
            Problem(
                "before ordered_at; expected the dispatch after the order", row, "dispatched_at"
            )
        )
        return None
    if delivered is not None and delivered < dispatched:
        problems.append(
            Problem(
                "before dispatched_at; expected the delivery after the dispatch",
                row,
                "delivered_at",
            )
        )
        return None
    return PastDelivery(
        found["order_id"], ordered, found["country"], found["carrier"], dispatched, delivered, row
    )


def _order_id(text: str) -> str:
    if not _ID.match(text):
        raise ValueError(f"{text[:120]!r}; expected {ID_WORDS}")
    return text


def _country(text: str) -> str:
    code = text.upper()
    if len(code) != 2 or not is_country(code):
        raise ValueError(f"{text!r}; expected an ISO 3166-1 alpha-2 country code such as NL")
    return code


def _carrier(text: str) -> str:
    if len(text) > 64 or any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise ValueError(f"{text[:80]!r}; expected a carrier name of at most 64 characters")
    return text


# --- writing -----------------------------------------------------------------------------------


class _Promises:
    """The promise per (country, warehouse day, before the cut-off): every order of one day to
    one country, before (or after) that day's cut-off, gets the same estimate."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.zone = policy.warehouse.zone
        self.cache: dict[tuple[str, dt.date, bool], FrozenPromise] = {}

    def __call__(self, country: str, ordered_at: dt.datetime) -> FrozenPromise:
        local = ordered_at.astimezone(self.zone)
        cut = self.policy.warehouse.cutoff_on(local.date())
        key = (country, local.date(), cut is not None and local.time() < cut)
        promise = self.cache.get(key)
        if promise is None:
            estimate = estimate_delivery(self.policy, country, ordered_at)
            promise = FrozenPromise(estimate.earliest, estimate.latest, "estimate", estimate.zone)
            self.cache[key] = promise
        return promise


@dataclass(frozen=True, slots=True)
class _Event:
    """An event's facts as `summarise` reads them, without an ORM object per row."""

    status: str
    at: dt.datetime
    event_id: str
    expected_delivery: dt.date | None = None


def _events(delivery: PastDelivery) -> list[_Event]:
    found = [(ShipmentStatus.IN_TRANSIT.value, delivery.dispatched_at)]
    if delivery.delivered_at is not None:
        found.append((ShipmentStatus.DELIVERED.value, delivery.delivered_at))
    return [_Event(status, at, derived_event_id(status, at, None)) for status, at in found]


class _Bulk:
    """Plain executemany INSERTs of rows known to be new, with values already in the
    database's own form (SQLite: the text SQLAlchemy writes for a UTC datetime or a date;
    PostgreSQL: aware datetimes), so no per-value type conversion runs in Python - most of an
    import's time otherwise."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.sqlite = session.get_bind().dialect.name == "sqlite"

    def moment(self, value: dt.datetime | None) -> object:
        if value is None or not self.sqlite:
            return value
        if value.utcoffset():  # moments here are UTC already; this is only a safeguard
            value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None).isoformat(" ", "microseconds")

    def day(self, value: dt.date | None) -> object:
        return value.isoformat() if value is not None and self.sqlite else value

    def insert(self, model: Any, rows: list[dict[str, Any]], **constants: str) -> None:
        """INSERT `rows` (dicts with the same keys) into `model`'s table through the driver's
        executemany; `constants` are SQL literals for every row."""
        if not rows:
            return
        connection = self.session.connection()
        quote = connection.dialect.identifier_preparer.quote
        mark = "?" if self.sqlite else "%s"  # sqlite3's and psycopg's positional parameters
        names = ", ".join(quote(name) for name in [*rows[0], *constants])
        values = ", ".join([mark] * len(rows[0]) + list(constants.values()))
        sql = f"INSERT INTO {quote(model.__tablename__)} ({names}) VALUES ({values})"
        connection.exec_driver_sql(sql, [tuple(row.values()) for row in rows])


def load_deliveries(
    session: Session,
    policy: Policy,
    deliveries: Iterable[PastDelivery],
    now: dt.datetime,
    *,
    batch_size: int = BATCH_SIZE,
    problems: list[Problem] | None = None,
) -> ImportReport:
    """Write `deliveries` into the shipping tables in `session`'s transaction, in batches.

    A delivery recorded before (same order id) is checked, not written again: the same
    country, moment, carrier and dispatch add only events it lacks (its summary recomputed);
    other facts are a problem naming the row and column. Once `problems` holds any, nothing
    more is written (the caller rolls back); reading goes on so that every problem is found.
    """
    report = ImportReport(problems=problems if problems is not None else [])
    promises = _Promises(policy)
    stamp = as_utc(now)
    batch: list[PastDelivery] = []
    for delivery in deliveries:
        report.rows += 1
        if report.problems:
            continue
        batch.append(delivery)
        if len(batch) >= batch_size:
            _write(session, batch, promises, stamp, report)
            batch = []
    if batch and not report.problems:
        _write(session, batch, promises, stamp, report)
    return report


def _check_known_ids(session: Session, batch: list[PastDelivery]) -> set[str]:
    ids = [d.order_id for d in batch]
    return set(session.scalars(select(OrderRow.order_id).where(OrderRow.order_id.in_(ids))))


def _write(
    session: Session,
    batch: list[PastDelivery],
    promises: _Promises,
    stamp: dt.datetime,
    report: ImportReport,
) -> None:
    known_ids = _check_known_ids(session, batch)
    known = [d for d in batch if d.order_id in known_ids]
    if known:
        _check_known(session, known, report)
        if report.problems:
            return
    bulk = _Bulk(session)
    recorded = bulk.moment(stamp)
    orders: list[dict[str, Any]] = []
    shipments: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for d in batch:
        if d.order_id in known_ids:
            continue
        promise = promises(d.country, d.ordered_at)
        facts = _events(d)
        summary = summarise(facts)
        orders.append(
            {
                "order_id": d.order_id,
                "country": d.country,
                "placed_at": bulk.moment(d.ordered_at),
                "promise_earliest": bulk.day(promise.earliest),
                "promise_latest": bulk.day(promise.latest),
                "promise_source": promise.source,
                "zone": promise.zone,
                "recorded_at": recorded,
            }
        )
        shipments.append(
            {
                "shipment_id": d.order_id,
                "order_id": d.order_id,
                "carrier": d.carrier,
                "dispatched_at": bulk.moment(d.dispatched_at),
                "status": summary["status"],
                "status_at": bulk.moment(summary["status_at"]),
                "first_attempt_at": bulk.moment(summary["first_attempt_at"]),
                "delivered_at": bulk.moment(summary["delivered_at"]),
                "recorded_at": recorded,
            }
        )
        events.extend(
            {
                "shipment_id": d.order_id,
                "event_id": e.event_id,
                "status": e.status,
                "at": bulk.moment(e.at),
                "received_at": recorded,
            }
            for e in facts
        )
    # Every imported order: no lines, not unsubscribed, imported (never messaged).
    bulk.insert(OrderRow, orders, lines="'[]'", unsubscribed_optional="false", origin="'import'")
    bulk.insert(ShipmentRow, shipments)
    bulk.insert(EventRow, events)
    report.orders += len(orders)
    report.events += len(events)
    if known:
        report.events += _add_events(session, known, stamp)
    report.known += len(known)
    report.delivered += sum(1 for d in batch if d.delivered_at is not None)
    report.in_transit += sum(1 for d in batch if d.delivered_at is None)


def _add_events(session: Session, known: list[PastDelivery], stamp: dt.datetime) -> int:
    """For deliveries recorded before: the shipment if the order had none by that id, and the
    events it lacks (a delivery since); their summaries recomputed. The number of events."""
    shipments = [
        {
            "shipment_id": d.order_id,
            "order_id": d.order_id,
            "carrier": d.carrier,
            "dispatched_at": d.dispatched_at,
            "recorded_at": stamp,
        }
        for d in known
    ]
    insert_missing(session, ShipmentRow.__table__, shipments, ShipmentRow.shipment_id)
    events = [
        {
            "shipment_id": d.order_id,
            "event_id": e.event_id,
            "status": e.status,
            "at": e.at,
            "received_at": stamp,
        }
        for d in known
        for e in _events(d)
    ]
    written = insert_missing(session, EventRow.__table__, events, EventRow.id)
    if written:
        _resummarise(session, {d.order_id for d in known})
    return len(written)


def _check_known(session: Session, known: list[PastDelivery], report: ImportReport) -> None:
    """Problems for rows whose order or shipment was recorded with other facts."""
    ids = [d.order_id for d in known]
    orders = {
        row.order_id: row
        for row in session.scalars(select(OrderRow).where(OrderRow.order_id.in_(ids)))
    }
    shipments = {
        row.shipment_id: row
        for row in session.scalars(select(ShipmentRow).where(ShipmentRow.shipment_id.in_(ids)))
    }
    for d in known:
        order, shipment = orders[d.order_id], shipments.get(d.order_id)
        differences = [
            ("country", order.country, d.country),
            ("ordered_at", as_utc(order.placed_at), d.ordered_at),
        ]
        if shipment is not None:
            differences += [
                ("carrier", shipment.carrier, d.carrier),
                ("dispatched_at", as_utc(shipment.dispatched_at), d.dispatched_at),
            ]
        for name, recorded, given in differences:
            if recorded != given:
                shown = recorded.isoformat() if isinstance(recorded, dt.datetime) else recorded
                report.problems.append(
                    Problem(
                        f"order {d.order_id!r} was recorded with {name} {shown}; expected "
                        "the same (a recorded delivery is not changed by an import)",
                        d.row,
                        name,
                    )
                )
                break


def _resummarise(session: Session, shipment_ids: set[str]) -> None:
    """Recompute the summary of shipments recorded before that got new events."""
    rows = session.scalars(
        select(ShipmentRow).where(ShipmentRow.shipment_id.in_(sorted(shipment_ids)))
    )
    for row in rows:
        events = session.scalars(select(EventRow).where(EventRow.shipment_id == row.shipment_id))
        for name, value in summarise(list(events)).items():
            setattr(row, name, value)
    session.flush()


def import_file(storage: Storage, policy: Policy, path: Path, now: dt.datetime) -> ImportReport:
    """Import the deliveries in the CSV file at `path` in one transaction; `ShipmentFileError`
    listing every problem (and nothing written) when any row is bad."""
    problems: list[Problem] = []
    deliveries = read_past_deliveries(path, policy.warehouse.zone, problems)
    session = storage.sessions()()
    try:
        with session.begin():
            report = load_deliveries(session, policy, deliveries, now, problems=problems)
            if problems:
                raise ShipmentFileError(str(path), problems)
    finally:
        session.close()
    return report
