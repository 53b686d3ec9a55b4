"""Where the plugin's database stands, and bringing it to this code's schema.

The schema is versioned by Alembic, run from here: `alembic_config` builds the configuration
in code (``script_location`` is this folder, the connection is the plugin's own), so a shop
never needs an ``alembic.ini``. The revision is kept in the plugin's own version table,
``dl_alembic_version``: a host app's Alembic (Flask-Migrate) in the same database keeps its
``alembic_version`` and neither sees the other's revisions.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import click
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import OperationalError

__all__ = [
    "INITIAL_REVISION",
    "PRE_MIGRATION_TABLES",
    "TABLE_PREFIX",
    "UPGRADE_COMMAND",
    "VERSION_TABLE",
    "SchemaError",
    "SchemaOutdated",
    "SchemaStatus",
    "alembic_config",
    "ensure_schema",
    "new_revision",
    "read_status",
    "revisions",
    "schema_status",
    "upgrade_schema",
]

VERSION_TABLE = "dl_alembic_version"
TABLE_PREFIX = "dl_"
INITIAL_REVISION = "0001"
UPGRADE_COMMAND = "flask defenceline db upgrade"

# The tables `create_all` made before the plugin had migrations (release 0.1.0), which are
# exactly the tables the initial revision creates (a test holds the two together). A database
# with all of them and no version table was made by that release: it has the initial
# revision's schema, so it is stamped at that revision - never re-created, never dropped.
PRE_MIGRATION_TABLES = frozenset(
    {
        "dl_address_sequences",
        "dl_carts",
        "dl_consents",
        "dl_email_tokens",
        "dl_feedback",
        "dl_outbox",
        "dl_page_views",
        "dl_products",
        "dl_restocks",
        "dl_stock_subscriptions",
        "dl_suppressions",
    }
)

MIGRATIONS_FOLDER = Path(__file__).resolve().parent

# Any fixed number: PostgreSQL's advisory lock that lets one of several app servers starting
# at once do the upgrade while the others wait and then find the schema current.
_UPGRADE_LOCK = 0x646C_6D69_6772  # "dlmigr"


class SchemaError(click.ClickException, RuntimeError):
    """The plugin's database cannot be used as it is; the message says what to do.

    Raised when the app starts, or by any ``flask defenceline`` command that reaches the
    database: as a click error it ends a command with that message, never a traceback.
    """


class SchemaOutdated(SchemaError):
    """The database is older than this code: ``flask defenceline db upgrade`` brings it up."""


@dataclass(frozen=True)
class SchemaStatus:
    """What the database holds: the recorded revision and the plugin's tables present."""

    url: str
    current: str | None
    head: str
    tables: frozenset[str]

    @property
    def empty(self) -> bool:
        """No plugin table and no recorded revision: a new database."""
        return self.current is None and not self.tables

    @property
    def pre_migration(self) -> bool:
        """Made by ``create_all`` before the plugin had migrations (see
        `PRE_MIGRATION_TABLES`): the initial revision's schema, not yet recorded."""
        return self.current is None and self.tables == PRE_MIGRATION_TABLES

    @property
    def effective(self) -> str | None:
        """The revision the schema is at, recorded or recognised."""
        return INITIAL_REVISION if self.pre_migration else self.current

    @property
    def up_to_date(self) -> bool:
        return self.effective == self.head

    def describe(self) -> str:
        if self.empty:
            return "no defenceline tables yet"
        if self.pre_migration:
            return f"tables made before migrations (revision {INITIAL_REVISION}, not recorded)"
        mark = " (head)" if self.current == self.head else ""
        return f"revision {self.current}{mark}"


def alembic_config(connection: Connection | None = None, folder: Path | None = None) -> Config:
    """Alembic's configuration in code, for the plugin's migrations (`folder`, by default
    this package's); `connection` is what ``env.py`` migrates (the caller commits)."""
    config = Config()
    location = str(folder or MIGRATIONS_FOLDER)
    # ConfigParser interpolates '%': a folder name holding one must not break the path.
    config.set_main_option("script_location", location.replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    # Revision files are importable module names (mypy checks them): r0002_add_x.py.
    config.set_main_option("file_template", "r%%(rev)s_%%(slug)s")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def _scripts_in(folder: Path) -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(folder=folder))


def _scripts() -> ScriptDirectory:
    """The revisions shipped in this package (read once per process)."""
    return _scripts_in(MIGRATIONS_FOLDER)


def _head() -> str:
    head = _scripts().get_current_head()
    assert head is not None, "the plugin ships at least its initial revision"
    return head


def read_status(connection: Connection) -> SchemaStatus:
    """The schema's status as seen on `connection`."""
    migration = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    present = inspect(connection).get_table_names()
    return SchemaStatus(
        url=connection.engine.url.render_as_string(hide_password=True),
        current=migration.get_current_revision(),
        head=_head(),
        tables=frozenset(
            name for name in present if name.startswith(TABLE_PREFIX) and name != VERSION_TABLE
        ),
    )


def schema_status(engine: Engine) -> SchemaStatus:
    """The schema's status in `engine`'s database (reads only)."""
    with engine.connect() as connection:
        return read_status(connection)


