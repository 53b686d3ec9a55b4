"""Sharing a database with the host app: which tables are the plugin's.

A host that keeps its own models with Alembic (Flask-Migrate's ``flask db migrate``) would
see the plugin's ``dl_*`` tables in the database but not in its metadata, and propose to drop
them. `include_object` is the filter the host passes to its Alembic so it never does::

    # migrations/env.py of the host app
    from defenceline.plugin import include_object

    context.configure(connection=connection, target_metadata=target_metadata,
                      include_object=include_object)

With Flask-Migrate: ``Migrate(app, db, include_object=include_object)``.
"""

from __future__ import annotations

from sqlalchemy.schema import SchemaItem

from defenceline.plugin.migrations.schema import TABLE_PREFIX, VERSION_TABLE

__all__ = ["include_object", "owned_by_plugin"]


def _table_name(item: SchemaItem, name: str | None, type_: str) -> str | None:
    """The table an object belongs to: itself, or the table of an index, column or
    constraint."""
    if type_ == "table":
        return name
    table = getattr(item, "table", None)
    return getattr(table, "name", None)


# Alembic calls an ``include_object`` filter with (object, name, type_, reflected, compare_to);
# these filters decide by the table alone, so the last two are taken and ignored.


def owned_by_plugin(item: SchemaItem, name: str | None, type_: str, *_: object) -> bool:
    """Alembic ``include_object`` for the plugin's own migrations: its tables (and their
    indexes, columns and constraints) only."""
    table = _table_name(item, name, type_)
    return table is not None and table.startswith(TABLE_PREFIX) and table != VERSION_TABLE


def include_object(item: SchemaItem, name: str | None, type_: str, *_: object) -> bool:
    """Alembic ``include_object`` for a host app sharing the plugin's database: everything
    except the plugin's ``dl_*`` tables, their indexes and constraints, and its version table,
    so the host's autogenerate never proposes to drop or change them."""
    table = _table_name(item, name, type_)
    return table is None or not table.startswith(TABLE_PREFIX)
