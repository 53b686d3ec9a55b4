"""The plugin's schema migrations (Alembic): a database of the current release upgraded without
losing a row, an older database refused at start-up with the command to run, `init-db` as an
alias, the revisions never drifting from the models, and a host app's own Alembic in the same
database - on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import pkgutil
import re
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from flask import Flask
from flask.cli import FlaskGroup
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, inspect, select, text

import defenceline.plugin
from defenceline.plugin import DefenceLine, include_object
from defenceline.plugin.emails import dispatch
from defenceline.plugin.emails.dispatch import send_due
from defenceline.plugin.migrations import schema
from defenceline.plugin.migrations.host import owned_by_plugin
from defenceline.plugin.migrations.schema import (
    PRE_MIGRATION_TABLES,
    VERSION_TABLE,
    SchemaError,
    SchemaOutdated,
    schema_status,
    upgrade_schema,
)
from defenceline.plugin.migrations.tables import ROW_CLASSES, plugin_metadata
from defenceline.plugin.storage import make_engine

from .conftest import Clock
from .plugin_email import AUTH, SmtpServer, build_shop, postgres, shop_config, smtp_server

__all__ = ["postgres"]  # the fixture, re-exported for pytest

RELEASE_SCHEMA = Path(__file__).parent / "plugin_migrations"
# This code's latest revision, and the tables the revisions after the release's added.
HEAD = "0002"
SHIPPING_TABLES = frozenset({"dl_orders", "dl_shipments", "dl_shipment_events"})
# Tuesday 24 November 2026, 15:00 in Amsterdam.
START = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)


# --- databases ---------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], str]:
    """Makes empty databases of one kind: a SQLite file, or a database in the test cluster."""
    if request.param == "sqlite":
        numbers = itertools.count(1)
        return lambda: f"sqlite:///{tmp_path / f'shop{next(numbers)}.sqlite3'}"
    cluster = request.getfixturevalue("postgres")
    return cluster.new_database  # type: ignore[no-any-return]


@pytest.fixture
def engines() -> Iterator[Callable[[str], Engine]]:
    """The plugin's own engine for a URL, closed after the test."""
    made: list[Engine] = []

    def engine(url: str) -> Engine:
        made.append(make_engine(url))
        return made[-1]

    yield engine
    for one in made:
        one.dispose()


@dataclass
class Database:
    url: str
    engine: Engine


@pytest.fixture
def database(new_database: Callable[[], str], engines: Callable[[str], Engine]) -> Database:
    """One empty database, with the plugin's engine on it."""
    url = new_database()
    return Database(url, engines(url))


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


def create_release_schema(engine: Engine, only: set[str] | None = None) -> None:
    """The tables exactly as release 0.1.0 made them (`create_all`, no version table), from the
    DDL kept as test data - never from today's models."""
    ddl = (RELEASE_SCHEMA / f"release-0.1.0.{engine.dialect.name}.sql").read_text("utf-8")
    statements = [s.strip() for s in re.sub(r"(?m)^--.*$", "", ddl).split(";") if s.strip()]
    with engine.begin() as connection:
        for statement in statements:
            table = re.search(r" (?:TABLE|ON) (dl_\w+)", statement)
            if only is None or (table is not None and table.group(1) in only):
                connection.exec_driver_sql(statement)


def schema_shape(engine: Engine) -> dict[str, Any]:
    """The plugin's tables as the database reports them: columns with types and nullability,
    primary keys, indexes (with partial-index conditions) and unique constraints."""
    found = inspect(engine)
    shape: dict[str, Any] = {}
    for table in sorted(found.get_table_names()):
        if not table.startswith("dl_") or table == VERSION_TABLE:
            continue
        shape[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns(table)
            ],
            "primary key": found.get_pk_constraint(table),
            "indexes": sorted(
                (
                    i["name"],
                    tuple(i["column_names"]),
                    bool(i["unique"]),
                    sorted((k, str(v)) for k, v in i.get("dialect_options", {}).items()),
                )
                for i in found.get_indexes(table)
            ),
            "unique": sorted(
                (u["name"], tuple(u["column_names"])) for u in found.get_unique_constraints(table)
            ),
        }
    return shape


