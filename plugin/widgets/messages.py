"""The widgets' sentences, localised: gettext for the words, Babel for dates and numbers.

Wording is honest: it states facts (stock, dates, a real cut-off) and never pushes ("Hurry!",
invented urgency). Every widget — JSON, fragment, macro, web component — uses these sentences,
so all three embedding modes say the same thing.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date, format_time, get_date_format
from babel.numbers import format_decimal

from defenceline.delivery import DeliveryEstimate, EstimateStatus
from defenceline.plugin.i18n import gettext_for as _
from defenceline.plugin.i18n import ngettext_for
from defenceline.plugin.widgets.stock import StockState, StockView
from defenceline.regions import country_name

__all__ = ["countdown_template", "delivery_message", "format_day", "stock_message"]

# A placeholder the web component replaces with the live remaining time.
DURATION = "{duration}"


@cache
def _day_pattern(locale: str) -> str:
    # CLDR's full date without the year ("EEEE d MMMM y" -> "EEEE d MMMM"): Babel's skeleton
    # matching would give abbreviated names ("di 24 nov") for a MMMMEEEEd skeleton.
    full = get_date_format("full", locale=locale).pattern
    return re.sub(r",?\s*y+\.?", "", full).strip()


@lru_cache(maxsize=4096)
def format_day(day: dt.date, locale: str) -> str:
    """A delivery day as shoppers say it: "Tuesday, November 24" / "dinsdag 24 november"."""
    return format_date(day, _day_pattern(locale), locale=locale)


@cache
def _right_to_left(locale: str) -> bool:
    return Locale.parse(locale.replace("-", "_")).character_order == "right-to-left"


def _isolated(value: str, locale: str) -> str:
    """A date, time, count or name inside a right-to-left sentence, wrapped in Unicode's
    first-strong isolate (U+2068 ... U+2069) so the bidi algorithm keeps its own order
    ("16:00", "24 בנובמבר") instead of reordering it with the words around it. Left-to-right
    sentences are returned as they are."""
    return f"\u2068{value}\u2069" if _right_to_left(locale) else value


def _day(day: dt.date, locale: str) -> str:
    """A day inside a sentence: formatted, and isolated in right-to-left ones."""
    return _isolated(format_day(day, locale), locale)


def stock_message(view: StockView, locale: str) -> str:
    if view.state is StockState.IN_STOCK:
        return _(locale, "In stock")
    if view.state is StockState.LOW_STOCK:
        count = view.quantity or 0
        return ngettext_for(
            locale,
            "Only %(count)s left in stock",
            "Only %(count)s left in stock",
            count,
            count=_isolated(format_decimal(count, locale=locale), locale),
        )
    preorder = view.state is StockState.PREORDER  # else out of stock
    if view.restock_date:
        date = _day(view.restock_date, locale)
        if preorder:
            return _(locale, "Available to pre-order, ships from %(date)s", date=date)
        return _(locale, "Out of stock, expected back on %(date)s", date=date)
    return _(locale, "Available to pre-order") if preorder else _(locale, "Out of stock")


def delivery_message(estimate: DeliveryEstimate, locale: str) -> str:
    """One sentence answering "when will it arrive?" for this estimate."""
    if estimate.status is EstimateStatus.NOT_SHIPPED:
        return _(
            locale,
            "We don't ship to %(country)s",
            country=_isolated(country_name(estimate.country, locale), locale),
        )
    if estimate.status is EstimateStatus.NO_RESTOCK_DATE:
        return _(locale, "Out of stock: we can't promise a delivery date yet")
    assert estimate.earliest is not None and estimate.latest is not None
    dates = _dates(estimate, locale)
    if estimate.cutoff is not None:
        time = _isolated(
            format_time(estimate.cutoff, "short", tzinfo=estimate.cutoff.tzinfo, locale=locale),
            locale,
        )
        if estimate.earliest == estimate.latest:
            return _(
                locale, "Order before %(time)s today and it arrives on %(date)s", time=time, **dates
            )
        return _(
            locale,
            "Order before %(time)s today and it arrives between %(start)s and %(end)s",
            time=time,
            **dates,
        )
    if estimate.earliest == estimate.latest:
        return _(locale, "Order now and it arrives on %(date)s", **dates)
    return _(locale, "Order now and it arrives between %(start)s and %(end)s", **dates)


def countdown_template(estimate: DeliveryEstimate, locale: str) -> str | None:
    """The countdown sentence with ``{duration}`` left for the browser to fill, or None when
    there is no real cut-off to count down to."""
    if estimate.cutoff is None or estimate.earliest is None or estimate.latest is None:
        return None
    dates = _dates(estimate, locale)
    if estimate.earliest == estimate.latest:
        return _(
            locale,
            "Order within %(duration)s and it arrives on %(date)s",
            duration=_isolated(DURATION, locale),
            **dates,
        )
    return _(
        locale,
        "Order within %(duration)s and it arrives between %(start)s and %(end)s",
        duration=_isolated(DURATION, locale),
        **dates,
    )


def _dates(estimate: DeliveryEstimate, locale: str) -> dict[str, str]:
    assert estimate.earliest is not None and estimate.latest is not None
    start, end = _day(estimate.earliest, locale), _day(estimate.latest, locale)
    return {"date": start, "start": start, "end": end}
