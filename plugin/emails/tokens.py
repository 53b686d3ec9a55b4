"""Links in emails: opaque, signed, expiring tokens.

A link must not reveal whose cart it is: no cart id, no address, not even encoded. So a
token is a random id (`secrets.token_urlsafe`) whose meaning — restore this cart, confirm this
subscription, unsubscribe this address from that purpose — lives in the ``dl_email_tokens``
table, signed with itsdangerous (``DEFENCELINE_SECRET_KEY``, else Flask's ``SECRET_KEY``) so a
guessed or altered token is refused before the database is asked. Each token expires: the
signature's timestamp and the row's ``expires_at`` (on the app's clock) must both be in date.
"""

from __future__ import annotations

import datetime as dt
import enum
import secrets

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from defenceline.plugin.storage import Base
from defenceline.plugin.timestamps import UtcDateTime, as_utc

__all__ = ["TokenError", "TokenPurpose", "TokenRow", "issue_token", "read_token"]


class TokenPurpose(enum.StrEnum):
    RESTORE = "restore"
    UNSUBSCRIBE = "unsubscribe"
    CONFIRM = "confirm"


# How long a link works. An unsubscribe link must keep working long after the email was
# read (the law and mailbox providers expect that), a restore link only while the cart
# can reasonably be picked up again, a confirmation link briefly.
LIFETIMES = {
    TokenPurpose.RESTORE: dt.timedelta(days=30),
    TokenPurpose.UNSUBSCRIBE: dt.timedelta(days=400),
    TokenPurpose.CONFIRM: dt.timedelta(days=7),
}


class TokenRow(Base):
    __tablename__ = "dl_email_tokens"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16))
    cart_id: Mapped[str | None] = mapped_column(String(128), index=True)
    subscription_id: Mapped[int | None] = mapped_column(Integer, index=True)
    address_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    scope: Mapped[str | None] = mapped_column(String(32))  # the email purpose to unsubscribe from
    outbox_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class TokenError(Exception):
    """A link that cannot be used; `reason` is ``invalid`` or ``expired``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _serializer(secret: str, purpose: TokenPurpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=f"defenceline.email.{purpose.value}")


def issue_token(
    session: Session,
    secret: str,
    purpose: TokenPurpose,
    now: dt.datetime,
    *,
    cart_id: str | None = None,
    subscription_id: int | None = None,
    address_hash: str | None = None,
    scope: str | None = None,
) -> str:
    """Store a new token row and return its signed, URL-safe form."""
    token_id = secrets.token_urlsafe(24)
    session.add(
        TokenRow(
            id=token_id,
            purpose=purpose.value,
            cart_id=cart_id,
            subscription_id=subscription_id,
            address_hash=address_hash,
            scope=scope,
            created_at=now,
            expires_at=now + LIFETIMES[purpose],
        )
    )
    return _serializer(secret, purpose).dumps(token_id)


def read_token(
    session: Session, secret: str, purpose: TokenPurpose, signed: str, now: dt.datetime
) -> TokenRow:
    """The token's row, or `TokenError` when it is forged, unknown, erased or expired."""
    if not signed or len(signed) > 500:
        raise TokenError("invalid")
    max_age = int(LIFETIMES[purpose].total_seconds())
    try:
        token_id = _serializer(secret, purpose).loads(signed, max_age=max_age)
    except SignatureExpired:
        raise TokenError("expired") from None
    except BadSignature:
        raise TokenError("invalid") from None
    if not isinstance(token_id, str):
        raise TokenError("invalid")
    row = session.get(TokenRow, token_id)
    if row is None or row.purpose != purpose.value:
        raise TokenError("invalid")  # erased (forget) or never issued here
    if as_utc(row.expires_at) <= now:
        raise TokenError("expired")
    return row
