"""Abandoned-cart reminders: which cart gets which reminder when, and what it says.

A reminder is scheduled (an outbox row is written) only when every rule allows it, and the
rules are asked again right before the message is handed to the mail server:

* never for a cart that was **ordered** or **emptied**, an address that **unsubscribed** or
  asked to be forgotten, a **bot**'s cart or a **test address**;
* never when **every item is out of stock** (the step is recorded as cancelled);
* consent: in ``explicit`` mode only with a recorded opt-in; in ``soft`` mode an address given
  without opt-in gets **the first reminder only**;
* at most ``len(DEFENCELINE_REMINDER_DELAYS)`` reminders per cart (default 2: 1 hour and 24
  hours after the last cart activity), and at most **one reminder sequence per address per
  7 days** (`DEFENCELINE_REMINDER_ADDRESS_DAYS`), enforced with one atomic upsert;
* no email in the shopper's **quiet hours** (their time zone, default 21:00–08:00): it waits
  until the morning, computed on the local clock so a daylight-saving change is honoured.

The content is the shop's promise, not pressure: the items with their images, the cost
summary from the same quote engine as the cart (`defenceline.quote`), when it would arrive,
the return terms, and how to reach a person. No countdown, no "your cart expires".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy import String, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from defenceline.plugin.cart.quote import returns_sentence
from defenceline.plugin.cart.tracking import (
    CartIn,
    CartRow,
    hold_until_morning,
    mark_ordered,
    next_reminder,
    shopper_zone,
    track_cart,
)
from defenceline.plugin.catalogue import Product
from defenceline.plugin.emails.claims import claim_row, decision
from defenceline.plugin.emails.consent import Purpose, has_consent, is_suppressed, is_test_address
from defenceline.plugin.emails.messages import (
    absolute_url,
    delivery_sentence,
    email_columns,
    email_locale,
    envelope_sender,
    mail_domain,
    money_formatter,
    plugin_link,
    public_base,
    secret_key,
    summary_rows,
    unsubscribe_link,
)
from defenceline.plugin.emails.outbox import (
    Cancel,
    ClaimedMessage,
    OutboxRow,
    OutboxStatus,
    Postpone,
    Verdict,
    insert_message,
    new_message_id,
    register_recheck,
)
from defenceline.plugin.emails.tokens import TokenPurpose, TokenRow, issue_token
from defenceline.plugin.state import DefenceLineState, state
from defenceline.plugin.storage import Base
from defenceline.plugin.timestamps import UtcDateTime, as_utc
from defenceline.plugin.widgets.messages import stock_message
from defenceline.plugin.widgets.stock import stock_view
from defenceline.quote import CartLine, Quote, QuoteInputError, quote_cart

__all__ = [
    "AddressSequenceRow",
    "ScheduleEvent",
    "due_cart_ids",
    "ordered",
    "record_cart",
    "schedule_reminders",
    "track",
]

KIND = "cart_reminder"
BATCH = 200


class AddressSequenceRow(Base):
    """When an address last started a reminder sequence (the per-address limit)."""

    __tablename__ = "dl_address_sequences"

    address_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    cart_id: Mapped[str] = mapped_column(String(128))
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


@dataclass(frozen=True)
class ScheduleEvent:
    """What scheduling decided for one cart (for the CLI, dry runs and tests)."""

    cart_id: str
    step: int
    outcome: str  # scheduled | stopped | postponed | skipped
    reason: str
    recipient: str | None = None
    subject: str | None = None
    at: dt.datetime | None = None


# --- the Python API ----------------------------------------------------------------------------


def track(cart_id: str, lines: list[dict[str, Any]], **shopper: Any) -> CartRow:
    """`DefenceLine.track_cart`: validate like the JSON API and record the cart."""
    st = state()
    cart = CartIn.model_validate({"lines": lines, **shopper})  # ValidationError names the field
    return record_cart(st, cart_id, cart, method="Python API track_cart")


def record_cart(st: DefenceLineState, cart_id: str, cart: CartIn, method: str) -> CartRow:
    """Record the cart's state as reported now, with the app's settings; `method` says how
    consent was given (kept with the consent record)."""
    return track_cart(
        st.storage, st.email, st.policy.warehouse.timezone, cart_id, cart, st.now(), method=method
    )


def ordered(cart_id: str, total: str | None = None) -> CartRow:
    """`DefenceLine.cart_ordered`: the cart became an order."""
    st = state()
    return mark_ordered(st.storage, cart_id, st.now(), total or order_total(st, cart_id))


def order_total(st: DefenceLineState, cart_id: str) -> str | None:
    """The cart's total from the quote engine, when the storefront does not say."""
    with st.storage.sessions()() as session:
        row = session.get(CartRow, cart_id)
        if row is None or not row.lines:
            return None
        quote = _quote(st, row, _products(st, row), st.now())
    return f"{quote.total:f}" if quote is not None and quote.total is not None else None


