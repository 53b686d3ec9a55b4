"""Dates, times, counts and names inside the widgets' Hebrew sentences keep their own order."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from defenceline.delivery import DeliveryEstimate, EstimateStatus
from defenceline.plugin.widgets.messages import countdown_template, delivery_message, format_day

FSI, PDI = "\u2068", "\u2069"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _estimate(earliest: dt.date, latest: dt.date) -> DeliveryEstimate:
    return DeliveryEstimate(
        status=EstimateStatus.OK,
        country="NL",
        ordered_at=dt.datetime(2026, 11, 24, 10, 0, tzinfo=AMSTERDAM),
        earliest=earliest,
        latest=latest,
        cutoff=dt.datetime(2026, 11, 24, 16, 0, tzinfo=AMSTERDAM),
    )


def test_hebrew_delivery_sentence_isolates_the_cutoff_time_and_each_date() -> None:
    estimate = _estimate(dt.date(2026, 11, 25), dt.date(2026, 11, 26))
    sentence = delivery_message(estimate, "he")
    assert f"{FSI}16:00{PDI}" in sentence
    assert f"{FSI}{format_day(dt.date(2026, 11, 25), 'he')}{PDI}" in sentence
    assert f"{FSI}{format_day(dt.date(2026, 11, 26), 'he')}{PDI}" in sentence


def test_hebrew_countdown_isolates_the_time_left_the_browser_fills_in() -> None:
    template = countdown_template(_estimate(dt.date(2026, 11, 25), dt.date(2026, 11, 25)), "he")
    assert template is not None and f"{FSI}{{duration}}{PDI}" in template


def test_left_to_right_sentences_carry_no_isolates() -> None:
    estimate = _estimate(dt.date(2026, 11, 25), dt.date(2026, 11, 26))
    for locale in ("nl", "en", "de"):
        sentence = delivery_message(estimate, locale)
        assert FSI not in sentence and PDI not in sentence, locale
