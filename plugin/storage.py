"""The plugin's own database: SQLAlchemy 2, one engine per Flask app.

The plugin never touches the host application's database session (Flask-SQLAlchemy or
otherwise): it creates its own engine from `DEFENCELINE_DATABASE_URL`, and its tables carry a
``dl_`` prefix so they can live in a shared database. SQLite is the embedded default;
PostgreSQL is for shops with several app servers.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Text,
    create_engine,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from defenceline.plugin.migrations.schema import ensure_schema

__all__ = ["Base", "ProductRow", "Storage", "make_engine", "utcnow"]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class ProductRow(Base):
    """One sellable variant in the default SQL catalogue. Money and weight are decimal text,
    so they round-trip exactly on every database."""

    __tablename__ = "dl_products"

    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    product_id: Mapped[str | None] = mapped_column(String(128), index=True)
    name: Mapped[str] = mapped_column(String(300))
    attributes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    price: Mapped[str] = mapped_column(String(32))
    vat_class: Mapped[str] = mapped_column(String(32), default="standard")
    weight_kg: Mapped[str | None] = mapped_column(String(32))
    stock_on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    restock_date: Mapped[dt.date | None] = mapped_column(Date)
    preorder: Mapped[bool] = mapped_column(Boolean, default=False)
    image_url: Mapped[str | None] = mapped_column(String(2000))
    category: Mapped[str | None] = mapped_column(String(128))
    description: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL and a busy timeout so several processes share it."""
    kwargs: dict[str, Any] = {"future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection: Any, record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    return engine


class Storage:
    """An app's engine and sessions. The schema comes from the plugin's migrations
    (`defenceline.plugin.migrations`): checked when the app starts or on first use, created in
    a new database, upgraded by ``flask defenceline db upgrade`` (or here, with
    `auto_upgrade`)."""

    def __init__(self, url: str, *, auto_upgrade: bool = False) -> None:
        self.url = url
        self.auto_upgrade = auto_upgrade
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._ready = False
        self._lock = threading.Lock()

    def check_schema(self) -> None:
        """Create the tables in a new database; refuse an older one (`SchemaOutdated`) unless
        `auto_upgrade`. Done once per process."""
        if not self._ready:
            with self._lock:
                if not self._ready:
                    ensure_schema(self.engine, auto_upgrade=self.auto_upgrade)
                    self._ready = True

    def sessions(self) -> sessionmaker[Session]:
        """The session factory, after making sure the schema is this code's."""
        self.check_schema()
        return self._sessions