# --- finding and scheduling due carts ----------------------------------------------------------


def due_cart_ids(session: Session, now: dt.datetime, limit: int) -> list[str]:
    """Carts whose next reminder is due, earliest first (an index range scan)."""
    return list(
        session.scalars(
            select(CartRow.id)
            .where(CartRow.next_reminder_at.is_not(None), CartRow.next_reminder_at <= now)
            .order_by(CartRow.next_reminder_at)
            .limit(limit)
        )
    )


def _take(session: Session, cart_id: str, now: dt.datetime) -> CartRow | None:
    """Lock a due cart for this transaction, or None when another sender has it."""
    due = (CartRow.id == cart_id, CartRow.next_reminder_at <= now)
    return claim_row(session, CartRow, cart_id, due, CartRow.reminders_scheduled)


def schedule_reminders(
    st: DefenceLineState, now: dt.datetime, limit: int | None = None, dry_run: bool = False
) -> list[ScheduleEvent]:
    """Decide every due cart (each in its own transaction; rolled back for a dry run)."""
    sessions = st.storage.sessions()
    events: list[ScheduleEvent] = []
    seen: set[str] = set()
    while limit is None or len(events) < limit:
        with sessions() as session:
            wanted = BATCH if limit is None else min(BATCH, limit - len(events))
            candidates = [
                c for c in due_cart_ids(session, now, wanted + len(seen)) if c not in seen
            ]
        if not candidates:
            break
        for cart_id in candidates[:wanted]:
            seen.add(cart_id)
            with decision(sessions, dry_run=dry_run) as session:
                cart = _take(session, cart_id, now)
                if cart is None:
                    session.rollback()
                    continue
                try:
                    event = _decide(st, session, cart, now)
                except _AlreadyScheduled:
                    session.rollback()
                    continue
                events.append(event)
        if dry_run and len(candidates) <= wanted:
            break
    return events


