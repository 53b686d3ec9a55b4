"""What the plugin's command-line commands share: option callbacks for days, and the app's
plugin state as a command-line error when the app has not set the plugin up. Every feature's
commands (`defenceline.plugin.cli`, `defenceline.plugin.emails.commands`, ...) use it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import click

from defenceline.businessdays import DateOutOfRange, check_day
from defenceline.plugin.state import DefenceLineState, state
from defenceline.plugin.timestamps import as_utc

__all__ = ["day_option", "parse_moment", "state_or_exit", "within_bounds"]


def within_bounds(day: dt.date, value: str, option: str) -> None:
    """A usage error naming `option` for a day outside the core's calendar (2000 to 2099),
    which adding a day or a time zone to 9999-12-31 would run off."""
    try:
        check_day(day, option)
    except DateOutOfRange as exc:
        raise click.BadParameter(f"{value!r}: {exc.message}", param_hint=option) from None


def day_option(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    """Click callback: a ``YYYY-MM-DD`` option as a day within the core's calendar."""
    if value is None:
        return None
    option = param.opts[0] if param.opts else "date"
    text = value.strip()
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not a date; expected YYYY-MM-DD, e.g. 2026-11-24", param_hint=option
        ) from None
    within_bounds(day, text, option)
    return day


def state_or_exit() -> DefenceLineState:
    """The plugin's state for the current app; a command-line error (not a traceback) when
    the app has not set the plugin up."""
    try:
        return state()
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None


def parse_moment(value: str | None, zone: ZoneInfo, option: str) -> dt.datetime | None:
    """An ISO 8601 moment (a ``--now`` option); without an offset it is local time in `zone`
    (the warehouse's); a usage error naming `option` otherwise."""
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO 8601 moment; expected e.g. 2026-11-25T09:00 or "
            "2026-11-25T09:00+01:00",
            param_hint=option,
        ) from None
    within_bounds(moment.date(), value, option)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return as_utc(moment)
