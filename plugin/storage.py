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
    """An app's engine and sessions; the schema is created on first use (or `init-db`)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._ready = False
        self._lock = threading.Lock()

    def create_schema(self) -> None:
        """Create the plugin's tables if they are missing (safe to run any number of times)."""
        Base.metadata.create_all(self.engine)
        self._ready = True

    def sessions(self) -> sessionmaker[Session]:
        """The session factory, after making sure the schema exists."""
        if not self._ready:
            with self._lock:
                if not self._ready:
                    self.create_schema()
        return self._sessions