def _start_sequence(
    session: Session, hashed: str, cart_id: str, now: dt.datetime, window: dt.timedelta
) -> bool:
    """Claim the address's reminder sequence for `cart_id` unless another cart started one
    within `window`; one upsert, so two senders can never both win."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    values = insert(AddressSequenceRow).values(address_hash=hashed, cart_id=cart_id, started_at=now)
    statement = values.on_conflict_do_update(
        index_elements=["address_hash"],
        set_={"cart_id": cart_id, "started_at": now},
        where=(AddressSequenceRow.started_at <= now - window)
        | (AddressSequenceRow.cart_id == cart_id),
    ).returning(AddressSequenceRow.cart_id)
    return session.execute(statement).first() is not None


def _decide(
    st: DefenceLineState, session: Session, cart: CartRow, now: dt.datetime
) -> ScheduleEvent:
    settings = st.email
    step = cart.reminders_scheduled + 1

    def stop(reason: str) -> ScheduleEvent:
        cart.next_reminder_at = None
        cart.stopped_reason = reason
        return ScheduleEvent(cart.id, step, "stopped", reason, cart.email)

    rule = _rule_against(st, session, cart, step)
    if rule is not None:
        return stop(rule)
    zone = shopper_zone(cart.timezone, st.policy.warehouse.timezone)
    morning = hold_until_morning(now, zone, settings.quiet_hours)
    if morning > now:
        cart.next_reminder_at = morning
        return ScheduleEvent(cart.id, step, "postponed", "quiet hours", cart.email, at=morning)
    assert cart.address_hash is not None and cart.email is not None
    if step == 1 and not _start_sequence(
        session, cart.address_hash, cart.id, now, settings.address_window
    ):
        return stop("address_limit")

    cart.reminders_scheduled = step
    following = next_reminder(cart, settings, st.policy.warehouse.timezone)
    if following is not None:
        gap = settings.reminder_delays[step] - settings.reminder_delays[step - 1]
        following = max(following, hold_until_morning(now + gap, zone, settings.quiet_hours))
    cart.next_reminder_at = following
    cart.stopped_reason = None if following is not None else "done"

    products = _products(st, cart)
    locale = email_locale(st, cart.locale)
    message_id = new_message_id(mail_domain(st.policy))
    values: dict[str, Any] = {
        "purpose": Purpose.CART_REMINDERS.value,
        "cart_id": cart.id,
        "step": step,
        "address_hash": cart.address_hash,
        "due_at": now,
        "created_at": now,
    }
    if not _any_available(st, cart, products):
        # Kept, addressed but unwritten, so that the step counts as taken.
        values.update(
            kind=KIND,
            sender=envelope_sender(st),
            recipient=cart.email,
            locale=locale,
            message_id=message_id,
            status=OutboxStatus.CANCELLED.value,
            reason="every item is out of stock",
        )
        insert_message(session, values)
        return ScheduleEvent(cart.id, step, "skipped", "out_of_stock", cart.email)
    values.update(_compose(st, session, cart, step, products, locale, now, message_id))
    if not insert_message(session, values):
        # The unique (cart, step) row exists: another scheduler got here first. Undo ours.
        raise _AlreadyScheduled(cart.id, step)
    _link_tokens(session, cart.id, message_id)
    return ScheduleEvent(cart.id, step, "scheduled", "", cart.email, values["subject"], now)


class _AlreadyScheduled(RuntimeError):
    pass


def _link_tokens(session: Session, cart_id: str, message_id: str) -> None:
    row_id = session.scalars(select(OutboxRow.id).where(OutboxRow.message_id == message_id)).one()
    session.execute(
        update(TokenRow)
        .where(TokenRow.cart_id == cart_id, TokenRow.outbox_id.is_(None))
        .values(outbox_id=row_id)
        .execution_options(synchronize_session=False)
    )


def _rule_against(st: DefenceLineState, session: Session, cart: CartRow, step: int) -> str | None:
    """The first "never send" rule this cart breaks, or None."""
    settings = st.email
    if cart.ordered_at is not None:
        return "ordered"
    if not cart.lines:
        return "emptied"
    if not cart.email or cart.address_hash is None:
        return "no_address"
    if cart.is_bot:
        return "bot"
    if is_test_address(cart.email, settings.test_addresses):
        return "test_address"
    if step > len(settings.reminder_delays):
        return "done"
    if is_suppressed(session, cart.address_hash, Purpose.CART_REMINDERS):
        return "suppressed"  # unsubscribed, forgotten, or bounced
    if not has_consent(session, cart.address_hash, Purpose.CART_REMINDERS) and (
        settings.consent_mode == "explicit" or step > 1
    ):
        return "no_consent"
    return None


def _products(st: DefenceLineState, cart: CartRow) -> dict[str, Product]:
    return st.catalogue.get_many([line["sku"] for line in cart.lines])


def _orderable(st: DefenceLineState, product: Product) -> bool:
    return (
        stock_view(product, st.policy.low_stock_threshold, st.now().date()).in_stock
        or product.preorder
    )


def _any_available(st: DefenceLineState, cart: CartRow, products: dict[str, Product]) -> bool:
    return any(
        (product := products.get(line["sku"])) is not None and _orderable(st, product)
        for line in cart.lines
    )


def _quote(
    st: DefenceLineState, cart: CartRow, products: dict[str, Product], now: dt.datetime
) -> Quote | None:
    lines = []
    for line in cart.lines:
        product = products.get(line["sku"])
        if product is None:
            continue
        lines.append(
            CartLine(
                sku=product.sku,
                quantity=int(line["quantity"]),
                unit_price=product.price,
                vat_class=product.vat_class,
                weight_kg=product.weight_kg,
                in_stock=product.available > 0,
                restock_date=product.restock_date,
                name=product.name,
            )
        )
    if not lines:
        return None
    country = cart.country or st.default_country
    try:
        return quote_cart(st.policy, lines, country, at=now)
    except QuoteInputError as exc:
        # E.g. a catalogue without weights for a zone priced by weight: the email then shows
        # the items without a total rather than a wrong one.
        current_app.logger.warning("defenceline: no cost summary for cart %s: %s", cart.id, exc)
        return None


def _compose(
    st: DefenceLineState,
    session: Session,
    cart: CartRow,
    step: int,
    products: dict[str, Product],
    locale: str,
    now: dt.datetime,
    message_id: str,
) -> dict[str, Any]:
    """The reminder's outbox columns: the email and what it showed (`snapshot`)."""
    policy = st.policy
    secret = secret_key(st)
    currency = policy.shop.currency
    money = money_formatter(currency, locale)
    quote = _quote(st, cart, products, now)
    restore = issue_token(session, secret, TokenPurpose.RESTORE, now, cart_id=cart.id)
    unsubscribe = unsubscribe_link(
        st, session, now, Purpose.CART_REMINDERS, cart.address_hash, cart_id=cart.id
    )
    restore_url = (
        f"{st.email.restore_url}?token={restore}"
        if st.email.restore_url
        else plugin_link(st, f"/email/restore/{restore}")
    )
    priced = {line.sku: line for line in quote.lines} if quote is not None else {}
    items = []
    snapshot_lines = []
    for line in cart.lines:
        product = products.get(line["sku"])
        if product is None:
            continue
        view = stock_view(product, policy.low_stock_threshold, st.now().date())
        quoted = priced.get(product.sku)
        items.append(
            {
                "sku": product.sku,
                "name": product.name,
                "attributes": dict(product.attributes),
                "quantity": int(line["quantity"]),
                "unit_price": money(product.price),
                "line_total": money(quoted.line_total) if quoted else "",
                "image_url": absolute_url(st, product.image_url),
                "stock": stock_message(view, locale),
                "orderable": _orderable(st, product),
            }
        )
        snapshot_lines.append(
            {
                "sku": product.sku,
                "quantity": int(line["quantity"]),
                "unit_price": f"{product.price:f}",
            }
        )
    local_day = now.astimezone(shopper_zone(cart.timezone, policy.warehouse.timezone)).date()
    context = {
        "shop": policy.shop,
        "name": cart.name,
        "step": step,
        "items": items,
        "summary": summary_rows(quote, locale) if quote is not None and quote.ok else [],
        "delivery": delivery_sentence(quote, local_day, locale) if quote is not None else None,
        "returns": returns_sentence(quote.returns, quote.country, locale)
        if quote is not None
        else None,
        "restore_url": restore_url,
        "unsubscribe_url": unsubscribe[0],
        "shop_url": public_base(st),
    }
    snapshot = {
        "lines": snapshot_lines,
        "currency": currency,
        "total": f"{quote.total:f}" if quote is not None and quote.total is not None else None,
    }
    email = email_columns(
        st,
        KIND,
        locale,
        context,
        recipient=cart.email or "",
        message_id=message_id,
        now=now,
        unsubscribe=unsubscribe,
    )
    return {**email, "snapshot": snapshot}


