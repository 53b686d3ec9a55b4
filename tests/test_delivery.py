"""Delivery estimates: the semantics in `defenceline.delivery`, checked by examples and by
hypothesis against a plain reference implementation written from the issue's text."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from defenceline import EstimateStatus, Policy, businessdays, estimate_delivery, parse_policy
from defenceline.businessdays import DateOutOfRange
from defenceline.delivery import RESTOCK_HORIZON_DAYS
from defenceline.policy import WEEKDAYS

AMS = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC


def at(text: str) -> dt.datetime:
    """A moment in Amsterdam time."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=AMS)


# --- examples ----------------------------------------------------------------------------------


def test_order_before_cutoff_is_dispatched_today_and_delivered_next_carrier_day(
    demo_policy: Policy,
) -> None:
    result = estimate_delivery(demo_policy, "NL", at("2026-11-24T15:59"))
    assert result.status is EstimateStatus.OK
    assert result.dispatch_date == dt.date(2026, 11, 24)
    assert result.earliest == result.latest == dt.date(2026, 11, 25)
    assert result.carrier == "PostNL"
    assert result.cutoff == at("2026-11-24T16:00")


def test_order_at_the_cutoff_ships_next_warehouse_day(demo_policy: Policy) -> None:
    result = estimate_delivery(demo_policy, "NL", at("2026-11-24T16:00"))
    assert result.dispatch_date == dt.date(2026, 11, 25)
    assert result.cutoff is None


def test_friday_cutoff_is_earlier_and_postnl_delivers_on_saturday(demo_policy: Policy) -> None:
    before = estimate_delivery(demo_policy, "NL", at("2026-11-27T14:59"))
    assert before.dispatch_date == dt.date(2026, 11, 27)
    assert before.earliest == dt.date(2026, 11, 28)  # Saturday
    after = estimate_delivery(demo_policy, "NL", at("2026-11-27T15:00"))
    assert after.dispatch_date == dt.date(2026, 11, 30)  # Monday: no weekend dispatch


def test_second_carrier_skips_weekend_for_belgium(demo_policy: Policy) -> None:
    result = estimate_delivery(demo_policy, "BE", at("2026-11-27T10:00"))
    assert result.dispatch_date == dt.date(2026, 11, 27)
    assert result.earliest == dt.date(2026, 12, 1)  # Mon 30 Nov is day 1, Tue is day 2
    assert result.latest == dt.date(2026, 12, 2)
    assert result.carrier == "DHL"


def test_christmas_eve_order_waits_for_the_holidays(demo_policy: Policy) -> None:
    result = estimate_delivery(demo_policy, "NL", at("2026-12-24T15:59"))
    assert result.dispatch_date == dt.date(2026, 12, 24)
    # 25 and 26 December are Dutch holidays, 27 is a Sunday.
    assert result.earliest == dt.date(2026, 12, 28)


def test_closure_date_is_not_a_warehouse_day(demo_policy: Policy) -> None:
    result = estimate_delivery(demo_policy, "NL", at("2026-12-30T17:00"))
    # 31 Dec is a closure, 1 Jan a holiday, then the weekend.
    assert result.dispatch_date == dt.date(2027, 1, 4)


def test_kings_day_is_no_dispatch_day(demo_policy: Policy) -> None:
    result = estimate_delivery(demo_policy, "NL", at("2026-04-27T09:00"))  # King's Day, Monday
    assert result.dispatch_date == dt.date(2026, 4, 28)
    assert result.cutoff is None


def test_destination_holiday_is_no_carrier_day(demo_policy: Policy) -> None:
    # 3 October is German Unity Day; in 2025 a Friday.
    result = estimate_delivery(demo_policy, "DE", at("2025-09-30T10:00"))
    assert result.dispatch_date == dt.date(2025, 9, 30)
    assert result.earliest == dt.date(2025, 10, 2)
    assert result.latest == dt.date(2025, 10, 6)


def test_moment_in_another_zone_is_converted_to_warehouse_time(demo_policy: Policy) -> None:
    # 14:30 in New York is 20:30 in Amsterdam: after the cut-off.
    ny = dt.datetime(2026, 11, 24, 14, 30, tzinfo=ZoneInfo("America/New_York"))
    assert estimate_delivery(demo_policy, "NL", ny).dispatch_date == dt.date(2026, 11, 25)


def test_naive_moment_is_warehouse_time(demo_policy: Policy) -> None:
    result = estimate_delivery(demo_policy, "NL", dt.datetime(2026, 11, 24, 15, 59))
    assert result.cutoff == at("2026-11-24T16:00")


def test_out_of_stock_with_restock_date_counts_from_that_morning(demo_policy: Policy) -> None:
    result = estimate_delivery(
        demo_policy,
        "NL",
        at("2026-11-24T10:00"),
        in_stock=False,
        restock_date=dt.date(2026, 12, 3),
    )
    assert result.dispatch_date == dt.date(2026, 12, 3)
    assert result.earliest == dt.date(2026, 12, 4)
    assert result.cutoff is None  # no countdown for an item that is not here