def _refuse_unknown(status: SchemaStatus) -> None:
    """A database this code must not touch: upgraded by a newer release, or holding only some
    of the plugin's tables with no recorded revision."""
    if status.current is not None:
        try:
            _scripts().get_revision(status.current)
        except (CommandError, RevisionError):
            raise SchemaError(
                f"defenceline's tables in {status.url} are at revision {status.current}, "
                "which this version of defenceline does not know: the database was upgraded "
                "by a newer release. Install that release (databases are not downgraded)."
            ) from None
        return
    if status.tables and not status.pre_migration:
        missing = ", ".join(sorted(PRE_MIGRATION_TABLES - status.tables)) or "none"
        extra = ", ".join(sorted(status.tables - PRE_MIGRATION_TABLES)) or "none"
        raise SchemaError(
            f"{status.url} holds some defenceline tables but no {VERSION_TABLE}, and they are "
            f"not the set a release made (missing: {missing}; unexpected: {extra}). Nothing "
            "was changed; restore the missing tables from a backup or move the database aside."
        )


def _lock(connection: Connection) -> None:
    """Make the upgrade one transaction that holds the write lock until it ends, so several
    app servers or workers starting at once upgrade once and a failed revision leaves nothing
    half done: PostgreSQL's advisory lock (its DDL is transactional anyway); on SQLite an
    immediate transaction, since the driver would otherwise commit each DDL statement alone.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def upgrade_schema(engine: Engine, revision: str = "head") -> tuple[SchemaStatus, SchemaStatus]:
    """Create or upgrade the plugin's tables to `revision`; the status before and after."""
    return _retrying_when_locked(engine, lambda: _upgrade_once(engine, revision))


_T = TypeVar("_T")


def _retrying_when_locked(engine: Engine, work: Callable[[], _T]) -> _T:
    """`work()`, tried again a few times when SQLite says "database is locked" at once.

    SQLite answers so without waiting for its busy timeout to a process that opens a brand-new
    database while another is turning it into WAL mode; several app servers starting together
    on a new file meet that. The work is one transaction and reads the status anew, so a retry
    is safe.
    """
    for attempt in range(5):
        try:
            return work()
        except OperationalError as exc:
            if engine.dialect.name != "sqlite" or "locked" not in str(exc.orig) or attempt == 4:
                raise
            time.sleep(0.1 * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def _upgrade_once(engine: Engine, revision: str) -> tuple[SchemaStatus, SchemaStatus]:
    """Create or upgrade the plugin's tables to `revision`; the status before and after.

    A database made before migrations is stamped at the initial revision first (no table is
    re-created). The whole upgrade is one transaction, under a lock (`_lock`).
    """
    with engine.begin() as connection:
        _lock(connection)
        before = read_status(connection)
        _refuse_unknown(before)
        config = alembic_config(connection)
        if before.pre_migration:
            command.stamp(config, INITIAL_REVISION)
        command.upgrade(config, revision)
        after = read_status(connection)
    return before, after


def ensure_schema(engine: Engine, *, auto_upgrade: bool) -> SchemaStatus:
    """Make sure the schema matches this code before the plugin uses the database.

    A new, empty database is created right away (nothing in it can be lost, and the plugin
    keeps its zero set-up). A database made before migrations whose schema is already this
    code's is only stamped. An older schema is upgraded only with `auto_upgrade`
    (``DEFENCELINE_AUTO_MIGRATE``); otherwise `SchemaOutdated` says which command to run.
    """
    status = _retrying_when_locked(engine, lambda: schema_status(engine))
    if status.current == status.head:
        return status
    _refuse_unknown(status)
    if not (status.empty or status.up_to_date or auto_upgrade):
        raise SchemaOutdated(
            f"defenceline's tables in {status.url} are older than this code "
            f"({status.describe()}; this code needs revision {status.head}). Run "
            f"`{UPGRADE_COMMAND}` (back the database up first), or set "
            "DEFENCELINE_AUTO_MIGRATE = True to upgrade when the app starts."
        )
    # Under the upgrade's lock the status is read again: of several processes starting at
    # once, the first upgrades and the others find the schema current.
    return upgrade_schema(engine)[1]


def revisions() -> list[tuple[str, str]]:
    """Every revision this code ships, oldest first: (id, what it does)."""
    found = [(script.revision, script.doc) for script in _scripts().walk_revisions()]
    return found[::-1]


def new_revision(engine: Engine, message: str) -> Path:
    """Write the next revision (for defenceline's developers, on an editable install): what
    the models hold that `engine`'s database, upgraded to head, does not. Returns its file."""
    with engine.begin() as connection:
        status = read_status(connection)
        if status.current != status.head:
            raise SchemaOutdated(
                f"{status.url} is not at revision {status.head} ({status.describe()}); run "
                f"`{UPGRADE_COMMAND}` first, so the new revision holds only the new changes"
            )
        number = f"{int(status.head) + 1:04d}"
        script = command.revision(
            alembic_config(connection), message=message, autogenerate=True, rev_id=number
        )
    _scripts_in.cache_clear()
    assert script is not None and not isinstance(script, list)
    return Path(script.path)
