"""``flask defenceline db …`` (and the older ``init-db``): the plugin's tables from the host
app's Flask CLI."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import DBAPIError

from defenceline.plugin.cliparams import state_or_exit
from defenceline.plugin.migrations.schema import (
    INITIAL_REVISION,
    new_revision,
    revisions,
    schema_status,
    upgrade_schema,
)

__all__ = ["db", "init_db", "register"]

db = AppGroup("db", help="The plugin's tables: create or upgrade them, show their revision.")


def _upgrade() -> None:
    storage = state_or_exit().storage
    try:
        before, after = upgrade_schema(storage.engine)
    except DBAPIError as exc:  # a revision the data does not allow; its transaction rolled back
        status = schema_status(storage.engine)
        raise click.ClickException(
            f"upgrading {status.url} ({status.describe()}) to revision {status.head} failed "
            f"and changed nothing: {exc.orig}"
        ) from None
    if before.empty:
        done = f"created at revision {after.current}"
    elif before.pre_migration:
        done = f"made before migrations; recorded as revision {INITIAL_REVISION}"
        if after.current != INITIAL_REVISION:
            done += f" and upgraded to {after.current}"
    elif before.current == after.current:
        done = f"already at revision {after.current}"
    else:
        done = f"upgraded from revision {before.current} to {after.current}"
    click.echo(f"defenceline tables are ready in {after.url}: {done}")


@db.command("upgrade")
def upgrade() -> None:
    """Create the plugin's tables, or upgrade them to this version's schema (safe to run
    again). Tables made before migrations are recognised and recorded, never re-created."""
    _upgrade()


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Same as `db upgrade` (the name from before migrations)."""
    _upgrade()


@db.command("current")
def current() -> None:
    """Show the revision the plugin's tables are at."""
    storage = state_or_exit().storage
    status = schema_status(storage.engine)
    behind = "" if status.up_to_date or status.empty else f"; this code needs {status.head}"
    click.echo(f"{status.url}: {status.describe()}{behind}")


@db.command("history")
def history() -> None:
    """List the plugin's revisions, oldest first, marking the database's."""
    storage = state_or_exit().storage
    at = schema_status(storage.engine).effective
    for revision, doc in revisions():
        mark = "  <- database" if revision == at else ""
        click.echo(f"{revision}  {doc.splitlines()[0] if doc else ''}{mark}")


@db.command("revision")
@click.option("-m", "--message", required=True, help="What the revision changes.")
def revision(message: str) -> None:
    """For defenceline's developers: write the next revision from the models' changes (an
    editable install; the database must be at the latest revision)."""
    storage = state_or_exit().storage
    path = new_revision(storage.engine, message)
    click.echo(f"{path}: review it, then add a test for the data it moves")


def register(group: click.Group) -> None:
    """Add ``db …`` and ``init-db`` to the plugin's command group."""
    group.add_command(db)
    group.add_command(init_db)
