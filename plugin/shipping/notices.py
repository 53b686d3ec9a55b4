"""Which shipping message is due: the triggers, the rules that stop a message, and when a
parcel will miss its promise.

Messages (each switched on by naming it in ``DEFENCELINE_SHIPPING_MESSAGES``):

* **dispatched** — when the shipment is recorded: the items, the carrier's tracking link and
  the promised window.
* **delay** — the parcel will miss the promised latest day: an ``exception`` or ``delayed``
  event (unless the carrier still expects it within the promise), a carrier estimate after
  the promise, or — found by `scan` — the last promised delivery day has reached
  ``DEFENCELINE_SHIPPING_DELAY_HOUR`` (18:00) in the shopper's zone and the carrier has
  neither taken it out for delivery nor reached the shopper. One notice per expected date
  (the carrier's new date, or none yet): never a second one for the same date.
* **out_for_delivery** ("arrives today") — optional, off by default; one per delivery day.
* **delivered** — with the help-centre articles for the items and, when the shop sets
  ``DEFENCELINE_SHIPPING_REVIEW_URL``, a review request (optional content).
* **return_received** and **refunded**.

Never sent: for an imported (historical) order, after the order was cancelled, to an address
that is suppressed (bounced, forgotten, or unsubscribed from shipping messages), to a test
address, for an event older than `STALE_AFTER` (a late replay is not news), or twice for one
event — each message's Message-ID is fixed by what it is about (`mail.notice_message_id`),
and the outbox keeps Message-IDs unique. The optional ones (out for delivery, the review
request) also stop after the shopper follows the unsubscribe link in any of them. Every rule
is asked again right before sending (`_recheck`), and quiet hours in the shopper's zone hold
a message until the morning.

**The delay deadline.** Parcels are delivered only on the zone's delivery weekdays that are
not public holidays at the destination (python-holidays, as the estimate counts them). So
the last chance to keep the promise is the last delivery day on or before the promised latest
day: a promise ending on a Sunday, or on Whit Monday for a carrier that does not deliver on
Saturdays, is missed once Friday's round is over. The deadline is that day at the configured
hour on the shopper's wall clock (zoneinfo), so it is 18:00 in winter and in summer time alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import click
from flask.cli import with_appcontext
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from defenceline.businessdays import is_carrier_day
from defenceline.plugin.background import background_context
from defenceline.plugin.cart.tracking import hold_until_morning, shopper_zone
from defenceline.plugin.cliparams import parse_moment, state_or_exit
from defenceline.plugin.emails.claims import claim_row
from defenceline.plugin.emails.consent import (
    Purpose,
    SuppressionRow,
    address_hash,
    is_test_address,
)
from defenceline.plugin.emails.dispatch import register_scheduler
from defenceline.plugin.emails.messages import EmailSetupError, mail_domain
from defenceline.plugin.emails.outbox import (
    Cancel,
    ClaimedMessage,
    OutboxRow,
    Postpone,
    Verdict,
    insert_message,
    register_recheck,
)
from defenceline.plugin.shipping.mail import (
    MESSAGE_TYPES,
    MessageType,
    compose_notice,
    notice_message_id,
)
from defenceline.plugin.shipping.records import OrderRow, ShipmentRow
from defenceline.plugin.shipping.statuses import ShipmentStatus
from defenceline.plugin.state import DefenceLineState, state
from defenceline.plugin.storage import Storage
from defenceline.plugin.timestamps import as_utc
from defenceline.policy import Policy, Zone

__all__ = [
    "STALE_AFTER",
    "Notice",
    "delay_deadline",
    "enqueue_due",
    "last_delivery_day",
    "scan",
    "shipping_scan_command",
]

# An event reported this long after it happened triggers no message: it is a replay or a
# catch-up, and the shopper has long seen what it would say.
STALE_AFTER = dt.timedelta(days=3)
# How far back from the promised latest day a delivery day is looked for (a long closure,
# Christmas and a weekend together stay well within it).
_LOOK_BACK_DAYS = 14

# The carrier has reached the shopper (or the parcel's journey is over): no delay notice.
_REACHED = frozenset(
    {
        ShipmentStatus.OUT_FOR_DELIVERY,
        ShipmentStatus.FAILED_ATTEMPT,
        ShipmentStatus.AVAILABLE_FOR_PICKUP,
        ShipmentStatus.DELIVERED,
        ShipmentStatus.RETURNED_TO_SENDER,
        ShipmentStatus.RETURN_RECEIVED,
        ShipmentStatus.REFUNDED,
    }
)
_LATE = frozenset({ShipmentStatus.DELAYED, ShipmentStatus.EXCEPTION})

_REASONS = {
    "imported": "an imported (historical) order",
    "cancelled": "the order was cancelled",
    "no_address": "the order has no email address",
    "test_address": "a test address",
    "switched_off": "this message type is switched off (DEFENCELINE_SHIPPING_MESSAGES)",
    "suppressed": "the address bounced, was forgotten or unsubscribed",
    "unsubscribed": "the shopper unsubscribed from the optional delivery updates",
    "reached": "the carrier has already reached the shopper",
    "delivered": "the parcel was delivered already",
    "stale": "the event is too old to be news",
}


@dataclass(frozen=True)
class Notice:
    """What was decided about one message (for the CLI, dry runs and tests)."""

    shipment_id: str
    kind: str
    outcome: str  # queued | already | stopped
    reason: str = ""
    due_at: dt.datetime | None = None


# --- the delay deadline ------------------------------------------------------------------------


def _zone_of(policy: Policy, name: str | None, country: str) -> Zone | None:
    """The order's zone by the name it had at order time, else the destination's zone now."""
    by_name = {zone.name: zone for zone in policy.shipping.zones}
    return by_name.get(name or "") or policy.zone_for(country)


def last_delivery_day(zone: Zone | None, country: str, latest: dt.date) -> dt.date:
    """The last day on or before `latest` on which the carrier delivers to `country` (its
    delivery weekdays, not a public holiday there); `latest` itself without a zone."""
    if zone is None:
        return latest
    for back in range(_LOOK_BACK_DAYS + 1):
        day = latest - dt.timedelta(days=back)
        if is_carrier_day(zone, country, day):
            return day
    return latest


def delay_deadline(
    zone: Zone | None, country: str, latest: dt.date, timezone: ZoneInfo, hour: dt.time
) -> dt.datetime:
    """When the last chance to keep the promise has gone: `hour` on the last delivery day,
    on the shopper's wall clock, as a UTC moment."""
    local = dt.datetime.combine(last_delivery_day(zone, country, latest), hour, tzinfo=timezone)
    # A wall-clock time in a spring-forward gap does not exist: the round trip through UTC
    # moves it to the first real moment after the gap.
    return local.astimezone(dt.UTC).astimezone(timezone).astimezone(dt.UTC)


