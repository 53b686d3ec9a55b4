"""The outbox: every email is a row before it is sent, and rows are sent by claiming them.

The part of the email features that must never be wrong. How it works:

1. **A row first.** Scheduling a reminder or an alert inserts one `OutboxRow` holding the whole
   rendered message (headers, a fixed ``Message-ID``, text and HTML) in the same transaction
   that records the decision. Unique constraints on ``(cart_id, step)`` and
   ``(subscription_id, restock_id)`` make a second row for the same email impossible, whatever
   number of app servers or senders race to schedule it.
2. **Atomic claims.** A sender claims a batch with one statement that moves rows from
   ``pending`` to ``sending``, stamps a random claim token and a lease end, and returns them:
   on PostgreSQL ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING …`` (so
   concurrent senders skip each other's rows instead of waiting), on SQLite a single
   conditional ``UPDATE … RETURNING`` (SQLite runs one writer at a time, so the statement is
   atomic). Every later change to a claimed row requires its claim token: a sender that lost
   its lease can no longer touch the row.
3. **Re-check, then send.** Just before handing a message to the mail server the sender asks
   the message's feature (`register_recheck`) whether it should still go: a cart ordered or
   emptied since, an unsubscribed address, nothing left in stock — the row is cancelled with
   the reason. Quiet hours postpone it.
4. **Confirm.** After the server's ``250`` the row is marked ``sent`` (one short transaction
   per message).

**The guarantee.** Right before a message is handed to the mail server, the sender records
that an attempt has begun (`unconfirmed` + 1, its own short transaction). An attempt whose
outcome becomes known takes that back (a 4xx, a 5xx or a refused connection: certainly not
delivered) or turns into ``sent``. So `unconfirmed` counts exactly the attempts whose outcome
the outbox cannot know — the sender died, lost the network or timed out between handing the
message over and recording the answer. A row whose lease ran out is claimed again only while
`unconfirmed` is below `MAX_UNCONFIRMED` (= 2). Rows a dead sender had claimed but not yet
begun are simply claimed again: a claim alone never counts.

* In the normal case — no sender dies mid-send — every message is handed to the mail server
  **exactly once**.
* No message is lost: a row is claimed again when its lease (`DEFENCELINE_MAIL_LEASE`, default
  5 minutes) expires, is retried after a temporary failure with exponential backoff
  (`DEFENCELINE_MAIL_BACKOFF`, doubling, up to `DEFENCELINE_MAIL_MAX_ATTEMPTS`), and every row
  ends ``sent``, ``cancelled`` (with the rule that stopped it), or ``failed`` (with the reason:
  a 5xx, attempts used up, or "unconfirmed twice") — all listed by ``flask defenceline outbox``.
* A message is handed to the mail server **at most twice**, and twice only when a first
  attempt ended unconfirmed *and* the server had in fact accepted it. The retry carries the
  **same Message-ID** (the stored message is re-sent byte for byte), so mail systems and
  clients that de-duplicate by Message-ID show it once. A row whose second attempt is also
  unconfirmed is marked ``failed`` rather than risk a third copy.
* A sender checks, before each message, that its lease has comfortably more time left than
  one SMTP exchange can take (three times the mail timeout); otherwise it hands the rest of
  the batch back. So a slow but living sender does not see its rows claimed by another.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import os
import secrets
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import (
    JSON,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    func,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from defenceline.plugin.emails.consent import Purpose, suppress
from defenceline.plugin.emails.mailer import (
    Connection,
    MailTransport,
    PermanentFailure,
    TemporaryFailure,
    UnconfirmedDelivery,
    open_connection,
)
from defenceline.plugin.storage import Base, Storage, utcnow
from defenceline.plugin.timestamps import UtcDateTime

__all__ = [
    "MAX_UNCONFIRMED",
    "Cancel",
    "ClaimedMessage",
    "DeliveryReport",
    "OutboxRow",
    "OutboxStatus",
    "Postpone",
    "claim",
    "deliver",
    "insert_message",
    "new_message_id",
    "outbox_counts",
    "register_recheck",
    "worker_name",
]

log = logging.getLogger("defenceline.outbox")

MAX_UNCONFIRMED = 2
BATCH_SIZE = 50
# Permanent replies that mean the mailbox does not exist (RFC 5321: 550, 551, 553).
_NO_SUCH_MAILBOX = frozenset({550, 551, 553})


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class OutboxRow(Base):
    """One email: the complete message, where it is in its life, and why."""

    __tablename__ = "dl_outbox"
    __table_args__ = (
        UniqueConstraint("cart_id", "step"),
        UniqueConstraint("subscription_id", "restock_id"),
        Index("ix_dl_outbox_claimable", "status", "due_at"),
        Index("ix_dl_outbox_leases", "status", "lease_until"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))  # cart_reminder | stock_confirmation | ...
    purpose: Mapped[str] = mapped_column(String(32))
    cart_id: Mapped[str | None] = mapped_column(String(128))
    step: Mapped[int | None] = mapped_column(Integer)
    subscription_id: Mapped[int | None] = mapped_column(Integer)
    restock_id: Mapped[int | None] = mapped_column(Integer)  # 0: the confirmation email
    sender: Mapped[str] = mapped_column(String(320))
    recipient: Mapped[str] = mapped_column(String(320))
    address_hash: Mapped[str] = mapped_column(String(64), index=True)
    locale: Mapped[str | None] = mapped_column(String(35))
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    subject: Mapped[str] = mapped_column(String(500), default="")
    message: Mapped[str] = mapped_column(Text, default="")  # RFC 5322, CRLF line ends
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # what the email showed
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING.value)
    reason: Mapped[str | None] = mapped_column(Text)  # why cancelled or failed, last error
    due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    unconfirmed: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claim_token: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    smtp_reply: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


def new_message_id(domain: str) -> str:
    """A globally unique ``<…@domain>`` Message-ID, fixed when the row is written (128 random
    bits; short enough that the header is never folded)."""
    return f"<{secrets.token_hex(16)}@{domain}>"


def worker_name() -> str:
    """Who holds a claim, for the ``outbox`` listing: host, process id and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def insert_message(session: Session, values: dict[str, Any]) -> bool:
    """Insert an outbox row unless one with the same (cart, step) or (subscription, restock)
    exists; True when this call wrote it. Safe against concurrent schedulers."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(OutboxRow).values(**values).on_conflict_do_nothing()
    result = session.execute(statement.returning(OutboxRow.id))
    return result.first() is not None


# --- claiming ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimedMessage:
    """A row this sender holds until `lease_until` (a copy; the database is the truth)."""

    id: int
    token: str
    kind: str
    purpose: str
    cart_id: str | None
    step: int | None
    subscription_id: int | None
    restock_id: int | None
    sender: str
    recipient: str
    address_hash: str
    message_id: str
    message: str
    attempts: int
    unconfirmed: int
    lease_until: dt.datetime
    created_at: dt.datetime


# What a claim returns: a `ClaimedMessage`'s fields (all but its token) as the row holds them.
_CLAIMED_FIELDS = [item.name for item in fields(ClaimedMessage) if item.name != "token"]


def _claimable(now: dt.datetime) -> Any:
    return or_(
        and_(OutboxRow.status == OutboxStatus.PENDING.value, OutboxRow.due_at <= now),
        and_(
            OutboxRow.status == OutboxStatus.SENDING.value,
            OutboxRow.lease_until < now,
            OutboxRow.unconfirmed < MAX_UNCONFIRMED,
        ),
    )


def _first_in_line(now: dt.datetime, limit: int, *, lock: bool) -> Any:
    """The ids of the `limit` claimable rows first in line (by ``due_at``, then ``id``).

    Each kind of claimable row is read from its own index, in order, and cut at `limit`: the
    pending rows that are due and the rows whose lease ran out; the two short lists are then
    merged. (One query with ``WHERE pending OR expired`` reads and sorts every claimable row
    on every claim, which grows with the backlog: 24 ms a claim with 30,000 rows waiting.)
    With `lock` (PostgreSQL) each list is taken ``FOR UPDATE SKIP LOCKED`` in a materialised
    CTE: it runs exactly once (PostgreSQL may run an ``IN (subquery)`` more than once and so
    claim more rows than the limit), and concurrent senders pass over each other's rows.
    """
    kinds = {
        "due": (OutboxRow.status == OutboxStatus.PENDING.value, OutboxRow.due_at <= now),
        "expired": (
            OutboxRow.status == OutboxStatus.SENDING.value,
            OutboxRow.lease_until < now,
            OutboxRow.unconfirmed < MAX_UNCONFIRMED,
        ),
    }
    lists = []
    for name, where in kinds.items():
        query = (
            select(OutboxRow.id, OutboxRow.due_at)
            .where(*where)
            .order_by(OutboxRow.due_at, OutboxRow.id)
            .limit(limit)
        )
        rows = (
            query.with_for_update(skip_locked=True).cte(name).prefix_with("MATERIALIZED")
            if lock
            else query.subquery(name)
        )
        lists.append(select(rows.c.id, rows.c.due_at))
    merged = union_all(*lists).subquery("in_line")
    return select(merged.c.id).order_by(merged.c.due_at, merged.c.id).limit(limit)


def claim(
    storage: Storage, worker: str, now: dt.datetime, lease: dt.timedelta, limit: int
) -> list[ClaimedMessage]:
    """Claim up to `limit` due rows for `worker` in one atomic statement (see the module
    docstring); rows whose second lease also ran out are marked failed first."""
    sessions = storage.sessions()
    token = secrets.token_hex(16)
    with sessions.begin() as session:
        session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.status == OutboxStatus.SENDING.value,
                OutboxRow.lease_until < now,
                OutboxRow.unconfirmed >= MAX_UNCONFIRMED,
            )
            .values(
                status=OutboxStatus.FAILED.value,
                reason=(
                    "delivery unconfirmed twice (the sender stopped while sending); not "
                    "retried so that it is never sent a third time"
                ),
                claim_token=None,
            )
        )
        postgresql = session.get_bind().dialect.name == "postgresql"
        chosen = OutboxRow.id.in_(_first_in_line(now, limit, lock=postgresql))
        statement = (
            update(OutboxRow)
            .where(chosen, _claimable(now))
            .values(
                status=OutboxStatus.SENDING.value,
                claimed_by=worker,
                claim_token=token,
                lease_until=now + lease,
            )
            .returning(*(getattr(OutboxRow, name) for name in _CLAIMED_FIELDS), OutboxRow.due_at)
            .execution_options(synchronize_session=False)
        )
        rows = session.execute(statement).all()
    return [
        ClaimedMessage(token=token, **{name: getattr(row, name) for name in _CLAIMED_FIELDS})
        for row in sorted(rows, key=lambda r: (r.due_at, r.id))
    ]


def _finish(session: Session, message: ClaimedMessage, **values: Any) -> bool:
    """Change a row this sender still holds; False (and nothing changed) when it lost it."""
    result = session.execute(
        update(OutboxRow)
        .where(
            OutboxRow.id == message.id,
            OutboxRow.claim_token == message.token,
            OutboxRow.status == OutboxStatus.SENDING.value,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    changed = bool(result.rowcount)  # type: ignore[attr-defined]
    if not changed:
        log.warning(
            "outbox row %s (%s) was taken over by another sender after its lease ended",
            message.id,
            message.message_id,
        )
    return changed


def release(storage: Storage, messages: Iterable[ClaimedMessage]) -> None:
    """Hand rows back untouched (nothing was attempted): their claim does not count."""
    with storage.sessions().begin() as session:
        for message in messages:
            _finish(
                session,
                message,
                status=OutboxStatus.PENDING.value,
                claim_token=None,
                lease_until=None,
            )


# --- re-checks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cancel:
    """Do not send: `reason` says which rule stopped it."""

    reason: str


@dataclass(frozen=True)
class Postpone:
    """Not now (quiet hours): try again at `until`."""

    until: dt.datetime
    reason: str


Verdict = Cancel | Postpone | None
Recheck = Callable[[Session, ClaimedMessage, dt.datetime], Verdict]
_rechecks: dict[str, Recheck] = {}


def register_recheck(kind: str, recheck: Recheck) -> None:
    """Let the feature behind `kind` veto or postpone a message right before it is sent."""
    _rechecks[kind] = recheck


# --- delivering --------------------------------------------------------------------------------


@dataclass
class DeliveryReport:
    sent: int = 0
    cancelled: int = 0
    postponed: int = 0
    retrying: int = 0
    failed: int = 0
    lost_lease: int = 0
    events: list[tuple[int, str, str]] = field(default_factory=list)  # (row id, outcome, note)

    def add(self, other: DeliveryReport) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))


def _backoff(base: dt.timedelta, attempts: int) -> dt.timedelta:
    wait: dt.timedelta = base * (2 ** max(0, attempts - 1))
    return min(wait, dt.timedelta(hours=12))


def deliver(
    storage: Storage,
    transport: MailTransport,
    *,
    worker: str,
    now: Callable[[], dt.datetime],
    lease: dt.timedelta,
    backoff: dt.timedelta,
    max_attempts: int,
    limit: int | None = None,
    on_sent: Callable[[Session, ClaimedMessage, dt.datetime], None] | None = None,
) -> DeliveryReport:
    """Claim and send due rows until none is due or `limit` rows were handled."""
    report = DeliveryReport()
    handled = 0
    # Stop starting new messages when less than this is left of the lease (never more than
    # half the lease, so a short lease still lets a batch through).
    margin = min(dt.timedelta(seconds=transport.timeout * 3), lease / 2)
    while limit is None or handled < limit:
        batch_size = BATCH_SIZE if limit is None else min(BATCH_SIZE, limit - handled)
        batch = claim(storage, worker, now(), lease, batch_size)
        if not batch:
            break
        handled += len(batch)
        with open_connection(transport) as connection:
            for index, message in enumerate(batch):
                if now() + margin >= message.lease_until:
                    release(storage, batch[index:])
                    if index == 0:
                        return report  # the clock outran the lease: leave it to the next pass
                    break
                _deliver_one(
                    storage, connection, message, now(), backoff, max_attempts, report, on_sent
                )
    return report


def _deliver_one(
    storage: Storage,
    connection: Connection,
    message: ClaimedMessage,
    moment: dt.datetime,
    backoff: dt.timedelta,
    max_attempts: int,
    report: DeliveryReport,
    on_sent: Callable[[Session, ClaimedMessage, dt.datetime], None] | None,
) -> None:
    sessions = storage.sessions()
    recheck = _rechecks.get(message.kind)
    # One transaction: the re-check, and (when the message may go) the record that an attempt
    # begins — written before the hand-over, so if this process dies now, the attempt counts.
    with sessions.begin() as session:
        verdict = recheck(session, message, moment) if recheck is not None else None
        if isinstance(verdict, Cancel | Postpone):
            # Not now: cancelled for good, or back to pending until the verdict's moment.
            values: dict[str, Any] = (
                {"status": OutboxStatus.CANCELLED.value}
                if isinstance(verdict, Cancel)
                else {"status": OutboxStatus.PENDING.value, "due_at": verdict.until}
            )
            released = {"reason": verdict.reason, "claim_token": None, "lease_until": None}
            if _finish(session, message, **values, **released):
                if isinstance(verdict, Cancel):
                    report.cancelled += 1
                    what = "cancelled"
                else:
                    report.postponed += 1
                    what = "postponed"
                report.events.append((message.id, what, verdict.reason))
            return
        if not _finish(session, message, unconfirmed=OutboxRow.unconfirmed + 1):
            report.lost_lease += 1
            return
    outstanding = message.unconfirmed + 1  # this attempt included
    try:
        reply = connection.send(message.sender, message.recipient, message.message.encode())
    except PermanentFailure as exc:
        if exc.code in _NO_SUCH_MAILBOX:
            with sessions.begin() as session:  # a hard bounce: never try this address again
                suppress(session, message.address_hash, Purpose(message.purpose), "bounced")
        outcome: dict[str, Any] = {
            "status": OutboxStatus.FAILED.value,
            "reason": f"refused: {exc}",
            "unconfirmed": OutboxRow.unconfirmed - 1,
            "attempts": OutboxRow.attempts + 1,
        }
        counter, note = "failed", str(exc)
    except (TemporaryFailure, UnconfirmedDelivery) as exc:
        attempts = message.attempts + 1
        unconfirmed = isinstance(exc, UnconfirmedDelivery)
        outcome = {"attempts": attempts, "reason": f"attempt {attempts}: {exc}"}
        if not unconfirmed:
            outcome["unconfirmed"] = OutboxRow.unconfirmed - 1  # certainly not delivered
        if attempts >= max_attempts or (unconfirmed and outstanding >= MAX_UNCONFIRMED):
            why = "unconfirmed twice" if unconfirmed else f"{attempts} attempts"
            outcome.update(status=OutboxStatus.FAILED.value, reason=f"gave up ({why}): {exc}")
            counter, note = "failed", str(exc)
        else:
            outcome.update(
                status=OutboxStatus.PENDING.value, due_at=moment + _backoff(backoff, attempts)
            )
            counter, note = "retrying", str(exc)
    else:
        outcome = {
            "status": OutboxStatus.SENT.value,
            "unconfirmed": OutboxRow.unconfirmed - 1,  # this attempt is confirmed
            "sent_at": moment,
            "smtp_reply": reply[:500],
            "attempts": OutboxRow.attempts + 1,
            "reason": None,
        }
        counter, note = "sent", reply
    outcome.update(claim_token=None, lease_until=None)
    with sessions.begin() as session:
        if _finish(session, message, **outcome):
            setattr(report, counter, getattr(report, counter) + 1)
            report.events.append((message.id, counter, note))
            if counter == "sent" and on_sent is not None:
                on_sent(session, message, moment)
        else:
            report.lost_lease += 1


# --- reading -----------------------------------------------------------------------------------


def outbox_counts(storage: Storage) -> dict[str, int]:
    """How many rows are in each status."""
    with storage.sessions()() as session:
        rows = session.execute(
            select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
        ).all()
    counts = {status.value: 0 for status in OutboxStatus}
    counts.update({status: int(count) for status, count in rows})
    return counts


def latest_rows(
    storage: Storage, statuses: Sequence[str] | None = None, limit: int = 50
) -> list[OutboxRow]:
    """The most recent rows (optionally of some statuses), newest first."""
    with storage.sessions()() as session:
        query = select(OutboxRow).order_by(OutboxRow.id.desc()).limit(limit)
        if statuses:
            query = query.where(OutboxRow.status.in_(list(statuses)))
        return list(session.scalars(query))
