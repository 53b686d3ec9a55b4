"""``flask defenceline send-due | outbox | forget | export | report``: the email commands.

They join the plugin's ``flask defenceline`` group (`defenceline.plugin.cli.cli`) through
`register`.
"""

from __future__ import annotations

import datetime as dt
import json

import click
from flask.cli import AppGroup, with_appcontext

from defenceline.money import format_money
from defenceline.plugin.cliparams import day_option, parse_moment, state_or_exit
from defenceline.plugin.emails.consent import normalise_address
from defenceline.plugin.emails.dispatch import send_due
from defenceline.plugin.emails.mailer import MailConfigError
from defenceline.plugin.emails.messages import EmailSetupError
from defenceline.plugin.emails.outbox import OutboxStatus, latest_rows, outbox_counts
from defenceline.plugin.emails.privacy import export_address, forget_address
from defenceline.plugin.emails.reporting import report
from defenceline.plugin.timestamps import as_utc

__all__ = ["export", "forget", "outbox", "register", "report_command", "send_due_command"]

# A --limit beyond this is a typo, and past 2**63 the database cannot even take it.
MAX_LIMIT = 1_000_000


def register(group: AppGroup) -> None:
    """Add the email commands to the plugin's ``flask defenceline`` group."""
    group.add_command(send_due_command)
    group.add_command(outbox)
    group.add_command(forget)
    group.add_command(export)
    group.add_command(report_command)


def _address(value: str) -> str:
    try:
        return normalise_address(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="EMAIL") from None


@click.command("send-due")
@with_appcontext
@click.option("--now", "now_text", metavar="ISO-8601", help="Act as if it were this moment.")
@click.option(
    "--limit", type=click.IntRange(min=1, max=MAX_LIMIT), help="Send at most this many emails."
)
@click.option(
    "--dry-run", is_flag=True, help="Show what would be written and sent; change nothing."
)
def send_due_command(now_text: str | None, limit: int | None, dry_run: bool) -> None:
    """Write the reminders and alerts that are due, then send due emails (cron, timers).

    Safe to run on several machines at once. ``--now 2026-11-25T09:00 --dry-run`` shows what
    would go out tomorrow at 09:00 (a time without offset is the warehouse's local time).
    """
    st = state_or_exit()
    now = parse_moment(now_text, st.policy.warehouse.zone, "--now")
    try:
        result = send_due(now=now, limit=limit, dry_run=dry_run)
    except (EmailSetupError, MailConfigError) as exc:
        raise click.ClickException(str(exc)) from None
    when = result.moment.astimezone(st.policy.warehouse.zone).isoformat(timespec="minutes")
    click.echo(f"{'dry run at' if dry_run else 'pass at'} {when}")
    for event in result.reminders:
        detail = event.reason or event.subject or ""
        if event.at is not None and event.outcome == "postponed":
            detail += f" until {event.at.astimezone(st.policy.warehouse.zone):%Y-%m-%d %H:%M}"
        click.echo(f"  reminder {event.step} for cart {event.cart_id}: {event.outcome} {detail}")
    for alert in result.alerts:
        click.echo(f"  stock alerts for {alert.sku}: {alert.outcome} {alert.count} {alert.reason}")
    if dry_run:
        for row_id, kind, recipient, subject in result.would_send:
            click.echo(f"  would send #{row_id} {kind} to {recipient}: {subject}")
        return
    d = result.delivery
    click.echo(
        f"sent {d.sent}, cancelled {d.cancelled}, postponed {d.postponed}, "
        f"retrying {d.retrying}, failed {d.failed}"
        + (f", lost lease {d.lost_lease}" if d.lost_lease else "")
    )


@click.command("outbox")
@with_appcontext
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice([s.value for s in OutboxStatus]),
    help="Only rows in this status (repeatable).",
)
@click.option("--limit", type=click.IntRange(min=1, max=MAX_LIMIT), default=30, show_default=True)
def outbox(statuses: tuple[str, ...], limit: int) -> None:
    """List the outbox: counts per status and the latest messages (pending, sent, failed...)."""
    st = state_or_exit()
    counts = outbox_counts(st.storage)
    click.echo("  ".join(f"{status}: {count}" for status, count in counts.items()))
    zone = st.policy.warehouse.zone
    for row in latest_rows(st.storage, statuses or None, limit):
        moment = row.sent_at or row.due_at
        note = f" — {row.reason}" if row.reason else ""
        click.echo(
            f"#{row.id} {row.status:<9} {moment.astimezone(zone):%Y-%m-%d %H:%M} "
            f"{row.kind} to {row.recipient}: {row.subject or '(no message)'}{note}"
        )


@click.command("forget")
@with_appcontext
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def forget(email: str, yes: bool) -> None:
    """Erase EMAIL's carts, consents, alerts and emails; keep a hashed suppression entry so
    the address is never emailed again."""
    st = state_or_exit()
    address = _address(email)
    if not yes:
        click.confirm(f"Erase everything held about {address}?", abort=True)
    counts = forget_address(st.storage, address)
    click.echo(
        f"{address}: erased "
        + ", ".join(f"{count} {kind.replace('_', ' ')}" for kind, count in counts.items())
        + "; kept a hashed suppression entry"
    )


@click.command("export")
@with_appcontext
@click.argument("email")
def export(email: str) -> None:
    """Print everything held about EMAIL as JSON (a data subject's access request)."""
    st = state_or_exit()
    data = export_address(st.storage, _address(email))
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.command("report")
@with_appcontext
@click.option(
    "--period", type=click.Choice(["day", "week", "month"]), default="week", show_default=True
)
@click.option(
    "--since", metavar="YYYY-MM-DD", callback=day_option, help="First day (default: 8 weeks ago)."
)
@click.option(
    "--until", metavar="YYYY-MM-DD", callback=day_option, help="Last day (default: today)."
)
@click.option(
    "--window-days",
    type=click.IntRange(min=1, max=90),
    default=7,
    show_default=True,
    help="An order this long after a reminder counts as recovered.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def report_command(
    period: str,
    since: dt.date | None,
    until: dt.date | None,
    window_days: int,
    as_json: bool,
) -> None:
    """Carts tracked, reminders sent, carts recovered and recovered revenue per period."""
    st = state_or_exit()
    zone = st.policy.warehouse.zone
    today = st.now().astimezone(zone).date()
    last = until or today
    first = since or today - dt.timedelta(weeks=8)
    if first > last:
        raise click.BadParameter(f"{first} is after {last}", param_hint="--since")
    start = as_utc(dt.datetime.combine(first, dt.time(0), tzinfo=zone))
    end = as_utc(dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=zone))
    rows = report(st.storage, zone, start, end, period, dt.timedelta(days=window_days))
    if as_json:
        click.echo(json.dumps([row.to_dict() for row in rows], indent=2))
        return
    currency = st.policy.shop.currency
    locale = st.policy.shop.default_locale
    header = ("period", "carts", "with address", "reminders", "recovered", "revenue", "alerts")
    table = [header] + [
        (
            row.period,
            str(row.carts_tracked),
            str(row.carts_with_address),
            str(row.reminders_sent),
            str(row.carts_recovered),
            format_money(row.recovered_revenue, currency, locale),
            str(row.stock_alerts_sent),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for line in table:
        click.echo("  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True)))
    if not rows:
        click.echo(f"nothing tracked between {first} and {last}")
