"""``flask defenceline import-shipments FILE.csv``: the shop's past deliveries, for measuring
and calibrating its promise (see `defenceline.plugin.shipping.importing`)."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from defenceline.plugin.cliparams import state_or_exit
from defenceline.plugin.shipping.importing import ShipmentFileError, import_file

__all__ = ["import_shipments", "register"]


def register(group: AppGroup) -> None:
    """Add the shipping commands to the plugin's ``flask defenceline`` group."""
    group.add_command(import_shipments)


@click.command("import-shipments")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def import_shipments(file: Path) -> None:
    """Load past deliveries from FILE, a CSV file with a header row and the columns
    order_id, ordered_at, country, carrier, dispatched_at, delivered_at (empty while in
    transit). Moments are ISO 8601; without an offset they are the warehouse's clock.

    Each row becomes an order with the promise the delivery estimate gives for it, and a
    shipment with its events; no message is ever sent for them. Rows already imported are
    skipped (a delivery since is added). A file with any bad row imports nothing: each
    problem is listed with its row and column.
    """
    st = state_or_exit()
    started = time.perf_counter()
    try:
        report = import_file(st.storage, st.policy, file, st.now())
    except ShipmentFileError as exc:
        click.echo(exc.format(), err=True)
        raise SystemExit(1) from None
    seconds = time.perf_counter() - started
    click.echo(
        f"{file}: {report.rows} rows in {seconds:.1f} s - {report.orders} new deliveries "
        f"({report.delivered} delivered, {report.in_transit} in transit over all rows), "
        f"{report.known} already recorded, {report.events} new events"
    )