def test_out_of_stock_without_restock_date_has_no_dates(demo_policy: Policy) -> None:
    result = estimate_delivery(demo_policy, "NL", at("2026-11-24T10:00"), in_stock=False)
    assert result.status is EstimateStatus.NO_RESTOCK_DATE
    assert (result.dispatch_date, result.earliest, result.latest) == (None, None, None)


def test_destination_outside_every_zone_is_not_shipped(demo_policy: Policy) -> None:
    result = estimate_delivery(demo_policy, "JP", at("2026-11-24T10:00"))
    assert result.status is EstimateStatus.NOT_SHIPPED
    assert not result.ships
    assert result.to_dict()["earliest"] is None


def test_express_option_uses_its_transit_days(demo_policy: Policy) -> None:
    result = estimate_delivery(demo_policy, "NL", at("2026-11-24T10:00"), express="avondlevering")
    assert result.earliest == dt.date(2026, 11, 25)
    with pytest.raises(ValueError, match="no express option 'rocket'"):
        estimate_delivery(demo_policy, "NL", at("2026-11-24T10:00"), express="rocket")


def test_holiday_calendars_are_built_once(demo_policy: Policy, monkeypatch) -> None:
    estimate_delivery(demo_policy, "DE", at("2026-06-01T10:00"))
    calls = []
    original = holidays.country_holidays
    monkeypatch.setattr(
        businessdays.holidays,
        "country_holidays",
        lambda *a, **k: calls.append(a) or original(*a, **k),
    )
    for hour in range(8, 18):
        estimate_delivery(demo_policy, "DE", at(f"2026-06-01T{hour:02d}:00"))
    assert calls == []


# --- a reference implementation, written from the words --------------------------------

SUNDAY_POLICY_PATCH = (
    'friday = "15:00"\nsaturday = "12:00"\nsunday = "12:00"',
    "handling_days = 1",
)


def _sunday_policy(demo_policy_text: str) -> Policy:
    text = demo_policy_text.replace('friday = "15:00"', SUNDAY_POLICY_PATCH[0]).replace(
        "handling_days = 0", SUNDAY_POLICY_PATCH[1]
    )
    return parse_policy(text)


def reference(policy: Policy, country: str, moment: dt.datetime, restock: dt.date | None):
    tz = ZoneInfo(policy.warehouse.timezone)
    local = moment.astimezone(tz)
    warehouse_holidays = holidays.country_holidays(policy.warehouse.country)
    destination_holidays = holidays.country_holidays(country)
    cutoffs = policy.warehouse.cutoff

    def warehouse_day(day: dt.date) -> bool:
        return (
            WEEKDAYS[day.weekday()] in cutoffs
            and day not in policy.warehouse.closures
            and day not in warehouse_holidays
        )

    zone = next(z for z in policy.shipping.zones if country in z.countries)

    def carrier_day(day: dt.date) -> bool:
        return WEEKDAYS[day.weekday()] in zone.delivery_weekdays and day not in destination_holidays

    if restock is not None:
        local = max(local, dt.datetime.combine(restock, dt.time(0), tzinfo=tz))
    day = local.date()
    if warehouse_day(day) and local.time() < cutoffs[WEEKDAYS[day.weekday()]]:
        dispatch = day
    else:
        dispatch = day + dt.timedelta(days=1)
        while not warehouse_day(dispatch):
            dispatch += dt.timedelta(days=1)
    for _ in range(policy.warehouse.handling_days):
        dispatch += dt.timedelta(days=1)
        while not warehouse_day(dispatch):
            dispatch += dt.timedelta(days=1)
    found = []
    day = dispatch
    while len(found) < zone.transit_days.max:
        day += dt.timedelta(days=1)
        if carrier_day(day):
            found.append(day)
    return dispatch, found[zone.transit_days.min - 1], found[-1]


# Days the issue names: both DST switches of 2026 and 2027, Christmas, Easter, King's Day.
SPECIAL_DAYS = [
    dt.date(2026, 3, 29),
    dt.date(2026, 10, 25),
    dt.date(2027, 3, 28),
    dt.date(2027, 10, 31),
    dt.date(2026, 12, 24),
    dt.date(2026, 12, 25),
    dt.date(2026, 12, 26),
    dt.date(2027, 12, 24),
    dt.date(2026, 4, 3),
    dt.date(2026, 4, 5),
    dt.date(2026, 4, 6),
    dt.date(2027, 3, 26),
    dt.date(2027, 3, 29),
    dt.date(2026, 4, 27),
    dt.date(2027, 4, 27),
    dt.date(2027, 4, 26),
]
ZONES = [UTC, AMS, ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo")]

any_moment = st.datetimes(
    min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 12, 31, 23, 59)
).map(lambda d: d.replace(tzinfo=UTC))

special_moment = st.builds(
    lambda day, minutes, offset: (
        dt.datetime.combine(day, dt.time(0), tzinfo=AMS)
        + dt.timedelta(days=offset, minutes=minutes)
    ),
    st.sampled_from(SPECIAL_DAYS),
    st.integers(0, 24 * 60 - 1),
    st.integers(-2, 2),
)