def _end_of_day(day: dt.date, timezone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=timezone).astimezone(
        dt.UTC
    )


# --- the rules ---------------------------------------------------------------------------------


def _suppressed(session: Session, hashed: str, optional: bool) -> str | None:
    """Why this address gets no shipping message (or no optional one), or None."""
    purposes = [Purpose.SHIPPING.value]
    if optional:
        purposes.append(Purpose.SHIPPING_OPTIONAL.value)
    found = session.scalars(
        select(SuppressionRow.purpose)
        .where(
            SuppressionRow.address_hash == hashed,
            or_(
                SuppressionRow.purpose.in_(purposes),
                # A mailbox that bounced or an address erased on request is gone for every
                # purpose: a bounce on a reminder stops the shipping messages too.
                SuppressionRow.reason.in_(["bounced", "forgotten"]),
            ),
        )
        .limit(1)
    ).first()
    if found is None:
        return None
    return "unsubscribed" if found == Purpose.SHIPPING_OPTIONAL.value else "suppressed"


def _rule_against(
    st: DefenceLineState, session: Session, order: OrderRow, message_type: MessageType
) -> str | None:
    """The first "never send" rule for this order and message type, or None."""
    if order.origin == "import":
        return "imported"
    if order.cancelled_at is not None:
        return "cancelled"
    if not order.email:
        return "no_address"
    if is_test_address(order.email, st.email.test_addresses):
        return "test_address"
    if message_type.name not in st.email.shipping_messages:
        return "switched_off"
    rule = _suppressed(session, address_hash(order.email), message_type.optional)
    if rule is not None:
        return rule
    if message_type.optional and order.unsubscribed_optional:
        return "unsubscribed"
    return None


