"""Carts the storefront tells the plugin about, for abandoned-cart reminders.

The storefront owns its carts. It reports each change (``POST {prefix}/api/v1/carts/<id>`` or
`track_cart`) — the lines, and when known the shopper's address, name, locale, country, time
zone, consent and user agent — and the order (`mark_ordered`). Every report is cart activity:
the reminder clock starts again from it.

A cart row keeps only what the reminders need. `next_reminder_at` is the one column the
sender searches ("which carts are due?"); it is NULL for every cart that needs nothing (no
address, ordered, emptied, reminders done), and a partial index covers only the others, so
finding due carts stays an index range scan however many carts are tracked.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Annotated, Any
from zoneinfo import ZoneInfo, available_timezones

import crawleruseragents  # type: ignore[import-untyped]
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    WithJsonSchema,
    field_validator,
)
from sqlalchemy import JSON, Boolean, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from defenceline.plugin.api.requests import PRINTABLE, LocaleTag, whole_number
from defenceline.plugin.cart.quote import CartLineIn
from defenceline.plugin.emails.consent import (
    EmailAddress,
    Purpose,
    address_hash,
    is_test_address,
    record_consent,
)
from defenceline.plugin.emails.settings import EmailSettings
from defenceline.plugin.storage import Base, Storage
from defenceline.plugin.timestamps import UtcDateTime, as_utc
from defenceline.regions import all_countries, is_country

__all__ = [
    "CartIn",
    "CartNotFound",
    "CartOrdered",
    "CartRow",
    "OrderIn",
    "TrackedLineIn",
    "all_zones",
    "hold_until_morning",
    "is_bot",
    "mark_ordered",
    "next_reminder",
    "shopper_zone",
    "track_cart",
]

# A letter or digit first: an id of "." or ".." is a path segment a client's URL library
# resolves ("/carts/../order" posts elsewhere), as the shipping ids already refuse.
CART_ID = r"^[A-Za-z0-9][A-Za-z0-9._~:\-]{0,127}$"
MAX_LINES = 100
MAX_QUANTITY = 10_000


class CartRow(Base):
    __tablename__ = "dl_carts"
    __table_args__ = (
        # Only carts waiting for a reminder are indexed: the due search reads a few index
        # entries among millions of carts.
        Index(
            "ix_dl_carts_due",
            "next_reminder_at",
            sqlite_where=text("next_reminder_at IS NOT NULL"),
            postgresql_where=text("next_reminder_at IS NOT NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    email: Mapped[str | None] = mapped_column(String(320))
    address_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(35))
    country: Mapped[str | None] = mapped_column(String(2))
    timezone: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(1000))
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_activity_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    reminders_scheduled: Mapped[int] = mapped_column(Integer, default=0)
    next_reminder_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    stopped_reason: Mapped[str | None] = mapped_column(String(32))
    ordered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, index=True)
    order_total: Mapped[str | None] = mapped_column(String(32))
    restored_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


# --- input -------------------------------------------------------------------------------------


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def all_zones() -> list[str]:
    """Every IANA time zone name this system knows (the API accepts these)."""
    return sorted(_zones())


class TrackedLineIn(CartLineIn):
    """A tracked cart's line: at most `MAX_QUANTITY` of an item (a quote's cap is the shop's
    ``DEFENCELINE_MAX_QUANTITY``, checked with the quote)."""

    # The bounds before the whole-number check, so that the JSON schema carries them.
    quantity: Annotated[int, Field(ge=1, le=MAX_QUANTITY), BeforeValidator(whole_number)]


class CartIn(BaseModel):
    """Body of ``POST {prefix}/api/v1/carts/<cart_id>`` (and `track_cart`'s arguments).

    A SKU on two lines is one line with the quantities added (at most `MAX_QUANTITY`). A
    locale the shop does not offer falls back to the shop's default.
    """

    model_config = ConfigDict(extra="forbid")

    lines: Annotated[list[TrackedLineIn], Field(max_length=MAX_LINES)]
    email: EmailAddress | None = None
    name: Annotated[str, Field(max_length=200, pattern=PRINTABLE)] | None = None
    locale: LocaleTag | None = None
    country: (
        Annotated[str, Field(min_length=2, max_length=2), WithJsonSchema({"enum": all_countries()})]
        | None
    ) = None
    timezone: Annotated[str, Field(max_length=64), WithJsonSchema({"enum": all_zones()})] | None = (
        None
    )
    consent: StrictBool | None = None
    user_agent: Annotated[str, Field(max_length=1000, pattern=PRINTABLE)] | None = None

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.isupper() or not is_country(value):
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code such as NL")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value not in _zones():
            raise ValueError(f"{value!r} is not an IANA time zone such as Europe/Amsterdam")
        return value

    @field_validator("lines")
    @classmethod
    def _merge_repeated_skus(cls, lines: list[TrackedLineIn]) -> list[TrackedLineIn]:
        merged: dict[str, int] = {}
        for line in lines:
            merged[line.sku] = min(MAX_QUANTITY, merged.get(line.sku, 0) + line.quantity)
        return [TrackedLineIn(sku=sku, quantity=quantity) for sku, quantity in merged.items()]


class OrderIn(BaseModel):
    """Body of ``POST {prefix}/api/v1/carts/<cart_id>/order`` (all optional)."""

    model_config = ConfigDict(extra="forbid")

    total: Annotated[str, Field(pattern=r"^[0-9]{1,12}(\.[0-9]{1,4})?$")] | None = None
    order_id: Annotated[str, Field(max_length=128, pattern=PRINTABLE)] | None = None


class CartOrdered(Exception):
    """Activity reported for a cart that already became an order. A cart id is never reused
    after an order: the storefront starts a new cart (and id) for the next one."""

    def __init__(self, cart_id: str) -> None:
        self.cart_id = cart_id
        super().__init__(
            f"cart {cart_id!r} was already ordered; start a new cart id after an order"
        )


class CartNotFound(Exception):
    """An order reported for a cart id the plugin was never told about (`track_cart`)."""

    def __init__(self, cart_id: str) -> None:
        self.cart_id = cart_id
        super().__init__(f"no cart {cart_id!r}; report it with track_cart before its order")


# --- who is not a shopper ------------------------------------------------------------------------


def is_bot(user_agent: str | None, extra: tuple[str, ...] = ()) -> bool:
    """True for crawlers' and bots' user agents (the crawler-user-agents list, which knows
    Google's StoreBot, plus the shop's `DEFENCELINE_BOT_USER_AGENTS` substrings); an empty user
    agent is a script. None means the storefront did not say, which is not evidence of a bot."""
    if user_agent is None:
        return False
    if not user_agent.strip():
        return True
    lowered = user_agent.lower()
    if any(token.lower() in lowered for token in extra):
        return True
    return bool(crawleruseragents.is_crawler(user_agent))


# --- time --------------------------------------------------------------------------------------


def shopper_zone(timezone: str | None, fallback: str) -> ZoneInfo:
    """The shopper's zone as the storefront reported it, else `fallback` (the warehouse's)."""
    return ZoneInfo(timezone if timezone in _zones() else fallback)


def hold_until_morning(
    moment: dt.datetime, zone: ZoneInfo, quiet: tuple[dt.time, dt.time] | None
) -> dt.datetime:
    """`moment`, or the end of the quiet hours when it falls inside them in `zone`.

    Computed on the local wall clock and converted back, so "08:00" is 08:00 local on the
    morning after a daylight-saving change too (not 07:00 or 09:00 as adding hours in UTC
    would give).
    """
    if quiet is None:
        return moment
    start, end = quiet
    local = as_utc(moment).astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    overnight = start > end  # 21:00-08:00 spans midnight
    inside = (clock >= start or clock < end) if overnight else (start <= clock < end)
    if not inside:
        return moment
    day = local.date()
    if overnight and clock >= start:
        day += dt.timedelta(days=1)
    morning = dt.datetime.combine(day, end, tzinfo=zone)
    # A wall-clock time in a spring-forward gap does not exist: round-trip through UTC moves
    # it to the first real moment after the gap.
    return morning.astimezone(dt.UTC).astimezone(zone).astimezone(dt.UTC)


def next_reminder(row: CartRow, settings: EmailSettings, warehouse_zone: str) -> dt.datetime | None:
    """When the cart's next reminder is due, or None when it needs none."""
    if row.ordered_at is not None or not row.email or not row.lines or row.is_bot:
        return None
    step = row.reminders_scheduled
    if step >= len(settings.reminder_delays):
        return None
    due = as_utc(row.last_activity_at) + settings.reminder_delays[step]
    return hold_until_morning(due, shopper_zone(row.timezone, warehouse_zone), settings.quiet_hours)