moments = st.one_of(any_moment, special_moment).flatmap(
    lambda m: st.sampled_from(ZONES).map(lambda z: m.astimezone(z))
)


@settings(max_examples=400, deadline=None)
@given(
    moment=moments,
    country=st.sampled_from(["NL", "BE", "DE"]),
    restock_offset=st.one_of(st.none(), st.integers(-5, 60)),
    sunday=st.booleans(),
)
def test_estimate_matches_reference(
    demo_policy: Policy,
    demo_policy_text: str,
    moment: dt.datetime,
    country: str,
    restock_offset: int | None,
    sunday: bool,
) -> None:
    policy = _sunday_policy(demo_policy_text) if sunday else demo_policy
    restock = None if restock_offset is None else moment.date() + dt.timedelta(restock_offset)
    result = estimate_delivery(
        policy, country, moment, in_stock=restock is None, restock_date=restock
    )
    dispatch, earliest, latest = reference(policy, country, moment, restock)
    assert (result.dispatch_date, result.earliest, result.latest) == (dispatch, earliest, latest)
    assert result.earliest <= result.latest
    if result.cutoff is not None:
        assert restock is None
        assert result.cutoff.tzinfo is not None
        assert moment < result.cutoff
        assert result.cutoff.astimezone(AMS).date() == moment.astimezone(AMS).date()


def test_dst_switch_day_cutoff_is_in_local_time(demo_policy_text: str) -> None:
    policy = _sunday_policy(demo_policy_text)
    # 29 March 2026: clocks go from 02:00 CET to 03:00 CEST. 12:00 CEST is 10:00 UTC.
    before = estimate_delivery(policy, "NL", dt.datetime(2026, 3, 29, 9, 59, tzinfo=UTC))
    assert before.cutoff == dt.datetime(2026, 3, 29, 10, 0, tzinfo=UTC)
    after = estimate_delivery(policy, "NL", dt.datetime(2026, 3, 29, 10, 0, tzinfo=UTC))
    assert after.cutoff is None
    # 25 October 2026: back to CET, so 12:00 local is 11:00 UTC.
    autumn = estimate_delivery(policy, "NL", dt.datetime(2026, 10, 25, 10, 30, tzinfo=UTC))
    assert autumn.cutoff == dt.datetime(2026, 10, 25, 11, 0, tzinfo=UTC)


# --- dates a shop or a shopper can send ---------------------------------------------------------


@pytest.mark.parametrize("restock", [dt.date(9999, 12, 31), dt.date(2029, 1, 1)])
def test_erp_unknown_restock_date_9999_12_31_means_no_date_promised_not_a_crash(
    demo_policy: Policy, restock: dt.date
) -> None:
    result = estimate_delivery(
        demo_policy, "NL", at("2026-11-24T10:00"), in_stock=False, restock_date=restock
    )
    assert result.status is EstimateStatus.NO_RESTOCK_DATE
    assert result.dispatch_date is result.earliest is result.latest is None
    assert result.to_dict()["status"] == "no_restock_date"


def test_restock_date_within_two_years_still_gets_dates(demo_policy: Policy) -> None:
    ordered = at("2026-11-24T10:00")
    restock = ordered.date() + dt.timedelta(days=RESTOCK_HORIZON_DAYS)
    result = estimate_delivery(demo_policy, "NL", ordered, in_stock=False, restock_date=restock)
    assert result.status is EstimateStatus.OK
    assert result.dispatch_date is not None and result.dispatch_date >= restock


def test_restock_date_long_past_is_the_order_moment(demo_policy: Policy) -> None:
    ordered = at("2026-11-24T10:00")
    result = estimate_delivery(
        demo_policy, "NL", ordered, in_stock=False, restock_date=dt.date(1, 1, 1)
    )
    assert result.ordered_at == ordered
    assert result.dispatch_date == dt.date(2026, 11, 24)


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(9999, 12, 31, 15, 0),
        dt.datetime(9999, 12, 31, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-12))),
        dt.datetime(1, 1, 1, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=5))),
        dt.datetime(2100, 1, 1, 0, 0),
        dt.datetime(1999, 12, 31, 23, 59),
    ],
)
def test_order_moment_out_of_range_is_a_named_value_error_not_an_overflow(
    demo_policy: Policy, moment: dt.datetime
) -> None:
    with pytest.raises(DateOutOfRange) as caught:
        estimate_delivery(demo_policy, "NL", moment)
    assert isinstance(caught.value, ValueError)
    assert caught.value.field == "at"
    assert "expected a date from 2000-01-01 to 2099-12-31" in str(caught.value)


def test_last_supported_order_moment_still_gets_dates(demo_policy: Policy) -> None:
    result = estimate_delivery(
        demo_policy, "BE", dt.datetime(2099, 12, 31, 23, 59), in_stock=False,
        restock_date=dt.date(2101, 12, 1),
    )  # fmt: skip
    assert result.status is EstimateStatus.OK
    assert result.latest is not None and result.latest.year == 2101