def _optional_allowed(st: DefenceLineState, session: Session, order: OrderRow) -> bool:
    """May optional content (the review request) go to this shopper?"""
    if order.unsubscribed_optional or not order.email:
        return False
    return _suppressed(session, address_hash(order.email), optional=True) is None


def _reached(shipment: ShipmentRow) -> bool:
    return (
        shipment.delivered_at is not None
        or shipment.first_attempt_at is not None
        or shipment.status in _REACHED
    )


# --- the triggers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Due:
    message_type: MessageType
    moment: dt.datetime  # when the event happened
    key: str  # what makes this message one of a kind for the shipment
    expected: dt.date | None = None


def _delay_key(latest: dt.date | None, expected: dt.date | None) -> tuple[str, dt.date | None]:
    """A delay notice is one per expected date: the carrier's date when it is after the
    promised `latest` day, else "none yet"."""
    late = expected is not None and latest is not None and expected > latest
    return (expected.isoformat(), expected) if late and expected is not None else ("", None)


def _triggers(order: OrderRow, shipment: ShipmentRow, zone: ZoneInfo) -> list[_Due]:
    """Every message whose trigger the shipment's events hold now."""
    due: list[_Due] = []
    status = ShipmentStatus(shipment.status) if shipment.status else None
    status_at = as_utc(shipment.status_at) if shipment.status_at else as_utc(shipment.dispatched_at)
    if not _reached(shipment):
        due.append(_Due(MESSAGE_TYPES["dispatched"], as_utc(shipment.dispatched_at), ""))
        if order.promise_latest is not None:
            key, expected = _delay_key(order.promise_latest, shipment.expected_delivery)
            carrier_says_on_time = (
                shipment.expected_delivery is not None and expected is None
            )  # an estimate within the promise
            if (status in _LATE and not carrier_says_on_time) or expected is not None:
                due.append(_Due(MESSAGE_TYPES["delay"], status_at, key, expected))
    if status is ShipmentStatus.OUT_FOR_DELIVERY and shipment.delivered_at is None:
        day = status_at.astimezone(zone).date()
        due.append(_Due(MESSAGE_TYPES["out_for_delivery"], status_at, day.isoformat()))
    if shipment.delivered_at is not None:
        due.append(_Due(MESSAGE_TYPES["delivered"], as_utc(shipment.delivered_at), ""))
    # The service's summary: `returned_at` is the first return_received, `refunded_at` the
    # first refunded event.
    if shipment.returned_at is not None:
        due.append(_Due(MESSAGE_TYPES["return_received"], as_utc(shipment.returned_at), ""))
    if shipment.refunded_at is not None:
        due.append(_Due(MESSAGE_TYPES["refunded"], as_utc(shipment.refunded_at), ""))
    return due


# --- writing messages --------------------------------------------------------------------------


def _write(
    st: DefenceLineState,
    session: Session,
    order: OrderRow,
    shipment: ShipmentRow,
    due: _Due,
    zone: ZoneInfo,
    now: dt.datetime,
) -> Notice:
    kind = due.message_type.kind
    rule = _rule_against(st, session, order, due.message_type)
    if rule is None and due.moment < now - STALE_AFTER:
        rule = "stale"
    if rule is not None:
        return Notice(shipment.shipment_id, kind, "stopped", rule)
    message_id = notice_message_id(shipment.shipment_id, kind, due.key, mail_domain(st.policy))
    exists = session.scalars(select(OutboxRow.id).where(OutboxRow.message_id == message_id)).first()
    if exists is not None:
        return Notice(shipment.shipment_id, kind, "already")
    due_at = hold_until_morning(now, zone, st.email.quiet_hours)
    values = compose_notice(
        st,
        session,
        order,
        shipment,
        due.message_type,
        key=due.key,
        expected=due.expected,
        moment=due.moment,
        local_day=due.moment.astimezone(zone).date(),
        optional_allowed=_optional_allowed(st, session, order),
        now=now,
        due_at=due_at,
    )
    if not insert_message(session, values):  # another app server wrote it this instant
        return Notice(shipment.shipment_id, kind, "already")
    return Notice(shipment.shipment_id, kind, "queued", due_at=due_at)