def every_row(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every plugin table, in primary-key order."""
    reflected = MetaData()
    reflected.reflect(engine, only=sorted(PRE_MIGRATION_TABLES))
    with engine.connect() as connection:
        return {
            name: [
                tuple(row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for name, table in sorted(reflected.tables.items())
        }


def version_rows(engine: Engine, table: str) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(text(f"SELECT version_num FROM {table}")).scalars())


def flask_cli(factory: Callable[[], Flask], *args: str) -> Any:
    """``flask <args>`` as a shop runs it: the app is loaded by the Flask CLI."""
    return CliRunner().invoke(FlaskGroup(create_app=factory), list(args))


@pytest.fixture(autouse=True)
def _flask_cli_leaves_no_trace(monkeypatch: pytest.MonkeyPatch) -> None:
    # FlaskGroup sets FLASK_RUN_FROM_CLI for the whole process, which turns app.run() into a
    # no-op in every server a later test starts: undo it afterwards.
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "false")


def shop_factory(folder: Path, url: str, smtp: SmtpServer, **extra: Any) -> Callable[[], Flask]:
    """The test shop, which fills its catalogue when it is made."""
    return lambda: build_shop(folder, url, smtp.url, Clock(START), **extra)


def host_factory(folder: Path, url: str, **extra: Any) -> Callable[[], Flask]:
    """A host app's `create_app` that only sets the plugin up (touches no table itself)."""

    def create_app() -> Flask:
        app = Flask("shop", instance_path=str(folder / "instance"))
        app.config.update(shop_config(url, None, **extra))
        DefenceLine(app)
        return app

    return create_app


# --- the initial revision is the release's schema ------------------------------------------------


def test_upgrading_an_empty_database_creates_exactly_the_release_schema(
    new_database: Callable[[], str], engines: Callable[[str], Engine]
) -> None:
    release, migrated = engines(new_database()), engines(new_database())
    create_release_schema(release)
    before, after = upgrade_schema(migrated, "0001")
    assert before.empty and after.current == "0001" and after.head == HEAD
    assert set(schema_shape(migrated)) == PRE_MIGRATION_TABLES
    assert schema_shape(migrated) == schema_shape(release)
    if migrated.dialect.name == "sqlite":  # the very statements, constraint names included
        query = f"SELECT type, name, sql FROM sqlite_master WHERE tbl_name != '{VERSION_TABLE}'"
        with release.connect() as a, migrated.connect() as b:
            assert sorted(a.exec_driver_sql(query)) == sorted(b.exec_driver_sql(query))


def test_upgrading_from_the_release_revision_adds_the_shipping_tables_and_keeps_the_rest(
    database: Database,
) -> None:
    engine = database.engine
    upgrade_schema(engine, "0001")
    insert_cart(engine, order_total="59.95")
    release_shape, rows = schema_shape(engine), every_row(engine)
    before, after = upgrade_schema(engine)
    assert (before.current, after.current) == ("0001", HEAD)
    shape = schema_shape(engine)
    assert set(shape) == PRE_MIGRATION_TABLES | SHIPPING_TABLES
    assert {name: shape[name] for name in release_shape} == release_shape
    assert every_row(engine) == rows


def test_migrations_leave_nothing_between_the_database_and_the_models(database: Database) -> None:
    # A release that changes a model without a revision (or the reverse) fails here.
    engine = database.engine
    upgrade_schema(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "version_table": VERSION_TABLE,
                "include_object": owned_by_plugin,
                "compare_type": True,
            },
        )
        assert compare_metadata(context, plugin_metadata()) == []


def test_every_table_of_the_plugin_is_known_to_its_migrations() -> None:
    # Every module that might hold a table (Alembic's own scripts are run, not imported).
    for module in pkgutil.walk_packages(defenceline.plugin.__path__, "defenceline.plugin."):
        if not module.name.startswith("defenceline.plugin.migrations"):
            importlib.import_module(module.name)
    tables = {name for name in plugin_metadata().tables if name.startswith("dl_")}
    assert tables == {row.__table__.name for row in ROW_CLASSES}  # type: ignore[attr-defined]


# --- a release database, filled by the plugin, upgraded ---------------------------------------


