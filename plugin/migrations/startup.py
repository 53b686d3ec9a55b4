"""The schema check when the app starts: a new database is created, an older one refused."""

from __future__ import annotations

import click
from flask.cli import ScriptInfo

from defenceline.plugin.storage import Storage

__all__ = ["check_at_start"]


def check_at_start(storage: Storage) -> None:
    """Refuse to start on a database older than this code (`SchemaOutdated` names the
    command to run), unless `storage` upgrades itself (``DEFENCELINE_AUTO_MIGRATE``).

    Under the Flask CLI the check waits for the database's first use instead: that is how
    ``flask defenceline db upgrade`` can load the app it is about to bring up to date.
    """
    context = click.get_current_context(silent=True)
    if context is not None and context.find_object(ScriptInfo) is not None:
        return
    storage.check_schema()
