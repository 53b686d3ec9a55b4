"""Who may be emailed, for what: addresses, consent records and the suppression list.

* **Addresses** are validated (`email-validator`, no DNS look-up) and normalised once; a
  pseudonymous `address_hash` (SHA-256 of the lower-cased address) is what the suppression
  list keeps, so an address that asked to be forgotten is never emailed again although it is
  no longer stored.
* **Consent** is per address and purpose. Every grant and every withdrawal is a row that
  keeps when it happened and how (`method`: the API call, the confirmation link, ...), so a
  shop can show what a shopper agreed to. The latest row decides.
* **Suppression** (unsubscribe, erasure) beats consent: a suppressed address is never sent
  that purpose's email again.
* **Test addresses** (the domains reserved for examples and tests by RFC 2606 and RFC 6761,
  plus the shop's own patterns) are accepted by the API but never emailed.
"""

from __future__ import annotations

import datetime as dt
import enum
import fnmatch
import hashlib
from typing import Annotated

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, Field, WithJsonSchema
from sqlalchemy import Boolean, DateTime, Integer, String, UniqueConstraint, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from defenceline.plugin.storage import Base, utcnow

__all__ = [
    "ConsentRow",
    "EmailAddress",
    "Purpose",
    "SuppressionRow",
    "address_hash",
    "has_consent",
    "is_suppressed",
    "is_test_address",
    "normalise_address",
    "record_consent",
    "suppress",
]


class Purpose(enum.StrEnum):
    CART_REMINDERS = "cart_reminders"
    STOCK_ALERTS = "stock_alerts"
    # Shipping messages are service messages (no consent needed); an unsubscribe stops only
    # the optional ones (defenceline.plugin.shipping.notices).
    SHIPPING = "shipping"
    SHIPPING_OPTIONAL = "shipping_optional"


class ConsentRow(Base):
    """One grant or withdrawal of consent, kept as evidence."""

    __tablename__ = "dl_consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    address_hash: Mapped[str] = mapped_column(String(64), index=True)
    email: Mapped[str] = mapped_column(String(320))
    purpose: Mapped[str] = mapped_column(String(32))
    granted: Mapped[bool] = mapped_column(Boolean)
    method: Mapped[str] = mapped_column(String(300))
    reference: Mapped[str | None] = mapped_column(String(200))  # cart id, subscription id
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SuppressionRow(Base):
    """An address (hashed) that must not get `purpose` emails any more."""

    __tablename__ = "dl_suppressions"
    __table_args__ = (UniqueConstraint("address_hash", "purpose"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    address_hash: Mapped[str] = mapped_column(String(64))
    purpose: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(32))  # unsubscribed | forgotten
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def normalise_address(text: str) -> str:
    """The address as it will be stored and used; ValueError says what is wrong with it."""
    try:
        result = validate_email(
            text.strip(), check_deliverability=False, test_environment=True, allow_smtputf8=True
        )
    except EmailNotValidError as exc:
        raise ValueError(f"{text!r} is not an email address: {exc}") from None
    return str(result.normalized)


# An address in a request body, normalised as it will be stored (`normalise_address`).
EmailAddress = Annotated[
    str,
    Field(max_length=320),
    AfterValidator(normalise_address),
    WithJsonSchema({"type": "string", "format": "email", "maxLength": 320}),
]


def address_hash(address: str) -> str:
    """A stable pseudonym for an address (the suppression list keeps only this)."""
    return hashlib.sha256(f"defenceline:{address.strip().lower()}".encode()).hexdigest()


# Domains reserved for documentation and testing (RFC 2606, RFC 6761): never real inboxes.
_RESERVED_SUFFIXES = (".test", ".example", ".invalid", ".localhost")
_RESERVED_DOMAINS = frozenset({"example.com", "example.net", "example.org", "localhost"})


def is_test_address(address: str, patterns: tuple[str, ...] = ()) -> bool:
    """True for reserved test domains and for the shop's own `DEFENCELINE_TEST_ADDRESSES`
    patterns (shell-style, case-insensitive: ``"*@qa.myshop.nl"``, ``"test+*@*"``)."""
    lowered = address.lower()
    domain = lowered.rpartition("@")[2]
    if domain in _RESERVED_DOMAINS or domain.endswith(_RESERVED_SUFFIXES):
        return True
    return any(fnmatch.fnmatchcase(lowered, pattern.lower()) for pattern in patterns)


def record_consent(
    session: Session,
    address: str,
    purpose: Purpose,
    granted: bool,
    method: str,
    reference: str | None,
    at: dt.datetime,
) -> None:
    """Append a grant or withdrawal (only when it changes the current state)."""
    if has_consent(session, address_hash(address), purpose) == granted:
        return
    session.add(
        ConsentRow(
            address_hash=address_hash(address),
            email=address,
            purpose=purpose.value,
            granted=granted,
            method=method[:300],
            reference=reference,
            recorded_at=at,
        )
    )


def has_consent(session: Session, hashed: str, purpose: Purpose) -> bool:
    """The latest consent record for the address and purpose, or False when there is none."""
    latest = session.scalars(
        select(ConsentRow.granted)
        .where(ConsentRow.address_hash == hashed, ConsentRow.purpose == purpose.value)
        .order_by(ConsentRow.recorded_at.desc(), ConsentRow.id.desc())
        .limit(1)
    ).first()
    return bool(latest)


def is_suppressed(session: Session, hashed: str, purpose: Purpose) -> bool:
    found = session.scalars(
        select(SuppressionRow.id).where(
            SuppressionRow.address_hash == hashed, SuppressionRow.purpose == purpose.value
        )
    ).first()
    return found is not None


def suppress(session: Session, hashed: str, purpose: Purpose, reason: str) -> None:
    """Add the address to the suppression list (idempotent, safe under concurrency)."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(SuppressionRow)
        .values(address_hash=hashed, purpose=purpose.value, reason=reason, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["address_hash", "purpose"])
    )
