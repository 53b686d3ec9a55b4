"""``flask defenceline report``: did the reminders help? Counts and recovered revenue per period.

A cart counts as **recovered** when it was ordered after at least one of its reminders was
sent, within the attribution window (default 7 days after that reminder); its order total
(as the storefront reported it, else the quote at ordering time) is the **recovered
revenue**. Periods (day, ISO week, month) are cut on the warehouse's local calendar.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from defenceline.plugin.cart.tracking import CartRow
from defenceline.plugin.emails.alerts import ALERT_KIND
from defenceline.plugin.emails.outbox import OutboxRow, OutboxStatus
from defenceline.plugin.emails.reminders import KIND as REMINDER_KIND
from defenceline.plugin.storage import Storage
from defenceline.plugin.timestamps import as_utc

__all__ = ["PeriodFigures", "period_key", "report"]


@dataclass
class PeriodFigures:
    period: str
    carts_tracked: int = 0
    carts_with_address: int = 0
    reminders_sent: int = 0
    carts_recovered: int = 0
    recovered_revenue: Decimal = field(default_factory=Decimal)
    stock_alerts_sent: int = 0

    def to_dict(self) -> dict[str, object]:
        """The figures for JSON: the revenue as a decimal string, never a float."""
        return {**asdict(self), "recovered_revenue": f"{self.recovered_revenue:f}"}


def period_key(moment: dt.datetime, zone: ZoneInfo, period: str) -> str:
    local = as_utc(moment).astimezone(zone).date()
    if period == "day":
        return local.isoformat()
    if period == "week":
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{local.year}-{local.month:02d}"


def report(
    storage: Storage,
    zone: ZoneInfo,
    since: dt.datetime,
    until: dt.datetime,
    period: str = "week",
    window: dt.timedelta = dt.timedelta(days=7),
) -> list[PeriodFigures]:
    """Figures per period between `since` and `until` (UTC moments), oldest period first."""
    figures: dict[str, PeriodFigures] = {}

    def bucket(moment: dt.datetime) -> PeriodFigures:
        key = period_key(moment, zone, period)
        return figures.setdefault(key, PeriodFigures(key))

    def inside(moment: dt.datetime | None) -> bool:
        return moment is not None and since <= as_utc(moment) < until

    with storage.sessions()() as session:
        carts = session.execute(
            select(
                CartRow.id,
                CartRow.email,
                CartRow.created_at,
                CartRow.ordered_at,
                CartRow.order_total,
            ).where(
                or_(
                    (CartRow.created_at >= since) & (CartRow.created_at < until),
                    (CartRow.ordered_at >= since) & (CartRow.ordered_at < until),
                )
            )
        ).all()
        sent = session.execute(
            select(OutboxRow.kind, OutboxRow.cart_id, OutboxRow.sent_at).where(
                OutboxRow.status == OutboxStatus.SENT.value,
                OutboxRow.sent_at >= since - window,
                OutboxRow.sent_at < until,
                OutboxRow.kind.in_([REMINDER_KIND, ALERT_KIND]),
            )
        ).all()
    reminders_by_cart: dict[str, list[dt.datetime]] = defaultdict(list)
    for kind, cart_id, sent_at in sent:
        if sent_at is None:
            continue
        if kind == REMINDER_KIND and cart_id is not None:
            reminders_by_cart[cart_id].append(as_utc(sent_at))
        if inside(sent_at):
            target = bucket(sent_at)
            if kind == REMINDER_KIND:
                target.reminders_sent += 1
            else:
                target.stock_alerts_sent += 1
    for cart in carts:
        if inside(cart.created_at):
            target = bucket(cart.created_at)
            target.carts_tracked += 1
            target.carts_with_address += 1 if cart.email else 0
        if inside(cart.ordered_at):
            ordered_at = as_utc(cart.ordered_at)
            if any(
                sent_at <= ordered_at <= sent_at + window
                for sent_at in reminders_by_cart.get(cart.id, [])
            ):
                target = bucket(ordered_at)
                target.carts_recovered += 1
                if cart.order_total:
                    target.recovered_revenue += Decimal(cart.order_total)
    return [figures[key] for key in sorted(figures)]