def fill_through_the_plugin(shop: Flask) -> None:
    """Carts (one ordered), consents, feedback, page views, a confirmed back-in-stock
    subscription and its outbox rows, all through the plugin's own API."""
    client = shop.test_client()
    shopper = {"email": "jan@trapkracht.nl", "name": "Jan", "consent": True, "locale": "nl",
               "country": "NL", "timezone": "Europe/Amsterdam"}  # fmt: skip
    for cart in ("cart-1", "cart-2"):
        body = {"lines": [{"sku": "LAMP-1", "quantity": 2}], **shopper}
        answer = client.post(f"/defenceline/api/v1/carts/{cart}", json=body, headers=AUTH)
        assert answer.status_code == 200, answer.get_data(as_text=True)
    assert client.post("/defenceline/api/v1/carts/cart-2/order", headers=AUTH).status_code == 200
    ask = {"email": "anna@trapkracht.nl", "sku": "HELM-L", "consent": True, "locale": "en"}
    assert client.post("/defenceline/api/v1/stock-alerts", json=ask).status_code == 202
    vote = {"page": "faq/retourneren.md", "helpful": True, "locale": "nl"}
    assert client.post("/defenceline/api/v1/feedback", json=vote).status_code == 204
    view = client.post(
        "/defenceline/api/v1/pageviews",
        data='{"page": "faq/retourneren.md"}',
        content_type="text/plain",
    )
    assert view.status_code == 204
    with shop.app_context():
        send_due(now=START)  # the subscription's confirmation request goes out


def release_code(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The code as release 0.1.0 ran it, as far as the schema goes: revision 0001 alone, and
    no feature's scheduler in the send pass (the shipping scan reads tables 0001 lacks)."""
    monkeypatch.setattr(dispatch, "_schedulers", [])
    shutil.copytree(
        schema.MIGRATIONS_FOLDER,
        folder,
        ignore=lambda _, names: [
            n for n in names if n == "__pycache__" or (n.startswith("r0") and n > "r0001_~")
        ],
    )
    monkeypatch.setattr(schema, "MIGRATIONS_FOLDER", folder)


@pytest.mark.parametrize("code", ["this release", "the next release"])
def test_a_release_database_keeps_every_row_through_db_upgrade_and_still_sends_reminders(
    code: str,
    database: Database,
    smtp: SmtpServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, engine = database.url, database.engine
    create_release_schema(engine)
    shop = shop_factory(tmp_path, url, smtp)
    shipped, schedulers = schema.MIGRATIONS_FOLDER, dispatch._schedulers
    release_code(tmp_path / "release-migrations", monkeypatch)
    fill_through_the_plugin(shop())  # the release's code filled it
    monkeypatch.setattr(schema, "MIGRATIONS_FOLDER", shipped)
    monkeypatch.setattr(dispatch, "_schedulers", schedulers)
    with engine.begin() as connection:  # release 0.1.0 had no version table
        connection.exec_driver_sql(f"DROP TABLE {VERSION_TABLE}")
    rows = every_row(engine)
    for table in ("dl_carts", "dl_consents", "dl_outbox", "dl_stock_subscriptions",
                  "dl_email_tokens", "dl_feedback", "dl_page_views", "dl_products"):  # fmt: skip
        assert rows[table], f"{table} was not filled"
    assert [r.recipients for r in smtp.received] == [["anna@trapkracht.nl"]]

    head = HEAD
    if code == "the next release":  # its revision rebuilds the carts table on SQLite
        head = "0003"
        ship_revision(tmp_path / "migrations", monkeypatch, "r0003_totals.py", NEXT_REVISION)
    result = flask_cli(host_factory(tmp_path, url), "defenceline", "db", "upgrade")
    assert result.exit_code == 0, result.output
    done = f"made before migrations; recorded as revision 0001 and upgraded to {head}"
    assert result.output.strip().endswith(done)
    assert every_row(engine) == rows
    assert version_rows(engine, VERSION_TABLE) == [head]

    # The restarted shop sends cart-1's reminder when it is due; cart-2 was ordered.
    with shop().app_context():
        send_due(now=START + dt.timedelta(hours=1))
    reminders = [r for r in smtp.received if "winkelwagen" in str(r.message["Subject"])]
    assert [r.recipients for r in reminders] == [["jan@trapkracht.nl"]]


def test_an_untouched_release_database_is_refused_at_start_and_left_as_it_is(
    database: Database, tmp_path: Path
) -> None:
    # Its schema is revision 0001's, older than this code's: nothing is made or recorded.
    engine = database.engine
    create_release_schema(engine)
    shape = schema_shape(engine)
    with pytest.raises(SchemaOutdated, match=f"made before migrations.*needs revision {HEAD}"):
        host_factory(tmp_path, database.url)()
    assert VERSION_TABLE not in inspect(engine).get_table_names()
    assert schema_shape(engine) == shape


# --- an older database: refused at start-up, upgraded by the command ---------------------------


def revision_0003(title: str, upgrade: str) -> str:
    """The source of a next release's revision 0003 doing `upgrade` (an indented body)."""
    return f'''"""{title}

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
{upgrade}

def downgrade() -> None:
    raise NotImplementedError("databases are not downgraded")
'''


WIDEN_ORDER_TOTALS = """\
    with op.batch_alter_table("dl_carts") as batch:
        batch.alter_column(
            "order_total", type_=sa.String(64), existing_type=sa.String(32), existing_nullable=True
        )
"""
NEXT_REVISION = revision_0003("Longer order totals.", WIDEN_ORDER_TOTALS)
# Its second change fails on a database with carts, after the first has rebuilt the table.
FAILING_REVISION = revision_0003(
    "Channels, a column the carts cannot fill.",
    WIDEN_ORDER_TOTALS
    + """\
    with op.batch_alter_table("dl_carts") as batch:
        batch.add_column(sa.Column("channel", sa.String(16), nullable=False))
""",
)


def ship_revision(folder: Path, monkeypatch: pytest.MonkeyPatch, name: str, source: str) -> None:
    """This code as the next release would be: the shipped revisions plus `source`."""
    shutil.copytree(schema.MIGRATIONS_FOLDER, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / name).write_text(source, "utf-8")
    monkeypatch.setattr(schema, "MIGRATIONS_FOLDER", folder)


@pytest.fixture
def next_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A next release whose revision changes a column (a table rebuild on SQLite, batch mode)."""
    name = "r0003_longer_order_totals.py"
    ship_revision(tmp_path / "migrations", monkeypatch, name, NEXT_REVISION)


def insert_cart(engine: Engine, order_total: str | None = None) -> None:
    """A cart row as a release's code wrote it (the ORM is today's, the table may be older)."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO dl_carts (id, lines, is_bot, created_at, last_activity_at, "
                "reminders_scheduled, ordered_at, order_total) VALUES ('c1', '[]', false, "
                ":t, :t, 0, :ordered, :total)"
            ),
            {"t": START, "ordered": START if order_total else None, "total": order_total},
        )