# --- the re-check right before sending ---------------------------------------------------------


def _recheck(session: Session, message: ClaimedMessage, now: dt.datetime) -> Verdict:
    st = state()
    cart = session.get(CartRow, message.cart_id) if message.cart_id else None
    if cart is None:
        return Cancel("the cart is no longer tracked (erased)")
    step = message.step or 1
    changed = as_utc(cart.last_activity_at) > as_utc(message.created_at)
    if changed and cart.ordered_at is None and cart.lines:
        return Cancel("the cart changed after this reminder was written")
    rule = _rule_against(st, session, cart, step)
    if rule == "done":
        rule = None  # the step counter moved on when this very message was scheduled
    if rule is not None:
        return Cancel(_REASONS.get(rule, rule))
    if not _any_available(st, cart, _products(st, cart)):
        return Cancel("every item is out of stock")
    zone = shopper_zone(cart.timezone, st.policy.warehouse.timezone)
    morning = hold_until_morning(now, zone, st.email.quiet_hours)
    if morning > now:
        return Postpone(morning, "quiet hours in the shopper's time zone")
    return None


_REASONS = {
    "ordered": "the cart was ordered",
    "emptied": "the cart was emptied",
    "suppressed": "the address unsubscribed (or bounced)",
    "no_consent": "no consent for reminders",
    "bot": "the cart is a bot's",
    "test_address": "a test address",
}

register_recheck(KIND, _recheck)


def restore_changes(
    st: DefenceLineState, snapshot: dict[str, Any] | None, cart: CartRow, locale: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], Quote | None]:
    """The cart as it can be bought now, and what changed since the email showed it."""
    products = _products(st, cart)
    money = money_formatter(st.policy.shop.currency, locale)
    shown = {item["sku"]: item for item in (snapshot or {}).get("lines", [])}
    lines: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    for line in cart.lines:
        sku, quantity = line["sku"], int(line["quantity"])
        product = products.get(sku)
        if product is None:
            changes.append({"sku": sku, "change": "removed"})
            continue
        available = product.available
        entry = {
            "sku": sku,
            "name": product.name,
            "quantity": quantity,
            "unit_price": f"{product.price:f}",
            "display_price": money(product.price),
            "available": available,
            "image_url": absolute_url(st, product.image_url),
        }
        before = shown.get(sku)
        if before is not None and Decimal(before["unit_price"]) != product.price:
            changes.append(
                {
                    "sku": sku,
                    "change": "price",
                    "before": before["unit_price"],
                    "after": f"{product.price:f}",
                    "display_before": money(Decimal(before["unit_price"])),
                    "display_after": money(product.price),
                }
            )
        if available <= 0 and not product.preorder:
            changes.append({"sku": sku, "change": "out_of_stock"})
            entry["quantity"] = 0
        elif available < quantity and not product.preorder:
            changes.append(
                {"sku": sku, "change": "quantity", "before": quantity, "after": available}
            )
            entry["quantity"] = available
        lines.append(entry)
    buyable = [line for line in lines if line["quantity"] > 0]
    quote = None
    if buyable:
        view = CartRow(
            id=cart.id,
            lines=[{"sku": line["sku"], "quantity": line["quantity"]} for line in buyable],
            country=cart.country,
        )
        quote = _quote(st, view, products, st.now())
    return lines, changes, quote


def iter_cart_rows(session: Session, address: str) -> Iterator[CartRow]:
    yield from session.scalars(select(CartRow).where(CartRow.email == address))
