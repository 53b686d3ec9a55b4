"""The `defenceline` command.

The core holds `policy check` and `estimate`. The parts add their own commands (`demo`,
`check`, `helpcentre`, `manifesto`) through the ``defenceline.commands`` entry-point group, loaded
only when used, so the core never imports a part and `defenceline --help` stays fast.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, TypeVar

import click
from babel.dates import format_date, format_datetime, format_time

from defenceline.businessdays import DateOutOfRange, check_day
from defenceline.delivery import (
    RESTOCK_HORIZON_DAYS,
    DeliveryEstimate,
    EstimateStatus,
    estimate_delivery,
)
from defenceline.policy import Policy
from defenceline.policyfile import PolicyError, load_policy
from defenceline.regions import country_name, is_country, normalise_locale

__all__ = ["main", "policy_option", "read_policy"]

FC = TypeVar("FC", bound=Callable[..., Any] | click.Command)


class _PartsGroup(click.Group):
    """A group whose extra commands come from the ``defenceline.commands`` entry points."""

    def _entry_points(self) -> dict[str, Any]:
        return {ep.name: ep for ep in entry_points(group="defenceline.commands")}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self._entry_points()))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        ep = self._entry_points().get(cmd_name)
        if ep is None:
            return None
        loaded = ep.load()
        return loaded if isinstance(loaded, click.Command) else None


@click.group(cls=_PartsGroup)
@click.version_option(package_name="defenceline")
def main() -> None:
    """defenceline: one store policy, shown and checked everywhere."""


def read_policy(path: str | Path, exit_code: int = 2) -> Policy:
    """Load the policy for a command, or print its problems (no traceback) and exit."""
    try:
        return load_policy(path)
    except PolicyError as exc:
        click.echo(exc.format(), err=True)
        sys.exit(exit_code)


def file_option(*names: str, **settings: Any) -> Callable[[FC], FC]:
    """An option that names a file (never a folder), given to the command as a `Path`."""
    return click.option(*names, type=click.Path(dir_okay=False, path_type=Path), **settings)


def policy_option(required: bool = True) -> Callable[[FC], FC]:
    """The shared ``--policy PATH`` option."""
    return file_option(
        "--policy", "policy_path", required=required, metavar="PATH", help="The shop's store.toml."
    )


# --- policy ------------------------------------------------------------------------------------


@main.group()
def policy() -> None:
    """Work with the store policy (store.toml)."""


@policy.command("check")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def policy_check(path: Path) -> None:
    """Validate the policy at PATH: exit 0 with a summary, or 1 with every problem."""
    loaded = read_policy(path, exit_code=1)
    zones = loaded.shipping.zones
    countries = loaded.shipping.countries
    click.echo(
        f"{path}: valid: {loaded.shop.name}, {len(zones)} shipping zone"
        f"{'s' if len(zones) != 1 else ''} ({len(countries)} countries), "
        f"{loaded.returns.window_days}-day returns, {len(loaded.payment_methods)} payment "
        f"method{'s' if len(loaded.payment_methods) != 1 else ''}"
    )


# --- estimate ----------------------------------------------------------------------------------


def _day_parser(
    parse: Callable[[str], dt.date], expected: str, hint: str = ""
) -> Callable[[click.Context, click.Parameter, str | None], Any]:
    """A click callback that reads an option's value with `parse` (a date or a moment): a
    usage error (exit 2) names the flag and what was expected, or the accepted range, so a
    far-off day never overflows later."""

    def callback(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
        if value is None:
            return None
        try:
            day = parse(value)
        except ValueError:
            raise click.BadParameter(f"{value!r} is not {expected}", ctx, param) from None
        try:
            check_day(day, param.name or "date")
        except DateOutOfRange as exc:
            raise click.BadParameter(exc.message + hint, ctx, param) from None
        return day

    return callback


_parse_moment = _day_parser(
    dt.datetime.fromisoformat,
    "an ISO 8601 moment; expected e.g. 2026-12-24T15:59 (warehouse time) or "
    "2026-12-24T14:59:00+00:00",
)
_parse_restock = _day_parser(
    dt.date.fromisoformat,
    "a date; expected YYYY-MM-DD",
    "; for an unknown restock date use --out-of-stock",
)


def _parse_country(ctx: click.Context, param: click.Parameter, value: str) -> str:
    code = value.strip().upper()
    if not is_country(code):
        raise click.BadParameter(
            f"{value!r} is not a country code; expected ISO 3166-1 alpha-2 such as NL",
            ctx,
            param,
        )
    return code


def _parse_locale(ctx: click.Context, param: click.Parameter, value: str) -> str:
    try:
        return normalise_locale(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


@main.command()
@policy_option()
@click.option("--country", required=True, callback=_parse_country, help="Destination, e.g. NL.")
@click.option(
    "--at",
    "at",
    callback=_parse_moment,
    metavar="ISO-8601",
    help="The order moment (default now), 2000 to 2099; without an offset it is warehouse time.",
)
@click.option(
    "--restock",
    callback=_parse_restock,
    metavar="DATE",
    help="The item is out of stock and expected back on DATE (more than two years ahead "
    "counts as unknown).",
)
@click.option("--out-of-stock", is_flag=True, help="The item is out of stock, no restock date.")
@click.option("--express", metavar="NAME", help="Use the zone's express option NAME.")
@click.option("--locale", default="en", callback=_parse_locale, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def estimate(
    policy_path: Path,
    country: str,
    at: dt.datetime | None,
    restock: dt.date | None,
    out_of_stock: bool,
    express: str | None,
    locale: str,
    as_json: bool,
) -> None:
    """Say what the delivery widget would say: when does an order placed AT arrive?"""
    loaded = read_policy(policy_path)
    try:
        result = estimate_delivery(
            loaded,
            country,
            at,
            in_stock=not (out_of_stock or restock is not None),
            restock_date=restock,
            express=express,
        )
    except DateOutOfRange as exc:  # the callbacks check --at; this keeps any slip a usage error
        raise click.BadParameter(exc.message, param_hint=f"--{exc.field}") from None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--express") from None
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        click.echo(_describe(loaded, result, locale, restock))


def _describe(
    policy: Policy, result: DeliveryEstimate, locale: str, restock: dt.date | None = None
) -> str:
    name = country_name(result.country, locale)
    ordered = format_datetime(
        result.ordered_at, "full", tzinfo=result.ordered_at.tzinfo, locale=locale
    )
    if result.status is EstimateStatus.NOT_SHIPPED:
        return f"{policy.shop.name} does not ship to {name} ({result.country})."
    lines = [f"To {name} ({result.country}), zone {result.zone}, carrier {result.carrier}"]
    lines.append(f"  ordered:    {ordered}")
    if result.status is EstimateStatus.NO_RESTOCK_DATE:
        if restock is not None:
            lines.append(
                f"  restock date {restock.isoformat()} is more than {RESTOCK_HORIZON_DAYS} days "
                "ahead and counts as unknown: no delivery date can be promised"
            )
        else:
            lines.append("  out of stock with no restock date: no delivery date can be promised")
        return "\n".join(lines)
    assert result.dispatch_date and result.earliest and result.latest
    lines.append(f"  dispatched: {format_date(result.dispatch_date, 'full', locale=locale)}")
    earliest = format_date(result.earliest, "full", locale=locale)
    if result.earliest == result.latest:
        lines.append(f"  delivered:  {earliest}")
    else:
        latest = format_date(result.latest, "full", locale=locale)
        lines.append(f"  delivered:  between {earliest} and {latest}")
    if result.cutoff is not None:
        cut = format_time(result.cutoff, "short", tzinfo=result.cutoff.tzinfo, locale=locale)
        lines.append(f"  cut-off:    order before {cut} the same day for this estimate")
    return "\n".join(lines)
