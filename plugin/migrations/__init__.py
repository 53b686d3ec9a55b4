"""The plugin's schema migrations (Alembic), shipped in the package and run from it.

``flask defenceline db upgrade`` creates or upgrades the plugin's tables; the revisions live
in ``versions/`` (one file each), ``env.py`` is Alembic's entry point, `schema` says where a
database stands and brings it up, and `host` holds the filter a host app gives its own Alembic
so it leaves the plugin's tables alone. See docs/plugin.md, "Database and migrations".
"""

from __future__ import annotations

from defenceline.plugin.migrations.host import include_object
from defenceline.plugin.migrations.schema import (
    UPGRADE_COMMAND,
    VERSION_TABLE,
    SchemaError,
    SchemaOutdated,
    SchemaStatus,
    ensure_schema,
    schema_status,
    upgrade_schema,
)

__all__ = [
    "UPGRADE_COMMAND",
    "VERSION_TABLE",
    "SchemaError",
    "SchemaOutdated",
    "SchemaStatus",
    "ensure_schema",
    "include_object",
    "schema_status",
    "upgrade_schema",
]
