"""``flask defenceline …``: the plugin's commands in the host app's Flask CLI."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from defenceline.plugin.catalogue import CatalogueError, SqlCatalogue, read_catalogue_file
from defenceline.plugin.cliparams import state_or_exit
from defenceline.plugin.emails import commands as email_commands
from defenceline.plugin.feedback import commands as feedback_commands
from defenceline.plugin.migrations import commands as migration_commands
from defenceline.plugin.shipping import commands as shipping_commands
from defenceline.plugin.shipping import report as promise_report
from defenceline.plugin.shipping.notices import shipping_scan_command
from defenceline.plugin.widgets.stock_changes import announce

__all__ = ["cli"]

cli = AppGroup(
    "defenceline",
    help=(
        "defenceline storefront plugin: database and catalogue, abandoned-cart and "
        "back-in-stock emails (send-due, outbox, report, export, forget), feedback."
    ),
)


@cli.command("import-catalogue")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def import_catalogue(file: Path) -> None:
    """Load products from FILE (.csv with a header row, or .json) into the SQL catalogue.

    Columns: sku, name, price (required); product_id, attributes ("Colour=Black;Size=M"),
    vat_class, weight_kg, stock (or stock_on_hand), reserved, restock_date (YYYY-MM-DD),
    preorder, image_url, category, description. Existing SKUs are updated. A file with any bad
    row imports nothing.
    """
    st = state_or_exit()
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
    for change in changes:
        announce(change)
    click.echo(f"{file}: imported {len(products)} products")


# Each feature adds its own commands (send-due, outbox, forget, export, report;
# helpcentre-stats).
email_commands.register(cli)
feedback_commands.register(cli)
migration_commands.register(cli)  # db upgrade | current | history, init-db
shipping_commands.register(cli)  # import-shipments
promise_report.register(cli)  # promise-report
cli.add_command(shipping_scan_command)  # delay notices (send-due runs the scan too)
