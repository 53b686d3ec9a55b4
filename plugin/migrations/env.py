"""Alembic's entry point for the plugin's migrations, run by `schema.upgrade_schema` (and the
``flask defenceline db`` commands) on the plugin's own connection - never from an ini file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from defenceline.plugin.migrations.host import owned_by_plugin
from defenceline.plugin.migrations.schema import VERSION_TABLE
from defenceline.plugin.migrations.tables import plugin_metadata

if context.is_offline_mode():
    raise SystemExit(
        "defenceline's migrations run against the database itself; SQL scripts (--sql) are "
        "not supported"
    )

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise SystemExit(
        "defenceline's migrations are run by `flask defenceline db upgrade`, not by the "
        "alembic command"
    )

context.configure(
    connection=connection,
    target_metadata=plugin_metadata(),
    # The plugin's own version table: a host's Alembic in the same database keeps its
    # `alembic_version`, and neither sees the other's revisions.
    version_table=VERSION_TABLE,
    # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead, so a
    # later revision that changes a column works on both databases.
    render_as_batch=connection.dialect.name == "sqlite",
    # Autogenerate (a new revision, the drift test) looks at the plugin's tables only; a
    # host's tables in a shared database are not ours to create or drop.
    include_object=owned_by_plugin,
    compare_type=True,
)

with context.begin_transaction():
    context.run_migrations()
