"""The schema check when the app starts: a new database is created, an older one refused."""

from __future__ import annotations

import click
from flask.cli import ScriptInfo

from defenceline.plugin.storage import Storage

__all__ = ["check_at_start"]


def check_at_start(storage: Storage) -> None:
    """Refuse to start on a database older than this code (`SchemaOutdated` names the
    command to run), unless `storage` upgrades itself (``DEFENCELINE_AUTO_MIGRATE``).

    A Flask CLI command other than ``flask run`` defers the check to the database's first
    use: that is how ``flask defenceline db upgrade`` can load the app it is about to bring
    up to date (and ``flask shell`` can look at it). ``flask run`` starts a server, so it is
    refused here like any other server.
    """
    context = click.get_current_context(silent=True)
    loaded_by_flask_cli = context is not None and context.find_object(ScriptInfo) is not None
    if loaded_by_flask_cli and context is not None and context.command.name != "run":
        return
    storage.check_schema()
