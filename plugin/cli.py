"""``flask defenceline …``: the plugin's commands in the host app's Flask CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from defenceline.businessdays import DateOutOfRange, check_day
from defenceline.plugin.catalogue import CatalogueError, SqlCatalogue, read_catalogue_file
from defenceline.plugin.extension import DefenceLineState, state
from defenceline.plugin.feedback import export_stats
from defenceline.plugin.signals import stock_changed

__all__ = ["cli", "day_option", "within_bounds"]

cli = AppGroup("defenceline", help="defenceline storefront plugin: database and catalogue.")


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


def _state_or_exit() -> DefenceLineState:
    try:
        return state()
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command("init-db")
def init_db() -> None:
    """Create the plugin's tables (safe to run again)."""
    st = _state_or_exit()
    st.storage.create_schema()
    click.echo(f"defenceline tables are ready in {st.storage.engine.url.render_as_string()}")


@cli.command("import-catalogue")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def import_catalogue(file: Path) -> None:
    """Load products from FILE (.csv with a header row, or .json) into the SQL catalogue.

    Columns: sku, name, price (required); product_id, attributes ("Colour=Black;Size=M"),
    vat_class, weight_kg, stock (or stock_on_hand), reserved, restock_date (YYYY-MM-DD),
    preorder, image_url, category, description. Existing SKUs are updated. A file with any bad
    row imports nothing.
    """
    st = _state_or_exit()
    if not isinstance(st.catalogue, SqlCatalogue):
        raise click.ClickException(
            "this app reads products from its own catalogue (DEFENCELINE_CATALOGUE); "
            "import-catalogue fills only the default SQL catalogue"
        )
    try:
        products = read_catalogue_file(file)
    except CatalogueError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(1) from None
    changes = st.catalogue.replace_products(products)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    for change in changes:
        stock_changed.send(app, change=change)
    click.echo(f"{file}: imported {len(products)} products")


@cli.command("helpcentre-stats")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the stats file here (default: print it).",
)
@click.option("--since", metavar="YYYY-MM-DD", callback=day_option, help="Count from this date on.")
def helpcentre_stats(output: Path | None, since: dt.date | None) -> None:
    """Export help-centre page views and "helpful" votes as the stats file the help centre
    orders its knowledge base by (its `stats` setting)."""
    st = _state_or_exit()
    stats = export_stats(st.storage, since)
    text = json.dumps(stats, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    temporary = output.with_name(f".{output.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(output)  # readers never see a half-written file
    click.echo(f"{output}: stats for {len(stats['pages'])} pages")


# The email commands (send-due, outbox, forget, export, report) join this group.
from defenceline.plugin import email_cli  # noqa: E402, F401