def order_total_length(engine: Engine) -> int:
    [column] = [c for c in inspect(engine).get_columns("dl_carts") if c["name"] == "order_total"]
    return int(column["type"].length)


@pytest.mark.usefixtures("next_release")
def test_app_refuses_to_start_on_an_older_database_and_says_which_command_to_run(
    database: Database, tmp_path: Path
) -> None:
    url, engine = database.url, database.engine
    upgrade_schema(engine, "0001")
    shop = host_factory(tmp_path, url)
    with pytest.raises(SchemaOutdated) as refused:
        shop()
    message = str(refused.value)
    assert "`flask defenceline db upgrade`" in message
    assert "revision 0001" in message and "needs revision 0003" in message
    assert version_rows(engine, VERSION_TABLE) == ["0001"]  # nothing was changed
    assert order_total_length(engine) == 32
    # `flask run` is refused before it listens (on a port taken, so a regression fails fast).
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        served = flask_cli(shop, "run", "--host", "127.0.0.1", "--port", port)
    assert served.exit_code == 1 and "`flask defenceline db upgrade`" in served.output
    # Any other command that reaches the database says the same, without a traceback.
    catalogue = tmp_path / "products.csv"
    catalogue.write_text("sku,name,price\nLAMP-1,Desk lamp,49.95\n", "utf-8")
    other = flask_cli(shop, "defenceline", "import-catalogue", str(catalogue))
    assert other.exit_code == 1 and "`flask defenceline db upgrade`" in other.output
    assert "Traceback" not in other.output

    result = flask_cli(shop, "defenceline", "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert "upgraded from revision 0001 to 0003" in result.output
    assert order_total_length(engine) == 64
    shop()  # starts now


@pytest.mark.usefixtures("next_release")
def test_auto_migrate_upgrades_an_older_database_at_start_and_keeps_its_rows(
    database: Database, tmp_path: Path
) -> None:
    url, engine = database.url, database.engine
    create_release_schema(engine)
    insert_cart(engine, order_total="59.95")  # a release database with an ordered cart in it
    rows = every_row(engine)
    host_factory(tmp_path, url, DEFENCELINE_AUTO_MIGRATE=True)()
    assert version_rows(engine, VERSION_TABLE) == ["0003"]
    assert order_total_length(engine) == 64
    assert every_row(engine) == rows


@pytest.mark.usefixtures("next_release")
def test_a_release_database_behind_two_revisions_is_stamped_then_upgraded(
    database: Database, tmp_path: Path
) -> None:
    url, engine = database.url, database.engine
    create_release_schema(engine)
    shop = host_factory(tmp_path, url)
    with pytest.raises(SchemaOutdated, match="made before migrations"):
        shop()
    result = flask_cli(shop, "defenceline", "init-db")
    assert result.exit_code == 0, result.output
    assert "recorded as revision 0001 and upgraded to 0003" in result.output
    assert version_rows(engine, VERSION_TABLE) == ["0003"]


def test_a_database_from_a_newer_release_is_refused_and_left_alone(
    database: Database, tmp_path: Path
) -> None:
    url, engine = database.url, database.engine
    upgrade_schema(engine)
    with engine.begin() as connection:
        connection.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = '0099'"))
    shop = host_factory(tmp_path, url)
    with pytest.raises(SchemaError, match="revision 0099, which this version"):
        shop()
    result = flask_cli(shop, "defenceline", "db", "upgrade")
    assert result.exit_code == 1
    assert "upgraded by a newer release" in result.output and "Traceback" not in result.output
    assert version_rows(engine, VERSION_TABLE) == ["0099"]


def test_a_database_with_only_some_plugin_tables_is_refused_and_left_alone(
    database: Database, tmp_path: Path
) -> None:
    url, engine = database.url, database.engine
    create_release_schema(engine, only={"dl_products", "dl_carts"})
    with pytest.raises(SchemaError, match=r"missing: dl_address_sequences, dl_consents"):
        host_factory(tmp_path, url)()
    assert set(inspect(engine).get_table_names()) == {"dl_products", "dl_carts"}


def test_a_revision_that_fails_halfway_leaves_the_database_as_it_was(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = database.engine
    upgrade_schema(engine)
    insert_cart(engine)
    rows, tables = every_row(engine), set(inspect(engine).get_table_names())
    ship_revision(tmp_path / "migrations", monkeypatch, "r0003_channel.py", FAILING_REVISION)
    result = flask_cli(host_factory(tmp_path, database.url), "defenceline", "db", "upgrade")
    assert result.exit_code == 1
    assert f"(revision {HEAD}) to revision 0003 failed and changed nothing" in result.output
    assert "Traceback" not in result.output
    assert version_rows(engine, VERSION_TABLE) == [HEAD]
    assert order_total_length(engine) == 32  # the revision's first change is undone too
    assert set(inspect(engine).get_table_names()) == tables  # no table left half-built
    assert every_row(engine) == rows


# --- the commands ------------------------------------------------------------------------------


def test_init_db_creates_a_new_database_like_db_upgrade_and_db_current_shows_it(
    tmp_path: Path, engines: Callable[[str], Engine]
) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    host = host_factory(tmp_path, url)
    result = flask_cli(host, "defenceline", "init-db")
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(f"created at revision {HEAD}")
    again = flask_cli(host, "defenceline", "db", "upgrade")
    assert again.output.strip().endswith(f"already at revision {HEAD}")
    current = flask_cli(host, "defenceline", "db", "current")
    assert current.output.strip() == f"{url}: revision {HEAD} (head)"
    history = flask_cli(host, "defenceline", "db", "history")
    assert history.output.splitlines() == [
        "0001  The plugin's tables as release 0.1.0 made them with create_all.",
        "0002  Shipping: orders with their frozen delivery promise, shipments, carrier "
        "events.  <- database",
    ]
    assert version_rows(engines(url), VERSION_TABLE) == [HEAD]


@pytest.mark.usefixtures("next_release")
def test_db_revision_writes_the_next_revision_from_the_models_on_an_up_to_date_database(
    database: Database, tmp_path: Path
) -> None:
    host = host_factory(tmp_path, database.url)
    upgrade_schema(database.engine, "0001")
    refused = flask_cli(host, "defenceline", "db", "revision", "-m", "shorter totals")
    assert refused.exit_code == 1
    assert "run `flask defenceline db upgrade` first" in refused.output
    upgrade_schema(database.engine)
    # The models still say String(32) where revision 0003 made it 64: that is the change.
    result = flask_cli(host, "defenceline", "db", "revision", "-m", "shorter totals")
    assert result.exit_code == 0, result.output
    written = schema.MIGRATIONS_FOLDER / "versions" / "r0004_shorter_totals.py"
    source = written.read_text("utf-8")
    assert "revision: str = '0004'" in source and "down_revision: str | None = '0003'" in source
    assert "'order_total'" in source and "sa.String(length=32)" in source
    assert [revision for revision, _ in schema.revisions()] == ["0001", "0002", "0003", "0004"]


# --- several app servers starting at once --------------------------------------------------------


def test_app_servers_starting_together_on_a_new_database_create_it_once(
    database: Database, engines: Callable[[str], Engine]
) -> None:
    url = database.url
    barrier = threading.Barrier(4)
    outcomes: list[object] = []

    def start() -> None:
        engine = engines(url)
        barrier.wait()
        try:
            outcomes.append(schema.ensure_schema(engine, auto_upgrade=False).current)
        except Exception as exc:  # the test reports whatever went wrong
            outcomes.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == [HEAD] * 4
    assert version_rows(engines(url), VERSION_TABLE) == [HEAD]


# --- a host app's own Alembic in the same database --------------------------------------------

HOST_ENV = """
from alembic import context
from sqlalchemy import Column, Integer, MetaData, String, Table

from defenceline.plugin import include_object

metadata = MetaData()
Table("shop_orders", metadata, Column("id", Integer, primary_key=True))
Table("shop_customers", metadata, Column("id", Integer, primary_key=True),
      Column("email", String(320)))

context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=metadata,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
"""

HOST_REVISION = '''"""Orders."""
import sqlalchemy as sa
from alembic import op

revision = "h001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("shop_orders", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("shop_orders")
'''


def host_metadata() -> MetaData:
    """The host's models: its orders table, already migrated, and a new customers table."""
    metadata = MetaData()
    Table("shop_orders", metadata, Column("id", Integer, primary_key=True))
    Table("shop_customers", metadata, Column("id", Integer, primary_key=True),
          Column("email", String(320)))  # fmt: skip
    return metadata


def test_host_autogenerate_proposes_dropping_plugin_tables_only_without_the_filter(
    database: Database,
) -> None:
    engine = database.engine
    upgrade_schema(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE shop_orders (id INTEGER NOT NULL PRIMARY KEY)")
    with engine.connect() as connection:
        unfiltered = compare_metadata(MigrationContext.configure(connection), host_metadata())
        filtered = compare_metadata(
            MigrationContext.configure(connection, opts={"include_object": include_object}),
            host_metadata(),
        )
    dropped = {diff[1].name for diff in unfiltered if diff[0] == "remove_table"}
    assert dropped == PRE_MIGRATION_TABLES | SHIPPING_TABLES | {VERSION_TABLE}
    assert [(diff[0], diff[1].name) for diff in filtered] == [("add_table", "shop_customers")]


def test_host_migrations_and_the_plugins_keep_apart_version_tables(
    database: Database, tmp_path: Path
) -> None:
    engine = database.engine
    host = tmp_path / "host-migrations"
    (host / "versions").mkdir(parents=True)
    (host / "env.py").write_text(HOST_ENV, "utf-8")
    (host / "script.py.mako").write_text(
        (schema.MIGRATIONS_FOLDER / "script.py.mako").read_text("utf-8"), "utf-8"
    )
    (host / "versions" / "h001_orders.py").write_text(HOST_REVISION, "utf-8")

    def host_alembic(run: Callable[[Config], object]) -> None:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(host))
            config.set_main_option("path_separator", "os")
            config.attributes["connection"] = connection
            run(config)

    host_alembic(lambda config: command.upgrade(config, "head"))
    upgrade_schema(engine)
    host_alembic(lambda config: command.upgrade(config, "head"))
    assert version_rows(engine, "alembic_version") == ["h001"]
    assert version_rows(engine, VERSION_TABLE) == [HEAD]
    assert schema_status(engine).current == HEAD

    # The host's `flask db migrate`: its new table, nothing of the plugin's.
    host_alembic(lambda config: command.revision(config, "customers", autogenerate=True))
    [written] = [p for p in (host / "versions").glob("*.py") if p.name != "h001_orders.py"]
    source = written.read_text("utf-8")
    assert "op.create_table('shop_customers'" in source or 'create_table("shop_customers"' in (
        source
    )
    assert "dl_" not in source
