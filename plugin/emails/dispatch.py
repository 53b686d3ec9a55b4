"""One pass of the email machinery — ``flask defenceline send-due`` — and a background sender.

A pass (`send_due`) lapses old stock subscriptions, writes outbox rows for every reminder and
alert that is due, then claims and sends due outbox rows. Run it from cron or a systemd timer
every minute or few, on as many machines as you like: claims are atomic, so concurrent passes
share the work and never send a message twice (see `defenceline.plugin.emails.outbox`).

``now`` lets a shop owner ask "what would go out tomorrow at 09:00?" — with ``dry_run`` the
pass decides everything in transactions that are rolled back, and sends nothing.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app
from sqlalchemy import select

from defenceline.plugin.background import background_context
from defenceline.plugin.emails.alerts import (
    AlertEvent,
    expire_subscriptions,
    schedule_alerts,
    write_missing_confirmations,
)
from defenceline.plugin.emails.mailer import parse_mail_url
from defenceline.plugin.emails.messages import EmailSetupError
from defenceline.plugin.emails.outbox import (
    DeliveryReport,
    OutboxRow,
    OutboxStatus,
    deliver,
    worker_name,
)
from defenceline.plugin.emails.reminders import ScheduleEvent, schedule_reminders
from defenceline.plugin.state import DefenceLineState, state
from defenceline.plugin.storage import Storage
from defenceline.plugin.timestamps import as_utc

__all__ = [
    "BackgroundSender",
    "SendDueReport",
    "register_scheduler",
    "send_due",
    "start_background_sender",
]

# Other features' schedulers, run by every pass after the reminders and alerts (the shipping
# notices' scan for due delay notices): called with the storage, the pass's moment and dry_run.
Scheduler = Callable[[Storage, dt.datetime, bool], object]
_schedulers: list[Scheduler] = []


def register_scheduler(schedule: Scheduler) -> None:
    """Let a feature write its due outbox rows in every pass (``send-due``, the background
    sender), before the pass sends. The emails cannot import the features above them."""
    if schedule not in _schedulers:
        _schedulers.append(schedule)


@dataclass
class SendDueReport:
    moment: dt.datetime
    reminders: list[ScheduleEvent] = field(default_factory=list)
    alerts: list[AlertEvent] = field(default_factory=list)
    expired_subscriptions: int = 0
    delivery: DeliveryReport = field(default_factory=DeliveryReport)
    would_send: list[tuple[int, str, str, str]] = field(default_factory=list)  # dry run


def send_due(
    app: Flask | None = None,
    *,
    now: dt.datetime | None = None,
    limit: int | None = None,
    dry_run: bool = False,
) -> SendDueReport:
    """Schedule what is due and send it (see the module docstring). Needs an app context,
    or `app`. The shop's catalogue is called inside a request context for
    `DEFENCELINE_PUBLIC_URL` (`defenceline.plugin.background`)."""
    with background_context(app):
        return _send_due(state(app), now=now, limit=limit, dry_run=dry_run)


def _send_due(
    st: DefenceLineState, *, now: dt.datetime | None, limit: int | None, dry_run: bool
) -> SendDueReport:
    if not st.email.mail_url and not dry_run:
        raise EmailSetupError(
            "DEFENCELINE_MAIL_URL is not set: say where mail goes, e.g. "
            "'smtp://user:password@mail.example:587?starttls=true', or 'console' to print "
            "messages while developing"
        )
    fixed = as_utc(now) if now is not None else None

    def clock() -> dt.datetime:
        return fixed if fixed is not None else st.now()

    moment = clock()
    report = SendDueReport(moment=moment)
    if not dry_run:
        report.expired_subscriptions = expire_subscriptions(st, moment)
        write_missing_confirmations(st, moment)
    report.reminders = schedule_reminders(st, moment, limit=limit, dry_run=dry_run)
    report.alerts = schedule_alerts(st, moment, dry_run=dry_run)
    for schedule in _schedulers:
        schedule(st.storage, moment, dry_run)
    if dry_run:
        with st.storage.sessions()() as session:
            rows = session.execute(
                select(OutboxRow.id, OutboxRow.kind, OutboxRow.recipient, OutboxRow.subject)
                .where(OutboxRow.status == OutboxStatus.PENDING.value, OutboxRow.due_at <= moment)
                .order_by(OutboxRow.due_at, OutboxRow.id)
            ).all()
        report.would_send = [(r.id, r.kind, r.recipient, r.subject) for r in rows]
        return report
    assert st.email.mail_url is not None
    report.delivery = deliver(
        st.storage,
        parse_mail_url(st.email.mail_url),
        worker=worker_name(),
        now=clock,
        lease=st.email.lease,
        backoff=st.email.backoff,
        max_attempts=st.email.max_attempts,
        limit=limit,
    )
    return report


class BackgroundSender:
    """Runs `send_due` in a daemon thread every `interval` seconds (the demo's "cron").

    For one-process apps and demos; with several processes, use cron or a timer instead (it
    would be safe to run in each — claims are atomic — but wasteful).
    """

    def __init__(self, app: Flask, interval: float = 60.0) -> None:
        self.app = app
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="defenceline-sender", daemon=True)
        self.last_report: SendDueReport | None = None

    def start(self) -> BackgroundSender:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def run_once(self) -> None:
        with self.app.app_context():
            try:
                self.last_report = send_due(self.app)
            except Exception:  # a bad pass must not kill the thread; the next one retries
                current_app.logger.exception("defenceline: the email pass failed")

    def _run(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self.interval)


def start_background_sender(app: Flask, interval: float = 60.0) -> BackgroundSender:
    """Start sending due emails every `interval` seconds in a background thread."""
    return BackgroundSender(app, interval).start()
