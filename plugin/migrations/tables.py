"""Every table the plugin owns, named by its row class.

Alembic's autogenerate (a new revision, and the test that the revisions never drift from the
models) compares the database with this metadata; a table whose class is missing here would be
proposed for dropping. `tests/test_plugin_migrations.py` fails when a ``dl_`` table of the
plugin is not listed.
"""

from __future__ import annotations

from sqlalchemy import MetaData

from defenceline.plugin.cart.tracking import CartRow
from defenceline.plugin.emails.alerts import RestockRow, StockSubscriptionRow
from defenceline.plugin.emails.consent import ConsentRow, SuppressionRow
from defenceline.plugin.emails.outbox import OutboxRow
from defenceline.plugin.emails.reminders import AddressSequenceRow
from defenceline.plugin.emails.tokens import TokenRow
from defenceline.plugin.feedback.records import FeedbackRow, PageViewRow
from defenceline.plugin.shipping.records import EventRow, OrderRow, ShipmentRow
from defenceline.plugin.storage import Base, ProductRow

__all__ = ["ROW_CLASSES", "plugin_metadata"]

ROW_CLASSES: tuple[type[Base], ...] = (
    AddressSequenceRow,
    CartRow,
    ConsentRow,
    EventRow,
    FeedbackRow,
    OrderRow,
    OutboxRow,
    PageViewRow,
    ProductRow,
    RestockRow,
    ShipmentRow,
    StockSubscriptionRow,
    SuppressionRow,
    TokenRow,
)


def plugin_metadata() -> MetaData:
    """The metadata holding every table in `ROW_CLASSES` (they all share `Base`'s)."""
    return Base.metadata
