"""Claiming a due row for one transaction, so that of several senders (threads, processes,
app servers) exactly one acts on it: the reminders claim carts, the alerts claim restocks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from defenceline.plugin.storage import Base

__all__ = ["claim_row", "decision"]

RowT = TypeVar("RowT", bound=Base)


def claim_row(
    session: Session,
    row_type: type[RowT],
    key: Any,
    due: tuple[ColumnElement[bool], ...],
    touch: InstrumentedAttribute[Any],
) -> RowT | None:
    """The row `key` of `row_type`, locked for this transaction while `due` holds; None when
    it is not due or another sender has it. `touch` is a column set to itself to take the lock.

    PostgreSQL: ``SELECT ... FOR UPDATE SKIP LOCKED``, so a row another transaction holds is
    passed over rather than waited for. SQLite: an UPDATE as the first statement takes the
    database's write lock and re-checks `due` under it, so exactly one sender proceeds.
    """
    if session.get_bind().dialect.name == "postgresql":
        query = select(row_type).where(*due).with_for_update(skip_locked=True)
        return session.scalars(query).first()
    taken = session.execute(
        update(row_type)
        .where(*due)
        .values({touch: touch})
        .execution_options(synchronize_session=False)
    )
    if not taken.rowcount:  # type: ignore[attr-defined]
        return None
    return session.get(row_type, key, populate_existing=True)


@contextmanager
def decision(sessions: sessionmaker[Session], *, dry_run: bool) -> Iterator[Session]:
    """One transaction in which one claimed row is decided: committed when the block ends —
    rolled back instead for a dry run, on an exception, or when the block has already rolled it
    back to pass the row over (``session.rollback(); continue``)."""
    session = sessions()
    try:
        session.begin()
        yield session
        if session.in_transaction():
            if dry_run:
                session.rollback()
            else:
                session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