# --- tracking ----------------------------------------------------------------------------------


def track_cart(
    storage: Storage,
    settings: EmailSettings,
    warehouse_zone: str,
    cart_id: str,
    cart: CartIn,
    now: dt.datetime,
    method: str,
) -> CartRow:
    """Record the cart's state as reported now (one transaction); `method` says how consent
    was given ("POST /api/v1/carts/<id>", "Python API"). Raises `CartOrdered` for an order."""
    with storage.sessions().begin() as session:
        row = session.get(CartRow, cart_id, with_for_update=True)
        if row is None:
            row = CartRow(id=cart_id, created_at=now, reminders_scheduled=0, is_bot=False, lines=[])
            session.add(row)
        elif row.ordered_at is not None:
            raise CartOrdered(cart_id)
        row.lines = [{"sku": line.sku, "quantity": line.quantity} for line in cart.lines]
        row.last_activity_at = now
        if cart.email is not None:
            row.email = cart.email
            row.address_hash = address_hash(cart.email)
        for key in ("name", "locale", "country", "timezone"):
            value = getattr(cart, key)
            if value is not None:
                setattr(row, key, value)
        if cart.user_agent is not None:
            row.user_agent = cart.user_agent
            row.is_bot = is_bot(cart.user_agent, settings.bot_user_agents)
        if cart.consent is not None and row.email:
            record_consent(
                session,
                row.email,
                Purpose.CART_REMINDERS,
                cart.consent,
                method,
                f"cart {cart_id}",
                now,
            )
        if row.email and is_test_address(row.email, settings.test_addresses):
            row.stopped_reason = "test_address"
        elif row.is_bot:
            row.stopped_reason = "bot"
        else:
            row.stopped_reason = None
        row.next_reminder_at = (
            None if row.stopped_reason else next_reminder(row, settings, warehouse_zone)
        )
        session.flush()
        return row


def mark_ordered(storage: Storage, cart_id: str, now: dt.datetime, total: str | None) -> CartRow:
    """The cart became an order: no reminder is ever sent for it again (idempotent)."""
    with storage.sessions().begin() as session:
        row = session.get(CartRow, cart_id, with_for_update=True)
        if row is None:
            raise CartNotFound(cart_id)
        if row.ordered_at is None:
            row.ordered_at = now
            row.order_total = total
        row.next_reminder_at = None
        row.stopped_reason = "ordered"
        session.flush()
        return row