def enqueue_due(session: Session, shipment: ShipmentRow, now: dt.datetime) -> list[Notice]:
    """Write (in `session`, the caller's transaction) every message the shipment's state makes
    due and that no rule stops. Called after each accepted shipment or event; idempotent, so
    calling it again, or for events that arrived out of order, writes nothing twice.
    Needs an app context (the policy, the templates)."""
    st = state()
    order = session.get(OrderRow, shipment.order_id)
    if order is None:
        return []
    zone = shopper_zone(order.timezone, st.policy.warehouse.timezone)
    moment = as_utc(now)
    # Outside a request (the Python API from a cron job) the shop's catalogue still gets the
    # request context it may need for absolute URLs (`defenceline.plugin.background`).
    with background_context():
        return [
            _write(st, session, order, shipment, due, zone, moment)
            for due in _triggers(order, shipment, zone)
        ]


# --- the periodic scan for parcels that will miss the promise ----------------------------------


def _delay_due(
    st: DefenceLineState,
    zone_name: str | None,
    country: str,
    latest: dt.date,
    timezone: str | None,
    now: dt.datetime,
) -> tuple[bool, ZoneInfo]:
    """Has the deadline passed, with the promised day not yet over for the shopper?"""
    zone = shopper_zone(timezone, st.policy.warehouse.timezone)
    policy = st.policy
    deadline = delay_deadline(
        _zone_of(policy, zone_name, country), country, latest, zone, st.email.shipping_delay_hour
    )
    return deadline <= now < _end_of_day(latest, zone), zone


def scan(storage: Storage, now: dt.datetime, dry_run: bool = False) -> list[Notice]:
    """Write the delay notices whose deadline has passed (see the module docstring). Run by
    every ``send-due`` pass and the background sender, and by ``flask defenceline
    shipping-scan``; safe on several machines at once: each shipment is claimed for its
    transaction (`claim_row`) and each notice has one Message-ID. Needs an app context."""
    st = state()
    moment = as_utc(now)
    if "delay" not in st.email.shipping_messages:
        return []
    sessions = storage.sessions()
    today = moment.date()
    with sessions() as session:
        candidates = session.execute(
            select(
                ShipmentRow.shipment_id,
                ShipmentRow.expected_delivery,
                OrderRow.zone,
                OrderRow.country,
                OrderRow.promise_latest,
                OrderRow.timezone,
            )
            .join(OrderRow, OrderRow.order_id == ShipmentRow.order_id)
            .where(
                OrderRow.promise_latest >= today - dt.timedelta(days=1),
                OrderRow.promise_latest <= today + dt.timedelta(days=_LOOK_BACK_DAYS + 1),
                OrderRow.cancelled_at.is_(None),
                OrderRow.origin != "import",
                OrderRow.email.is_not(None),
                ShipmentRow.delivered_at.is_(None),
                ShipmentRow.first_attempt_at.is_(None),
                or_(ShipmentRow.status.is_(None), ShipmentRow.status.not_in(list(_REACHED))),
            )
        ).all()
        domain = mail_domain(st.policy)
        kind = MESSAGE_TYPES["delay"].kind
        wanted: dict[str, str] = {}  # Message-ID -> shipment id, for the passed deadlines
        # Orders share zones, countries, promised days and time zones: one calendar look-up
        # for each combination, not one per parcel.
        passed: dict[tuple[Any, ...], bool] = {}
        for shipment_id, expected, zone_name, country, latest, timezone in candidates:
            if latest is None:  # excluded by the query; the column is nullable
                continue
            same = (zone_name, country, latest, timezone)
            if same not in passed:
                passed[same] = _delay_due(st, zone_name, country, latest, timezone, moment)[0]
            if passed[same]:
                key = _delay_key(latest, expected)[0]
                wanted[notice_message_id(shipment_id, kind, key, domain)] = shipment_id
        # A notice already written stays written: one read here spares claiming every late
        # parcel again on every pass until its promised day is over.
        written = set(
            session.scalars(
                select(OutboxRow.message_id).where(OutboxRow.message_id.in_(list(wanted)))
            )
        )
        due = [
            shipment_id for message_id, shipment_id in wanted.items() if message_id not in written
        ]
    notices: list[Notice] = []
    for shipment_id in due:
        # One transaction per shipment; closing the session rolls back what is not committed.
        with background_context(), sessions() as session:
            session.begin()
            notice = _delay_notice(st, session, shipment_id, moment)
            if notice is not None:
                notices.append(notice)
            if notice is not None and not dry_run:
                session.commit()
    return notices


