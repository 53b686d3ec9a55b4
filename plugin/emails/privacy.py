"""What the email features hold about an address, and letting it go.

* `unsubscribe` — the one-click link (RFC 8058) and the visible link: the address is put on
  the suppression list for that purpose, its pending reminders or subscriptions stop, and the
  withdrawal is recorded next to the consent it ends.
* `export_address` — everything held about an address, as JSON-ready data (``flask
  defenceline export EMAIL``; GDPR art. 15).
* `forget_address` — erase carts, consents, subscriptions, tokens and outbox rows of an address
  (``flask defenceline forget EMAIL``; GDPR art. 17), keeping only hashed suppression entries so
  the address is never emailed again — the one thing erasure must not undo.

Features above the emails (the shipping orders) hold personal data too; they add their part
of the export and of the erasure with `hold_personal_data`, since this module may not import
them (the plugin's import layers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from defenceline.plugin.cart.tracking import CartRow
from defenceline.plugin.emails.alerts import ACTIVE, StockSubscriptionRow
from defenceline.plugin.emails.consent import (
    ConsentRow,
    Purpose,
    SuppressionRow,
    address_hash,
    record_consent,
    suppress,
)
from defenceline.plugin.emails.outbox import OutboxRow, OutboxStatus
from defenceline.plugin.emails.reminders import AddressSequenceRow
from defenceline.plugin.emails.tokens import TokenRow
from defenceline.plugin.storage import Storage

__all__ = ["PersonalData", "export_address", "forget_address", "hold_personal_data", "unsubscribe"]


@dataclass(frozen=True)
class PersonalData:
    """A feature's part in `export_address` and `forget_address`. `export(session, address)`
    gives its JSON-ready sections; `forget(session, address)` erases or anonymises them in
    the erasure's transaction and gives the rows changed per kind; `tables` are scrubbed
    after it (`_scrub`)."""

    export: Callable[[Session, str], dict[str, Any]]
    forget: Callable[[Session, str], dict[str, int]]
    tables: tuple[str, ...]


_HOLDERS: dict[str, PersonalData] = {}


def hold_personal_data(name: str, holder: PersonalData) -> None:
    """Include `holder` in every export and erasure (registering a name again replaces it)."""
    _HOLDERS[name] = holder


def _known_address(session: Session, hashed: str) -> str | None:
    for query in (
        select(CartRow.email).where(CartRow.address_hash == hashed),
        select(StockSubscriptionRow.email).where(StockSubscriptionRow.address_hash == hashed),
        select(ConsentRow.email).where(ConsentRow.address_hash == hashed),
    ):
        found = session.scalars(query.limit(1)).first()
        if found:
            return found
    return None


def unsubscribe(session: Session, token: TokenRow, now: dt.datetime) -> Purpose:
    """Suppress the token's address for the token's purpose (idempotent)."""
    purpose = Purpose(token.scope or Purpose.CART_REMINDERS.value)
    hashed = token.address_hash or ""
    suppress(session, hashed, purpose, "unsubscribed")
    address = _known_address(session, hashed)
    if address is not None:
        record_consent(
            session, address, purpose, False, "unsubscribe link in an email", token.id[:12], now
        )
    if purpose is Purpose.CART_REMINDERS:
        session.execute(
            update(CartRow)
            .where(CartRow.address_hash == hashed, CartRow.ordered_at.is_(None))
            .values(next_reminder_at=None, stopped_reason="unsubscribed")
            .execution_options(synchronize_session=False)
        )
    elif purpose is Purpose.STOCK_ALERTS:
        session.execute(
            update(StockSubscriptionRow)
            .where(
                StockSubscriptionRow.address_hash == hashed,
                StockSubscriptionRow.status.in_(ACTIVE),
            )
            .values(status="unsubscribed")
            .execution_options(synchronize_session=False)
        )
    # Messages not yet claimed are cancelled now; one being sent this instant is stopped by
    # the sender's re-check.
    session.execute(
        update(OutboxRow)
        .where(
            OutboxRow.address_hash == hashed,
            OutboxRow.purpose == purpose.value,
            OutboxRow.status == OutboxStatus.PENDING.value,
        )
        .values(status=OutboxStatus.CANCELLED.value, reason="the address unsubscribed")
        .execution_options(synchronize_session=False)
    )
    token.used_at = now
    return purpose


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_address(storage: Storage, address: str) -> dict[str, Any]:
    """Everything held about `address` (exact, case-insensitive match)."""
    hashed = address_hash(address)
    with storage.sessions()() as session:

        def held(row_type: Any, *order: Any) -> Sequence[Any]:
            """The rows of `row_type` about this address."""
            query = select(row_type).where(row_type.address_hash == hashed).order_by(*order)
            return session.scalars(query).all()

        carts = held(CartRow)
        consents = held(ConsentRow, ConsentRow.id)
        subscriptions = held(StockSubscriptionRow)
        messages = held(OutboxRow, OutboxRow.id)
        suppressions = held(SuppressionRow)
        return {
            "address": address,
            "carts": [
                {
                    "id": c.id,
                    "email": c.email,
                    "name": c.name,
                    "lines": c.lines,
                    "locale": c.locale,
                    "country": c.country,
                    "timezone": c.timezone,
                    "user_agent": c.user_agent,
                    "created_at": _iso(c.created_at),
                    "last_activity_at": _iso(c.last_activity_at),
                    "ordered_at": _iso(c.ordered_at),
                    "order_total": c.order_total,
                    "reminders_scheduled": c.reminders_scheduled,
                    "next_reminder_at": _iso(c.next_reminder_at),
                }
                for c in carts
            ],
            "consents": [
                {
                    "purpose": c.purpose,
                    "granted": c.granted,
                    "method": c.method,
                    "reference": c.reference,
                    "recorded_at": _iso(c.recorded_at),
                }
                for c in consents
            ],
            "stock_alerts": [
                {
                    "sku": s.sku,
                    "status": s.status,
                    "locale": s.locale,
                    "created_at": _iso(s.created_at),
                    "confirmed_at": _iso(s.confirmed_at),
                    "notified_at": _iso(s.notified_at),
                    "expires_at": _iso(s.expires_at),
                }
                for s in subscriptions
            ],
            "emails": [
                {
                    "kind": m.kind,
                    "subject": m.subject,
                    "status": m.status,
                    "message_id": m.message_id,
                    "created_at": _iso(m.created_at),
                    "sent_at": _iso(m.sent_at),
                    "reason": m.reason,
                }
                for m in messages
            ],
            "suppressed_for": sorted(s.purpose for s in suppressions),
            **{
                section: rows
                for holder in _HOLDERS.values()
                for section, rows in holder.export(session, address).items()
            },
        }


def forget_address(storage: Storage, address: str) -> dict[str, int]:
    """Erase what is held about `address`; keep only hashed suppression entries. Returns the
    number of rows erased per kind. One transaction: all or nothing."""
    hashed = address_hash(address)
    counts: dict[str, int] = {}
    dialect = storage.engine.dialect.name
    with storage.sessions().begin() as session:
        if dialect == "sqlite":
            # Overwrite deleted content with zeros instead of leaving it in free pages.
            session.connection().exec_driver_sql("PRAGMA secure_delete = ON")
        cart_ids = list(session.scalars(select(CartRow.id).where(CartRow.address_hash == hashed)))
        subscription_ids = list(
            session.scalars(
                select(StockSubscriptionRow.id).where(StockSubscriptionRow.address_hash == hashed)
            )
        )

        def erase(name: str, statement: Any) -> None:
            result = session.execute(statement.execution_options(synchronize_session=False))
            counts[name] = int(getattr(result, "rowcount", 0) or 0)

        erase(
            "tokens",
            delete(TokenRow).where(
                or_(
                    TokenRow.address_hash == hashed,
                    TokenRow.cart_id.in_(cart_ids),
                    TokenRow.subscription_id.in_(subscription_ids),
                )
            ),
        )
        erase("emails", delete(OutboxRow).where(OutboxRow.address_hash == hashed))
        erase("carts", delete(CartRow).where(CartRow.id.in_(cart_ids)))
        erase("consents", delete(ConsentRow).where(ConsentRow.address_hash == hashed))
        erase(
            "stock_alerts",
            delete(StockSubscriptionRow).where(StockSubscriptionRow.id.in_(subscription_ids)),
        )
        erase(
            "reminder_sequences",
            delete(AddressSequenceRow).where(AddressSequenceRow.address_hash == hashed),
        )
        for holder in _HOLDERS.values():
            counts.update(holder.forget(session, address))
        for purpose in Purpose:
            suppress(session, hashed, purpose, "forgotten")
    _scrub(storage)
    return counts


_ERASED_TABLES = ("dl_email_tokens", "dl_outbox", "dl_carts", "dl_consents",
                  "dl_stock_subscriptions", "dl_address_sequences")  # fmt: skip


def _scrub(storage: Storage) -> None:
    """Make erased rows unrecoverable from the database files as far as the engine allows:
    SQLite's write-ahead log still holds the old pages until a checkpoint truncates it;
    PostgreSQL keeps dead rows until VACUUM reclaims them."""
    if storage.engine.dialect.name == "sqlite":
        with storage.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    elif storage.engine.dialect.name == "postgresql":
        autocommit = storage.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        with autocommit as connection:
            held = (table for holder in _HOLDERS.values() for table in holder.tables)
            for table in dict.fromkeys((*_ERASED_TABLES, *held)):
                connection.exec_driver_sql(f"VACUUM {table}")
