"""Moments stored the same way on every database: aware UTC in Python, UTC in the table.

SQLite has no time-zone type: SQLAlchemy stores a datetime there as text and drops its zone,
so an aware time in Amsterdam and one in UTC would compare as if they were the same clock
reading. `UtcDateTime` converts every value to UTC before it is stored and hands aware UTC
values back, so comparisons in SQL ("due before now") are right on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

__all__ = ["UtcDateTime", "as_utc"]


def as_utc(moment: dt.datetime) -> dt.datetime:
    """`moment` in UTC; a naive value is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        utc = as_utc(value)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return as_utc(value)
