"""Back-in-stock alerts: double opt-in subscriptions, and fair notification on a restock.

1. The `<dl-stock>` widget's form posts ``{email, sku, locale, consent}`` to
   ``{prefix}/api/v1/stock-alerts``. The answer is the same whatever the address's history
   (so the form cannot be used to find out who subscribed); a *pending* subscription is
   written, and a confirmation email — at most one per address per `CONFIRMATION_INTERVAL`
   (24 hours) whatever the number of items, so a stranger cannot make the shop email someone
   six times by asking about six items; never to a suppressed or test address. An address
   holds at most `MAX_PENDING` unconfirmed requests; the endpoint is also rate-limited per
   client (`defenceline.plugin.api.ratelimits`).
2. The confirmation link (opaque token, 7 days) leads to a page whose button confirms: a mail
   scanner that merely fetches links cannot subscribe anyone. The page lists every item the
   address is waiting to confirm, and confirming confirms them all, so sign-ups that came
   after the email are confirmed by it; a sign-up still pending once the interval has passed
   gets its own email from the next ``send-due``. Confirming records the consent (when, and
   how: double opt-in) for each.
3. When a SKU's available stock rises from zero (`stock_changed`, sent by the stock API and
   catalogue imports), a *restock* opens. ``send-due`` then notifies confirmed subscribers
   **oldest first**, in batches of at most ``available × DEFENCELINE_STOCK_ALERT_FACTOR``, one
   batch per `DEFENCELINE_STOCK_ALERT_INTERVAL` while stock lasts; a notified subscription is
   fulfilled, so each address hears once per restock (the unique ``(subscription, restock)``
   outbox key makes a second email impossible). Stock back at zero closes the restock; the
   rest wait for the next one. An alert whose item sold out before it went out is cancelled
   and its subscription waits for the next restock.
4. Subscriptions lapse after `DEFENCELINE_STOCK_ALERT_DAYS` (default 90).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from sqlalchemy import Index, Integer, String, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from defenceline.plugin.catalogue import Product, StockChange
from defenceline.plugin.emails.claims import claim_row, decision
from defenceline.plugin.emails.consent import (
    Purpose,
    address_hash,
    is_suppressed,
    is_test_address,
    record_consent,
)
from defenceline.plugin.emails.messages import (
    EmailSetupError,
    absolute_url,
    email_columns,
    email_locale,
    mail_domain,
    money_formatter,
    plugin_link,
    public_base,
    secret_key,
    unsubscribe_link,
)
from defenceline.plugin.emails.outbox import (
    Cancel,
    ClaimedMessage,
    OutboxRow,
    Verdict,
    insert_message,
    new_message_id,
    register_recheck,
)
from defenceline.plugin.emails.tokens import TokenPurpose, TokenRow, issue_token
from defenceline.plugin.signals import stock_changed
from defenceline.plugin.state import EXTENSION_KEY, DefenceLineState, state
from defenceline.plugin.storage import Base
from defenceline.plugin.timestamps import UtcDateTime
from defenceline.plugin.widgets.messages import format_day, stock_message
from defenceline.plugin.widgets.stock import stock_view

__all__ = [
    "AlertEvent",
    "RestockRow",
    "StockSubscriptionRow",
    "awaiting_confirmation",
    "confirm_subscription",
    "expire_subscriptions",
    "open_restock",
    "request_alert",
    "schedule_alerts",
    "write_missing_confirmations",
]

CONFIRM_KIND = "stock_confirmation"
ALERT_KIND = "stock_alert"
ACTIVE = ("pending", "confirmed")
# At most one confirmation email per address in this span, however many items it asks about.
CONFIRMATION_INTERVAL = dt.timedelta(hours=24)
# A pending request older than this is stale: its link has expired (see tokens.LIFETIMES).
PENDING_LIFETIME = dt.timedelta(days=7)
# Unconfirmed requests one address may hold; more are quietly ignored.
MAX_PENDING = 20


class StockSubscriptionRow(Base):
    __tablename__ = "dl_stock_subscriptions"
    __table_args__ = (
        # One active subscription per address and SKU, even under concurrent requests.
        Index(
            "ux_dl_stock_subscriptions_active",
            "address_hash",
            "sku",
            unique=True,
            sqlite_where=text("status IN ('pending', 'confirmed')"),
            postgresql_where=text("status IN ('pending', 'confirmed')"),
        ),
        Index("ix_dl_stock_subscriptions_queue", "sku", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sku: Mapped[str] = mapped_column(String(64))
    email: Mapped[str] = mapped_column(String(320))
    address_hash: Mapped[str] = mapped_column(String(64), index=True)
    locale: Mapped[str | None] = mapped_column(String(35))
    status: Mapped[str] = mapped_column(
        String(16)
    )  # pending|confirmed|notified|expired|unsubscribed
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    notified_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    restock_id: Mapped[int | None] = mapped_column(Integer)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class RestockRow(Base):
    """A SKU's stock rose from zero: confirmed subscribers are notified in batches."""

    __tablename__ = "dl_restocks"
    __table_args__ = (
        Index(
            "ux_dl_restocks_open",
            "sku",
            unique=True,
            sqlite_where=text("closed_at IS NULL"),
            postgresql_where=text("closed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sku: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    next_batch_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    notified: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    closed_reason: Mapped[str | None] = mapped_column(String(64))


@dataclass(frozen=True)
class AlertEvent:
    sku: str
    outcome: str  # notified | closed | expired
    count: int
    reason: str = ""


# --- subscribing -------------------------------------------------------------------------------


def request_alert(
    st: DefenceLineState, email: str, product: Product, locale: str, now: dt.datetime, method: str
) -> None:
    """Record a pending subscription and write its confirmation email (see the module doc).
    Quietly does nothing for a suppressed or test address, or one already subscribed."""
    hashed = address_hash(email)
    if is_test_address(email, st.email.test_addresses):
        return
    sessions = st.storage.sessions()
    with sessions.begin() as session:
        if is_suppressed(session, hashed, Purpose.STOCK_ALERTS):
            return
        existing = session.scalars(
            select(StockSubscriptionRow).where(
                StockSubscriptionRow.address_hash == hashed,
                StockSubscriptionRow.sku == product.sku,
                StockSubscriptionRow.status.in_(ACTIVE),
            )
        ).first()
        if existing is not None:
            stale = existing.status == "pending" and existing.created_at <= now - PENDING_LIFETIME
            if not stale:
                return  # confirmed already, or a confirmation is on its way
            existing.status = "expired"
            session.flush()
        if len(_pending(session, hashed, now)) >= MAX_PENDING:
            return  # the same answer as ever: nothing tells the caller who asked what
        subscription = StockSubscriptionRow(
            sku=product.sku,
            email=email,
            address_hash=hashed,
            locale=locale,
            status="pending",
            created_at=now,
            expires_at=now + st.email.stock_alert_lifetime,
        )
        session.add(subscription)
        try:
            session.flush()
        except IntegrityError:
            # A concurrent request for the same address and SKU won; that one confirms.
            session.rollback()
            return
        subscription_id = subscription.id
    # The confirmation is written right away when the emails are set up; otherwise (or if
    # this fails) the next ``send-due`` pass writes it, so the request never fails on it.
    try:
        with sessions.begin() as session:
            pending = session.get(StockSubscriptionRow, subscription_id)
            if pending is not None and not _confirmation_sent_recently(session, hashed, now):
                _write_confirmation(st, session, pending, product, now, method)
    except EmailSetupError as exc:
        current_app.logger.error(
            "defenceline: the confirmation email waits for the next send-due pass: %s", exc
        )


def _pending(session: Session, hashed: str, now: dt.datetime) -> list[StockSubscriptionRow]:
    """The address's unconfirmed requests whose link still works, oldest first."""
    return list(
        session.scalars(
            select(StockSubscriptionRow)
            .where(
                StockSubscriptionRow.address_hash == hashed,
                StockSubscriptionRow.status == "pending",
                StockSubscriptionRow.created_at > now - PENDING_LIFETIME,
            )
            .order_by(StockSubscriptionRow.created_at, StockSubscriptionRow.id)
        )
    )


def _confirmation_sent_recently(session: Session, hashed: str, now: dt.datetime) -> bool:
    """Whether a confirmation email to this address was written in the last 24 hours."""
    found = session.scalars(
        select(OutboxRow.id).where(
            OutboxRow.address_hash == hashed,
            OutboxRow.kind == CONFIRM_KIND,
            OutboxRow.created_at > now - CONFIRMATION_INTERVAL,
        )
    ).first()
    return found is not None


def write_missing_confirmations(st: DefenceLineState, now: dt.datetime) -> int:
    """Write confirmation emails for pending subscriptions that have none yet, one per address
    per `CONFIRMATION_INTERVAL`."""
    written = 0
    sessions = st.storage.sessions()
    with sessions() as session:
        ids = list(
            session.scalars(
                select(StockSubscriptionRow.id)
                .outerjoin(
                    OutboxRow,
                    (OutboxRow.subscription_id == StockSubscriptionRow.id)
                    & (OutboxRow.restock_id == 0),
                )
                .where(
                    StockSubscriptionRow.status == "pending",
                    StockSubscriptionRow.created_at > now - PENDING_LIFETIME,
                    OutboxRow.id.is_(None),
                )
                .order_by(StockSubscriptionRow.created_at, StockSubscriptionRow.id)
            )
        )
    for subscription_id in ids:
        with sessions.begin() as session:
            subscription = session.get(StockSubscriptionRow, subscription_id)
            product = st.catalogue.get(subscription.sku) if subscription is not None else None
            if subscription is None or product is None or subscription.status != "pending":
                continue
            if _confirmation_sent_recently(session, subscription.address_hash, now):
                continue  # that email confirms this one too
            written += _write_confirmation(
                st, session, subscription, product, now, "the stock alert form"
            )
    return written


def _write_confirmation(
    st: DefenceLineState,
    session: Session,
    subscription: StockSubscriptionRow,
    product: Product,
    now: dt.datetime,
    method: str,
) -> bool:
    secret = secret_key(st)
    token = issue_token(session, secret, TokenPurpose.CONFIRM, now, subscription_id=subscription.id)
    return _queue_email(
        st,
        session,
        subscription,
        product,
        now,
        kind=CONFIRM_KIND,
        requested_on=now.date(),
        links={"confirm_url": plugin_link(st, f"/email/confirm/{token}")},
        restock_id=0,
        unsubscribe=None,
        snapshot={"sku": product.sku, "requested_by": method},
    )


def _queue_email(
    st: DefenceLineState,
    session: Session,
    subscription: StockSubscriptionRow,
    product: Product,
    now: dt.datetime,
    *,
    kind: str,
    requested_on: dt.date,
    links: dict[str, str],
    restock_id: int,
    unsubscribe: tuple[str, str] | None,
    snapshot: dict[str, Any],
) -> bool:
    """Put one email of `kind` about a subscription into the outbox, due now: the product as
    it is now, the day the shopper asked, and the email's own `links`, in the subscriber's
    language."""
    locale = email_locale(st, subscription.locale)
    context = {
        **_product_context(st, product, locale),
        **links,
        "requested_on": format_day(requested_on, locale),
    }
    email = email_columns(
        st,
        kind,
        locale,
        context,
        recipient=subscription.email,
        message_id=new_message_id(mail_domain(st.policy)),
        now=now,
        unsubscribe=unsubscribe,
    )
    return insert_message(
        session,
        {
            **email,
            "purpose": Purpose.STOCK_ALERTS.value,
            "subscription_id": subscription.id,
            "restock_id": restock_id,
            "address_hash": subscription.address_hash,
            "snapshot": snapshot,
            "due_at": now,
            "created_at": now,
        },
    )


def awaiting_confirmation(
    session: Session, token: TokenRow, now: dt.datetime
) -> list[StockSubscriptionRow]:
    """What a confirmation link confirms: its own request, if still pending, and every other
    pending request of the same address (oldest first)."""
    subscription = (
        session.get(StockSubscriptionRow, token.subscription_id)
        if token.subscription_id is not None
        else None
    )
    if subscription is None:
        return []
    rows = _pending(session, subscription.address_hash, now)
    if subscription.status == "pending" and subscription not in rows:
        rows.insert(0, subscription)
    return rows


def confirm_subscription(
    st: DefenceLineState, session: Session, token: TokenRow, now: dt.datetime
) -> StockSubscriptionRow | None:
    """Confirm the token's subscription and the address's other pending ones (idempotent);
    None when the token's subscription no longer exists."""
    subscription = (
        session.get(StockSubscriptionRow, token.subscription_id)
        if token.subscription_id is not None
        else None
    )
    if subscription is None:
        return None
    for pending in awaiting_confirmation(session, token, now):
        pending.status = "confirmed"
        pending.confirmed_at = now
        record_consent(
            session,
            pending.email,
            Purpose.STOCK_ALERTS,
            True,
            f"double opt-in: requested {pending.created_at.isoformat()} via the stock "
            f"alert form, confirmed {now.isoformat()} by the emailed link",
            f"stock alert {pending.id} ({pending.sku})",
            now,
        )
        token.used_at = now
        session.flush()
        product = st.catalogue.get(pending.sku)
        if product is not None and product.available > 0:
            _open_restock(session, pending.sku, now)  # already back: tell them soon
    return subscription


# --- restocks ----------------------------------------------------------------------------------


def _open_restock(session: Session, sku: str, now: dt.datetime) -> None:
    exists = session.scalars(
        select(RestockRow.id).where(RestockRow.sku == sku, RestockRow.closed_at.is_(None))
    ).first()
    if exists is not None:
        return
    nested = session.begin_nested()
    try:
        session.add(RestockRow(sku=sku, started_at=now, next_batch_at=now, notified=0))
        session.flush()
        nested.commit()
    except IntegrityError:
        nested.rollback()  # opened concurrently: one open restock per SKU is enough


def open_restock(st: DefenceLineState, sku: str, now: dt.datetime) -> None:
    """Open a restock for `sku` when someone is waiting for it."""
    with st.storage.sessions().begin() as session:
        waiting = session.scalars(
            select(StockSubscriptionRow.id).where(
                StockSubscriptionRow.sku == sku, StockSubscriptionRow.status == "confirmed"
            )
        ).first()
        if waiting is not None:
            _open_restock(session, sku, now)


def _on_stock_changed(sender: Flask, change: StockChange, **_: Any) -> None:
    if EXTENSION_KEY not in sender.extensions:
        return
    # A level reported without the previous one counts as a possible restock: opening one
    # is a no-op when nobody confirmed is waiting or a restock is already open.
    was_out = change.before is None or change.before.available <= 0
    if was_out and change.after.available > 0:
        st = state(sender)
        open_restock(st, change.sku, st.now())


stock_changed.connect(_on_stock_changed)


def expire_subscriptions(st: DefenceLineState, now: dt.datetime) -> int:
    """Lapse subscriptions past their end; returns how many."""
    with st.storage.sessions().begin() as session:
        result = session.execute(
            update(StockSubscriptionRow)
            .where(StockSubscriptionRow.status.in_(ACTIVE), StockSubscriptionRow.expires_at <= now)
            .values(status="expired")
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _take_restock(session: Session, restock_id: int, now: dt.datetime) -> RestockRow | None:
    due = (
        RestockRow.id == restock_id,
        RestockRow.closed_at.is_(None),
        RestockRow.next_batch_at <= now,
    )
    return claim_row(session, RestockRow, restock_id, due, RestockRow.notified)


def schedule_alerts(
    st: DefenceLineState, now: dt.datetime, dry_run: bool = False
) -> list[AlertEvent]:
    """Write the next batch of alerts for every due restock (one transaction each)."""
    events: list[AlertEvent] = []
    sessions = st.storage.sessions()
    with sessions() as session:
        due = list(
            session.scalars(
                select(RestockRow.id)
                .where(RestockRow.closed_at.is_(None), RestockRow.next_batch_at <= now)
                .order_by(RestockRow.next_batch_at)
            )
        )
    for restock_id in due:
        with decision(sessions, dry_run=dry_run) as session:
            restock = _take_restock(session, restock_id, now)
            if restock is None:
                session.rollback()
                continue
            events.append(_batch(st, session, restock, now))
    return events


def _batch(
    st: DefenceLineState, session: Session, restock: RestockRow, now: dt.datetime
) -> AlertEvent:
    product = st.catalogue.get(restock.sku)
    available = product.available if product is not None else 0
    if product is None or available <= 0:
        restock.closed_at, restock.closed_reason = now, "out of stock again"
        return AlertEvent(restock.sku, "closed", 0, "out of stock again")
    capacity = max(1, math.floor(available * st.email.stock_alert_factor))
    query = (
        select(StockSubscriptionRow)
        .where(
            StockSubscriptionRow.sku == restock.sku,
            StockSubscriptionRow.status == "confirmed",
            StockSubscriptionRow.expires_at > now,
        )
        .order_by(StockSubscriptionRow.created_at, StockSubscriptionRow.id)
        .limit(capacity)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    waiting = list(session.scalars(query))
    notified = 0
    for subscription in waiting:
        if is_suppressed(session, subscription.address_hash, Purpose.STOCK_ALERTS):
            subscription.status = "unsubscribed"
            continue
        subscription.status = "notified"
        subscription.notified_at = now
        subscription.restock_id = restock.id
        if _write_alert(st, session, subscription, restock, product, now):
            notified += 1
    restock.notified += notified
    if len(waiting) < capacity:
        restock.closed_at, restock.closed_reason = now, "everyone waiting was notified"
    else:
        restock.next_batch_at = now + st.email.stock_alert_interval
    return AlertEvent(restock.sku, "notified", notified)


def _product_context(st: DefenceLineState, product: Product, locale: str) -> dict[str, Any]:
    money = money_formatter(st.policy.shop.currency, locale)
    base = public_base(st)
    link = (
        st.email.product_url.format(sku=product.sku, product_id=product.product_id or product.sku)
        if st.email.product_url
        else base
    )
    return {
        "shop": st.policy.shop,
        "shop_url": base,
        "product": {
            "sku": product.sku,
            "name": product.name,
            "attributes": dict(product.attributes),
            "price": money(product.price),
            "image_url": absolute_url(st, product.image_url),
            "url": link,
            "stock": stock_message(
                stock_view(product, st.policy.low_stock_threshold, st.now().date()), locale
            ),
        },
    }


def _write_alert(
    st: DefenceLineState,
    session: Session,
    subscription: StockSubscriptionRow,
    restock: RestockRow,
    product: Product,
    now: dt.datetime,
) -> bool:
    unsubscribe = unsubscribe_link(
        st,
        session,
        now,
        Purpose.STOCK_ALERTS,
        subscription.address_hash,
        subscription_id=subscription.id,
    )
    return _queue_email(
        st,
        session,
        subscription,
        product,
        now,
        kind=ALERT_KIND,
        requested_on=subscription.created_at.date(),
        links={"unsubscribe_url": unsubscribe[0]},
        restock_id=restock.id,
        unsubscribe=unsubscribe,
        snapshot={
            "sku": product.sku,
            "price": f"{product.price:f}",
            "available": product.available,
        },
    )


# --- re-checks right before sending ------------------------------------------------------------


def _recheck_confirmation(session: Session, message: ClaimedMessage, now: dt.datetime) -> Verdict:
    subscription = session.get(StockSubscriptionRow, message.subscription_id)
    if subscription is None:
        return Cancel("the subscription is no longer held (erased)")
    if is_suppressed(session, message.address_hash, Purpose.STOCK_ALERTS):
        return Cancel("the address unsubscribed")
    if subscription.status != "pending":
        return Cancel(f"the subscription is {subscription.status}")
    return None


def _recheck_alert(session: Session, message: ClaimedMessage, now: dt.datetime) -> Verdict:
    st = state()
    subscription = session.get(StockSubscriptionRow, message.subscription_id)
    if subscription is None:
        return Cancel("the subscription is no longer held (erased)")
    if is_suppressed(session, message.address_hash, Purpose.STOCK_ALERTS):
        return Cancel("the address unsubscribed")
    product = st.catalogue.get(subscription.sku)
    if product is None or product.available <= 0:
        # Sold out before the alert went out: the subscriber waits for the next restock.
        if subscription.status == "notified":
            subscription.status = "confirmed"
            subscription.notified_at = None
        session.execute(
            update(RestockRow)
            .where(RestockRow.sku == subscription.sku, RestockRow.closed_at.is_(None))
            .values(closed_at=now, closed_reason="out of stock again")
            .execution_options(synchronize_session=False)
        )
        return Cancel("sold out again before the alert went out")
    return None


register_recheck(CONFIRM_KIND, _recheck_confirmation)
register_recheck(ALERT_KIND, _recheck_alert)