def _delay_notice(
    st: DefenceLineState, session: Session, shipment_id: str, moment: dt.datetime
) -> Notice | None:
    """Claim the shipment for this transaction and write its delay notice; None when another
    sender holds it or it no longer needs one."""
    shipment = claim_row(
        session,
        ShipmentRow,
        shipment_id,
        (
            ShipmentRow.shipment_id == shipment_id,
            ShipmentRow.delivered_at.is_(None),
            ShipmentRow.first_attempt_at.is_(None),
        ),
        ShipmentRow.recorded_at,
    )
    order = session.get(OrderRow, shipment.order_id) if shipment else None
    if shipment is None or order is None or _reached(shipment):
        return None
    assert order.promise_latest is not None  # the scan picked it by its promise
    passed, zone = _delay_due(
        st, order.zone, order.country, order.promise_latest, order.timezone, moment
    )
    if not passed:
        return None
    key, expected = _delay_key(order.promise_latest, shipment.expected_delivery)
    status_at = as_utc(shipment.status_at or shipment.dispatched_at)
    due = _Due(MESSAGE_TYPES["delay"], max(status_at, moment), key, expected)
    return _write(st, session, order, shipment, due, zone, moment)


def _scheduled_scan(storage: Storage, now: dt.datetime, dry_run: bool) -> list[Notice]:
    return scan(storage, now, dry_run=dry_run)


register_scheduler(_scheduled_scan)


# --- the re-check right before sending ---------------------------------------------------------


def _recheck(session: Session, message: ClaimedMessage, now: dt.datetime) -> Verdict:
    st = state()
    snapshot: dict[str, Any] = (
        session.scalars(select(OutboxRow.snapshot).where(OutboxRow.id == message.id)).first() or {}
    )
    shipment = session.get(ShipmentRow, snapshot.get("shipment_id", ""))
    order = session.get(OrderRow, shipment.order_id) if shipment else None
    if shipment is None or order is None:
        return Cancel("the order or shipment is no longer held (erased)")
    message_type = MESSAGE_TYPES[message.kind.removeprefix("shipping_")]
    rule = _rule_against(st, session, order, message_type)
    if rule is None and message_type.name in {"dispatched", "out_for_delivery"}:
        rule = "delivered" if shipment.delivered_at is not None else None
    if rule is None and message_type.name == "delay" and _reached(shipment):
        rule = "reached"
    if rule is not None:
        return Cancel(_REASONS.get(rule, rule))
    zone = shopper_zone(order.timezone, st.policy.warehouse.timezone)
    morning = hold_until_morning(now, zone, st.email.quiet_hours)
    if morning > now:
        return Postpone(morning, "quiet hours in the shopper's time zone")
    return None


for _type in MESSAGE_TYPES.values():
    register_recheck(_type.kind, _recheck)


# --- flask defenceline shipping-scan -----------------------------------------------------------


@click.command("shipping-scan")
@with_appcontext
@click.option("--now", "now_text", metavar="ISO-8601", help="Act as if it were this moment.")
@click.option("--dry-run", is_flag=True, help="Show which delay notices are due; write nothing.")
def shipping_scan_command(now_text: str | None, dry_run: bool) -> None:
    """Write the delay notices that are due: parcels neither out for delivery nor delivered
    when the last promised day reaches its deadline (send-due runs this too)."""
    st = state_or_exit()
    moment = parse_moment(now_text, st.policy.warehouse.zone, "--now") or st.now()
    try:
        notices = scan(st.storage, moment, dry_run=dry_run)
    except EmailSetupError as exc:
        raise click.ClickException(str(exc)) from None
    for notice in notices:
        detail = _REASONS.get(notice.reason, notice.reason)
        click.echo(f"  {notice.kind} for shipment {notice.shipment_id}: {notice.outcome} {detail}")
    queued = sum(1 for n in notices if n.outcome == "queued")
    click.echo(f"{'would queue' if dry_run else 'queued'} {queued} delay notice(s)")
